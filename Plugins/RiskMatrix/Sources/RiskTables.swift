import LinkageKit

extension RiskReport {
    func tables() -> [ResultTable] {
        [registerTable(), mitigationTable(), levelTable(), levelsTable()] + mappingTable() + [cellTable(), unassessedTable()]
            + (exposures.isEmpty ? [] : [planWideTable(), exposureRiskTable(), exposureElementTable(), exposureBudgetTable(), exposureGoalTable(), exposureSDGTable()])
    }

    private func ratingText(_ value: AttributeValue?) -> TableValue { value.map { .text($0.description) } ?? .empty }

    func levelName(_ entry: RegisterEntry) -> String {
        entry.levelIndex.map { scale.levels[$0].id } ?? "unassessed"
    }

    func registerTable() -> ResultTable {
        ResultTable(
            id: "risk-register", title: "Risk register",
            columns: [
                TableColumn("id", "Risk"), TableColumn("document", "Dataset"), TableColumn("perspective", "Perspective"),
                TableColumn("label_en", "Risk"), TableColumn("label_zh", "风险"),
                TableColumn("likelihood", "Likelihood"), TableColumn("likelihood_printed", "概率"),
                TableColumn("impact", "Impact"), TableColumn("impact_printed", "影响程度"),
                TableColumn("likelihood_position", "L pos."), TableColumn("impact_position", "I pos."),
                TableColumn("level", "Level"), TableColumn("owner", "Owner"), TableColumn("owner_status", "Owner status"),
                TableColumn("mitigations", "Mitigations"), TableColumn("avoid", "Avoid"), TableColumn("limit", "Limit"),
                TableColumn("transfer", "Transfer"), TableColumn("not_typed", "Not typed"),
            ],
            rows: entries.map { entry in
                var positions: [TableValue] = [.empty, .empty]
                if case .placed(let l, let i, _) = entry.placement { positions = [.integer(l), .integer(i)] }
                return [
                    .id(entry.id), .text(entry.node.dataset), entry.perspective.map { .text($0) } ?? .empty,
                    .text(entry.node.label.en), .text(entry.node.label.zh),
                    entry.isPlaced ? ratingText(entry.likelihoodValue) : .text("unassessed"),
                    ratingText(entry.node.attributes["likelihood_printed"]),
                    entry.isPlaced ? ratingText(entry.impactValue) : .text("unassessed"),
                    ratingText(entry.node.attributes["impact_printed"]),
                ] + positions + [
                    .text(levelName(entry)), .text(entry.owner ?? "not named"), entry.ownerStatus.map { .text($0) } ?? .empty,
                    .integer(entry.mitigations.count),
                    .integer(entry.count(.avoid)), .integer(entry.count(.limit)), .integer(entry.count(.transfer)), .integer(entry.count(nil)),
                ]
            },
            caption: "One row per risk. Likelihood and impact as the data records them (the printed words in 概率/影响程度), their positions on the \(scale.sizeName) axes, and the level the table gives that cell; unassessed risks have no position and no level.")
    }

    func mitigationTable() -> ResultTable {
        ResultTable(
            id: "mitigations", title: "Mitigations",
            columns: [TableColumn("risk", "Risk"), TableColumn("mitigation", "Mitigation"), TableColumn("strategy", "Strategy"),
                      TableColumn("strategy_printed", "策略"), TableColumn("label_en", "Measure"), TableColumn("label_zh", "措施"),
                      TableColumn("provenance", "Provenance")],
            rows: entries.flatMap { entry in
                entry.mitigations.map { m in
                    [.id(entry.id), .id(m.node.id), .text(m.strategy?.rawValue ?? m.unknownStrategy.map { "unknown: \($0)" } ?? "not typed"),
                     ratingText(m.node.attributes["strategy_printed"]), .text(m.node.label.en), .text(m.node.label.zh),
                     .text(m.link.provenance.name)]
                }
            },
            caption: "One row per mitigation and the risk it mitigates; strategy as the source types it (avoid 风险规避, limit 风险限制, transfer 风险转移) or 'not typed'.")
    }

