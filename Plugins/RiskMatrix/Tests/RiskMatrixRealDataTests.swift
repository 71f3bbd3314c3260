import LinkageKit
import LinkageTestSupport
@testable import RiskMatrix
import Testing

/// The analysis on the bundled datasets, against what the documents print: OP-23 §2.6 (four
/// risks rated 低/中/高, thirteen mitigation bullets, no owner) and the Strategic Plan 2020–2023
/// table 2 (six risks with no rating, nineteen strategies typed 风险规避/风险限制/风险转移).
@Suite("risk matrix: real data")
struct RiskMatrixRealDataTests {
    let graph = Repository.loaded.graph

    func run(_ options: [String: String] = [:]) throws -> AnalysisResult {
        try analysis.run(AnalysisContext(graph: graph, options: AnalysisOptions(options)))
    }

    @Test func datasetsLoadWithoutErrors() {
        #expect(Repository.loaded.errors.isEmpty)
    }

    @Test func reproducesTheOP23RiskTable() throws {
        let result = try run(["plan": "op23"])
        let register = try result.table("risk-register")
        #expect(register.rows.map { $0[0] } == [.id("OP23-RISK-1"), .id("OP23-RISK-2"), .id("OP23-RISK-3"), .id("OP23-RISK-4")])
        // OP-23 §2.6: 财务 中/高, 人力资源 高/高, 利益攸关方/合作伙伴 中/中, 环境 中/高.
        let expected: [(NodeID, String, String, String, String, Int, Int, String)] = [
            ("OP23-RISK-1", "financial", "medium", "high", "中/高", 2, 3, "high"),
            ("OP23-RISK-2", "human resources", "high", "high", "高/高", 3, 3, "high"),
            ("OP23-RISK-3", "stakeholders/partners", "medium", "medium", "中/中", 2, 2, "medium"),
            ("OP23-RISK-4", "environment (operating context)", "medium", "high", "中/高", 2, 3, "high"),
        ]
        for (id, perspective, likelihood, impact, printed, l, i, level) in expected {
            let row = try #require(register.rows(where: "id", is: .id(id)).first)
            #expect(row[register.column("perspective")] == .text(perspective))
            #expect(row[register.column("likelihood")] == .text(likelihood))
            #expect(row[register.column("impact")] == .text(impact))
            #expect("\(row[register.column("likelihood_printed")])/\(row[register.column("impact_printed")])" == printed)
            #expect(row[register.column("likelihood_position")] == .integer(l))
            #expect(row[register.column("impact_position")] == .integer(i))
            #expect(row[register.column("level")] == .text(level))
            #expect(row[register.column("owner")] == .text("not named"))
        }
        // 13 mitigation bullets: 4 + 3 + 3 + 3, none typed by OP-23.
        #expect(register.rows.map { $0[register.column("mitigations")] } == [.integer(4), .integer(3), .integer(3), .integer(3)])
        #expect(result.figure("Mitigations") == "13")
        #expect(try result.table("mitigations").rows.allSatisfy { $0[2] == .text("not typed") })
        #expect(result.findings("untyped-mitigations").first?.ids.count == 13)
        // The owner is not named; footnote 2's words are carried into the finding.
        #expect(result.findings("no-owner").first?.message.en.contains("电信发展局主任将指定风险所有者") == true)
        #expect(result.findings("top-level-risk").first?.ids == ["OP23-RISK-1", "OP23-RISK-2", "OP23-RISK-4"])
    }

