/// A plan resolved against the graph: its elements in document order and the group of each.
public struct ResolvedPlan: Sendable {
    public let spec: PlanSpec
    public let elements: [Node]
    private let groupByElement: [NodeID: NodeID]
    private let graph: LinkageGraph

    init(spec: PlanSpec, graph: LinkageGraph) {
        self.spec = spec
        self.graph = graph
        // Document order: the kinds in the order the plan lists them (KAP priorities before
        // enablers), each kind in id order (outputs 1.1 … 1.6, 2.1 …); elements that are part
        // of another plan's elements follow those (OP-23's themes go by their KAP priority or
        // enabler: P1 … P5, then E1 … E7).
        let elementKinds = Set(spec.elements)
        elements = spec.elements.flatMap { kind in
            graph.nodes(ofKind: kind).map { node -> (key: [NodeID], node: Node) in
                let parent = graph.outgoing(node.id, relation: .partOf).map(\.target)
                    .first { graph.node($0).map { !elementKinds.contains($0.kind) && graph.isPlanElement($0.kind) } ?? false }
                return (parent.map { [$0] } ?? [], node)
            }
            .sorted { a, b in
                let x = a.key.first.map { graph.documentRank($0) }, y = b.key.first.map { graph.documentRank($0) }
                if x != y, let x, let y { return x < y }
                return a.node.id < b.node.id
            }
            .map(\.node)
        }
        var groups: [NodeID: NodeID] = [:]
        if let groupKind = spec.groups {
            for element in elements {
                if let group = graph.ancestors(of: element.id).first(where: { graph.node($0)?.kind == groupKind }) {
                    groups[element.id] = group
                }
            }
        }
        groupByElement = groups
    }

    public var id: String { spec.id }
    public var label: LocalizedText { spec.label }

    /// The group (objective, priority...) an element belongs to, if the plan has groups.
    public func group(of element: NodeID) -> Node? { groupByElement[element].flatMap { graph.node($0) } }

    /// The plan's groups that hold at least one element, in id order.
    public var groups: [Node] { Set(groupByElement.values).sorted().compactMap { graph.node($0) } }

    /// Elements of one group, in id order.
    public func elements(in group: NodeID) -> [Node] { elements.filter { groupByElement[$0.id] == group } }
}

extension LinkageGraph {
    public func resolve(_ plan: PlanSpec) -> ResolvedPlan { ResolvedPlan(spec: plan, graph: self) }

    /// Ids in document order: the kinds of each plan as its document orders them (a group
    /// before its elements: BAAP objectives, then outputs; KAP priorities before enablers), then
    /// everything else; within a kind, natural id order (outputs 1.1 … 1.6, SDG goals 1–17,
    /// targets in UN order: 9.1, 9.a, 9.c, 10.1).
    public func documentOrder<IDs: Sequence>(_ ids: IDs) -> [NodeID] where IDs.Element == NodeID {
        let rank = kindRanks
        return ids.map { id in (rank[node(id)?.kind ?? ""] ?? Int.max, id) }
            .sorted { a, b in a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }.map(\.1)
    }

    /// Where a node comes in document order, as something to sort by.
    public func documentRank(_ id: NodeID) -> DocumentRank { DocumentRank(kind: kindRanks[node(id)?.kind ?? ""] ?? Int.max, id: id) }

    /// Whether a kind is the element kind of some plan.
    public func isPlanElement(_ kind: NodeKind) -> Bool { vocabulary.plans.contains { $0.elements.contains(kind) } }

    private var kindRanks: [NodeKind: Int] {
        var rank: [NodeKind: Int] = [:]
        for plan in vocabulary.plans {
            for kind in [plan.groups].compactMap({ $0 }) + plan.elements where rank[kind] == nil { rank[kind] = rank.count }
        }
        return rank
    }
}

/// A node's place in document order: its kind's place among the plans' kinds, then its id.
public struct DocumentRank: Comparable, Sendable {
    var kind: Int
    var id: NodeID

    public static func < (a: DocumentRank, b: DocumentRank) -> Bool { a.kind != b.kind ? a.kind < b.kind : a.id < b.id }
}

extension AnalysisContext {
    /// The plans an option names: one plan id, or `all` for every plan whose elements have
    /// links of one of `relations` (all plans when `relations` is empty).
    public func plans(_ option: String, default fallback: String = "all", having relations: Set<RelationKind> = [])
        throws -> [ResolvedPlan]
    {
        try plans(option, default: fallback) { plan in
            relations.isEmpty || plan.elements.contains { !graph.outgoing($0.id, relations: relations).isEmpty }
        }
    }

    /// The plans an option names: one plan id, comma-separated ids, or `all` for every plan
    /// `include` keeps.
    public func plans(_ option: String, default fallback: String = "all", where include: (ResolvedPlan) -> Bool) throws -> [ResolvedPlan] {
        let value = options.string(option, default: fallback)
        if value == "all" {
            return graph.vocabulary.plans.map { graph.resolve($0) }.filter(include)
        }
        return try value.split(separator: ",").map { try graph.resolve(requirePlan(option, String($0).trimmingCharacters(in: .whitespaces))) }
    }
}

/// Where an SDG node sits: goal, target or indicator, and the goal and target above it.
public struct SDGPosition: Sendable, Hashable {
    public enum Level: String, Sendable, Codable { case goal, target, indicator, all }
    public var level: Level
    public var goal: NodeID?
    public var target: NodeID?
}

extension LinkageGraph {
    /// The level of an SDG node and the goal (and target) it belongs to, from its code (parsed
    /// once, when the graph is built: analyses ask for it inside sorts and per goal).
    public func sdgPosition(_ id: NodeID) -> SDGPosition? { sdgPositionByID(id) }

    /// What `sdgPosition` answers for one node, computed from its kind and id.
    static func computeSDGPosition(kind: NodeKind, id: NodeID) -> SDGPosition? {
        switch kind {
        case .sdgScope: return SDGPosition(level: .all)
        case .sdgGoal: return SDGPosition(level: .goal, goal: id)
        case .sdgTarget:
            guard case .success(let code) = SDGCode.parse(id.rawValue) else { return nil }
            return SDGPosition(level: .target, goal: code.goalID, target: id)
        case .sdgIndicator:
            guard case .success(let code) = SDGCode.parse(id.rawValue) else { return nil }
            return SDGPosition(level: .indicator, goal: code.goalID, target: code.targetID)
        default: return nil
        }
    }

    /// The 17 goals in order.
    public var sdgGoals: [Node] { nodes(ofKind: .sdgGoal) }

    /// A goal's official colour (`#RRGGBB`), from the sdg dataset.
    public func officialColour(of goal: NodeID) -> String? { node(goal)?.attributes["colour"]?.stringValue }
}

extension LinkageGraph {
    /// The hint to add to "no node has the id …": the node that has it as an alias, or the id
    /// that differs only in case, punctuation or a letter or two (never a different number).
    public func idHint(for id: String) -> String {
        if let node = nodes.first(where: { $0.aliases.contains(id) }) { return " (\(node.id) has this alias)" }
        return Suggestion.closestID(to: id, in: nodes.map(\.id.rawValue)).map { " (did you mean '\($0)'?)" } ?? ""
    }
}
