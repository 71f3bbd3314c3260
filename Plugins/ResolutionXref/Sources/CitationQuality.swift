import LinkageKit

/// One row of the chronology table: a mandate adopted or revised in or after the first year of
/// a plan.
struct ChronologyEntry: Sendable {
    var plan: String
    var planStartYear: Int
    var mandate: NodeID
    var revision: String
    var year: Int
    var created: Bool
    /// Elements of this plan citing it.
    var citedBy: [NodeID]
    /// Elements of plans starting after the mandate's year that cite it.
    var laterElements: [(element: NodeID, provenance: String)]

    var reading: String {
        if created {
            return citedBy.isEmpty
                ? "absence expected: adopted after the plan (chronology, not a gap)"
                : "cited by elements of a plan adopted before it existed: check the id"
        }
        return "the plan cites the text before this revision"
    }
}

/// Part 2: the quality of the citations: repeated ids in one list, "all WTDC resolutions"
/// scopes, ids the registry doubts or knows no title for, the curators' notes on citations,
/// and what chronology explains.
struct CitationQuality {
    let index: CitationIndex

    var graph: LinkageGraph { index.graph }

    /// Links whose element lists the mandate more than once.
    func duplicates() -> [CitationLink] {
        index.plans.flatMap(\.links).filter { $0.occurrences > 1 }
    }

    /// Links to scope nodes, per plan.
    func scopeLinks() -> [CitationLink] {
        index.plans.flatMap(\.links).filter(\.isScope)
    }

    /// Curators' data-quality notes about citations: those naming a mandate or scope node, and
    /// those naming an element of a chosen plan at the very place one of its declared
    /// implements links is cited (its reference list). Notes on background passages that merely
    /// mention a mandate are left out unless they name it: they are mostly about typing slips.
    func qualityNotes() -> [(note: DataQualityNote, about: String)] {
        let mandateIDs = Set(index.mandates.map(\.id) + index.scopes.map(\.id))
        var placesByElement: [NodeID: Set<String>] = [:]
        for plan in index.plans {
            for edge in plan.links.map(\.edge) {
                if case .declared(let citation) = edge.provenance {
                    placesByElement[edge.source, default: []].insert(Self.place(citation))
                }
            }
        }
        return graph.qualityNotes.compactMap { note in
            if note.ids.contains(where: mandateIDs.contains) { return (note, "names a mandate") }
            if note.ids.contains(where: { placesByElement[$0]?.contains(Self.place(note.citation)) ?? false }) {
                return (note, "citation list of an element")
            }
            return nil
        }
    }

    static func place(_ citation: Citation) -> String { citation.document.reference + "\u{1F}" + citation.section }

    /// Mandates adopted or revised in or after the first year of each plan.
    func chronology() -> [ChronologyEntry] {
        var entries: [ChronologyEntry] = []
        for plan in index.plans {
            guard let start = plan.startYear else { continue }
            for node in index.mandates {
                guard let facts = index.facts[node.id], let year = facts.year, year >= start else { continue }
                let citedBy = plan.elements(citing: node.id)
                if !facts.created && citedBy.isEmpty { continue }
                let later = index.plans.filter { ($0.startYear ?? .min) > year }.flatMap { later in
                    later.links(to: node.id).map { (element: $0.element, provenance: $0.edge.provenance.name) }
                }
                entries.append(ChronologyEntry(plan: plan.id, planStartYear: start, mandate: node.id, revision: facts.revision ?? String(year),
                                               year: year, created: facts.created, citedBy: citedBy, laterElements: later))
            }
        }
        return entries
    }

