import Dispatch
import Foundation
import LinkageKit
import LinkageRendering
import OrderedCollections

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
    private var cache: OrderedDictionary<String, Data> = [:]
    private var cachedBytes = 0
    private var inFlight: [String: Task<Data, any Error>] = [:]
    private let queue = DispatchQueue(label: "linkage.serve.graphviz")
    /// Renders that reached Graphviz (for the tests and the benchmark's check that caching works).
    public private(set) var renders = 0

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// The cached file for `key`, if any (checked before a view is even built).
    public func cached(_ key: String) -> Data? {
        guard let hit = cache.removeValue(forKey: key) else { return nil }
        cache[key] = hit
        return hit
    }

    /// The file for `key`, from the cache or made by `draw` on the render queue.
    public func file(for key: String, draw: @escaping @Sendable () throws -> Data) async throws -> Data {
        if let hit = cache.removeValue(forKey: key) {
            cache[key] = hit
            return hit
        }
        if let running = inFlight[key] { return try await running.value }
        let queue = self.queue
        let task = Task<Data, any Error> {
            try await withCheckedThrowingContinuation { continuation in
                queue.async { continuation.resume(with: Result { try draw() }) }
            }
        }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        renders += 1
        let data = try await task.value
        store(data, for: key)
        return data
    }

    private func store(_ data: Data, for key: String) {
        guard data.count <= limits.bytes / 4 else { return }
        cache[key] = data
        cachedBytes += data.count
        while cache.count > limits.entries || cachedBytes > limits.bytes, let first = cache.keys.first {
            cachedBytes -= cache.removeValue(forKey: first)?.count ?? 0
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

    /// Lays out and renders one page of a view. Runs on the render queue only.
    static func draw(_ view: ViewSpec, language: Language, options: FigureOptions, format: OutputFormat, page: Int) throws -> Data {
        let renderer = DiagramRenderer(language: language, options: options)
        let laidOut = try renderer.layout(view)
        guard laidOut.pages.indices.contains(page) else {
            throw ServerError(status: 404, "\(view.id) has \(laidOut.pages.count) page\(laidOut.pages.count == 1 ? "" : "s"); there is no page \(page + 1)")
        }
        return try renderer.render(laidOut.pages[page], format: format).data
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
actor PageCache {
    private var pages: OrderedDictionary<String, Answer> = [:]
    private var bytes = 0
    let maximumEntries = 256, maximumBytes = 64 << 20

    func page(_ key: String) -> Answer? {
        guard let hit = pages.removeValue(forKey: key) else { return nil }
        pages[key] = hit
        return hit
    }

    func store(_ answer: Answer, for key: String) {
        guard answer.status == 200, answer.body.count <= maximumBytes / 8 else { return }
        if let old = pages.updateValue(answer, forKey: key) { bytes -= old.body.count }
        bytes += answer.body.count
        while pages.count > maximumEntries || bytes > maximumBytes, let first = pages.keys.first {
            bytes -= pages.removeValue(forKey: first)?.body.count ?? 0
        }
    }
}
