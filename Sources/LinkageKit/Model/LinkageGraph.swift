/// Information about one loaded dataset.
public struct DatasetInfo: Sendable, Hashable {
    public var name: String
    public var title: LocalizedText
    public var sources: [SourceDocument]
    public var requires: [String]
    public var files: [String]
    public var notes: String?
    public var directory: String
    /// The program that wrote the dataset (`linkage import`); nil for curated datasets.
    public var generatedBy: String?

    public init(
        name: String, title: LocalizedText, sources: [SourceDocument], requires: [String], files: [String],
        notes: String?, directory: String, generatedBy: String? = nil
    ) {
        self.generatedBy = generatedBy
        self.name = name
        self.title = title
        self.sources = sources
        self.requires = requires
        self.files = files
        self.notes = notes
        self.directory = directory
    }
}

/// A data-quality finding recorded by a curator: something odd in a source, kept visible
/// instead of being silently corrected.
public struct DataQualityNote: Sendable, Hashable {
    public var citation: Citation
    public var finding: String
    /// How the dataset reads the passage.
    public var reading: String?
    public var ids: [NodeID]
    public var dataset: String
    public var location: SourceLocation?

    public init(
        citation: Citation, finding: String, reading: String?, ids: [NodeID], dataset: String,
        location: SourceLocation?
    ) {
        self.citation = citation
        self.finding = finding
        self.reading = reading
        self.ids = ids
        self.dataset = dataset
        self.location = location
    }
}

public enum Direction: String, Sendable, CaseIterable, Codable {
    case outgoing, incoming, both
}

/// The shared, typed graph every analysis works on. Immutable once built; indexed for lookup
/// by id, kind and relation and for in/out neighbours. Nodes iterate in natural id order and
/// edges by (source, relation, target), so everything computed from the graph is deterministic.
public final class LinkageGraph: Sendable {
    public let nodes: [Node]
    public let edges: [Edge]
    public let vocabulary: Vocabulary
    public let datasets: [DatasetInfo]
    public let qualityNotes: [DataQualityNote]

    private let indexByID: [NodeID: Int]
    private let outgoingByNode: [[Int]]
    private let incomingByNode: [[Int]]
    private let nodesByKind: [NodeKind: [Int]]
    private let edgesByRelation: [RelationKind: [Int]]
    private let edgeIndexByKey: [EdgeKey: Int]
    /// `sdgPosition` of every node, by node index.
    private let sdgPositions: [SDGPosition?]

