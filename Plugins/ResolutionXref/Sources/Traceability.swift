import LinkageKit

/// What one part of the analysis contributes to the result.
struct ReportPart {
    var headline: [HeadlineFigure] = []
    var findings: [Finding] = []
    var tables: [ResultTable] = []
    var views: [ViewSpec] = []
    var notes: [LocalizedText] = []

    mutating func append(_ other: ReportPart) {
        headline += other.headline
        findings += other.findings
        tables += other.tables
        views += other.views
        notes += other.notes
    }
}

/// One mandate ranked among those of its body in one plan.
struct RankedMandate: Sendable, Equatable {
    var plan: String
    var body: MandateBody
    var rank: Int
    var mandate: NodeID
    var elements: [NodeID]
    var declared: Int
    var derived: Int
}

/// Why the registry holds a mandate that no element of the chosen plans cites.
enum UncitedReason: String, Sendable {
    /// Created after a chosen plan was adopted: that plan cannot cite it.
    case createdAfterPlan = "created-after-plan"
    case doubtful = "doubtful"
    /// Named only in background text (`mentions`).
    case mentionedOnly = "mentioned-only"
    /// Named by another kind of link (WTDC-22 lists the resolutions it adopted), or mentioned
    /// by a node of no chosen plan.
    case namedElsewhere = "named-elsewhere"
    /// Implemented by elements of plans that were not chosen.
    case citedByOtherPlans = "cited-by-other-plans"
    /// Only the registry (a reference table, a seed passage outside the plans) names it.
    case registryOnly = "registry-only"
}

struct UncitedMandate: Sendable {
    var mandate: NodeID
    var reasons: [UncitedReason]
    var explanation: String
    var namedBy: String
}

/// Part 1: which plan elements implement which mandate, what nobody cites, which elements cite
/// nothing, and the most-cited mandates per body.
struct Traceability {
    let index: CitationIndex
    let top: Int

    var graph: LinkageGraph { index.graph }

    // MARK: Computations (also used by the tests)

    /// Mandates of a body ranked by the number of elements of the plan citing them
    /// (competition ranking: ties share a rank). Doubtful ids and scope nodes are left out.
    func ranking(_ plan: PlanCitations, body: MandateBody) -> [RankedMandate] {
        let counted = plan.citedMandates.filter { index.body(of: $0) == body && !index.isDoubtful($0) }
        let entries = counted.map { mandate -> RankedMandate in
            let links = plan.links(to: mandate)
            return RankedMandate(plan: plan.id, body: body, rank: 0, mandate: mandate, elements: plan.elements(citing: mandate),
                                 declared: links.filter(\.isDeclared).count, derived: links.filter { !$0.isDeclared }.count)
        }.sorted { a, b in a.elements.count != b.elements.count ? a.elements.count > b.elements.count : a.mandate < b.mandate }
        var ranked: [RankedMandate] = []
        for (position, var entry) in entries.enumerated() {
            entry.rank = position > 0 && entries[position - 1].elements.count == entry.elements.count ? ranked[position - 1].rank : position + 1
            ranked.append(entry)
        }
        return ranked
    }

    /// The top `top` of a ranking, keeping every mandate tied with the last one kept.
    func topOf(_ ranking: [RankedMandate]) -> [RankedMandate] {
        ranking.filter { $0.rank <= top }
    }

