import Foundation

/// Reads a CSV file (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes) into a
/// table whose cells know their line and field number.
///
/// Written by hand because the CSV libraries available here (CSV.swift, SwiftCSV) give records
/// but not the line each field starts on, and an error that cannot say `plan.csv:12:5` is of
/// little use in a sheet of hundreds of rows. The delimiter is taken from the header line:
/// a comma, or a semicolon or tab where the header has those and no comma (Excel writes CSV
/// with semicolons in locales whose decimal mark is a comma).
public enum CSVTableReader {
    public static func read(contentsOf url: URL, displayName: String) throws -> SpreadsheetTable {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SpreadsheetError(file: displayName, "cannot read the file: \(error.localizedDescription)")
        }
        return try read(data, displayName: displayName)
    }

    public static func read(_ data: Data, displayName: String) throws -> SpreadsheetTable {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw SpreadsheetError(file: displayName, "the file is UTF-16 text; save it as CSV UTF-8 (in Excel: Save As › CSV UTF-8)")
        }
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw SpreadsheetError(
                file: displayName,
                "the file is not UTF-8 text (Excel's plain \"CSV\" uses the computer's code page, e.g. GBK for Chinese); save it as CSV UTF-8, or import the .xlsx itself")
        }
        return try parse(text, displayName: displayName)
    }

    static func parse(_ text: String, displayName: String) throws -> SpreadsheetTable {
        let scalars = Array(text.unicodeScalars)
        let delimiter = detectDelimiter(scalars)
        var rows: [SpreadsheetRow] = []
        var cells: [SpreadsheetCell] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var recordLine = 1
        var fieldLine = 1
        var column = 1
        var quoted = false
        var fieldWasQuoted = false
        var quoteOpenedAt = 0
        var i = 0

        func endField() {
            let value = String(field)
            if !value.isEmpty || fieldWasQuoted {
                cells.append(SpreadsheetCell(
                    text: value, position: CellPosition(file: displayName, sheet: nil, row: fieldLine, column: column)))
            }
            field = String.UnicodeScalarView()
            fieldWasQuoted = false
            column += 1
        }
        func endRecord() {
            endField()
            let row = SpreadsheetRow(number: recordLine, cells: cells)
            if !row.cells.isEmpty { rows.append(row) }
            cells = []
            column = 1
        }

        while i < scalars.count {
            let c = scalars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < scalars.count, scalars[i + 1] == "\"" {
                        field.append("\"")
                        i += 2
                        continue
                    }
                    quoted = false
                } else {
                    if c == "\n" { line += 1 }
                    if c == "\r" {
                        if i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1 }
                        line += 1
                        field.append("\n")
                        i += 1
                        continue
                    }
                    field.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !fieldWasQuoted:
                quoted = true
                fieldWasQuoted = true
                quoteOpenedAt = line
            case delimiter:
                endField()
                fieldLine = line
            case "\r", "\n":
                if c == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1 }
                endRecord()
                line += 1
                recordLine = line
                fieldLine = line
            default:
                field.append(c)
            }
            i += 1
        }
        if quoted {
            throw SpreadsheetError(
                file: "\(displayName):\(quoteOpenedAt):\(column)",
                "a quoted field is never closed (a \" opens it here and the file ends inside it)")
        }
        if !field.isEmpty || !cells.isEmpty || fieldWasQuoted { endRecord() }
        return SpreadsheetTable(file: displayName, sheet: nil, rows: rows)
    }

    /// The delimiter of the header line (outside quotes): a comma unless the line has none and
    /// has semicolons or tabs.
    static func detectDelimiter(_ scalars: [Unicode.Scalar]) -> Unicode.Scalar {
        var counts: [Unicode.Scalar: Int] = [",": 0, ";": 0, "\t": 0]
        var quoted = false
        for c in scalars {
            if c == "\"" { quoted.toggle() }
            if !quoted && (c == "\n" || c == "\r") { break }
            if !quoted, counts[c] != nil { counts[c]! += 1 }
        }
        if counts[","]! > 0 { return "," }
        if counts[";"]! > 0 { return ";" }
        if counts["\t"]! > 0 { return "\t" }
        return ","
    }
}
