@testable import LinkageKit
import LinkageTestSupport
import Testing

/// The graph's link order and choice (one link per key, a declared one over a derived one, else
/// the first), checked against a plain reading of that rule on random graphs, and the loader's
/// way of adding the rules' links to an existing graph against building the graph whole.
@Suite("Graph building")
struct GraphBuildTests {
    /// A deterministic generator (SplitMix64), so a failure can be replayed from its seed.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let ids: [NodeID] = ["SDG-9", "SDG-9.1", "SDG-9.a", "SDG-10", "A-2", "A-10", "A-02", "B", "b", "Z-1.1"]
    static let relations: [RelationKind] = [.partOf, .advancesSDG, .mentions, "continues"]

    /// A random graph: some ids twice, some links to ids that are not nodes, links written
    /// several times with either provenance.
    static func randomGraph(seed: UInt64) -> (FixtureGraph, [Edge]) {
        var random = Seeded(state: seed)
        var fixture = FixtureGraph()
        for _ in 0..<Int.random(in: 0...12, using: &random) {
            fixture.node(ids.randomElement(using: &random)!, .sdgTarget, "\(Int.random(in: 0...9, using: &random))")
        }
        let ends = ids + ["MISSING"]
        for _ in 0..<Int.random(in: 0...40, using: &random) {
            let derived = Bool.random(using: &random)
            fixture.link(ends.randomElement(using: &random)!, relations.randomElement(using: &random)!,
                         [ends.randomElement(using: &random)!], derivedBy: derived ? "rule-\(Int.random(in: 0...2, using: &random))" : nil,
                         occurrences: Int.random(in: 1...2, using: &random))
        }
        return (fixture, fixture.edges)
    }

    /// The rule, read plainly: per key the first declared link, else the first link; sorted by key.
    static func expectedEdges(nodes: [Node], edges: [Edge]) -> [Edge] {
        let known = Set(nodes.map(\.id))
        var chosen: [EdgeKey: Edge] = [:]
        for edge in edges where known.contains(edge.source) && known.contains(edge.target) {
            if let existing = chosen[edge.key], existing.isDeclared || !edge.isDeclared { continue }
            chosen[edge.key] = edge
        }
        return chosen.values.sorted { $0.key < $1.key }
    }

