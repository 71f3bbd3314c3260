import LinkageKit
import LinkageTestSupport
import Testing
import WSISActionLines

/// Two plans, five action lines and a small WSIS-SDG matrix. Every expectation below is counted
/// by hand from these lines (the arithmetic is in the comments of each test).
///
/// Action lines (Geneva order): C1 (partner), C2 (facilitator), C7 with sub-lines e-business (9)
/// and e-health (10), C8; WSIS-ALL.
/// Matrix:  C1 -> SDG-1 (goal), 3.8, 17.8      C2 -> 1.4, 9.1, 9.c
///          C7.e-business -> SDG-9 (goal), 9.c  C7.e-health -> SDG-3 (goal), 3.8     C8 -> 17.8
/// Plan p (outputs, grouped by objective):
///   OUT-1 (OBJ-A): C1, C2 declared; SDG links 9.c.1 (indicator), 17.8, SDG-3 (goal)
///   OUT-2 (OBJ-A): C7 declared;     SDG links 3.8, 9.1, SDG-17 (goal)
///   OUT-3 (OBJ-B): WSIS-ALL only;   SDG link 1.4
///   OUT-4 (OBJ-B): no action line;  SDG link 17.8
/// Plan q (priorities, no groups): PRI-1 -> C2 (derived), SDG-9.1 (derived); PRI-2 -> C7.e-health (derived).
/// Printed counts: COUNT-C1 -> C1 (outputs 10, key activities 17); COUNT-C2 -> C2 (27, 76); none for C7, C8.
func wsisFixture() -> LinkageGraph {
    var f = FixtureGraph()
    f.declare("objective", role: .planStructure)
    f.declare("output", role: .planElement)
    f.declare("priority", role: .planElement)
    f.declare("count", role: .other)
    f.vocabulary.add(RelationSpec(relation: "sp20-counts-for", label: LocalizedText(zh: "统计对象", en: "counts for"),
                                  from: [.any], to: [.any], declaredBy: "fixture"))
    f.plan("p", elements: ["output"], groups: "objective")
    f.plan("q", elements: ["priority"])
    f.sdg(goals: [1, 3, 9, 17], targets: ["1.4", "3.8", "9.1", "9.c", "17.8"])
    f.node("SDG-9.c.1", .sdgIndicator)
    f.link("SDG-9.c.1", .partOf, ["SDG-9.c"])

    f.node("WSIS-C1", .wsisActionLine, attributes: ["geneva_order": .integer(1), "itu_role": .string("partner"), "itu_role_class": .string("partner")])
    f.node("WSIS-C2", .wsisActionLine, attributes: [
        "geneva_order": .integer(2), "itu_role": .string("moderator/facilitator"), "itu_role_class": .string("facilitator"),
    ])
    f.node("WSIS-C7", .wsisActionLine, attributes: ["geneva_order": .integer(7), "itu_role_class": .string("partner")])
    f.node("WSIS-C7.e-health", .wsisActionLine, attributes: ["geneva_order": .integer(10), "itu_role_class": .string("none-stated")])
    f.node("WSIS-C7.e-business", .wsisActionLine, attributes: ["geneva_order": .integer(9), "itu_role_class": .string("none-stated")])
    f.node("WSIS-C8", .wsisActionLine, attributes: ["geneva_order": .integer(15)])
    f.node("WSIS-ALL", .wsisScope)
    f.link("WSIS-C7.e-health", .partOf, ["WSIS-C7"])
    f.link("WSIS-C7.e-business", .partOf, ["WSIS-C7"])
    f.link("WSIS-C1", .mapsToSDG, ["SDG-1", "SDG-3.8", "SDG-17.8"])
    f.link("WSIS-C2", .mapsToSDG, ["SDG-1.4", "SDG-9.1", "SDG-9.c"])
    f.link("WSIS-C7.e-business", .mapsToSDG, ["SDG-9", "SDG-9.c"])
    f.link("WSIS-C7.e-health", .mapsToSDG, ["SDG-3", "SDG-3.8"])
    f.link("WSIS-C8", .mapsToSDG, ["SDG-17.8"])

    f.node("OBJ-A", "objective")
    f.node("OBJ-B", "objective")
    for (output, objective) in [("OUT-1", "OBJ-A"), ("OUT-2", "OBJ-A"), ("OUT-3", "OBJ-B"), ("OUT-4", "OBJ-B")] {
        f.node(NodeID(output), "output")
        f.link(NodeID(output), .partOf, [NodeID(objective)])
    }
    f.link("OUT-1", .supportsWSIS, ["WSIS-C1", "WSIS-C2"])
    f.link("OUT-1", .advancesSDG, ["SDG-9.c.1", "SDG-17.8", "SDG-3"])
    f.link("OUT-2", .supportsWSIS, ["WSIS-C7"])
    f.link("OUT-2", .advancesSDG, ["SDG-3.8", "SDG-9.1", "SDG-17"])
    f.link("OUT-3", .supportsWSIS, ["WSIS-ALL"])
    f.link("OUT-3", .advancesSDG, ["SDG-1.4"])
    f.link("OUT-4", .advancesSDG, ["SDG-17.8"])

    f.node("PRI-1", "priority")
    f.node("PRI-2", "priority")
    f.link("PRI-1", .supportsWSIS, ["WSIS-C2"], derivedBy: "via-themes")
    f.link("PRI-1", .advancesSDG, ["SDG-9.1"], derivedBy: "via-themes")
    f.link("PRI-2", .supportsWSIS, ["WSIS-C7.e-health"], derivedBy: "via-themes")

    f.node("COUNT-C1", "count", attributes: ["count_printed_outputs": .integer(10), "count_printed_key_activities": .integer(17)])
    f.node("COUNT-C2", "count", attributes: ["count_printed_outputs": .integer(27), "count_printed_key_activities": .integer(76)])
    f.link("COUNT-C1", "sp20-counts-for", ["WSIS-C1"])
    f.link("COUNT-C2", "sp20-counts-for", ["WSIS-C2"])
    return f.build()
}