    /// Mandates (not scope nodes) that no element of any chosen plan cites, with the reasons.
    func uncited() -> [UncitedMandate] {
        let cited = Set(index.plans.flatMap(\.citedMandates))
        return index.mandates.filter { !cited.contains($0.id) }.map { node in
            var reasons: [UncitedReason] = []
            var parts: [String] = []
            let facts = index.facts[node.id]!
            if let year = facts.year, facts.created {
                let earlier = index.plans.filter { ($0.startYear ?? .max) <= year }
                let later = index.plans.filter { ($0.startYear ?? .min) > year }
                // Only a text adopted after a chosen plan began is explained by chronology; then
                // say too whether the later plans reach it.
                if !earlier.isEmpty {
                    reasons.append(.createdAfterPlan)
                    parts.append("adopted (\(facts.revision ?? String(year))), after \(earlier.map { "\($0.id) (from \($0.startYear!))" }.joined(separator: ", ")) was drawn up: its absence there is expected, not a gap")
                    if !later.isEmpty {
                        parts.append("no element of \(later.map(\.id).joined(separator: ", ")) reaches it" + (index.derivedOnlyCaveat(later).map { " (\($0.en))" } ?? ""))
                    }
                }
            }
            if let doubtful = facts.doubtful {
                reasons.append(.doubtful)
                parts.append("doubtful id: \(doubtful)")
            }
            let incoming = graph.incoming(node.id)
            let elsewhere = incoming.filter { $0.relation == .implements }.map(\.source)
            if !elsewhere.isEmpty {
                let plans = Set(elsewhere.flatMap { index.plansHolding($0) }).sorted()
                reasons.append(.citedByOtherPlans)
                parts.append("implemented by \(elsewhere.count) element\(elsewhere.count == 1 ? "" : "s") of \(plans.isEmpty ? "no plan" : plans.joined(separator: ", ")), not chosen")
            }
            let chosenMentions = Set(index.plans.flatMap(\.mentions).filter { $0.target == node.id }.map(\.key))
            let mentions = incoming.filter { chosenMentions.contains($0.key) }
            if !mentions.isEmpty {
                reasons.append(.mentionedOnly)
                parts.append("only mentioned in background text by \(Set(mentions.map(\.source)).sorted().joinedIDs) (not a citation)")
            }
            let others = incoming.filter { $0.relation != .implements && !chosenMentions.contains($0.key) }
            if !others.isEmpty {
                reasons.append(.namedElsewhere)
                parts.append("named by " + others.map { "\($0.source) (\($0.relation))" }.joined(separator: ", "))
            }
            if reasons.isEmpty {
                reasons.append(.registryOnly)
                parts.append("only the registry names it (\(node.citation.reference))")
            }
            var namedBy = incoming.map { "\($0.relation) ← \($0.source)" }
            namedBy.append("registry: \(node.citation.reference)")
            return UncitedMandate(mandate: node.id, reasons: reasons, explanation: parts.joined(separator: "; "),
                                  namedBy: namedBy.joined(separator: "; "))
        }
    }

    /// Elements citing no mandate: nothing at all, or only a scope ("all WTDC resolutions").
    func elementsWithoutMandate(_ plan: PlanCitations) -> [(element: NodeID, scopeOnly: Bool)] {
        plan.plan.elements.compactMap { element in
            let links = plan.links(of: element.id)
            if links.isEmpty { return (element.id, false) }
            if links.allSatisfy(\.isScope) { return (element.id, true) }
            return nil
        }
    }

    // MARK: Report

