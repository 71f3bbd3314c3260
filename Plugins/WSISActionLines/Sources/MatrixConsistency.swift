import LinkageKit

/// How a link to a line that has sub-lines (WSIS-C7) is read against the matrix, which has rows
/// for the C7 sub-lines only, none for C7 as a whole.
enum SubLineReading: String, CaseIterable {
    /// A link to C7 implies what the matrix maps for each of its sub-lines.
    case subLines = "sub-lines"
    /// A link to C7 implies only rows the matrix gives C7 itself (none in the data).
    case none
}

/// Part 3, for one plan element: the SDG targets and goals its action lines imply through the
/// WSIS-SDG matrix against the SDG links the element has itself (`advances-sdg`).
///
/// Implied, precisely: target T is implied for element E when E has a `supports-wsis` link to a
/// line L (declared or derived; WSIS-ALL is not expanded) and the matrix has a row L -> T; with the
/// `sub-lines` reading, a link to C7 also reaches the rows of every C7 sub-line. Goal G is implied
/// when such a row names G itself or a target of G. Nothing here is a link of the graph: the
/// implication is this analysis's reading, shown next to the element's own links.
struct ElementConsistency {
    enum Status: String {
        case checked
        case noLine = "not checked: no action line"
        case scopeOnly = "not checked: only WSIS-ALL (not expanded)"
    }

    /// One SDG node the element has an own link to, seen at target or goal level.
    struct Own {
        var declared: [Bool] = []
        /// Indicator ids the target was reached through, when the element names an indicator.
        var viaIndicators: [NodeID] = []
    }

    let element: Node
    let group: Node?
    let lineLinks: [LineLink]
    let scopeLinks: [LineLink]
    let status: Status
    /// Lines read against the matrix -> the line the element links to (itself, or C7 for a sub-line).
    let readLines: [NodeID: NodeID]
    /// Targets the element links itself (targets and the targets of its indicators).
    let ownTargets: [NodeID: Own]
    /// Goals the element links as a whole (goal-level links).
    let ownGoalLinks: [NodeID: Own]
    /// Goals of every own SDG link (goal, target or indicator).
    let ownGoals: Set<NodeID>
    let ownSDGLinks: [SDGReach]
    let linksAllSDGs: Bool
    /// Target -> read lines whose matrix rows name it.
    let impliedTargets: [NodeID: [NodeID]]
    /// Goal -> read lines whose matrix rows name it or one of its targets.
    let impliedGoals: [NodeID: [NodeID]]
    /// Goal -> read lines with a goal-level matrix row for it.
    let matrixGoalRows: [NodeID: [NodeID]]

