import LinkageKit

/// Turns the register and the exposures into what the host writes: headline figures, findings,
/// tables, diagrams and notes. Everything is computed from the graph and the level table.
struct RiskReport {
    let graph: LinkageGraph
    let scale: RiskScale
    let attribution: Attribution
    let entries: [RegisterEntry]
    let exposures: [PlanExposure]
    let plansWithoutRisks: [ResolvedPlan]
    let notes: RegisterNotes

    /// Datasets holding the risks, in name order: one heat map each.
    var documents: [String] { Set(entries.map(\.node.dataset)).sorted() }
    func entries(of document: String) -> [RegisterEntry] { entries.filter { $0.node.dataset == document } }
    var placed: [RegisterEntry] { entries.filter(\.isPlaced) }
    var unassessed: [RegisterEntry] { entries.filter { !$0.isPlaced } }
    var mitigations: [Mitigation] { entries.flatMap(\.mitigations) }
    /// Level indexes, highest first.
    var levelsHighestFirst: [Int] { Array(scale.levels.indices.reversed()) }

    func documentTitle(_ name: String) -> LocalizedText {
        graph.dataset(name)?.title ?? LocalizedText(zh: name, en: name)
    }

    func result() -> AnalysisResult {
        AnalysisResult(headline: headline(), findings: findings(), tables: tables(), views: views(), methodNotes: methodNotes())
    }

    // MARK: Headline

    func headline() -> [HeadlineFigure] {
        var figures = [
            HeadlineFigure("Risks in the register", entries.count,
                           note: documents.map { "\($0): \(entries(of: $0).count)" }.joined(separator: "; ")),
            HeadlineFigure("Assessed and placed in the matrix", placed.count, note: "levels from the \(scale.origin) table"),
            HeadlineFigure("Unassessed: not placed, not counted as low", unassessed.count),
        ]
        for level in levelsHighestFirst {
            figures.append(HeadlineFigure("Placed at level \(scale.levels[level].label.en)", placed.filter { $0.levelIndex == level }.count))
        }
        let typed = MitigationStrategy.allCases.map { s in "\(s.rawValue) \(mitigations.filter { $0.strategy == s }.count)" }
        figures += [
            HeadlineFigure("Mitigations", mitigations.count,
                           note: "typed: " + typed.joined(separator: ", ") + "; not typed: \(mitigations.filter { $0.strategy == nil }.count)"),
            HeadlineFigure("Risks without a named owner", entries.filter { $0.owner == nil }.count),
            HeadlineFigure("Risks without mitigations", entries.filter { $0.mitigations.isEmpty }.count),
        ]
        // Exposure enters the headline only where the data states which element a risk bears
        // on. Exposure by the blanket rule risk-bears-on-plan-wide (every risk on every element)
        // is in its own table, "Exposure under the rule …", once per plan.
        for exposure in exposures where exposure.hasBudget && !exposure.links.isEmpty && exposure.links.allSatisfy(\.isDeclared) {
            guard let top = levelsHighestFirst.first(where: { level in
                exposure.exposedElements.contains { highestLevel(of: $0, in: exposure) == level }
            }) else { continue }
            let amount = budget(in: exposure, highestLevel: top)
            figures.append(HeadlineFigure(
                "Budget of \(exposure.plan.id) whose highest risk level is \(scale.levels[top].label.en)",
                "\(thousands(amount)) CHF of \(thousands(exposure.budgetSum)) (\(formatDecimal(percent(amount, of: exposure.budgetSum), places: 1))%)",
                note: provenanceNote(exposure)))
        }
        return figures
    }

    func provenanceNote(_ exposure: PlanExposure) -> String {
        exposure.links.allSatisfy(\.isDeclared)
            ? "from declared bears-on links"
            : "derived: " + Set(exposure.links.compactMap(\.rule)).sorted().joined(separator: ", ")
    }

    // MARK: Findings

