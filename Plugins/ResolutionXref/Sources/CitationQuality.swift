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
                                         "\(link.element) (\(link.plan)) lists \(link.mandate) \(link.occurrences) times in the same citation list; counted once.",
                                         ids: [link.element, link.mandate]))
        }
        let declaredDuplicates = duplicates.filter(\.isDeclared)
        part.headline.append(HeadlineFigure(
            "Ids listed more than once in one citation list", duplicates.count,
            note: duplicates.isEmpty ? nil : duplicates.map { "\($0.element) → \($0.mandate) ×\($0.occurrences)" }.joined(separator: "; ")
                + (declaredDuplicates.count < duplicates.count ? " (derived links repeat the lists they inherit)" : "")))

        // "All of them" scopes.
        let scopes = scopeLinks()
        for link in scopes {
            issueRow("scope", link.plan, link.element, link.mandate, relation: .implements, provenance: link.edge.provenance.name, times: 1,
                     "a stated \"all of them\": counted as one scope citation, not expanded")
        }
        for scope in Set(scopes.map(\.mandate)).sorted() {
            let elements = scopes.filter { $0.mandate == scope }.map(\.element)
            part.findings.append(Finding(.info, code: "scope-citation",
                                         "\(elements.count) element\(elements.count == 1 ? "" : "s") cite \(scope) (\(graph.node(scope)?.label.en ?? scope.rawValue)): \(elements.joinedIDs). Counted as a scope, not expanded into individual resolutions.",
                                         ids: [scope] + elements))
            part.headline.append(HeadlineFigure("Elements citing the scope \(scope)", elements.count, note: elements.joinedIDs))
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
                             provenance: edge.provenance.name, times: edge.occurrences, facts.titleStatus.explanation)
                    caveatsByStatus[facts.titleStatus, default: []].insert(edge.target)
                }
            }
        }
        for id in Set(doubtfulIDs).sorted() {
            let named = index.plans.flatMap { plan in plan.links(to: id).map(\.element) + plan.mentions.filter { $0.target == id }.map(\.source) }
            let cited = index.plans.contains { !$0.links(to: id).isEmpty }
            part.findings.append(Finding(.warning, code: "doubtful-id",
                                         "\(id) is marked doubtful in the registry (\(index.facts[id]!.doubtful!)). \(cited ? "It is cited by" : "It is only mentioned by") \(Set(named).sorted().joinedIDs); not ranked as a mandate of its body.",
                                         ids: [id] + Set(named).sorted()))
        }
        for status in [TitleStatus.notFound, .truncated, .gloss, .asCited] {
            guard let ids = caveatsByStatus[status], !ids.isEmpty else { continue }
            part.findings.append(Finding(.info, code: "title-\(status.rawValue)",
                                         "\(ids.count) mandate\(ids.count == 1 ? "" : "s") named by the plans: \(status.explanation): \(ids.sorted().joinedIDs).",
                                         ids: ids.sorted()))
        }
        let named = Set(index.plans.flatMap { $0.links.filter { !$0.isScope }.map(\.mandate) })
        let untitled = named.filter { index.facts[$0]?.titleStatus == .notRecorded }
        part.headline.append(HeadlineFigure(
            "Cited mandates with no English title in the registry (code label only)", "\(untitled.count) of \(named.count)",
            note: "titles not found, truncated, glossed or verified only as cited: \(Set(caveatsByStatus.values.flatMap { $0 }).intersection(named).count)"))

        part.tables.append(ResultTable(
            id: "citation-issues", title: "Citation issues",
            columns: [TableColumn("issue", "Issue"), TableColumn("plan", "Plan"), TableColumn("element", "Element"),
                      TableColumn("element_label_en", "Element label"), TableColumn("element_label_zh", "要素标签"),
                      TableColumn("mandate", "Mandate or scope"), TableColumn("mandate_label_en", "Mandate label"),
                      TableColumn("mandate_label_zh", "决议标签"), TableColumn("relation", "Relation"),
                      TableColumn("provenance", "Provenance"), TableColumn("times_listed", "Times listed"), TableColumn("detail", "Detail")],
            rows: issueRows,
            caption: "One row per citation with an issue: an id listed twice in one list (duplicate-in-list), a stated \"all of them\" (scope), an id the registry marks doubtful (doubtful-id), or a title the registry could not establish (title-…)."))

        // The curators' notes on citations.
        let notes = qualityNotes()
        let mandateIDs = Set(index.mandates.map(\.id) + index.scopes.map(\.id))
        part.tables.append(ResultTable(
            id: "quality-notes", title: "Curators' data-quality notes on citations",
            columns: [TableColumn("dataset", "Dataset"), TableColumn("about", "About"), TableColumn("mandates", "Mandates"),
                      TableColumn("other_ids", "Other ids"), TableColumn("source", "Source"), TableColumn("quote", "Quote"),
                      TableColumn("finding", "Finding"), TableColumn("reading", "Reading")],
            rows: notes.map { note, about in
                [.text(note.dataset), .text(about), .text(note.ids.filter(mandateIDs.contains).joinedIDs),
                 .text(note.ids.filter { !mandateIDs.contains($0) }.joinedIDs), .text(note.citation.reference),
                 .text(note.citation.quote ?? ""), .text(note.finding), .text(note.reading ?? "")]
            },
            caption: "Oddities of the sources that the curators recorded about mandate ids or about the citation lists of plan elements, with how the datasets read them."))
        if !notes.isEmpty {
            part.findings.append(Finding(.info, code: "quality-notes",
                                         "The curators recorded \(notes.count) data-quality notes about mandates or citation lists (see quality-notes): read them before relying on a single id.",
                                         ids: Set(notes.flatMap { $0.note.ids.filter(mandateIDs.contains) }).sorted()))
        }

        // Chronology.
        let chronology = chronology()
        part.tables.append(ResultTable(
            id: "chronology", title: "Mandates adopted or revised after a plan was drawn up",
            columns: [TableColumn("plan", "Plan"), TableColumn("plan_start_year", "Plan starts"), TableColumn("mandate", "Mandate"),
                      TableColumn("label_en", "Label"), TableColumn("label_zh", "标签"), TableColumn("revision", "Adopted or revised"),
                      TableColumn("year", "Year"), TableColumn("change", "Change"), TableColumn("cited_by", "Cited by (this plan)"),
                      TableColumn("reading", "Reading"), TableColumn("later_elements", "Later-plan elements reaching it")],
            rows: chronology.map { entry in
                [.text(entry.plan), .integer(entry.planStartYear), .id(entry.mandate)] + index.labels(entry.mandate)
                    + [.text(entry.revision), .integer(entry.year), .text(entry.created ? "created" : "revised"),
                       .text(entry.citedBy.joinedIDs), .text(entry.reading),
                       .text(entry.laterElements.isEmpty ? "none" : entry.laterElements.map { "\($0.element) (\($0.provenance))" }.joined(separator: ", "))]
            },
            caption: "A plan drawn up before its first year cannot cite a text adopted in or after that year; a text revised since is cited in its earlier form. Years come from the registry's revision attribute and the plan's label."))
        for plan in index.plans {
            let created = chronology.filter { $0.plan == plan.id && $0.created }
            let expected = created.filter { $0.citedBy.isEmpty }
            if !expected.isEmpty {
                let later = Set(expected.flatMap { $0.laterElements.map(\.element) }).sorted()
                let earliest = expected.map(\.year).min()!
                let laterPlans = index.plans.filter { ($0.startYear ?? .min) > earliest }
                let laterText = later.isEmpty
                    ? "No element of a later plan reaches them" + (index.derivedOnlyCaveat(laterPlans).map { ": \($0)" } ?? "") + "."
                    : "Later-plan elements reaching them: \(later.joinedIDs)."
                part.findings.append(Finding(.info, code: "created-after-plan",
                                             "\(expected.map(\.mandate).joinedIDs) were adopted (\(Set(expected.map(\.revision)).sorted().joined(separator: "; "))), after \(plan.id) (from \(plan.startYear!)) was drawn up: their absence from \(plan.id) is expected (chronology), not a gap. \(laterText)",
                                             ids: expected.map(\.mandate)))
            }
            let anachronisms = created.filter { !$0.citedBy.isEmpty }
            if !anachronisms.isEmpty {
                part.findings.append(Finding(.warning, code: "cited-before-adoption",
                                             "\(plan.id) (from \(plan.startYear!)) cites \(anachronisms.map(\.mandate).joinedIDs), which the registry says were adopted later: check the ids.",
                                             ids: anachronisms.map(\.mandate) + anachronisms.flatMap(\.citedBy)))
            }
            let revised = chronology.filter { $0.plan == plan.id && !$0.created }
            if !revised.isEmpty {
                part.findings.append(Finding(.info, code: "revised-after-plan",
                                             "\(plan.id) cites \(revised.count) mandate\(revised.count == 1 ? "" : "s") revised since it was drawn up (\(revised.map { "\($0.mandate): \($0.revision)" }.joined(separator: "; "))): it cites the earlier text.",
                                             ids: revised.map(\.mandate)))
            }
        }
        return part
    }
}