    func levelTable() -> ResultTable {
        ResultTable(
            id: "level-table", title: "Level table used (\(scale.origin))",
            columns: [TableColumn("likelihood_position", "L pos."), TableColumn("likelihood", "Likelihood ╲ Impact")]
                + scale.impact.enumerated().map { TableColumn("impact_\($0.offset + 1)", "\($0.offset + 1) \($0.element.en)") },
            rows: stride(from: scale.size, through: 1, by: -1).map { l in
                [.integer(l), .text(scale.likelihood[l - 1].en)] + (1...scale.size).map { i in .text(scale.level(likelihood: l, impact: i).id) }
            },
            caption: "The level of every cell, exactly as the table \(scale.origin) (\(scale.name.en)) gives it: rows are likelihood, highest first; columns impact, lowest first.")
    }

    func levelsTable() -> ResultTable {
        ResultTable(
            id: "levels", title: "Levels",
            columns: [TableColumn("level", "Level"), TableColumn("label_en", "Label"), TableColumn("label_zh", "标签"),
                      TableColumn("colour", "Colour"), TableColumn("cells", "Cells of the table"), TableColumn("risks_placed", "Risks placed")],
            rows: levelsHighestFirst.map { index in
                let level = scale.levels[index]
                return [.text(level.id), .text(level.label.en), .text(level.label.zh), .text(level.colour),
                        .integer(scale.cells.joined().filter { $0 == index }.count),
                        .integer(placed.filter { $0.levelIndex == index }.count)]
            },
            caption: "Each level of the table, highest first, with its colour in the heat maps, how many cells have it and how many risks sit in them.")
    }

    func mappingTable() -> [ResultTable] {
        guard let mapping = scale.threeLevelPositions else { return [] }
        let printed = ["low": "低", "medium": "中", "high": "高"]
        return [ResultTable(
            id: "three-level-mapping", title: "Three-level ratings on the \(scale.sizeName) axes",
            columns: [TableColumn("rating", "Rating"), TableColumn("rating_zh", "等级"), TableColumn("position", "Position"),
                      TableColumn("likelihood_label", "Likelihood axis"), TableColumn("impact_label", "Impact axis")],
            rows: mapping.map { pair in
                [.text(pair.word), .text(printed[pair.word] ?? ""), .integer(pair.position),
                 .text(scale.likelihood[pair.position - 1].en), .text(scale.impact[pair.position - 1].en)]
            },
            caption: "Where the documents' low/medium/high ratings are placed on this table's axes (the table's three_level_positions).")]
    }

    func cellTable() -> ResultTable {
        var rows: [[TableValue]] = []
        for document in documents {
            for l in stride(from: scale.size, through: 1, by: -1) {
                for i in 1...scale.size {
                    let here = entries(of: document).filter { $0.placement == .placed(likelihood: l, impact: i, level: scale.levelRank(likelihood: l, impact: i)) }
                    guard !here.isEmpty else { continue }
                    rows.append([.text(document), .integer(l), .text(scale.likelihood[l - 1].en), .integer(i), .text(scale.impact[i - 1].en),
                                 .text(scale.level(likelihood: l, impact: i).id), .integer(here.count), idList(here.map(\.id))])
                }
            }
        }
        return ResultTable(
            id: "heat-map-cells", title: "Heat map cells",
            columns: [TableColumn("document", "Dataset"), TableColumn("likelihood_position", "L pos."), TableColumn("likelihood", "Likelihood"),
                      TableColumn("impact_position", "I pos."), TableColumn("impact", "Impact"), TableColumn("level", "Level"),
                      TableColumn("risks", "Risks"), TableColumn("risk_ids", "Risk ids")],
            rows: rows,
            caption: "Every cell of the heat maps that holds a risk, per dataset (the diagrams' numbers).")
    }

    func unassessedTable() -> ResultTable {
        ResultTable(
            id: "unassessed-risks", title: "Unassessed risks",
            columns: [TableColumn("id", "Risk"), TableColumn("document", "Dataset"), TableColumn("label_en", "Risk"),
                      TableColumn("label_zh", "风险"), TableColumn("reason", "Why not placed"), TableColumn("mitigations", "Mitigations")],
            rows: unassessed.map { entry in
                let reason: String
                if case .unassessed(let why) = entry.placement { reason = why } else { reason = "" }
                return [.id(entry.id), .text(entry.node.dataset), .text(entry.node.label.en), .text(entry.node.label.zh),
                        .text(reason), .integer(entry.mitigations.count)]
            },
            caption: "Risks not placed in the matrix, and why. Unassessed is not low.")
    }