    init(element: Node, plan: ResolvedPlan, links: PlanLineLinks, graph: LinkageGraph, catalog: ActionLineCatalog,
         matrix: SDGMatrix, reading: SubLineReading) {
        self.element = element
        group = plan.group(of: element.id)
        let all = links.links(of: element.id)
        lineLinks = all.filter { !catalog.isScope($0.line) }
        scopeLinks = all.filter { catalog.isScope($0.line) }
        status = !lineLinks.isEmpty ? .checked : (scopeLinks.isEmpty ? .noLine : .scopeOnly)

        var read: [NodeID: NodeID] = [:]
        for link in lineLinks {
            read[link.line] = link.line
        }
        if reading == .subLines {
            for link in lineLinks {
                for sub in catalog.subLines(of: link.line) where read[sub] == nil { read[sub] = link.line }
            }
        }
        readLines = read

        var targets: [NodeID: [NodeID]] = [:], goals: [NodeID: [NodeID]] = [:], goalRows: [NodeID: [NodeID]] = [:]
        for line in read.keys.sorted() {
            for row in matrix.rows(of: line) {
                goals[row.goal, default: []].append(line)
                if let target = row.target { targets[target, default: []].append(line) } else { goalRows[row.goal, default: []].append(line) }
            }
        }
        func ordered(_ map: [NodeID: [NodeID]]) -> [NodeID: [NodeID]] {
            map.mapValues { Array(Set($0)).sorted { catalog.order(of: $0) < catalog.order(of: $1) } }
        }
        impliedTargets = ordered(targets)
        impliedGoals = ordered(goals)
        matrixGoalRows = ordered(goalRows)

        var ownTargets: [NodeID: Own] = [:], ownGoalLinks: [NodeID: Own] = [:], ownGoals = Set<NodeID>()
        var linksAll = false
        // The kit's shared answer (own links, and those of what the element continues), so that
        // this analysis, sdg-mapping and risk-matrix agree on what an element reaches.
        let sdgLinks = graph.sdgReach(of: element.id)
        for reach in sdgLinks {
            let position = reach.position
            switch position.level {
            case .all:
                linksAll = true
            case .goal:
                ownGoalLinks[reach.sdg, default: Own()].declared.append(reach.isDeclared)
            case .target:
                ownTargets[reach.sdg, default: Own()].declared.append(reach.isDeclared)
            case .indicator:
                // An indicator counts as its target.
                if let target = position.target {
                    ownTargets[target, default: Own()].declared.append(reach.isDeclared)
                    ownTargets[target, default: Own()].viaIndicators.append(reach.sdg)
                }
            }
            if let goal = position.goal { ownGoals.insert(goal) }
        }
        self.ownTargets = ownTargets
        self.ownGoalLinks = ownGoalLinks
        self.ownGoals = ownGoals
        ownSDGLinks = sdgLinks
        linksAllSDGs = linksAll
    }

    var isChecked: Bool { status == .checked }

    // Target level.
    var bothTargets: [NodeID] { ownTargets.keys.filter { impliedTargets[$0] != nil }.sorted() }
    var impliedOnlyTargets: [NodeID] { impliedTargets.keys.filter { ownTargets[$0] == nil }.sorted() }
    var ownOnlyTargets: [NodeID] { ownTargets.keys.filter { impliedTargets[$0] == nil }.sorted() }

    /// Implied-only targets whose goal the element links as a whole (it names the goal, not the target).
    func impliedOnlyTargetsWithGoalLinked(_ graph: LinkageGraph) -> [NodeID] {
        impliedOnlyTargets.filter { target in graph.sdgPosition(target)?.goal.map { ownGoalLinks[$0] != nil } ?? false }
    }

    /// Own-only targets whose goal a read line maps as a whole (a goal-level matrix row).
    func ownOnlyTargetsWithGoalRow(_ graph: LinkageGraph) -> [NodeID] {
        ownOnlyTargets.filter { target in graph.sdgPosition(target)?.goal.map { matrixGoalRows[$0] != nil } ?? false }
    }

    /// Implied-only targets reached only through sub-lines of a line the element links (C7's e-… lines).
    var impliedOnlyTargetsThroughSubLinesOnly: [NodeID] {
        impliedOnlyTargets.filter { target in impliedTargets[target]!.allSatisfy { readLines[$0] != $0 } }
    }

    // Goal level.
    var bothGoals: [NodeID] { ownGoals.filter { impliedGoals[$0] != nil }.sorted() }
    var impliedOnlyGoals: [NodeID] { impliedGoals.keys.filter { !ownGoals.contains($0) }.sorted() }
    var ownOnlyGoals: [NodeID] { ownGoals.filter { impliedGoals[$0] == nil }.sorted() }

    /// Provenance of the element's own SDG links.
    var sdgProvenance: String { Describe.provenance(ownSDGLinks.map(\.isDeclared)) }
    var lineProvenance: String { Describe.provenance((lineLinks + scopeLinks).map(\.declared)) }

    /// `WSIS-C2 WSIS-C7.e-health (sub-line of WSIS-C7)`: the lines that imply something.
    func describeLines(_ lines: [NodeID]) -> String {
        lines.map { line in
            guard let linked = readLines[line], linked != line else { return line.rawValue }
            return "\(line) (sub-line of \(linked))"
        }.joined(separator: " ")
    }
}

