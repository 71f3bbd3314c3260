/// A table read from a spreadsheet file (a CSV file or one sheet of an XLSX workbook), every cell
/// with the place a person finds it at, so that errors can point at the cell.
public struct SpreadsheetTable: Sendable, Hashable {
    /// The file as the user named it (printed in messages as given).
    public var file: String
    /// The sheet's name for XLSX; nil for CSV.
    public var sheet: String?
    /// Non-empty rows in file order.
    public var rows: [SpreadsheetRow]

    public init(file: String, sheet: String?, rows: [SpreadsheetRow]) {
        self.file = file
        self.sheet = sheet
        self.rows = rows
    }
}

/// One row: its cells by column (1-based), empty cells left out.
public struct SpreadsheetRow: Sendable, Hashable {
    /// The row number (XLSX) or the line the record starts on (CSV).
    public var number: Int
    public var cells: [SpreadsheetCell]

    public init(number: Int, cells: [SpreadsheetCell]) {
        self.number = number
        self.cells = cells
    }

    /// The cell in a column (1-based), if it is not empty.
    public func cell(_ column: Int) -> SpreadsheetCell? { cells.first { $0.position.column == column } }

    /// True when no cell has text other than whitespace.
    public var isBlank: Bool { cells.allSatisfy { $0.text.allSatisfy(\.isWhitespace) } }
}

/// A cell's content as a person sees it, and whether the file stores it as a number.
public struct SpreadsheetCell: Sendable, Hashable {
    /// The text: a string cell as written; a number in its shortest form (`9.1`, `12`).
    public var text: String
    /// The file stores a number (XLSX numeric cell). A code typed as a number loses trailing
    /// zeros (`17.10` becomes 17.1), which importers may want to warn about.
    public var isNumber: Bool
    public var position: CellPosition

    public init(text: String, isNumber: Bool = false, position: CellPosition) {
        self.text = text
        self.isNumber = isNumber
        self.position = position
    }
}

/// Where a cell is: printed the way compilers print places, `plan.csv:12:5` for CSV (line and
/// field number) and `plan.xlsx:Sheet1!E12` for XLSX (sheet and cell, as Excel names it).
public struct CellPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var sheet: String?
    /// 1-based row number (XLSX) or line (CSV).
    public var row: Int
    /// 1-based column (field number in CSV).
    public var column: Int

    public init(file: String, sheet: String?, row: Int, column: Int) {
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
    }

    /// `E12`: the cell's name in a spreadsheet program.
    public var cellName: String { CellPosition.columnLetters(column) + String(row) }

    /// `plan.csv:12:5` or `plan.xlsx:Sheet1!E12`.
    public var description: String {
        if let sheet { return "\(file):\(CellPosition.quotedSheet(sheet))!\(cellName)" }
        return "\(file):\(row):\(column)"
    }

    /// The place inside the file, without the file: `Sheet1!E12` or `line 12, field 5`.
    public var placeInFile: String {
        if let sheet { return "\(CellPosition.quotedSheet(sheet))!\(cellName)" }
        return "line \(row), field \(column)"
    }

    public static func < (a: CellPosition, b: CellPosition) -> Bool {
        (a.file, a.sheet ?? "", a.row, a.column) < (b.file, b.sheet ?? "", b.row, b.column)
    }

    /// 1 → A, 26 → Z, 27 → AA.
    public static func columnLetters(_ column: Int) -> String {
        var n = column
        var letters: [Character] = []
        while n > 0 {
            let remainder = (n - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(65 + remainder))), at: 0)
            n = (n - 1) / 26
        }
        return String(letters)
    }

    /// Excel's way of naming a sheet in a reference: quoted when it holds anything but letters,
    /// digits and underscores (`'My plan'!A1`).
    static func quotedSheet(_ name: String) -> String {
        let plain = name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" }
        return plain ? name : "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// Parses `E12` into (row 12, column 5).
    public static func parse(cellName: String) -> (row: Int, column: Int)? {
        var column = 0
        var digits = ""
        for scalar in cellName.unicodeScalars {
            if digits.isEmpty, ("A"..."Z").contains(scalar) {
                column = column * 26 + Int(scalar.value - 64)
            } else if ("0"..."9").contains(scalar) {
                digits.unicodeScalars.append(scalar)
            } else {
                return nil
            }
        }
        guard column > 0, let row = Int(digits), row > 0 else { return nil }
        return (row, column)
    }
}

/// A spreadsheet that cannot be read at all (not a ZIP, no such sheet, not UTF-8 text), with
/// the file it is about.
public struct SpreadsheetError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var message: String
    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }
    public var description: String { "\(file): error: \(message)" }
}