/// Looks up tables, rows and cells by their machine names.
struct ResultReader {
    let result: AnalysisResult

    func table(_ id: String) throws -> ResultTable {
        try #require(result.tables.first { $0.id == id }, "no table \(id); tables: \(result.tables.map(\.id))")
    }

    func row(_ tableID: String, _ key: String) throws -> [String: TableValue] {
        let table = try table(tableID)
        let row = try #require(table.rows.first { $0.first?.description == key }, "no row \(key) in \(tableID)")
        return Dictionary(uniqueKeysWithValues: zip(table.columns.map(\.id), row))
    }

    func figure(_ label: String) -> String? { result.headline.first { $0.label.en == label }?.value }

    func network(_ id: String) throws -> NetworkView {
        let view = try #require(result.views.first { $0.id == id }, "no view \(id)")
        guard case .network(let network) = view.diagram else { throw ReaderError.notANetwork(id) }
        return network
    }

    enum ReaderError: Error { case notANetwork(String) }
}

@Suite("wsis-action-lines on a fixture")
struct WSISActionLinesFixtureTests {
    let graph = wsisFixture()

    func run(_ options: [String: String] = [:]) throws -> ResultReader {
        ResultReader(result: try analysis.run(AnalysisContext(graph: graph, options: AnalysisOptions(options))))
    }

    // MARK: Part 1

    @Test func plansWithActionLineLinksAreChosenByDefault() throws {
        let r = try run()
        #expect(r.result.tables.map(\.id).filter { $0.hasPrefix("action-lines-") } == ["action-lines-p", "action-lines-q"])
    }