    static func expectSameIndexes(_ a: LinkageGraph, _ b: LinkageGraph, seed: UInt64) {
        #expect(a.nodes == b.nodes, "seed \(seed)")
        #expect(a.edges == b.edges, "seed \(seed)")
        for id in ids + ["MISSING"] {
            #expect(a.outgoing(id) == b.outgoing(id), "seed \(seed) \(id)")
            #expect(a.incoming(id) == b.incoming(id), "seed \(seed) \(id)")
            for relation in relations {
                for target in ids + ["MISSING"] {
                    let key = EdgeKey(source: id, relation: relation, target: target)
                    #expect(a.edge(key) == b.edge(key), "seed \(seed) \(key)")
                }
            }
        }
        for relation in relations { #expect(a.edges(relation: relation) == b.edges(relation: relation), "seed \(seed)") }
    }

    /// From 20,000 links the graph chooses and sorts them in two halves, one per core, and
    /// merges them: the same links as the rule, when a key's declared link and its derived one
    /// fall in different halves, in either order, and the same key appears many times in each.
    @Test func manyLinksChosenInTwoHalvesAsTheRuleSays() {
        var random = Seeded(state: 20_000)
        var fixture = FixtureGraph()
        for id in Self.ids.dropLast() { fixture.node(id, .sdgTarget, "\(id)") }
        let ends = Self.ids + ["MISSING"]
        for _ in 0..<25_000 {
            let derived = Bool.random(using: &random)
            fixture.link(ends.randomElement(using: &random)!, Self.relations.randomElement(using: &random)!,
                         [ends.randomElement(using: &random)!], derivedBy: derived ? "rule-\(Int.random(in: 0...2, using: &random))" : nil)
        }
        let graph = LinkageGraph(nodes: fixture.nodes, edges: fixture.edges, vocabulary: fixture.vocabulary)
        #expect(fixture.edges.count >= 20_000)
        #expect(graph.edges == Self.expectedEdges(nodes: fixture.nodes, edges: fixture.edges))
    }

    @Test func linksAreSortedAndChosenAsTheRuleSays() {
        for seed in UInt64(0)..<300 {
            let (fixture, edges) = Self.randomGraph(seed: seed)
            let graph = LinkageGraph(nodes: fixture.nodes, edges: edges, vocabulary: fixture.vocabulary)
            let expected = Self.expectedEdges(nodes: fixture.nodes, edges: edges)
            #expect(graph.edges == expected, "seed \(seed)")
            // Every lookup agrees with the list: by key, leaving and arriving, by relation.
            for edge in expected {
                #expect(graph.edge(edge.key) == edge, "seed \(seed)")
                #expect(graph.outgoing(edge.source).contains(edge) && graph.incoming(edge.target).contains(edge), "seed \(seed)")
            }
            for id in Self.ids {
                #expect(graph.outgoing(id) == expected.filter { $0.source == id }, "seed \(seed) \(id)")
                #expect(graph.incoming(id) == expected.filter { $0.target == id }, "seed \(seed) \(id)")
                #expect(graph.outgoing(id, relation: .partOf) == expected.filter { $0.source == id && $0.relation == .partOf })
            }
            for relation in Self.relations {
                #expect(graph.edges(relation: relation) == expected.filter { $0.relation == relation }, "seed \(seed)")
            }
            #expect(graph.edge(EdgeKey(source: "MISSING", relation: .partOf, target: "B")) == nil)
        }
    }

    @Test func addingLinksToAGraphIsBuildingItWhole() {
        for seed in UInt64(1000)..<1300 {
            let (fixture, edges) = Self.randomGraph(seed: seed)
            var random = Seeded(state: seed)
            let split = Int.random(in: 0...edges.count, using: &random)
            let whole = LinkageGraph(nodes: fixture.nodes, edges: edges, vocabulary: fixture.vocabulary)
            let base = LinkageGraph(nodes: fixture.nodes, edges: Array(edges[..<split]), vocabulary: fixture.vocabulary)
            let extended = LinkageGraph(adding: Array(edges[split...]), to: base, vocabulary: fixture.vocabulary,
                                        datasets: [], qualityNotes: [])
            Self.expectSameIndexes(whole, extended, seed: seed)
        }
    }
}

/// A target listed twice in one list is one link that counts its listings, in a short list
/// (compared with the targets before it) and in a long one (over 32 targets, looked up in tables).
@Suite("Targets listed twice")
struct ListedTwiceTests {
    @Test func aLinkCountsEveryListingOfItsTarget() throws {
        let twelve = "[SDG-1, SDG-3.d, SDG-5, SDG-10, SDG-16.5, SDG-16.6, SDG-16.8, SDG-17.9, SDG-17.16, SDG-17.17, SDG-17.18, SDG-17.19]"
        let goals = (1...17).map { "SDG-\($0)" }.joined(separator: ", ")
        let copy = try SelfCheckTests.editedCopy("baap-2018-2021/outputs.yaml") { text in
            // BAAP-OUT-1.1 and 1.2 list the same twelve targets: edit the first list, then the second.
            let first = try #require(text.range(of: "targets: \(twelve)"))
            var edited = text.replacingCharacters(in: first, with: "targets: [SDG-5, \(twelve.dropFirst())")
            let second = try #require(edited.range(of: "targets: \(twelve)"))
            edited.replaceSubrange(second, with: "targets: [\(twelve.dropFirst().dropLast()), \(goals), SDG-3.d, SDG-16.5, SDG-5]")
            return edited
        }
        let result = DatasetLoader.load(from: copy.root)
        #expect(result.errors.isEmpty, "\(result.errors.prefix(3))")
        let twice = result.warnings.filter { $0.code == "duplicate-in-list" && $0.message.contains("list of BAAP-OUT-1.") }
        // SDG-5 once in the first list; SDG-1, 5, 10 (among the goals), 3.d, 16.5 and 5 in the second.
        #expect(twice.count == 1 + 6)
        func occurrences(_ source: NodeID, _ target: NodeID) -> Int? {
            result.graph.edge(EdgeKey(source: source, relation: .advancesSDG, target: target))?.occurrences
        }
        #expect(occurrences("BAAP-OUT-1.1", "SDG-5") == 2)
        #expect(occurrences("BAAP-OUT-1.1", "SDG-10") == 1)
        #expect(occurrences("BAAP-OUT-1.2", "SDG-5") == 3)
        #expect(occurrences("BAAP-OUT-1.2", "SDG-1") == 2)
        #expect(occurrences("BAAP-OUT-1.2", "SDG-16.5") == 2)
        #expect(occurrences("BAAP-OUT-1.2", "SDG-10") == 2)
        #expect(occurrences("BAAP-OUT-1.2", "SDG-2") == 1)
        #expect(twice.allSatisfy { $0.message.contains("(first at line ") })
    }
}
