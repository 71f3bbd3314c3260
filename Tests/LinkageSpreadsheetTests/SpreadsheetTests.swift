import Foundation
import LinkageSpreadsheet
import LinkageTestSupport
import Testing

@Suite("CSV tables with cell positions")
struct CSVTableTests {
    @Test func quotedFieldsKeepTheirLineAndField() throws {
        let text = "id,label_en,sdg\r\nA-1,\"Two\nlines\",\"9.c, 17.6\"\nA-2,\"He said \"\"hi\"\"\",5b\n"
        let table = try CSVTableReader.read(Data(text.utf8), displayName: "plan.csv")
        #expect(table.rows.map(\.number) == [1, 2, 4])
        let first = table.rows[1]
        #expect(first.cell(2)?.text == "Two\nlines")
        // The field after a line break inside quotes starts on the next line.
        #expect(first.cell(3)?.position.description == "plan.csv:3:3")
        #expect(table.rows[2].cell(2)?.text == "He said \"hi\"")
        #expect(table.rows[2].cell(3)?.position.description == "plan.csv:4:3")
    }

    @Test func byteOrderMarkAndSemicolonsAreUnderstood() throws {
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data("id;label_zh;sdg\nA-1;应急通信;9.1, 9.c\n".utf8))
        let table = try CSVTableReader.read(data, displayName: "plan.csv")
        #expect(table.rows[0].cell(1)?.text == "id")
        #expect(table.rows[1].cell(2)?.text == "应急通信")
        #expect(table.rows[1].cell(3)?.text == "9.1, 9.c")
    }

    @Test func badFilesSayWhatIsWrong() throws {
        let gbk = Data([0x69, 0x64, 0x0A, 0xD3, 0xA6, 0xBC, 0xB1])  // "id\n应急" in GBK
        #expect(throws: SpreadsheetError.self) { try CSVTableReader.read(gbk, displayName: "plan.csv") }
        do {
            _ = try CSVTableReader.read(Data("id,label_en\nA,\"never closed\n".utf8), displayName: "plan.csv")
            Issue.record("an unclosed quote must be an error")
        } catch let error as SpreadsheetError {
            #expect(error.description.hasPrefix("plan.csv:2:2: error: a quoted field is never closed"))
        }
    }

    @Test func cellNames() {
        #expect(CellPosition.columnLetters(1) == "A")
        #expect(CellPosition.columnLetters(26) == "Z")
        #expect(CellPosition.columnLetters(27) == "AA")
        #expect(CellPosition.parse(cellName: "AB12")! == (row: 12, column: 28))
        #expect(CellPosition(file: "p.xlsx", sheet: "My plan", row: 3, column: 5).description == "p.xlsx:'My plan'!E3")
    }
}

@Suite("XLSX workbooks: written with libxlsxwriter, read back by linkage and by openpyxl")
struct XLSXTests {
    static let hostile = "=HYPERLINK(\"http://example.invalid\",\"click\")"

    static func sampleWorkbook() -> Workbook {
        var sheet = Worksheet(name: "Plan: 2023/24?", columns: [
            WorksheetColumn(header: "id"), WorksheetColumn(header: "label_zh", wrap: true),
            WorksheetColumn(header: "budget_chf"), WorksheetColumn(header: "share"),
        ])
        sheet.rows = [
            [.text("NBP-1.1"), .text("将光纤骨干网延伸至每个区"), .integer(12_500_000), .number(0.25)],
            [.text("-1"), .text(hostile), .empty, .boolean(true)],
            [.text("@SUM(A1)"), .text("+1"), .integer(-3), .number(1.5)],
        ]
        return Workbook(sheets: [sheet, Worksheet(name: "Plan: 2023/24?", columns: [WorksheetColumn(header: "x")])],
                        title: "Test")
    }

    @Test func twoWritesGiveTheSameBytes() throws {
        let first = try XLSXWriter.data(for: Self.sampleWorkbook())
        Thread.sleep(forTimeInterval: 1.1)  // libxlsxwriter would stamp the time to the second
        let second = try XLSXWriter.data(for: Self.sampleWorkbook())
        #expect(first == second)
        #expect(first.starts(with: [0x50, 0x4B, 0x03, 0x04]))  // a ZIP archive
    }