/// Part 3 for a whole plan: every element checked, the tables and totals.
struct PlanConsistency {
    let plan: ResolvedPlan
    let elements: [ElementConsistency]
    let graph: LinkageGraph

    var checked: [ElementConsistency] { elements.filter(\.isChecked) }

    struct Totals {
        var bothTargets = 0, impliedOnlyTargets = 0, ownOnlyTargets = 0
        var impliedOnlyThroughSubLines = 0, impliedOnlyGoalLinked = 0, ownOnlyGoalRow = 0
        var bothGoals = 0, impliedOnlyGoals = 0, ownOnlyGoals = 0
    }

    var totals: Totals {
        var t = Totals()
        for e in checked {
            t.bothTargets += e.bothTargets.count
            t.impliedOnlyTargets += e.impliedOnlyTargets.count
            t.ownOnlyTargets += e.ownOnlyTargets.count
            t.impliedOnlyThroughSubLines += e.impliedOnlyTargetsThroughSubLinesOnly.count
            t.impliedOnlyGoalLinked += e.impliedOnlyTargetsWithGoalLinked(graph).count
            t.ownOnlyGoalRow += e.ownOnlyTargetsWithGoalRow(graph).count
            t.bothGoals += e.bothGoals.count
            t.impliedOnlyGoals += e.impliedOnlyGoals.count
            t.ownOnlyGoals += e.ownOnlyGoals.count
        }
        return t
    }

    /// One row per element: the counts at target and goal level.
    func elementTable() -> ResultTable {
        var rows: [[TableValue]] = elements.map { e in
            let base: [TableValue] = [
                .id(e.element.id), .text(e.element.label.en), .text(e.element.label.zh),
                e.group.map { .id($0.id) } ?? .empty,
                .text(Describe.ids((e.lineLinks + e.scopeLinks).map(\.line))), .text(e.lineProvenance), .text(e.sdgProvenance),
                .text(e.status.rawValue),
            ]
            guard e.isChecked else { return base + Array(repeating: .empty, count: 13) }
            return base + [
                .integer(e.ownTargets.count), .integer(e.impliedTargets.count), .integer(e.bothTargets.count),
                .integer(e.impliedOnlyTargets.count), .integer(e.impliedOnlyTargetsWithGoalLinked(graph).count),
                .integer(e.impliedOnlyTargetsThroughSubLinesOnly.count),
                .integer(e.ownOnlyTargets.count), .integer(e.ownOnlyTargetsWithGoalRow(graph).count),
                .integer(e.ownGoals.count), .integer(e.impliedGoals.count), .integer(e.bothGoals.count),
                .integer(e.impliedOnlyGoals.count), .integer(e.ownOnlyGoals.count),
            ]
        }
        let t = totals
        rows.append([
            .text("total"), .text("\(checked.count) elements checked"), .empty, .empty, .empty, .empty, .empty, .empty,
            .integer(checked.map(\.ownTargets.count).reduce(0, +)), .integer(checked.map(\.impliedTargets.count).reduce(0, +)),
            .integer(t.bothTargets), .integer(t.impliedOnlyTargets), .integer(t.impliedOnlyGoalLinked),
            .integer(t.impliedOnlyThroughSubLines), .integer(t.ownOnlyTargets), .integer(t.ownOnlyGoalRow),
            .integer(checked.map(\.ownGoals.count).reduce(0, +)), .integer(checked.map(\.impliedGoals.count).reduce(0, +)),
            .integer(t.bothGoals), .integer(t.impliedOnlyGoals), .integer(t.ownOnlyGoals),
        ])
        return ResultTable(
            id: "matrix-consistency-\(ViewSpec.fileSafe(plan.id))",
            title: strings("table.matrix-consistency", ["plan": plan.label]),
            columns: [
                column("element", "column.element"), column("label_en", "column.label"), column("label_zh", "column.label-chinese"),
                column("group", "column.group"), column("action_lines", "column.action-lines"),
                column("line_provenance", "column.action-line-links"), column("sdg_provenance", "column.own-sdg-links"),
                column("status", "column.status"),
                column("own_targets", "column.own-targets"), column("implied_targets", "column.implied-targets"),
                column("targets_both", "column.targets-in-both"),
                column("targets_implied_only", "column.implied-not-own"),
                column("targets_implied_only_goal_linked", "column.of-which-the-element-links-the-goal"),
                column("targets_implied_only_via_sub_lines", "column.of-which-only-through-c7-sub-lines"),
                column("targets_own_only", "column.own-not-implied"),
                column("targets_own_only_goal_row", "column.of-which-the-matrix-maps-the-goal"),
                column("own_goals", "column.own-goals"), column("implied_goals", "column.implied-goals"),
                column("goals_both", "column.goals-in-both"), column("goals_implied_only", "column.goals-implied-not-own"),
                column("goals_own_only", "column.goals-own-not-implied"),
            ],
            rows: rows,
            caption: strings("table.matrix-consistency.caption"))
    }

