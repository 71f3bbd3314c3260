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
        let planName = "\(plan.label.en) (`\(plan.id)`)"
        result.headline.append(HeadlineFigure("\(planName): elements with an SDG link", "\(linked.count) of \(coverage.elements.count)"))
        result.headline.append(HeadlineFigure("\(planName): SDG goals reached", "\(reachedGoals.count) of \(goals.count)"))
        result.headline.append(HeadlineFigure("\(planName): SDG targets reached", "\(reachedTargets.count) of \(graph.nodes(ofKind: .sdgTarget).count)"))
        result.headline.append(HeadlineFigure("\(planName): links declared / derived", "\(declared) / \(derived)",
                                              note: derived > 0 && declared == 0 ? "every link of this plan is derived" : nil))
        if let richest, !richest.targets.isEmpty {
            result.headline.append(HeadlineFigure("\(planName): element with the most SDG targets",
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
                result.findings.append(Finding(.warning, code: "no-sdg-link", "\(plan.id): \(element.element.id) links to no SDG goal or target.", ids: [element.element.id]))
            }
            for (goal, isDeclared) in element.goalLinks.sorted(by: { $0.key < $1.key }) {
                goalOnlyRows.append([.text(plan.id), .id(element.element.id), .id(goal), .text(isDeclared ? "declared" : "derived")])
            }
        }
        matrixTables.append(ResultTable(
            id: "coverage-matrix-\(ViewSpec.fileSafe(plan.id))", title: "Coverage matrix: \(plan.label.en)",
            columns: [TableColumn("element", "Element"), TableColumn("label_en", "Label"), TableColumn("label_zh", "标签")]
                + goals.map { TableColumn("sdg_\($0.id.rawValue.dropFirst(4))", "SDG \($0.id.rawValue.dropFirst(4))") }
                + [TableColumn("goal_level_links", "Goal-level links"), TableColumn("all_sdgs", "All SDGs"),
                   TableColumn("targets_total", "Targets"), TableColumn("provenance", "Provenance")],
            rows: matrixRows,
            caption: "One row per plan element: the number of distinct targets it reaches in each goal; goal-level links and \"all SDGs\" statements in their own columns."))

        // Gaps: goals and targets no element reaches.
        for goal in goals {
            let targets = graph.children(of: goal.id).filter { graph.node($0)?.kind == .sdgTarget }
            let unreached = targets.filter { !reachedTargets.contains($0) }
            gapRows.append([.text(plan.id), .id(goal.id), .text(goal.label.en), .integer(targets.count), .integer(targets.count - unreached.count),
                            .text(reachedGoals.contains(goal.id) ? "yes" : "no"), .text(unreached.map { $0.rawValue }.joined(separator: " "))])
            if !reachedGoals.contains(goal.id) {
                result.findings.append(Finding(.info, code: "goal-not-reached", "\(plan.id): no element reaches \(goal.id) (\(goal.label.en)).", ids: [goal.id]))
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
                "\(plan.id): targets it reaches that no strategic goal of the Strategic Plan 2020–2023 names",
                "\(outside.count) of \(reached.count)"))
        }
        guard !rows.isEmpty else { return }
        result.tables.append(ResultTable(
            id: "strategic-alignment", title: "Alignment with the Strategic Plan 2020–2023",
            columns: [TableColumn("plan", "Plan"), TableColumn("strategic_goal", "Strategic goal"), TableColumn("label_en", "Label"),
                      TableColumn("sp_targets", "Targets it names"), TableColumn("reached", "Reached by the plan"),
                      TableColumn("not_reached", "Not reached"), TableColumn("reached_ids", "Reached"), TableColumn("not_reached_ids", "Not reached (ids)")],
            rows: rows,
            caption: "For each strategic goal (its SDG targets and the targets of its SDG indicators, as section 3 of the Strategic Plan lists them): which of them the plan's elements reach."))
        result.tables.append(ResultTable(
            id: "targets-outside-strategic-plan", title: "Targets a plan reaches that no strategic goal names",
            columns: [TableColumn("plan", "Plan"), TableColumn("target", "Target"), TableColumn("label_en", "Target text")],
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
            id: "custodian-indicators", title: "ITU as custodian agency",
            columns: [TableColumn("indicator", "Indicator"), TableColumn("target", "Its target"), TableColumn("plan", "Plan"),
                      TableColumn("elements_reaching", "Elements reaching the target"), TableColumn("element_ids", "Elements"),
                      TableColumn("provenance", "Provenance"), TableColumn("source", "Where ITU's custodianship is stated")],
            rows: rows,
            caption: "The SDG indicators a source names ITU as custodian of, and which plan elements reach their targets."))
    }

    // MARK: Tables

    var finalResult: AnalysisResult {
        var result = self.result
        result.tables.insert(contentsOf: [
            ResultTable(id: "coverage", title: "Coverage by goal",
                        columns: [TableColumn("plan", "Plan"), TableColumn("element", "Element"), TableColumn("goal", "Goal"),
                                  TableColumn("targets_linked", "Targets"), TableColumn("targets_declared", "declared"),
                                  TableColumn("targets_derived", "derived"), TableColumn("goal_level_link", "Goal-level link"),
                                  TableColumn("target_ids", "Target ids")],
                        rows: coverageRows, caption: "One row per plan element and SDG goal it reaches."),
        ] + matrixTables + [
            ResultTable(id: "sdg-links", title: "Every SDG link",
                        columns: [TableColumn("plan", "Plan"), TableColumn("element", "Element"), TableColumn("sdg", "SDG"),
                                  TableColumn("level", "Level"), TableColumn("provenance", "Provenance"), TableColumn("basis", "Source or rule")],
                        rows: linkRows),
            ResultTable(id: "goal-gaps", title: "Goals and targets no element reaches",
                        columns: [TableColumn("plan", "Plan"), TableColumn("goal", "Goal"), TableColumn("label_en", "Goal"),
                                  TableColumn("targets", "Targets"), TableColumn("targets_reached", "Reached"),
                                  TableColumn("goal_reached", "Goal reached"), TableColumn("unreached_targets", "Targets not reached")],
                        rows: gapRows),
            ResultTable(id: "elements-without-sdg", title: "Elements with no SDG link",
                        columns: [TableColumn("plan", "Plan"), TableColumn("element", "Element"), TableColumn("label_en", "Label"),
                                  TableColumn("label_zh", "标签")],
                        rows: unlinkedRows),
            ResultTable(id: "goal-level-links", title: "Links to a goal with no target named",
                        columns: [TableColumn("plan", "Plan"), TableColumn("element", "Element"), TableColumn("goal", "Goal"),
                                  TableColumn("provenance", "Provenance")],
                        rows: goalOnlyRows),
            ResultTable(id: "most-linked-targets", title: "The most-linked targets",
                        columns: [TableColumn("plan", "Plan"), TableColumn("rank", "Rank"), TableColumn("target", "Target"),
                                  TableColumn("label_en", "Target text"), TableColumn("elements", "Elements"),
                                  TableColumn("element_ids", "Element ids")],
                        rows: topRows),
        ], at: 0)
        return result
    }
}
