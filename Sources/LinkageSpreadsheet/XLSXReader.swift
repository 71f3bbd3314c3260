import Foundation
import XMLCoder
import ZIPFoundation

/// Reads one sheet of an XLSX workbook: the file is a ZIP archive (ZIPFoundation) of XML parts
/// (decoded with XMLCoder), so no spreadsheet program is needed. Reads what plan mappings hold:
/// text (shared, inline and rich-text strings), numbers, booleans and formula results as last
/// saved; ignores styles, comments and drawings.
public enum XLSXReader {
    /// The sheets of a workbook, in the order the workbook lists them.
    public static func sheetNames(contentsOf url: URL, displayName: String) throws -> [String] {
        let archive = try open(url, displayName: displayName)
        return try workbookSheets(archive, displayName: displayName).map(\.name)
    }

    /// Reads the sheet named `sheet`, or the first sheet.
    public static func read(contentsOf url: URL, displayName: String, sheet: String? = nil) throws -> SpreadsheetTable {
        let archive = try open(url, displayName: displayName)
        let sheets = try workbookSheets(archive, displayName: displayName)
        guard !sheets.isEmpty else { throw SpreadsheetError(file: displayName, "the workbook has no sheets") }
        let chosen: (name: String, path: String)
        if let sheet {
            guard let match = sheets.first(where: { $0.name == sheet })
                ?? sheets.first(where: { $0.name.lowercased() == sheet.lowercased() }) else {
                throw SpreadsheetError(file: displayName, "no sheet '\(sheet)'; its sheets: \(sheets.map(\.name).joined(separator: ", "))")
            }
            chosen = match
        } else {
            chosen = sheets[0]
        }
        let strings = try sharedStrings(archive, displayName: displayName)
        guard let data = try part(chosen.path, in: archive, displayName: displayName) else {
            throw SpreadsheetError(file: displayName, "the workbook lists sheet '\(chosen.name)' but has no part \(chosen.path)")
        }
        let worksheet: WorksheetXML
        do {
            worksheet = try decoder().decode(WorksheetXML.self, from: data)
        } catch {
            throw SpreadsheetError(file: displayName, "sheet '\(chosen.name)' is not a readable worksheet (\(chosen.path): \(error))")
        }
        var rows: [SpreadsheetRow] = []
        var nextRow = 1
        for row in worksheet.sheetData.row ?? [] {
            let rowNumber = row.r ?? nextRow
            nextRow = rowNumber + 1
            var cells: [SpreadsheetCell] = []
            var nextColumn = 1
            for cell in row.c ?? [] {
                var column = nextColumn
                if let reference = cell.r, let parsed = CellPosition.parse(cellName: reference) { column = parsed.column }
                nextColumn = column + 1
                let position = CellPosition(file: displayName, sheet: chosen.name, row: rowNumber, column: column)
                guard let (text, isNumber) = try value(of: cell, strings: strings, position: position) else { continue }
                cells.append(SpreadsheetCell(text: text, isNumber: isNumber, position: position))
            }
            if !cells.isEmpty { rows.append(SpreadsheetRow(number: rowNumber, cells: cells)) }
        }
        return SpreadsheetTable(file: displayName, sheet: chosen.name, rows: rows)
    }

    // MARK: Parts

