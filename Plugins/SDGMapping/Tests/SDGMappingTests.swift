import LinkageKit
import LinkageTestSupport
import SDGMapping
import Testing

/// Plan p: objective O-1 with outputs A, B, C; a strategic plan sp20 with one goal G-1.
///   A -> SDG-9.1, SDG-9.c (declared), SDG-17 (goal named without a target), SDG-ALL
///   B -> SDG-9.c.1 (an indicator of 9.c; derived)
///   C -> nothing
///   G-1 -> SDG-9.c, SDG-5.b
func fixture() -> LinkageGraph {
    var f = FixtureGraph()
    f.declare("objective", role: .planStructure)
    f.declare("output", role: .planElement)
    f.declare("sp-goal", role: .planElement)
    f.plan("p", elements: ["output"], groups: "objective")
    f.plan("sp20", elements: ["sp-goal"])
    f.sdg(goals: [5, 9, 17], targets: ["5.b", "9.1", "9.c"])
    f.node("SDG-9.c.1", .sdgIndicator)
    f.link("SDG-9.c.1", .partOf, ["SDG-9.c"])
    f.node("SDG-ALL", .sdgScope)
    f.node("O-1", "objective")
    for output in ["A", "B", "C"] {
        f.node(NodeID(output), "output", "Output \(output)")
        f.link(NodeID(output), .partOf, ["O-1"])
    }
    f.link("A", .advancesSDG, ["SDG-9.1", "SDG-9.c", "SDG-17", "SDG-ALL"])
    f.link("B", .advancesSDG, ["SDG-9.c.1"], derivedBy: "fixture-rule")
    f.node("G-1", "sp-goal")
    f.link("G-1", .advancesSDG, ["SDG-9.c", "SDG-5.b"])
    return f.build()
}

func table(_ result: AnalysisResult, _ id: String) throws -> ResultTable {
    try #require(result.tables.first { $0.id == id }, "no table \(id)")
}

@Suite("sdg-mapping on a fixture")
struct SDGMappingFixtureTests {
    let result: AnalysisResult = try! analysis.run(AnalysisContext(graph: fixture(), options: AnalysisOptions(["plan": "p"])))

    @Test func headlineCountsDistinctGoalsAndTargets() {
        let figures = Dictionary(uniqueKeysWithValues: result.headline.map { ($0.label.en, $0.value) })
        // A and B link; C does not.
        #expect(figures.first { $0.key.hasSuffix("elements with an SDG link") }?.value == "2 / 3")
        // 9 (through 9.1, 9.c) and 17 (goal-level); SDG-ALL is not counted as reaching anything.
        #expect(figures.first { $0.key.hasSuffix("SDG goals reached") }?.value == "2 / 3")
        // 9.1 and 9.c; B's indicator 9.c.1 counts as 9.c.
        #expect(figures.first { $0.key.hasSuffix("SDG targets reached") }?.value == "2 / 3")
        // A: 4 declared links; B: 1 derived.
        #expect(figures.first { $0.key.hasSuffix("links declared / derived") }?.value == "4 / 1")
        #expect(figures.first { $0.key.hasSuffix("element with the most SDG targets") }?.value == "A (2)")
    }

    @Test func coverageMatrixCountsTargetsPerGoal() throws {
        let matrix = try table(result, "coverage-matrix-p")
        #expect(matrix.columns.map(\.id).prefix(6) == ["element", "label_en", "label_zh", "sdg_5", "sdg_9", "sdg_17"])
        let a = try #require(matrix.rows.first { $0[0] == .id("A") })
        #expect(Array(a[3...6]) == [.integer(0), .integer(2), .integer(0), .text("SDG-17")])  // goal 17 only at goal level
        #expect(a[7] == .text("yes"))  // all SDGs
        let b = try #require(matrix.rows.first { $0[0] == .id("B") })
        #expect(b[4] == .integer(1))
        #expect(b[9] == .text("derived"))
    }

    @Test func findsGapsAndElementsWithoutLinks() throws {
        #expect(result.findings.contains { $0.code == "no-sdg-link" && $0.ids == ["C"] })
        #expect(result.findings.contains { $0.code == "goal-not-reached" && $0.ids == ["SDG-5"] })
        let gaps = try table(result, "goal-gaps")
        let goal5 = try #require(gaps.rows.first { $0[1] == .id("SDG-5") })
        #expect(goal5[3] == .integer(1) && goal5[4] == .integer(0) && goal5[6] == .text("SDG-5.b"))
        #expect(try table(result, "goal-level-links").rows == [[.text("p"), .id("A"), .id("SDG-17"), .text("declared")]])
    }

