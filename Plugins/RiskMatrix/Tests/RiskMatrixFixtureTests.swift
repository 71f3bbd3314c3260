import Foundation
import LinkageKit
import LinkageTestSupport
@testable import RiskMatrix
import Testing

/// A plan of four elements with four risks. Every figure the tests expect is worked out by hand
/// from these lines (the arithmetic is in the comments of each test).
///
///   risk  likelihood impact   3×3 cell → level     5×5 cell (low→2, medium→3, high→4) → level
///   R-1   high       high     (3,3) → high         (4,4) → high
///   R-2   low        medium   (1,2) → low          (2,3) → medium
///   R-3   medium     high     (2,3) → high         (3,4) → high
///   R-4   unassessed (no ratings)                  never placed, never low
///
///   mitigations: M-1.1 avoid → R-1, M-1.2 limit → R-1, M-3.1 (not typed) → R-3, M-4.1 transfer → R-4;
///   R-2 has none. Owner: only R-1 has one.
///   elements: E-1 budget 100, E-2 budget 300, E-3 no own budget but line B-3 (50) funds it alone,
///   E-4 no budget (line B-S funds E-3 and E-4 together: shared, not split). Total T states 450.
///   SDG: E-1 advances SDG-9.c (declared); E-2 continues X-OUT (derived), which advances SDG-9.1
///   and SDG-17 (declared).
func riskFixture(bearsOn: Bool = false, extraRisk: (String, AttributeValue, AttributeValue)? = nil) -> LinkageGraph {
    var f = FixtureGraph()
    f.declare("risk", role: .risk)
    f.declare("mitigation", role: .mitigation)
    f.declare("element", role: .planElement)
    f.declare("old-output", role: .planElement)
    f.declare("budget-line", role: .budget)
    f.declare("budget-total", role: .budget)
    f.plan("p", elements: ["element"])
    f.sdg(goals: [9, 17], targets: ["9.1", "9.c", "17.6"])

    f.node("R-1", "risk", "Funding", attributes: ["likelihood": .string("high"), "impact": .string("high"),
                                                   "assessment": .string("assessed"), "owner": .string("Director X")])
    f.node("R-2", "risk", "Experts", attributes: ["likelihood": .string("low"), "impact": .string("medium"),
                                                   "assessment": .string("assessed"), "owner_status": .string("to be designated")])
    f.node("R-3", "risk", "Partners", attributes: ["likelihood": .string("medium"), "impact": .string("high"),
                                                    "assessment": .string("assessed"), "owner_status": .string("to be designated")])
    f.node("R-4", "risk", "Relevance", attributes: ["assessment": .string("unassessed")])
    if let (id, likelihood, impact) = extraRisk {
        f.node(NodeID(id), "risk", id, attributes: ["likelihood": likelihood, "impact": impact])
    }
    f.node("M-1.1", "mitigation", attributes: ["strategy": .string("avoid"), "strategy_printed": .string("风险规避")])
    f.node("M-1.2", "mitigation", attributes: ["strategy": .string("limit"), "strategy_printed": .string("风险限制")])
    f.node("M-3.1", "mitigation")
    f.node("M-4.1", "mitigation", attributes: ["strategy": .string("transfer"), "strategy_printed": .string("风险转移")])
    f.link("M-1.1", "mitigates", ["R-1"])
    f.link("M-1.2", "mitigates", ["R-1"])
    f.link("M-3.1", "mitigates", ["R-3"])
    f.link("M-4.1", "mitigates", ["R-4"])

    f.node("E-1", "element", attributes: ["budget_chf": .integer(100)])
    f.node("E-2", "element", attributes: ["budget_chf": .integer(300)])
    f.node("E-3", "element")
    f.node("E-4", "element")
    f.node("T", "budget-total", attributes: ["budget_chf": .integer(450)])
    f.node("B-3", "budget-line", attributes: ["budget_chf": .integer(50)])
    f.node("B-S", "budget-line", attributes: ["budget_chf": .integer(70)])
    f.link("B-3", .partOf, ["T"])
    f.link("B-3", "funds", ["E-3"])
    f.link("B-S", "funds", ["E-3", "E-4"])

    f.node("X-OUT", "old-output")
    f.link("E-1", .advancesSDG, ["SDG-9.c"])
    f.link("E-2", "continues", ["X-OUT"], derivedBy: "test-continues")
    f.link("X-OUT", .advancesSDG, ["SDG-9.1", "SDG-17"])
    if bearsOn { f.link("R-1", "bears-on", ["E-2"]) }
    return f.build()
}