    static func open(_ url: URL, displayName: String) throws -> Archive {
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw SpreadsheetError(file: displayName, "cannot read the file")
        }
        do {
            return try Archive(url: url, accessMode: .read)
        } catch {
            throw SpreadsheetError(file: displayName, "not an XLSX workbook (not a ZIP archive); .xls files from Excel 97–2003 must be saved as .xlsx first")
        }
    }

    static func part(_ path: String, in archive: Archive, displayName: String) throws -> Data? {
        guard let entry = archive[path] else { return nil }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in data.append(chunk) }
        } catch {
            throw SpreadsheetError(file: displayName, "the part \(path) cannot be extracted (\(error))")
        }
        return data
    }

    static func decoder() -> XMLDecoder {
        // Keep spaces inside text (a label may begin with one); drop the whitespace between elements.
        let decoder = XMLDecoder(trimValueWhitespaces: false, removeWhitespaceElements: true)
        decoder.shouldProcessNamespaces = true
        return decoder
    }

    /// The sheets with the archive path of each, from xl/workbook.xml and its relationships.
    static func workbookSheets(_ archive: Archive, displayName: String) throws -> [(name: String, path: String)] {
        guard let workbookData = try part("xl/workbook.xml", in: archive, displayName: displayName) else {
            throw SpreadsheetError(file: displayName, "not an XLSX workbook (no xl/workbook.xml)")
        }
        let workbook: WorkbookXML
        let relationships: RelationshipsXML
        do {
            workbook = try decoder().decode(WorkbookXML.self, from: workbookData)
            let relsData = try part("xl/_rels/workbook.xml.rels", in: archive, displayName: displayName) ?? Data()
            relationships = try decoder().decode(RelationshipsXML.self, from: relsData)
        } catch {
            throw SpreadsheetError(file: displayName, "the workbook's sheet list cannot be read (\(error))")
        }
        var targets: [String: String] = [:]
        for relationship in relationships.Relationship ?? [] { targets[relationship.Id] = relationship.Target }
        return (workbook.sheets.sheet ?? []).compactMap { sheet in
            guard let target = targets[sheet.id] else { return nil }
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            return (sheet.name, path)
        }
    }

    static func sharedStrings(_ archive: Archive, displayName: String) throws -> [String] {
        guard let data = try part("xl/sharedStrings.xml", in: archive, displayName: displayName) else { return [] }
        do {
            let table = try decoder().decode(SharedStringsXML.self, from: data)
            return (table.si ?? []).map(\.text)
        } catch {
            throw SpreadsheetError(file: displayName, "the shared strings cannot be read (\(error))")
        }
    }

    /// A cell's text and whether it is a number; nil for an empty cell.
    static func value(of cell: CellXML, strings: [String], position: CellPosition) throws -> (String, Bool)? {
        switch cell.t ?? "n" {
        case "s":
            guard let v = cell.v, let index = Int(v.trimmingCharacters(in: .whitespaces)), strings.indices.contains(index) else {
                throw SpreadsheetError(file: position.description, "the cell refers to a shared string the workbook does not have")
            }
            return strings[index].isEmpty ? nil : (strings[index], false)
        case "inlineStr":
            let text = cell.is?.text ?? ""
            return text.isEmpty ? nil : (text, false)
        case "str", "e", "d":
            guard let v = cell.v, !v.isEmpty else { return nil }
            return (v, false)
        case "b":
            guard let v = cell.v else { return nil }
            return (v == "1" ? "TRUE" : "FALSE", false)
        default:
            guard let v = cell.v?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return (shortestNumber(v), true)
        }
    }

    /// `9.1000000000000005` (how a program may store 9.1) as `9.1`; `12.0` as `12`.
    static func shortestNumber(_ stored: String) -> String {
        guard let d = Double(stored) else { return stored }
        if d.rounded() == d, abs(d) < 1e15 { return String(Int(d)) }
        return String(d)
    }
}

// MARK: The XML parts, as far as reading cell values needs them

struct WorkbookXML: Decodable {
    struct Sheets: Decodable { var sheet: [Sheet]? }
    struct Sheet: Decodable {
        var name: String
        /// The relationship id (`r:id`), the key of the sheet's part in the relationships.
        var id: String
        enum CodingKeys: String, CodingKey { case name, id, prefixedID = "r:id" }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            // XMLCoder strips namespace prefixes from element names but, depending on the
            // writer's declarations, not always from attributes.
            id = try container.decodeIfPresent(String.self, forKey: .prefixedID) ?? container.decode(String.self, forKey: .id)
        }
    }
    var sheets: Sheets
}

struct RelationshipsXML: Decodable {
    struct Relationship: Decodable {
        var Id: String
        var Target: String
    }
    var Relationship: [Relationship]?
}

/// `<t>` may carry `xml:space="preserve"`; its text is the element's value.
struct TextXML: Decodable {
    var value: String?
    enum CodingKeys: String, CodingKey { case value = "" }
}

/// A shared or inline string: plain (`<t>`) or rich text (runs `<r><t>…</t></r>`); phonetic
/// runs (`<rPh>`) are not part of the text.
struct StringItemXML: Decodable {
    struct Run: Decodable { var t: TextXML? }
    var t: TextXML?
    var r: [Run]?

    var text: String {
        if let runs = r { return runs.map { $0.t?.value ?? "" }.joined() }
        return t?.value ?? ""
    }
}

struct SharedStringsXML: Decodable { var si: [StringItemXML]? }

struct CellXML: Decodable {
    var r: String?
    var t: String?
    var v: String?
    var `is`: StringItemXML?
}

struct WorksheetXML: Decodable {
    struct SheetData: Decodable { var row: [RowXML]? }
    struct RowXML: Decodable {
        var r: Int?
        var c: [CellXML]?
    }
    var sheetData: SheetData
}
