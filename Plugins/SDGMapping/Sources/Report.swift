import LinkageKit

/// Builds the result of the SDG mapping, plan by plan.
struct Report {
    let graph: LinkageGraph
    var result = AnalysisResult()
    private var coverageRows: [[TableValue]] = []
    private var matrixTables: [ResultTable] = []
    private var linkRows: [[TableValue]] = []
    private var gapRows: [[TableValue]] = []
    private var topRows: [[TableValue]] = []
    private var unlinkedRows: [[TableValue]] = []
    private var goalOnlyRows: [[TableValue]] = []

    init(graph: LinkageGraph) { self.graph = graph }

    /// "3 / 17": a headline value is one string for both languages, so it holds no words.
    private func of(_ part: Int, _ whole: Int) -> String { "\(part) / \(whole)" }

    mutating func add(_ coverage: PlanCoverage, top: Int, drawn include: (Node) -> Bool = { _ in true }) {
        let plan = coverage.plan
        let goals = graph.sdgGoals
        let reachedTargets = coverage.reachedTargets
        let reachedGoals = coverage.reachedGoals(graph: graph)
        let (declared, derived) = coverage.linkCount
        let linked = coverage.elements.filter(\.hasAnySDGLink)
        let richest = coverage.elements.max { a, b in
            a.targets.count != b.targets.count ? a.targets.count < b.targets.count : a.element.id > b.element.id
        }
        let planName = strings("plan.name", ["plan": plan.label, "id": plan.id])
        result.headline.append(HeadlineFigure(strings("headline.elements-linked", ["plan": planName]), of(linked.count, coverage.elements.count)))
        result.headline.append(HeadlineFigure(strings("headline.goals-reached", ["plan": planName]), of(reachedGoals.count, goals.count)))
        result.headline.append(HeadlineFigure(strings("headline.targets-reached", ["plan": planName]),
                                              of(reachedTargets.count, graph.nodes(ofKind: .sdgTarget).count)))
        result.headline.append(HeadlineFigure(strings("headline.declared-derived", ["plan": planName]), "\(declared) / \(derived)",
                                              note: derived > 0 && declared == 0 ? strings("headline.declared-derived.all-derived") : nil))
        if let richest, !richest.targets.isEmpty {
            result.headline.append(HeadlineFigure(strings("headline.richest", ["plan": planName]),
                                                  "\(richest.element.id) (\(richest.targets.count))", note: richest.element.label))
        }

        // Coverage, long form and wide matrix.
        var matrixRows: [[TableValue]] = []
        for element in coverage.elements {
            var row: [TableValue] = [.id(element.element.id), .text(element.element.label.en), .text(element.element.label.zh)]
            for goal in goals {
                let targets = element.targets(inGoal: goal.id, graph: graph)
                let goalLink = element.goalLinks[goal.id]
                row.append(.integer(targets.count))
                if !targets.isEmpty || goalLink != nil {
                    let declaredTargets = targets.filter { element.targets[$0] == true }.count
                    coverageRows.append([
                        .text(plan.id), .id(element.element.id), .id(goal.id), .integer(targets.count),
                        .integer(declaredTargets), .integer(targets.count - declaredTargets),
                        .text(goalLink == nil ? "no" : (goalLink! ? "declared" : "derived")),
                        .text(targets.map { $0.rawValue }.joined(separator: " ")),
                    ])
                }
            }
            row.append(.text(element.goalLinks.keys.sorted().map { $0.rawValue }.joined(separator: " ")))
            row.append(.text(element.allSDGs == nil ? "" : "yes"))
            row.append(.integer(element.targets.count))
            row.append(.text(element.provenanceSummary))
            matrixRows.append(row)

            for link in element.links {
                linkRows.append([.text(plan.id), .id(element.element.id), .id(link.sdg), .text(link.position.level.rawValue),
                                 .text(link.isDeclared ? "declared" : "derived"), .text(link.basisText)])
            }
            if !element.hasAnySDGLink {
                unlinkedRows.append([.text(plan.id), .id(element.element.id), .text(element.element.label.en), .text(element.element.label.zh)])
                result.findings.append(Finding(.warning, code: "no-sdg-link", strings("finding.no-sdg-link", ["plan": plan.id, "element": element.element.id]),
                                               ids: [element.element.id]))
            }
            for (goal, isDeclared) in element.goalLinks.sorted(by: { $0.key < $1.key }) {
                goalOnlyRows.append([.text(plan.id), .id(element.element.id), .id(goal), .text(isDeclared ? "declared" : "derived")])
            }
        }
        matrixTables.append(ResultTable(
            id: "coverage-matrix-\(ViewSpec.fileSafe(plan.id))", title: strings("table.coverage-matrix", ["plan": plan.label]),
            columns: [column("element", "column.element"), column("label_en", "column.label-en"), column("label_zh", "column.label-zh")]
                + goals.map { TableColumn("sdg_\($0.id.rawValue.dropFirst(4))", strings("column.sdg-goal", ["number": $0.id.rawValue.dropFirst(4)])) }
                + [column("goal_level_links", "column.goal-level-links"), column("all_sdgs", "column.all-sdgs"),
                   column("targets_total", "column.targets"), column("provenance", "column.provenance")],
            rows: matrixRows,
            caption: strings("table.coverage-matrix.caption")))

        // Gaps: goals and targets no element reaches.
        for goal in goals {
            let targets = graph.children(of: goal.id).filter { graph.node($0)?.kind == .sdgTarget }
            let unreached = targets.filter { !reachedTargets.contains($0) }
            gapRows.append([.text(plan.id), .id(goal.id), .text(goal.label.en), .integer(targets.count), .integer(targets.count - unreached.count),
                            .text(reachedGoals.contains(goal.id) ? "yes" : "no"), .text(unreached.map { $0.rawValue }.joined(separator: " "))])
            if !reachedGoals.contains(goal.id) {
                result.findings.append(Finding(.info, code: "goal-not-reached",
                                               strings("finding.goal-not-reached", ["plan": plan.id, "goal": goal.id, "label": goal.label]), ids: [goal.id]))
            }
        }

        // Concentration: the most-linked targets.
        let byTarget = coverage.elementsByTarget()
        let ranked = byTarget.sorted { a, b in a.value.count != b.value.count ? a.value.count > b.value.count : a.key < b.key }
        for (rank, entry) in ranked.prefix(top).enumerated() {
            topRows.append([.text(plan.id), .integer(rank + 1), .id(entry.key), .text(graph.node(entry.key)?.label.en ?? ""),
                            .integer(entry.value.count), .text(entry.value.sorted().map { $0.rawValue }.joined(separator: " "))])
        }

        result.views.append(contentsOf: PlanViews(graph: graph, coverage: coverage, include: include).views())
    }

