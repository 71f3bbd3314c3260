import LinkageKit

/// Two mandates cited by the same elements of one plan.
struct CoCitationPair: Sendable, Equatable {
    var plan: String
    var a: NodeID
    var b: NodeID
    /// Elements citing both, in id order.
    var elements: [NodeID]
    /// Of those, the elements whose links to both are declared.
    var declaredElements: Int

    var weight: Int { elements.count }
    var provenance: String { provenanceName(declared: declaredElements, derived: weight - declaredElements) }
}

/// Part 3: mandates cited together by the same elements, as a weighted undirected graph.
/// Scope nodes take no part: "all WTDC resolutions" is not a resolution, and pairing it with
/// each resolution of the same list would only repeat that list.
struct CoCitation {
    let index: CitationIndex
    let minWeight: Int
    let maxPairs: Int

    var graph: LinkageGraph { index.graph }

    static let relation: RelationKind = "co-cited"

    /// Every pair of mandates cited together by at least one element, heaviest first, then in
    /// id order.
    func pairs(_ plan: PlanCitations) -> [CoCitationPair] {
        struct Key: Hashable { var a: NodeID; var b: NodeID }
        var elements: [Key: [NodeID]] = [:]
        var declared: [Key: Int] = [:]
        for element in plan.plan.elements {
            let links = plan.links(of: element.id).filter { !$0.isScope }
            let declaredMandates = Set(links.filter(\.isDeclared).map(\.mandate))
            let mandates = Set(links.map(\.mandate)).sorted()
            for i in mandates.indices {
                for j in mandates.indices where j > i {
                    let key = Key(a: mandates[i], b: mandates[j])
                    elements[key, default: []].append(element.id)
                    if declaredMandates.contains(key.a) && declaredMandates.contains(key.b) { declared[key, default: 0] += 1 }
                }
            }
        }
        return elements.map { key, ids in
            CoCitationPair(plan: plan.id, a: key.a, b: key.b, elements: ids.sorted(), declaredElements: declared[key] ?? 0)
        }.sorted { x, y in
            if x.weight != y.weight { return x.weight > y.weight }
            if x.a != y.a { return x.a < y.a }
            return x.b < y.b
        }
    }

    /// The least weight a pair needs to be drawn: `minWeight`, raised until at most `maxPairs`
    /// pairs remain (raising the bar instead of cutting inside a tie keeps the choice fair).
    func threshold(_ pairs: [CoCitationPair]) -> Int {
        var bar = minWeight
        while pairs.filter({ $0.weight >= bar }).count > maxPairs { bar += 1 }
        return bar
    }

