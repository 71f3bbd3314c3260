import LinkageKit

/// Part 2: one diagram per plan, plan elements (boxed by their group) -> action lines -> SDG goals.
/// Element -> line links are the graph's own (dashed when derived); line -> goal links aggregate the
/// WSIS-SDG matrix rows of the line per goal, with the number of targets on the line.
struct PlanDiagram {
    let graph: LinkageGraph
    let catalog: ActionLineCatalog
    let matrix: SDGMatrix
    let reading: SubLineReading
    /// Line -> goal arrows are drawn when the matrix maps at least this many targets of the goal
    /// (0: every row, goal-level rows included); the rest are in the tables and the matrix grid.
    var minimumTargets = 0

    /// The matrix rows of one shown line, per goal: its own rows and, with the sub-lines reading,
    /// those of its sub-lines (then the link is this analysis's inference, not a matrix row of C7).
    struct GoalLink {
        var line: NodeID
        var goal: NodeID
        var targets: [NodeID] = []
        var goalRow = false
        /// Sub-lines whose rows were folded into this link.
        var throughSubLines: [NodeID] = []
        var allRowsDeclared = true

        /// The text on the line: the number of targets; `G` when the matrix names the goal itself.
        var label: String {
            switch (goalRow, targets.count) {
            case (true, 0): "G"
            case (true, let n): "G+\(n)"
            case (false, let n): "\(n)"
            }
        }
    }

    func goalLinks(of line: NodeID) -> [GoalLink] {
        var byGoal: [NodeID: GoalLink] = [:]
        var sources: [(line: NodeID, viaSubLine: Bool)] = [(line, false)]
        if reading == .subLines { sources += catalog.subLines(of: line).map { ($0, true) } }
        for source in sources {
            for row in matrix.rows(of: source.line) {
                var link = byGoal[row.goal] ?? GoalLink(line: line, goal: row.goal)
                if let target = row.target {
                    if !link.targets.contains(target) { link.targets.append(target) }
                } else {
                    link.goalRow = true
                }
                if source.viaSubLine, !link.throughSubLines.contains(source.line) { link.throughSubLines.append(source.line) }
                link.allRowsDeclared = link.allRowsDeclared && row.declared
                byGoal[row.goal] = link
            }
        }
        return byGoal.keys.sorted().map { goal in
            var link = byGoal[goal]!
            link.targets.sort()
            return link
        }
    }

    func view(for links: PlanLineLinks) -> ViewSpec {
        let plan = links.plan
        let builder = NetworkViewBuilder(graph: graph)
        let linked = plan.elements.filter { !links.links(of: $0.id).isEmpty }
        // Document order: C1 … C11 (sub-lines after their line), "all action lines" last.
        let shownLines = Set(links.allLinks.map(\.line)).sorted { a, b in
            (catalog.isScope(a) ? 1 : 0, catalog.order(of: a)) < (catalog.isScope(b) ? 1 : 0, catalog.order(of: b))
        }
        let allGoalLinks = shownLines.filter { !catalog.isScope($0) }.flatMap { goalLinks(of: $0) }
        let lineGoalLinks = allGoalLinks.filter { minimumTargets == 0 || $0.targets.count >= minimumTargets }
        let goals = Set(lineGoalLinks.map(\.goal)).sorted()

        let elementEdges = linked.flatMap { graph.outgoing($0.id, relation: .supportsWSIS) }
        let groupKinds: Set<NodeKind> = plan.spec.groups.map { [$0] } ?? []
        var network = builder.build(
            nodes: linked.map(\.id) + shownLines + goals, edges: elementEdges, groupKinds: groupKinds,
            ranks: [linked.map(\.id), shownLines, goals])
        // A plan without groups but with several element kinds (KAP: priorities, enablers) is boxed by
        // kind, in the order the plan lists its element kinds.
        if groupKinds.isEmpty, Set(linked.map(\.kind)).count > 1 {
            network.groups = plan.spec.elements.filter { kind in linked.contains { $0.kind == kind } }.map { kind in
                ViewGroup(id: "kind-\(kind)", label: graph.vocabulary.spec(kind)?.label ?? LocalizedText(zh: kind.rawValue, en: kind.rawValue),
                          members: linked.filter { $0.kind == kind }.map(\.id))
            }
        }
        // Plan elements and action lines keep two lines of their label (the tooltip has the full
        // text), so that the element column is not taller than the goals it leads to. A line whose
        // weaker mappings are not drawn says how many goals are left out: `WSIS-C3 (+16)`.
        for index in network.nodes.indices where network.nodes[index].kind == .wsisActionLine || network.nodes[index].role == .planElement {
            network.nodes[index].maxLabelLines = 2
            let id = network.nodes[index].id
            let left = allGoalLinks.filter { $0.line == id }.count - lineGoalLinks.filter { $0.line == id }.count
            if left > 0 { network.nodes[index].code = "\(id) (+\(left))" }
        }
        let relationLabel = graph.vocabulary.spec(.mapsToSDG)?.label ?? strings("relation.maps-to-sdg")
        // Lines run left to right only, so they carry no arrowheads; line → goal lines take the
        // goal's colour and say their number of targets in the tooltip (and by their width).
        for index in network.edges.indices { network.edges[index].directed = false }
        network.lineColourKey = strings("diagram.line-colour-key")
        for link in lineGoalLinks {
            var tooltip = "WSIS-SDG matrix (UWI transcription): "
            tooltip += link.goalRow ? "the goal itself" : ""
            if !link.targets.isEmpty {
                tooltip += (link.goalRow ? " and " : "") + Describe.plural(link.targets.count, "target") + ": " + Describe.ids(link.targets)
            }
            if !link.throughSubLines.isEmpty {
                tooltip += ". Inferred by this analysis: the matrix has these rows for the sub-lines " + Describe.ids(link.throughSubLines)
                    + " of \(link.line), none for \(link.line) as a whole"
            }
            network.edges.append(ViewEdge(
                source: link.line, target: link.goal, relation: .mapsToSDG, relationLabel: relationLabel,
                declared: link.allRowsDeclared && link.throughSubLines.isEmpty, tooltip: tooltip + " (\(link.label))",
                weight: link.targets.count + (link.goalRow ? 1 : 0), directed: false, colour: graph.officialColour(of: link.goal)))
        }

        let hidden = plan.elements.count - linked.count
        let anyDerived = elementEdges.contains { !$0.isDeclared }
        let gathered = Set(lineGoalLinks.filter { !$0.throughSubLines.isEmpty }.map(\.line)).sorted()
        let subtitle = hidden > 0 ? strings("diagram.subtitle.hidden", ["count": linked.count, "hidden": hidden])
            : strings("diagram.subtitle", ["count": linked.count])
        var caption = [strings("diagram.caption.colour")]
        if minimumTargets > 0 {
            caption.append(strings("diagram.caption.drawn", ["drawn": lineGoalLinks.count, "all": allGoalLinks.count, "minimum": minimumTargets]))
        }
        if !gathered.isEmpty {
            caption.append(strings("diagram.caption.gathered", ["lines": Describe.ids(gathered)]))
        }
        if links.allLinks.contains(where: { catalog.isScope($0.line) }) {
            caption.append(strings("diagram.caption.wsis-all"))
        }
        if anyDerived, let derived = DerivationCaption.describe(routes: elementEdges.map { [$0] }, graph: graph, plan: plan.label) {
            caption.append(derived)
        }
        return ViewSpec(
            id: "plan-lines-sdg-\(ViewSpec.fileSafe(plan.id))",
            title: strings("diagram.title", ["plan": plan.label]),
            subtitle: subtitle,
            // Sentences joined as each language joins them: a space in English, nothing in Chinese.
            caption: LocalizedText(zh: caption.map(\.zh).joined(), en: caption.map(\.en).joined(separator: " ")),
            diagram: .network(network))
    }