    func findings() -> [Finding] {
        var out: [Finding] = []
        for plan in plansWithoutRisks {
            out.append(Finding(.warning, code: "no-risks",
                               "Plan \(plan.id) has no risks: its dataset \(plan.spec.declaredBy) states none and no bears-on link reaches its elements. Risks are attributed to the plans their own dataset declares (\(Set(graph.nodes(withRole: .risk).map(\.dataset)).sorted().joined(separator: ", ")) hold risks); run with plan=all to see them."))
        }
        for document in documents {
            let docEntries = entries(of: document)
            let notPlaced = docEntries.filter { !$0.isPlaced }
            if !notPlaced.isEmpty {
                let reasons = Set(notPlaced.compactMap { entry -> String? in
                    if case .unassessed(let reason) = entry.placement { reason } else { nil }
                }).sorted()
                out.append(Finding(.warning, code: "unassessed-risk",
                                   "\(notPlaced.count) of \(docEntries.count) risks of \(document) are unassessed (\(reasons.joined(separator: "; "))): they are listed and counted separately, not placed in the matrix, and never read as low.",
                                   ids: notPlaced.map(\.id)))
            }
            let placedHere = docEntries.filter(\.isPlaced)
            if let topLevel = placedHere.compactMap(\.levelIndex).max() {
                let atTop = placedHere.filter { $0.levelIndex == topLevel }
                let isTableTop = topLevel == scale.levels.count - 1
                out.append(Finding(isTableTop ? .warning : .info, code: isTableTop ? "top-level-risk" : "highest-level-risk",
                                   "\(atTop.count) of \(placedHere.count) assessed risks of \(document) are at level \(scale.levels[topLevel].label.en)\(isTableTop ? ", the top level of the table" : ", the highest level reached"): "
                                    + atTop.map { "\($0.id) (likelihood \($0.likelihoodValue!), impact \($0.impactValue!))" }.joined(separator: "; ") + ".",
                                   ids: atTop.map(\.id)))
            }
            // Owners: one finding per thing the sources say about the missing owner.
            let withoutOwner = docEntries.filter { $0.owner == nil }
            for status in Set(withoutOwner.map { $0.ownerStatus ?? "" }).sorted() {
                let group = withoutOwner.filter { ($0.ownerStatus ?? "") == status }
                out.append(Finding(.warning, code: "no-owner",
                                   "\(group.count) risk\(group.count == 1 ? "" : "s") of \(document) \(group.count == 1 ? "has" : "have") no named owner" + (status.isEmpty ? "; the data says nothing about an owner." : ". The data says: \(status)"),
                                   ids: group.map(\.id)))
            }
            let untyped = docEntries.flatMap(\.mitigations).filter { $0.strategy == nil && $0.unknownStrategy == nil }
            if !untyped.isEmpty {
                out.append(Finding(.info, code: "untyped-mitigations",
                                   "\(untyped.count) mitigation\(untyped.count == 1 ? "" : "s") of \(document) \(untyped.count == 1 ? "is" : "are") not typed avoid/limit/transfer: the source does not type \(untyped.count == 1 ? "it" : "them"), and this analysis does not guess.",
                                   ids: untyped.map(\.node.id)))
            }
        }
        for entry in entries where entry.mitigations.isEmpty {
            out.append(Finding(.warning, code: "no-mitigation", "\(entry.id) has no mitigation linked to it (mitigates).", ids: [entry.id]))
        }
        for (id, message) in notes.conflicts {
            out.append(Finding(.warning, code: "assessment-conflict", "\(id) is \(message).", ids: [id]))
        }
        for (id, message) in notes.unreadable {
            out.append(Finding(.warning, code: "unreadable-assessment",
                               "\(id): \(message) is neither low/medium/high nor a position 1…\(scale.size); the risk is listed as unassessed.", ids: [id]))
        }
        for (id, written) in notes.unknownStrategies {
            out.append(Finding(.warning, code: "unknown-strategy", "\(id) has strategy '\(written)', which is none of avoid, limit, transfer; counted as not typed.", ids: [id]))
        }
        let mapped = entries.filter(\.mappedFromThreeLevels)
        if !mapped.isEmpty, let mapping = scale.threeLevelPositions {
            out.append(Finding(.warning, code: "three-level-mapping",
                               "\(mapped.count) risk\(mapped.count == 1 ? " is" : "s are") rated on three levels and shown on the \(scale.sizeName) table through its explicit mapping "
                                + mapping.map { "\($0.word) → \($0.position)" }.joined(separator: ", ")
                                + ": the positions are a convention of the table, not finer ratings; positions the mapping does not use stay empty for these risks.",
                               ids: mapped.map(\.id)))
        }
        if !scale.isMonotone {
            out.append(Finding(.warning, code: "table-not-monotone",
                               "In the level table \(scale.origin), some cell has a lower level than a cell with lower likelihood or lower impact; check that this is intended."))
        }
        for exposure in exposures {
            let plan = exposure.plan
            let planWide = exposure.links.filter { if case .planWide = $0.basis { true } else { false } }
            if !planWide.isEmpty {
                let risks = Set(planWide.map(\.risk)).sorted()
                out.append(Finding(.info, code: "derived-exposure",
                                   "No bears-on link says which element of plan \(plan.id) \(risks.count == 1 ? "this risk bears" : "these \(risks.count) risks bear") on; by rule \(PlanExposure.planWideRule) each is read as bearing on all \(plan.elements.count) elements. Every exposure row of \(plan.id) is derived, and is the same for every risk: it shows how much is at stake, not which element is more at risk.",
                                   ids: risks))
            }
            if attribution == .declared {
                let own = entries.filter { $0.node.dataset == plan.spec.declaredBy && graph.outgoing($0.id, relation: "bears-on").isEmpty }
                if !own.isEmpty {
                    out.append(Finding(.info, code: "no-exposure",
                                       "attribution=declared: \(own.count) risk\(own.count == 1 ? "" : "s") of \(plan.spec.declaredBy) \(own.count == 1 ? "has" : "have") no bears-on link, so no exposure of plan \(plan.id) is reported for \(own.count == 1 ? "it" : "them").",
                                       ids: own.map(\.id)))
                }
            }
            for total in exposure.statedTotals {
                guard let stated = total.attributes["budget_chf"]?.numericValue.map({ Int($0) }), exposure.hasBudget else { continue }
                let agrees = stated == exposure.budgetSum
                out.append(Finding(agrees ? .info : .warning, code: "budget-check",
                                   "The budgets of plan \(plan.id)'s \(exposure.budgets.count) elements add up to \(thousands(exposure.budgetSum)) CHF; \(total.id) states \(thousands(stated)) CHF: \(agrees ? "they agree" : "they differ by \(thousands(abs(stated - exposure.budgetSum))) CHF").",
                                   ids: [total.id]))
            }
            if exposure.hasBudget, exposure.budgets.count < plan.elements.count {
                let missing = plan.elements.map(\.id).filter { exposure.budgets[$0] == nil }
                out.append(Finding(.info, code: "element-without-budget",
                                   "\(missing.count) element\(missing.count == 1 ? "" : "s") of plan \(plan.id) \(missing.count == 1 ? "has" : "have") no budget in the data; \(missing.count == 1 ? "it counts" : "they count") in the exposure but add nothing to its budget.",
                                   ids: missing))
            }
            if !exposure.sharedBudgetLines.isEmpty {
                out.append(Finding(.info, code: "shared-budget-line",
                                   "\(exposure.sharedBudgetLines.count) budget line\(exposure.sharedBudgetLines.count == 1 ? " funds" : "s fund") several elements of plan \(plan.id) at once; the amount cannot be split and is not counted per element.",
                                   ids: exposure.sharedBudgetLines))
            }
        }
        // Data-quality notes the curators recorded on these risks and mitigations.
        let ids = Set(entries.map(\.id) + mitigations.map(\.node.id))
        for note in graph.qualityNotes where note.ids.contains(where: ids.contains) {
            out.append(Finding(.info, code: "data-quality",
                               "\(note.citation.reference): \(note.finding)" + (note.reading.map { " Read as: \($0)" } ?? ""),
                               ids: note.ids.filter(ids.contains).sorted()))
        }
        return out.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity < b.element.severity : a.offset < b.offset
        }.map(\.element)
    }

    // MARK: Exposure arithmetic

    /// The highest level of the assessed risks bearing on an element (nil: none assessed).
    func highestLevel(of element: NodeID, in exposure: PlanExposure) -> Int? {
        exposure.risks(on: element).compactMap { id in entries.first { $0.id == id }?.levelIndex }.max()
    }

    func budget(in exposure: PlanExposure, highestLevel level: Int) -> Int {
        exposure.exposedElements.filter { highestLevel(of: $0, in: exposure) == level }.reduce(0) { $0 + (exposure.budgets[$1] ?? 0) }
    }

    func percent(_ part: Int, of whole: Int) -> Double { whole == 0 ? 0 : Double(part) * 100 / Double(whole) }

    func thousands(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    func label(_ id: NodeID) -> LocalizedText { graph.node(id)?.label ?? LocalizedText(zh: id.rawValue, en: id.rawValue) }

    func idList(_ ids: [NodeID]) -> TableValue { ids.isEmpty ? .empty : .text(ids.map(\.rawValue).joined(separator: ", ")) }

    // MARK: Method notes

    func methodNotes() -> [LocalizedText] {
        var notes: [LocalizedText] = [
            "Level: looked up in the explicit table \(scale.origin) (\(scale.name.en)), printed in the table 'Level table used'; it is not a product of likelihood and impact and not a figure of the documents, which print likelihood and impact only. Replace it with levels=FILE: the built-in tables are shipped as Plugins/RiskMatrix/levels/risk-levels-3x3.yaml and risk-levels-5x5.yaml to copy and edit.",
            "Unassessed risks (the data gives no likelihood or impact, or marks them unassessed) are never placed in a cell and never counted as low: they are listed in 'Unassessed risks', counted in their own headline figure and named under each heat map.",
            "Three-level ratings (low/medium/high, the documents' words) are placed through the table's three_level_positions. The built-in 5×5 table puts them on 2, 3, 4: a printed 高 is 'high', not 'very high', and no rating is stretched to the ends of a scale the document did not use. A level file without three_level_positions makes the run stop with a message rather than guess.",
            "Mitigation strategy types (avoid, limit, transfer) are those the source prints; mitigations the source does not type are 'not typed', never assigned a type here.",
        ]
        let bearsOnLinks = graph.edges(relation: "bears-on").count
        let stated = bearsOnLinks == 0
            ? "no dataset has a bears-on link, so no source says which element a risk bears on"
            : "the data has \(bearsOnLinks) bears-on link\(bearsOnLinks == 1 ? "" : "s"); they are used for their risks"
        if attribution == .planWide {
            notes.append("Exposure (which elements, budgets and SDG targets a risk bears on): \(stated). Rule \(PlanExposure.planWideRule): a risk with no bears-on link bears on every element of the plans its own dataset declares, because its source presents it as a risk of the document as a whole and names no element (each risk's citation is in the basis column of 'What each risk bears on'). Every such row is derived, and every risk of a plan gets the same elements: the exposure says how much is at stake, not which element is more exposed.")
            if entries.contains(where: { $0.perspective != nil }) {
                notes.append("A finer attribution by perspective (financial → budget lines, human resources → a human-resources enabler, environment → an environment theme) was considered and not made: a perspective says where a risk comes from, not what it threatens; a lack of funds or of experts threatens every activity, and a matching name is not a statement by the source (OP-23's 环境 risk is about unforeseeable local events, the operating environment).")
            }
        } else {
            notes.append("attribution=declared: only bears-on links of the data are used; risks without them show no exposure.")
        }
        notes += [
            "Budget exposed at a level: the budget of the elements that at least one assessed risk of that level bears on. An element usually counts at several levels, so these amounts do not add up; the 'highest level' column counts each element once, at the highest level bearing on it, and adds up to the exposed budget. Budgets are the elements' own budget_chf (else budget lines that fund that element alone); lines funding several elements are not split.",
            "SDG targets a risk bears on: from each exposed element along its own advances-sdg links and along continues then advances-sdg (an OP-23 theme continues a BAAP output, whose SDG links the BAAP states). The route of each row says which steps are declared and which derived; every risk-to-SDG row is derived. Scope nodes (SDG-ALL) are listed as such and not expanded. Indicators are counted per goal, not listed.",
        ]
        // A risk period and a budget year that differ are worth saying.
        for exposure in exposures where exposure.hasBudget {
            let periods = Set(exposure.links.compactMap { link in graph.node(link.risk)?.attributes["period"]?.description }).sorted()
            let years = Set(exposure.plan.elements.compactMap { $0.attributes["year"]?.description }).sorted()
            if !periods.isEmpty, !years.isEmpty, periods != years {
                notes.append("Plan \(exposure.plan.id): the risks are stated for \(periods.joined(separator: ", ")), the budgets are for \(years.joined(separator: ", ")); the budget exposure sets one period's budget against risks of another.")
            }
        }
        return notes
    }
}