    @Test func op23HeatMapPutsEachRiskInItsCell() throws {
        let result = try run()
        guard case .matrix(let matrix) = try #require(result.views.first { $0.id == "heat-map-op-2023" }).diagram else {
            Issue.record("expected a matrix"); return
        }
        // Rows: likelihood high, medium, low; columns: impact low, medium, high.
        #expect(matrix.cells[0][2].text.en == "High\nOP23-RISK-2")
        #expect(matrix.cells[1][2].text.en == "High\nOP23-RISK-1, OP23-RISK-4")
        #expect(matrix.cells[1][1].text.en == "Medium\nOP23-RISK-3")
        #expect(matrix.cells.joined().filter { $0.text.en.contains("OP23-RISK") }.count == 3)
        #expect(matrix.cells[1][1].text.zh == "中\nOP23-RISK-3")
        #expect(matrix.footnote?.en.contains("Unassessed risks: none.") == true)
    }

    @Test func strategicPlanRisksAreUnassessedNeverLow() throws {
        let result = try run()
        let register = try result.table("risk-register")
        let sp = register.rows.filter { $0[0].description.hasPrefix("SP20-RISK-") }
        #expect(sp.count == 6)
        #expect(sp.allSatisfy { $0[register.column("level")] == .text("unassessed") })
        #expect(sp.allSatisfy { $0[register.column("likelihood_position")] == .empty })
        #expect(try result.table("unassessed-risks").rows.count == 6)
        #expect(result.figure("Unassessed: not placed, not counted as low") == "6")
        #expect(result.figure("Placed at level Low") == "0")
        #expect(try !result.table("heat-map-cells").rows.contains { $0[0] == .text("itu-sp-2020-2023") })
        guard case .matrix(let matrix) = try #require(result.views.first { $0.id == "heat-map-itu-sp-2020-2023" }).diagram else {
            Issue.record("expected a matrix"); return
        }
        #expect(!matrix.cells.joined().contains { $0.text.en.contains("SP20") })
        #expect(matrix.footnote?.en.contains("SP20-RISK-1…6") == true)
        #expect(result.findings("unassessed-risk").first?.ids.count == 6)
        // The curators' note that the text claims an assessment it does not print is passed on.
        #expect(result.findings("data-quality").contains { $0.message.en.contains("identified, analysed and assessed") })
    }

    @Test func strategicPlanStrategiesAreTypedAsPrinted() throws {
        let result = try run(["plan": "sp20"])
        let mitigations = try result.table("mitigations")
        // Table 2: 19 strategy bullets; 风险规避 ×5, 风险限制 ×10, 风险转移 ×4.
        #expect(mitigations.rows.count == 19)
        func count(_ strategy: String) -> Int { mitigations.rows(where: "strategy", is: .text(strategy)).count }
        #expect(count("avoid") == 5)
        #expect(count("limit") == 10)
        #expect(count("transfer") == 4)
        #expect(mitigations.rows(where: "strategy", is: .text("avoid")).allSatisfy { $0[3] == .text("风险规避") })
        #expect(result.headline.first { $0.label.en == "Mitigations" }?.note?.en == "typed: avoid 5, limit 10, transfer 4; not typed: 0")
        // Every strategic risk has at least one strategy.
        #expect(result.figure("Risks without mitigations") == "0")
    }

    @Test func op23ExposureIsPlanWideDerivedAndCoversTheBudget() throws {
        let result = try run(["plan": "op23"])
        let elements = try result.table("exposure-elements")
        let themes = graph.resolve(try #require(graph.vocabulary.plan("op23"))).elements
        #expect(elements.rows.count == themes.count)
        #expect(elements.rows.allSatisfy { $0[elements.column("provenance")] == .text("derived") })
        // The four risks bear on every theme by the rule: said once, in the plan-wide table.
        #expect(elements.rows.allSatisfy { $0[elements.column("plan_wide_risks")] == .integer(4) })
        let planWide = try result.table("exposure-plan-wide")
        #expect(planWide.value("risks", where: "plan", is: .text("op23")) == .text("OP23-RISK-1, OP23-RISK-2, OP23-RISK-3, OP23-RISK-4"))
        // The headline states only what the documents state: no budget or SDG figure from the rule.
        #expect(!result.headline.contains { $0.value.contains("CHF") || $0.label.en.contains("SDG") })
        // The theme budgets add up to the total of table 1 (OP23-BUD-TOTAL).
        let total = try #require(graph.node("OP23-BUD-TOTAL")?.attributes["budget_chf"]?.integerValue)
        let sum = themes.compactMap { $0.attributes["budget_chf"]?.integerValue }.reduce(0, +)
        #expect(sum == total)
        #expect(result.findings("budget-check").first?.message.en.contains("they agree") == true)
        let budget = try result.table("exposure-budget")
        let high = try #require(budget.rows(where: "level", is: .text("high")).first)
        #expect(high[budget.column("budget_at_highest_chf")] == .integer(total))
        #expect(high[budget.column("budget_exposed_percent")] == .decimal(100, places: 1))
        #expect(result.findings("derived-exposure").first?.ids.count == 4)
        // SDG rows all derived; the theme-to-BAAP step is named.
        let sdg = try result.table("exposure-sdg")
        #expect(!sdg.rows.isEmpty)
        #expect(sdg.rows.allSatisfy { $0[sdg.column("provenance")] == .text("derived") })
        #expect(sdg.rows.contains { $0[sdg.column("route")].description.contains("continues (derived: op23-theme-continues-baap-output)") })
        // The scope node is listed as such, not expanded.
        let goals = try result.table("exposure-sdg-goals")
        if let scope = goals.rows(where: "goal", is: .id("SDG-ALL")).first {
            #expect(scope[goals.column("label_en")].description.contains("not expanded"))
        }
    }

    @Test func fiveByFiveMovesOP23RatingsToTheMiddle() throws {
        let result = try run(["plan": "op23", "scale": "5"])
        let register = try result.table("risk-register")
        // low → 2, medium → 3, high → 4: 中/高 → (3,4), 高/高 → (4,4), 中/中 → (3,3).
        let cells = register.rows.map { [$0[register.column("likelihood_position")], $0[register.column("impact_position")]] }
        #expect(cells == [[.integer(3), .integer(4)], [.integer(4), .integer(4)], [.integer(3), .integer(3)], [.integer(3), .integer(4)]])
        #expect(result.figure("Placed at level Very high") == "0")
        #expect(result.findings("three-level-mapping").first?.ids.count == 4)
    }

    @Test func plansWithoutRisksSaySo() throws {
        let result = try run(["plan": "kap"])
        #expect(result.figure("Risks in the register") == "0")
        #expect(result.findings("no-risks").count == 1)
    }

    @Test func outputIsDeterministic() throws {
        let a = try run(), b = try run()
        #expect(a.tables == b.tables)
        #expect(a.views == b.views)
        #expect(a.findings == b.findings)
        #expect(a.headline == b.headline)
    }
}