    // MARK: Exposure

    func exposureRiskTable() -> ResultTable {
        var rows: [[TableValue]] = []
        for exposure in exposures {
            for entry in entries {
                let links = exposure.links.filter { $0.risk == entry.id }
                guard !links.isEmpty else { continue }
                let elements = Set(links.map(\.element)).sorted()
                let amount = elements.reduce(0) { $0 + (exposure.budgets[$1] ?? 0) }
                let targets = Set(exposure.reaches.filter { elements.contains($0.element) }.map(\.sdg))
                    .filter { graph.sdgPosition($0)?.level == .target }
                var basis: [String] = []
                if links.contains(where: { if case .planWide = $0.basis { true } else { false } }) {
                    // Said once per plan in the plan-wide table, not on every row.
                    basis.append("rule \(PlanExposure.planWideRule): see \"\(Self.planWideTitle)\"")
                }
                for edge in Set(links.compactMap { link -> Edge? in if case .link(let edge) = link.basis { edge } else { nil } })
                    .sorted(by: { $0.key < $1.key }) {
                    basis.append("bears-on \(edge.target): " + ProvenanceText.oneLine(edge))
                }
                rows.append([
                    .text(exposure.plan.id), .id(entry.id), .text(entry.node.label.en), .text(entry.node.label.zh), .text(levelName(entry)),
                    .integer(elements.count), exposure.hasBudget ? .integer(amount) : .empty,
                    exposure.hasBudget ? .decimal(percent(amount, of: exposure.budgetSum), places: 1) : .empty,
                    .integer(targets.count),
                    .text(links.allSatisfy(\.isDeclared) ? "declared" : "derived"),
                    .text(Set(links.compactMap(\.rule)).sorted().joined(separator: ", ")), .text(basis.joined(separator: " ")),
                ])
            }
        }
        return ResultTable(
            id: "exposure-risks", title: "What each risk bears on",
            columns: [TableColumn("plan", "Plan"), TableColumn("risk", "Risk"), TableColumn("label_en", "Risk"), TableColumn("label_zh", "风险"),
                      TableColumn("level", "Level"), TableColumn("elements", "Elements"), TableColumn("budget_chf", "Budget (CHF)"),
                      TableColumn("budget_percent", "% of plan"), TableColumn("sdg_targets", "SDG targets (derived)"),
                      TableColumn("provenance", "Provenance"), TableColumn("rule", "Rule"), TableColumn("basis", "Basis")],
            rows: rows,
            caption: "One row per risk and plan: how many of the plan's elements the risk bears on, their budget, the SDG targets reached from them, and the basis: the rule and the risk's own citation, or the bears-on link the data states.")
    }

    static let planWideTitle = "Exposure under the rule risk-bears-on-plan-wide (derived: no document says which element a risk bears on)"

