import LinkageKit

/// The analysis this plugin registers.
public let analysis: any AnalysisPlugin = SDGMappingAnalysis()

/// Which SDG goals and targets each plan element reaches: a coverage matrix, gaps and
/// concentration, alignment with the Strategic Plan 2020–2023, and ITU's custodian indicators.
public struct SDGMappingAnalysis: AnalysisPlugin {
    public init() {}

    public var descriptor: AnalysisDescriptor {
        AnalysisDescriptor(
            id: "sdg-mapping",
            title: strings("analysis.title"),
            summary: strings("analysis.summary"),
            options: [
                AnalysisOption(name: "plan", summary: "Plan id, comma-separated ids, or all (every plan with SDG links).", type: .text, defaultValue: "all"),
                AnalysisOption(name: "top", summary: "How many of the most-linked targets to list.", type: .integer(1...169), defaultValue: "10"),
                AnalysisOption(name: "provenance", summary: "Count all links, or only those a document declares.", type: .choice(["all", "declared"]), defaultValue: "all"),
                AnalysisOption(name: "elements", summary: "Which elements the diagrams draw: element ids and/or element kinds, comma-separated (kap-priority: the KAP priorities without the enablers). Default: every element. Tables always cover every element.", type: .list),
            ],
            examples: [
                "linkage run sdg-mapping",
                "linkage run sdg-mapping --set plan=baap --set top=20",
                "linkage run sdg-mapping --set plan=kap --set provenance=declared",
                "linkage run sdg-mapping --set plan=kap --set elements=KAP-P1,KAP-P3",
                "linkage run sdg-mapping --set plan=kap --set elements=kap-priority",
                "linkage render --analysis sdg-mapping --view element-sdg-KAP-P1 --format pdf",
            ])
    }

    public func run(_ context: AnalysisContext) throws -> AnalysisResult {
        let graph = context.declaredOnlyIfAsked()
        // Every plan whose elements reach an SDG node, through their own links or what they
        // continue (OP-23 themes continue BAAP outputs).
        let plans = try context.plans("plan") { context.graph.reachesSDGs($0) }
        let top = context.options.integer("top", default: 10)
        let include = try Self.elementFilter(context.options.list("elements"), plans: plans, graph: graph)
        var report = Report(graph: graph)
        for plan in plans {
            context.progress("SDG coverage of \(plan.id)")
            report.add(PlanCoverage(plan: graph.resolve(plan.spec), graph: graph), top: top, drawn: include)
        }
        report.addAlignment(plans: plans.map { graph.resolve($0.spec) })
        report.addCustodianIndicators(plans: plans.map { graph.resolve($0.spec) })
        var result = report.finalResult
        result.methodNotes = Self.methodNotes(declaredOnly: context.options["provenance"] == "declared")
        return result
    }

    /// The `elements` option as a test on elements: ids and kinds of the plans' elements.
    static func elementFilter(_ entries: [String]?, plans: [ResolvedPlan], graph: LinkageGraph) throws -> (Node) -> Bool {
        guard let entries, !entries.isEmpty else { return { _ in true } }
        let elementIDs = Set(plans.flatMap { $0.elements.map(\.id) })
        let kinds = Set(plans.flatMap(\.spec.elements))
        var ids = Set<NodeID>(), chosenKinds = Set<NodeKind>()
        for entry in entries {
            if elementIDs.contains(NodeID(entry)) {
                ids.insert(NodeID(entry))
            } else if kinds.contains(NodeKind(entry)) {
                chosenKinds.insert(NodeKind(entry))
            } else if let node = graph.nodes.first(where: { $0.aliases.contains(entry) }), elementIDs.contains(node.id) {
                ids.insert(node.id)
            } else {
                let candidates = elementIDs.map(\.rawValue) + kinds.map(\.rawValue)
                throw AnalysisOptionError(option: "elements",
                    "'\(entry)' is neither an element nor an element kind of the plans drawn\(Suggestion.hint(for: entry, in: candidates)); kinds: \(kinds.map(\.rawValue).sorted().joined(separator: ", "))")
            }
        }
        return { ids.contains($0.id) || chosenKinds.contains($0.kind) }
    }

    static func methodNotes(declaredOnly: Bool) -> [LocalizedText] {
        var notes: [LocalizedText] = [
            strings("note.reach"), strings("note.goal-level"), strings("note.all-sdgs"), strings("note.provenance"),
            strings("note.distinct"), strings("note.shared-query"), strings("note.document-order"),
        ]
        if declaredOnly { notes.append(strings("note.declared-only")) }
        return notes
    }
}

extension AnalysisContext {
    /// The graph, or with provenance=declared the graph without derived links.
    func declaredOnlyIfAsked() -> LinkageGraph {
        guard options["provenance"] == "declared" else { return graph }
        return LinkageGraph(nodes: graph.nodes, edges: graph.edges.filter(\.isDeclared), vocabulary: graph.vocabulary,
                            datasets: graph.datasets, qualityNotes: graph.qualityNotes)
    }
}
