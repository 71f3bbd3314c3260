import LinkageKit

/// The diagrams of one plan, in document order: a heat map (element × goal), an overview a
/// reader can follow link by link (one line per element and goal, in the goal's colour, the
/// targets listed in the goal box), and one small figure per element (the element, its goals,
/// its targets), which is what a report section about one priority needs.
struct PlanViews {
    let graph: LinkageGraph
    let coverage: PlanCoverage
    /// The elements drawn (the `elements` option), in document order.
    let shown: [ElementCoverage]

    init(graph: LinkageGraph, coverage: PlanCoverage, include: (Node) -> Bool = { _ in true }) {
        self.graph = graph
        self.coverage = coverage
        shown = coverage.elements.filter { include($0.element) }
    }

    func views() -> [ViewSpec] {
        guard !shown.isEmpty else { return [] }
        var views: [ViewSpec] = []
        if shown.contains(where: \.hasAnySDGLink) { views += [heatMap(), overview()] }
        views += shown.map(elementFigure)
        return views
    }

    private var plan: ResolvedPlan { coverage.plan }

    /// The block an element is drawn in: its group (objective), or its kind when the plan has
    /// several kinds of element and no groups (KAP priorities, then enablers).
    private func block(of element: Node) -> (id: String, label: LocalizedText)? {
        if let group = plan.group(of: element.id) {
            return (group.id.rawValue, LocalizedText(zh: "\(group.id) \(group.label.zh)", en: "\(group.id) \(group.label.en)"))
        }
        guard Set(plan.elements.map(\.kind)).count > 1 else { return nil }
        let label = graph.vocabulary.spec(element.kind)?.label ?? LocalizedText(zh: element.kind.rawValue, en: element.kind.rawValue)
        return ("kind-\(element.kind)", label)
    }

    private func caption(_ elements: [ElementCoverage], marker: LocalizedText = LocalizedText(zh: "虚线", en: "dashed")) -> LocalizedText? {
        DerivationCaption.describe(routes: elements.flatMap { $0.links.map(\.steps) }, graph: graph, plan: plan.label, marker: marker)
    }

    private func goalNumber(_ goal: NodeID) -> String { String(goal.rawValue.dropFirst(4)) }

    /// `9.c` for SDG-9.c.
    private func targetCode(_ target: NodeID) -> String { String(target.rawValue.dropFirst(4)) }

    // MARK: Heat map

    func heatMap() -> ViewSpec {
        let goals = graph.sdgGoals
        let rows = shown
        let usesAll = rows.contains { $0.allSDGs != nil }
        let maximum = max(1, rows.flatMap { row in goals.map { row.targets(inGoal: $0.id, graph: graph).count } }.max() ?? 1)
        var cells: [[MatrixCell]] = []
        for row in rows {
            var line: [MatrixCell] = []
            for goal in goals {
                let targets = row.targets(inGoal: goal.id, graph: graph)
                let goalLink = row.goalLinks[goal.id]
                var text = targets.isEmpty ? "" : String(targets.count)
                if goalLink != nil { text += text.isEmpty ? "G" : "+G" }
                let derivedOnly = !text.isEmpty && targets.allSatisfy { row.targets[$0] == false } && goalLink != true
                if derivedOnly { text += "*" }
                let strength = targets.isEmpty ? (goalLink == nil ? 0 : 0.18) : 0.25 + 0.75 * Double(targets.count) / Double(maximum)
                let colour = strength == 0 ? nil : graph.officialColour(of: goal.id).map { ColourScale.tint($0, strength: strength) }
                let tooltip = text.isEmpty ? nil
                    : "\(row.element.id) → \(goal.id): " + (targets.isEmpty ? "" : targets.map { $0.rawValue }.joined(separator: ", "))
                        + (goalLink != nil ? " (goal named without a target)" : "") + (derivedOnly ? " — derived" : "")
                line.append(MatrixCell(text.isEmpty ? "" : text, colour: colour, tooltip: tooltip))
            }
            if usesAll {
                if let all = row.allSDGs {
                    line.append(MatrixCell(all ? "✓" : "✓*", colour: "#E0E0E0", tooltip: "\(row.element.id) → all SDGs"))
                } else {
                    line.append(MatrixCell(""))
                }
            }
            cells.append(line)
        }
        let columns = goals.map { MatrixAxisEntry.sdgGoal($0, withTitle: true) }
            + (usesAll ? [MatrixAxisEntry(label: LocalizedText(zh: "所有目标", en: "All SDGs"), colour: "#9E9E9E")] : [])
        let rowEntries = rows.map { row in
            MatrixAxisEntry(label: LocalizedText(zh: "\(row.element.id) \(row.element.label.zh)", en: "\(row.element.id) \(row.element.label.en)"),
                            tooltip: row.element.label.en, group: block(of: row.element)?.label)
        }
        let footnote = LocalizedText(
            zh: "数字：该元素所联系的该目标下不同具体目标的数量；G：只提及目标、未指明具体目标；*：仅有推导的联系（非文件明确陈述）"
                + (usesAll ? "；✓：“所有可持续发展目标”" : "") + "。颜色为联合国官方目标颜色，越深表示具体目标越多。",
            en: "Number: distinct targets of the goal the element reaches. G: the goal is named without a target. *: derived links only (no document states them)."
                + (usesAll ? " ✓: \"all SDGs\"." : "") + " Colours are the goals' official UN colours, darker for more targets.")
        return ViewSpec(
            id: "heatmap-\(ViewSpec.fileSafe(plan.id))",
            title: LocalizedText(zh: "\(plan.label.zh)：可持续发展目标覆盖热图", en: "\(plan.label.en): SDG coverage heat map"),
            subtitle: LocalizedText(zh: "每行一个计划要素（按文件顺序），每列一个可持续发展目标（1–17）。",
                                    en: "One row per plan element (in document order), one column per SDG goal (1–17)."),
            caption: caption(rows, marker: LocalizedText(zh: "标*", en: "marked *")),
            diagram: .matrix(MatrixView(
                rowHeader: LocalizedText(zh: "计划要素", en: "Plan element"), columnHeader: LocalizedText(zh: "目标", en: "Goal"),
                rows: rowEntries, columns: columns, cells: cells, footnote: footnote)))
    }

