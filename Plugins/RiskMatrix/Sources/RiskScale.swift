import Foundation
import LinkageKit

/// The risk matrix in use: its axes, its levels, and the explicit table that gives the level of
/// every (likelihood, impact) cell. The level is looked up in the table, never computed as a
/// product, so that a reader can see and change every cell.
public struct RiskScale: Sendable, Equatable {
    public struct Level: Sendable, Equatable {
        public var id: String
        public var label: LocalizedText
        /// `#RRGGBB`
        public var colour: String
    }

    public var name: LocalizedText
    /// Number of positions on each axis (3 or 5 for the built-in tables).
    public var size: Int
    /// Lowest first.
    public var levels: [Level]
    /// Axis labels, position 1 (lowest) first.
    public var likelihood: [LocalizedText]
    public var impact: [LocalizedText]
    /// Where the documents' three-level words (`low|medium|high`) sit on this scale's axes, or
    /// nil: then three-level assessments cannot be placed and the run is refused.
    public var threeLevelPositions: [(word: String, position: Int)]?
    /// `cells[l - 1][i - 1]` is the index in `levels` of likelihood position l and impact position i.
    public var cells: [[Int]]
    /// Where the table comes from: "built-in 3×3" or the file given with `levels=`.
    public var origin: String

    public static func == (a: RiskScale, b: RiskScale) -> Bool {
        a.name == b.name && a.size == b.size && a.levels == b.levels && a.likelihood == b.likelihood && a.impact == b.impact
            && a.cells == b.cells
            && a.threeLevelPositions?.map(\.word) == b.threeLevelPositions?.map(\.word)
            && a.threeLevelPositions?.map(\.position) == b.threeLevelPositions?.map(\.position)
    }

    /// The level of a cell (positions 1-based).
    public func level(likelihood l: Int, impact i: Int) -> Level { levels[cells[l - 1][i - 1]] }
    public func levelRank(likelihood l: Int, impact i: Int) -> Int { cells[l - 1][i - 1] }

    /// Where a three-level word sits, if the table maps it.
    public func position(ofThreeLevelWord word: String) -> Int? {
        threeLevelPositions?.first { $0.word == word }?.position
    }

    /// True when no cell is lower than the cell below it or to its left (more likely or more
    /// severe never means a lower level). A table may break this on purpose; the report says so.
    public var isMonotone: Bool {
        for l in 1...size {
            for i in 1...size {
                if l > 1 && levelRank(likelihood: l, impact: i) < levelRank(likelihood: l - 1, impact: i) { return false }
                if i > 1 && levelRank(likelihood: l, impact: i) < levelRank(likelihood: l, impact: i - 1) { return false }
            }
        }
        return true
    }

    public var sizeName: String { "\(size)×\(size)" }
}

/// The tables as written by a person: level ids in the cells, likelihood rows keyed by position.
/// Built-in tables and level files both go through `RiskScale.make`, which checks them alike.
struct RiskScaleDefinition {
    var name: LocalizedText
    var size: Int
    var levels: [RiskScale.Level]
    var likelihood: [LocalizedText]
    var impact: [LocalizedText]
    var threeLevelPositions: [(word: String, position: Int)]?
    /// Likelihood position → the level ids of its cells, impact lowest first.
    var matrix: [(likelihood: Int, levels: [String])]
}

extension RiskScale {
    static let threeLevelWords = ["low", "medium", "high"]

    struct DefinitionError: Error, CustomStringConvertible {
        var line: Int?
        var message: String
        var description: String { line.map { "line \($0): \(message)" } ?? message }
    }

