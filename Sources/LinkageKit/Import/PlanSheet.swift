import OrderedCollections

/// A plan mapping as read from a spreadsheet, before it is checked: the header row and the data
/// rows, every cell with the place a person finds it at. The reading of CSV and XLSX files lives
/// in LinkageSpreadsheet; the kit only needs the cells.
public struct PlanSheet: Sendable {
    /// The source file's name as the manifest records it (`plan.xlsx`).
    public var fileName: String
    /// The sheet read (XLSX), nil for CSV.
    public var sheet: String?
    /// Every non-empty row, header first.
    public var rows: [PlanSheetRow]
    /// The file says which cells are numbers (XLSX). In a CSV file every cell is text, and so
    /// is every attribute imported from it.
    public var numbersAreTyped: Bool

    public init(fileName: String, sheet: String?, rows: [PlanSheetRow], numbersAreTyped: Bool) {
        self.fileName = fileName
        self.sheet = sheet
        self.rows = rows
        self.numbersAreTyped = numbersAreTyped
    }
}

public struct PlanSheetRow: Sendable {
    /// Row number (XLSX) or line (CSV).
    public var number: Int
    /// Where the row is, for a node's citation: `Sheet1 row 12` or `line 12`.
    public var place: String
    /// Where the row is, for messages: `plan.xlsx:Sheet1!A12` or `plan.csv:12:1`.
    public var reference: String
    public var cells: [PlanSheetCell]

    public init(number: Int, place: String, reference: String, cells: [PlanSheetCell]) {
        self.number = number
        self.place = place
        self.reference = reference
        self.cells = cells
    }

    public func cell(_ column: Int) -> PlanSheetCell? { cells.first { $0.column == column } }
}

public struct PlanSheetCell: Sendable {
    public var text: String
    /// Stored as a number by the spreadsheet (codes typed as numbers lose trailing zeros).
    public var isNumber: Bool
    /// 1-based column.
    public var column: Int
    /// For messages: `plan.csv:12:5` or `plan.xlsx:Sheet1!E12`.
    public var reference: String
    /// For citations, the place inside the file: `Sheet1!E12` or `line 12, field 5`.
    public var place: String

    public init(text: String, isNumber: Bool = false, column: Int, reference: String, place: String) {
        self.text = text
        self.isNumber = isNumber
        self.column = column
        self.reference = reference
        self.place = place
    }
}

/// A problem found in a sheet, printed like a compiler's: `plan.csv:12:5: error: message`.
public struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
    public var severity: Diagnostic.Severity
    public var message: String
    /// `plan.csv:12:5`, `plan.xlsx:Sheet1!E12`, or the file alone.
    public var reference: String

    public init(_ severity: Diagnostic.Severity, _ message: String, at reference: String) {
        self.severity = severity
        self.message = message
        self.reference = reference
    }

    public var description: String { "\(reference): \(severity.rawValue): \(message)" }
}