    // MARK: Alignment with the Strategic Plan

    /// For each strategic goal: which of its SDG targets the plan reaches and which not; and
    /// targets the plan reaches that no strategic goal names.
    mutating func addAlignment(plans: [ResolvedPlan]) {
        guard let strategic = graph.vocabulary.plan("sp20").map(graph.resolve) else { return }
        let strategicCoverage = PlanCoverage(plan: strategic, graph: graph)
        let namedByStrategicPlan = strategicCoverage.reachedTargets
        var rows: [[TableValue]] = []
        var outsideRows: [[TableValue]] = []
        for plan in plans where plan.id != strategic.id {
            let reached = PlanCoverage(plan: plan, graph: graph).reachedTargets
            for goal in strategicCoverage.elements {
                let named = Set(goal.targets.keys)
                let hit = named.intersection(reached).sorted(), missed = named.subtracting(reached).sorted()
                rows.append([.text(plan.id), .id(goal.element.id), .text(goal.element.label.en), .integer(named.count), .integer(hit.count),
                             .integer(missed.count), .text(hit.map { $0.rawValue }.joined(separator: " ")),
                             .text(missed.map { $0.rawValue }.joined(separator: " "))])
            }
            let outside = reached.subtracting(namedByStrategicPlan).sorted()
            for target in outside {
                outsideRows.append([.text(plan.id), .id(target), .text(graph.node(target)?.label.en ?? "")])
            }
            result.headline.append(HeadlineFigure(
                strings("headline.outside-strategic-plan", ["plan": plan.id]), of(outside.count, reached.count)))
        }
        guard !rows.isEmpty else { return }
        result.tables.append(ResultTable(
            id: "strategic-alignment", title: strings("table.strategic-alignment"),
            columns: [column("plan", "column.plan"), column("strategic_goal", "column.strategic-goal"), column("label_en", "column.label-en"),
                      column("sp_targets", "column.sp-targets"), column("reached", "column.reached-by-plan"),
                      column("not_reached", "column.not-reached"), column("reached_ids", "column.reached-ids"),
                      column("not_reached_ids", "column.not-reached-ids")],
            rows: rows,
            caption: strings("table.strategic-alignment.caption")))
        result.tables.append(ResultTable(
            id: "targets-outside-strategic-plan", title: strings("table.outside-strategic-plan"),
            columns: [column("plan", "column.plan"), column("target", "column.target"), column("label_en", "column.target-text")],
            rows: outsideRows))
    }

