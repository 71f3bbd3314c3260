import CXLSXWriter
import Foundation

// Writing XLSX workbooks through libxlsxwriter (Debian: libxlsxwriter-dev), for plan exports and
// for any report that wants one workbook per analysis.
//
// API in brief:
//
//     var sheet = Worksheet(name: "Plan", columns: [
//         WorksheetColumn(header: "id"), WorksheetColumn(header: "budget_chf"),
//     ])
//     sheet.rows.append([.text("BAAP-OUT-2.1"), .number(1_250_000)])
//     let data = try XLSXWriter.data(for: Workbook(sheets: [sheet], title: "BAAP"))
//     try data.write(to: url)          // or hand the bytes to an atomic file writer
//
// Every workbook has, per sheet: a bold header row that stays in view (frozen) with a filter,
// column widths fitted to the content (CJK characters counted double, within 8…60), text cells
// written as text — so an id or a label that begins with =, +, - or @ is never a formula — and
// numbers as numbers. The bytes depend only on the content: the document's creation date is a
// fixed value (libxlsxwriter would otherwise stamp the current time into docProps/core.xml).

/// A workbook to write: its sheets in order and the document's title.
public struct Workbook: Sendable, Hashable {
    public var sheets: [Worksheet]
    /// The document title (File › Properties); optional.
    public var title: String?

    public init(sheets: [Worksheet], title: String? = nil) {
        self.sheets = sheets
        self.title = title
    }
}

/// One sheet: a header row and data rows.
public struct Worksheet: Sendable, Hashable {
    /// The tab's name. Characters Excel forbids (`[]:*?/\`) become `_`; longer than 31
    /// characters is shortened; a name used twice gets ` (2)`.
    public var name: String
    public var columns: [WorksheetColumn]
    public var rows: [[WorksheetCell]]

    public init(name: String, columns: [WorksheetColumn], rows: [[WorksheetCell]] = []) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }
}

public struct WorksheetColumn: Sendable, Hashable {
    public var header: String
    /// Width in characters; nil to fit the content.
    public var width: Double?
    /// Wrap long text in this column (labels, notes); the width then stays at most 60.
    public var wrap: Bool

    public init(header: String, width: Double? = nil, wrap: Bool = false) {
        self.header = header
        self.width = width
        self.wrap = wrap
    }
}

public enum WorksheetCell: Sendable, Hashable, ExpressibleByStringLiteral {
    case text(String)
    case number(Double)
    case integer(Int)
    case boolean(Bool)
    case empty

    public init(stringLiteral value: String) { self = .text(value) }

    /// How the cell reads, for width fitting.
    var displayText: String {
        switch self {
        case .text(let s): s
        case .number(let d): d.rounded() == d && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .integer(let i): String(i)
        case .boolean(let b): b ? "TRUE" : "FALSE"
        case .empty: ""
        }
    }
}

public struct XLSXWriteError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

public enum XLSXWriter {
    /// The creation date written into every workbook (2000-01-01T00:00:00Z), so that the same
    /// content gives the same bytes.
    public static let fixedCreationDate: time_t = 946_684_800

    /// Excel's limit on the text of one cell.
    public static let maximumCellText = 32_767

    /// The workbook as XLSX bytes.
    public static func data(for workbook: Workbook) throws -> Data {
        // libxlsxwriter writes to a file name (1.1.4 has no memory output): write into a private
        // temporary folder and read the bytes back.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("linkage-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("workbook.xlsx")
        try write(workbook, toNewFile: file)
        return try Data(contentsOf: file)
    }

    /// Writes the workbook to a file that must not exist yet (callers that replace files write
    /// `data(for:)` atomically instead).
    static func write(_ workbook: Workbook, toNewFile file: URL) throws {
        guard let book = workbook_new(file.path) else {
            throw XLSXWriteError(message: "libxlsxwriter cannot create a workbook at \(file.path)")
        }
        var closed = false
        defer { if !closed { _ = workbook_close(book) } }

        let title = strdup(workbook.title ?? "")
        defer { free(title) }
        var properties = lxw_doc_properties()
        properties.created = fixedCreationDate
        if workbook.title != nil { properties.title = title }
        try check(workbook_set_properties(book, &properties), "document properties")

        let header = workbook_add_format(book)
        format_set_bold(header)
        let wrapped = workbook_add_format(book)
        format_set_text_wrap(wrapped)
        format_set_align(wrapped, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))

