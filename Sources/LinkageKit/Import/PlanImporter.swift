import Foundation
import OrderedCollections

/// Turns a plan mapping sheet (`id,parent,label_en,label_zh,sdg,wsis,mandates`, more columns
/// allowed) into a dataset that declares a plan: one node per row, `part-of` its parent row,
/// and the declared links its code columns state, each citing its cell. Every problem is
/// collected (not only the first), with its cell. The column layout is documented in
/// docs/plan-import.md.
public struct PlanImporter: Sendable {
    /// The dataset (and plan) name.
    public var name: String
    /// Put before every id of the sheet (and every parent), for sheets that number their rows
    /// `1.1`, `1.2`: with the prefix `NBP-` they become `NBP-1.1`, `NBP-1.2`.
    public var idPrefix: String
    public var title: LocalizedText?
    /// The graph the codes are checked against: every dataset of the folder but the one being
    /// (re)imported.
    public var graph: LinkageGraph

    public init(name: String, idPrefix: String = "", title: LocalizedText? = nil, graph: LinkageGraph) {
        self.name = name
        self.idPrefix = idPrefix
        self.title = title
        self.graph = graph
    }

    public static let requiredColumns = ["id"]
    public static let layoutColumns = ["id", "parent", "label_en", "label_zh", "sdg", "wsis", "mandates"]

    /// Ids people can type and every tool can carry (file names, URLs, Graphviz).
    public static let idPattern = #"[A-Za-z0-9][A-Za-z0-9._/\-]*"#

    public struct Result: Sendable {
        /// The plan built from the rows without errors (all rows when there are none).
        public var plan: ImportedPlan
        /// Errors and warnings in sheet order.
        public var problems: [ImportProblem]
        /// Rows left out because of their errors, as (row reference, id as written).
        public var rowsLeftOut: [(reference: String, id: String)]

        public var errors: [ImportProblem] { problems.filter { $0.severity == .error } }
        public var hasErrors: Bool { problems.contains { $0.severity == .error } }
    }

