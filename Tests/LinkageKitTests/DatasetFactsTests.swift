import LinkageKit
import LinkageTestSupport
import Testing

/// The bundled datasets hold what the documents state: counts printed or listed by the seeds.
/// Each expectation names the place in the source it comes from.
@Suite("Facts the documents state")
struct DatasetFactsTests {
    let graph = Repository.loaded.graph

    func count(_ kind: NodeKind) -> Int { graph.nodes(ofKind: kind).count }
    func children(_ id: NodeID, kind: NodeKind) -> Int { graph.incoming(id, relation: .partOf).filter { graph.node($0.source)?.kind == kind }.count }

    @Test func theDatasetsLoadWithoutErrors() {
        #expect(!Repository.loaded.hasErrors, "\(Repository.loaded.errors.prefix(5))")
    }

    @Test func referenceFrameworks() {
        #expect(count(.sdgGoal) == 17)
        #expect(count(.sdgTarget) == 169)  // sdg_targets.csv: 169 rows
        #expect(count(.sdgIndicator) == 252)  // open-sdg: 252 codes, some repeated
        let lines = graph.nodes(ofKind: .wsisActionLine)
        #expect(lines.filter { graph.parent(of: $0.id) == nil }.count == 11)  // C1–C11
        #expect(graph.children(of: "WSIS-C7").count == 8)  // the eight C7 sub-lines
        for goal in graph.nodes(ofKind: .sdgGoal) {
            #expect(goal.attributes["colour"]?.stringValue?.count == 7, "official colour of \(goal.id)")
            #expect(goal.attributes["uri"]?.stringValue == "http://metadata.un.org/sdg/\(goal.id.rawValue.dropFirst(4))")
        }
    }

    /// Seed 002: 4 objectives, 17 outputs (1.1–1.6, 2.1–2.3, 3.1–3.4, 4.1–4.4), 4 amendments.
    @Test func buenosAiresActionPlan() {
        #expect(count("baap-objective") == 4)
        #expect(count("baap-output") == 17)
        #expect([6, 3, 4, 4] == (1...4).map { children(NodeID("BAAP-OBJ-\($0)"), kind: "baap-output") })
        #expect(count("baap-amendment") == 4)
        // "all WTDC resolutions" is kept as a scope, not expanded: outputs 1.1, 1.2, 1.5.
        #expect(graph.incoming("WTDC-RES-ALL", relation: .implements).map(\.source) == ["BAAP-OUT-1.1", "BAAP-OUT-1.2", "BAAP-OUT-1.5"])
        #expect(graph.incoming("SDG-ALL", relation: .advancesSDG).map(\.source).contains("BAAP-OUT-3.2"))
    }

    /// Seed 000 §4.1–4.5 and §4.6.1–4.6.7; seed 003 §4 and §5.
    @Test func kigaliActionPlan() {
        #expect(count("kap-priority") == 5)
        #expect(count("kap-enabler") == 7)
        #expect((1...5).map { children(NodeID("KAP-P\($0)"), kind: "kap-outcome") } == [7, 3, 3, 2, 8])
        #expect((1...7).map { children(NodeID("KAP-E\($0)"), kind: "kap-outcome") } == [2, 5, 1, 1, 1, 1, 3])
        #expect(count("kap-product-category") == 5)
        let initiatives = graph.nodes(ofKind: "regional-initiative")
        #expect(initiatives.count == 28)
        let perRegion = ["AFR", "AMS", "ARB", "ASP", "CIS", "EUR"].map { region in initiatives.filter { $0.id.rawValue.hasPrefix("RI22-\(region)") }.count }
        #expect(perRegion == [4, 4, 5, 5, 5, 5])
        let questions = graph.nodes(ofKind: "study-question").filter { $0.id.rawValue.hasPrefix("SQ22-") }
        #expect(questions.count == 14)
        #expect(graph.outgoing("SQ22-Q3/1", relation: "continues").map(\.target) == ["SQ17-Q5/2"])
        for number in 87...90 { #expect(graph.contains(NodeID("WTDC-RES-\(number)"))) }
    }

    /// Seed 001 table 1: the budget lines sum to the printed total of CHF 4,200,000.
    @Test func operationalPlanBudgetSumsToThePrintedTotal() throws {
        let lines = graph.nodes(ofKind: "op-budget-line")
        let sum = lines.compactMap { $0.attributes["budget_chf"]?.integerValue }.reduce(0, +)
        let total = try #require(graph.nodes(ofKind: "op-budget-total").first?.attributes["budget_chf"]?.integerValue)
        #expect(lines.count == 10)
        #expect(total == 4_200_000)
        #expect(sum == total)
    }

    /// Seed 001 §2.6: four operational risks on a low/medium/high scale, no owner yet.
    @Test func operationalRisks() {
        let risks = graph.nodes(ofKind: "op-risk")
        #expect(risks.count == 4)
        #expect(risks.map { "\($0.attributes["likelihood"]!)/\($0.attributes["impact"]!)" } == ["medium/high", "high/high", "medium/medium", "medium/high"])
        #expect(risks.allSatisfy { $0.attributes["owner"] == nil && $0.attributes["owner_status"] != nil })
        #expect(graph.nodes(ofKind: "op-mitigation").count == 13)
    }

    /// Seed 004: 5 strategic goals, 26 targets (12 proposed), 6 strategic risks, unassessed.
    @Test func strategicPlan() {
        #expect(count("sp-goal") == 5)
        let targets = graph.nodes(ofKind: "sp-target")
        #expect(targets.count == 26)
        #expect(targets.filter { $0.attributes["proposed"]?.booleanValue == true }.count == 12)
        let risks = graph.nodes(ofKind: "sp-risk")
        #expect(risks.count == 6)
        #expect(risks.allSatisfy { $0.attributes["assessment"]?.stringValue == "unassessed" && $0.attributes["likelihood"] == nil })
        let strategies = Set(graph.nodes(ofKind: "sp-mitigation").compactMap { $0.attributes["strategy"]?.stringValue })
        #expect(strategies == ["avoid", "limit", "transfer"])
        #expect(count("sp-sector-objective") == 18)  // R.1–3, T.1–5, D.1–4, I.1–6
    }

    /// Links across plans are derived and say how.
    @Test func kapPriorityToSDGLinksAreDerivedWithTheirPath() throws {
        let links = graph.outgoing("KAP-P1", relation: .advancesSDG)
        #expect(!links.isEmpty)
        for link in links {
            guard case .derived(let derivation) = link.provenance else {
                Issue.record("\(link.key) is presented as declared; no document states it")
                continue
            }
            #expect(derivation.rule == "kap-priority-sdg-via-baap-output")
            #expect(derivation.paths.allSatisfy { $0.contains { $0.relation == "continues" } })
        }
    }
}