        var usedNames = Set<String>()
        for sheet in workbook.sheets {
            let name = uniqueSheetName(sheet.name, used: &usedNames)
            guard let worksheet = workbook_add_worksheet(book, name) else {
                throw XLSXWriteError(message: "libxlsxwriter refused the sheet name '\(name)'")
            }
            for (index, column) in sheet.columns.enumerated() {
                try writeText(column.header, worksheet, row: 0, column: index, format: header, sheet: name)
            }
            for (rowIndex, row) in sheet.rows.enumerated() {
                for (columnIndex, cell) in row.enumerated() {
                    let wrap = columnIndex < sheet.columns.count && sheet.columns[columnIndex].wrap
                    let r = lxw_row_t(rowIndex + 1), c = lxw_col_t(columnIndex)
                    switch cell {
                    case .text(let text):
                        try writeText(text, worksheet, row: rowIndex + 1, column: columnIndex, format: wrap ? wrapped : nil, sheet: name)
                    case .number(let value):
                        try check(worksheet_write_number(worksheet, r, c, value, nil), "cell \(name)!\(cellName(rowIndex + 1, columnIndex))")
                    case .integer(let value):
                        try check(worksheet_write_number(worksheet, r, c, Double(value), nil), "cell \(name)!\(cellName(rowIndex + 1, columnIndex))")
                    case .boolean(let value):
                        try check(worksheet_write_boolean(worksheet, r, c, value ? 1 : 0, nil), "cell \(name)!\(cellName(rowIndex + 1, columnIndex))")
                    case .empty:
                        break
                    }
                }
            }
            for (index, column) in sheet.columns.enumerated() {
                let width = column.width ?? fittedWidth(column: index, of: sheet)
                _ = worksheet_set_column(worksheet, lxw_col_t(index), lxw_col_t(index), width, nil)
            }
            worksheet_freeze_panes(worksheet, 1, 0)
            if !sheet.columns.isEmpty {
                _ = worksheet_autofilter(worksheet, 0, 0, lxw_row_t(max(sheet.rows.count, 1)), lxw_col_t(sheet.columns.count - 1))
            }
        }
        closed = true
        try check(workbook_close(book), "writing \(file.lastPathComponent)")
    }

    private static func writeText(_ text: String, _ worksheet: UnsafeMutablePointer<lxw_worksheet>, row: Int, column: Int,
                                  format: UnsafeMutablePointer<lxw_format>?, sheet: String) throws {
        // A character takes at least one UTF-8 byte: most texts are known short without counting.
        guard text.utf8.count <= maximumCellText || text.count <= maximumCellText else {
            throw XLSXWriteError(message: "cell \(sheet)!\(cellName(row, column)) has \(text.count) characters; Excel holds at most \(maximumCellText) in a cell")
        }
        // worksheet_write_string always stores a string cell: text is never read as a formula.
        try check(worksheet_write_string(worksheet, lxw_row_t(row), lxw_col_t(column), text, format),
                  "cell \(sheet)!\(cellName(row, column))")
    }

    /// `what` is made only for an error (every cell is checked).
    private static func check(_ error: lxw_error, _ what: @autoclosure () -> String) throws {
        guard error != LXW_NO_ERROR else { return }
        throw XLSXWriteError(message: "libxlsxwriter: \(what()): \(String(cString: lxw_strerror(error)))")
    }

    static func cellName(_ row: Int, _ column: Int) -> String { CellPosition.columnLetters(column + 1) + String(row + 1) }

    /// A width in characters that shows the longest line of the column (header included), CJK
    /// characters counting double, within 8…60 (wrapped columns) or 8…80.
    static func fittedWidth(column index: Int, of sheet: Worksheet) -> Double {
        var widest = displayWidth(sheet.columns[index].header) + 2  // room for the filter button
        for row in sheet.rows where index < row.count {
            widest = max(widest, widestLine(row[index].displayText))
        }
        let limit = sheet.columns[index].wrap ? 60 : 80
        return Double(min(max(widest + 1, 8), limit))
    }

    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + width($1) }
    }

    /// The display width of the widest line of `text`. Lines end at each newline, except one
    /// after a carriage return: `\r\n` is one character, and is counted inside its line.
    static func widestLine(_ text: String) -> Int {
        var widest = 0, current = 0
        var afterCarriageReturn = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && !afterCarriageReturn {
                widest = max(widest, current)
                current = 0
            } else {
                current += width(scalar)
            }
            afterCarriageReturn = scalar == "\r"
        }
        return max(widest, current)
    }

    /// 2 for an ideograph, kana or a full-width or Hangul character, 1 for anything else.
    /// Nothing below U+3000 is wide: most text is answered without looking up its properties
    /// (a twentieth of `linkage all`, issue 9).
    static func width(_ scalar: Unicode.Scalar) -> Int {
        guard scalar.value >= 0x3000 else { return 1 }
        return scalar.properties.isIdeographic || (0x3000...0x30FF).contains(scalar.value)
            || (0xFF00...0xFFEF).contains(scalar.value) || (0xAC00...0xD7AF).contains(scalar.value) ? 2 : 1
    }

    /// A name Excel accepts, unique in the workbook (compared case-insensitively, as Excel does).
    static func uniqueSheetName(_ proposed: String, used: inout Set<String>) -> String {
        var base = String(proposed.map { "[]:*?/\\".contains($0) ? "_" : $0 })
        base = base.trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        if base.isEmpty { base = "Sheet" }
        if base.lowercased() == "history" { base += "_" }  // reserved by Excel
        var candidate = String(base.prefix(31))
        var n = 2
        while used.contains(candidate.lowercased()) {
            let suffix = " (\(n))"
            candidate = String(base.prefix(31 - suffix.count)) + suffix
            n += 1
        }
        used.insert(candidate.lowercased())
        return candidate
    }
}
