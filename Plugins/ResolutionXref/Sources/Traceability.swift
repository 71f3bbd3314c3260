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
                        parts.append("no element of \(later.map(\.id).joined(separator: ", ")) reaches it" + (index.derivedOnlyCaveat(later).map { " (\($0))" } ?? ""))
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
            "Mandates in the registry (resolutions, decisions, recommendations)", index.mandates.count,
            note: "PP \(index.mandates.filter { index.body(of: $0.id) == .pp }.count) (\(index.mandates.filter { $0.kind == .ppDecision }.count) of them decisions), WTDC \(index.mandates.filter { index.body(of: $0.id) == .wtdc }.count), ITU-D \(index.mandates.filter { index.body(of: $0.id) == .itud }.count); \(doubtfulCount) marked doubtful"))
        part.headline.append(HeadlineFigure(
            "Mandates cited by no element of \(index.plans.map(\.id).joined(separator: ", "))", uncited.count,
            note: uncited.isEmpty ? nil : uncited.map(\.mandate).joinedIDs))

        var coverageColumns = [TableColumn("mandate", "Mandate"), TableColumn("label_en", "Label"), TableColumn("label_zh", "标签"),
                               TableColumn("kind", "Kind"), TableColumn("body", "Body")]
        for plan in index.plans {
            let key = ViewSpec.fileSafe(plan.id).replacingOccurrences(of: "-", with: "_")
            coverageColumns.append(TableColumn("\(key)_elements", "\(plan.id) elements"))
            coverageColumns.append(TableColumn("\(key)_provenance", "\(plan.id) provenance"))
        }
        coverageColumns += [TableColumn("mentioned_by", "Mentioned by (not counted)"), TableColumn("status", "Status"),
                            TableColumn("registry_caveats", "Registry caveats")]
        var coverageRows: [[TableValue]] = []
        let allMentions = index.plans.flatMap(\.mentions)
        for node in index.mandates + index.scopes {
            var row: [TableValue] = [.id(node.id)] + index.labels(node.id) + [.text(node.kind.rawValue), .text(index.body(of: node.id).rawValue)]
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
            id: "mandate-coverage", title: "Mandate coverage: how many plan elements implement each mandate",
            columns: coverageColumns, rows: coverageRows,
            caption: "One row per resolution, decision or recommendation of the registry (and per scope node): the number of elements of each plan that implement it, whether those links are declared or derived, and who only mentions it."))

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
            id: "implements-links", title: "Implements links of the plan elements",
            columns: [TableColumn("plan", "Plan"), TableColumn("element", "Element"), TableColumn("element_label_en", "Element label"),
                      TableColumn("element_label_zh", "要素标签"), TableColumn("mandate", "Mandate"), TableColumn("mandate_label_en", "Mandate label"),
                      TableColumn("mandate_label_zh", "决议标签"), TableColumn("body", "Body"), TableColumn("provenance", "Provenance"),
                      TableColumn("via", "Derived via"), TableColumn("inherited_from", "Inherited from"),
                      TableColumn("occurrences", "Times listed"), TableColumn("basis", "Source or rule")],
            rows: linkRows,
            caption: "One row per element and mandate (or scope node) it implements. Derived links say which nodes they pass through and whose citation they inherit."))

        var rankRows: [[TableValue]] = []
        var uncitedRows: [[TableValue]] = []
        var withoutRows: [[TableValue]] = []
        for plan in index.plans {
            let elementWord = plan.plan.elements.count == 1 ? "element" : "elements"
            let citing = plan.plan.elements.filter { !plan.links(of: $0.id).isEmpty }.count
            let without = elementsWithoutMandate(plan)
            let scopeOnly = without.filter(\.scopeOnly).map(\.element)
            let declared = plan.links.filter(\.isDeclared).count
            let scopeLinks = plan.links.filter(\.isScope).count
            part.headline.append(HeadlineFigure(
                "\(plan.id): elements implementing at least one mandate", "\(citing) of \(plan.plan.elements.count)",
                note: scopeOnly.isEmpty ? (plan.allDerived ? "every link derived" : nil)
                    : "\(scopeOnly.joinedIDs) only through a scope (\(scopeOnly.flatMap { plan.links(of: $0).map(\.mandate) }.joinedIDs))"))
            part.headline.append(HeadlineFigure(
                "\(plan.id): implements links", plan.links.count,
                note: "\(declared) declared, \(plan.links.count - declared) derived; \(scopeLinks) to scope nodes"))
            let distinct = plan.citedMandates.filter { graph.role(of: $0) == .mandate }
            let bodies = MandateBody.allCases.compactMap { body -> String? in
                let n = distinct.filter { index.body(of: $0) == body }.count
                return n == 0 ? nil : "\(body.rawValue) \(n)"
            }
            part.headline.append(HeadlineFigure("\(plan.id): distinct mandates implemented", distinct.count,
                                                note: bodies.joined(separator: ", ")))
            for body in [MandateBody.pp, .wtdc, .itud] {
                let ranking = ranking(plan, body: body)
                guard let first = ranking.first else { continue }
                let leaders = ranking.filter { $0.rank == 1 }
                // The headline names the leaders of the two conferences; every body is in the table.
                if body != .itud {
                    let many = leaders.count > 4
                    part.headline.append(HeadlineFigure(
                        "\(plan.id): most-cited \(body.rawValue) mandate",
                        many ? "\(leaders.count) tied" : leaders.map(\.mandate).joinedIDs,
                        note: "\(first.elements.count) of \(plan.plan.elements.count) \(elementWord)\(leaders.count > 1 ? " each" : "")\(plan.allDerived ? " (derived links)" : "")"
                            + (many ? ": " + leaders.map(\.mandate).joinedIDs : "")))
                }
                for entry in topOf(ranking) {
                    rankRows.append([.text(plan.id), .text(body.rawValue), .integer(entry.rank), .id(entry.mandate)] + index.labels(entry.mandate)
                        + [.integer(entry.elements.count), .integer(entry.declared), .integer(entry.derived),
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
                        "\(noMandate.count) of \(plan.plan.elements.count) elements of \(plan.id) implement no mandate. Every mandate link of \(plan.id) is derived (rules: \(plan.rules.joined(separator: ", "))), so this says only that no derivation path reaches a mandate from them, not that the plan leaves them without a mandate.",
                        ids: noMandate))
                } else {
                    part.findings.append(Finding(
                        .warning, code: "no-mandate",
                        "\(noMandate.count) of \(plan.plan.elements.count) elements of \(plan.id) cite no resolution, decision or recommendation.",
                        ids: noMandate))
                }
            }
            if !scopeOnly.isEmpty {
                part.findings.append(Finding(
                    .info, code: "scope-only",
                    "\(scopeOnly.joinedIDs) of \(plan.id) cite\(scopeOnly.count == 1 ? "s" : "") no individual mandate, only a scope (\(Set(scopeOnly.flatMap { plan.links(of: $0).map(\.mandate) }).sorted().joinedIDs): \"all of them\", not expanded).",
                    ids: scopeOnly))
            }
            if plan.allDerived {
                let through = Set(plan.links.flatMap { index.inheritedFrom($0) }).sorted()
                part.findings.append(Finding(
                    .info, code: "derived-links",
                    "All \(plan.links.count) mandate links of \(plan.id) are derived (rules: \(plan.rules.joined(separator: ", "))), inherited from the citations of \(through.count) elements of \(Set(through.flatMap { index.plansHolding($0) }).sorted().joined(separator: ", ")): no document states them for \(plan.id).",
                    ids: through))
            }
        }

        for entry in uncited {
            uncitedRows.append([.id(entry.mandate)] + index.labels(entry.mandate)
                + [.text(graph.node(entry.mandate)?.kind.rawValue ?? ""), .text(index.body(of: entry.mandate).rawValue),
                   .text(entry.reasons.map(\.rawValue).joined(separator: ", ")), .text(entry.explanation), .text(entry.namedBy)])
        }
        let byReason: [(UncitedReason, String)] = [
            (.createdAfterPlan, "adopted after a chosen plan (chronology, not a gap)"),
            (.citedByOtherPlans, "implemented only by elements of plans not chosen"),
            (.mentionedOnly, "only mentioned in background text"),
            (.namedElsewhere, "named by another kind of link"),
            (.registryOnly, "named only by the registry's sources"),
        ]
        for (reason, words) in byReason {
            let ids = uncited.filter { $0.reasons.contains(reason) }.map(\.mandate)
            guard !ids.isEmpty else { continue }
            part.findings.append(Finding(.info, code: "uncited-\(reason.rawValue)",
                                         "\(ids.count) mandate\(ids.count == 1 ? "" : "s") of the registry cited by no element, \(words): \(ids.joinedIDs).",
                                         ids: ids))
        }

        part.tables.append(ResultTable(
            id: "most-cited", title: "Most-cited mandates per plan and body",
            columns: [TableColumn("plan", "Plan"), TableColumn("body", "Body"), TableColumn("rank", "Rank"), TableColumn("mandate", "Mandate"),
                      TableColumn("label_en", "Label"), TableColumn("label_zh", "标签"), TableColumn("elements", "Elements citing"),
                      TableColumn("declared", "Declared links"), TableColumn("derived", "Derived links"),
                      TableColumn("provenance", "Provenance"), TableColumn("element_ids", "Elements")],
            rows: rankRows,
            caption: "The \(top) best-ranked mandates of each body in each plan (ties share a rank and are all kept). An element listing a mandate twice counts once; doubtful ids and scope nodes are not ranked."))
        part.tables.append(ResultTable(
            id: "uncited-mandates", title: "Mandates no element cites",
            columns: [TableColumn("mandate", "Mandate"), TableColumn("label_en", "Label"), TableColumn("label_zh", "标签"),
                      TableColumn("kind", "Kind"), TableColumn("body", "Body"), TableColumn("reasons", "Reasons"),
                      TableColumn("explanation", "Explanation"), TableColumn("named_by", "Named by")],
            rows: uncitedRows,
            caption: "Registry entries with no implements link from any element of the chosen plans, and why the registry holds them."))
        part.tables.append(ResultTable(
            id: "elements-without-mandate", title: "Plan elements citing no resolution",
            columns: [TableColumn("plan", "Plan"), TableColumn("element", "Element"), TableColumn("label_en", "Label"),
                      TableColumn("label_zh", "标签"), TableColumn("group", "Group"), TableColumn("status", "Status"),
                      TableColumn("scopes", "Scopes cited"), TableColumn("mentions", "Mentions (not counted)"),
                      TableColumn("plan_provenance", "Plan's links")],
            rows: withoutRows,
            caption: "Elements with no implements link (no mandate), or whose only links go to a scope node (scope only)."))

        var mentionRows: [[TableValue]] = []
        for plan in index.plans {
            for edge in plan.mentions {
                let alsoImplements = graph.edge(EdgeKey(source: edge.source, relation: .implements, target: edge.target)) != nil
                mentionRows.append([.text(plan.id), .id(edge.source)] + index.labels(edge.source) + [.id(edge.target)] + index.labels(edge.target)
                    + [.text(alsoImplements ? "yes" : "no"), .text(edge.provenance.name), .text(basis(edge)), .text(edge.note ?? "")])
            }
        }
        let mentionCount = index.plans.map(\.mentions.count).reduce(0, +)
        part.headline.append(HeadlineFigure("Background mentions of mandates (not counted as citations)", mentionCount,
                                            note: "\(Set(index.plans.flatMap(\.mentions).map(\.target)).count) mandates"))
        part.tables.append(ResultTable(
            id: "mentions", title: "Background mentions (not citations)",
            columns: [TableColumn("plan", "Plan"), TableColumn("source", "Source"), TableColumn("source_label_en", "Source label"),
                      TableColumn("source_label_zh", "来源标签"), TableColumn("mandate", "Mandate"), TableColumn("mandate_label_en", "Mandate label"),
                      TableColumn("mandate_label_zh", "决议标签"), TableColumn("also_implements", "Also implements it"),
                      TableColumn("provenance", "Provenance"), TableColumn("basis", "Source"), TableColumn("note", "Curator's note")],
            rows: mentionRows,
            caption: "Mandates a plan's text names in passing (background, regional-initiative sentences, indicators). Never counted as implements."))
        return part
    }

    /// Registry caveats of one mandate, as one line.
    func caveats(_ id: NodeID) -> String {
        guard let facts = index.facts[id] else { return "" }
        var parts: [String] = []
        if facts.doubtful != nil { parts.append("doubtful") }
        if facts.titleStatus.isCaveat { parts.append(facts.titleStatus.explanation) }
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
