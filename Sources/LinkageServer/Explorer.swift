import Foundation
import LinkageHost
import LinkageKit
import LinkageRegistry
import LinkageRendering
import NIOCore

/// An answer to a request, before HTTP: status, media type and bytes.
///
/// The bytes are a NIO `ByteBuffer` from the start: a cached answer is handed to every response
/// as is (a reference-counted buffer, never copied), where a `Data` would be copied into a new
/// buffer for each request (a node page is ~100–200 KB with its diagram inline).
public struct Answer: Sendable {
    public var status: Int
    public var contentType: String
    public var body: ByteBuffer

    init(status: Int, contentType: String, body: Data) {
        self.status = status
        self.contentType = contentType
        self.body = ByteBuffer(bytes: body)
    }

    init(status: Int, contentType: String, text: String) {
        self.status = status
        self.contentType = contentType
        self.body = ByteBuffer(string: text)
    }

    static func html(_ text: String, status: Int = 200) -> Answer {
        Answer(status: status, contentType: "text/html; charset=utf-8", text: text)
    }
}

/// The pages and files of the explorer, from a path and its query: what the HTTP layer
/// (`ExplorerServer`) serves. Knows the graph, the analyses and the renderer; no HTTP types.
public struct Explorer: Sendable {
    public let store: GraphStore
    public let diagrams: DiagramService
    /// The built-in analyses, then the external ones found at start (`linkage serve --analyses`).
    let analyses: [any AnalysisPlugin]
    let pages = PageCache()
    let runs = AnalysisRuns()

    public init(store: GraphStore, diagrams: DiagramService = DiagramService(), analyses: [any AnalysisPlugin] = registeredAnalyses) {
        self.store = store
        self.diagrams = diagrams
        self.analyses = analyses
    }

    /// Answers a GET for `path` (still percent-encoded) with its query (as sent), from the page
    /// cache when the same address was answered on the same data.
    public func answer(path: String, rawQuery: String?) async -> Answer {
        let snapshot = store.snapshot
        // The errors are part of every page, so they are part of the key.
        let key = "\(snapshot.generation)|\(snapshot.errorsKey)|\(path)?\(rawQuery ?? "")"
        if let hit = pages.page(key) { return hit }
        let answer = await answer(path: path, query: QueryParameters(query: rawQuery), snapshot: snapshot)
        pages.store(answer, for: key)
        return answer
    }

    func answer(path: String, query: QueryParameters, snapshot: GraphStore.Snapshot) async -> Answer {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        do {
            switch segments.first {
            case nil:
                return page(snapshot, title: "Start", query: "", body: startPage(snapshot))
            case "search" where segments.count == 1:
                return searchPage(snapshot, query: query)
            case "assets" where segments == ["assets", "style.css"]:
                return Answer(status: 200, contentType: "text/css; charset=utf-8", text: Templates.styleSheet)
            case "assets" where segments == ["assets", "icon.svg"]:
                return Answer(status: 200, contentType: "image/svg+xml", text: Templates.icon)
            case "favicon.ico" where segments.count == 1:
                // Browsers ask for it whatever the page says; the page names /assets/icon.svg.
                return Answer(status: 200, contentType: "image/svg+xml", text: Templates.icon)
            case "node" where segments.count >= 2:
                return try await nodeRoute(snapshot, segments: Array(segments.dropFirst()), query: query)
            case "analyses" where segments.count == 1:
                return page(snapshot, title: "Analyses", query: "", body: analysesPage())
            case "analysis" where segments.count >= 2:
                return try await analysisRoute(snapshot, segments: Array(segments.dropFirst()), query: query)
            default:
                throw ServerError(status: 404, "there is no page at this address; the explorer's pages are /, /search?q=TEXT, /node/ID, /node/ID/diagram.svg, /analyses and /analysis/ID")
            }
        } catch let error as ServerError {
            return errorPage(snapshot, error)
        } catch let error as NodeNotFound {
            return errorPage(snapshot, ServerError(status: 404, error.message), suggestion: error.suggestion)
        } catch {
            return errorPage(snapshot, ServerError(status: 500, "\(error)"))
        }
    }

    // MARK: Layout and errors

    func page(_ snapshot: GraphStore.Snapshot, title: String, query: String, body: String, status: Int = 200) -> Answer {
        let context: [String: Any] = [
            "title": title, "query": query, "body": body,
            "dataErrors": snapshot.errors, "hasDataErrors": !snapshot.errors.isEmpty,
            "generation": snapshot.generation, "nodeCount": snapshot.graph.nodes.count, "edgeCount": snapshot.graph.edges.count,
        ]
        return .html(Templates.render("layout", context), status: status)
    }

