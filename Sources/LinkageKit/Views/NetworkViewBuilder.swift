/// Turns parts of the graph into network views with consistent labels, colours, tooltips and
/// grouping, so every analysis draws nodes and links the same way.
public struct NetworkViewBuilder: Sendable {
    public let graph: LinkageGraph

    public init(graph: LinkageGraph) { self.graph = graph }

    /// The colour the data prescribes for a node: its own `colour` attribute or that of the
    /// nearest `part-of` ancestor that has one (an SDG target takes its goal's colour).
    public func prescribedColour(of id: NodeID) -> String? {
        if let colour = graph.node(id)?.attributes["colour"]?.stringValue { return colour }
        for ancestor in graph.ancestors(of: id) {
            if let colour = graph.node(ancestor)?.attributes["colour"]?.stringValue { return colour }
        }
        return nil
    }

    public func viewNode(_ id: NodeID, emphasised: Bool = false) -> ViewNode {
        guard let node = graph.node(id) else {
            let text = LocalizedText(zh: id.rawValue, en: id.rawValue)
            return ViewNode(id: id, kind: "unknown", kindLabel: text, role: .other, label: text)
        }
        let spec = graph.vocabulary.spec(node.kind)
        var tooltip = node.label
        if let description = node.description {
            tooltip = LocalizedText(zh: node.label.zh + "\n" + description.zh, en: node.label.en + "\n" + description.en)
        }
        return ViewNode(
            id: id, kind: node.kind, kindLabel: spec?.label ?? LocalizedText(zh: node.kind.rawValue, en: node.kind.rawValue),
            role: spec?.role ?? .other, label: node.label, code: id.rawValue, tooltip: tooltip,
            url: node.attributes["uri"]?.stringValue, colour: prescribedColour(of: id), emphasised: emphasised)
    }

    public func viewEdge(_ edge: Edge, weight: Int? = nil, label: String? = nil) -> ViewEdge {
        let spec = graph.vocabulary.spec(edge.relation)
        return ViewEdge(
            source: edge.source, target: edge.target, relation: edge.relation,
            relationLabel: spec?.label ?? LocalizedText(zh: edge.relation.rawValue, en: edge.relation.rawValue),
            declared: edge.isDeclared, tooltip: ProvenanceText.oneLine(edge), weight: weight, label: label)
    }

    /// A view of the given nodes and links, drawn in the order of `ids` (give them in document
    /// order: `LinkageGraph.documentOrder`). Nodes whose `part-of` parent is of one of
    /// `groupKinds` are boxed under that parent (the parent, when shown, heads its box); groups
    /// come in the order of their first member.
    public func build(nodes given: [NodeID], edges: [Edge], groupKinds: Set<NodeKind> = [], emphasised: Set<NodeID> = [],
                      ranks: [[NodeID]] = []) -> NetworkView {
        var seen = Set<NodeID>()
        let ids = given.filter { seen.insert($0).inserted }
        let shown = Set(ids)
        let position = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        var members: [NodeID: [NodeID]] = [:]
        for id in ids {
            if let node = graph.node(id), groupKinds.contains(node.kind) {
                members[id, default: []].append(id)
                continue
            }
            if let parent = graph.ancestors(of: id).first(where: { graph.node($0).map { groupKinds.contains($0.kind) } ?? false }) {
                members[parent, default: []].append(id)
            }
        }
        let groups = members.keys.sorted { a, b in
            (members[a]!.compactMap { position[$0] }.min() ?? .max, a) < (members[b]!.compactMap { position[$0] }.min() ?? .max, b)
        }.map { parent -> ViewGroup in
            let node = graph.node(parent)
            // A box whose own node is drawn inside it is headed by the id only: the node says the rest.
            let label = shown.contains(parent) ? LocalizedText(zh: parent.rawValue, en: parent.rawValue)
                : node.map { LocalizedText(zh: "\(parent) \($0.label.zh)", en: "\(parent) \($0.label.en)") }
                    ?? LocalizedText(zh: parent.rawValue, en: parent.rawValue)
            return ViewGroup(id: parent.rawValue, label: label, members: members[parent]!,
                             colour: prescribedColour(of: parent))
        }
        // In large views, SDG targets and other reference nodes show one line of text.
        let referenceCount = ids.filter { graph.role(of: $0) == .reference }.count
        let compact = referenceCount > 20
        return NetworkView(
            nodes: ids.map { id in
                var node = viewNode(id, emphasised: emphasised.contains(id))
                if compact && node.role == .reference && node.kind != .sdgGoal { node.maxLabelLines = 1 }
                return node
            },
            edges: edges.filter { shown.contains($0.source) && shown.contains($0.target) }
                .sorted { $0.key < $1.key }.map { viewEdge($0) },
            groups: groups, ranks: ranks.map { $0.filter(shown.contains) }.filter { !$0.isEmpty })
    }
}

/// How a link's provenance is told to a reader, everywhere (show, tooltips, reports).
public enum ProvenanceText {
    /// One line: `declared: file §section` or `derived (rule): justification`.
    public static func oneLine(_ edge: Edge) -> String {
        switch edge.provenance {
        case .declared(let citation):
            return "declared: \(citation.reference)"
        case .derived(let derivation):
            var text = "derived by rule \(derivation.rule): \(derivation.justification)"
            if let path = derivation.paths.first {
                text += " Via: " + chain(path, from: edge.source)
                if derivation.paths.count > 1 { text += " (and \(derivation.paths.count - 1) more path\(derivation.paths.count == 2 ? "" : "s"))" }
            }
            return text
        }
    }

    /// `A -[r]-> B <-[s]- C` for a chain of links walked from `start` (steps walked against
    /// their direction are shown pointing back).
    public static func chain(_ path: [EdgeKey], from start: NodeID) -> String {
        var text = start.rawValue
        var current = start
        for step in path {
            if step.source == current {
                text += " -[\(step.relation)]-> \(step.target)"
                current = step.target
            } else {
                text += " <-[\(step.relation)]- \(step.source)"
                current = step.source
            }
        }
        return text
    }
}