    @Test func linesInGenevaOrderThenTheScopeRow() throws {
        let table = try run(["plan": "p"]).table("action-lines-p")
        // C7's sub-lines follow C7 in geneva_order (e-business 9 before e-health 10), not alphabetically; WSIS-ALL last.
        #expect(table.rows.map { $0[0] } == [
            .id("WSIS-C1"), .id("WSIS-C2"), .id("WSIS-C7"), .id("WSIS-C7.e-business"), .id("WSIS-C7.e-health"), .id("WSIS-C8"),
            .id("WSIS-ALL"),
        ])
    }

    @Test func elementsPerLineWithRoleAndProvenance() throws {
        let r = try run(["plan": "p,q"])
        // C1: OUT-1 declared; with WSIS-ALL expanded: OUT-1 + OUT-3 = 2.
        let c1 = try r.row("action-lines-p", "WSIS-C1")
        #expect(c1["itu_role"] == .text("partner"))
        #expect(c1["elements_declared"] == .integer(1))
        #expect(c1["elements_derived"] == .integer(0))
        #expect(c1["elements_with_all_lines"] == .integer(2))
        #expect(c1["declared_ids"] == .text("OUT-1"))
        let c2 = try r.row("action-lines-p", "WSIS-C2")
        #expect(c2["itu_role"] == .text("moderator/facilitator"))
        #expect(c2["itu_role_class"] == .text("facilitator"))
        // Plan q: PRI-1 -> C2 is derived, so it must not count as declared.
        let q2 = try r.row("action-lines-q", "WSIS-C2")
        #expect(q2["elements_declared"] == .integer(0))
        #expect(q2["elements_derived"] == .integer(1))
        #expect(q2["derived_ids"] == .text("PRI-1"))
    }

    @Test func aLinkToC7CountsForC7AsAWholeAndWSISALLIsItsOwnRow() throws {
        let r = try run(["plan": "p,q"])
        // OUT-2 links C7: counted on C7 (1), not on the sub-lines (0 each; 1 with WSIS-ALL expanded, OUT-3).
        #expect(try r.row("action-lines-p", "WSIS-C7")["elements_total"] == .integer(1))
        #expect(try r.row("action-lines-p", "WSIS-C7.e-health")["elements_total"] == .integer(0))
        #expect(try r.row("action-lines-p", "WSIS-C7.e-health")["elements_with_all_lines"] == .integer(1))
        #expect(try r.row("action-lines-p", "WSIS-C7.e-health")["part_of"] == .id("WSIS-C7"))
        // PRI-2 links the sub-line e-health: counted there, not on C7.
        #expect(try r.row("action-lines-q", "WSIS-C7.e-health")["elements_derived"] == .integer(1))
        #expect(try r.row("action-lines-q", "WSIS-C7")["elements_total"] == .integer(0))
        // WSIS-ALL: OUT-3 only, and no expanded figure on its own row.
        let all = try r.row("action-lines-p", "WSIS-ALL")
        #expect(all["declared_ids"] == .text("OUT-3"))
        #expect(all["elements_with_all_lines"] == .empty)
        #expect(r.result.findings.contains { $0.code == "all-action-lines" && $0.ids == ["OUT-3"] })
        #expect(r.result.findings.contains { $0.code == "no-action-line" && $0.ids == ["OUT-4"] })
        // p: OUT-1, OUT-2, OUT-3 linked = 3 of 4; 4 links (OUT-1 two, OUT-2 one, OUT-3 one), all declared.
        #expect(r.figure("p: elements linked to an action line (or WSIS-ALL)") == "3 / 4")
        #expect(r.figure("p: element → action line links") == "4")
    }

    @Test func derivedLinksAreAFinding() throws {
        let r = try run(["plan": "q"])
        let finding = try #require(r.result.findings.first { $0.code == "derived-links" })
        #expect(finding.message.en.contains("via-themes"))
        #expect(finding.ids == ["PRI-1", "PRI-2"])
    }

    // MARK: Part 2

    @Test func diagramElementsLinesGoalsWithEveryMatrixRow() throws {
        let network = try run(["plan": "p", "min-targets": "0"]).network("plan-lines-sdg-p")
        // In document order: elements OUT-1..3 (OUT-4 has no line), lines C1, C2, C7, then
        // WSIS-ALL, goals 1, 3, 9, 17.
        #expect(network.nodes.map(\.id) == ["OUT-1", "OUT-2", "OUT-3", "WSIS-C1", "WSIS-C2", "WSIS-C7", "WSIS-ALL",
                                            "SDG-1", "SDG-3", "SDG-9", "SDG-17"])
        #expect(network.groups.map(\.id) == ["OBJ-A", "OBJ-B"])
        let mapped = network.edges.filter { $0.relation == .mapsToSDG }
        // C1: SDG-1 goal row (G), 3.8 (1), 17.8 (1). C2: 1.4 (1), 9.1 + 9.c (2).
        // C7 through its sub-lines: e-health SDG-3 + 3.8 (G+1), e-business SDG-9 + 9.c (G+1).
        // The count is in the tooltip (and the line's width), not on the line.
        #expect(mapped.map { "\($0.source)>\($0.target):\($0.tooltip?.split(separator: "(").last ?? "")" } == [
            "WSIS-C1>SDG-1:G)", "WSIS-C1>SDG-3:1)", "WSIS-C1>SDG-17:1)",
            "WSIS-C2>SDG-1:1)", "WSIS-C2>SDG-9:2)",
            "WSIS-C7>SDG-3:G+1)", "WSIS-C7>SDG-9:G+1)",
        ])
        #expect(mapped.allSatisfy { $0.label == nil && $0.colour != nil })
        // Rows stated by the matrix are solid; C7's gathered rows are this analysis's reading: dashed.
        #expect(mapped.filter { !$0.declared }.map(\.source) == ["WSIS-C7", "WSIS-C7"])
        #expect(network.edges.filter { $0.relation == .supportsWSIS }.allSatisfy { $0.declared })
        // No arrow from the scope node: WSIS-ALL is not expanded.
        #expect(!network.edges.contains { $0.source == "WSIS-ALL" })
    }

    @Test func diagramDrawsOnlyStrongMappingsAndSaysHowManyAreLeftOut() throws {
        let network = try run(["plan": "p", "min-targets": "2"]).network("plan-lines-sdg-p")
        // Only C2 -> SDG-9 has 2 targets; C1 keeps 3 mappings undrawn, C2 one (SDG-1), C7 two.
        #expect(network.edges.filter { $0.relation == .mapsToSDG }.map(\.target) == ["SDG-9"])
        #expect(network.nodes.filter { $0.kind == .sdgGoal }.map(\.id) == ["SDG-9"])
        let codes = Dictionary(uniqueKeysWithValues: network.nodes.map { ($0.id, $0.code ?? "") })
        #expect(codes["WSIS-C1"] == "WSIS-C1 (+3)")
        #expect(codes["WSIS-C2"] == "WSIS-C2 (+1)")
        #expect(codes["WSIS-C7"] == "WSIS-C7 (+2)")
    }

    @Test func derivedPlanLinksAreDashed() throws {
        let network = try run(["plan": "q", "min-targets": "0"]).network("plan-lines-sdg-q")
        let toLines = network.edges.filter { $0.relation == .supportsWSIS }
        #expect(toLines.count == 2)
        #expect(toLines.allSatisfy { !$0.declared })
    }

    // MARK: Part 3

    @Test func consistencyPerElement() throws {
        let r = try run(["plan": "p"])
        // OUT-1 reads C1 and C2: implied targets 3.8, 17.8 (C1), 1.4, 9.1, 9.c (C2) = 5; goals 1, 3, 17, 9 = 4.
        // Own targets: 9.c (through indicator 9.c.1), 17.8 = 2; own goals 9, 17, 3 (SDG-3 as a whole) = 3.
        // Both: 9.c, 17.8 = 2. Implied only: 1.4, 3.8, 9.1 = 3, of which 3.8 lies in SDG-3, linked as a whole = 1.
        // Own only: none. Goals: both 3, 9, 17 = 3; implied only SDG-1 = 1; own only 0.
        let out1 = try r.row("matrix-consistency-p", "OUT-1")
        #expect(out1["status"] == .text("checked"))
        #expect(out1["own_targets"] == .integer(2))
        #expect(out1["implied_targets"] == .integer(5))
        #expect(out1["targets_both"] == .integer(2))
        #expect(out1["targets_implied_only"] == .integer(3))
        #expect(out1["targets_implied_only_goal_linked"] == .integer(1))
        #expect(out1["targets_implied_only_via_sub_lines"] == .integer(0))
        #expect(out1["targets_own_only"] == .integer(0))
        #expect(out1["goals_both"] == .integer(3))
        #expect(out1["goals_implied_only"] == .integer(1))
        #expect(out1["goals_own_only"] == .integer(0))
        // OUT-2 links C7, read through e-business (SDG-9 goal, 9.c) and e-health (SDG-3 goal, 3.8).
        // Implied targets 3.8, 9.c; own 3.8, 9.1. Both 3.8; implied only 9.c (only through a sub-line);
        // own only 9.1, whose goal SDG-9 the matrix maps as a whole (e-business). Goals: implied 3, 9;
        // own 3, 9, 17 -> both 2, own only 1 (SDG-17).
        let out2 = try r.row("matrix-consistency-p", "OUT-2")
        #expect(out2["targets_both"] == .integer(1))
        #expect(out2["targets_implied_only"] == .integer(1))
        #expect(out2["targets_implied_only_via_sub_lines"] == .integer(1))
        #expect(out2["targets_own_only"] == .integer(1))
        #expect(out2["targets_own_only_goal_row"] == .integer(1))
        #expect(out2["goals_both"] == .integer(2))
        #expect(out2["goals_own_only"] == .integer(1))
        // OUT-3 links WSIS-ALL only and OUT-4 no line: not checked.
        #expect(try r.row("matrix-consistency-p", "OUT-3")["status"] == .text("not checked: only WSIS-ALL (not expanded)"))
        #expect(try r.row("matrix-consistency-p", "OUT-4")["status"] == .text("not checked: no action line"))
    }

    @Test func consistencyTotals() throws {
        let r = try run(["plan": "p"])
        // Targets: both 2 + 1 = 3; implied only 3 + 1 = 4; own only 0 + 1 = 1. Goals: both 3 + 2 = 5,
        // implied only 1 + 0 = 1, own only 0 + 1 = 1.
        let total = try r.row("matrix-consistency-p", "total")
        #expect(total["targets_both"] == .integer(3))
        #expect(total["targets_implied_only"] == .integer(4))
        #expect(total["targets_own_only"] == .integer(1))
        #expect(total["goals_both"] == .integer(5))
        #expect(total["goals_implied_only"] == .integer(1))
        #expect(total["goals_own_only"] == .integer(1))
        #expect(r.figure("p: elements checked against the WSIS-SDG matrix") == "2 / 4")
        #expect(r.figure("p: element–target pairs implied by the matrix but not own") == "4")
        #expect(r.figure("p: element–target pairs own but not implied by the matrix") == "1")
        #expect(r.figure("p: element–goal pairs both / implied only / own only") == "5 / 1 / 1")
    }

    @Test func goalRowsNameTheTargetsBehindEachVerdict() throws {
        let table = try run(["plan": "p"]).table("matrix-consistency-goals-p")
        let columns = table.columns.map(\.id)
        let rows = table.rows.map { Dictionary(uniqueKeysWithValues: zip(columns, $0)) }
        // OUT-1: goals 1 (implied only), 3, 9, 17 (both); OUT-2: 3, 9 (both), 17 (own only).
        #expect(rows.map { "\($0["element"]!) \($0["goal"]!) \($0["goal_status"]!)" } == [
            "OUT-1 SDG-1 implied-only", "OUT-1 SDG-3 both", "OUT-1 SDG-9 both", "OUT-1 SDG-17 both",
            "OUT-2 SDG-3 both", "OUT-2 SDG-9 both", "OUT-2 SDG-17 own-only",
        ])
        let out2Goal9 = rows[5]
        #expect(out2Goal9["target_ids_implied_only"] == .text("SDG-9.c"))
        #expect(out2Goal9["target_ids_own_only"] == .text("SDG-9.1"))
        #expect(out2Goal9["implied_via"] == .text("WSIS-C7.e-business (sub-line of WSIS-C7)"))
        #expect(out2Goal9["matrix_goal_row"] == .text("yes"))
    }

    @Test func withoutTheSubLineReadingC7ImpliesNothing() throws {
        let r = try run(["plan": "p", "c7-matrix": "none"])
        // OUT-2's only line is C7, which has no matrix rows of its own: its 2 own targets are not implied.
        let out2 = try r.row("matrix-consistency-p", "OUT-2")
        #expect(out2["implied_targets"] == .integer(0))
        #expect(out2["targets_own_only"] == .integer(2))
        #expect(r.result.findings.contains { $0.code == "no-matrix-rows" && $0.ids == ["OUT-2"] })
    }

    // MARK: Part 4

    @Test func printedCountsSideBySideWithPlanCounts() throws {
        let r = try run(["plan": "p,q"])
        let table = try r.table("sp-printed-counts")
        #expect(table.rows.map { $0[0] } == [.id("WSIS-C1"), .id("WSIS-C2"), .id("WSIS-C7"), .id("WSIS-C8")])
        let c2 = try r.row("sp-printed-counts", "WSIS-C2")
        #expect(c2["sp_printed_outputs"] == .integer(27))
        #expect(c2["sp_printed_key_activities"] == .integer(76))
        // p: OUT-1 -> C2 (1, declared); with WSIS-ALL: + OUT-3 = 2. q: PRI-1 (derived).
        #expect(c2["p_elements"] == .integer(1))
        #expect(c2["p_elements_with_all_lines"] == .integer(2))
        #expect(c2["q_elements"] == .integer(1))
        #expect(c2["q_elements_declared"] == .integer(0))
        // C7 is counted as a whole: PRI-2's link to the sub-line e-health counts for C7 here.
        let c7 = try r.row("sp-printed-counts", "WSIS-C7")
        #expect(c7["q_elements"] == .integer(1))
        // No printed count for C7 and C8: "not printed", never zero.
        #expect(c7["sp_printed"] == .text("not printed"))
        #expect(c7["sp_printed_outputs"] == .empty)
        #expect(try r.row("sp-printed-counts", "WSIS-C8")["sp_printed_outputs"] == .empty)
        #expect(r.result.findings.contains { $0.code == "sp-count-not-printed" && $0.ids == ["WSIS-C7", "WSIS-C8"] })
        #expect(r.figure("Action lines with a count printed by the Strategic Plan 2020–2023") == "2 / 4")
    }

    // MARK: Options and determinism

    @Test func badOptionsAreOptionErrors() {
        #expect(throws: AnalysisOptionError.self) { try run(["plan": "nope"]) }
        #expect(throws: AnalysisOptionError.self) {
            try analysis.run(AnalysisContext(graph: graph, options: AnalysisOptions.parse(["c7-matrix=all"], for: analysis.descriptor)))
        }
        #expect(throws: AnalysisOptionError.self) {
            try analysis.run(AnalysisContext(graph: graph, options: AnalysisOptions.parse(["min-targets=-1"], for: analysis.descriptor)))
        }
    }

    @Test func runsAreIdentical() throws {
        let a = try run().result, b = try run().result
        #expect(a.tables == b.tables)
        #expect(a.views == b.views)
        #expect(a.findings == b.findings)
    }
}

extension WSISActionLinesFixtureTests {
    @Test func optionValuesAreCheckedByTheAnalysisToo() {
        #expect(throws: AnalysisOptionError.self) { try run(["c7-matrix": "everything"]) }
        #expect(throws: AnalysisOptionError.self) { try run(["min-targets": "many"]) }
        #expect(throws: AnalysisOptionError.self) { try run(["min-targets": "21"]) }
    }
}