    func report() -> ReportPart {
        var part = ReportPart()
        let uncited = uncited()
        let doubtfulCount = index.mandates.filter { index.isDoubtful($0.id) }.count
        part.headline.append(HeadlineFigure(
            strings("headline.registry"), index.mandates.count,
            note: strings("headline.registry.note", [
                "pp": index.mandates.filter { index.body(of: $0.id) == .pp }.count, "decisions": index.mandates.filter { $0.kind == .ppDecision }.count,
                "wtdc": index.mandates.filter { index.body(of: $0.id) == .wtdc }.count, "itud": index.mandates.filter { index.body(of: $0.id) == .itud }.count,
                "doubtful": doubtfulCount])))
        part.headline.append(HeadlineFigure(
            strings("headline.uncited", ["plans": CatalogueList(index.plans.map(\.id))]), uncited.count,
            note: uncited.isEmpty ? nil : CatalogueList(uncited.map(\.mandate.rawValue)).text))

        var coverageColumns = [column("mandate", "column.mandate"), column("label_en", "column.label-en"), column("label_zh", "column.label-zh"),
                               column("title_en", "column.title-en"), column("title_zh", "column.title-zh"), column("kind", "column.kind"), column("body", "column.body")]
        for plan in index.plans {
            let key = ViewSpec.fileSafe(plan.id).replacingOccurrences(of: "-", with: "_")
            coverageColumns.append(TableColumn("\(key)_elements", strings("column.plan-elements", ["plan": plan.id])))
            coverageColumns.append(TableColumn("\(key)_provenance", strings("column.plan-provenance", ["plan": plan.id])))
        }
        coverageColumns += [column("mentioned_by", "column.mentioned-by"), column("status", "column.status"),
                            column("registry_caveats", "column.registry-caveats")]
        var coverageRows: [[TableValue]] = []
        let allMentions = index.plans.flatMap(\.mentions)
        for node in index.mandates + index.scopes {
            var row: [TableValue] = [.id(node.id)] + index.labels(node.id) + index.titles(node.id) + [.text(node.kind.rawValue), .text(index.body(of: node.id).rawValue)]
            var citedAnywhere = false
            for plan in index.plans {
                let links = plan.links(to: node.id)
                citedAnywhere = citedAnywhere || !links.isEmpty
                row.append(.integer(plan.elements(citing: node.id).count))
                row.append(.text(provenanceName(declared: links.filter(\.isDeclared).count, derived: links.filter { !$0.isDeclared }.count)))
            }
            let mentionedBy = Set(allMentions.filter { $0.target == node.id }.map(\.source)).sorted()
            let status = index.graph.role(of: node.id) == .scope ? "scope" : (citedAnywhere ? "cited" : "uncited")
            row += [.text(mentionedBy.joinedIDs), .text(status), .text(caveats(node.id))]
            coverageRows.append(row)
        }
        part.tables.append(ResultTable(
            id: "mandate-coverage", title: strings("table.mandate-coverage"),
            columns: coverageColumns, rows: coverageRows,
            caption: strings("table.mandate-coverage.caption")))

        var linkRows: [[TableValue]] = []
        for plan in index.plans {
            for link in plan.links {
                linkRows.append([.text(plan.id), .id(link.element)] + index.labels(link.element) + [.id(link.mandate)]
                    + index.labels(link.mandate)
                    + [.text(index.body(of: link.mandate).rawValue), .text(link.edge.provenance.name), .text(index.via(link)),
                       .text(index.inheritedFrom(link).joinedIDs), .integer(link.occurrences), .text(basis(link.edge))])
            }
        }
        part.tables.append(ResultTable(
            id: "implements-links", title: strings("table.implements-links"),
            columns: [column("plan", "column.plan"), column("element", "column.element"), column("element_label_en", "column.element-label-en"),
                      column("element_label_zh", "column.element-label-zh"), column("mandate", "column.mandate"),
                      column("mandate_label_en", "column.mandate-label-en"), column("mandate_label_zh", "column.mandate-label-zh"),
                      column("body", "column.body"), column("provenance", "column.provenance"),
                      column("via", "column.via"), column("inherited_from", "column.inherited-from"),
                      column("occurrences", "column.times-listed"), column("basis", "column.basis")],
            rows: linkRows,
            caption: strings("table.implements-links.caption")))

        var rankRows: [[TableValue]] = []
        var uncitedRows: [[TableValue]] = []
        var withoutRows: [[TableValue]] = []
        for plan in index.plans {
            let citing = plan.plan.elements.filter { !plan.links(of: $0.id).isEmpty }.count
            let without = elementsWithoutMandate(plan)
            let scopeOnly = without.filter(\.scopeOnly).map(\.element)
            let declared = plan.links.filter(\.isDeclared).count
            let scopeLinks = plan.links.filter(\.isScope).count
            part.headline.append(HeadlineFigure(
                strings("headline.citing", ["plan": plan.id]), "\(citing) / \(plan.plan.elements.count)",
                note: scopeOnly.isEmpty ? (plan.allDerived ? strings("headline.citing.all-derived") : nil)
                    : strings("headline.citing.scope-only", ["elements": CatalogueList(scopeOnly.map(\.rawValue)),
                                                              "scopes": CatalogueList(scopeOnly.flatMap { plan.links(of: $0).map(\.mandate.rawValue) })])))
            part.headline.append(HeadlineFigure(
                strings("headline.implements", ["plan": plan.id]), plan.links.count,
                note: strings("headline.implements.note", ["declared": declared, "derived": plan.links.count - declared, "scope": scopeLinks])))
            let distinct = plan.citedMandates.filter { graph.role(of: $0) == .mandate }
            let bodies = MandateBody.allCases.compactMap { body -> String? in
                let n = distinct.filter { index.body(of: $0) == body }.count
                return n == 0 ? nil : "\(body.rawValue) \(n)"
            }
            part.headline.append(HeadlineFigure(strings("headline.distinct", ["plan": plan.id]), distinct.count,
                                                note: CatalogueList(bodies).text))
            for body in [MandateBody.pp, .wtdc, .itud] {
                let ranking = ranking(plan, body: body)
                guard let first = ranking.first else { continue }
                let leaders = ranking.filter { $0.rank == 1 }
                // The headline names the leaders of the two conferences; every body is in the table.
                if body != .itud {
                    let many = leaders.count > 4
                    let values: [String: any CatalogueValue] = [
                        "count": first.elements.count, "total": plan.plan.elements.count, "tied": leaders.count,
                        "leaders": CatalogueList(leaders.map(\.mandate.rawValue))]
                    let note = switch (leaders.count > 1, many, plan.allDerived) {
                    case (false, _, false): strings("headline.most-cited.note", values)
                    case (false, _, true): strings("headline.most-cited.note.derived", values)
                    case (true, false, false): strings("headline.most-cited.note.each", values)
                    case (true, false, true): strings("headline.most-cited.note.each.derived", values)
                    case (true, true, false): strings("headline.most-cited.note.tied", values)
                    case (true, true, true): strings("headline.most-cited.note.tied.derived", values)
                    }
                    part.headline.append(HeadlineFigure(
                        strings("headline.most-cited", ["plan": plan.id, "body": body.rawValue]),
                        many ? "×\(leaders.count)" : leaders.map(\.mandate).joinedIDs, note: note))
                }
                for entry in topOf(ranking) {
                    rankRows.append([.text(plan.id), .text(body.rawValue), .integer(entry.rank), .id(entry.mandate)] + index.labels(entry.mandate)
                        + index.titles(entry.mandate) + [.integer(entry.elements.count), .integer(entry.declared), .integer(entry.derived),
                           .text(provenanceName(declared: entry.declared, derived: entry.derived)), .text(entry.elements.joinedIDs)])
                }
            }

            for (element, isScopeOnly) in without {
                let mentions = plan.mentions.filter { $0.source == element }.map(\.target)
                let scopes = plan.links(of: element).map(\.mandate)
                withoutRows.append([.text(plan.id), .id(element)] + index.labels(element)
                    + [.text(plan.plan.group(of: element)?.id.rawValue ?? ""), .text(isScopeOnly ? "scope only" : "no mandate"),
                       .text(scopes.joinedIDs), .text(mentions.joinedIDs),
                       .text(plan.links.isEmpty ? "none" : (plan.allDerived ? "derived only" : provenanceName(declared: plan.links.filter(\.isDeclared).count, derived: plan.links.filter { !$0.isDeclared }.count)))])
            }
            let noMandate = without.filter { !$0.scopeOnly }.map(\.element)
            // A plan with no implements link at all is reported once (no-implements-links).
            if !noMandate.isEmpty && !plan.links.isEmpty {
                if plan.allDerived {
                    part.findings.append(Finding(
                        .info, code: "no-mandate",
                        strings("finding.no-mandate.derived", ["count": noMandate.count, "total": plan.plan.elements.count, "plan": plan.id,
                                                               "rules": CatalogueList(plan.rules)]),
                        ids: noMandate))
                } else {
                    part.findings.append(Finding(
                        .warning, code: "no-mandate",
                        strings("finding.no-mandate", ["count": noMandate.count, "total": plan.plan.elements.count, "plan": plan.id]),
                        ids: noMandate))
                }
            }
            if !scopeOnly.isEmpty {
                part.findings.append(Finding(
                    .info, code: "scope-only",
                    strings("finding.scope-only", ["elements": CatalogueList(scopeOnly.map(\.rawValue)), "count": scopeOnly.count, "plan": plan.id,
                                                   "scopes": CatalogueList(Set(scopeOnly.flatMap { plan.links(of: $0).map(\.mandate) }).sorted().map(\.rawValue))]),
                    ids: scopeOnly))
            }
            if plan.allDerived {
                let through = Set(plan.links.flatMap { index.inheritedFrom($0) }).sorted()
                part.findings.append(Finding(
                    .info, code: "derived-links",
                    strings("finding.derived-links", ["count": plan.links.count, "plan": plan.id, "rules": CatalogueList(plan.rules), "through": through.count,
                                                      "plans": CatalogueList(Set(through.flatMap { index.plansHolding($0) }).sorted())]),
                    ids: through))
            }
        }

        for entry in uncited {
            uncitedRows.append([.id(entry.mandate)] + index.labels(entry.mandate) + index.titles(entry.mandate)
                + [.text(graph.node(entry.mandate)?.kind.rawValue ?? ""), .text(index.body(of: entry.mandate).rawValue),
                   .text(entry.reasons.map(\.rawValue).joined(separator: ", ")), .text(entry.explanation), .text(entry.namedBy)])
        }
        let byReason: [(UncitedReason, LocalizedText)] = [
            (.createdAfterPlan, strings("uncited.created-after-plan")),
            (.citedByOtherPlans, strings("uncited.cited-by-other-plans")),
            (.mentionedOnly, strings("uncited.mentioned-only")),
            (.namedElsewhere, strings("uncited.named-elsewhere")),
            (.registryOnly, strings("uncited.registry-only")),
        ]
        for (reason, words) in byReason {
            let ids = uncited.filter { $0.reasons.contains(reason) }.map(\.mandate)
            guard !ids.isEmpty else { continue }
            part.findings.append(Finding(.info, code: "uncited-\(reason.rawValue)",
                                         strings("finding.uncited", ["count": ids.count, "reason": words, "ids": CatalogueList(ids.map(\.rawValue))]),
                                         ids: ids))
        }

        part.tables.append(ResultTable(
            id: "most-cited", title: strings("table.most-cited"),
            columns: [column("plan", "column.plan"), column("body", "column.body"), column("rank", "column.rank"), column("mandate", "column.mandate"),
                      column("label_en", "column.label-en"), column("label_zh", "column.label-zh"),
                      column("title_en", "column.title-en"), column("title_zh", "column.title-zh"), column("elements", "column.elements-citing"),
                      column("declared", "column.declared-links"), column("derived", "column.derived-links"),
                      column("provenance", "column.provenance"), column("element_ids", "column.elements")],
            rows: rankRows,
            caption: strings("table.most-cited.caption", ["top": top])))
        part.tables.append(ResultTable(
            id: "uncited-mandates", title: strings("table.uncited-mandates"),
            columns: [column("mandate", "column.mandate"), column("label_en", "column.label-en"), column("label_zh", "column.label-zh"),
                      column("title_en", "column.title-en"), column("title_zh", "column.title-zh"),
                      column("kind", "column.kind"), column("body", "column.body"), column("reasons", "column.reasons"),
                      column("explanation", "column.explanation"), column("named_by", "column.named-by")],
            rows: uncitedRows,
            caption: strings("table.uncited-mandates.caption")))
        part.tables.append(ResultTable(
            id: "elements-without-mandate", title: strings("table.elements-without-mandate"),
            columns: [column("plan", "column.plan"), column("element", "column.element"), column("label_en", "column.label-en"),
                      column("label_zh", "column.label-zh"), column("group", "column.group"), column("status", "column.status"),
                      column("scopes", "column.scopes-cited"), column("mentions", "column.mentions"),
                      column("plan_provenance", "column.plan-links")],
            rows: withoutRows,
            caption: strings("table.elements-without-mandate.caption")))

        var mentionRows: [[TableValue]] = []
        for plan in index.plans {
            for edge in plan.mentions {
                let alsoImplements = graph.edge(EdgeKey(source: edge.source, relation: .implements, target: edge.target)) != nil
                mentionRows.append([.text(plan.id), .id(edge.source)] + index.labels(edge.source) + [.id(edge.target)] + index.labels(edge.target)
                    + [.text(alsoImplements ? "yes" : "no"), .text(edge.provenance.name), .text(basis(edge)), .text(edge.note ?? "")])
            }
        }
        let mentionCount = index.plans.map(\.mentions.count).reduce(0, +)
        part.headline.append(HeadlineFigure(strings("headline.mentions"), mentionCount,
                                            note: strings("headline.mentions.note", ["count": Set(index.plans.flatMap(\.mentions).map(\.target)).count])))
        part.tables.append(ResultTable(
            id: "mentions", title: strings("table.mentions"),
            columns: [column("plan", "column.plan"), column("source", "column.mentioning-element"), column("source_label_en", "column.source-label-en"),
                      column("source_label_zh", "column.source-label-zh"), column("mandate", "column.mandate"),
                      column("mandate_label_en", "column.mandate-label-en"), column("mandate_label_zh", "column.mandate-label-zh"),
                      column("also_implements", "column.also-implements"), column("provenance", "column.provenance"),
                      column("basis", "column.source"), column("note", "column.curator-note")],
            rows: mentionRows,
            caption: strings("table.mentions.caption")))
        return part
    }

    /// Registry caveats of one mandate, as one line.
    func caveats(_ id: NodeID) -> String {
        guard let facts = index.facts[id] else { return "" }
        var parts: [String] = []
        if facts.doubtful != nil { parts.append("doubtful") }
        if facts.titleStatus.isCaveat { parts.append(facts.titleStatus.explanation.en) }
        if let revision = facts.revision { parts.append((facts.created ? "adopted " : "") + revision) }
        return parts.joined(separator: "; ")
    }
}

/// The place a declared link cites, or the rule of a derived one (its path is in `via`).
func basis(_ edge: Edge) -> String {
    switch edge.provenance {
    case .declared(let citation): citation.reference
    case .derived(let derivation): "rule \(derivation.rule)"
    }
}