    /// One row per element and SDG goal: the goal-level verdict and the targets behind it.
    func goalTable() -> ResultTable {
        var rows: [[TableValue]] = []
        for e in checked {
            let goals = (e.ownGoals.union(e.impliedGoals.keys)).sorted()
            for goal in goals {
                let inGoal = { (ids: [NodeID]) in ids.filter { graph.sdgPosition($0)?.goal == goal } }
                let both = inGoal(e.bothTargets), impliedOnly = inGoal(e.impliedOnlyTargets), ownOnly = inGoal(e.ownOnlyTargets)
                let status = e.ownGoals.contains(goal) ? (e.impliedGoals[goal] != nil ? "both" : "own-only") : "implied-only"
                let node = graph.node(goal)
                let ownTargetProvenance = Describe.provenance(
                    inGoal(Array(e.ownTargets.keys)).flatMap { e.ownTargets[$0]!.declared } + (e.ownGoalLinks[goal]?.declared ?? []))
                rows.append([
                    .id(e.element.id), .id(goal), .text(node?.label.en ?? ""), .text(node?.label.zh ?? ""), .text(status),
                    .text(e.ownGoalLinks[goal] != nil ? "yes" : "no"), .text(ownTargetProvenance),
                    .text(e.matrixGoalRows[goal] != nil ? "yes" : "no"),
                    .integer(both.count), .integer(impliedOnly.count), .integer(ownOnly.count),
                    .text(Describe.ids(both)), .text(Describe.ids(impliedOnly)), .text(Describe.ids(ownOnly)),
                    .text(e.describeLines(e.impliedGoals[goal] ?? [])),
                ])
            }
        }
        return ResultTable(
            id: "matrix-consistency-goals-\(ViewSpec.fileSafe(plan.id))",
            title: strings("table.matrix-consistency-goals", ["plan": plan.label]),
            columns: [
                column("element", "column.element"), column("goal", "column.goal"), column("label_en", "column.goal-title"),
                column("label_zh", "column.goal-title-chinese"), column("goal_status", "column.goal-own-implied"),
                column("own_goal_link", "column.element-links-the-goal-itself"), column("own_provenance", "column.own-links"),
                column("matrix_goal_row", "column.matrix-maps-the-goal-itself"),
                column("targets_both", "column.targets-in-both"), column("targets_implied_only", "column.implied-not-own"),
                column("targets_own_only", "column.own-not-implied"),
                column("target_ids_both", "column.ids-in-both"), column("target_ids_implied_only", "column.ids-implied-not-own"),
                column("target_ids_own_only", "column.ids-own-not-implied"),
                column("implied_via", "column.implied-through-action-lines"),
            ],
            rows: rows,
            caption: strings("table.matrix-consistency-goals.caption"))
    }
}

