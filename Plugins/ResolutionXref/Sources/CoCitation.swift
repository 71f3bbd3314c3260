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
                "\(plan.id): pairs of mandates cited together", pairs.count,
                note: "\(atMinimum) by at least \(minWeight) elements; "
                    + (drawn ? "the diagram shows the \(shown.count) cited together by at least \(bar)" : "no diagram: every link derived")))
            part.headline.append(HeadlineFigure(
                "\(plan.id): most often cited together",
                heaviest.map { "\($0.a) + \($0.b)" }.joined(separator: "; "),
                note: "\(pairs[0].weight) elements\(heaviest.count > 1 ? " each" : "")\(plan.allDerived ? " (derived links)" : "")"))
            let clusters = clusters(pairs.filter { $0.weight >= bar })
            if !clusters.isEmpty {
                part.findings.append(Finding(
                    .info, code: "co-citation-clusters",
                    "\(plan.id): mandates cited together by at least \(bar) elements form \(clusters.count) group\(clusters.count == 1 ? "" : "s"): "
                        + clusters.map { "{" + $0.joinedIDs + "}" }.joined(separator: "; ") + (plan.allDerived ? " (derived links, inherited from the citations of another plan)." : "."),
                    ids: clusters.flatMap { $0 }))
            }
            // A plan whose links are all derived only repeats, as unions, the lists of the plan
            // it inherits from: its clusters are that plan's, so no diagram of its own (its
            // pairs stay in the table, marked derived).
            if plan.allDerived {
                part.notes.append("No co-citation diagram for \(plan.id): all its links are derived, so its pairs only combine the citation lists it inherits (they are in co-citation.csv, provenance derived).")
            } else if !shown.isEmpty {
                part.views.append(view(plan, shown: shown, all: pairs.count, bar: bar, builder: builder))
            }
        }
        part.tables.append(ResultTable(
            id: "co-citation", title: "Co-citation: mandates cited by the same elements",
            columns: [TableColumn("plan", "Plan"), TableColumn("mandate_a", "Mandate A"), TableColumn("label_a_en", "Label A"),
                      TableColumn("label_a_zh", "标签A"), TableColumn("body_a", "Body A"), TableColumn("mandate_b", "Mandate B"),
                      TableColumn("label_b_en", "Label B"), TableColumn("label_b_zh", "标签B"), TableColumn("body_b", "Body B"),
                      TableColumn("elements", "Elements citing both"), TableColumn("element_ids", "Elements"),
                      TableColumn("provenance", "Provenance"), TableColumn("in_diagram", "In diagram")],
            rows: rows,
            caption: "Every pair of mandates cited by at least one common element of a plan, heaviest first. Scope nodes take no part."))
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
            node.label = LocalizedText(zh: "被\(n)个要素引用", en: "cited by \(n) element\(n == 1 ? "" : "s")")
            node.maxLabelLines = 1
            node.tooltip = LocalizedText(
                zh: "\(id) \(base.zh)\n被\(plan.id)的\(n)个要素引用：\(plan.elements(citing: id).joinedIDs)",
                en: "\(id) \(base.en)\ncited by \(n) elements of \(plan.id): \(plan.elements(citing: id).joinedIDs)")
            return node
        }
        let label = LocalizedText(zh: "共同被引用（数字 = 同时引用二者的要素数）", en: "cited together (number = elements citing both)")
        let edges = shown.map { pair in
            ViewEdge(source: pair.a, target: pair.b, relation: Self.relation, relationLabel: label,
                     declared: pair.provenance == "declared",
                     tooltip: "\(pair.provenance): cited together by \(pair.weight) elements: \(pair.elements.joinedIDs)",
                     weight: pair.weight, label: String(pair.weight), directed: false)
        }
        // Plans whose links are all derived get no diagram; a plan mixing both draws a pair
        // dashed unless every element citing both states both links.
        let derivedNote = shown.contains { $0.provenance != "declared" }
            ? LocalizedText(zh: "虚线：至少有一项联系为推导所得。", en: "Dashed: at least one of the links is derived.")
            : LocalizedText(zh: "", en: "")
        return ViewSpec(
            id: "co-citation-" + ViewSpec.fileSafe(plan.id),
            title: LocalizedText(zh: "\(plan.plan.label.zh)：共同被引用的决议", en: "\(plan.plan.label.en): mandates cited together"),
            subtitle: LocalizedText(
                zh: "连线表示两项决议/决定/建议被同一些要素共同引用，数字为共同引用的要素数；仅显示至少被\(bar)个要素共同引用的\(shown.count)对（共\(all)对，全部见co-citation.csv）。颜色按机构（PP/WTDC）区分；“所有WTDC决议”范围节点不参与。\(derivedNote.zh)",
                en: "A line joins two mandates cited by the same elements; the number is how many elements cite both. Only the \(shown.count) pairs cited together by at least \(bar) elements are drawn (of \(all); all in co-citation.csv). Colour by body (PP/WTDC); the scope \"all WTDC resolutions\" takes no part. \(derivedNote.en)"),
            diagram: .network(NetworkView(nodes: nodes, edges: edges, layout: .spring)))
    }
}
