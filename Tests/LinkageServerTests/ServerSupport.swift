import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LinkageKit
import LinkageRegistry
import LinkageServer
import LinkageTestSupport
import Synchronization

/// A real `linkage serve` on an ephemeral loopback port, on a copy of the datasets in a folder
/// the test made; stopped (task cancelled: graceful shutdown) by `stop()`.
final class RunningServer: Sendable {
    let base: URL
    let folder: URL
    let datasets: URL
    let diagrams: DiagramService
    private let task: Task<Void, any Error>

    /// `prepare` writes the datasets into the folder and returns their path (default: a copy
    /// of the repository's datasets).
    static func start(pollInterval: Duration = .seconds(2), analyses: [any AnalysisPlugin] = registeredAnalyses,
                      prepare: (URL) throws -> URL = { folder in
        let datasets = folder.appendingPathComponent("datasets")
        try copyDirectory(Repository.datasets, to: datasets)
        return datasets
    }) async throws -> RunningServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("linkage-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let datasets = try prepare(folder)
        let diagrams = DiagramService()
        let ready = AsyncStream<URL>.makeStream()
        let configuration = ExplorerServer.Configuration(host: "127.0.0.1", port: 0, datasets: datasets, accessLog: false,
                                                         pollInterval: pollInterval, analyses: analyses)
        let task = Task {
            defer { ready.continuation.finish() }
            try await ExplorerServer.run(configuration, diagrams: diagrams) { url in ready.continuation.yield(url) }
        }
        var iterator = ready.stream.makeAsyncIterator()
        guard let base = await iterator.next() else {
            _ = try await task.value
            throw CancellationError()
        }
        return RunningServer(base: base, folder: folder, datasets: datasets, diagrams: diagrams, task: task)
    }

    private init(base: URL, folder: URL, datasets: URL, diagrams: DiagramService, task: Task<Void, any Error>) {
        self.base = base
        self.folder = folder
        self.datasets = datasets
        self.diagrams = diagrams
        self.task = task
    }

    /// Cancels the server's task (graceful shutdown, finishing in the background) and removes
    /// the test's folder.
    func stop() {
        task.cancel()
        try? FileManager.default.removeItem(at: folder)
    }

    struct Reply {
        var status: Int
        var contentType: String
        var body: Data
        var headers: [String: String]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// A real HTTP GET over loopback. `path` is sent as written (percent-encoding and all).
    func get(_ path: String) async throws -> Reply {
        let url = URL(string: base.absoluteString.dropLast() + path)!
        var request = URLRequest(url: url)
        request.cachePolicy = .reloadIgnoringLocalCacheData
        // Not a timing. The server runs inside the test runner, whose few threads (two on two
        // cores) other tests may hold for a while; the default 60 s could then run out.
        request.timeoutInterval = 600
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers[String(describing: key).lowercased()] = String(describing: value) }
        return Reply(status: http.statusCode, contentType: headers["content-type"] ?? "", body: data, headers: headers)
    }
}

/// Runs a program and returns its exit status and standard output.
func runProgram(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
