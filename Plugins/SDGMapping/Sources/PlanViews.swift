import LinkageKit

/// The diagrams of one plan: a heat map (element × goal) and an overview network
/// (elements → goal cards listing the targets reached), both readable at A4.
struct PlanViews {
    let graph: LinkageGraph
    let coverage: PlanCoverage

    func views() -> [ViewSpec] {
        guard coverage.elements.contains(where: \.hasAnySDGLink) else { return [] }
        return [heatMap(), overview()]
    }

    private var plan: ResolvedPlan { coverage.plan }
    private var allDerived: Bool { coverage.linkCount.declared == 0 }

    // MARK: Heat map

    func heatMap() -> ViewSpec {
        let goals = graph.sdgGoals
        let rows = coverage.elements
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
            if let all = row.allSDGs {
                line.append(MatrixCell(all ? "✓" : "✓*", colour: "#E0E0E0", tooltip: "\(row.element.id) → all SDGs"))
            } else {
                line.append(MatrixCell(""))
            }
            cells.append(line)
        }
        let columns = goals.map { MatrixAxisEntry.sdgGoal($0, withTitle: true) } + [MatrixAxisEntry(label: LocalizedText(zh: "所有目标", en: "All SDGs"), colour: "#9E9E9E")]
        let rowEntries = rows.map { row in
            MatrixAxisEntry(label: LocalizedText(zh: "\(row.element.id) \(row.element.label.zh)", en: "\(row.element.id) \(row.element.label.en)"),
                            tooltip: row.element.label.en)
        }
        let footnote = LocalizedText(
            zh: "数字：该元素所联系的该目标下不同具体目标的数量；G：只提及目标、未指明具体目标；*：仅有推导的联系（非文件明确陈述）；✓：“所有可持续发展目标”。颜色为联合国官方目标颜色，越深表示具体目标越多。",
            en: "Number: distinct targets of the goal the element reaches. G: the goal is named without a target. *: derived links only (no document states them). ✓: \"all SDGs\". Colours are the goals' official UN colours, darker for more targets.")
        return ViewSpec(
            id: "heatmap-\(ViewSpec.fileSafe(plan.id))",
            title: LocalizedText(zh: "\(plan.label.zh)：可持续发展目标覆盖热图", en: "\(plan.label.en): SDG coverage heat map"),
            subtitle: allDerived ? LocalizedText(zh: "本计划的所有联系均为推导所得（经OP-23主题和布宜诺斯艾利斯行动计划输出成果）。",
                                                 en: "Every link of this plan is derived (through OP-23 themes and BAAP outputs), not stated by its document.") : nil,
            diagram: .matrix(MatrixView(
                rowHeader: LocalizedText(zh: "计划元素", en: "Plan element"), columnHeader: LocalizedText(zh: "目标", en: "Goal"),
                rows: rowEntries, columns: columns, cells: cells, footnote: footnote)))
    }

    // MARK: Overview network

    func overview() -> ViewSpec {
        let builder = NetworkViewBuilder(graph: graph)
        var nodes: [ViewNode] = []
        var edges: [ViewEdge] = []
        var goalTargets: [NodeID: [NodeID: Int]] = [:]  // goal → target → number of elements
        var usesAll = false
        for element in coverage.elements where element.hasAnySDGLink {
            nodes.append(builder.viewNode(element.element.id))
            for goal in element.goalsReached(graph: graph).sorted() {
                let targets = element.targets(inGoal: goal, graph: graph)
                for target in targets { goalTargets[goal, default: [:]][target, default: 0] += 1 }
                if goalTargets[goal] == nil { goalTargets[goal] = [:] }
                let goalLink = element.goalLinks[goal]
                let declared = targets.contains { element.targets[$0] == true } || goalLink == true
                let label = targets.isEmpty ? "G" : (goalLink != nil ? "\(targets.count)+G" : "\(targets.count)")
                let detail = (targets.isEmpty ? "goal named without a target" : "targets " + targets.map { $0.rawValue }.joined(separator: ", "))
                    + (declared ? "" : " — derived: " + derivationNote(element, goal: goal))
                edges.append(ViewEdge(source: element.element.id, target: goal, relation: .advancesSDG,
                                      relationLabel: relationLabel, declared: declared, tooltip: detail,
                                      weight: max(1, targets.count), label: label))
            }
            if let all = element.allSDGs {
                usesAll = true
                edges.append(ViewEdge(source: element.element.id, target: "SDG-ALL", relation: .advancesSDG, relationLabel: relationLabel,
                                      declared: all, tooltip: "all SDGs", label: "all"))
            }
        }
        for goal in goalTargets.keys.sorted() {
            var card = builder.viewNode(goal)
            let list = goalTargets[goal]!.sorted { $0.key < $1.key }.map { entry in
                "\(entry.key.rawValue.dropFirst(4))" + (entry.value > 1 ? "×\(entry.value)" : "")
            }.joined(separator: " · ")
            if !list.isEmpty {
                card.label = LocalizedText(zh: card.label.zh + "\n" + list, en: card.label.en + "\n" + list)
            }
            card.maxLabelLines = 12
            nodes.append(card)
        }
        if usesAll { nodes.append(builder.viewNode("SDG-ALL")) }
        let groups = plan.groups.map { group in
            ViewGroup(id: group.id.rawValue, label: LocalizedText(zh: "\(group.id) \(group.label.zh)", en: "\(group.id) \(group.label.en)"),
                      members: plan.elements(in: group.id).map(\.id).filter { id in nodes.contains { $0.id == id } })
        }.filter { !$0.members.isEmpty }
        let goalsColumn = goalTargets.keys.sorted() + (usesAll ? ["SDG-ALL"] : [])
        let elementsColumn = coverage.elements.filter(\.hasAnySDGLink).map(\.element.id)
        return ViewSpec(
            id: "plan-sdg-\(ViewSpec.fileSafe(plan.id))",
            title: LocalizedText(zh: "\(plan.label.zh)：与可持续发展目标的联系", en: "\(plan.label.en): links to the SDGs"),
            subtitle: LocalizedText(
                zh: "左：计划元素；右：所联系的目标及其具体目标（×n：联系该具体目标的元素数）。线上数字：该元素联系的该目标下具体目标数；G：只提及目标。"
                    + (allDerived ? "所有联系均为推导所得（虚线）。" : "虚线：推导所得的联系。"),
                en: "Left: plan elements; right: the goals they reach with the targets reached (×n: elements reaching the target). On each line: the element's targets in that goal; G: the goal named without a target. "
                    + (allDerived ? "Every link here is derived (dashed)." : "Dashed: derived links.")),
            diagram: .network(NetworkView(nodes: nodes, edges: edges, groups: groups, ranks: [elementsColumn, goalsColumn])))
    }

    private var relationLabel: LocalizedText {
        graph.vocabulary.spec(.advancesSDG)?.label ?? LocalizedText(zh: "推动实现可持续发展目标", en: "advances SDG")
    }

    /// The rules behind an element's derived links to a goal, for the tooltip.
    private func derivationNote(_ element: ElementCoverage, goal: NodeID) -> String {
        let rules = Set(element.links.compactMap { link -> String? in
            guard graph.sdgPosition(link.target)?.goal == goal, case .derived(let d) = link.provenance else { return nil }
            return d.rule
        })
        return rules.sorted().joined(separator: ", ")
    }
}
