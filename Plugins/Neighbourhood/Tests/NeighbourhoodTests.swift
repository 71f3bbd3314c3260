import LinkageKit
import LinkageTestSupport
import Neighbourhood
import Testing

/// A plan with two objectives; every figure below is counted by hand from these lines.
func fixture() -> LinkageGraph {
    var f = FixtureGraph()
    f.declare("objective", role: .planStructure)
    f.declare("output", role: .planElement)
    f.plan("p", elements: ["output"], groups: "objective")
    f.sdg(goals: [9, 17], targets: ["9.c", "17.6"])
    f.node("OBJ-1", "objective")
    f.node("OBJ-2", "objective")
    f.node("OUT-1.1", "output")
    f.node("OUT-1.2", "output")
    f.node("OUT-2.1", "output")
    f.node("PP-RES-131", .ppResolution)
    f.link("OUT-1.1", .partOf, ["OBJ-1"])
    f.link("OUT-1.2", .partOf, ["OBJ-1"])
    f.link("OUT-2.1", .partOf, ["OBJ-2"])
    f.link("OUT-1.1", .advancesSDG, ["SDG-9.c", "SDG-17"])
    f.link("OUT-1.2", .advancesSDG, ["SDG-9.c"], derivedBy: "test-rule")
    f.link("OUT-1.1", .implements, ["PP-RES-131"])
    return f.build()
}

@Suite("neighbourhood")
struct NeighbourhoodTests {
    let graph = fixture()

    func run(_ options: [String: String]) throws -> AnalysisResult {
        try analysis.run(AnalysisContext(graph: graph, options: AnalysisOptions(options)))
    }

    @Test func countsWhatIsWithinTheDepth() throws {
        let result = try run(["focus": "OBJ-1", "depth": "2"])
        // OBJ-1; OUT-1.1, OUT-1.2 (1 step); SDG-9.c, SDG-17 (2 steps). Not the resolution: implements is not followed.
        let rows = try #require(result.tables.first { $0.id == "nodes" }).rows
        #expect(rows.map { $0[1] } == [.id("OBJ-1"), .id("OUT-1.1"), .id("OUT-1.2"), .id("SDG-9.c"), .id("SDG-17")])
        #expect(result.headline.first { $0.label.en == "Nodes reached (including the focus)" }?.value == "5")
        #expect(result.headline.first { $0.label.en == "of which derived by a rule" }?.value == "1")
        #expect(result.findings.contains { $0.code == "derived-links" })
    }

    @Test func depthOneStopsAtTheOutputs() throws {
        let result = try run(["focus": "OBJ-1", "depth": "1"])
        #expect(try #require(result.tables.first { $0.id == "nodes" }).rows.count == 3)
    }

    @Test func relationsChooseWhatIsFollowed() throws {
        let result = try run(["focus": "OUT-1.1", "depth": "1", "relations": "implements"])
        let ids = try #require(result.tables.first { $0.id == "nodes" }).rows.map { $0[1] }
        #expect(ids == [.id("OUT-1.1"), .id("PP-RES-131")])
    }

    @Test func withoutFocusDrawsEveryGroupOfThePlan() throws {
        let result = try run(["plan": "p"])
        #expect(result.views.map(\.id) == ["neighbourhood-OBJ-1", "neighbourhood-OBJ-2"])
        guard case .network(let network) = result.views[0].diagram else { Issue.record("expected a network"); return }
        // Derived links are kept apart from declared ones, so diagrams can dash them.
        #expect(network.edges.filter { !$0.declared }.map(\.source) == ["OUT-1.2"])
        // SDG targets are grouped under their goal, with the goal's official colour.
        #expect(network.groups.contains { $0.id == "SDG-9" && $0.colour == "#FD6925" })
    }

    @Test func isolatedFocusIsAFinding() throws {
        let result = try run(["focus": "PP-RES-131", "relations": "part-of"])
        #expect(result.findings.contains { $0.code == "isolated" && $0.ids == ["PP-RES-131"] })
    }

    @Test func badOptionsAreOptionErrors() {
        #expect(throws: AnalysisOptionError.self) { try run(["focus": "NOPE"]) }
        #expect(throws: AnalysisOptionError.self) { try run(["relations": "nonsense"]) }
        #expect(throws: AnalysisOptionError.self) { try run(["plan": "missing"]) }
        #expect(throws: AnalysisOptionError.self) { try run(["focus": "OBJ-1", "kinds": "no-such-kind"]) }
    }
}
