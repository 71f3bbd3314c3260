import Foundation
import LinkageKit
import LinkageTestSupport
import Testing

@Suite("Loading the mini datasets")
struct LoaderTests {
    let result = DatasetLoader.load(from: Repository.fixture("valid-mini"))

    @Test func loadsWithoutErrors() {
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.graph.datasets.map(\.name) == ["plan", "reference"])
        #expect(result.graph.nodes.count == 19)
    }

    @Test func linksCarryTheirCitation() throws {
        let edge = try #require(result.graph.edge(EdgeKey(source: "PLAN-OUT-1.1", relation: .implements, target: "PP-RES-131")))
        guard case .declared(let citation) = edge.provenance else {
            Issue.record("expected a declared link")
            return
        }
        #expect(citation.reference == "Test document §1.1 references")
        #expect(citation.locatedReference == "test-plan.txt §1.1 references")
        #expect(citation.quote == "PP第131号决议")
        #expect(edge.dataset == "plan")
    }

    @Test func linksWithoutTheirOwnCiteInheritTheNodes() throws {
        let edge = try #require(result.graph.edge(EdgeKey(source: "PLAN-OUT-1.1", relation: .partOf, target: "PLAN-OBJ-1")))
        guard case .declared(let citation) = edge.provenance else { Issue.record("expected declared"); return }
        #expect(citation.section == "§1.1")
    }

    @Test func keepsTheSourcesSpellingVisible() throws {
        let edge = try #require(result.graph.edge(EdgeKey(source: "PLAN-OUT-1.1", relation: .advancesSDG, target: "SDG-5.b")))
        #expect(edge.asWritten == "5b")
        let warning = try #require(result.warnings.first { $0.code == "as-written" })
        #expect(warning.description.hasSuffix("plan/plan.yaml:23:33: warning: data-quality: test-plan.txt §1.1 SDG writes '5b' for SDG-5.b [as-written]"))
    }

    @Test func quirksBecomeDataQualityNotes() throws {
        let note = try #require(result.graph.qualityNotes.first)
        #expect(note.finding == "Target written without a dot.")
        #expect(note.ids == ["PLAN-OUT-1.1"])
        #expect(result.warnings.contains { $0.code == "data-quality" && $0.ids == ["PLAN-OUT-1.1"] })
    }

    @Test func scopeNodesAreNotExpanded() {
        let targets = result.graph.outgoing("PLAN-OUT-1.2", relation: .advancesSDG).map(\.target)
        #expect(targets == ["SDG-1", "SDG-ALL"])
    }

    @Test func declaresPlans() throws {
        let plan = try #require(result.graph.vocabulary.plan("test"))
        #expect(plan.elements == ["plan-output"])
        #expect(plan.groups == "plan-objective")
    }
}

@Suite("Graph queries")
struct GraphQueryTests {
    let graph = DatasetLoader.load(from: Repository.fixture("valid-mini")).graph

    @Test func indexesByKindAndRelation() {
        #expect(graph.nodes(ofKind: .sdgTarget).map(\.id) == ["SDG-1.1", "SDG-5.b", "SDG-9.1", "SDG-9.c"])
        #expect(graph.edges(relation: .mapsToSDG).map(\.target) == ["SDG-9.1", "SDG-9.c"])
        #expect(graph.incoming("PLAN-OBJ-1", relation: .partOf).map(\.source) == ["PLAN-OUT-1.1", "PLAN-OUT-1.2"])
    }

    @Test func reachableWithinDepth() {
        let reached = graph.reachable(from: "PLAN-OBJ-1", relations: [.partOf, .advancesSDG], direction: .both, maxDepth: 2)
        #expect(reached["PLAN-OBJ-1"] == 0)
        #expect(reached["PLAN-OUT-1.1"] == 1)
        #expect(reached["SDG-9.c"] == 2)
        #expect(reached["SDG-9"] == nil)  // three steps away
        #expect(reached["SDG-1.1"] == nil)  // part of SDG-1: three steps away
        #expect(reached.count == 7)  // OBJ, 2 outputs, SDG-9.c, SDG-5.b, SDG-1, SDG-ALL
    }

    @Test func pathsBetweenTwoNodes() {
        #expect(graph.paths(from: "PLAN-OUT-1.1", to: "SDG-9", maxLength: 2).map { $0.map(\.target) } == [["SDG-9.c", "SDG-9"]])
        // Three links allow the way through the WSIS action line and the WSIS-SDG matrix too.
        #expect(graph.paths(from: "PLAN-OUT-1.1", to: "SDG-9", maxLength: 3).map { $0.map(\.target) }
            == [["SDG-9.c", "SDG-9"], ["WSIS-C2", "SDG-9.1", "SDG-9"], ["WSIS-C2", "SDG-9.c", "SDG-9"]])
        #expect(graph.paths(from: "SDG-9", to: "PLAN-OUT-1.1").isEmpty)
    }

    @Test func inducedSubgraph() {
        let sub = graph.subgraph(kinds: [.sdgGoal, .sdgTarget])
        #expect(sub.nodes.count == 7)
        #expect(sub.edges.count == 4)  // the four target -> goal part-of links
        #expect(sub.edges.allSatisfy { $0.relation == .partOf })
    }

    @Test func ancestorsFollowPartOf() {
        #expect(graph.ancestors(of: "SDG-9.c.1") == ["SDG-9.c", "SDG-9"])
        #expect(graph.children(of: "SDG-9") == ["SDG-9.1", "SDG-9.c"])
    }
}