    func report() -> ReportPart {
        var part = ReportPart()
        var issueRows: [[TableValue]] = []
        func issueRow(_ issue: String, _ plan: String, _ element: NodeID, _ mandate: NodeID, relation: RelationKind, provenance: String,
                      times: Int, _ detail: String) {
            issueRows.append([.text(issue), .text(plan), .id(element)] + index.labels(element) + [.id(mandate)] + index.labels(mandate)
                + [.text(relation.rawValue), .text(provenance), .integer(times), .text(detail)])
        }

        // Repeated ids within one list.
        let duplicates = duplicates()
        for link in duplicates {
            let detail = "listed \(link.occurrences) times in one list (\(basis(link.edge))); counted once"
            issueRow("duplicate-in-list", link.plan, link.element, link.mandate, relation: .implements, provenance: link.edge.provenance.name,
                     times: link.occurrences, detail)
            part.findings.append(Finding(.warning, code: "duplicate-citation",
                                         strings("finding.duplicate-citation", ["element": link.element, "plan": link.plan, "mandate": link.mandate, "times": link.occurrences]),
                                         ids: [link.element, link.mandate]))
        }
        let declaredDuplicates = duplicates.filter(\.isDeclared)
        let repeats = duplicates.map { "\($0.element) → \($0.mandate) ×\($0.occurrences)" }.joined(separator: "; ")
        part.headline.append(HeadlineFigure(
            strings("headline.duplicates"), duplicates.count,
            note: duplicates.isEmpty ? nil
                : declaredDuplicates.count < duplicates.count ? strings("headline.duplicates.note.derived", ["repeats": repeats]) : .same(repeats)))

        // "All of them" scopes.
        let scopes = scopeLinks()
        for link in scopes {
            issueRow("scope", link.plan, link.element, link.mandate, relation: .implements, provenance: link.edge.provenance.name, times: 1,
                     "a stated \"all of them\": counted as one scope citation, not expanded")
        }
        for scope in Set(scopes.map(\.mandate)).sorted() {
            let elements = scopes.filter { $0.mandate == scope }.map(\.element)
            part.findings.append(Finding(.info, code: "scope-citation",
                                         strings("finding.scope-citation", ["count": elements.count, "scope": scope,
                                                                            "label": graph.node(scope)?.label ?? .same(scope.rawValue), "elements": CatalogueList(elements.map(\.rawValue))]),
                                         ids: [scope] + elements))
            part.headline.append(HeadlineFigure(strings("headline.scope", ["scope": scope]), elements.count, note: CatalogueList(elements.map(\.rawValue)).text))
        }

        // What the registry doubts, or knows no proper title for.
        var doubtfulIDs: [NodeID] = []
        var caveatsByStatus: [TitleStatus: Set<NodeID>] = [:]
        for plan in index.plans {
            let named: [(edge: Edge, relation: RelationKind)] = plan.links.map { ($0.edge, RelationKind.implements) } + plan.mentions.map { ($0, RelationKind.mentions) }
            for (edge, relation) in named {
                guard let facts = index.facts[edge.target] else { continue }
                if let doubtful = facts.doubtful {
                    issueRow("doubtful-id", plan.id, edge.source, edge.target, relation: relation, provenance: edge.provenance.name, times: edge.occurrences,
                             "the registry marks the id doubtful: \(doubtful)")
                    doubtfulIDs.append(edge.target)
                }
                if facts.titleStatus.isCaveat {
                    issueRow("title-\(facts.titleStatus.rawValue)", plan.id, edge.source, edge.target, relation: relation,
                             provenance: edge.provenance.name, times: edge.occurrences, facts.titleStatus.explanation.en)
                    caveatsByStatus[facts.titleStatus, default: []].insert(edge.target)
                }
            }
        }
        for id in Set(doubtfulIDs).sorted() {
            let named = index.plans.flatMap { plan in plan.links(to: id).map(\.element) + plan.mentions.filter { $0.target == id }.map(\.source) }
            let cited = index.plans.contains { !$0.links(to: id).isEmpty }
            let values: [String: any CatalogueValue] = ["id": id, "doubt": index.facts[id]!.doubtful!, "elements": CatalogueList(Set(named).sorted().map(\.rawValue))]
            part.findings.append(Finding(.warning, code: "doubtful-id",
                                         cited ? strings("finding.doubtful-id.cited", values) : strings("finding.doubtful-id.mentioned", values),
                                         ids: [id] + Set(named).sorted()))
        }
        for status in [TitleStatus.notFound, .truncated, .gloss, .asCited] {
            guard let ids = caveatsByStatus[status], !ids.isEmpty else { continue }
            part.findings.append(Finding(.info, code: "title-\(status.rawValue)",
                                         strings("finding.title-status", ["count": ids.count, "status": status.explanation, "ids": CatalogueList(ids.sorted().map(\.rawValue))]),
                                         ids: ids.sorted()))
        }
        let named = Set(index.plans.flatMap { $0.links.filter { !$0.isScope }.map(\.mandate) })
        // A title in either language counts; a gloss or a truncated English title does not.
        let untitled = named.filter { index.facts[$0]?.hasTitle != true }
        part.headline.append(HeadlineFigure(
            strings("headline.untitled"), "\(untitled.count) / \(named.count)",
            note: strings("headline.untitled.note", ["en": named.filter { index.facts[$0]?.titleEn != nil }.count,
                                                     "zh": named.filter { index.facts[$0]?.titleZh != nil }.count,
                                                     "count": Set(caveatsByStatus.values.flatMap { $0 }).intersection(named).count])))

        part.tables.append(ResultTable(
            id: "citation-issues", title: strings("table.citation-issues"),
            columns: [column("issue", "column.issue"), column("plan", "column.plan"), column("element", "column.element"),
                      column("element_label_en", "column.element-label-en"), column("element_label_zh", "column.element-label-zh"),
                      column("mandate", "column.mandate-or-scope"), column("mandate_label_en", "column.mandate-label-en"),
                      column("mandate_label_zh", "column.mandate-label-zh"), column("relation", "column.relation"),
                      column("provenance", "column.provenance"), column("times_listed", "column.times-listed"), column("detail", "column.detail")],
            rows: issueRows,
            caption: strings("table.citation-issues.caption")))

        // The curators' notes on citations.
        let notes = qualityNotes()
        let mandateIDs = Set(index.mandates.map(\.id) + index.scopes.map(\.id))
        part.tables.append(ResultTable(
            id: "quality-notes", title: strings("table.quality-notes"),
            columns: [column("dataset", "column.dataset"), column("about", "column.about"), column("mandates", "column.mandates"),
                      column("other_ids", "column.other-ids"), column("source", "column.source"), column("quote", "column.quote"),
                      column("finding", "column.finding"), column("reading", "column.reading")],
            rows: notes.map { note, about in
                [.text(note.dataset), .text(about), .text(note.ids.filter(mandateIDs.contains).joinedIDs),
                 .text(note.ids.filter { !mandateIDs.contains($0) }.joinedIDs), .text(note.citation.reference),
                 .text(note.citation.quote ?? ""), .text(note.finding), .text(note.reading ?? "")]
            },
            caption: strings("table.quality-notes.caption")))
        if !notes.isEmpty {
            part.findings.append(Finding(.info, code: "quality-notes", strings("finding.quality-notes", ["count": notes.count]),
                                         ids: Set(notes.flatMap { $0.note.ids.filter(mandateIDs.contains) }).sorted()))
        }

        // Chronology.
        let chronology = chronology()
        part.tables.append(ResultTable(
            id: "chronology", title: strings("table.chronology"),
            columns: [column("plan", "column.plan"), column("plan_start_year", "column.plan-starts"), column("mandate", "column.mandate"),
                      column("label_en", "column.label-en"), column("label_zh", "column.label-zh"), column("revision", "column.revision"),
                      column("year", "column.year"), column("change", "column.change"), column("cited_by", "column.cited-by"),
                      column("reading", "column.reading"), column("later_elements", "column.later-elements")],
            rows: chronology.map { entry in
                [.text(entry.plan), .integer(entry.planStartYear), .id(entry.mandate)] + index.labels(entry.mandate)
                    + [.text(entry.revision), .integer(entry.year), .text(entry.created ? "created" : "revised"),
                       .text(entry.citedBy.joinedIDs), .text(entry.reading),
                       .text(entry.laterElements.isEmpty ? "none" : entry.laterElements.map { "\($0.element) (\($0.provenance))" }.joined(separator: ", "))]
            },
            caption: strings("table.chronology.caption")))
        for plan in index.plans {
            let created = chronology.filter { $0.plan == plan.id && $0.created }
            let expected = created.filter { $0.citedBy.isEmpty }
            if !expected.isEmpty {
                let later = Set(expected.flatMap { $0.laterElements.map(\.element) }).sorted()
                let earliest = expected.map(\.year).min()!
                let laterPlans = index.plans.filter { ($0.startYear ?? .min) > earliest }
                let laterText = later.isEmpty
                    ? index.derivedOnlyCaveat(laterPlans).map { strings("finding.created-after-plan.none-later.caveat", ["caveat": $0]) }
                        ?? strings("finding.created-after-plan.none-later")
                    : strings("finding.created-after-plan.later", ["elements": CatalogueList(later.map(\.rawValue))])
                part.findings.append(Finding(.info, code: "created-after-plan",
                                             strings("finding.created-after-plan", [
                                                 "mandates": CatalogueList(expected.map(\.mandate.rawValue)), "revisions": Set(expected.map(\.revision)).sorted().joined(separator: "; "),
                                                 "plan": plan.id, "year": plan.startYear!, "later": laterText]),
                                             ids: expected.map(\.mandate)))
            }
            let anachronisms = created.filter { !$0.citedBy.isEmpty }
            if !anachronisms.isEmpty {
                part.findings.append(Finding(.warning, code: "cited-before-adoption",
                                             strings("finding.cited-before-adoption", ["plan": plan.id, "year": plan.startYear!,
                                                                                       "mandates": CatalogueList(anachronisms.map(\.mandate.rawValue))]),
                                             ids: anachronisms.map(\.mandate) + anachronisms.flatMap(\.citedBy)))
            }
            let revised = chronology.filter { $0.plan == plan.id && !$0.created }
            if !revised.isEmpty {
                part.findings.append(Finding(.info, code: "revised-after-plan",
                                             strings("finding.revised-after-plan", ["plan": plan.id, "count": revised.count,
                                                                                    "revisions": revised.map { "\($0.mandate): \($0.revision)" }.joined(separator: "; ")]),
                                             ids: revised.map(\.mandate)))
            }
        }
        return part
    }
}