    /// Builds the indexes. Nodes with duplicate ids keep the first; edges whose ends are missing
    /// are dropped (the loader reports both as errors before it gets here).
    public init(
        nodes: [Node], edges: [Edge], vocabulary: Vocabulary, datasets: [DatasetInfo] = [],
        qualityNotes: [DataQualityNote] = []
    ) {
        // Indices are sorted and chosen rather than whole nodes and edges (large values), and
        // links are ordered by their ends' ranks in the sorted node list, which is their ids'
        // natural order without a string comparison per step (issue 9: sorting whole edges by
        // id was a quarter of loading a large graph).
        var indexByID: [NodeID: Int] = [:]
        indexByID.reserveCapacity(nodes.count)
        var kept: [Int] = []
        kept.reserveCapacity(nodes.count)
        for (i, node) in nodes.enumerated() where indexByID.updateValue(i, forKey: node.id) == nil {
            kept.append(i)
        }
        kept.sort { nodes[$0].id < nodes[$1].id }
        let sortedNodes = kept.map { nodes[$0] }
        for (rank, node) in sortedNodes.enumerated() { indexByID[node.id] = rank }

        // One edge per key: a declared statement wins over a derived one.
        var chosen: [EdgeKey: Int] = [:]
        chosen.reserveCapacity(edges.count)
        var ends = [(source: Int, target: Int)](repeating: (0, 0), count: edges.count)
        for (i, edge) in edges.enumerated() {
            guard let source = indexByID[edge.source], let target = indexByID[edge.target] else { continue }
            ends[i] = (source, target)
            let key = edge.key
            if let existing = chosen.updateValue(i, forKey: key), edges[existing].isDeclared || !edge.isDeclared {
                chosen[key] = existing
            }
        }
        let order = chosen.values.sorted { a, b in
            if ends[a].source != ends[b].source { return ends[a].source < ends[b].source }
            let relationA = edges[a].relation, relationB = edges[b].relation
            if relationA != relationB { return relationA < relationB }
            return ends[a].target < ends[b].target
        }
        let sortedEdges = order.map { edges[$0] }

        var outgoing = Array(repeating: [Int](), count: sortedNodes.count)
        var incoming = Array(repeating: [Int](), count: sortedNodes.count)
        var byRelation: [RelationKind: [Int]] = [:]
        var edgeIndexByKey = chosen
        chosen = [:]  // the table is reused in place, not copied
        for (position, i) in order.enumerated() {
            outgoing[ends[i].source].append(position)
            incoming[ends[i].target].append(position)
            byRelation[edges[i].relation, default: []].append(position)
            edgeIndexByKey[edges[i].key] = position
        }
        var byKind: [NodeKind: [Int]] = [:]
        for (i, node) in sortedNodes.enumerated() { byKind[node.kind, default: []].append(i) }

        self.nodes = sortedNodes
        self.edges = sortedEdges
        self.vocabulary = vocabulary
        self.datasets = datasets.sorted { $0.name < $1.name }
        self.qualityNotes = qualityNotes
        self.indexByID = indexByID
        self.outgoingByNode = outgoing
        self.incomingByNode = incoming
        self.nodesByKind = byKind
        self.edgesByRelation = byRelation
        self.edgeIndexByKey = edgeIndexByKey
        self.sdgPositions = sortedNodes.map(Self.computeSDGPosition)
    }

    func sdgPositionByID(_ id: NodeID) -> SDGPosition? { indexByID[id].flatMap { sdgPositions[$0] } }

    // MARK: Lookup

    public func node(_ id: NodeID) -> Node? { indexByID[id].map { nodes[$0] } }
    public func contains(_ id: NodeID) -> Bool { indexByID[id] != nil }
    public subscript(id: NodeID) -> Node? { node(id) }

    public func nodes(ofKind kind: NodeKind) -> [Node] { (nodesByKind[kind] ?? []).map { nodes[$0] } }
    public func nodes(ofKinds kinds: [NodeKind]) -> [Node] {
        let wanted = Set(kinds)
        return nodes.filter { wanted.contains($0.kind) }
    }
    public func nodes(withRole role: NodeRole) -> [Node] {
        nodes.filter { vocabulary.role(of: $0.kind) == role }
    }
    public func role(of id: NodeID) -> NodeRole { node(id).map { vocabulary.role(of: $0.kind) } ?? .other }

    public func edges(relation: RelationKind) -> [Edge] { (edgesByRelation[relation] ?? []).map { edges[$0] } }
    public func edge(_ key: EdgeKey) -> Edge? { edgeIndexByKey[key].map { edges[$0] } }

    /// Links leaving `id`, optionally only those of some relations.
    public func outgoing(_ id: NodeID, relations: Set<RelationKind>? = nil) -> [Edge] {
        guard let i = indexByID[id] else { return [] }
        return outgoingByNode[i].map { edges[$0] }.filter { relations?.contains($0.relation) ?? true }
    }

    /// Links arriving at `id`, optionally only those of some relations.
    public func incoming(_ id: NodeID, relations: Set<RelationKind>? = nil) -> [Edge] {
        guard let i = indexByID[id] else { return [] }
        return incomingByNode[i].map { edges[$0] }.filter { relations?.contains($0.relation) ?? true }
    }

    public func outgoing(_ id: NodeID, relation: RelationKind) -> [Edge] { outgoing(id, relations: [relation]) }
    public func incoming(_ id: NodeID, relation: RelationKind) -> [Edge] { incoming(id, relations: [relation]) }