    // MARK: Overview

    /// The goals an element reaches, for its box: `→ SDG 1 · 4 · 9`.
    private func goalList(_ element: ElementCoverage) -> LocalizedText? {
        let numbers = element.goalsReached(graph: graph).sorted().map(goalNumber)
        guard !numbers.isEmpty || element.allSDGs != nil else { return nil }
        var zh = numbers.isEmpty ? [] : ["目标 " + numbers.joined(separator: " · ")]
        var en = numbers.isEmpty ? [] : ["SDG " + numbers.joined(separator: " · ")]
        if element.allSDGs != nil {
            zh.append("所有目标")
            en.append("all SDGs")
        }
        return LocalizedText(zh: "→ " + zh.joined(separator: " · "), en: "→ " + en.joined(separator: " · "))
    }

    func overview() -> ViewSpec {
        let builder = NetworkViewBuilder(graph: graph)
        let linked = shown.filter(\.hasAnySDGLink)
        var nodes: [ViewNode] = []
        var edges: [ViewEdge] = []
        var goalTargets: [NodeID: [NodeID: Int]] = [:]  // goal → target → number of elements
        var goalLevel: [NodeID: Int] = [:]               // goal → elements naming it without a target
        var usesAll = false
        for element in linked {
            var node = builder.viewNode(element.element.id)
            node.maxLabelLines = 2
            node.details = goalList(element)
            nodes.append(node)
            for goal in element.goalsReached(graph: graph).sorted() {
                let targets = element.targets(inGoal: goal, graph: graph)
                for target in targets { goalTargets[goal, default: [:]][target, default: 0] += 1 }
                if goalTargets[goal] == nil { goalTargets[goal] = [:] }
                let goalLink = element.goalLinks[goal]
                if goalLink != nil { goalLevel[goal, default: 0] += 1 }
                let declared = targets.contains { element.targets[$0] == true } || goalLink == true
                let detail = (targets.isEmpty ? "the goal named without a target" : "targets " + targets.map { $0.rawValue }.joined(separator: ", "))
                    + (goalLink != nil && !targets.isEmpty ? "; the goal itself named too" : "")
                    + (declared ? "" : " — derived: " + derivationNote(element, goal: goal))
                // No arrowheads: every line runs from an element on the left to a goal on the
                // right, and eighteen arrowheads on one goal box only hide where lines end.
                edges.append(ViewEdge(source: element.element.id, target: goal, relation: .advancesSDG, relationLabel: relationLabel,
                                      declared: declared, tooltip: detail, directed: false, colour: graph.officialColour(of: goal)))
            }
            if let all = element.allSDGs {
                usesAll = true
                edges.append(ViewEdge(source: element.element.id, target: "SDG-ALL", relation: .advancesSDG, relationLabel: relationLabel,
                                      declared: all, tooltip: "all SDGs", directed: false, colour: "#616161"))
            }
        }
        for goal in goalTargets.keys.sorted() {
            var card = builder.viewNode(goal)
            // "SDG 9 Industry, …" / "目标9 产业、…": the number as each language writes it.
            card.code = nil
            card.label = LocalizedText(zh: "目标\(goalNumber(goal)) \(card.label.zh)", en: "SDG \(goalNumber(goal)) \(card.label.en)")
            var list = goalTargets[goal]!.sorted { $0.key < $1.key }.map { entry in
                targetCode(entry.key) + (entry.value > 1 ? "×\(entry.value)" : "")
            }
            if let n = goalLevel[goal] { list.append("G" + (n > 1 ? "×\(n)" : "")) }
            card.details = LocalizedText(zh: list.joined(separator: " · "), en: list.joined(separator: " · "))
            card.maxLabelLines = 1
            nodes.append(card)
        }
        if usesAll { nodes.append(builder.viewNode("SDG-ALL")) }
        var groups: [ViewGroup] = []
        for element in linked {
            guard let block = block(of: element.element) else { continue }
            if let index = groups.firstIndex(where: { $0.id == block.id }) {
                groups[index].members.append(element.element.id)
            } else {
                groups.append(ViewGroup(id: block.id, label: block.label, members: [element.element.id]))
            }
        }
        let goalsColumn = goalTargets.keys.sorted() + (usesAll ? ["SDG-ALL"] : [])
        let hidden = coverage.elements.count - linked.count
        var zh = "左：计划要素（按文件顺序，“→”后为其联系的目标）；右：所联系的可持续发展目标（1–17）及具体目标（×n：联系该具体目标的要素数；G：只提及目标）。每条线为一个要素与一个目标的联系，颜色为该目标的颜色。"
        var en = "Left: plan elements in document order (→ the goals each reaches); right: the SDG goals reached (1–17), with the targets reached (×n: elements reaching the target; G: the goal named without a target). One line per element and goal, in the goal's colour."
        if hidden > 0 {
            zh += "另有\(hidden)个要素无可持续发展目标联系，未画出。"
            en += " \(hidden) element\(hidden == 1 ? "" : "s") without an SDG link \(hidden == 1 ? "is" : "are") not drawn."
        }
        return ViewSpec(
            id: "plan-sdg-\(ViewSpec.fileSafe(plan.id))",
            title: LocalizedText(zh: "\(plan.label.zh)：与可持续发展目标的联系", en: "\(plan.label.en): links to the SDGs"),
            subtitle: LocalizedText(zh: zh, en: en),
            caption: caption(linked),
            diagram: .network(NetworkView(
                nodes: nodes, edges: edges, groups: groups, ranks: [linked.map(\.element.id), goalsColumn],
                lineColourKey: LocalizedText(zh: "线的颜色为所联系目标的颜色", en: "each line in the colour of its goal"))))
    }