    @Test func linkageReadsBackWhatItWrote() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("book.xlsx")
        try XLSXWriter.data(for: Self.sampleWorkbook()).write(to: file)
        let names = try XLSXReader.sheetNames(contentsOf: file, displayName: "book.xlsx")
        #expect(names == ["Plan_ 2023_24_", "Plan_ 2023_24_ (2)"])
        let table = try XLSXReader.read(contentsOf: file, displayName: "book.xlsx")
        #expect(table.rows[1].cell(2)?.text == "将光纤骨干网延伸至每个区")
        #expect(table.rows[1].cell(3)?.text == "12500000")
        #expect(table.rows[1].cell(3)?.isNumber == true)
        #expect(table.rows[1].cell(4)?.text == "0.25")
        #expect(table.rows[2].cell(2)?.text == Self.hostile)
        #expect(table.rows[2].cell(2)?.isNumber == false)
        #expect(table.rows[2].cell(3) == nil)
        #expect(table.rows[2].cell(4)?.text == "TRUE")
        #expect(table.rows[3].cell(2)?.position.description == "book.xlsx:'Plan_ 2023_24_'!B4")
    }

    /// openpyxl (Python) opens the workbook: values and types as written, no formula anywhere,
    /// header bold and frozen, widths set, Chinese intact.
    @Test func openpyxlOpensItAsWritten() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("book.xlsx")
        try XLSXWriter.data(for: Self.sampleWorkbook()).write(to: file)
        let script = """
            import json, sys, openpyxl
            book = openpyxl.load_workbook(sys.argv[1])
            sheet = book.worksheets[0]
            rows = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
            print(json.dumps({
                "sheets": book.sheetnames, "rows": rows, "freeze": sheet.freeze_panes,
                "bold": [c.font.b for c in sheet[1]], "width_b": sheet.column_dimensions["B"].width,
                "title": book.properties.title, "created": book.properties.created.isoformat(),
            }, ensure_ascii=False))
            """
        let output = try runPython(script, arguments: [file.path])
        let result = try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: Any]
        #expect(result["sheets"] as? [String] == ["Plan_ 2023_24_", "Plan_ 2023_24_ (2)"])
        #expect(result["freeze"] as? String == "A2")
        #expect(result["bold"] as? [Bool] == [true, true, true, true])
        #expect((result["width_b"] as? Double ?? 0) > 20)
        #expect(result["title"] as? String == "Test")
        #expect(result["created"] as? String == "2000-01-01T00:00:00")
        let rows = result["rows"] as! [[[Any]]]
        func cell(_ r: Int, _ c: Int) -> (value: Any, type: String) { (rows[r][c][0], rows[r][c][1] as! String) }
        #expect(cell(1, 1).value as? String == "将光纤骨干网延伸至每个区")
        #expect(cell(1, 2).value as? Int == 12_500_000 && cell(1, 2).type == "n")
        #expect(cell(1, 3).value as? Double == 0.25 && cell(1, 3).type == "n")
        // Text that looks like a formula is a string cell ("s"), never a formula ("f").
        for (r, c) in [(2, 0), (2, 1), (3, 0), (3, 1)] {
            #expect(cell(r, c).type == "s", "row \(r) column \(c)")
        }
        #expect(cell(2, 1).value as? String == Self.hostile)
        #expect(cell(2, 3).value as? Bool == true)
    }

    @Test func readsAWorkbookAnotherProgramWrote() throws {
        // examples/plans/*.xlsx are written by openpyxl (scripts/make-example-plans.py).
        let file = Repository.root.appendingPathComponent("examples/plans/national-broadband-plan.xlsx")
        let table = try XLSXReader.read(contentsOf: file, displayName: "nbp.xlsx")
        #expect(table.sheet == "Plan")
        #expect(table.rows.count == 16)
        #expect(table.rows[0].cells.map(\.text) == ["id", "parent", "label_en", "label_zh", "sdg", "wsis", "mandates", "budget_chf", "lead"])
        let telehealth = try #require(table.rows.first { $0.cell(1)?.text == "NBP-2.4" })
        #expect(telehealth.cell(5)?.text == "3.8")
        #expect(telehealth.cell(5)?.isNumber == true)
        #expect(telehealth.cell(4)?.text == "区级医院的远程医疗")
        #expect(throws: SpreadsheetError.self) { try XLSXReader.read(contentsOf: file, displayName: "nbp.xlsx", sheet: "Nope") }
    }
}

/// Runs a Python snippet (openpyxl is installed by scripts/setup.sh) and returns its output.
func runPython(_ script: String, arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let output = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw PythonFailure(message: "python3 failed (is openpyxl installed? run scripts/setup.sh): " + String(decoding: errors, as: UTF8.self))
    }
    return String(decoding: output, as: UTF8.self)
}

struct PythonFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
