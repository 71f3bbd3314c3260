import Dispatch
import Foundation
import LinkageHost
import LinkageKit
import LinkageRendering
import OrderedCollections
import Synchronization

/// Draws diagrams for requests, one at a time, behind a bounded cache.
///
/// Graphviz keeps global state and is not thread-safe; `Graphviz.shared` already takes a lock,
/// but layout work around it (text measuring, the engines' layouts) also ends in Graphviz, and a
/// blocked lock would hold a thread of Swift's small cooperative pool. So every layout and render
/// runs on one serial dispatch queue, and handlers await it. In front of it: a cache of finished
/// files keyed by everything that decides the bytes (the graph's generation, the view, the
/// options, the format), bounded by entries and bytes, least recently used out first; identical
/// requests in flight share one render. Repeated views never reach Graphviz, and the per-render
/// leaks of Graphviz 2.42 stay bounded by the number of distinct diagrams.
public actor DiagramService {
    public struct Limits: Sendable {
        public var entries = 512
        public var bytes = 96 << 20
        /// Diagrams larger than this are refused before layout (a 4xx with the figures).
        public var maximumNodes = 300
        public var maximumEdges = 900
        public init() {}
    }

    public let limits: Limits
    /// Every page of a figure in one format, by key: a figure split over pages (a long matrix on
    /// A4) is laid out once and all its pages rendered together.
    private var cache: OrderedDictionary<String, [Data]> = [:]
    private var cachedBytes = 0
    private var inFlight: [String: Task<[Data], any Error>] = [:]
    private let queue = DispatchQueue(label: "linkage.serve.graphviz")
    /// Renders that reached Graphviz (for the tests and the benchmark's check that caching works).
    public private(set) var renders = 0

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// The cached pages for `key`, if any (checked before a view is even built).
    public func cached(_ key: String) -> [Data]? {
        guard let hit = cache.removeValue(forKey: key) else { return nil }
        cache[key] = hit
        return hit
    }

    /// The pages for `key`, from the cache or made by `draw` on the render queue.
    public func files(for key: String, draw: @escaping @Sendable () throws -> [Data]) async throws -> [Data] {
        if let hit = cached(key) { return hit }
        if let running = inFlight[key] { return try await running.value }
        let queue = self.queue
        let task = Task<[Data], any Error> {
            try await withCheckedThrowingContinuation { continuation in
                queue.async { continuation.resume(with: Result { try draw() }) }
            }
        }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        renders += 1
        let pages = try await task.value
        store(pages, for: key)
        return pages
    }

    private func store(_ pages: [Data], for key: String) {
        let size = pages.reduce(0) { $0 + $1.count }
        guard size <= limits.bytes / 4 else { return }
        cache[key] = pages
        cachedBytes += size
        while cache.count > limits.entries || cachedBytes > limits.bytes, let first = cache.keys.first {
            cachedBytes -= cache.removeValue(forKey: first)?.reduce(0) { $0 + $1.count } ?? 0
        }
    }

    /// Checks the size of a network before it is laid out.
    public func check(_ view: ViewSpec) throws(ServerError) {
        guard case .network(let network) = view.diagram else { return }
        if network.nodes.count > limits.maximumNodes || network.edges.count > limits.maximumEdges {
            throw ServerError(
                status: 422,
                "this diagram would have \(network.nodes.count) nodes and \(network.edges.count) links; the server draws at most \(limits.maximumNodes) nodes and \(limits.maximumEdges) links on request. Lower the depth, follow fewer relations or one direction, or draw it with `linkage render` into a file.")
        }
    }

    /// Lays out a view and renders every page of it (one for most figures; a long matrix on a
    /// page size is split over several, `-p1`, `-p2` … as `linkage render` writes them). Runs on
    /// the render queue only.
    /// `croppingToDrawing`: SVG pages cut to where their drawing ends (to show in a page).
    static func draw(_ view: ViewSpec, language: Language, options: FigureOptions, format: OutputFormat,
                     croppingToDrawing: Bool = false) throws -> [Data] {
        let renderer = DiagramRenderer(language: language, options: options)
        let laidOut = try renderer.layout(view)
        return try laidOut.pages.map { page in
            let data = try renderer.render(page, format: format).data
            guard croppingToDrawing, format == .svg, let share = page.drawnShare else { return data }
            return HTMLReport.croppedSVG(data, drawnShare: share)
        }
    }

    /// Page `part` (1-based) of `pages`, or a 404 that says how many there are.
    static func page(_ pages: [Data], part: Int, of viewID: String) throws(ServerError) -> Data {
        guard pages.indices.contains(part - 1) else {
            throw ServerError(status: 404, "\(viewID) has \(pages.count) page\(pages.count == 1 ? "" : "s"); there is no page \(part)")
        }
        return pages[part - 1]
    }
}

/// A request that cannot be answered as asked: the status and the message the page shows.
public struct ServerError: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var message: String
    public init(status: Int, _ message: String) {
        self.status = status
        self.message = message
    }
    public var description: String { message }
}

/// Finished pages by address and data generation, least recently used out first: a node page
/// (with its inline diagram) is made once per graph, not once per request. Errors are not kept.
///
/// Bounded by entries and bytes, so memory stays flat however many distinct addresses are
/// asked for. A lock, not an actor: a hit is a dictionary look-up of a few microseconds, and a
/// request should not queue behind other requests' hops to an actor's executor for it.
final class PageCache: Sendable {
    private struct State {
        var pages: OrderedDictionary<String, Answer> = [:]
        var bytes = 0
    }
    private let state = Mutex(State())
    let maximumEntries: Int, maximumBytes: Int

    init(maximumEntries: Int = 256, maximumBytes: Int = 64 << 20) {
        self.maximumEntries = maximumEntries
        self.maximumBytes = maximumBytes
    }

    func page(_ key: String) -> Answer? {
        state.withLock { state in
            guard let index = state.pages.index(forKey: key) else { return nil }
            let hit = state.pages.values[index]
            // Move to the back (most recently used) only when not already near it: the hot
            // pages of a busy server stay put instead of being moved on every hit.
            if index < state.pages.count - 16 {
                state.pages.remove(at: index)
                state.pages[key] = hit
            }
            return hit
        }
    }

    func store(_ answer: Answer, for key: String) {
        let size = answer.body.readableBytes
        guard answer.status == 200, size <= maximumBytes / 8 else { return }
        state.withLock { state in
            if let old = state.pages.updateValue(answer, forKey: key) { state.bytes -= old.body.readableBytes }
            state.bytes += size
            while state.pages.count > maximumEntries || state.bytes > maximumBytes, let first = state.pages.keys.first {
                state.bytes -= state.pages.removeValue(forKey: first)?.body.readableBytes ?? 0
            }
        }
    }

    var count: Int { state.withLock { $0.pages.count } }
    var bytes: Int { state.withLock { $0.bytes } }
}