extension PlanConsistency {
    static let bothColour = "#2E7D32", impliedOnlyColour = "#CFE2F3", ownOnlyColour = "#F6B26B"

    /// The goal-level verdict per checked element and goal as a grid: ● both (with the number of
    /// targets in both), ○ implied by the matrix only, ◆ the element's own link only.
    func gridView() -> ViewSpec {
        let goals = graph.sdgGoals
        let rows = checked
        let cells: [[MatrixCell]] = rows.map { e in
            goals.map { goal in
                let id = goal.id
                let own = e.ownGoals.contains(id), implied = e.impliedGoals[id] != nil
                let inGoal = { (ids: [NodeID]) in ids.filter { graph.sdgPosition($0)?.goal == id } }
                let tooltip = "\(e.element.id) × \(id): targets in both: \(Describe.ids(inGoal(e.bothTargets))); implied, not own: \(Describe.ids(inGoal(e.impliedOnlyTargets))); own, not implied: \(Describe.ids(inGoal(e.ownOnlyTargets)))"
                switch (own, implied) {
                case (true, true):
                    let n = inGoal(e.bothTargets).count
                    return MatrixCell(n > 0 ? "●\(n)" : "●", colour: Self.bothColour, tooltip: tooltip)
                case (false, true): return MatrixCell("○", colour: Self.impliedOnlyColour, tooltip: tooltip)
                case (true, false): return MatrixCell("◆", colour: Self.ownOnlyColour, tooltip: tooltip)
                case (false, false): return MatrixCell("")
                }
            }
        }
        let notChecked = elements.count - rows.count
        // Elements whose action-line or SDG links are derived are marked, so none looks declared.
        let derived = Set(rows.filter { e in (e.lineLinks + e.scopeLinks).contains { !$0.declared } || e.ownSDGLinks.contains { !$0.isDeclared } }
            .map(\.element.id))
        let subtitle = derived.count == rows.count && !rows.isEmpty ? strings("grid.subtitle.all-derived")
            : !derived.isEmpty ? strings("grid.subtitle.derived") : strings("grid.subtitle")
        let footnote = notChecked > 0 ? strings("grid.footnote.not-checked", ["count": notChecked]) : strings("grid.footnote")
        return ViewSpec(
            id: "matrix-consistency-grid-\(ViewSpec.fileSafe(plan.id))",
            title: strings("grid.title", ["plan": plan.label]),
            subtitle: subtitle,
            // What the rows marked * inherit, and by which rules.
            caption: DerivationCaption.describe(
                routes: rows.flatMap { e in e.ownSDGLinks.map(\.steps) + graph.outgoing(e.element.id, relation: .supportsWSIS).map { [$0] } },
                graph: graph, plan: plan.label, marker: strings("grid.marker")),
            diagram: .matrix(MatrixView(
                rowHeader: strings("grid.rows"),
                columnHeader: strings("grid.columns"),
                rows: rows.map { e in
                    let mark = derived.contains(e.element.id) ? "* " : ""
                    return MatrixAxisEntry(label: LocalizedText(zh: "\(mark)\(e.element.id) \(e.element.label.zh)", en: "\(mark)\(e.element.id) \(e.element.label.en)"),
                                    tooltip: "\(e.element.id) \(e.element.label.en) — action lines: \(Describe.ids(e.lineLinks.map(\.line)))")
                },
                columns: goals.map { MatrixAxisEntry.sdgGoal($0) },
                cells: cells,
                legend: [
                    MatrixLegendEntry(colour: Self.bothColour, label: strings("grid.legend.both")),
                    MatrixLegendEntry(colour: Self.impliedOnlyColour, label: strings("grid.legend.implied-only")),
                    MatrixLegendEntry(colour: Self.ownOnlyColour, label: strings("grid.legend.own-only")),
                ],
                footnote: footnote)))
    }
}
