import CSV
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
public enum CSVEncoding {
    public static func encode(header: [String], rows: [[String]], byteOrderMark: Bool = false) -> Data {
        let stream = OutputStream(toMemory: ())
        // Writing to memory cannot fail; the writer only throws for closed or full streams.
        let writer = try! CSVWriter(stream: stream)
        try! writer.write(row: header.map(neutralised))
        for row in rows { try! writer.write(row: row.map(neutralised)) }
        stream.close()
        var data = Data(byteOrderMark ? [0xEF, 0xBB, 0xBF] : [])
        data.append(stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data())
        data.append(0x0A)
        return data
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
