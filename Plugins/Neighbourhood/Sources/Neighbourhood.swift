import LinkageKit

/// The analysis this plugin registers.
public let analysis: any AnalysisPlugin = NeighbourhoodAnalysis()

/// A chosen node and everything linked to it within N steps over chosen relations, as a table
/// and a diagram. Without a focus it draws every group of a plan (each BAAP objective with its
/// outputs and the SDG goals and targets they advance).
public struct NeighbourhoodAnalysis: AnalysisPlugin {
    public init() {}

    public static let defaultRelations: [RelationKind] = [.partOf, .advancesSDG]

    public var descriptor: AnalysisDescriptor {
        AnalysisDescriptor(
            id: "neighbourhood",
            title: strings("analysis.title"),
            summary: strings("analysis.summary"),
            options: [
                AnalysisOption(name: "focus", summary: "Node ids to start from (comma-separated). Default: every group of the plan (the BAAP objectives).", type: .list),
                AnalysisOption(name: "plan", summary: "Plan whose groups are drawn when no focus is given.", type: .text, defaultValue: "baap"),
                AnalysisOption(name: "depth", summary: "How many links away from the focus to go.", type: .integer(1...6), defaultValue: "2"),
                AnalysisOption(name: "relations", summary: "Relations to follow (comma-separated).", type: .list, defaultValue: "part-of,advances-sdg"),
                AnalysisOption(name: "direction", summary: "Follow links outgoing, incoming or both ways.", type: .choice(["outgoing", "incoming", "both"]), defaultValue: "both"),
                AnalysisOption(name: "kinds", summary: "Keep only nodes of these kinds (besides the focus). Default: all kinds; without a focus, the plan's kinds and SDG goals and targets.", type: .list),
                AnalysisOption(name: "combine", summary: "With several focus nodes: one diagram of them all together (yes) or one diagram each (no).", type: .choice(["no", "yes"]), defaultValue: "no"),
            ],
            examples: [
                "linkage run neighbourhood --set focus=BAAP-OUT-2.1",
                "linkage run neighbourhood --set focus=SDG-9.c --set relations=advances-sdg,part-of --set depth=1",
                "linkage run neighbourhood --set focus=BAAP-OBJ-2 --set relations=part-of,implements",
                "linkage run neighbourhood --set focus=KAP-P1,KAP-P2 --set combine=yes",
            ])
    }