    /// The blanket rule's result, once per plan: which risks it spreads over which elements, and
    /// what that amounts to. Everything in it is derived.
    func planWideTable() -> ResultTable {
        var rows: [[TableValue]] = []
        for exposure in exposures {
            let planWide = exposure.links.filter { if case .planWide = $0.basis { true } else { false } }
            guard !planWide.isEmpty else { continue }
            let risks = Set(planWide.map(\.risk)).sorted()
            let elements = Set(planWide.map(\.element)).sorted()
            let levels = levelsHighestFirst.compactMap { level -> String? in
                let n = risks.filter { id in entries.first { $0.id == id }?.levelIndex == level }.count
                return n == 0 ? nil : "\(scale.levels[level].id) \(n)"
            } + [risks.filter { id in !(entries.first { $0.id == id }?.isPlaced ?? false) }.count].filter { $0 > 0 }.map { "unassessed \($0)" }
            let reaches = exposure.reaches.filter { elements.contains($0.element) }
            let targets = Set(reaches.compactMap(\.target))
            let goals = Set(reaches.compactMap(\.goal))
            let amount = elements.reduce(0) { $0 + (exposure.budgets[$1] ?? 0) }
            let datasets = Set(risks.compactMap { graph.node($0)?.dataset }).sorted()
            rows.append([
                .text(exposure.plan.id), .text(PlanExposure.planWideRule), idList(risks), .text(levels.joined(separator: ", ")),
                .integer(elements.count), .integer(exposure.plan.elements.count),
                exposure.hasBudget ? .integer(amount) : .empty, exposure.hasBudget ? .decimal(percent(amount, of: exposure.budgetSum), places: 1) : .empty,
                .integer(targets.count), .integer(goals.count),
                .text("No bears-on link says which element of \(exposure.plan.id) these risks bear on. Their dataset\(datasets.count == 1 ? "" : "s") \(datasets.joined(separator: ", ")) present\(datasets.count == 1 ? "s" : "") them as risks of the plan as a whole, so the rule reads each as bearing on every element: the same for every risk, saying how much is at stake, not which element is more exposed. SDG targets: reached from those elements (sdg-mapping's reach: own advances-sdg links and those of what an element continues)."),
            ])
        }
        return ResultTable(
            id: "exposure-plan-wide", title: Self.planWideTitle,
            columns: [TableColumn("plan", "Plan"), TableColumn("rule", "Rule"), TableColumn("risks", "Risks"), TableColumn("levels", "Their levels"),
                      TableColumn("elements", "Elements"), TableColumn("plan_elements", "Of the plan's"),
                      TableColumn("budget_chf", "Budget of those elements (CHF)"), TableColumn("budget_percent", "% of plan"),
                      TableColumn("sdg_targets", "SDG targets reached from them"), TableColumn("sdg_goals", "SDG goals"),
                      TableColumn("basis", "Why (once per plan)")],
            rows: rows,
            caption: "One row per plan: what the blanket rule risk-bears-on-plan-wide attributes, said once. No figure here is stated by a document; the headline leaves these out. The tables below break the same exposure down per risk, element, level and SDG.")
    }

    func exposureElementTable() -> ResultTable {
        var rows: [[TableValue]] = []
        for exposure in exposures {
            for element in exposure.plan.elements {
                let links = exposure.links(on: element.id)
                let risks = exposure.risks(on: element.id)
                let level = highestLevel(of: element.id, in: exposure)
                let unassessedCount = risks.filter { id in !(entries.first { $0.id == id }?.isPlaced ?? false) }.count
                let rules = Set(links.compactMap(\.rule)).sorted()
                // Risks a bears-on link names for this element; the plan-wide ones are the same
                // on every row and are listed once, in the plan-wide table.
                let named = Set(links.filter { if case .link = $0.basis { true } else { false } }.map(\.risk)).sorted()
                let planWide = Set(links.filter { if case .planWide = $0.basis { true } else { false } }.map(\.risk)).count
                rows.append([
                    .text(exposure.plan.id), .id(element.id), .text(element.label.en), .text(element.label.zh),
                    idList(graph.outgoing(element.id, relation: .partOf).map(\.target)),
                    exposure.budgets[element.id].map { .integer($0) } ?? .empty,
                    idList(named), .integer(planWide), .integer(risks.count - unassessedCount), .integer(unassessedCount),
                    .text(level.map { scale.levels[$0].id } ?? (risks.isEmpty ? "none" : "unassessed")),
                    .text(links.isEmpty ? "" : (links.allSatisfy(\.isDeclared) ? "declared" : "derived")),
                    .text(rules.joined(separator: ", ")),
                ])
            }
        }
        return ResultTable(
            id: "exposure-elements", title: "Exposure of plan elements",
            columns: [TableColumn("plan", "Plan"), TableColumn("element", "Element"), TableColumn("label_en", "Label"), TableColumn("label_zh", "标签"),
                      TableColumn("part_of", "Part of"), TableColumn("budget_chf", "Budget (CHF)"), TableColumn("risks", "Risks a bears-on link names"),
                      TableColumn("plan_wide_risks", "Plan-wide risks (rule)"),
                      TableColumn("assessed_risks", "Assessed"), TableColumn("unassessed_risks", "Unassessed"),
                      TableColumn("highest_level", "Highest level"), TableColumn("provenance", "Provenance"), TableColumn("rule", "Rule")],
            rows: rows,
            caption: "One row per element of each plan: the risks a bears-on link names for it, how many plan-wide risks the rule adds (listed once in the plan-wide table), the highest level among them all, its budget. 'derived' rows come from a rule, not from a source.")
    }