    public func run(_ sheet: PlanSheet) -> Result {
        var problems: [ImportProblem] = []
        func error(_ message: String, _ reference: String) { problems.append(ImportProblem(.error, message, at: reference)) }
        func warning(_ message: String, _ reference: String) { problems.append(ImportProblem(.warning, message, at: reference)) }

        let emptyPlan = ImportedPlan(name: name, title: resolvedTitle(sheet), sourceFile: sheet.fileName, sheet: sheet.sheet,
                                     rowCount: 0, elements: [], attributeColumns: [])
        guard let headerRow = sheet.rows.first else {
            error("the sheet is empty; the first row must be the header: \(Self.layoutColumns.joined(separator: ","))", sheet.fileName)
            return Result(plan: emptyPlan, problems: problems, rowsLeftOut: [])
        }

        // MARK: Header
        var columnOf: [String: Int] = [:]
        var attributeColumns: OrderedDictionary<Int, String> = [:]
        for cell in headerRow.cells.sorted(by: { $0.column < $1.column }) {
            let name = Self.columnName(cell.text)
            if name.isEmpty { continue }
            if let first = columnOf[name] ?? attributeColumns.first(where: { $0.value == name })?.key {
                error("column '\(name)' appears twice (first in column \(first))", cell.reference)
                continue
            }
            if Self.layoutColumns.contains(name) {
                columnOf[name] = cell.column
            } else if name == "label" || name == "label_fr" {
                error("column '\(cell.text)': write label_en and/or label_zh", cell.reference)
            } else {
                attributeColumns[cell.column] = name
            }
        }
        guard let idColumn = columnOf["id"] else {
            let seen = headerRow.cells.map(\.text).joined(separator: ",")
            error("the header row has no 'id' column (it has: \(seen)); the layout is \(Self.layoutColumns.joined(separator: ","))", headerRow.reference)
            return Result(plan: emptyPlan, problems: problems, rowsLeftOut: [])
        }
        if columnOf["label_en"] == nil && columnOf["label_zh"] == nil {
            error("the header row has neither label_en nor label_zh; every row needs a label", headerRow.reference)
            return Result(plan: emptyPlan, problems: problems, rowsLeftOut: [])
        }

        // MARK: Ids
        let dataRows = Array(sheet.rows.dropFirst())
        var rowOfID: [String: PlanSheetRow] = [:]
        var badRows = Set<Int>()
        var idOfRow: [Int: String] = [:]
        let idRegex = try! Regex("^(?:" + Self.idPattern + ")$")
        for row in dataRows {
            guard let cell = row.cell(idColumn), !cell.text.trimmingCharacters(in: .whitespaces).isEmpty else {
                error("the row has no id (column \(CellName.letters(idColumn)))", row.reference)
                badRows.insert(row.number)
                continue
            }
            let written = cell.text.trimmingCharacters(in: .whitespaces)
            let id = idPrefix + written
            if (try? idRegex.wholeMatch(in: id)) == nil {
                error("'\(written)' is not an id: ids are codes of letters, digits and . - / _ (no spaces), such as NBP-1.2", cell.reference)
                badRows.insert(row.number)
                continue
            }
            if let first = rowOfID[id] {
                let numberHint = cell.isNumber ? " (the cell is a number; a spreadsheet stores 1.10 as 1.1: format the id column as text)" : ""
                error("duplicate id '\(id)' (first in \(first.reference))\(numberHint)", cell.reference)
                badRows.insert(row.number)
                continue
            }
            if let existing = graph.node(NodeID(id)) {
                error("the id '\(id)' is already used by dataset \(existing.dataset); ids are unique across all datasets (--id-prefix puts a prefix of your own before the sheet's ids)", cell.reference)
                badRows.insert(row.number)
                continue
            }
            rowOfID[id] = row
            idOfRow[row.number] = id
        }

        // MARK: Parents
        var parentOf: [String: (id: String, cell: PlanSheetCell)] = [:]
        if let parentColumn = columnOf["parent"] {
            for row in dataRows {
                guard let id = idOfRow[row.number], let cell = row.cell(parentColumn) else { continue }
                let written = cell.text.trimmingCharacters(in: .whitespaces)
                if written.isEmpty { continue }
                let parent = idPrefix + written
                if parent == id {
                    error("row '\(id)' names itself as its parent", cell.reference)
                    badRows.insert(row.number)
                } else if rowOfID[parent] == nil {
                    let hint = Suggestion.closestID(to: parent, in: rowOfID.keys).map { " (did you mean '\($0)'?)" } ?? ""
                    error("parent '\(written)' is not the id of a row of this sheet\(hint)", cell.reference)
                    badRows.insert(row.number)
                } else {
                    parentOf[id] = (parent, cell)
                }
            }
            // Loops (A under B under A) are errors at every row on the loop.
            for id in parentOf.keys.sorted(by: { NodeID($0) < NodeID($1) }) {
                var seen: [String] = [id]
                var current = id
                while let next = parentOf[current]?.id {
                    if next == id {
                        error("parents go round in a loop: \(seen.joined(separator: " → ")) → \(id)", parentOf[id]!.cell.reference)
                        badRows.insert(rowOfID[id]!.number)
                        break
                    }
                    if seen.contains(next) { break }
                    seen.append(next)
                    current = next
                }
            }
        }
        let hasChildren = Set(parentOf.values.map(\.id))

        // MARK: Rows
        let reader = LooseCodeReader(graph: graph)
        var elements: [ImportedElement] = []
        for row in dataRows {
            guard let id = idOfRow[row.number] else { continue }
            var rowOK = !badRows.contains(row.number)
            let en = columnOf["label_en"].flatMap { row.cell($0)?.text.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            let zh = columnOf["label_zh"].flatMap { row.cell($0)?.text.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            if en.isEmpty && zh.isEmpty {
                error("row '\(id)' has no label (label_en and label_zh are both empty)", row.reference)
                rowOK = false
            }
            var element = ImportedElement(
                id: id, isGroup: hasChildren.contains(id), label: LocalizedText(zh: zh.isEmpty ? en : zh, en: en.isEmpty ? zh : en),
                labelCopied: en.isEmpty ? .en : zh.isEmpty ? .zh : nil, place: row.place)
            if let parent = parentOf[id] {
                element.links.append(ImportedLinkGroup(relation: .partOf, place: parent.cell.place, quote: parent.cell.text,
                                                       targets: [ImportedTarget(id: parent.id, asWritten: nil)]))
            }
            for column in LooseCodeReader.Column.allCases {
                guard let index = columnOf[column.rawValue], let cell = row.cell(index) else { continue }
                var targets: [ImportedTarget] = []
                for (token, result) in reader.read(cell.text, column: column) {
                    switch result {
                    case .failure(let problem):
                        error(problem.message, cell.reference)
                        rowOK = false
                    case .success(let reading):
                        if targets.contains(where: { $0.id == reading.id.rawValue }) {
                            warning("'\(token)' names \(reading.id) again in this cell; the link is kept once", cell.reference)
                            continue
                        }
                        targets.append(ImportedTarget(id: reading.id.rawValue, asWritten: reading.asWritten))
                    }
                }
                if column == .sdg, cell.isNumber, let number = Double(cell.text), let ambiguity = Self.numericAmbiguity(number, graph: graph) {
                    warning("the cell is a number, \(cell.text); if \(ambiguity) was meant, format the column as text and type it again", cell.reference)
                }
                if !targets.isEmpty {
                    element.links.append(ImportedLinkGroup(relation: column.relation, place: cell.place, quote: cell.text, targets: targets))
                }
            }
            if element.isGroup, element.links.contains(where: { $0.relation != .partOf }) {
                warning("row '\(id)' has rows under it, so it is a group of the plan (like an objective), not an element; analyses count the links of elements only", row.reference)
            }
            for (index, attribute) in attributeColumns {
                guard let cell = row.cell(index) else { continue }
                let text = cell.text.trimmingCharacters(in: .whitespacesAndNewlines)
                if text.isEmpty { continue }
                // Only a file that types its cells (XLSX) has numbers: in CSV "1.1" may be a code
                // and "1" a section number, so every CSV value stays text.
                let isNumber = sheet.numbersAreTyped && cell.isNumber
                if isNumber, let value = Int(text) {
                    element.attributes[attribute] = .integer(value)
                } else if isNumber, let value = Double(text) {
                    element.attributes[attribute] = .number(value)
                } else {
                    element.attributes[attribute] = .string(text)
                }
            }
            if rowOK {
                elements.append(element)
            } else {
                badRows.insert(row.number)
            }
        }

        // Children of rows left out keep their place in the plan, without the part-of link.
        let kept = Set(elements.map(\.id))
        for index in elements.indices {
            if let parent = parentOf[elements[index].id], !kept.contains(parent.id) {
                elements[index].links.removeAll { $0.relation == .partOf }
                warning("parent '\(parent.id)' has errors; '\(elements[index].id)' is kept without it", parent.cell.reference)
            }
            if elements[index].isGroup, !elements.contains(where: { e in parentOf[e.id]?.id == elements[index].id }) {
                elements[index].isGroup = false
            }
        }
        if dataRows.isEmpty { error("the sheet has a header row but no plan elements", headerRow.reference) }

        let sortedProblems = problems.enumerated().sorted { a, b in
            let x = Self.sortKey(a.element.reference), y = Self.sortKey(b.element.reference)
            return x != y ? x.lexicographicallyPrecedes(y) : a.offset < b.offset
        }.map(\.element)
        let leftOut = dataRows.filter { badRows.contains($0.number) }.map { row in
            (reference: row.reference, id: row.cell(idColumn)?.text ?? "")
        }
        let plan = ImportedPlan(name: name, title: resolvedTitle(sheet), sourceFile: sheet.fileName, sheet: sheet.sheet,
                                rowCount: dataRows.count, elements: elements,
                                attributeColumns: Array(attributeColumns.values), rowsLeftOut: leftOut.map { "\($0.reference) (\($0.id))" })
        return Result(plan: plan, problems: sortedProblems, rowsLeftOut: leftOut)
    }

    func resolvedTitle(_ sheet: PlanSheet) -> LocalizedText {
        title ?? LocalizedText(zh: "\(name)（从\(sheet.fileName)导入的规划）", en: "\(name) (plan imported from \(sheet.fileName))")
    }

    /// `Label (EN)` → `label_en`; `SDG` → `sdg`; `Budget CHF` → `budget_chf`.
    public static func columnName(_ header: String) -> String {
        var result = ""
        var pendingUnderscore = false
        for scalar in header.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingUnderscore && !result.isEmpty { result += "_" }
                pendingUnderscore = false
                result.unicodeScalars.append(scalar)
            } else {
                pendingUnderscore = true
            }
        }
        return result
    }

