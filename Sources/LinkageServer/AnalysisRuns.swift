import Dispatch
import Foundation
import LinkageHost
import LinkageKit
import OrderedCollections

/// Runs analyses for requests, off Swift's cooperative threads, behind a bounded cache of results.
///
/// An analysis page and each of its diagrams (`/analysis/ID/view/VIEW.svg`, one request per
/// image) need the same result: it is computed once per graph generation and options, and
/// identical requests in flight share one run. That matters most for external analyses, each run
/// a program started with the whole graph on its standard input: without the cache, a page with
/// twenty diagram images would start the program twenty-one times.
///
/// Runs block (a built-in computes; an external one waits for its program, up to its timeout),
/// so they happen on dispatch queues, never on the few threads that answer requests. External
/// programs run one at a time on a queue of their own, so a slow one delays the next program, not
/// the built-in analyses, the pages or the diagrams; each keeps the CLI's limits (timeout, output
/// size), enforced by `ExternalAnalysis` itself.
actor AnalysisRuns {
    private var results: OrderedDictionary<String, AnalysisResult> = [:]
    private var inFlight: [String: Task<AnalysisResult, any Error>] = [:]
    let maximumEntries: Int
    private let builtIn = DispatchQueue(label: "linkage.serve.analyses", attributes: .concurrent)
    private let external = DispatchQueue(label: "linkage.serve.external-analyses")
    /// Runs that were started (tests check that a repeated page does not start a program again).
    private(set) var started = 0

    init(maximumEntries: Int = 32) { self.maximumEntries = maximumEntries }

    func result(for key: String, external isExternal: Bool,
                run: @escaping @Sendable () throws -> AnalysisResult) async throws -> AnalysisResult {
        if let hit = results.removeValue(forKey: key) {
            results[key] = hit
            return hit
        }
        if let running = inFlight[key] { return try await running.value }
        let queue = isExternal ? external : builtIn
        let task = Task<AnalysisResult, any Error> {
            try await withCheckedThrowingContinuation { continuation in
                queue.async { continuation.resume(with: Result { try run() }) }
            }
        }
        inFlight[key] = task
        started += 1
        defer { inFlight[key] = nil }
        // Failures are not kept: the next request tries again (the data or the program may be fixed).
        let result = try await task.value
        results[key] = result
        while results.count > maximumEntries { results.removeFirst() }
        return result
    }
}