    @Test func ranksTheMostLinkedTargets() throws {
        let top = try table(result, "most-linked-targets").rows
        // 9.c: A and B; 9.1: A.
        #expect(top.map { $0[2] } == [.id("SDG-9.c"), .id("SDG-9.1")])
        #expect(top[0][4] == .integer(2))
    }

    @Test func comparesWithTheStrategicPlan() throws {
        let alignment = try table(result, "strategic-alignment").rows
        // G-1 names 9.c and 5.b; the plan reaches 9.c only.
        #expect(alignment == [[.text("p"), .id("G-1"), .text("G-1"), .integer(2), .integer(1), .integer(1), .text("SDG-9.c"), .text("SDG-5.b")]])
        // 9.1 is reached but named by no strategic goal.
        #expect(try table(result, "targets-outside-strategic-plan").rows.map { $0[1] } == [.id("SDG-9.1")])
    }

    @Test func heatMapWritesTheCountInEveryCellAndMarksDerived() throws {
        let view = try #require(result.views.first { $0.id == "heatmap-p" })
        guard case .matrix(let matrix) = view.diagram else { Issue.record("expected a matrix"); return }
        #expect(matrix.columns.count == 4)  // goals 5, 9, 17 and "all SDGs"
        #expect(matrix.cells[0].map(\.text.en) == ["", "2", "G", "✓"])
        #expect(matrix.cells[1].map(\.text.en) == ["", "1*", "", ""])
        #expect(matrix.cells[0][1].colour != nil)
    }

    @Test func overviewDashesDerivedLinks() throws {
        let view = try #require(result.views.first { $0.id == "plan-sdg-p" })
        guard case .network(let network) = view.diagram else { Issue.record("expected a network"); return }
        let fromB = network.edges.filter { $0.source == "B" }
        #expect(fromB.count == 1 && fromB[0].target == "SDG-9" && !fromB[0].declared)
        #expect(network.edges.contains { $0.source == "A" && $0.target == "SDG-ALL" && $0.tooltip == "all SDGs" })
        // No count labels in the bundle: the targets are listed in the goal boxes instead.
        #expect(network.edges.allSatisfy { $0.label == nil })
        #expect(network.nodes.first { $0.id == "SDG-9" }?.details != nil)
    }

    @Test func declaredOnlyLeavesDerivedLinksOut() throws {
        let declared = try analysis.run(AnalysisContext(graph: fixture(), options: AnalysisOptions(["plan": "p", "provenance": "declared"])))
        #expect(declared.findings.contains { $0.code == "no-sdg-link" && $0.ids == ["B"] })
    }
}

@Suite("sdg-mapping on the bundled datasets")
struct SDGMappingRealDataTests {
    let result: AnalysisResult = try! analysis.run(AnalysisContext(graph: Repository.loaded.graph))

    /// Seed 002, output 3.4 lists 34 SDG targets (1.1 … 17.17), more than any other output.
    @Test func theBAAPOutputWithTheMostTargets() {
        #expect(result.headline.contains { $0.label.en.contains("(baap): element with the most SDG targets") && $0.value == "BAAP-OUT-3.4 (34)" })
    }

    /// Outputs 2.2 names goals 4, 9, 11 and 16 without targets.
    @Test func goalLevelLinksOfOutput22() throws {
        let rows = try table(result, "goal-level-links").rows.filter { $0[1] == .id("BAAP-OUT-2.2") }
        #expect(rows.map { $0[2] } == [.id("SDG-4"), .id("SDG-9"), .id("SDG-11"), .id("SDG-16")])
    }

    /// Every KAP link is derived, and the headline says so.
    @Test func kapLinksAreAllDerived() {
        #expect(result.headline.contains { $0.label.en.contains("(kap): links declared / derived") && $0.value.hasPrefix("0 / ") })
    }

    @Test func custodianIndicatorsAreTheFiveTheKAPNames() throws {
        let indicators = Set(try table(result, "custodian-indicators").rows.map { $0[0] })
        #expect(indicators == [.id("SDG-4.4.1"), .id("SDG-5.b.1"), .id("SDG-9.c.1"), .id("SDG-17.6.1"), .id("SDG-17.8.1")])
    }
}