    /// Groups of mandates joined by drawn pairs (connected components), largest first.
    func clusters(_ pairs: [CoCitationPair]) -> [[NodeID]] {
        var parent: [NodeID: NodeID] = [:]
        func find(_ id: NodeID) -> NodeID {
            var root = id
            while let next = parent[root], next != root { root = next }
            return root
        }
        for pair in pairs {
            if parent[pair.a] == nil { parent[pair.a] = pair.a }
            if parent[pair.b] == nil { parent[pair.b] = pair.b }
            let ra = find(pair.a), rb = find(pair.b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        let groups = Dictionary(grouping: parent.keys, by: find).values.map { $0.sorted() }
        return groups.sorted { x, y in x.count != y.count ? x.count > y.count : x[0] < y[0] }
    }

    func report() -> ReportPart {
        var part = ReportPart()
        var rows: [[TableValue]] = []
        let builder = NetworkViewBuilder(graph: graph)
        for plan in index.plans {
            let pairs = pairs(plan)
            guard !pairs.isEmpty else { continue }
            let bar = threshold(pairs)
            let drawn = !plan.allDerived
            let shown = drawn ? pairs.filter { $0.weight >= bar } : []
            let atMinimum = pairs.filter { $0.weight >= minWeight }.count
            for pair in pairs {
                rows.append([.text(plan.id), .id(pair.a)] + index.labels(pair.a) + [.text(index.body(of: pair.a).rawValue), .id(pair.b)]
                    + index.labels(pair.b) + [.text(index.body(of: pair.b).rawValue), .integer(pair.weight), .text(pair.elements.joinedIDs),
                                              .text(pair.provenance), .text(drawn && pair.weight >= bar ? "yes" : "no")])
            }
            let heaviest = pairs.filter { $0.weight == pairs[0].weight }
            part.headline.append(HeadlineFigure(
                strings("headline.pairs", ["plan": plan.id]), pairs.count,
                note: drawn ? strings("headline.pairs.note", ["count": atMinimum, "weight": minWeight, "shown": shown.count, "bar": bar])
                    : strings("headline.pairs.note.no-diagram", ["count": atMinimum, "weight": minWeight])))
            part.headline.append(HeadlineFigure(
                strings("headline.heaviest", ["plan": plan.id]),
                heaviest.map { "\($0.a) + \($0.b)" }.joined(separator: "; "),
                note: heaviest.count > 1
                    ? (plan.allDerived ? strings("headline.heaviest.note.each.derived", ["count": pairs[0].weight]) : strings("headline.heaviest.note.each", ["count": pairs[0].weight]))
                    : (plan.allDerived ? strings("headline.heaviest.note.derived", ["count": pairs[0].weight]) : strings("headline.heaviest.note", ["count": pairs[0].weight]))))
            let clusters = clusters(pairs.filter { $0.weight >= bar })
            if !clusters.isEmpty {
                part.findings.append(Finding(
                    .info, code: "co-citation-clusters",
                    strings(plan.allDerived ? "finding.clusters.derived" : "finding.clusters", [
                        "plan": plan.id, "bar": bar, "count": clusters.count,
                        "groups": clusters.map { "{" + $0.joinedIDs + "}" }.joined(separator: "; ")]),
                    ids: clusters.flatMap { $0 }))
            }
            // A plan whose links are all derived only repeats, as unions, the lists of the plan
            // it inherits from: its clusters are that plan's, so no diagram of its own (its
            // pairs stay in the table, marked derived).
            if plan.allDerived {
                part.notes.append(strings("note.no-co-citation-diagram", ["plan": plan.id]))
            } else if !shown.isEmpty {
                part.views.append(view(plan, shown: shown, all: pairs.count, bar: bar, builder: builder))
            }
        }
        part.tables.append(ResultTable(
            id: "co-citation", title: strings("table.co-citation"),
            columns: [column("plan", "column.plan"), column("mandate_a", "column.mandate-a"), column("label_a_en", "column.label-a-en"),
                      column("label_a_zh", "column.label-a-zh"), column("body_a", "column.body-a"), column("mandate_b", "column.mandate-b"),
                      column("label_b_en", "column.label-b-en"), column("label_b_zh", "column.label-b-zh"), column("body_b", "column.body-b"),
                      column("elements", "column.elements-citing-both"), column("element_ids", "column.elements"),
                      column("provenance", "column.provenance"), column("in_diagram", "column.in-diagram")],
            rows: rows,
            caption: strings("table.co-citation.caption")))
        return part
    }

    private func view(_ plan: PlanCitations, shown: [CoCitationPair], all: Int, bar: Int, builder: NetworkViewBuilder) -> ViewSpec {
        let ids = Set(shown.flatMap { [$0.a, $0.b] }).sorted()
        let nodes = ids.map { id -> ViewNode in
            var node = builder.viewNode(id)
            let n = plan.elements(citing: id).count
            let base = graph.node(id)?.label ?? LocalizedText(zh: id.rawValue, en: id.rawValue)
            // The id is the code line (it reads the same in both languages); the label says how
            // many elements cite the mandate. The registry's label is in the tooltip.
            node.code = id.rawValue
            node.label = strings("view.cited-by", ["count": n])
            node.maxLabelLines = 1
            node.tooltip = strings("view.cited-by.tooltip", ["id": id, "label": base, "count": n, "plan": plan.id,
                                                             "elements": CatalogueList(plan.elements(citing: id).map(\.rawValue))])
            return node
        }
        let label = strings("view.cited-together")
        let edges = shown.map { pair in
            ViewEdge(source: pair.a, target: pair.b, relation: Self.relation, relationLabel: label,
                     declared: pair.provenance == "declared",
                     tooltip: "\(pair.provenance): cited together by \(pair.weight) elements: \(pair.elements.joinedIDs)",
                     weight: pair.weight, label: String(pair.weight), directed: false)
        }
        // Plans whose links are all derived get no diagram; a plan mixing both draws a pair
        // dashed unless every element citing both states both links.
        let derivedNote = shown.contains { $0.provenance != "declared" } ? strings("view.co-citation.dashed") : .same("")
        return ViewSpec(
            id: "co-citation-" + ViewSpec.fileSafe(plan.id),
            title: strings("view.co-citation.title", ["plan": plan.plan.label]),
            subtitle: strings("view.co-citation.subtitle", ["shown": shown.count, "bar": bar, "all": all, "dashed": derivedNote]),
            diagram: .network(NetworkView(nodes: nodes, edges: edges, layout: .spring)))
    }
}
