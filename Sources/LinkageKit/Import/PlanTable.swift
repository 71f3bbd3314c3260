import OrderedCollections

/// A plan written back in the layout `linkage import` reads (`id,parent,label_en,label_zh,sdg,
/// wsis,mandates`, then one column per scalar attribute), so that export → import round-trips
/// the plan's structure and its declared SDG, WSIS and mandate links.
public struct PlanTable: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        case text(String)
        case number(Double)
        case integer(Int)

        /// The value as a CSV cell shows it.
        public var text: String {
            switch self {
            case .text(let s): s
            case .number(let d): AttributeValue.format(d)
            case .integer(let i): String(i)
            }
        }
    }

    public var header: [String]
    public var rows: [[Value]]

    /// The rows of a plan: each group (in id order, nested groups under their parent) followed by
    /// its elements, then the elements outside any group. Only declared links are written: a
    /// sheet states links, and a derived link is no statement.
    public init(plan: ResolvedPlan, graph: LinkageGraph) {
        let elementIDs = Set(plan.elements.map(\.id))
        var included: Set<NodeID> = elementIDs
        if let groupKind = plan.spec.groups {
            for element in plan.elements {
                for ancestor in graph.ancestors(of: element.id) where graph.node(ancestor)?.kind == groupKind {
                    included.insert(ancestor)
                }
            }
        }
        func parent(_ id: NodeID) -> NodeID? {
            graph.parent(of: id).flatMap { included.contains($0) && $0 != id ? $0 : nil }
        }
        var childrenOf: [NodeID?: [NodeID]] = [:]
        for id in included.sorted() { childrenOf[parent(id), default: []].append(id) }
        var ordered: [NodeID] = []
        var visited = Set<NodeID>()
        func visit(_ id: NodeID) {
            guard visited.insert(id).inserted else { return }
            ordered.append(id)
            // Groups first, then elements, so that an objective's outputs follow it directly.
            for child in childrenOf[id] ?? [] { visit(child) }
        }
        let roots = childrenOf[nil] ?? []
        for root in roots where !elementIDs.contains(root) { visit(root) }
        for root in roots where elementIDs.contains(root) { visit(root) }
        for id in included.sorted() where !visited.contains(id) { visit(id) }  // loops in part-of

        let nodes = ordered.compactMap { graph.node($0) }
        var attributeNames = OrderedSet<String>()
        for node in nodes {
            for (name, value) in node.attributes where !PlanTable.isList(value) && !PlanImporter.layoutColumns.contains(name) {
                attributeNames.append(name)
            }
        }
        header = PlanImporter.layoutColumns + attributeNames.elements
        rows = nodes.map { node in
            func codes(_ relation: RelationKind, _ short: (String) -> String) -> Value {
                .text(graph.outgoing(node.id, relation: relation).filter(\.isDeclared).map { short($0.target.rawValue) }
                    .joined(separator: ", "))
            }
            var row: [Value] = [
                .text(node.id.rawValue),
                .text(parent(node.id)?.rawValue ?? ""),
                .text(node.label.en),
                .text(node.label.zh),
                codes(.advancesSDG, PlanTable.shortSDG),
                codes(.supportsWSIS, PlanTable.shortWSIS),
                codes(.implements) { $0 },
            ]
            for name in attributeNames {
                switch node.attributes[name] {
                case .integer(let i): row.append(.integer(i))
                case .number(let d): row.append(.number(d))
                case .some(let value): row.append(.text(value.description))
                case .none: row.append(.text(""))
                }
            }
            return row
        }
    }

    static func isList(_ value: AttributeValue) -> Bool {
        if case .list = value { return true }
        return false
    }

    /// `SDG-9.c` → `9.c`; `SDG-ALL` → `all`.
    static func shortSDG(_ id: String) -> String { id == "SDG-ALL" ? "all" : String(id.dropFirst(4)) }
    /// `WSIS-C7.e-health` → `C7.e-health`; `WSIS-ALL` → `all`.
    static func shortWSIS(_ id: String) -> String { id == "WSIS-ALL" ? "all" : String(id.dropFirst(5)) }
}