    /// A number like 17.1 that a person may have typed as 17.10: returns `17.10` when that target exists.
    static func numericAmbiguity(_ value: Double, graph: LinkageGraph) -> String? {
        let text = String(value)
        guard text.hasSuffix(".1") || text.hasSuffix(".2") || text.hasSuffix(".3") else { return nil }
        let padded = text + "0"
        return graph.contains(NodeID("SDG-" + padded)) ? padded : nil
    }

    /// Sorts references in sheet order: by row, then column, whatever their form.
    static func sortKey(_ reference: String) -> [Int] {
        if let bang = reference.lastIndex(of: "!") {
            let cell = reference[reference.index(after: bang)...]
            let letters = cell.prefix { $0.isLetter }
            let row = Int(cell.dropFirst(letters.count)) ?? 0
            return [row, CellName.column(String(letters))]
        }
        let numbers = reference.split(separator: ":").compactMap { Int($0) }
        return numbers.isEmpty ? [0, 0] : numbers + [0]
    }
}

/// Spreadsheet column names: 1 ↔ A, 27 ↔ AA.
enum CellName {
    static func letters(_ column: Int) -> String {
        var n = column
        var result = ""
        while n > 0 {
            result = String(UnicodeScalar(UInt8(65 + (n - 1) % 26))) + result
            n = (n - 1) / 26
        }
        return result
    }

