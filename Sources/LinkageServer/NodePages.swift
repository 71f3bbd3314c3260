import Foundation
import LinkageHost
import LinkageKit
import LinkageRegistry
import LinkageRendering

/// What a neighbourhood diagram shows, from a request's query: the options `linkage render`
/// takes for a node, plus `provenance` (declared links only, derived only, or all).
struct NeighbourhoodOptions: Sendable {
    var depth = "1"
    var relations: String
    var direction = "both"
    var provenance = "all"
    var language = Language.en
    var engine: LayoutEngine?
    var page = PageSize.none
    /// Which page of a figure a diagram file is (1-based; `part` in the query); the node page
    /// shows them all.
    var part = 1

    static let provenances = ["all", "declared", "derived"]

    /// `part=N` of a diagram file's query.
    static func part(_ query: QueryParameters) throws(ServerError) -> Int {
        guard let value = query["part"], !value.isEmpty else { return 1 }
        guard let part = Int(value), (1...999).contains(part) else {
            throw ServerError(status: 400, "option 'part': '\(value)' is not a page number (1, 2, …)")
        }
        return part
    }

    init(query: QueryParameters, graph: LinkageGraph) throws(ServerError) {
        relations = graph.vocabulary.sortedRelations.map(\.relation.rawValue).joined(separator: ",")
        if let value = query["depth"], !value.isEmpty { depth = value }
        if let value = query["relations"], !value.isEmpty { relations = value }
        if let value = query["direction"], !value.isEmpty { direction = value }
        if let value = query["provenance"], !value.isEmpty {
            guard Self.provenances.contains(value) else {
                throw ServerError(status: 400, "option 'provenance': '\(value)' is not one of all, declared, derived")
            }
            provenance = value
        }
        if let value = query["lang"], !value.isEmpty {
            guard let language = Language(rawValue: value) else { throw ServerError(status: 400, "option 'lang': '\(value)' is not en or zh") }
            self.language = language
        }
        if let value = query["engine"], !value.isEmpty, value != "default" {
            guard let engine = LayoutEngine(rawValue: value), engine != .nop2 else {
                throw ServerError(status: 400, "option 'engine': '\(value)' is not one of default, \(Self.engines.joined(separator: ", "))")
            }
            self.engine = engine
        }
        if let value = query["page"], !value.isEmpty {
            guard let page = PageSize(rawValue: value) else {
                throw ServerError(status: 400, "option 'page': '\(value)' is not one of \(PageSize.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.page = page
        }
        part = try Self.part(query)
    }

    static var engines: [String] { LayoutEngine.allCases.filter { $0 != .nop2 }.map(\.rawValue) }

    /// The query that reproduces these options (download links, the cache key).
    var queryString: String {
        QueryParameters.encode([
            ("depth", depth), ("relations", relations), ("direction", direction), ("provenance", provenance),
            ("lang", language.rawValue), ("engine", engine?.rawValue ?? "default"), ("page", page.rawValue),
        ])
    }

    /// The form fields of the node page.
    func fields() -> [[String: Any]] {
        func choice(_ name: String, _ label: String, _ values: [String], _ selected: String) -> [String: Any] {
            ["name": name, "label": label, "hasChoices": true,
             "choices": values.map { ["value": $0, "title": $0, "selected": $0 == selected] as [String: Any] }]
        }
        return [
            choice("depth", "Depth", (1...6).map(String.init), depth),
            ["name": "relations", "label": "Relations", "value": relations, "size": 40, "hasChoices": false],
            choice("direction", "Direction", Direction.allCases.map(\.rawValue), direction),
            choice("provenance", "Provenance", Self.provenances, provenance),
            choice("lang", "Language", ["en", "zh"], language.rawValue),
            choice("engine", "Layout", ["default"] + Self.engines, engine?.rawValue ?? "default"),
            choice("page", "Page", PageSize.allCases.map(\.rawValue), page.rawValue),
        ]
    }
}

extension Explorer {
    func nodeRoute(_ snapshot: GraphStore.Snapshot, segments: [String], query: QueryParameters) async throws -> Answer {
        guard let raw = segments[0].removingPercentEncoding else { throw ServerError(status: 400, "the node id in the address is not valid percent-encoding") }
        let graph = snapshot.graph
        guard let node = graph.node(NodeID(raw)) else {
            let suggestion = Suggestion.closestID(to: raw, in: graph.nodes.map(\.id.rawValue)).map { NodeID($0) }
            throw NodeNotFound(message: "no node has the id '\(raw)'\(graph.idHint(for: raw))", suggestion: suggestion)
        }
        let options = try NeighbourhoodOptions(query: query, graph: graph)
        if segments.count == 1 { return await nodePage(snapshot, node, options) }
        guard segments.count == 2, segments[1].hasPrefix("diagram."),
              let format = OutputFormat(rawValue: String(segments[1].dropFirst("diagram.".count))), format != .dot
        else { throw ServerError(status: 404, "a node's diagram is at /node/ID/diagram.svg, .png or .pdf") }
        let pages = try await neighbourhoodDiagram(snapshot, node, options, format: format)
        let data = try DiagramService.page(pages, part: options.part, of: "the diagram of \(node.id.rawValue)")
        return Answer(status: 200, contentType: Self.mediaType(format), body: data)
    }

    static func mediaType(_ format: OutputFormat) -> String {
        switch format {
        case .svg: "image/svg+xml"
        case .png: "image/png"
        case .pdf: "application/pdf"
        case .dot: "text/vnd.graphviz; charset=utf-8"
        }
    }

    /// The neighbourhood view through the neighbourhood analysis (as `linkage render ID` draws
    /// it), then kept to the links of the chosen provenance.
    func neighbourhoodView(_ graph: LinkageGraph, _ node: Node, _ options: NeighbourhoodOptions) throws -> ViewSpec {
        guard let plugin = analyses.first(where: { $0.descriptor.id == "neighbourhood" }) else {
            throw ServerError(status: 500, "the neighbourhood analysis is not registered")
        }
        let assignments = ["focus=\(node.id.rawValue)", "depth=\(options.depth)", "relations=\(options.relations)", "direction=\(options.direction)"]
        let result: AnalysisResult
        do {
            result = try plugin.run(AnalysisContext(graph: graph, options: try AnalysisOptions.parse(assignments, for: plugin.descriptor)))
        } catch let error as AnalysisOptionError {
            throw ServerError(status: 400, "neighbourhood: \(error)")
        }
        guard var view = result.views.first else { throw ServerError(status: 500, "the neighbourhood analysis drew nothing") }
        if options.provenance != "all", case .network(var network) = view.diagram {
            let keepDeclared = options.provenance == "declared"
            network.edges = network.edges.filter { $0.declared == keepDeclared }
            // Nodes no kept link reaches are left out; the focus always stays.
            var linked: Set<NodeID> = [node.id]
            for edge in network.edges { linked.insert(edge.source); linked.insert(edge.target) }
            network.nodes = network.nodes.filter { linked.contains($0.id) }
            network.ranks = network.ranks.map { $0.filter { linked.contains($0) } }
            view.diagram = .network(network)
        }
        return view
    }

    /// Every page of the neighbourhood figure in `format`.
    func neighbourhoodDiagram(_ snapshot: GraphStore.Snapshot, _ node: Node, _ options: NeighbourhoodOptions, format: OutputFormat) async throws -> [Data] {
        let key = "node|\(snapshot.generation)|\(node.id.rawValue)|\(options.queryString)|\(format.rawValue)"
        if let hit = await diagrams.cached(key) { return hit }
        let view = try neighbourhoodView(snapshot.graph, node, options)
        try await diagrams.check(view)
        let figure = FigureOptions(page: options.page, engine: options.engine, nodePageLinks: "/node/")
        let language = options.language
        return try await diagrams.files(for: key) { try DiagramService.draw(view, language: language, options: figure, format: format) }
    }

    func nodePage(_ snapshot: GraphStore.Snapshot, _ node: Node, _ options: NeighbourhoodOptions) async -> Answer {
        let graph = snapshot.graph
        let spec = graph.vocabulary.spec(node.kind)
        var context: [String: Any] = [
            "id": node.id.rawValue, "kind": node.kind.rawValue, "kindEn": spec?.label.en ?? node.kind.rawValue,
            "kindZh": spec?.label.zh ?? "", "dataset": node.dataset, "labelEn": node.label.en, "labelZh": node.label.zh,
            "aliases": node.aliases, "hasAliases": !node.aliases.isEmpty,
            "attributes": node.attributes.map { name, value -> [String: Any] in
                let text = value.description
                var row: [String: Any] = ["name": name, "value": text]
                if let link = Self.webLink(text) { row["link"] = link }
                return row
            },
            "hasAttributes": !node.attributes.isEmpty,
            "citation": Self.citation(node.citation),
        ]
        if let description = node.description { context["description"] = ["en": description.en, "zh": description.zh] }
        let outgoing = graph.outgoing(node.id), incoming = graph.incoming(node.id)
        context["directions"] = [
            ["heading": "Outgoing links", "count": outgoing.count, "relations": relationGroups(graph, outgoing, from: node.id, outgoing: true)],
            ["heading": "Incoming links", "count": incoming.count, "relations": relationGroups(graph, incoming, from: node.id, outgoing: false)],
        ] as [[String: Any]]
        let notes = graph.qualityNotes.filter { $0.ids.contains(node.id) }
        context["notes"] = notes.map { note -> [String: Any] in
            var row: [String: Any] = ["finding": note.finding, "citation": Self.citation(note.citation)]
            if let reading = note.reading { row["reading"] = reading }
            return row
        }
        context["hasNotes"] = !notes.isEmpty

        let base = Self.nodeHref(node.id)
        var diagram: [String: Any] = ["action": base, "fields": options.fields()]
        do {
            let pages = try await neighbourhoodDiagram(snapshot, node, options, format: .svg)
            diagram["pages"] = Self.pages(pages, file: "\(base)/diagram", query: options.queryString, name: node.id.rawValue)
        } catch let error as ServerError {
            diagram["problem"] = error.message
        } catch {
            diagram["problem"] = "the diagram could not be drawn: \(error)"
        }
        context["diagram"] = diagram
        // The partial reads the diagram's fields at the top level.
        for (key, value) in diagram { context[key] = value }
        return page(snapshot, title: "\(node.id.rawValue) \(node.label.en)", query: "", body: Templates.render("node", context))
    }

    func relationGroups(_ graph: LinkageGraph, _ edges: [Edge], from id: NodeID, outgoing: Bool) -> [[String: Any]] {
        var order: [RelationKind] = []
        var grouped: [RelationKind: [Edge]] = [:]
        for edge in edges {
            if grouped[edge.relation] == nil { order.append(edge.relation) }
            grouped[edge.relation, default: []].append(edge)
        }
        return order.map { relation in
            let spec = graph.vocabulary.spec(relation)
            return [
                "relation": relation.rawValue, "labelEn": spec?.label.en ?? "", "labelZh": spec?.label.zh ?? "",
                "count": grouped[relation]!.count,
                "links": grouped[relation]!.map { linkRow(graph, $0, other: outgoing ? $0.target : $0.source, outgoing: outgoing) },
            ]
        }
    }

    func linkRow(_ graph: LinkageGraph, _ edge: Edge, other: NodeID, outgoing: Bool) -> [String: Any] {
        let otherNode = graph.node(other)
        var row: [String: Any] = [
            "arrow": outgoing ? "→" : "←", "other": other.rawValue, "href": Self.nodeHref(other),
            "otherLabelEn": otherNode?.label.en ?? "", "otherLabelZh": otherNode?.label.zh ?? "", "provenance": edge.provenance.name,
        ]
        switch edge.provenance {
        case .declared(let citation):
            row["declared"] = Self.citation(citation)
        case .derived(let derivation):
            var derived: [String: Any] = [
                "rule": derivation.rule, "justification": derivation.justification,
                "paths": derivation.paths.map { path in ["steps": Self.steps(path, from: edge.source, graph: graph)] },
            ]
            if let basis = derivation.citation { derived["basis"] = Self.citation(basis) }
            row["derived"] = derived
        }
        if let written = edge.asWritten { row["asWritten"] = written }
        if let note = edge.note { row["note"] = note }
        return row
    }

    /// A derivation's path as clickable steps: each node a link, each step its relation and
    /// direction, and the rule of a step that is itself derived.
    static func steps(_ path: [EdgeKey], from start: NodeID, graph: LinkageGraph) -> [[String: Any]] {
        var current = start
        var steps: [[String: Any]] = []
        for (index, step) in path.enumerated() {
            let forward = step.source == current
            let next = forward ? step.target : step.source
            var row: [String: Any] = [
                "from": current.rawValue, "fromHref": nodeHref(current), "to": next.rawValue, "toHref": nodeHref(next),
                "arrowText": forward ? "-[\(step.relation.rawValue)]->" : "<-[\(step.relation.rawValue)]-",
                "lastStep": index == path.count - 1,
            ]
            if let link = graph.edge(step), case .derived(let inner) = link.provenance { row["stepRule"] = inner.rule }
            steps.append(row)
            current = next
        }
        return steps
    }

    static func citation(_ citation: Citation) -> [String: Any] {
        var row: [String: Any] = ["reference": citation.reference, "documentTitle": citation.document.title.en]
        if let quote = citation.quote { row["quote"] = quote }
        if let link = webLink(citation.document.url) { row["documentLink"] = link }
        return row
    }

    /// A URL from data that may become a link: http or https with a plain host, by the rules the
    /// renderer applies to SVG links (DOTText.link); anything else stays text.
    static func webLink(_ text: String?) -> String? {
        guard let text, DOTText.link(text) != nil else { return nil }
        return text
    }

    /// The pages of a figure for the `diagram` partial: each inline, with its downloads (a
    /// figure of several pages names each part, as `linkage render` names its files `-p2`).
    static func pages(_ svgs: [Data], file: String, query: String, name: String) -> [[String: Any]] {
        svgs.enumerated().map { index, svg in
            let several = svgs.count > 1
            let partQuery = several ? "\(query)&part=\(index + 1)" : query
            let suffix = several ? "-p\(index + 1)" : ""
            var page: [String: Any] = [
                "svg": HTMLReport.inlineSVG(svg, prefix: "p\(index + 1)"),
                "downloads": ["svg", "png", "pdf"].map { format -> [String: Any] in
                    ["format": format.uppercased(), "href": "\(file).\(format)?\(partQuery)", "file": "\(fileName(name))\(suffix).\(format)"]
                },
            ]
            if several { page["part"] = "Page \(index + 1) of \(svgs.count)" }
            return page
        }
    }

    /// A file name for downloads: the id with characters file systems refuse replaced.
    static func fileName(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber || "-._".contains($0) ? $0 : "_" })
    }
}