    static func make(_ d: RiskScaleDefinition, origin: String) throws -> RiskScale {
        guard (2...9).contains(d.size) else { throw DefinitionError(message: "size must be 2…9, got \(d.size)") }
        guard !d.levels.isEmpty else { throw DefinitionError(message: "no levels") }
        var levelIndex: [String: Int] = [:]
        for (i, level) in d.levels.enumerated() {
            guard levelIndex[level.id] == nil else { throw DefinitionError(message: "level '\(level.id)' is listed twice") }
            guard isColour(level.colour) else {
                throw DefinitionError(message: "level '\(level.id)': colour must be \"#RRGGBB\" (in quotes), got '\(level.colour)'")
            }
            levelIndex[level.id] = i
        }
        guard d.likelihood.count == d.size else {
            throw DefinitionError(message: "likelihood lists \(d.likelihood.count) positions, size is \(d.size)")
        }
        guard d.impact.count == d.size else {
            throw DefinitionError(message: "impact lists \(d.impact.count) positions, size is \(d.size)")
        }
        var cells = Array(repeating: [Int](), count: d.size)
        for row in d.matrix {
            guard (1...d.size).contains(row.likelihood) else {
                throw DefinitionError(message: "matrix row for likelihood position \(row.likelihood): positions are 1…\(d.size)")
            }
            guard cells[row.likelihood - 1].isEmpty else {
                throw DefinitionError(message: "matrix row for likelihood position \(row.likelihood) is given twice")
            }
            guard row.levels.count == d.size else {
                throw DefinitionError(message: "matrix row for likelihood position \(row.likelihood) has \(row.levels.count) cells, size is \(d.size)")
            }
            cells[row.likelihood - 1] = try row.levels.map { id in
                guard let index = levelIndex[id] else {
                    throw DefinitionError(message: "matrix row for likelihood position \(row.likelihood): unknown level '\(id)'; levels: \(d.levels.map(\.id).joined(separator: ", "))")
                }
                return index
            }
        }
        if let missing = cells.indices.first(where: { cells[$0].isEmpty }) {
            throw DefinitionError(message: "the matrix has no row for likelihood position \(missing + 1)")
        }
        if let mapping = d.threeLevelPositions {
            guard mapping.map(\.word) == threeLevelWords else {
                throw DefinitionError(message: "three_level_positions must map exactly low, medium, high (in that order)")
            }
            guard mapping.allSatisfy({ (1...d.size).contains($0.position) }) else {
                throw DefinitionError(message: "three_level_positions must be positions 1…\(d.size)")
            }
            guard mapping[0].position < mapping[1].position, mapping[1].position < mapping[2].position else {
                throw DefinitionError(message: "three_level_positions must increase: low < medium < high")
            }
        }
        return RiskScale(name: d.name, size: d.size, levels: d.levels, likelihood: d.likelihood, impact: d.impact,
                         threeLevelPositions: d.threeLevelPositions, cells: cells, origin: origin)
    }

    static func isColour(_ text: String) -> Bool {
        text.count == 7 && text.hasPrefix("#") && UInt32(text.dropFirst(), radix: 16) != nil
    }
}

// MARK: The built-in tables, written out cell by cell

extension RiskScale {
    /// The 3×3 table: the low/medium/high scale OP-23 §2.6 rates likelihood (概率) and impact
    /// (影响程度) on. OP-23 prints no level for its risks; these levels are this analysis's
    /// reading, stated in the report. Rows are likelihood, highest first; columns impact, lowest first.
    static let builtIn3x3: RiskScale = try! make(RiskScaleDefinition(
        name: LocalizedText(zh: "3×3 风险矩阵（低/中/高，OP-23 §2.6 的等级）", en: "3×3 risk matrix (low/medium/high, the scale of OP-23 §2.6)"),
        size: 3,
        levels: [
            .init(id: "low", label: LocalizedText(zh: "低", en: "Low"), colour: "#66BB6A"),
            .init(id: "medium", label: LocalizedText(zh: "中", en: "Medium"), colour: "#FFCA28"),
            .init(id: "high", label: LocalizedText(zh: "高", en: "High"), colour: "#E53935"),
        ],
        likelihood: [LocalizedText(zh: "低", en: "Low"), LocalizedText(zh: "中", en: "Medium"), LocalizedText(zh: "高", en: "High")],
        impact: [LocalizedText(zh: "低", en: "Low"), LocalizedText(zh: "中", en: "Medium"), LocalizedText(zh: "高", en: "High")],
        threeLevelPositions: [("low", 1), ("medium", 2), ("high", 3)],
        matrix: [
            //                   impact:  low       medium    high
            (likelihood: 3, levels: ["medium", "high", "high"]),    // high
            (likelihood: 2, levels: ["low", "medium", "high"]),     // medium
            (likelihood: 1, levels: ["low", "low", "medium"]),      // low
        ]), origin: "built-in 3×3")