    /// Neighbour ids over the given relations in the given direction, in natural order.
    public func neighbours(of id: NodeID, relations: Set<RelationKind>? = nil, direction: Direction = .both)
        -> [NodeID]
    {
        var result = Set<NodeID>()
        if direction != .incoming { for e in outgoing(id, relations: relations) { result.insert(e.target) } }
        if direction != .outgoing { for e in incoming(id, relations: relations) { result.insert(e.source) } }
        return result.sorted()
    }

    /// The node `id` is directly part of (its goal, objective, priority), if any.
    public func parent(of id: NodeID) -> NodeID? { outgoing(id, relation: .partOf).first?.target }

    /// The chain of `part-of` parents, nearest first (guards against cycles).
    public func ancestors(of id: NodeID) -> [NodeID] {
        var chain: [NodeID] = []
        var current = id
        while let next = parent(of: current), !chain.contains(next), next != id {
            chain.append(next)
            current = next
        }
        return chain
    }

    /// Nodes that are `part-of` `id`, in natural order.
    public func children(of id: NodeID) -> [NodeID] { incoming(id, relation: .partOf).map(\.source) }

    // MARK: Traversal

    /// Everything reachable from `start` within `maxDepth` steps over `relations` (all relations
    /// when nil), with the number of steps it took. The start node has depth 0.
    public func reachable(
        from start: NodeID, relations: Set<RelationKind>? = nil, direction: Direction = .outgoing,
        maxDepth: Int = .max
    ) -> [NodeID: Int] {
        guard contains(start) else { return [:] }
        var depth: [NodeID: Int] = [start: 0]
        var frontier = [start]
        var level = 0
        while !frontier.isEmpty && level < maxDepth {
            level += 1
            var next: [NodeID] = []
            for id in frontier {
                for neighbour in neighbours(of: id, relations: relations, direction: direction)
                where depth[neighbour] == nil {
                    depth[neighbour] = level
                    next.append(neighbour)
                }
            }
            frontier = next.sorted()
        }
        return depth
    }

    /// Every simple path (no repeated node) from `source` to `target` of at most `maxLength`
    /// links over `relations`, following links forwards. Shortest first, then in id order.
    public func paths(
        from source: NodeID, to target: NodeID, relations: Set<RelationKind>? = nil, maxLength: Int = 6
    ) -> [[Edge]] {
        guard contains(source), contains(target), maxLength > 0 else { return [] }
        var found: [[Edge]] = []
        var path: [Edge] = []
        var onPath: Set<NodeID> = [source]
        func walk(_ id: NodeID) {
            if id == target, !path.isEmpty {
                found.append(path)
                return
            }
            guard path.count < maxLength else { return }
            for edge in outgoing(id, relations: relations) where !onPath.contains(edge.target) {
                path.append(edge)
                onPath.insert(edge.target)
                walk(edge.target)
                onPath.remove(edge.target)
                path.removeLast()
            }
        }
        walk(source)
        return found.sorted { a, b in
            if a.count != b.count { return a.count < b.count }
            return a.map(\.key).lexicographicallyPrecedes(b.map(\.key))
        }
    }

    /// The subgraph induced by a set of nodes: those nodes and every link between two of them.
    public func subgraph(nodes ids: Set<NodeID>) -> LinkageGraph {
        LinkageGraph(
            nodes: nodes.filter { ids.contains($0.id) },
            edges: edges.filter { ids.contains($0.source) && ids.contains($0.target) },
            vocabulary: vocabulary, datasets: datasets, qualityNotes: qualityNotes)
    }

    /// The subgraph induced by the nodes of some kinds.
    public func subgraph(kinds: Set<NodeKind>) -> LinkageGraph {
        subgraph(nodes: Set(nodes.filter { kinds.contains($0.kind) }.map(\.id)))
    }

    /// Nodes of `datasets`, in id order.
    public func nodes(inDataset name: String) -> [Node] { nodes.filter { $0.dataset == name } }
    public func edges(inDataset name: String) -> [Edge] { edges.filter { $0.dataset == name } }
    public func dataset(_ name: String) -> DatasetInfo? { datasets.first { $0.name == name } }
}