func runRisk(_ graph: LinkageGraph, _ options: [String: String] = [:]) throws -> AnalysisResult {
    try analysis.run(AnalysisContext(graph: graph, options: AnalysisOptions(options)))
}

extension AnalysisResult {
    func table(_ id: String) throws -> ResultTable { try #require(tables.first { $0.id == id }, "no table \(id)") }
    func figure(_ label: String) -> String? { headline.first { $0.label.en == label }?.value }
    func findings(_ code: String) -> [Finding] { findings.filter { $0.code == code } }
}

extension ResultTable {
    func column(_ id: String) -> Int { columns.firstIndex { $0.id == id }! }
    func rows(where columnID: String, is value: TableValue) -> [[TableValue]] { rows.filter { $0[column(columnID)] == value } }
    func value(_ columnID: String, where keyColumn: String, is key: TableValue) -> TableValue? {
        rows(where: keyColumn, is: key).first?[column(columnID)]
    }
}

@Suite("risk matrix: fixture")
struct RiskMatrixFixtureTests {
    @Test func threeByThreePlacesEveryAssessedRiskByTheTable() throws {
        let result = try runRisk(riskFixture())
        // 4 risks; R-1..R-3 placed; R-4 unassessed.
        #expect(result.figure("Risks in the register") == "4")
        #expect(result.figure("Assessed and placed in the matrix") == "3")
        #expect(result.figure("Unassessed: not placed, not counted as low") == "1")
        // High: R-1 (3,3) and R-3 (2,3); Medium: none; Low: R-2 (1,2).
        #expect(result.figure("Placed at level High") == "2")
        #expect(result.figure("Placed at level Medium") == "0")
        #expect(result.figure("Placed at level Low") == "1")
        let register = try result.table("risk-register")
        #expect(register.value("level", where: "id", is: .id("R-1")) == .text("high"))
        #expect(register.value("level", where: "id", is: .id("R-2")) == .text("low"))
        #expect(register.value("level", where: "id", is: .id("R-3")) == .text("high"))
        #expect(register.value("likelihood_position", where: "id", is: .id("R-3")) == .integer(2))
        #expect(register.value("impact_position", where: "id", is: .id("R-3")) == .integer(3))
        let cells = try result.table("heat-map-cells")
        #expect(cells.rows.map { [$0[1], $0[3], $0[5], $0[7]] } == [
            [.integer(3), .integer(3), .text("high"), .text("R-1")],
            [.integer(2), .integer(3), .text("high"), .text("R-3")],
            [.integer(1), .integer(2), .text("low"), .text("R-2")],
        ])
        // The level table printed is the built-in one, cell by cell.
        let levels = try result.table("level-table")
        #expect(levels.rows.map { $0.dropFirst(2).map(\.description) } == [
            ["medium", "high", "high"], ["low", "medium", "high"], ["low", "low", "medium"],
        ])
    }

    @Test func unassessedIsListedApartAndNeverLow() throws {
        let result = try runRisk(riskFixture())
        let register = try result.table("risk-register")
        #expect(register.value("level", where: "id", is: .id("R-4")) == .text("unassessed"))
        #expect(register.value("likelihood", where: "id", is: .id("R-4")) == .text("unassessed"))
        #expect(register.value("likelihood_position", where: "id", is: .id("R-4")) == .empty)
        #expect(try result.table("unassessed-risks").rows.map { $0[0] } == [.id("R-4")])
        #expect(try !result.table("heat-map-cells").rows.contains { $0[7].description.contains("R-4") })
        #expect(result.findings("unassessed-risk").first?.ids == ["R-4"])
        // Low has 1 risk, not 2: R-4 is not counted there.
        #expect(try result.table("levels").value("risks_placed", where: "level", is: .text("low")) == .integer(1))
        // The heat map does not put R-4 in a cell but names it in the footnote.
        guard case .matrix(let matrix) = try #require(result.views.first { $0.id == "heat-map-fixture" }).diagram else {
            Issue.record("expected a matrix"); return
        }
        #expect(!matrix.cells.joined().contains { $0.text.en.contains("R-4") })
        #expect(matrix.footnote?.en.contains("R-4") == true)
    }

    @Test func heatMapRowsRunHighToLowAndCellsNameLevelAndRisks() throws {
        let result = try runRisk(riskFixture())
        guard case .matrix(let matrix) = try #require(result.views.first { $0.id == "heat-map-fixture" }).diagram else {
            Issue.record("expected a matrix"); return
        }
        #expect(matrix.rows.map(\.label.en) == ["High", "Medium", "Low"])
        #expect(matrix.columns.map(\.label.en) == ["Low", "Medium", "High"])
        // Top-right cell: likelihood high × impact high = high, holds R-1; (medium, high) holds R-3.
        #expect(matrix.cells[0][2].text.en == "High\nR-1")
        #expect(matrix.cells[1][2].text.en == "High\nR-3")
        #expect(matrix.cells[2][1].text.en == "Low\nR-2")
        #expect(matrix.cells[2][1].text.zh == "低\nR-2")
        // Empty cells still write their level; their colour is a pale tint of it.
        #expect(matrix.cells[0][0].text.en == "Medium")
        #expect(matrix.cells[0][0].colour == ColourScale.tint("#FFCA28", strength: 0.3))
        #expect(matrix.cells[0][2].colour == "#E53935")
        #expect(matrix.legend.prefix(3).map(\.label.en) == ["High: 2 risks", "Medium: 0 risks", "Low: 1 risk"])
    }

    @Test func fiveByFiveUsesTheExplicitThreeLevelMapping() throws {
        let result = try runRisk(riskFixture(), ["scale": "5"])
        let register = try result.table("risk-register")
        // R-1 (high, high) → (4,4): row 4 = [low, medium, high, high, very-high], column 4 → high.
        #expect(register.value("likelihood_position", where: "id", is: .id("R-1")) == .integer(4))
        #expect(register.value("level", where: "id", is: .id("R-1")) == .text("high"))
        // R-2 (low, medium) → (2,3): row 2 = [low, low, medium, medium, high], column 3 → medium (it was low on 3×3).
        #expect(register.value("level", where: "id", is: .id("R-2")) == .text("medium"))
        // R-3 (medium, high) → (3,4): row 3 = [low, medium, medium, high, high], column 4 → high.
        #expect(register.value("level", where: "id", is: .id("R-3")) == .text("high"))
        #expect(result.figure("Placed at level Very high") == "0")
        #expect(result.figure("Placed at level Medium") == "1")
        #expect(result.findings("three-level-mapping").first?.ids == ["R-1", "R-2", "R-3"])
        let mapping = try result.table("three-level-mapping")
        #expect(mapping.rows.map { $0[2] } == [.integer(2), .integer(3), .integer(4)])
        let levels = try result.table("level-table")
        #expect(levels.rows.count == 5)
        #expect(levels.rows[0].dropFirst(2).map(\.description) == ["medium", "high", "high", "very-high", "very-high"])
        guard case .matrix(let matrix) = try #require(result.views.first { $0.id == "heat-map-fixture" }).diagram else {
            Issue.record("expected a matrix"); return
        }
        // Rows are 5 (very high) at the top … 1 at the bottom: R-1 at likelihood 4 is the second row, impact 4 the fourth column.
        #expect(matrix.rows.first?.label.en == "5 Very high")
        #expect(matrix.cells[1][3].text.en == "High\nR-1")
        #expect(matrix.footnote?.en.contains("low → 2, medium → 3, high → 4") == true)
    }

    @Test func ratingsGivenAsPositionsAreReadOnTheirScale() throws {
        // R-5 is rated 5 × 4 on the table's own positions: on the 5×5 table, row 5 column 4 → very-high.
        let graph = riskFixture(extraRisk: ("R-5", .integer(5), .integer(4)))
        let five = try runRisk(graph, ["scale": "5"])
        #expect(try five.table("risk-register").value("level", where: "id", is: .id("R-5")) == .text("very-high"))
        // On the 3×3 table position 5 does not exist: not placed, listed as unassessed, with a finding.
        let three = try runRisk(graph)
        #expect(try three.table("risk-register").value("level", where: "id", is: .id("R-5")) == .text("unassessed"))
        #expect(three.findings("unreadable-assessment").map(\.ids) == [["R-5"]])
        #expect(three.figure("Unassessed: not placed, not counted as low") == "2")
    }

    @Test func registerCountsMitigationsOwnersAndStrategies() throws {
        let result = try runRisk(riskFixture())
        // 4 mitigations: avoid 1 (M-1.1), limit 1 (M-1.2), transfer 1 (M-4.1), not typed 1 (M-3.1).
        #expect(result.figure("Mitigations") == "4")
        #expect(result.headline.first { $0.label.en == "Mitigations" }?.note?.en == "typed: avoid 1, limit 1, transfer 1; not typed: 1")
        let register = try result.table("risk-register")
        #expect(register.value("mitigations", where: "id", is: .id("R-1")) == .integer(2))
        #expect(register.value("avoid", where: "id", is: .id("R-1")) == .integer(1))
        #expect(register.value("not_typed", where: "id", is: .id("R-3")) == .integer(1))
        #expect(register.value("owner", where: "id", is: .id("R-1")) == .text("Director X"))
        #expect(register.value("owner", where: "id", is: .id("R-2")) == .text("not named"))
        // Without a named owner: R-2, R-3 (status "to be designated"), R-4 (nothing said): two findings.
        #expect(result.figure("Risks without a named owner") == "3")
        #expect(result.findings("no-owner").map(\.ids) == [["R-4"], ["R-2", "R-3"]])
        // Without mitigations: R-2 only.
        #expect(result.figure("Risks without mitigations") == "1")
        #expect(result.findings("no-mitigation").map(\.ids) == [["R-2"]])
        #expect(result.findings("untyped-mitigations").first?.ids == ["M-3.1"])
        let mitigations = try result.table("mitigations")
        #expect(mitigations.value("strategy", where: "mitigation", is: .id("M-3.1")) == .text("not typed"))
        #expect(mitigations.value("strategy_printed", where: "mitigation", is: .id("M-4.1")) == .text("风险转移"))
    }

    @Test func planWideExposureIsDerivedAndCountsBudgetByLevel() throws {
        let result = try runRisk(riskFixture())
        let elements = try result.table("exposure-elements")
        // Every risk of the fixture dataset bears on each of the 4 elements of plan p, by the plan-wide rule.
        #expect(elements.rows.count == 4)
        #expect(elements.rows.allSatisfy { $0[elements.column("provenance")] == .text("derived") })
        #expect(elements.rows.allSatisfy { $0[elements.column("rule")] == .text("risk-bears-on-plan-wide") })
        // The rule's risks are the same on every row: counted there, listed once in the plan-wide table.
        #expect(elements.value("risks", where: "element", is: .id("E-1")) == .empty)
        #expect(elements.value("plan_wide_risks", where: "element", is: .id("E-1")) == .integer(4))
        let planWide = try result.table("exposure-plan-wide")
        #expect(planWide.rows.count == 1)
        #expect(planWide.value("risks", where: "plan", is: .text("p")) == .text("R-1, R-2, R-3, R-4"))
        #expect(planWide.value("elements", where: "plan", is: .text("p")) == .integer(4))
        #expect(planWide.value("budget_chf", where: "plan", is: .text("p")) == .integer(450))
        #expect(planWide.value("sdg_targets", where: "plan", is: .text("p")) == .integer(2))
        // Budgets: E-1 100, E-2 300, E-3 50 (B-3 alone; B-S is shared), E-4 none.
        #expect(elements.value("budget_chf", where: "element", is: .id("E-3")) == .integer(50))
        #expect(elements.value("budget_chf", where: "element", is: .id("E-4")) == .empty)
        #expect(result.findings("shared-budget-line").first?.ids == ["B-S"])
        // 100 + 300 + 50 = 450 = T.
        #expect(result.findings("budget-check").first?.severity == .info)
        #expect(result.findings("budget-check").first?.message.en.contains("they agree") == true)
        let budget = try result.table("exposure-budget")
        func row(_ level: String) -> [TableValue] { budget.rows(where: "level", is: .text(level)).first ?? [] }
        // High bears on all four elements: 450, 100%; highest level of every element: 450.
        #expect(row("high")[budget.column("budget_exposed_chf")] == .integer(450))
        #expect(row("high")[budget.column("budget_at_highest_chf")] == .integer(450))
        #expect(row("high")[budget.column("budget_exposed_percent")] == .decimal(100, places: 1))
        // Low also bears on all four (450) but is nobody's highest level (0).
        #expect(row("low")[budget.column("budget_exposed_chf")] == .integer(450))
        #expect(row("low")[budget.column("budget_at_highest_chf")] == .integer(0))
        // Medium: no risk, nothing exposed, no provenance.
        #expect(row("medium")[budget.column("elements")] == .integer(0))
        #expect(row("medium")[budget.column("provenance")] == .text(""))
        #expect(row("unassessed")[budget.column("risks")] == .text("R-4"))
        // The headline gives what the documents state; this exposure stands only on the rule.
        #expect(result.figure("Budget of p whose highest risk level is High") == nil)
        #expect(!result.headline.contains { $0.label.en.contains("bear on") || ($0.note?.en.contains("risk-bears-on-plan-wide") ?? false) })
        #expect(result.findings("derived-exposure").first?.ids == ["R-1", "R-2", "R-3", "R-4"])
        // Per risk: 4 elements, 450 CHF, 2 targets (9.1, 9.c), basis naming the rule and the risk's citation.
        let risks = try result.table("exposure-risks")
        #expect(risks.rows.count == 4)
        #expect(risks.value("elements", where: "risk", is: .id("R-2")) == .integer(4))
        #expect(risks.value("budget_chf", where: "risk", is: .id("R-2")) == .integer(450))
        #expect(risks.value("sdg_targets", where: "risk", is: .id("R-2")) == .integer(2))
        #expect(risks.value("level", where: "risk", is: .id("R-4")) == .text("unassessed"))
        #expect(risks.value("basis", where: "risk", is: .id("R-2"))?.description.hasPrefix("rule risk-bears-on-plan-wide: see") == true)
    }

    @Test func sdgExposureFollowsDeclaredAndDerivedRoutes() throws {
        let result = try runRisk(riskFixture())
        let sdg = try result.table("exposure-sdg")
        // E-1 → SDG-9.c (declared); E-2 → continues → X-OUT → SDG-9.1 and SDG-17 (derived step).
        // Rows in id order; the goal SDG-17 is listed, as the link names the goal itself.
        #expect(sdg.rows.map { $0[1] } == [.id("SDG-9.1"), .id("SDG-9.c"), .id("SDG-17")])
        #expect(sdg.value("route", where: "sdg", is: .id("SDG-9.c")) == .text("advances-sdg (declared)"))
        #expect(sdg.value("route", where: "sdg", is: .id("SDG-9.1")) == .text("continues (derived: test-continues) → advances-sdg (declared)"))
        #expect(sdg.rows.allSatisfy { $0[sdg.column("provenance")] == .text("derived") })
        #expect(sdg.value("rules", where: "sdg", is: .id("SDG-9.1")) == .text("risk-bears-on-plan-wide, test-continues"))
        // 2 targets (9.1, 9.c) in 2 goals (9, 17): in the plan-wide table, never in the headline
        // (no document says a risk bears on an SDG).
        #expect(result.figure("SDG targets the risks of p bear on (derived)") == nil)
        let planWide = try result.table("exposure-plan-wide")
        #expect(planWide.value("sdg_targets", where: "plan", is: .text("p")) == .integer(2))
        #expect(planWide.value("sdg_goals", where: "plan", is: .text("p")) == .integer(2))
        let goals = try result.table("exposure-sdg-goals")
        #expect(goals.value("targets", where: "goal", is: .id("SDG-9")) == .integer(2))
        #expect(goals.value("goal_links", where: "goal", is: .id("SDG-17")) == .integer(1))
    }

    @Test func declaredBearsOnLinksReplaceTheRule() throws {
        let result = try runRisk(riskFixture(bearsOn: true), ["attribution": "declared"])
        let elements = try result.table("exposure-elements")
        // Only R-1 → E-2 is stated: E-2 exposed (declared), the other three not.
        #expect(elements.value("risks", where: "element", is: .id("E-2")) == .text("R-1"))
        #expect(elements.value("provenance", where: "element", is: .id("E-2")) == .text("declared"))
        #expect(elements.value("highest_level", where: "element", is: .id("E-1")) == .text("none"))
        let budget = try result.table("exposure-budget")
        // High: E-2, 300 of 450 = 66.7%; no risk: E-1 100 + E-3 50 = 150.
        let high = try #require(budget.rows(where: "level", is: .text("high")).first)
        #expect(high[budget.column("budget_exposed_chf")] == .integer(300))
        #expect(high[budget.column("budget_exposed_percent")] == .decimal(300.0 * 100 / 450, places: 1))
        #expect(high[budget.column("provenance")] == .text("declared"))
        #expect(budget.rows(where: "level", is: .text("none")).first?[budget.column("budget_exposed_chf")] == .integer(150))
        let risks = try result.table("exposure-risks")
        #expect(risks.rows.map { $0[1] } == [.id("R-1")])
        #expect(risks.value("basis", where: "risk", is: .id("R-1"))?.description.hasPrefix("bears-on E-2: declared: Fixture §") == true)
        #expect(risks.value("budget_chf", where: "risk", is: .id("R-1")) == .integer(300))
        // E-2 reaches SDG-9.1 (a target) and SDG-17 (a goal): 1 target.
        #expect(risks.value("sdg_targets", where: "risk", is: .id("R-1")) == .integer(1))
        // have no bears-on link: reported, no exposure.
        #expect(result.findings("no-exposure").first?.ids == ["R-2", "R-3", "R-4"])
        // SDG rows stay derived even though the risk's own link is declared (the continues step is derived).
        let sdg = try result.table("exposure-sdg")
        #expect(sdg.rows.map { $0[1] } == [.id("SDG-9.1"), .id("SDG-17")])
        #expect(sdg.rows.allSatisfy { $0[sdg.column("provenance")] == .text("derived") })
        #expect(sdg.value("rules", where: "sdg", is: .id("SDG-9.1")) == .text("test-continues"))
    }

    @Test func aDeclaredLinkWinsOverThePlanWideRuleForItsRisk() throws {
        let result = try runRisk(riskFixture(bearsOn: true))
        let elements = try result.table("exposure-elements")
        // R-1 has a bears-on link, so the rule does not spread it: E-1 has the rule's R-2..R-4 only,
        // E-2 has R-1 by its link and the rule's three.
        #expect(elements.value("risks", where: "element", is: .id("E-1")) == .empty)
        #expect(elements.value("plan_wide_risks", where: "element", is: .id("E-1")) == .integer(3))
        #expect(elements.value("risks", where: "element", is: .id("E-2")) == .text("R-1"))
        #expect(elements.value("plan_wide_risks", where: "element", is: .id("E-2")) == .integer(3))
        #expect(elements.value("rule", where: "element", is: .id("E-2")) == .text("risk-bears-on-plan-wide"))
    }

    @Test func explicitPlanWithoutRisksIsAWarning() throws {
        var f = FixtureGraph()
        f.declare("risk", role: .risk)
        f.declare("element", role: .planElement)
        f.plan("q", elements: ["element"])
        f.node("E-1", "element")
        f.node("R-1", "risk", attributes: ["likelihood": .string("low"), "impact": .string("low")], dataset: "other")
        let result = try runRisk(f.build(), ["plan": "q"])
        #expect(result.findings("no-risks").count == 1)
        #expect(result.figure("Risks in the register") == "0")
        // plan=all still lists the risk, with no plan to bear on.
        let all = try runRisk(f.build())
        #expect(all.figure("Risks in the register") == "1")
        #expect(try all.table("risk-register").rows.count == 1)
    }

    @Test func badOptionsAreOptionErrors() {
        let graph = riskFixture()
        #expect(throws: AnalysisOptionError.self) { try runRisk(graph, ["scale": "4"]) }
        #expect(throws: AnalysisOptionError.self) { try runRisk(graph, ["attribution": "by-perspective"]) }
        #expect(throws: AnalysisOptionError.self) { try runRisk(graph, ["plan": "missing"]) }
        #expect(throws: AnalysisOptionError.self) { try runRisk(graph, ["levels": "/no/such/levels.yaml"]) }
        #expect(throws: AnalysisOptionError.self) {
            try AnalysisOptions.parse(["scale=7"], for: analysis.descriptor)
        }
    }
}