    func exposureBudgetTable() -> ResultTable {
        var rows: [[TableValue]] = []
        for exposure in exposures {
            // Provenance of the links behind a row's elements ("" when no element is exposed).
            func provenance(_ elements: [NodeID]) -> TableValue {
                let links = exposure.links.filter { elements.contains($0.element) }
                return .text(links.isEmpty ? "" : (links.allSatisfy(\.isDeclared) ? "declared" : "derived"))
            }
            func money(_ ids: [NodeID]) -> TableValue {
                exposure.hasBudget ? .integer(ids.reduce(0) { $0 + (exposure.budgets[$1] ?? 0) }) : .empty
            }
            func share(_ ids: [NodeID]) -> TableValue {
                exposure.hasBudget
                    ? .decimal(percent(ids.reduce(0) { $0 + (exposure.budgets[$1] ?? 0) }, of: exposure.budgetSum), places: 1) : .empty
            }
            for level in levelsHighestFirst {
                let risks = placed.filter { $0.levelIndex == level }.map(\.id).filter { risk in exposure.links.contains { $0.risk == risk } }
                let elements = exposure.exposedElements.filter { element in exposure.risks(on: element).contains(where: risks.contains) }
                let highest = exposure.exposedElements.filter { highestLevel(of: $0, in: exposure) == level }
                rows.append([.text(exposure.plan.id), .text(scale.levels[level].id), idList(risks), .integer(elements.count),
                             money(elements), share(elements), .integer(highest.count), money(highest), share(highest), provenance(elements)])
            }
            let unassessedRisks = unassessed.map(\.id).filter { risk in exposure.links.contains { $0.risk == risk } }
            let touched = exposure.exposedElements.filter { element in exposure.risks(on: element).contains(where: unassessedRisks.contains) }
            let onlyUnassessed = exposure.exposedElements.filter { highestLevel(of: $0, in: exposure) == nil }
            rows.append([.text(exposure.plan.id), .text("unassessed"), idList(unassessedRisks), .integer(touched.count),
                         money(touched), share(touched), .integer(onlyUnassessed.count), money(onlyUnassessed), share(onlyUnassessed), provenance(touched)])
            let untouched = exposure.plan.elements.map(\.id).filter { exposure.risks(on: $0).isEmpty }
            rows.append([.text(exposure.plan.id), .text("none"), .empty, .integer(untouched.count), money(untouched), share(untouched),
                         .integer(untouched.count), money(untouched), share(untouched), .text("")])
        }
        return ResultTable(
            id: "exposure-budget", title: "Budget by risk level",
            columns: [TableColumn("plan", "Plan"), TableColumn("level", "Level"), TableColumn("risks", "Risks at this level"),
                      TableColumn("elements", "Elements exposed"), TableColumn("budget_exposed_chf", "Budget exposed (CHF)"),
                      TableColumn("budget_exposed_percent", "% of plan"), TableColumn("elements_at_highest", "Elements at this highest level"),
                      TableColumn("budget_at_highest_chf", "Budget at this highest level (CHF)"), TableColumn("budget_at_highest_percent", "% of plan"),
                      TableColumn("provenance", "Provenance")],
            rows: rows,
            caption: "Per plan and level: the elements (and budget) at least one risk of that level bears on (these overlap between levels and do not add up), and the elements (and budget) whose highest level it is (these add up to the plan). 'unassessed' counts elements only unassessed risks bear on; 'none' elements no risk bears on. Budget cells are empty for plans without budgets in the data.")
    }

