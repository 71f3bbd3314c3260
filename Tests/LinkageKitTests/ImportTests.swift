import LinkageKit
import LinkageTestSupport
import Testing

@Suite("Loose codes as people type them, read against the real datasets")
struct LooseCodeTests {
    let reader = LooseCodeReader(graph: Repository.loaded.graph)

    func ids(_ text: String, _ column: LooseCodeReader.Column) -> [String] {
        reader.read(text, column: column).map { entry in
            switch entry.result {
            case .success(let reading): reading.id.rawValue + (reading.asWritten.map { " [\($0)]" } ?? "")
            case .failure(let problem): "ERROR " + problem.message
            }
        }
    }

    @Test func sdgCodes() {
        #expect(ids("9.c, 17.6", .sdg) == ["SDG-9.c", "SDG-17.6"])
        #expect(ids("5b; 9a", .sdg) == ["SDG-5.b [5b]", "SDG-9.a [9a]"])
        #expect(ids("SDG 9、Goal 11；目标4", .sdg) == ["SDG-9 [SDG 9]", "SDG-11 [Goal 11]", "SDG-4 [目标4]"])
        #expect(ids("9.C, SDG-9.c, 9.c.1, 17.10", .sdg) == ["SDG-9.c [9.C]", "SDG-9.c", "SDG-9.c.1", "SDG-17.10"])
        #expect(ids("16 (16.5, 16.6)", .sdg) == ["SDG-16", "SDG-16.5", "SDG-16.6"])
        #expect(ids("all", .sdg) == ["SDG-ALL"])
        #expect(ids("9.z", .sdg) == ["ERROR goal 9 has no target 9.z (its targets: 9.1 … 9.c)"])
        #expect(ids("18", .sdg) == ["ERROR there are 17 SDGs; goal 18 does not exist"])
        #expect(ids("9.c.7", .sdg) == ["ERROR target 9.c has no indicator 9.c.7 (its indicators: 9.c.1)"])
        #expect(ids("broadband", .sdg).first?.hasPrefix("ERROR 'broadband' is not an SDG code") == true)
    }

    @Test func wsisActionLines() {
        #expect(ids("C2, c7; WSIS-C11", .wsis) == ["WSIS-C2", "WSIS-C7 [c7]", "WSIS-C11"])
        #expect(ids("C7 e-health", .wsis) == ["WSIS-C7.e-health [C7 e-health]"])
        #expect(ids("C7.e-learning, e-government, C 5", .wsis) == ["WSIS-C7.e-learning", "WSIS-C7.e-government [e-government]", "WSIS-C5 [C 5]"])
        #expect(ids("C12", .wsis) == ["ERROR there are 11 WSIS action lines (C1 … C11); C12 does not exist"])
        #expect(ids("C3 e-health", .wsis).first?.hasPrefix("ERROR only C7 has sub-lines") == true)
        #expect(ids("C7 e-banking", .wsis).first?.hasPrefix("ERROR C7 has no sub-line 'e-banking' (its sub-lines: e-agriculture") == true)
        #expect(ids("all", .wsis) == ["WSIS-ALL"])
    }

    @Test func mandates() {
        #expect(ids("WTDC Res. 37, PP Res. 139", .mandates) == ["WTDC-RES-37 [WTDC Res. 37]", "PP-RES-139 [PP Res. 139]"])
        #expect(ids("WTDC-RES-17; Res. 37 (WTDC); PP第139号决议", .mandates)
                == ["WTDC-RES-17", "WTDC-RES-37 [Res. 37 (WTDC)]", "PP-RES-139 [PP第139号决议]"])
        // A bare number continues the assembly and type before it.
        #expect(ids("WTDC Res. 37, 17", .mandates) == ["WTDC-RES-37 [WTDC Res. 37]", "WTDC-RES-17 [17]"])
        #expect(ids("PP Dec. 5, ITU-D Rec. 15, WTDC-22 Res. 37 (Rev. Kigali, 2022)", .mandates)
                == ["PP-DEC-5 [PP Dec. 5]", "ITU-D-REC-15 [ITU-D Rec. 15]", "WTDC-RES-37 [WTDC-22 Res. 37 (Rev. Kigali, 2022)]"])
        #expect(ids("all WTDC resolutions", .mandates) == ["WTDC-RES-ALL [all WTDC resolutions]"])
        #expect(ids("Res. 179", .mandates) == ["ERROR 'Res. 179' does not say which assembly adopted it (write WTDC Res. 179, PP Res. 179, PP Dec. 179 or ITU-D Rec. 179)"])
        #expect(ids("WTDC Res. 99", .mandates).first?.hasPrefix("ERROR WTDC resolution 99 (WTDC-RES-99) is not in the itu-resolutions dataset") == true)
        #expect(ids("WTDC Dec. 5", .mandates).first?.contains("decisions are the Plenipotentiary Conference's") == true)
    }
}

