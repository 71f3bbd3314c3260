import Foundation
import LinkageKit
import LinkageSpreadsheet

/// `<analysis>.xlsx`: every table of a result as one sheet of one workbook, for people who work
/// with the tables in Excel. Sheets are named by table id and headed by column ids, like the
/// CSVs (a test reads both back and compares them); numbers are numbers, ids and labels text
/// (a label that begins with `=` stays text), control characters shown as `\u{…}`. libxlsxwriter does the writing (LinkageSpreadsheet):
/// bold frozen header row, fitted widths, fixed document date so the bytes are deterministic.
public enum ReportWorkbook {
    public static func fileName(_ analysisID: String) -> String { "\(analysisID).xlsx" }

    public static func workbook(title: String, tables: [ResultTable]) -> Workbook {
        Workbook(sheets: tables.map(sheet), title: title)
    }

    static func sheet(_ table: ResultTable) -> Worksheet {
        // Long free text (labels, quotes, notes) wraps; short codes and numbers do not.
        let wraps = table.columns.indices.map { i in
            table.rows.contains { row in i < row.count && row[i].description.count > 60 }
        }
        return Worksheet(name: table.id,
                         columns: table.columns.enumerated().map { i, column in WorksheetColumn(header: column.id, wrap: wraps[i]) },
                         rows: table.rows.map { $0.map(cell) })
    }

    static func cell(_ value: TableValue) -> WorksheetCell {
        switch value {
        // Control and bidi characters as visible `\u{…}` escapes, as in every text output
        // (XML cannot hold most of them; libxlsxwriter would write `_x001B_` or cut at NUL).
        case .text(let text): text.isEmpty ? .empty : .text(InertText.visible(text))
        case .id(let id): .text(InertText.visible(id.rawValue))
        case .integer(let number): .integer(number)
        // Rounded to the places the analysis gives, as the CSV writes it.
        case .decimal(let number, let places): number.isFinite ? .number(Double(formatDecimal(number, places: places)) ?? number) : .text(String(number))
        case .empty: .empty
        }
    }
}
