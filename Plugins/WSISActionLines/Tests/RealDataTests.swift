import Foundation
import LinkageKit
import LinkageTestSupport
import Testing
import WSISActionLines

/// The analysis on the bundled datasets, against what the documents state.
@Suite("wsis-action-lines on the real datasets")
struct WSISActionLinesRealDataTests {
    static let result: AnalysisResult? = try? analysis.run(AnalysisContext(graph: Repository.loaded.graph))

    var reader: ResultReader {
        get throws { ResultReader(result: try #require(Self.result, "the analysis failed on the real datasets")) }
    }

    func ids(_ value: TableValue?) -> [String] {
        (value?.description ?? "").split(separator: " ").map(String.init)
    }

    @Test func defaultPlansAreTheBAAPAndTheKAP() throws {
        // The plans whose elements link to an action line: BAAP (declared) and KAP (derived through OP-23).
        #expect(try reader.result.tables.map(\.id).filter { $0.hasPrefix("action-lines-") } == ["action-lines-baap", "action-lines-kap"])
    }

    @Test func baapOutputsLinkedToC2() throws {
        // Seed 002: "WSIS第C1、C2、C3、C9和C11号行动方针…输出2.1", "C2和C7…输出2.3", "C1、C2、…C7和C11…输出成果3.4",
        // "C2、C6和C7…输出成果4.1", "C2、C3、C4、C6、C7和C8…输出成果4.3".
        let c2 = try reader.row("action-lines-baap", "WSIS-C2")
        #expect(ids(c2["declared_ids"]) == ["BAAP-OUT-2.1", "BAAP-OUT-2.3", "BAAP-OUT-3.4", "BAAP-OUT-4.1", "BAAP-OUT-4.3"])
        #expect(c2["elements_derived"] == .integer(0))
        #expect(c2["itu_role_class"] == .text("facilitator"))
    }

    @Test func baapOutput34LinksToEightLines() throws {
        // Seed 002: "落实WSIS行动计划C1、C2、C3、C4、C5、C6、C7和C11将支持输出成果3.4".
        let table = try reader.table("action-lines-baap")
        let lines = table.rows.filter { ids($0[10]).contains("BAAP-OUT-3.4") }.map { $0[0].description }
        #expect(lines == ["WSIS-C1", "WSIS-C2", "WSIS-C3", "WSIS-C4", "WSIS-C5", "WSIS-C6", "WSIS-C7", "WSIS-C11"])
        let row = try reader.row("matrix-consistency-baap", "BAAP-OUT-3.4")
        #expect(ids(row["action_lines"]).count == 8)
    }

    @Test func allActionLinesIsItsOwnRow() throws {
        // Output 3.2 (statistics) concerns "所有WSIS行动方面": the WSIS-ALL row, not every line, and not checked.
        let all = try reader.row("action-lines-baap", "WSIS-ALL")
        #expect(ids(all["declared_ids"]) == ["BAAP-OUT-3.2"])
        #expect(try reader.row("action-lines-baap", "WSIS-C10")["elements_total"] == .integer(0))
        #expect(try reader.row("action-lines-baap", "WSIS-C10")["elements_with_all_lines"] == .integer(1))
        #expect(try reader.row("matrix-consistency-baap", "BAAP-OUT-3.2")["status"] == .text("not checked: only WSIS-ALL (not expanded)"))
    }

    @Test func kapLinksAreAllDerived() throws {
        let table = try reader.table("action-lines-kap")
        #expect(table.rows.allSatisfy { $0[6] == .integer(0) }, "no KAP element has a declared action-line link")
        #expect(try reader.result.findings.contains { $0.code == "derived-links" && $0.message.en.hasPrefix("kap: all ") })
        // KAP-P4 and the cross-cutting enablers continue no BAAP output: no action line at all.
        let unlinked = try #require(try reader.result.findings.first { $0.code == "no-action-line" && $0.message.en.hasPrefix("kap:") })
        #expect(unlinked.ids.contains("KAP-P4"))
        // The diagram draws every KAP link to a line dashed.
        let network = try reader.network("plan-lines-sdg-kap")
        #expect(network.edges.filter { $0.relation == .supportsWSIS }.allSatisfy { !$0.declared })
    }

    @Test func printedCountForC2EqualsWhatShowDisplays() throws {
        let shown = try runLinkage(["show", "SP20-COUNT-WSIS-C2"])
        #expect(shown.status == 0, "\(shown.stderr)")
        func printed(_ attribute: String) -> Int? {
            shown.stdout.split(separator: "\n").lazy.compactMap { line -> Int? in
                let text = line.trimmingCharacters(in: .whitespaces)
                guard text.hasPrefix(attribute + ":") else { return nil }
                return Int(text.dropFirst(attribute.count + 1).trimmingCharacters(in: .whitespaces))
            }.first
        }
        let outputs = try #require(printed("count_printed_outputs"))
        let activities = try #require(printed("count_printed_key_activities"))
        let row = try reader.row("sp-printed-counts", "WSIS-C2")
        #expect(row["sp_printed_outputs"] == .integer(outputs))
        #expect(row["sp_printed_key_activities"] == .integer(activities))
        // Seed 004's translator's note prints 27 outputs for C2.
        #expect(outputs == 27)
    }

    @Test func linesWithoutAPrintedCountAreNotPrintedNotZero() throws {
        // Seed 004 lists C8, C9 and C10 without numbers.
        for line in ["WSIS-C8", "WSIS-C9", "WSIS-C10"] {
            let row = try reader.row("sp-printed-counts", line)
            #expect(row["sp_printed"] == .text("not printed"), "\(line)")
            #expect(row["sp_printed_outputs"] == .empty, "\(line)")
        }
        #expect(try reader.figure("Action lines with a count printed by the Strategic Plan 2020–2023") == "8 / 11")
    }

    @Test func matrixCheckAddsUp() throws {
        // Every element–target pair is in exactly one of both / implied only / own only, per element and in total.
        let table = try reader.table("matrix-consistency-baap")
        let columns = table.columns.map(\.id)
        for cells in table.rows {
            let row = Dictionary(uniqueKeysWithValues: zip(columns, cells))
            guard case .integer(let own) = row["own_targets"], case .integer(let implied) = row["implied_targets"],
                  case .integer(let both) = row["targets_both"], case .integer(let impliedOnly) = row["targets_implied_only"],
                  case .integer(let ownOnly) = row["targets_own_only"] else { continue }
            #expect(both + ownOnly == own, "\(cells[0])")
            #expect(both + impliedOnly == implied, "\(cells[0])")
        }
        // BAAP output 3.3 (capacity building) names C4 only; its 21 own targets are exactly C4's 21 matrix targets.
        let out33 = try reader.row("matrix-consistency-baap", "BAAP-OUT-3.3")
        #expect(out33["targets_both"] == .integer(21))
        #expect(out33["targets_own_only"] == .integer(0))
        #expect(out33["targets_implied_only"] == .integer(0))
    }

    @Test func everyReadableDiagramIsThere() throws {
        #expect(try reader.result.views.map(\.id) == [
            "plan-lines-sdg-baap", "plan-lines-sdg-kap", "matrix-consistency-grid-baap", "matrix-consistency-grid-kap", "wsis-sdg-matrix",
        ])
    }
}
