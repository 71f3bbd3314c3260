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

    private func caption(_ elements: [ElementCoverage], marker: LocalizedText = strings("caption.dashed")) -> LocalizedText? {
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
            + (usesAll ? [MatrixAxisEntry(label: strings("heat-map.all-sdgs"), colour: "#9E9E9E")] : [])
        let rowEntries = rows.map { row in
            MatrixAxisEntry(label: LocalizedText(zh: "\(row.element.id) \(row.element.label.zh)", en: "\(row.element.id) \(row.element.label.en)"),
                            tooltip: row.element.label.en, group: block(of: row.element)?.label)
        }
        let footnote = usesAll ? strings("heat-map.footnote.all-sdgs") : strings("heat-map.footnote")
        return ViewSpec(
            id: "heatmap-\(ViewSpec.fileSafe(plan.id))",
            title: strings("heat-map.title", ["plan": plan.label]),
            subtitle: strings("heat-map.subtitle"),
            caption: caption(rows, marker: strings("caption.marked")),
            diagram: .matrix(MatrixView(
                rowHeader: strings("heat-map.rows"), columnHeader: strings("heat-map.columns"),
                rows: rowEntries, columns: columns, cells: cells, footnote: footnote)))
    }

    // MARK: Overview

    /// The goals an element reaches, for its box: `→ SDG 1 · 4 · 9`.
    private func goalList(_ element: ElementCoverage) -> LocalizedText? {
        let numbers = element.goalsReached(graph: graph).sorted().map(goalNumber)
        guard !numbers.isEmpty || element.allSDGs != nil else { return nil }
        var parts = numbers.isEmpty ? [] : [strings("overview.goals", ["numbers": numbers.joined(separator: " · ")])]
        if element.allSDGs != nil { parts.append(strings("overview.all-sdgs")) }
        return strings("overview.goal-list", ["goals": LocalizedText(zh: parts.map(\.zh).joined(separator: " · "), en: parts.map(\.en).joined(separator: " · "))])
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
            card.label = strings("goal.label", ["number": goalNumber(goal), "label": card.label])
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
        let subtitle = hidden > 0 ? strings("overview.subtitle.hidden", ["hidden": hidden]) : strings("overview.subtitle")
        return ViewSpec(
            id: "plan-sdg-\(ViewSpec.fileSafe(plan.id))",
            title: strings("overview.title", ["plan": plan.label]),
            subtitle: subtitle,
            caption: caption(linked),
            diagram: .network(NetworkView(
                nodes: nodes, edges: edges, groups: groups, ranks: [linked.map(\.element.id), goalsColumn],
                lineColourKey: strings("line-colour-key"))))
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
            elementNode.details = strings("element.part-of", ["block": block.label])
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
                node.label = strings("element.goal-as-a-whole", ["number": goalNumber(goal)])
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
                                    label: strings("goal.label", ["number": goalNumber(goal), "label": goalNode?.label ?? .same("")]),
                                    members: members, colour: colour))
        }
        if let all = element.allSDGs {
            nodes.append(builder.viewNode("SDG-ALL"))
            edges.append(ViewEdge(source: id, target: "SDG-ALL", relation: .advancesSDG, relationLabel: relationLabel, declared: all,
                                  tooltip: basis(element, sdgIn: ["SDG-ALL"])))
        }
        let targetCount = element.targets.count
        var subtitle: LocalizedText
        if element.hasAnySDGLink {
            let values: [String: any CatalogueValue] = ["targets": targetCount, "goals": goals.count, "goal_links": element.goalLinks.count]
            subtitle = strings(element.goalLinks.isEmpty ? "element.reaches" : "element.reaches.goal-links", values)
            if element.allSDGs != nil { subtitle = strings("element.reaches.all-sdgs", ["reach": subtitle]) }
            subtitle = strings("element.reaches.order", ["reach": subtitle])
        } else {
            subtitle = strings("element.no-link")
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
                subtitle = strings("element.both-sides", [
                    "reach": subtitle, "left_first": goalNumber(NodeID(left[0].id)), "left_last": goalNumber(NodeID(left[left.count - 1].id)),
                    "right_first": goalNumber(NodeID(first.id)), "right_last": goalNumber(NodeID(last.id))])
            }
        }
        return ViewSpec(
            id: "element-sdg-\(ViewSpec.fileSafe(id.rawValue))",
            title: strings("element.title", ["id": id, "label": element.element.label]),
            subtitle: subtitle,
            caption: caption([element]),
            diagram: .network(NetworkView(
                nodes: nodes, edges: edges, groups: groups, ranks: ranks,
                lineColourKey: strings("line-colour-key"))))
    }

    /// Where each link to these SDG nodes comes from, for the line's tooltip.
    private func basis(_ element: ElementCoverage, sdgIn ids: Set<NodeID>) -> String {
        element.links.filter { ids.contains($0.sdg) }.map(\.basisText).joined(separator: "\n")
    }

    private var relationLabel: LocalizedText {
        graph.vocabulary.spec(.advancesSDG)?.label ?? strings("relation.advances-sdg")
    }

    /// The rules behind an element's derived links to a goal, for the tooltip.
    private func derivationNote(_ element: ElementCoverage, goal: NodeID) -> String {
        Set(element.links.filter { $0.goal == goal && !$0.isDeclared }.flatMap(\.derivedRules)).sorted().joined(separator: ", ")
    }
}