    // MARK: One element

    /// The element, the goals it reaches (boxes in the goals' colours, 1–17) and the targets in
    /// them (UN order): one line per link, dashed where derived.
    func elementFigure(_ element: ElementCoverage) -> ViewSpec {
        let builder = NetworkViewBuilder(graph: graph)
        let id = element.element.id
        var elementNode = builder.viewNode(id, emphasised: true)
        elementNode.maxLabelLines = 6
        if let block = block(of: element.element), plan.group(of: id) != nil {
            elementNode.details = LocalizedText(zh: "属于 " + block.label.zh, en: "part of " + block.label.en)
        }
        var nodes = [elementNode]
        var edges: [ViewEdge] = []
        var groups: [ViewGroup] = []
        let goals = element.goalsReached(graph: graph).sorted()
        for goal in goals {
            var members: [NodeID] = []
            let colour = graph.officialColour(of: goal)
            if let declared = element.goalLinks[goal] {
                var node = builder.viewNode(goal)
                node.code = nil
                node.label = LocalizedText(zh: "目标\(goalNumber(goal))整体（未指明具体目标）", en: "SDG \(goalNumber(goal)) as a whole (no target named)")
                nodes.append(node)
                members.append(goal)
                edges.append(ViewEdge(source: id, target: goal, relation: .advancesSDG, relationLabel: relationLabel, declared: declared,
                                      tooltip: basis(element, sdgIn: [goal]), colour: colour))
            }
            for target in element.targets(inGoal: goal, graph: graph) {
                var node = builder.viewNode(target)
                node.code = targetCode(target)
                node.maxLabelLines = 3
                nodes.append(node)
                members.append(target)
                let reaching = element.links.filter { $0.target == target }.map(\.sdg)
                edges.append(ViewEdge(source: id, target: target, relation: .advancesSDG, relationLabel: relationLabel,
                                      declared: element.targets[target] == true, tooltip: basis(element, sdgIn: Set(reaching)), colour: colour))
            }
            let goalNode = graph.node(goal)
            groups.append(ViewGroup(id: goal.rawValue,
                                    label: LocalizedText(zh: "目标\(goalNumber(goal)) \(goalNode?.label.zh ?? "")", en: "SDG \(goalNumber(goal)) \(goalNode?.label.en ?? "")"),
                                    members: members, colour: colour))
        }
        if let all = element.allSDGs {
            nodes.append(builder.viewNode("SDG-ALL"))
            edges.append(ViewEdge(source: id, target: "SDG-ALL", relation: .advancesSDG, relationLabel: relationLabel, declared: all,
                                  tooltip: basis(element, sdgIn: ["SDG-ALL"])))
        }
        let targetCount = element.targets.count
        var zh: String, en: String
        // (Both are completed below when the goals sit on both sides.)
        if element.hasAnySDGLink {
            zh = "联系\(goals.count)个可持续发展目标中的\(targetCount)个具体目标" + (element.goalLinks.isEmpty ? "" : "，另有\(element.goalLinks.count)个目标只提及目标本身")
                + (element.allSDGs != nil ? "，并联系“所有可持续发展目标”" : "") + "（目标1–17，具体目标按联合国顺序）。"
            en = "Reaches \(targetCount) target\(targetCount == 1 ? "" : "s") in \(goals.count) SDG goal\(goals.count == 1 ? "" : "s")"
                + (element.goalLinks.isEmpty ? "" : ", and names \(element.goalLinks.count) goal\(element.goalLinks.count == 1 ? "" : "s") without a target")
                + (element.allSDGs != nil ? ", and \"all SDGs\"" : "") + " (goals 1–17, targets in UN order)."
        } else {
            zh = "无可持续发展目标联系：文件未陈述，也无规则推导出任何联系。"
            en = "No SDG link: no document states one and no rule derives one."
        }
        // Many targets: goals on both sides of the element (the lower goal numbers on the left),
        // so that every target keeps its own box and line on one page.
        var ranks: [[NodeID]] = [[id], nodes.dropFirst().map(\.id)]
        let weight = { (group: ViewGroup) -> Double in Double(group.members.count) + 1.6 }
        let total = groups.reduce(0) { $0 + weight($1) }
        if total > 34, groups.count > 1 {
            var left: [ViewGroup] = []
            var used = 0.0
            for group in groups {
                guard left.isEmpty || used + weight(group) / 2 <= total / 2 else { break }
                left.append(group)
                used += weight(group)
            }
            let right = groups.dropFirst(left.count)
            let scope: [NodeID] = element.allSDGs != nil ? ["SDG-ALL"] : []
            ranks = [left.flatMap(\.members), [id], right.flatMap(\.members) + scope]
            if let first = right.first, let last = groups.last {
                zh += "目标\(goalNumber(NodeID(left[0].id)))–\(goalNumber(NodeID(left[left.count - 1].id)))在左，目标\(goalNumber(NodeID(first.id)))–\(goalNumber(NodeID(last.id)))在右。"
                en += " Goals \(goalNumber(NodeID(left[0].id)))–\(goalNumber(NodeID(left[left.count - 1].id))) on the left, \(goalNumber(NodeID(first.id)))–\(goalNumber(NodeID(last.id))) on the right."
            }
        }
        return ViewSpec(
            id: "element-sdg-\(ViewSpec.fileSafe(id.rawValue))",
            title: LocalizedText(zh: "\(id) \(element.element.label.zh)：所联系的可持续发展目标",
                                 en: "\(id) \(element.element.label.en): the SDGs it reaches"),
            subtitle: LocalizedText(zh: zh, en: en),
            caption: caption([element]),
            diagram: .network(NetworkView(
                nodes: nodes, edges: edges, groups: groups, ranks: ranks,
                lineColourKey: LocalizedText(zh: "线的颜色为所联系目标的颜色", en: "each line in the colour of its goal"))))
    }

    /// Where each link to these SDG nodes comes from, for the line's tooltip.
    private func basis(_ element: ElementCoverage, sdgIn ids: Set<NodeID>) -> String {
        element.links.filter { ids.contains($0.sdg) }.map(\.basisText).joined(separator: "\n")
    }

    private var relationLabel: LocalizedText {
        graph.vocabulary.spec(.advancesSDG)?.label ?? LocalizedText(zh: "推动实现可持续发展目标", en: "advances SDG")
    }

    /// The rules behind an element's derived links to a goal, for the tooltip.
    private func derivationNote(_ element: ElementCoverage, goal: NodeID) -> String {
        Set(element.links.filter { $0.goal == goal && !$0.isDeclared }.flatMap(\.derivedRules)).sorted().joined(separator: ", ")
    }
}