@Suite("Plan import from sheet cells")
struct PlanImporterTests {
    let graph = Repository.loaded.graph

    /// A sheet from rows of text, positions as a CSV file would give them.
    func sheet(_ rows: [[String]]) -> PlanSheet {
        PlanSheet(fileName: "plan.csv", sheet: nil, rows: rows.enumerated().map { index, cells in
            let line = index + 1
            return PlanSheetRow(number: line, place: "line \(line)", reference: "plan.csv:\(line):1", cells: cells.enumerated().compactMap { column, text in
                text.isEmpty ? nil : PlanSheetCell(text: text, column: column + 1, reference: "plan.csv:\(line):\(column + 1)",
                                                  place: "line \(line), field \(column + 1)")
            })
        }, numbersAreTyped: false)
    }

    @Test func everyBadCellIsReportedWithItsPlace() {
        let result = PlanImporter(name: "t", graph: graph).run(sheet([
            ["ID", "Parent", "Label (EN)", "label_zh", "SDG", "WSIS", "Mandates"],
            ["T-1", "", "Group", "组", "", "", ""],
            ["T-1.1", "T-1", "One", "", "9.z", "C12", "Res. 179"],
            ["T-1.2", "T-9", "Two", "二", "9.c", "", ""],
            ["T-1.1", "", "Again", "", "", "", ""],
            ["has space", "", "Bad id", "", "", "", ""],
            ["BAAP-OUT-2.1", "", "Taken", "", "", "", ""],
            ["T-3", "", "", "", "", "", ""],
        ]))
        #expect(result.errors.map(\.description) == [
            "plan.csv:3:5: error: goal 9 has no target 9.z (its targets: 9.1 … 9.c)",
            "plan.csv:3:6: error: there are 11 WSIS action lines (C1 … C11); C12 does not exist",
            "plan.csv:3:7: error: 'Res. 179' does not say which assembly adopted it (write WTDC Res. 179, PP Res. 179, PP Dec. 179 or ITU-D Rec. 179)",
            "plan.csv:4:2: error: parent 'T-9' is not the id of a row of this sheet",
            "plan.csv:5:1: error: duplicate id 'T-1.1' (first in plan.csv:3:1)",
            "plan.csv:6:1: error: 'has space' is not an id: ids are codes of letters, digits and . - / _ (no spaces), such as NBP-1.2",
            "plan.csv:7:1: error: the id 'BAAP-OUT-2.1' is already used by dataset baap-2018-2021; ids are unique across all datasets (--id-prefix puts a prefix of your own before the sheet's ids)",
            "plan.csv:8:1: error: row 'T-3' has no label (label_en and label_zh are both empty)",
        ])
        // What is left: the group alone (its only children had errors), now an element.
        #expect(result.plan.elements.map(\.id) == ["T-1"])
        #expect(result.plan.elements[0].isGroup == false)
    }

    @Test func rowsBecomeElementsGroupsAndCitedLinks() throws {
        let result = PlanImporter(name: "t", idPrefix: "T-", graph: graph).run(sheet([
            ["id", "parent", "label_en", "label_zh", "sdg", "wsis", "mandates", "Budget CHF"],
            ["1", "", "Pillar", "支柱", "", "", "", ""],
            ["1.1", "1", "Fibre", "", "9.c, 9c", "C7 e-health", "WTDC Res. 37", "100"],
        ]))
        #expect(result.errors.isEmpty, "\(result.problems)")
        #expect(result.problems.map(\.description) == ["plan.csv:3:5: warning: '9c' names SDG-9.c again in this cell; the link is kept once"])
        let plan = result.plan
        #expect(plan.elements.map(\.id) == ["T-1", "T-1.1"])
        #expect(plan.elements.map(\.isGroup) == [true, false])
        let fibre = plan.elements[1]
        #expect(fibre.label == LocalizedText(zh: "Fibre", en: "Fibre"))
        #expect(fibre.labelCopied == .zh)
        #expect(fibre.attributes["budget_chf"] == .string("100"))  // CSV values are text
        #expect(fibre.links.map(\.relation) == [.partOf, .advancesSDG, .supportsWSIS, .implements])
        #expect(fibre.links[1].place == "line 3, field 5")
        #expect(fibre.links[1].quote == "9.c, 9c")
        #expect(fibre.links[2].targets == [ImportedTarget(id: "WSIS-C7.e-health", asWritten: "C7 e-health")])

        let text = ImportedDatasetText.files(for: plan, requires: ["itu-resolutions", "sdg", "wsis"])
        #expect(text.map(\.name) == ["manifest.yaml", "plan.yaml"])
        #expect(text[0].text.contains("generated_by: linkage import\n"))
        #expect(text[0].text.contains("    groups: t-group\n"))
        #expect(text[1].text.contains("        cite: {at: \"line 3, field 6\", quote: \"C7 e-health\"}\n"))
        #expect(text[1].text.contains("          - {id: \"WSIS-C7.e-health\", as_written: \"C7 e-health\"}\n"))
    }

    /// A plan larger than one file may be (the loader's limit) is written to several, split
    /// between rows; a small one stays one `plan.yaml`.
    @Test func aLargePlanIsSplitIntoFilesTheLoaderAccepts() throws {
        let codes = ["9.c", "17.6", "4.4", "5.b", "8.2"]
        let rows = [["id", "parent", "label_en", "label_zh", "sdg"], ["G1", "", "Group", "组", ""]]
            + (1...7_000).map { ["E\($0)", "G1", "Synthetic plan element \($0) on infrastructure and services", "合成计划要素 \($0)", codes.joined(separator: ", ")] }
        let result = PlanImporter(name: "big", idPrefix: "B-", graph: graph).run(sheet(rows))
        #expect(result.errors.isEmpty)
        let files = ImportedDatasetText.files(for: result.plan, requires: ["sdg"])
        #expect(files.map(\.name) == ["manifest.yaml", "plan.yaml", "plan-2.yaml"])
        #expect(files[0].text.contains("files: [plan.yaml, plan-2.yaml]\n"))
        for file in files.dropFirst() {
            #expect(file.text.utf8.count <= ImportedDatasetText.maxDataFileBytes)
            #expect(file.text.utf8.count < InputLimits.maxFileBytes)
            #expect(file.text.contains("defaults:\n  doc: plan\n\nnodes:\n  - id: "))
        }
        // Every row once, in order, across the files.
        let ids = files.dropFirst().flatMap { $0.text.split(separator: "\n").filter { $0.hasPrefix("  - id: ") } }
        #expect(ids.count == 7_001)
        #expect(ids.first == "  - id: \"B-G1\"" && ids.last == "  - id: \"B-E7000\"")
    }

    @Test func yamlQuotingIsSafeForAnyText() {
        #expect(YAMLText.quoted("a \"b\" \\ c") == #""a \"b\" \\ c""#)
        #expect(YAMLText.quoted("line\nnext\u{7}") == #""line\nnext\u0007""#)
        #expect(YAMLText.quoted("- = @ # : 应急") == "\"- = @ # : 应急\"")
    }
}

@Suite("Plan tables for export")
struct PlanTableTests {
    @Test func baapGroupsComeBeforeTheirOutputs() throws {
        let graph = Repository.loaded.graph
        let table = PlanTable(plan: graph.resolve(try #require(graph.plan(named: "BAAP"))), graph: graph)
        #expect(Array(table.header.prefix(7)) == ["id", "parent", "label_en", "label_zh", "sdg", "wsis", "mandates"])
        let ids = table.rows.map { $0[0].text }
        #expect(ids.prefix(3) == ["BAAP-OBJ-1", "BAAP-OUT-1.1", "BAAP-OUT-1.2"])
        #expect(ids.count == 21)
        let output23 = try #require(table.rows.first { $0[0].text == "BAAP-OUT-2.3" })
        #expect(output23[1].text == "BAAP-OBJ-2")
        #expect(output23[4].text.contains("5.b"))
        #expect(output23[6].text.contains("WTDC-RES-34"))
    }
}