    /// The SDG nodes the exposed elements reach, per plan: sdg id → reaches.
    private func reachesBySDG(_ exposure: PlanExposure) -> [(NodeID, [SDGReach])] {
        Dictionary(grouping: exposure.reaches, by: \.sdg).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    private func risks(of reaches: [SDGReach], in exposure: PlanExposure) -> [NodeID] {
        Set(reaches.flatMap { exposure.risks(on: $0.element) }).sorted()
    }

    private func rules(of reaches: [SDGReach], in exposure: PlanExposure) -> String {
        let exposureRules = reaches.flatMap { reach in exposure.links(on: reach.element).compactMap(\.rule) }
        return Set(exposureRules + reaches.flatMap(\.derivedRules)).sorted().joined(separator: ", ")
    }

    func exposureGoalTable() -> ResultTable {
        var rows: [[TableValue]] = []
        for exposure in exposures {
            let bySDG = reachesBySDG(exposure)
            let goals = Set(bySDG.compactMap { graph.sdgPosition($0.0)?.goal }).sorted()
            for goal in goals {
                let under = bySDG.filter { graph.sdgPosition($0.0)?.goal == goal }
                let reaches = under.flatMap(\.1)
                func count(_ level: SDGPosition.Level) -> Int { under.filter { graph.sdgPosition($0.0)?.level == level }.count }
                rows.append([.text(exposure.plan.id), .id(goal), .text(label(goal).en), .text(label(goal).zh),
                             .integer(count(.goal)), .integer(count(.target)), .integer(count(.indicator)),
                             .integer(Set(reaches.map(\.element)).count), idList(risks(of: reaches, in: exposure)),
                             .text("derived"), .text(rules(of: reaches, in: exposure))])
            }
            let scopes = bySDG.filter { graph.sdgPosition($0.0)?.level == .all }
            for (scope, reaches) in scopes {
                rows.append([.text(exposure.plan.id), .id(scope), .text(label(scope).en + " (scope, not expanded)"), .text(label(scope).zh),
                             .integer(1), .integer(0), .integer(0), .integer(Set(reaches.map(\.element)).count),
                             idList(risks(of: reaches, in: exposure)), .text("derived"), .text(rules(of: reaches, in: exposure))])
            }
        }
        return ResultTable(
            id: "exposure-sdg-goals", title: "SDG goals the risks bear on (derived)",
            columns: [TableColumn("plan", "Plan"), TableColumn("goal", "Goal"), TableColumn("label_en", "Label"), TableColumn("label_zh", "标签"),
                      TableColumn("goal_links", "Goal itself"), TableColumn("targets", "Targets"), TableColumn("indicators", "Indicators"),
                      TableColumn("elements_via", "Via elements"), TableColumn("risks", "Risks"), TableColumn("provenance", "Provenance"),
                      TableColumn("rules", "Rules")],
            rows: rows,
            caption: "Per plan and SDG goal: how many goal, target and indicator nodes the exposed elements reach, and through how many elements. Every row is derived (a risk is never stated to bear on an SDG).")
    }

    func exposureSDGTable() -> ResultTable {
        var rows: [[TableValue]] = []
        for exposure in exposures {
            for (sdg, reaches) in reachesBySDG(exposure) {
                guard let position = graph.sdgPosition(sdg), position.level != .indicator else { continue }
                rows.append([
                    .text(exposure.plan.id), .id(sdg), .text(position.level.rawValue), position.goal.map { .id($0) } ?? .empty,
                    .text(label(sdg).en), .text(label(sdg).zh), idList(Set(reaches.map(\.element)).sorted()),
                    .text(Set(reaches.map(\.routeText)).sorted().joined(separator: "; ")),
                    idList(risks(of: reaches, in: exposure)), .text("derived"), .text(rules(of: reaches, in: exposure)),
                ])
            }
        }
        return ResultTable(
            id: "exposure-sdg", title: "SDG goals and targets the risks bear on (derived)",
            columns: [TableColumn("plan", "Plan"), TableColumn("sdg", "SDG"), TableColumn("level", "Level"), TableColumn("goal", "Goal"),
                      TableColumn("label_en", "Label"), TableColumn("label_zh", "标签"), TableColumn("elements_via", "Via elements"),
                      TableColumn("route", "Route from the element"), TableColumn("risks", "Risks"), TableColumn("provenance", "Provenance"),
                      TableColumn("rules", "Rules")],
            rows: rows,
            caption: "One row per SDG goal, target or scope node reached from an exposed element (indicators are counted in the goal table). The route says which steps the data declares and which it derives; the risk-to-SDG link itself is always derived.")
    }
}