    public func run(_ context: AnalysisContext) throws -> AnalysisResult {
        let graph = context.graph
        let options = context.options
        let depth = options.integer("depth", default: 2)
        let relations = try context.requireRelations("relations", options.list("relations") ?? Self.defaultRelations.map(\.rawValue))
        let direction = Direction(rawValue: options.string("direction", default: "both")) ?? .both

        var focus: [Node]
        var kinds: Set<NodeKind>?
        var groupKinds: Set<NodeKind> = [.sdgGoal]
        if let ids = options.list("focus"), !ids.isEmpty {
            focus = try ids.map { try context.requireNode("focus", $0) }
            for node in focus { groupKinds.insert(node.kind) }
        } else {
            let plan = try context.requirePlan("plan", options.string("plan", default: "baap"))
            guard let groupKind = plan.groups else {
                throw AnalysisOptionError(option: "plan", "plan '\(plan.id)' has no groups; give a focus instead")
            }
            focus = graph.nodes(ofKind: groupKind)
            kinds = Set(plan.elements + [groupKind, .sdgGoal, .sdgTarget, .sdgScope])
            groupKinds.insert(groupKind)
        }
        if let requested = options.list("kinds") {
            for kind in requested where graph.vocabulary.spec(NodeKind(kind)) == nil {
                throw AnalysisOptionError(option: "kinds", "unknown kind '\(kind)'")
            }
            kinds = Set(requested.map { NodeKind($0) })
        }

        let builder = NetworkViewBuilder(graph: graph)
        var result = AnalysisResult()
        var memberRows: [[TableValue]] = []
        var linkRows: [[TableValue]] = []
        var allReached = Set<NodeID>()
        var allLinks = Set<EdgeKey>()
        var declared = 0
        var derived = 0

        // One diagram per focus node, or (combine=yes) one diagram of all of them.
        let combine = options.string("combine", default: "no") == "yes" && focus.count > 1
        let starts: [[Node]] = combine ? [focus] : focus.map { [$0] }
        for (index, group) in starts.enumerated() {
            let start = group[0]
            let name = group.map(\.id.rawValue).joined(separator: ", ")
            context.progress("neighbourhood of \(name) (\(index + 1)/\(starts.count))")
            var reached: [NodeID: Int] = [:]
            for node in group {
                for (id, steps) in reachable(graph, from: node.id, relations: Set(relations), direction: direction, depth: depth, kinds: kinds) {
                    reached[id] = min(reached[id] ?? .max, steps)
                }
            }
            let links = graph.edges.filter { reached[$0.source] != nil && reached[$0.target] != nil && relations.contains($0.relation) }
            if reached.count == 1 {
                result.findings.append(Finding(
                    .warning, code: "isolated",
                    strings("finding.isolated", ["id": start.id, "relations": relations.map(\.rawValue).joined(separator: "/"), "depth": depth]),
                    ids: [start.id]))
            }
            for id in graph.documentOrder(reached.keys) {
                guard let node = graph.node(id) else { continue }
                memberRows.append([.text(name), .id(id), .text(node.kind.rawValue), .integer(reached[id]!),
                                   .text(node.label.en), .text(node.label.zh)])
            }
            for link in links {
                linkRows.append([.text(name), .id(link.source), .text(link.relation.rawValue), .id(link.target),
                                 .text(link.provenance.name), .text(ProvenanceText.oneLine(link))])
                if allLinks.insert(link.key).inserted { if link.isDeclared { declared += 1 } else { derived += 1 } }
            }
            allReached.formUnion(reached.keys)

            let network = builder.build(nodes: graph.documentOrder(reached.keys), edges: links, groupKinds: groupKinds,
                                        emphasised: Set(group.map(\.id)))
            let title = group.count == 1
                ? strings("view.title.one", ["id": start.id, "label": start.label])
                : strings("view.title.several", ["ids": CatalogueList(group.map(\.id.rawValue))])
            let derived = links.filter { !$0.isDeclared }
            result.views.append(ViewSpec(
                id: "neighbourhood-" + ViewSpec.fileSafe(group.map(\.id.rawValue).joined(separator: "+")),
                title: title,
                subtitle: strings("view.subtitle", [
                    "ids": CatalogueList(group.map(\.id.rawValue)), "relations": CatalogueList(relations.map(\.rawValue)),
                    "depth": depth, "nodes": reached.count, "links": links.count]),
                caption: derived.isEmpty ? nil : DerivationCaption.describe(routes: links.map { [$0] }, graph: graph),
                diagram: .network(network)))
        }

        result.headline = [
            HeadlineFigure(strings("headline.focus"), focus.count),
            HeadlineFigure(strings("headline.reached"), allReached.count),
            HeadlineFigure(strings("headline.links"), allLinks.count),
            HeadlineFigure(strings("headline.declared"), declared),
            HeadlineFigure(strings("headline.derived"), derived),
        ]
        if derived > 0 {
            result.findings.append(Finding(.info, code: "derived-links", strings("finding.derived-links", ["derived": derived])))
        }
        result.tables = [
            ResultTable(
                id: "nodes", title: strings("table.nodes"),
                columns: [TableColumn("focus", strings("column.focus")), TableColumn("id", strings("column.id")),
                          TableColumn("kind", strings("column.kind")), TableColumn("steps", strings("column.steps")),
                          TableColumn("label_en", strings("column.label-en")), TableColumn("label_zh", strings("column.label-zh"))],
                rows: memberRows, caption: strings("table.nodes.caption")),
            ResultTable(
                id: "links", title: strings("table.links"),
                columns: [TableColumn("focus", strings("column.focus")), TableColumn("source", strings("column.source")),
                          TableColumn("relation", strings("column.relation")), TableColumn("target", strings("column.target")),
                          TableColumn("provenance", strings("column.provenance")), TableColumn("basis", strings("column.basis"))],
                rows: linkRows, caption: strings("table.links.caption")),
        ]
        result.methodNotes = [
            stepsNote(direction, relations: CatalogueList(relations.map(\.rawValue))),
            strings("note.goal-links"),
            strings("note.scope"),
        ]
        return result
    }

    func stepsNote(_ direction: Direction, relations: CatalogueList) -> LocalizedText {
        switch direction {
        case .both: strings("note.steps.both", ["relations": relations])
        case .outgoing: strings("note.steps.outgoing", ["relations": relations])
        case .incoming: strings("note.steps.incoming", ["relations": relations])
        }
    }

    /// Breadth-first search keeping only nodes of `kinds` (the start is always kept).
    func reachable(_ graph: LinkageGraph, from start: NodeID, relations: Set<RelationKind>, direction: Direction, depth: Int,
                   kinds: Set<NodeKind>?) -> [NodeID: Int] {
        var reached: [NodeID: Int] = [start: 0]
        var frontier = [start]
        for level in 1...max(depth, 1) where depth > 0 {
            var next: [NodeID] = []
            for id in frontier {
                for neighbour in graph.neighbours(of: id, relations: relations, direction: direction) where reached[neighbour] == nil {
                    if let kinds, let node = graph.node(neighbour), !kinds.contains(node.kind) { continue }
                    reached[neighbour] = level
                    next.append(neighbour)
                }
            }
            frontier = next.sorted()
        }
        return reached
    }
}