    func errorPage(_ snapshot: GraphStore.Snapshot, _ error: ServerError, suggestion: NodeID? = nil) -> Answer {
        var context: [String: Any] = ["heading": Self.statusHeading(error.status), "message": error.message]
        if let suggestion { context["suggestion"] = ["id": suggestion.rawValue, "href": Self.nodeHref(suggestion)] }
        return page(snapshot, title: Self.statusHeading(error.status), query: "", body: Templates.render("error", context), status: error.status)
    }

    static func statusHeading(_ status: Int) -> String {
        switch status {
        case 400: "Bad request"
        case 404: "Not found"
        case 422: "Too large to draw"
        case 502: "The analysis program failed"
        default: "Error \(status)"
        }
    }

    static func nodeHref(_ id: NodeID) -> String { "/node/" + DOTText.pathSegment(id.rawValue) }

    // MARK: Start page and search

    func startPage(_ snapshot: GraphStore.Snapshot) -> String {
        let graph = snapshot.graph
        let counts = Dictionary(grouping: graph.nodes, by: \.kind).mapValues(\.count)
        let kinds: [[String: Any]] = graph.vocabulary.sortedKinds.compactMap { spec in
            guard let count = counts[spec.kind] else { return nil }
            return ["kind": spec.kind.rawValue, "labelEn": spec.label.en, "labelZh": spec.label.zh, "count": count]
        }
        let datasets: [[String: Any]] = graph.datasets.map { info in
            ["name": info.name, "titleEn": info.title.en, "titleZh": info.title.zh,
             "nodes": graph.nodes(inDataset: info.name).count, "edges": graph.edges(inDataset: info.name).count]
        }
        return Templates.render("start", ["kinds": kinds, "datasets": datasets])
    }

    func searchPage(_ snapshot: GraphStore.Snapshot, query: QueryParameters) -> Answer {
        let graph = snapshot.graph
        let text = query["q"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var kinds: Set<NodeKind>?
        var hint: String?
        if let kindName = query["kind"], !kindName.isEmpty {
            guard let kind = graph.kind(named: kindName) else {
                return errorPage(snapshot, ServerError(status: 400, "no kind '\(kindName)'\(graph.kindHint(for: kindName))"))
            }
            kinds = [kind]
        }
        let hits: [(node: Node, match: String?, text: String?)]
        if text.isEmpty {
            hits = kinds.map { kinds in graph.nodes.filter { kinds.contains($0.kind) }.map { ($0, nil, nil) } } ?? []
            if kinds == nil { hint = "Type an id, a label (English or 中文) or an attribute value." }
        } else {
            let found = snapshot.search.search(text, kinds: kinds, limit: 300)
            hits = found.map { hit in
                (hit.node, hit.match.explanation, hit.match == .id ? nil : hit.text)
            }
            if let first = found.first, first.match >= .nearID {
                hint = "No exact match for “\(text)”; these are one or two letters off."
            }
        }
        var order: [NodeKind] = []
        var grouped: [NodeKind: [[String: Any]]] = [:]
        for hit in hits {
            if grouped[hit.node.kind] == nil { order.append(hit.node.kind) }
            var row: [String: Any] = ["id": hit.node.id.rawValue, "href": Self.nodeHref(hit.node.id),
                                      "labelEn": hit.node.label.en, "labelZh": hit.node.label.zh]
            if let match = hit.match { row["match"] = match }
            if let matched = hit.text { row["text"] = matched }
            grouped[hit.node.kind, default: []].append(row)
        }
        let groups: [[String: Any]] = order.map { kind in
            let spec = graph.vocabulary.spec(kind)
            return ["kindEn": spec?.label.en ?? kind.rawValue, "kindZh": spec?.label.zh ?? "", "count": grouped[kind]!.count, "hits": grouped[kind]!]
        }
        let heading = text.isEmpty ? (kinds.map { "All \($0.first!.rawValue) nodes" } ?? "Search") : "Search: \(text)"
        var context: [String: Any] = ["heading": heading, "groups": groups]
        if let hint { context["hint"] = hint }
        return page(snapshot, title: heading, query: text, body: Templates.render("search", context))
    }
}

/// An id no node has, with the closest id when there is one.
struct NodeNotFound: Error {
    var message: String
    var suggestion: NodeID?
}