    /// The 5×5 table. Its cells were drawn up by hand (they follow the common bands of
    /// likelihood × impact: 1–4 low, 5–9 medium, 10–16 high, 20–25 very high) and are
    /// written out here, not computed. The documents' three-level ratings sit on positions
    /// 2, 3, 4 (low, medium, high): the middle of the scale, so a printed 高 is never shown as
    /// "very high" and positions 1 and 5 stay empty for them.
    static let builtIn5x5: RiskScale = try! make(RiskScaleDefinition(
        name: LocalizedText(zh: "5×5 风险矩阵（极低/低/中/高/极高）", en: "5×5 risk matrix (very low to very high)"),
        size: 5,
        levels: [
            .init(id: "low", label: LocalizedText(zh: "低", en: "Low"), colour: "#66BB6A"),
            .init(id: "medium", label: LocalizedText(zh: "中", en: "Medium"), colour: "#FFCA28"),
            .init(id: "high", label: LocalizedText(zh: "高", en: "High"), colour: "#FB8C00"),
            .init(id: "very-high", label: LocalizedText(zh: "极高", en: "Very high"), colour: "#C62828"),
        ],
        likelihood: [LocalizedText(zh: "极低", en: "Very low"), LocalizedText(zh: "低", en: "Low"), LocalizedText(zh: "中", en: "Medium"),
                     LocalizedText(zh: "高", en: "High"), LocalizedText(zh: "极高", en: "Very high")],
        impact: [LocalizedText(zh: "极低", en: "Very low"), LocalizedText(zh: "低", en: "Low"), LocalizedText(zh: "中", en: "Medium"),
                 LocalizedText(zh: "高", en: "High"), LocalizedText(zh: "极高", en: "Very high")],
        threeLevelPositions: [("low", 2), ("medium", 3), ("high", 4)],
        matrix: [
            //                   impact:  very low  low       medium    high         very high
            (likelihood: 5, levels: ["medium", "high", "high", "very-high", "very-high"]),  // very high
            (likelihood: 4, levels: ["low", "medium", "high", "high", "very-high"]),        // high
            (likelihood: 3, levels: ["low", "medium", "medium", "high", "high"]),           // medium
            (likelihood: 2, levels: ["low", "low", "medium", "medium", "high"]),            // low
            (likelihood: 1, levels: ["low", "low", "low", "low", "medium"]),                // very low
        ]), origin: "built-in 5×5")

    static func builtIn(size: Int) -> RiskScale? {
        switch size {
        case 3: builtIn3x3
        case 5: builtIn5x5
        default: nil
        }
    }
}

// MARK: Level files

