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
        let relationLabel = graph.vocabulary.spec(.mapsToSDG)?.label ?? LocalizedText(zh: "对应可持续发展目标", en: "maps to SDG")
        // Lines run left to right only, so they carry no arrowheads; line → goal lines take the
        // goal's colour and say their number of targets in the tooltip (and by their width).
        for index in network.edges.indices { network.edges[index].directed = false }
        network.lineColourKey = LocalizedText(zh: "行动方面到目标的线为该目标的颜色", en: "action line to goal in the colour of the goal")
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
        var en = "Left: \(Describe.plural(linked.count, "plan element")) with an action-line link, in document order"
        var zh = "左：有行动方面联系的\(linked.count)个计划要素（按文件顺序）"
        if hidden > 0 {
            en += " (\(hidden) without one are not drawn)"
            zh += "（另有\(hidden)个无此联系，未画出）"
        }
        en += "; middle: the action lines they link to; right: the SDG goals the WSIS-SDG matrix (UWI transcription) maps those lines to."
        zh += "；中：其联系的行动方面；右：WSIS-SDG对照矩阵（UWI转录本）将这些行动方面对应到的可持续发展目标。"
        var captionEN = "A line from an action line to a goal is drawn in the goal's colour, thicker for more matrix targets in that goal (the number is in its tooltip and in the tables). "
        var captionZH = "行动方面到目标的连线采用该目标的颜色，矩阵中该目标下的具体目标越多，线越粗（数目见提示和表格）。"
        if minimumTargets > 0 {
            captionEN += "Drawn: \(lineGoalLinks.count) of \(allGoalLinks.count) line–goal mappings, those with at least \(Describe.plural(minimumTargets, "target")); "
                + "(+n) after a line = n more goals it maps to, not drawn (all are in the WSIS-SDG matrix grid and the tables). "
            captionZH += "仅画出具体目标数不少于\(minimumTargets)的对应（共\(allGoalLinks.count)项中的\(lineGoalLinks.count)项）；"
                + "行动方面后的(+n)＝另有n个对应目标未画出（全部见WSIS-SDG矩阵图和表格）。"
        }
        if !gathered.isEmpty {
            let list = Describe.ids(gathered)
            captionEN += "\(list): the matrix has no rows for the line as a whole; its lines gather the rows of its sub-lines (dashed: this analysis's reading). "
            captionZH += "\(list)：矩阵中该行动方面本身无对应行，其连线汇总各子行动方面的对应（虚线：本分析的解读）。"
        }
        if links.allLinks.contains(where: { catalog.isScope($0.line) }) {
            captionEN += "WSIS-ALL (all action lines) is not expanded. "
            captionZH += "WSIS-ALL（所有行动方面）不展开。"
        }
        if anyDerived, let derived = DerivationCaption.describe(routes: elementEdges.map { [$0] }, graph: graph, plan: plan.label) {
            captionEN += derived.en
            captionZH += derived.zh
        }
        return ViewSpec(
            id: "plan-lines-sdg-\(ViewSpec.fileSafe(plan.id))",
            title: LocalizedText(zh: "\(plan.label.zh)：计划要素 → WSIS行动方面 → 可持续发展目标",
                                 en: "\(plan.label.en): plan elements → WSIS action lines → SDG goals"),
            subtitle: LocalizedText(zh: zh, en: en),
            caption: LocalizedText(zh: captionZH, en: captionEN.trimmingCharacters(in: .whitespaces)),
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
            title: LocalizedText(zh: "WSIS-SDG对照矩阵：行动方面 × 可持续发展目标", en: "WSIS-SDG matrix: action lines × SDG goals"),
            subtitle: LocalizedText(
                zh: "每格：矩阵将该行动方面对应到的该目标下具体目标数；G＝对应整个目标。",
                en: "Each cell: the number of targets of the goal the matrix maps the line to; G = the goal itself."),
            diagram: .matrix(MatrixView(
                rowHeader: LocalizedText(zh: "行动方面", en: "Action line"),
                columnHeader: LocalizedText(zh: "目标", en: "Goal"),
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
        var zh = "一个行动方面可同时对应整个目标及其具体目标（G+n）。", en = "A line may map a goal both as a whole and through targets (G+n)."
        if !wholes.isEmpty {
            let list = Describe.ids(wholes)
            zh = "\(list)本身在矩阵中无对应行，矩阵只按其子行动方面给出。" + zh
            en = "The matrix has no rows for \(list) as a whole, only for its sub-lines. " + en
        }
        return LocalizedText(zh: zh + "来源：UWI对ITU/联合国WSIS-SDG矩阵的第三方转录本。",
                             en: en + " Source: UWI's third-party transcription of the ITU/UN WSIS-SDG matrix.")
    }
}