    /// The WSIS-SDG matrix itself as a grid: action lines × goals, the number of targets per cell.
    func matrixView() -> ViewSpec {
        let goals = graph.sdgGoals
        var cells: [[MatrixCell]] = []
        var maximum = 1
        var counts: [[GoalLink?]] = []
        for line in catalog.lines {
            let byGoal = Dictionary(uniqueKeysWithValues: PlanDiagram(graph: graph, catalog: catalog, matrix: matrix, reading: .none)
                .goalLinks(of: line.id).map { ($0.goal, $0) })
            let row = goals.map { byGoal[$0.id] }
            maximum = max(maximum, row.compactMap { $0?.targets.count }.max() ?? 0)
            counts.append(row)
        }
        for (r, line) in catalog.lines.enumerated() {
            cells.append(goals.enumerated().map { c, goal in
                guard let link = counts[r][c] else { return MatrixCell("") }
                let colour = graph.officialColour(of: goal.id) ?? "#9E9E9E"
                let strength = 0.25 + 0.75 * Double(max(link.targets.count, 1)) / Double(maximum)
                let tooltip = "\(line.id) → \(goal.id): " + (link.goalRow ? "goal itself" : "")
                    + (link.targets.isEmpty ? "" : (link.goalRow ? "; " : "") + Describe.ids(link.targets))
                return MatrixCell(link.label, colour: ColourScale.tint(colour, strength: strength), tooltip: tooltip)
            })
        }
        return ViewSpec(
            id: "wsis-sdg-matrix",
            title: strings("matrix.title"),
            subtitle: strings("matrix.subtitle"),
            diagram: .matrix(MatrixView(
                rowHeader: strings("matrix.rows"),
                columnHeader: strings("matrix.columns"),
                rows: catalog.lines.map { line in
                    // Sub-lines read "C7 › E-health": their own number repeats the title.
                    let code = catalog.parent(of: line.id).flatMap { graph.node($0) }.map { Self.shortCode($0) + " ›" } ?? Self.shortCode(line)
                    return MatrixAxisEntry(label: LocalizedText(zh: "\(code) \(line.label.zh)", en: "\(code) \(line.label.en)"),
                                           tooltip: "\(line.id) \(line.label.en)")
                },
                columns: goals.map { MatrixAxisEntry.sdgGoal($0) },
                cells: cells,
                footnote: matrixFootnote())))
    }

    /// `C2` for WSIS-C2: the line's own number, else its id.
    static func shortCode(_ line: Node) -> String { line.attributes["number"]?.description ?? line.id.rawValue }

    /// What to be careful about in the grid, from the data: lines with sub-lines and no rows of their own.
    func matrixFootnote() -> LocalizedText {
        let wholes = catalog.mainLines.filter { !catalog.subLines(of: $0.id).isEmpty && matrix.rows(of: $0.id).isEmpty }.map(\.id)
        return wholes.isEmpty ? strings("matrix.footnote") : strings("matrix.footnote.wholes", ["lines": Describe.ids(wholes)])
    }
}
