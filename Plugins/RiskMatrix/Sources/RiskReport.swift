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
            HeadlineFigure(strings("headline.risks"), entries.count,
                           note: .same(documents.map { "\($0): \(entries(of: $0).count)" }.joined(separator: "; "))),
            HeadlineFigure(strings("headline.placed"), placed.count, note: strings("headline.placed.note", ["table": scale.originText])),
            HeadlineFigure(strings("headline.unassessed"), unassessed.count),
        ]
        for level in levelsHighestFirst {
            figures.append(HeadlineFigure(strings("headline.at-level", ["level": scale.levels[level].label]), placed.filter { $0.levelIndex == level }.count))
        }
        let typed = CatalogueList(MitigationStrategy.allCases.map { s in
            // The English keeps the data's word (avoid), the Chinese the documents' (规避).
            strings("headline.mitigations.typed", ["strategy": LocalizedText(zh: s.label.zh, en: s.rawValue),
                                                   "count": mitigations.filter { $0.strategy == s }.count])
        })
        figures += [
            HeadlineFigure(strings("headline.mitigations"), mitigations.count,
                           note: strings("headline.mitigations.note", ["typed": typed, "untyped": mitigations.filter { $0.strategy == nil }.count])),
            HeadlineFigure(strings("headline.no-owner"), entries.filter { $0.owner == nil }.count),
            HeadlineFigure(strings("headline.no-mitigation"), entries.filter { $0.mitigations.isEmpty }.count),
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
                strings("headline.budget-at-top", ["plan": exposure.plan.id, "level": scale.levels[top].label]),
                "\(thousands(amount)) / \(thousands(exposure.budgetSum)) CHF (\(formatDecimal(percent(amount, of: exposure.budgetSum), places: 1))%)",
                note: provenanceNote(exposure)))
        }
        return figures
    }

    func provenanceNote(_ exposure: PlanExposure) -> LocalizedText {
        exposure.links.allSatisfy(\.isDeclared)
            ? strings("headline.provenance.declared")
            : strings("headline.provenance.derived", ["rules": CatalogueList(Set(exposure.links.compactMap(\.rule)).sorted())])
    }

    // MARK: Findings

    func findings() -> [Finding] {
        var out: [Finding] = []
        for plan in plansWithoutRisks {
            out.append(Finding(.warning, code: "no-risks",
                               strings("finding.no-risks", ["plan": plan.id, "dataset": plan.spec.declaredBy,
                                                            "datasets": CatalogueList(Set(graph.nodes(withRole: .risk).map(\.dataset)).sorted())])))
        }
        for document in documents {
            let docEntries = entries(of: document)
            let notPlaced = docEntries.filter { !$0.isPlaced }
            if !notPlaced.isEmpty {
                let reasons = Set(notPlaced.compactMap { entry -> LocalizedText? in
                    if case .unassessed(let reason) = entry.placement { reason } else { nil }
                }).sorted { $0.en < $1.en }
                out.append(Finding(.warning, code: "unassessed-risk",
                                   strings("finding.unassessed", ["count": notPlaced.count, "total": docEntries.count, "document": document,
                                                                  "reasons": CatalogueList(reasons)]),
                                   ids: notPlaced.map(\.id)))
            }
            let placedHere = docEntries.filter(\.isPlaced)
            if let topLevel = placedHere.compactMap(\.levelIndex).max() {
                let atTop = placedHere.filter { $0.levelIndex == topLevel }
                let isTableTop = topLevel == scale.levels.count - 1
                out.append(Finding(isTableTop ? .warning : .info, code: isTableTop ? "top-level-risk" : "highest-level-risk",
                                   strings(isTableTop ? "finding.top-level" : "finding.highest-level", [
                                       "count": atTop.count, "total": placedHere.count, "document": document, "level": scale.levels[topLevel].label,
                                       "risks": CatalogueList(atTop.map { strings("finding.risk-rating", ["id": $0.id, "likelihood": $0.likelihoodValue!.description,
                                                                                                      "impact": $0.impactValue!.description]) })]),
                                   ids: atTop.map(\.id)))
            }
            // Owners: one finding per thing the sources say about the missing owner.
            let withoutOwner = docEntries.filter { $0.owner == nil }
            for status in Set(withoutOwner.map { $0.ownerStatus ?? "" }).sorted() {
                let group = withoutOwner.filter { ($0.ownerStatus ?? "") == status }
                out.append(Finding(.warning, code: "no-owner",
                                   status.isEmpty ? strings("finding.no-owner", ["count": group.count, "document": document])
                                       : strings("finding.no-owner.status", ["count": group.count, "document": document, "status": status]),
                                   ids: group.map(\.id)))
            }
            let untyped = docEntries.flatMap(\.mitigations).filter { $0.strategy == nil && $0.unknownStrategy == nil }
            if !untyped.isEmpty {
                out.append(Finding(.info, code: "untyped-mitigations",
                                   strings("finding.untyped-mitigations", ["count": untyped.count, "document": document]),
                                   ids: untyped.map(\.node.id)))
            }
        }
        for entry in entries where entry.mitigations.isEmpty {
            out.append(Finding(.warning, code: "no-mitigation", strings("finding.no-mitigation", ["id": entry.id]), ids: [entry.id]))
        }
        for (id, message) in notes.conflicts {
            out.append(Finding(.warning, code: "assessment-conflict", strings("finding.assessment-conflict", ["id": id, "message": message]), ids: [id]))
        }
        for (id, message) in notes.unreadable {
            out.append(Finding(.warning, code: "unreadable-assessment",
                               strings("finding.unreadable", ["id": id, "values": message, "size": scale.size]), ids: [id]))
        }
        for (id, written) in notes.unknownStrategies {
            out.append(Finding(.warning, code: "unknown-strategy", strings("finding.unknown-strategy", ["id": id, "strategy": written]), ids: [id]))
        }
        let mapped = entries.filter(\.mappedFromThreeLevels)
        if !mapped.isEmpty, let mapping = scale.threeLevelPositions {
            out.append(Finding(.warning, code: "three-level-mapping",
                               strings("finding.three-level-mapping", ["count": mapped.count, "scale": scale.sizeName,
                                                                       "mapping": mapping.map { "\($0.word) → \($0.position)" }.joined(separator: ", ")]),
                               ids: mapped.map(\.id)))
        }
        if !scale.isMonotone {
            out.append(Finding(.warning, code: "table-not-monotone",
                               strings("finding.table-not-monotone", ["table": scale.originText])))
        }
        for exposure in exposures {
            let plan = exposure.plan
            let planWide = exposure.links.filter { if case .planWide = $0.basis { true } else { false } }
            if !planWide.isEmpty {
                let risks = Set(planWide.map(\.risk)).sorted()
                out.append(Finding(.info, code: "derived-exposure",
                                   strings("finding.derived-exposure", ["plan": plan.id, "count": risks.count, "rule": PlanExposure.planWideRule,
                                                                        "elements": plan.elements.count]),
                                   ids: risks))
            }
            if attribution == .declared {
                let own = entries.filter { $0.node.dataset == plan.spec.declaredBy && graph.outgoing($0.id, relation: "bears-on").isEmpty }
                if !own.isEmpty {
                    out.append(Finding(.info, code: "no-exposure",
                                       strings("finding.no-exposure", ["count": own.count, "dataset": plan.spec.declaredBy, "plan": plan.id]),
                                       ids: own.map(\.id)))
                }
            }
            for total in exposure.statedTotals {
                guard let stated = total.attributes["budget_chf"]?.numericValue.map({ Int($0) }), exposure.hasBudget else { continue }
                let agrees = stated == exposure.budgetSum
                out.append(Finding(agrees ? .info : .warning, code: "budget-check",
                                   strings(agrees ? "finding.budget-check.agrees" : "finding.budget-check.differs", [
                                       "plan": plan.id, "count": exposure.budgets.count, "sum": thousands(exposure.budgetSum), "total": total.id,
                                       "stated": thousands(stated), "difference": thousands(abs(stated - exposure.budgetSum))]),
                                   ids: [total.id]))
            }
            if exposure.hasBudget, exposure.budgets.count < plan.elements.count {
                let missing = plan.elements.map(\.id).filter { exposure.budgets[$0] == nil }
                out.append(Finding(.info, code: "element-without-budget",
                                   strings("finding.element-without-budget", ["count": missing.count, "plan": plan.id]),
                                   ids: missing))
            }
            if !exposure.sharedBudgetLines.isEmpty {
                out.append(Finding(.info, code: "shared-budget-line",
                                   strings("finding.shared-budget-line", ["count": exposure.sharedBudgetLines.count, "plan": plan.id]),
                                   ids: exposure.sharedBudgetLines))
            }
        }
        // Data-quality notes the curators recorded on these risks and mitigations.
        let ids = Set(entries.map(\.id) + mitigations.map(\.node.id))
        for note in graph.qualityNotes where note.ids.contains(where: ids.contains) {
            out.append(Finding(.info, code: "data-quality",
                               note.reading.map { strings("finding.data-quality.reading", ["place": note.citation.reference, "finding": note.finding, "reading": $0]) }
                                   ?? strings("finding.data-quality", ["place": note.citation.reference, "finding": note.finding]),
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
            strings("note.level", ["table": scale.originText, "name": scale.name]), strings("note.unassessed"), strings("note.three-level"),
            strings("note.strategies"),
        ]
        let bearsOnLinks = graph.edges(relation: "bears-on").count
        let stated = bearsOnLinks == 0 ? strings("note.exposure.no-links") : strings("note.exposure.links", ["count": bearsOnLinks])
        if attribution == .planWide {
            notes.append(strings("note.exposure.plan-wide", ["stated": stated, "rule": PlanExposure.planWideRule]))
            if entries.contains(where: { $0.perspective != nil }) {
                notes.append(strings("note.perspective"))
            }
        } else {
            notes.append(strings("note.attribution-declared"))
        }
        notes += [
            strings("note.budget-exposed"), strings("note.sdg-targets"),
        ]
        // A risk period and a budget year that differ are worth saying.
        for exposure in exposures where exposure.hasBudget {
            let periods = Set(exposure.links.compactMap { link in graph.node(link.risk)?.attributes["period"]?.description }).sorted()
            let years = Set(exposure.plan.elements.compactMap { $0.attributes["year"]?.description }).sorted()
            if !periods.isEmpty, !years.isEmpty, periods != years {
                notes.append(strings("note.period-mismatch", ["plan": exposure.plan.id, "periods": CatalogueList(periods), "years": CatalogueList(years)]))
            }
        }
        return notes
    }
}

extension RiskScale {
    /// Where the level table comes from, in both languages: "built-in 3×3" / "内置 3×3", or the
    /// path of a level file.
    var originText: LocalizedText {
        origin.hasPrefix("built-in ") ? strings("scale.built-in", ["size": String(origin.dropFirst("built-in ".count))]) : .same(origin)
    }
}