extension RiskScale {
    /// Reads a level file (format: see the shipped `levels/risk-levels-3x3.yaml`).
    static func load(file path: String) throws -> RiskScale {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DefinitionError(message: "cannot read the file '\(path)'")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DefinitionError(message: "'\(path)' is not UTF-8 text")
        }
        return try parse(text, origin: path)
    }

    static func parse(_ text: String, origin: String) throws -> RiskScale {
        let root: YAMLValue
        do {
            root = try YAMLValue.parse(text)
        } catch let error as YAMLSyntaxError {
            throw DefinitionError(line: error.line, message: error.message)
        }
        let top = try mapping(root, "the file", allowed: ["name", "size", "levels", "likelihood", "impact", "three_level_positions", "matrix"],
                              required: ["size", "levels", "likelihood", "impact", "matrix"])
        let size = try integer(top["size"]!, "size")
        let name = try top["name"].map { try labels($0, "name") } ?? LocalizedText(zh: origin, en: origin)

        guard case .sequence(let levelItems, let levelsLine) = top["levels"]! else {
            throw DefinitionError(line: top["levels"]!.line, message: "levels must be a list, lowest first")
        }
        if levelItems.isEmpty { throw DefinitionError(line: levelsLine, message: "levels is empty") }
        let levels = try levelItems.map { item -> Level in
            let fields = try mapping(item, "a level", allowed: ["id", "en", "zh", "colour"], required: ["id", "en", "zh", "colour"])
            return Level(id: try scalar(fields["id"]!, "level id"),
                         label: LocalizedText(zh: try scalar(fields["zh"]!, "zh"), en: try scalar(fields["en"]!, "en")),
                         colour: try scalar(fields["colour"]!, "colour (write it in quotes: \"#E53935\")"))
        }
        func axis(_ key: String) throws -> [LocalizedText] {
            guard case .sequence(let items, _) = top[key]! else {
                throw DefinitionError(line: top[key]!.line, message: "\(key) must be a list of {en: …, zh: …}, position 1 (lowest) first")
            }
            return try items.map { try labels($0, "a \(key) position") }
        }
        let likelihood = try axis("likelihood")
        let impact = try axis("impact")

        var mappingList: [(word: String, position: Int)]?
        if let value = top["three_level_positions"] {
            let fields = try mapping(value, "three_level_positions", allowed: Set(threeLevelWords), required: threeLevelWords)
            mappingList = try threeLevelWords.map { ($0, try integer(fields[$0]!, "three_level_positions.\($0)")) }
        }

        guard case .mapping(let rows, let matrixLine) = top["matrix"]! else {
            throw DefinitionError(line: top["matrix"]!.line, message: "matrix must map each likelihood position (1…\(size)) to a list of level ids, impact lowest first")
        }
        let matrix = try rows.map { row -> (likelihood: Int, levels: [String]) in
            guard let position = Int(row.key) else {
                throw DefinitionError(line: row.value.line, message: "matrix keys are likelihood positions 1…\(size), got '\(row.key)'")
            }
            guard case .sequence(let items, _) = row.value else {
                throw DefinitionError(line: row.value.line, message: "matrix row \(position) must be a list of level ids: [low, medium, high]")
            }
            return (position, try items.map { try scalar($0, "a level id") })
        }
        if matrix.isEmpty { throw DefinitionError(line: matrixLine, message: "matrix is empty") }
        return try make(RiskScaleDefinition(name: name, size: size, levels: levels, likelihood: likelihood, impact: impact,
                                            threeLevelPositions: mappingList, matrix: matrix), origin: origin)
    }

    private static func mapping(_ value: YAMLValue, _ what: String, allowed: Set<String>, required: [String]) throws -> [String: YAMLValue] {
        guard case .mapping(let entries, let line) = value else {
            throw DefinitionError(line: value.line, message: "\(what) must be a mapping (key: value pairs), got \(value.kindName)")
        }
        var fields: [String: YAMLValue] = [:]
        for entry in entries {
            guard allowed.contains(entry.key) else {
                throw DefinitionError(line: entry.value.line, message: "unknown key '\(entry.key)' in \(what)\(Suggestion.hint(for: entry.key, in: allowed.sorted()))")
            }
            fields[entry.key] = entry.value
        }
        for key in required where fields[key] == nil {
            throw DefinitionError(line: line, message: "\(what) is missing '\(key)'")
        }
        return fields
    }

    private static func scalar(_ value: YAMLValue, _ what: String) throws -> String {
        guard case .scalar(let text, _) = value, !text.isEmpty else {
            throw DefinitionError(line: value.line, message: "\(what) must be a non-empty single value")
        }
        return text
    }

    private static func integer(_ value: YAMLValue, _ what: String) throws -> Int {
        guard case .scalar(let text, _) = value, let n = Int(text) else {
            throw DefinitionError(line: value.line, message: "\(what) must be a whole number")
        }
        return n
    }

    private static func labels(_ value: YAMLValue, _ what: String) throws -> LocalizedText {
        let fields = try mapping(value, what, allowed: ["en", "zh"], required: ["en", "zh"])
        return LocalizedText(zh: try scalar(fields["zh"]!, "\(what): zh"), en: try scalar(fields["en"]!, "\(what): en"))
    }
}

// MARK: Writing a table back out

extension RiskScale {
    /// The table in the level-file format, so that the report can show exactly what was used and
    /// a reader can copy it into a file, change it, and pass it with `levels=FILE`.
    var yaml: String {
        func flowText(_ s: String) -> String {
            let plain = !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" || $0 == "×" || $0 == "/" }
                && !s.hasPrefix(" ") && !s.hasSuffix(" ")
            return plain ? s : "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        func labelText(_ t: LocalizedText) -> String { "{en: \(flowText(t.en)), zh: \(flowText(t.zh))}" }
        var out = "name: \(labelText(name))\nsize: \(size)\nlevels:                 # lowest first\n"
        for level in levels {
            out += "  - {id: \(flowText(level.id)), en: \(flowText(level.label.en)), zh: \(flowText(level.label.zh)), colour: \"\(level.colour)\"}\n"
        }
        out += "likelihood:             # position 1 (lowest) first\n"
        for label in likelihood { out += "  - \(labelText(label))\n" }
        out += "impact:                 # position 1 (lowest) first\n"
        for label in impact { out += "  - \(labelText(label))\n" }
        if let mapping = threeLevelPositions {
            out += "three_level_positions: {" + mapping.map { "\($0.word): \($0.position)" }.joined(separator: ", ") + "}\n"
        }
        out += "matrix:                 # likelihood position: [level of each impact position, lowest first]\n"
        for l in stride(from: size, through: 1, by: -1) {
            out += "  \(l): [" + cells[l - 1].map { flowText(levels[$0].id) }.joined(separator: ", ") + "]\n"
        }
        return out
    }
}
