import LinkageKit

/// What one plan element reaches in the SDG framework, from the kit's shared answer
/// (`LinkageGraph.sdgReach(of:)`): its own `advances-sdg` links and those of what it continues.
///
/// A link to a target counts that target; a link to an indicator counts the indicator's target
/// (the Strategic Plan links goals to indicators); a link to a goal is a goal-level link ("the
/// source names the goal without a target") and reaches no target; a link to SDG-ALL is a
/// stated "all SDGs" and is kept apart, never expanded.
struct ElementCoverage {
    let element: Node
    /// Reached target → declared (true) if at least one declared link reaches it.
    var targets: [NodeID: Bool] = [:]
    /// Goals linked directly, without a target → declared?
    var goalLinks: [NodeID: Bool] = [:]
    /// Linked to SDG-ALL, and whether declared.
    var allSDGs: Bool?
    /// Every way the element reaches an SDG node, for the link table.
    var links: [SDGReach] = []

    init(element: Node, graph: LinkageGraph) {
        self.element = element
        for link in graph.sdgReach(of: element.id) {
            links.append(link)
            let position = link.position
            switch position.level {
            case .target, .indicator:
                if let target = position.target { targets[target] = (targets[target] ?? false) || link.isDeclared }
            case .goal:
                if let goal = position.goal { goalLinks[goal] = (goalLinks[goal] ?? false) || link.isDeclared }
            case .all:
                allSDGs = (allSDGs ?? false) || link.isDeclared
            }
        }
    }

    var hasAnySDGLink: Bool { !links.isEmpty }

    func targets(inGoal goal: NodeID, graph: LinkageGraph) -> [NodeID] {
        targets.keys.filter { graph.sdgPosition($0)?.goal == goal }.sorted()
    }

    /// Goals reached through a target or a goal-level link (not through SDG-ALL).
    func goalsReached(graph: LinkageGraph) -> Set<NodeID> {
        Set(targets.keys.compactMap { graph.sdgPosition($0)?.goal }).union(goalLinks.keys)
    }

    /// "declared", "derived" or "declared and derived", over all the element's SDG links.
    var provenanceSummary: String {
        let kinds = Set(links.map(\.isDeclared))
        if kinds == [true] { return "declared" }
        if kinds == [false] { return "derived" }
        return kinds.isEmpty ? "" : "declared and derived"
    }
}

/// The coverage of a whole plan.
struct PlanCoverage {
    let plan: ResolvedPlan
    let elements: [ElementCoverage]

    init(plan: ResolvedPlan, graph: LinkageGraph) {
        self.plan = plan
        elements = plan.elements.map { ElementCoverage(element: $0, graph: graph) }
    }

    /// Target → the elements reaching it.
    func elementsByTarget() -> [NodeID: [NodeID]] {
        var result: [NodeID: [NodeID]] = [:]
        for coverage in elements {
            for target in coverage.targets.keys { result[target, default: []].append(coverage.element.id) }
        }
        return result
    }

    var reachedTargets: Set<NodeID> { Set(elements.flatMap(\.targets.keys)) }

    func reachedGoals(graph: LinkageGraph) -> Set<NodeID> {
        elements.reduce(into: Set<NodeID>()) { $0.formUnion($1.goalsReached(graph: graph)) }
    }

    var linkCount: (declared: Int, derived: Int) {
        let links = elements.flatMap(\.links)
        return (links.filter(\.isDeclared).count, links.filter { !$0.isDeclared }.count)
    }
}