    static func column(_ letters: String) -> Int {
        letters.uppercased().unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 }
    }
}

/// A plan read from a sheet, ready to be written as a dataset folder.
public struct ImportedPlan: Sendable {
    public var name: String
    public var title: LocalizedText
    public var sourceFile: String
    public var sheet: String?
    public var rowCount: Int
    public var elements: [ImportedElement]
    public var attributeColumns: [String]
    /// Rows left out with --allow-errors, for the manifest's notes.
    public var rowsLeftOut: [String] = []

    public var elementKind: String { "\(name)-element" }
    public var groupKind: String { "\(name)-group" }
    public var hasGroups: Bool { elements.contains(where: \.isGroup) }
}

public struct ImportedElement: Sendable {
    public var id: String
    /// The row has rows under it: a group of the plan (like an objective), not an element.
    public var isGroup: Bool
    public var label: LocalizedText
    /// The language whose label cell was empty and was filled from the other.
    public var labelCopied: Language?
    /// The row, for the node's citation.
    public var place: String
    public var attributes: OrderedDictionary<String, AttributeValue> = [:]
    public var links: [ImportedLinkGroup] = []
}

public struct ImportedLinkGroup: Sendable {
    public var relation: RelationKind
    /// The cell, for the link's citation.
    public var place: String
    /// The cell's text, verbatim.
    public var quote: String
    public var targets: [ImportedTarget]
}

public struct ImportedTarget: Sendable, Hashable {
    public var id: String
    public var asWritten: String?

    public init(id: String, asWritten: String?) {
        self.id = id
        self.asWritten = asWritten
    }
}
