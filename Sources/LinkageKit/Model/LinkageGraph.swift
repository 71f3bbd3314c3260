import Dispatch
import Synchronization

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
    /// Edges are sorted by source first, so the links leaving node `i` are the positions
    /// `outgoingStart[i] ..< outgoingStart[i + 1]`, in (relation, target) order.
    private let outgoingStart: [Int32]
    /// The links arriving at node `i`: `incomingEdges[incomingStart[i] ..< incomingStart[i + 1]]`,
    /// edge positions in ascending order.
    private let incomingStart: [Int32]
    private let incomingEdges: [Int32]
    /// The index of each edge's target node, by edge position (finds a link by its key by
    /// bisecting its source's outgoing range, without a table of every key).
    private let edgeTargets: [Int32]
    private let nodesByKind: [NodeKind: [Int]]
    private let edgesByRelation: [RelationKind: [Int]]
    /// `sdgPosition` of every node, by node index.
    private let sdgPositions: [SDGPosition?]

    /// Builds the indexes. Nodes with duplicate ids keep the first; edges whose ends are missing
    /// are dropped (the loader reports both as errors before it gets here).
    public convenience init(
        nodes: [Node], edges: [Edge], vocabulary: Vocabulary, datasets: [DatasetInfo] = [],
        qualityNotes: [DataQualityNote] = []
    ) {
        // Indices are sorted and chosen rather than whole nodes and edges (large values).
        var indexByID: [NodeID: Int] = [:]
        indexByID.reserveCapacity(nodes.count)
        var kept: [Int] = []
        kept.reserveCapacity(nodes.count)
        // Fields are read in place (`nodes[i].id`): a loop over whole nodes and links copies
        // each of them, a dozen reference counts apiece.
        for i in nodes.indices {
            if let first = indexByID.updateValue(i, forKey: nodes[i].id) {
                indexByID[nodes[i].id] = first
            } else {
                kept.append(i)
            }
        }
        kept.sort { nodes[$0].id < nodes[$1].id }
        var rankOfInput = [Int](repeating: 0, count: nodes.count)
        for (rank, i) in kept.enumerated() { rankOfInput[i] = rank }
        // Ranks written over the input positions in place: no second hashing of every id.
        var slot = indexByID.startIndex
        while slot != indexByID.endIndex {
            indexByID.values[slot] = rankOfInput[indexByID.values[slot]]
            slot = indexByID.index(after: slot)
        }
        let sortedNodes = kept.map { nodes[$0] }

        let ranks = edges.withUnsafeBufferPointer { edges in EdgeSlots(relations: edges.indices.lazy.map { edges[$0].relation }).ranks }
        // Many links are chosen and sorted in two halves, one per core, then merged: the order
        // and the link each key keeps are the same (`precedes` is a total order, and the first
        // of a key in either half is the first of it in both), in about half the time (issue 9).
        let halves = edges.count >= 20_000 ? [0..<edges.count / 2, edges.count / 2..<edges.count] : [0..<edges.count]
        let sortedHalves = Mutex<[[EdgeSlot]]>(Array(repeating: [], count: halves.count))
        let ranksByID = indexByID
        DispatchQueue.concurrentPerform(iterations: halves.count) { half in
            var links = EdgeSlots(ranks: ranks)
            links.slots.reserveCapacity(halves[half].count)
            for i in halves[half] {
                guard let source = ranksByID[edges[i].source], let target = ranksByID[edges[i].target] else { continue }
                links.add(source: source, relation: edges[i].relation, target: target, declared: edges[i].isDeclared, input: i)
            }
            let sorted = links.sortedSlots()
            sortedHalves.withLock { $0[half] = sorted }
        }
        let order = sortedHalves.withLock { halves in halves.count == 1 ? halves[0] : EdgeSlots.merge(halves[0], halves[1]) }
        self.init(
            nodes: sortedNodes, indexByID: indexByID, nodesByKind: nil, sdgPositions: nil,
            edges: order.map { edges[Int($0.input)] }, order: order,
            vocabulary: vocabulary, datasets: datasets, qualityNotes: qualityNotes)
    }

    /// `base` with more links: its nodes and their indexes are reused as they are (the
    /// composition rules only link nodes the graph holds), and its links, already sorted, are
    /// merged with the new ones rather than sorted and chosen again (issue 9: the loader built
    /// the whole graph twice, once for the rules and once with their links). Which link a key
    /// keeps is the same as building the graph from `base`'s links followed by `added`: a
    /// declared link wins over a derived one, else the first. Links whose ends `base` lacks
    /// are dropped.
    convenience init(adding added: [Edge], to base: LinkageGraph, vocabulary: Vocabulary, datasets: [DatasetInfo],
                     qualityNotes: [DataQualityNote]) {
        let baseCount = base.edges.count
        var links = EdgeSlots(relations: Array(base.edgesByRelation.keys) + added.map(\.relation))
        links.slots.reserveCapacity(baseCount)
        // The base's links, in their order, with the ends it knows (no id is looked up again).
        var relationOf = [Int32](repeating: 0, count: baseCount)
        for (relation, positions) in base.edgesByRelation {
            let rank = links.rank(relation)
            for position in positions { relationOf[position] = rank }
        }
        for source in 0..<base.nodes.count {
            for position in Int(base.outgoingStart[source])..<Int(base.outgoingStart[source + 1]) {
                links.slots.append(EdgeSlot(
                    source: Int32(source), relation: relationOf[position], target: base.edgeTargets[position],
                    derived: !base.edges[position].isDeclared, input: Int32(position)))
            }
        }
        var extra = EdgeSlots(ranks: links.ranks)
        for (i, edge) in added.enumerated() {
            guard let source = base.indexByID[edge.source], let target = base.indexByID[edge.target] else { continue }
            extra.add(source: source, relation: edge.relation, target: target, declared: edge.isDeclared, input: baseCount + i)
        }
        let order = EdgeSlots.merge(links.slots, extra.sortedSlots())
        self.init(
            nodes: base.nodes, indexByID: base.indexByID, nodesByKind: base.nodesByKind, sdgPositions: base.sdgPositions,
            edges: order.map { $0.input < baseCount ? base.edges[Int($0.input)] : added[Int($0.input) - baseCount] },
            order: order, vocabulary: vocabulary, datasets: datasets, qualityNotes: qualityNotes)
    }

    /// The indexes of sorted nodes and of edges in `order` (sorted, one per key).
    private init(
        nodes: [Node], indexByID: [NodeID: Int], nodesByKind: [NodeKind: [Int]]?, sdgPositions: [SDGPosition?]?,
        edges: [Edge], order: [EdgeSlot], vocabulary: Vocabulary, datasets: [DatasetInfo],
        qualityNotes: [DataQualityNote]
    ) {
        let nodeCount = nodes.count
        var outgoingStart = [Int32](repeating: 0, count: nodeCount + 1)
        var incomingStart = [Int32](repeating: 0, count: nodeCount + 1)
        var edgeTargets = [Int32](repeating: 0, count: order.count)
        for (position, slot) in order.enumerated() {
            outgoingStart[Int(slot.source) + 1] += 1
            incomingStart[Int(slot.target) + 1] += 1
            edgeTargets[position] = slot.target
        }
        for i in 0..<nodeCount {
            outgoingStart[i + 1] += outgoingStart[i]
            incomingStart[i + 1] += incomingStart[i]
        }
        // Counting sort by target; positions ascend within each node's range.
        var incomingEdges = [Int32](repeating: 0, count: order.count)
        var next = incomingStart
        for (position, slot) in order.enumerated() {
            incomingEdges[Int(next[Int(slot.target)])] = Int32(position)
            next[Int(slot.target)] += 1
        }
        var byRelation: [RelationKind: [Int]] = [:]
        edges.withUnsafeBufferPointer { edges in
            var position = 0
            while position < edges.count {
                // Runs of one relation are common (a node's links are grouped by relation).
                let relation = edges[position].relation
                var positions = byRelation.removeValue(forKey: relation) ?? []
                while position < edges.count, edges[position].relation == relation {
                    positions.append(position)
                    position += 1
                }
                byRelation[relation] = positions
            }
        }
        var byKind: [NodeKind: [Int]] = [:]
        if nodesByKind == nil { for i in nodes.indices { byKind[nodes[i].kind, default: []].append(i) } }

        self.nodes = nodes
        self.edges = edges
        self.vocabulary = vocabulary
        self.datasets = datasets.sorted { $0.name < $1.name }
        self.qualityNotes = qualityNotes
        self.indexByID = indexByID
        self.outgoingStart = outgoingStart
        self.incomingStart = incomingStart
        self.incomingEdges = incomingEdges
        self.edgeTargets = edgeTargets
        self.nodesByKind = nodesByKind ?? byKind
        self.edgesByRelation = byRelation
        self.sdgPositions = sdgPositions ?? nodes.indices.map { Self.computeSDGPosition(kind: nodes[$0].kind, id: nodes[$0].id) }
    }

    func sdgPositionByID(_ id: NodeID) -> SDGPosition? { indexByID[id].flatMap { sdgPositions[$0] } }

    private func outgoingPositions(_ node: Int) -> Range<Int> { Int(outgoingStart[node])..<Int(outgoingStart[node + 1]) }

    private func incomingPositions(_ node: Int) -> ArraySlice<Int32> {
        incomingEdges[Int(incomingStart[node])..<Int(incomingStart[node + 1])]
    }

    // MARK: Lookup

    public func node(_ id: NodeID) -> Node? { indexByID[id].map { nodes[$0] } }
    public func contains(_ id: NodeID) -> Bool { indexByID[id] != nil }
    public subscript(id: NodeID) -> Node? { node(id) }

    public func nodes(ofKind kind: NodeKind) -> [Node] { (nodesByKind[kind] ?? []).map { nodes[$0] } }
    public func nodes(ofKinds kinds: [NodeKind]) -> [Node] {
        // From the index by kind, in node order (the composition rules ask this of large graphs).
        Set(kinds).flatMap { nodesByKind[$0] ?? [] }.sorted().map { nodes[$0] }
    }
    public func nodes(withRole role: NodeRole) -> [Node] {
        nodes.filter { vocabulary.role(of: $0.kind) == role }
    }
    public func role(of id: NodeID) -> NodeRole { node(id).map { vocabulary.role(of: $0.kind) } ?? .other }

    public func edges(relation: RelationKind) -> [Edge] { (edgesByRelation[relation] ?? []).map { edges[$0] } }

    public func edge(_ key: EdgeKey) -> Edge? {
        guard let source = indexByID[key.source], let target = indexByID[key.target].map(Int32.init) else { return nil }
        // The source's links are sorted by (relation, target): bisect for the first not below the key.
        var low = Int(outgoingStart[source]), high = Int(outgoingStart[source + 1])
        while low < high {
            let middle = (low + high) / 2
            let relation = edges[middle].relation
            if relation < key.relation || (relation == key.relation && edgeTargets[middle] < target) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        guard low < Int(outgoingStart[source + 1]), edgeTargets[low] == target, edges[low].relation == key.relation else {
            return nil
        }
        return edges[low]
    }

    /// Links leaving `id`, optionally only those of some relations.
    public func outgoing(_ id: NodeID, relations: Set<RelationKind>? = nil) -> [Edge] {
        guard let i = indexByID[id] else { return [] }
        return outgoingPositions(i).compactMap { relations?.contains(edges[$0].relation) ?? true ? edges[$0] : nil }
    }

    /// Links arriving at `id`, optionally only those of some relations.
    public func incoming(_ id: NodeID, relations: Set<RelationKind>? = nil) -> [Edge] {
        guard let i = indexByID[id] else { return [] }
        return incomingPositions(i).compactMap {
            relations?.contains(edges[Int($0)].relation) ?? true ? edges[Int($0)] : nil
        }
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

/// One link while a graph is built: its ends and relation as ranks, and its input position.
private struct EdgeSlot {
    var source: Int32
    var relation: Int32
    var target: Int32
    /// A derived link sorts after a declared one with the same key, which the key then keeps.
    var derived: Bool
    var input: Int32

    /// The graph's link order, then declared before derived, then input order.
    static func precedes(_ a: EdgeSlot, _ b: EdgeSlot) -> Bool {
        if a.source != b.source { return a.source < b.source }
        if a.relation != b.relation { return a.relation < b.relation }
        if a.target != b.target { return a.target < b.target }
        if a.derived != b.derived { return !a.derived }
        return a.input < b.input
    }

    func hasKey(of other: EdgeSlot) -> Bool { source == other.source && relation == other.relation && target == other.target }
}

/// Links being sorted and chosen (one per key) as integers, without comparing or hashing ids.
private struct EdgeSlots {
    /// Each relation's rank in the relations' (text) order.
    let ranks: [RelationKind: Int32]
    var slots: [EdgeSlot] = []
    private var lastRelation: RelationKind?
    private var lastRank: Int32 = 0

    init(relations: some Sequence<RelationKind>) {
        var distinct = Set<RelationKind>()
        var last: RelationKind?
        for relation in relations where relation != last {
            distinct.insert(relation)
            last = relation
        }
        ranks = Dictionary(uniqueKeysWithValues: distinct.sorted().enumerated().map { ($0.element, Int32($0.offset)) })
    }

    init(ranks: [RelationKind: Int32]) { self.ranks = ranks }

    func rank(_ relation: RelationKind) -> Int32 { ranks[relation]! }

    mutating func add(source: Int, relation: RelationKind, target: Int, declared: Bool, input: Int) {
        // Links come grouped by relation: one lookup per group.
        if lastRelation != relation {
            lastRank = rank(relation)
            lastRelation = relation
        }
        slots.append(EdgeSlot(source: Int32(source), relation: lastRank, target: Int32(target), derived: !declared,
                              input: Int32(input)))
    }

    /// The slots in link order, the first of each key only.
    mutating func sortedSlots() -> [EdgeSlot] {
        slots.sort(by: EdgeSlot.precedes)
        return Self.firstOfEachKey(slots)
    }

    /// Merges two lists sorted by `precedes`, keeping the first of each key.
    static func merge(_ a: [EdgeSlot], _ b: [EdgeSlot]) -> [EdgeSlot] {
        guard !b.isEmpty else { return a }
        var merged: [EdgeSlot] = []
        merged.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && EdgeSlot.precedes(a[i], b[j])) {
                merged.append(a[i])
                i += 1
            } else {
                merged.append(b[j])
                j += 1
            }
        }
        return firstOfEachKey(merged)
    }

    private static func firstOfEachKey(_ sorted: [EdgeSlot]) -> [EdgeSlot] {
        var kept: [EdgeSlot] = []
        kept.reserveCapacity(sorted.count)
        for slot in sorted where kept.last.map({ !$0.hasKey(of: slot) }) ?? true { kept.append(slot) }
        return kept
    }
}