    // MARK: Custodian indicators

    /// The SDG indicators ITU is custodian of (as a source names them) and the plan elements
    /// that reach their targets.
    mutating func addCustodianIndicators(plans: [ResolvedPlan]) {
        let statements = graph.edges.filter { $0.relation.rawValue.hasSuffix("custodian-of") }
        guard !statements.isEmpty else { return }
        var rows: [[TableValue]] = []
        for statement in statements {
            guard let target = graph.sdgPosition(statement.target)?.target else { continue }
            for plan in plans {
                let reaching = PlanCoverage(plan: plan, graph: graph).elements.filter { $0.targets[target] != nil }
                rows.append([.id(statement.target), .id(target), .text(plan.id), .integer(reaching.count),
                             .text(reaching.map { $0.element.id.rawValue }.joined(separator: " ")),
                             .text(Set(reaching.map { $0.targets[target]! ? "declared" : "derived" }).sorted().joined(separator: ", ")),
                             .text(ProvenanceText.oneLine(statement))])
            }
        }
        result.tables.append(ResultTable(
            id: "custodian-indicators", title: strings("table.custodian"),
            columns: [column("indicator", "column.indicator"), column("target", "column.its-target"), column("plan", "column.plan"),
                      column("elements_reaching", "column.elements-reaching"), column("element_ids", "column.elements"),
                      column("provenance", "column.provenance"), column("source", "column.custodian-source")],
            rows: rows,
            caption: strings("table.custodian.caption")))
    }

    // MARK: Tables

    var finalResult: AnalysisResult {
        var result = self.result
        result.tables.insert(contentsOf: [
            ResultTable(id: "coverage", title: strings("table.coverage"),
                        columns: [column("plan", "column.plan"), column("element", "column.element"), column("goal", "column.goal"),
                                  column("targets_linked", "column.targets"), column("targets_declared", "column.declared"),
                                  column("targets_derived", "column.derived"), column("goal_level_link", "column.goal-level-link"),
                                  column("target_ids", "column.target-ids")],
                        rows: coverageRows, caption: strings("table.coverage.caption")),
        ] + matrixTables + [
            ResultTable(id: "sdg-links", title: strings("table.sdg-links"),
                        columns: [column("plan", "column.plan"), column("element", "column.element"), column("sdg", "column.sdg"),
                                  column("level", "column.level"), column("provenance", "column.provenance"), column("basis", "column.basis")],
                        rows: linkRows),
            ResultTable(id: "goal-gaps", title: strings("table.goal-gaps"),
                        columns: [column("plan", "column.plan"), column("goal", "column.goal"), column("label_en", "column.goal-title"),
                                  column("targets", "column.targets"), column("targets_reached", "column.reached"),
                                  column("goal_reached", "column.goal-reached"), column("unreached_targets", "column.targets-not-reached")],
                        rows: gapRows),
            ResultTable(id: "elements-without-sdg", title: strings("table.elements-without-sdg"),
                        columns: [column("plan", "column.plan"), column("element", "column.element"), column("label_en", "column.label-en"),
                                  column("label_zh", "column.label-zh")],
                        rows: unlinkedRows),
            ResultTable(id: "goal-level-links", title: strings("table.goal-level-links"),
                        columns: [column("plan", "column.plan"), column("element", "column.element"), column("goal", "column.goal"),
                                  column("provenance", "column.provenance")],
                        rows: goalOnlyRows),
            ResultTable(id: "most-linked-targets", title: strings("table.most-linked"),
                        columns: [column("plan", "column.plan"), column("rank", "column.rank"), column("target", "column.target"),
                                  column("label_en", "column.target-text"), column("elements", "column.element-count"),
                                  column("element_ids", "column.element-ids")],
                        rows: topRows),
        ], at: 0)
        return result
    }
}
