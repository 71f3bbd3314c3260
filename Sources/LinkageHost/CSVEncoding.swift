import Foundation

/// CSV as spreadsheets and data tools read it: RFC 4180 quoting, UTF-8, LF line ends, a
/// final newline. `byteOrderMark` prefixes U+FEFF, which Excel needs to detect UTF-8 (Chinese
/// labels); off by default because other tools then see it as part of the first header.
///
/// Formula injection: Excel, LibreOffice Calc and Google Sheets evaluate a cell that starts
/// with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)`, `=cmd|…`), and also one that starts
/// with a tab or carriage return. As OWASP's CSV Injection page and ASVS 5.0 requirement 1.2.10
/// recommend, such a cell is written with a leading `'`, which spreadsheets take as "this is
/// text" and do not show; NUL is treated the same way. A cell that is a plain number
/// (`-12`, `-0.5`) is left alone: it cannot be a formula. Tools that read the CSV as data see
/// the `'`; the JSON export carries every value exactly.
///
/// Written by hand into one byte buffer per file rather than through CSV.swift's `CSVWriter`:
/// that writer makes one `OutputStream.write` call per byte and five substring searches per
/// field (a quarter of `linkage all`'s time, issue 9), and it decides on quoting by whole
/// characters, so a `"` or `,` followed by a combining mark went out unquoted. Quoting here
/// is by byte: a field with `"`, `,`, CR or LF is quoted and its `"` doubled (RFC 4180).
/// Nothing in the workbench links CSV.swift any more; the tests read these files back with it.
public enum CSVEncoding {
    public static func encode(header: [String], rows: [[String]], byteOrderMark: Bool = false) -> Data {
        var bytes: [UInt8] = byteOrderMark ? [0xEF, 0xBB, 0xBF] : []
        bytes.reserveCapacity(4096)
        // As CSVWriter did: a line break before every row but the first one that has a field.
        var wroteField = false
        func append(_ row: [String]) {
            for (index, cell) in row.enumerated() {
                if index == 0 {
                    if wroteField { bytes.append(0x0A) }
                    wroteField = true
                } else {
                    bytes.append(0x2C)
                }
                appendField(neutralised(cell), to: &bytes)
            }
        }
        append(header)
        for row in rows { append(row) }
        bytes.append(0x0A)
        return Data(bytes)
    }

    /// One field, quoted when it holds a quote, a comma, CR or LF.
    static func appendField(_ field: String, to bytes: inout [UInt8]) {
        var field = field
        field.withUTF8 { utf8 in
            let needsQuotes = utf8.contains { $0 == 0x22 || $0 == 0x2C || $0 == 0x0D || $0 == 0x0A }
            guard needsQuotes else {
                bytes.append(contentsOf: utf8)
                return
            }
            bytes.append(0x22)
            for byte in utf8 {
                if byte == 0x22 { bytes.append(0x22) }
                bytes.append(byte)
            }
            bytes.append(0x22)
        }
    }

    static let formulaStarters: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "\0"]

    /// The cell as written: with a leading `'` when a spreadsheet would take it for a formula.
    public static func neutralised(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, formulaStarters.contains(first), !isPlainNumber(cell) else { return cell }
        return "'" + cell
    }

    /// `-12`, `+3`, `-0.25`: an optional sign, digits, an optional fraction.
    static func isPlainNumber(_ cell: String) -> Bool {
        var scalars = Substring(cell).unicodeScalars[...]
        if let sign = scalars.first, sign == "-" || sign == "+" { scalars = scalars.dropFirst() }
        let parts = String(scalars).split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy { $0.value >= 48 && $0.value <= 57 } }
    }
}
