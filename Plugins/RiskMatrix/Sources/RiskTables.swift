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
            id: "risk-register", title: strings("table.risk-register"),
            columns: [
                column("id", "column.risk"), column("document", "column.dataset"), column("perspective", "column.perspective"),
                column("label_en", "column.risk-en"), column("label_zh", "column.risk-chinese"),
                column("likelihood", "column.likelihood"), column("likelihood_printed", "column.likelihood-as-printed"),
                column("impact", "column.impact"), column("impact_printed", "column.impact-as-printed"),
                column("likelihood_position", "column.l-pos"), column("impact_position", "column.i-pos"),
                column("level", "column.level"), column("owner", "column.owner"), column("owner_status", "column.owner-status"),
                column("mitigations", "column.mitigations"), column("avoid", "column.avoid"), column("limit", "column.limit"),
                column("transfer", "column.transfer"), column("not_typed", "column.not-typed"),
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
            caption: strings("table.risk-register.caption", ["scale": scale.sizeName]))
    }

    func mitigationTable() -> ResultTable {
        ResultTable(
            id: "mitigations", title: strings("table.mitigations"),
            columns: [column("risk", "column.risk"), column("mitigation", "column.mitigation"), column("strategy", "column.strategy"),
                      column("strategy_printed", "column.strategy-as-printed"), column("label_en", "column.measure"), column("label_zh", "column.measure-chinese"),
                      column("provenance", "column.provenance")],
            rows: entries.flatMap { entry in
                entry.mitigations.map { m in
                    [.id(entry.id), .id(m.node.id), .text(m.strategy?.rawValue ?? m.unknownStrategy.map { "unknown: \($0)" } ?? "not typed"),
                     ratingText(m.node.attributes["strategy_printed"]), .text(m.node.label.en), .text(m.node.label.zh),
                     .text(m.link.provenance.name)]
                }
            },
            caption: strings("table.mitigations.caption"))
    }

    func levelTable() -> ResultTable {
        ResultTable(
            id: "level-table", title: strings("table.level-table", ["table": scale.originText]),
            columns: [column("likelihood_position", "column.l-pos"), column("likelihood", "column.likelihood-impact")]
                + scale.impact.enumerated().map { TableColumn("impact_\($0.offset + 1)", strings("column.impact-position", ["position": $0.offset + 1, "label": $0.element])) },
            rows: stride(from: scale.size, through: 1, by: -1).map { l in
                [.integer(l), .text(scale.likelihood[l - 1].en)] + (1...scale.size).map { i in .text(scale.level(likelihood: l, impact: i).id) }
            },
            caption: strings("table.level-table.caption", ["table": scale.originText, "name": scale.name]))
    }

    func levelsTable() -> ResultTable {
        ResultTable(
            id: "levels", title: strings("table.levels"),
            columns: [column("level", "column.level"), column("label_en", "column.label"), column("label_zh", "column.label-chinese"),
                      column("colour", "column.colour"), column("cells", "column.cells-of-the-table"), column("risks_placed", "column.risks-placed")],
            rows: levelsHighestFirst.map { index in
                let level = scale.levels[index]
                return [.text(level.id), .text(level.label.en), .text(level.label.zh), .text(level.colour),
                        .integer(scale.cells.joined().filter { $0 == index }.count),
                        .integer(placed.filter { $0.levelIndex == index }.count)]
            },
            caption: strings("table.levels.caption"))
    }

    func mappingTable() -> [ResultTable] {
        guard let mapping = scale.threeLevelPositions else { return [] }
        let printed = ["low": "低", "medium": "中", "high": "高"]
        return [ResultTable(
            id: "three-level-mapping", title: strings("table.three-level-mapping", ["scale": scale.sizeName]),
            columns: [column("rating", "column.rating"), column("rating_zh", "column.rating-chinese"), column("position", "column.position"),
                      column("likelihood_label", "column.likelihood-axis"), column("impact_label", "column.impact-axis")],
            rows: mapping.map { pair in
                [.text(pair.word), .text(printed[pair.word] ?? ""), .integer(pair.position),
                 .text(scale.likelihood[pair.position - 1].en), .text(scale.impact[pair.position - 1].en)]
            },
            caption: strings("table.three-level-mapping.caption"))]
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
            id: "heat-map-cells", title: strings("table.heat-map-cells"),
            columns: [column("document", "column.dataset"), column("likelihood_position", "column.l-pos"), column("likelihood", "column.likelihood"),
                      column("impact_position", "column.i-pos"), column("impact", "column.impact"), column("level", "column.level"),
                      column("risks", "column.risks"), column("risk_ids", "column.risk-ids")],
            rows: rows,
            caption: strings("table.heat-map-cells.caption"))
    }

    func unassessedTable() -> ResultTable {
        ResultTable(
            id: "unassessed-risks", title: strings("table.unassessed-risks"),
            columns: [column("id", "column.risk"), column("document", "column.dataset"), column("label_en", "column.risk-en"),
                      column("label_zh", "column.risk-chinese"), column("reason", "column.why-not-placed"), column("mitigations", "column.mitigations")],
            rows: unassessed.map { entry in
                let reason: String
                if case .unassessed(let why) = entry.placement { reason = why.en } else { reason = "" }
                return [.id(entry.id), .text(entry.node.dataset), .text(entry.node.label.en), .text(entry.node.label.zh),
                        .text(reason), .integer(entry.mitigations.count)]
            },
            caption: strings("table.unassessed-risks.caption"))
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
                    basis.append("rule \(PlanExposure.planWideRule): see \"\(Self.planWideTitle.en)\"")
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
            id: "exposure-risks", title: strings("table.exposure-risks"),
            columns: [column("plan", "column.plan"), column("risk", "column.risk"), column("label_en", "column.risk-en"), column("label_zh", "column.risk-chinese"),
                      column("level", "column.level"), column("elements", "column.elements"), column("budget_chf", "column.budget-chf"),
                      column("budget_percent", "column.of-plan"), column("sdg_targets", "column.sdg-targets-derived"),
                      column("provenance", "column.provenance"), column("rule", "column.rule"), column("basis", "column.basis")],
            rows: rows,
            caption: strings("table.exposure-risks.caption"))
    }

    static let planWideTitle = strings("table.exposure-plan-wide")

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
            columns: [column("plan", "column.plan"), column("rule", "column.rule"), column("risks", "column.risks"), column("levels", "column.their-levels"),
                      column("elements", "column.elements"), column("plan_elements", "column.of-the-plan-s"),
                      column("budget_chf", "column.budget-of-those-elements-chf"), column("budget_percent", "column.of-plan"),
                      column("sdg_targets", "column.sdg-targets-reached-from-them"), column("sdg_goals", "column.sdg-goals"),
                      column("basis", "column.why-once-per-plan")],
            rows: rows,
            caption: strings("table.exposure-plan-wide.caption"))
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
            id: "exposure-elements", title: strings("table.exposure-elements"),
            columns: [column("plan", "column.plan"), column("element", "column.element"), column("label_en", "column.label"), column("label_zh", "column.label-chinese"),
                      column("part_of", "column.part-of"), column("budget_chf", "column.budget-chf"), column("risks", "column.risks-a-bears-on-link-names"),
                      column("plan_wide_risks", "column.plan-wide-risks-rule"),
                      column("assessed_risks", "column.assessed"), column("unassessed_risks", "column.unassessed"),
                      column("highest_level", "column.highest-level"), column("provenance", "column.provenance"), column("rule", "column.rule")],
            rows: rows,
            caption: strings("table.exposure-elements.caption"))
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
            id: "exposure-budget", title: strings("table.exposure-budget"),
            columns: [column("plan", "column.plan"), column("level", "column.level"), column("risks", "column.risks-at-this-level"),
                      column("elements", "column.elements-exposed"), column("budget_exposed_chf", "column.budget-exposed-chf"),
                      column("budget_exposed_percent", "column.of-plan"), column("elements_at_highest", "column.elements-at-this-highest-level"),
                      column("budget_at_highest_chf", "column.budget-at-this-highest-level-chf"), column("budget_at_highest_percent", "column.of-plan"),
                      column("provenance", "column.provenance")],
            rows: rows,
            caption: strings("table.exposure-budget.caption"))
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
            id: "exposure-sdg-goals", title: strings("table.exposure-sdg-goals"),
            columns: [column("plan", "column.plan"), column("goal", "column.goal"), column("label_en", "column.label"), column("label_zh", "column.label-chinese"),
                      column("goal_links", "column.goal-itself"), column("targets", "column.targets"), column("indicators", "column.indicators"),
                      column("elements_via", "column.via-elements"), column("risks", "column.risks"), column("provenance", "column.provenance"),
                      column("rules", "column.rules")],
            rows: rows,
            caption: strings("table.exposure-sdg-goals.caption"))
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
            id: "exposure-sdg", title: strings("table.exposure-sdg"),
            columns: [column("plan", "column.plan"), column("sdg", "column.sdg"), column("level", "column.level"), column("goal", "column.goal"),
                      column("label_en", "column.label"), column("label_zh", "column.label-chinese"), column("elements_via", "column.via-elements"),
                      column("route", "column.route-from-the-element"), column("risks", "column.risks"), column("provenance", "column.provenance"),
                      column("rules", "column.rules")],
            rows: rows,
            caption: strings("table.exposure-sdg.caption"))
    }
}
