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
            title: "SDG mapping",
            summary: "Which SDG goals and targets each plan element reaches, where the gaps are, and how the plan lines up with the Strategic Plan's SDG targets.",
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
            "A plan element reaches a target when it links to the target, or to one of the target's indicators (the Strategic Plan links its goals to indicators).",
            "A link to a goal without a target is counted as a goal-level link (\"G\" in the matrix); it reaches no target. Links to targets do not add a separate goal-level link.",
            "SDG-ALL stands for a statement about all SDGs (BAAP output 3.2: ICT statistics are relevant to monitoring all SDGs). It is shown as its own column and never expanded into 169 targets; it does not fill any gap below.",
            "Provenance: BAAP and Strategic Plan links are declared by their documents. KAP priority and enabler links are derived: OP-23 lists the themes under each priority, each theme continues a BAAP output (a curator's inference), and the BAAP output states its SDGs. Read KAP figures as inherited from the previous plan, not as statements of the KAP, whose own linkage figure is an image with no text.",
            "Counts are of distinct targets and goals: a target reached by two links of the same element counts once.",
            LocalizedText(
                zh: "要素所联系的可持续发展目标取自所有分析共用的同一查询：要素自身的advances-sdg联系，以及其所沿用（continues）节点的advances-sdg联系。OP-23主题由此继承其所沿用的BAAP输出成果的可持续发展目标（沿用一步为推导所得，规则op23-theme-continues-baap-output）；risk-matrix和wsis-action-lines使用同一答案，因此三者对OP-23主题的结论一致。",
                en: "What an element reaches comes from the one query every analysis uses: its own advances-sdg links and those of what it continues. OP-23 themes thus inherit the SDGs of the BAAP outputs they continue (the continues step is derived, rule op23-theme-continues-baap-output); risk-matrix and wsis-action-lines use the same answer, so the three agree on what an OP-23 theme reaches."),
            "Diagrams are in document order (elements as their plan numbers them, goals 1–17, targets in UN order). The elements option chooses which elements the diagrams draw; the tables always cover every element.",
        ]
        if declaredOnly { notes.append("Only declared links are counted (provenance=declared): derived links are left out everywhere.") }
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
