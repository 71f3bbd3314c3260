/// Everything an analysis produced. Every number in it is computed from the graph.
public struct AnalysisResult: Sendable {
    /// The few numbers a reader looks at first.
    public var headline: [HeadlineFigure]
    public var findings: [Finding]
    public var tables: [ResultTable]
    public var views: [ViewSpec]
    /// How the figures were computed and what to be careful about when reading them.
    public var methodNotes: [LocalizedText]

    public init(headline: [HeadlineFigure] = [], findings: [Finding] = [], tables: [ResultTable] = [],
                views: [ViewSpec] = [], methodNotes: [LocalizedText] = []) {
        self.headline = headline
        self.findings = findings
        self.tables = tables
        self.views = views
        self.methodNotes = methodNotes
    }
}

/// Texts a reader sees are `LocalizedText` (Chinese and English); values, codes and ids are
/// plain strings, the same in both languages.
public struct HeadlineFigure: Sendable, Hashable, Codable {
    public var label: LocalizedText
    public var value: String
    public var note: LocalizedText?

    public init(_ label: LocalizedText, _ value: String, note: LocalizedText? = nil) {
        self.label = label
        self.value = value
        self.note = note
    }

    public init(_ label: LocalizedText, _ value: Int, note: LocalizedText? = nil) {
        self.init(label, String(value), note: note)
    }
}

public struct Finding: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
        case error, warning, info
        public static func < (a: Severity, b: Severity) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public var severity: Severity
    /// A short stable name of the kind of finding (`no-sdg-link`, `unassessed-risk`).
    public var code: String
    public var message: LocalizedText
    public var ids: [NodeID]

    public init(_ severity: Severity, code: String, _ message: LocalizedText, ids: [NodeID] = []) {
        self.severity = severity
        self.code = code
        self.message = message
        self.ids = ids
    }
}

/// A cell of a result table. Numbers stay numbers so that CSV and JSON keep their type.
public enum TableValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case text(String)
    case integer(Int)
    case decimal(Double, places: Int)
    case id(NodeID)
    case empty

    public var description: String {
        switch self {
        case .text(let s): s
        case .integer(let i): String(i)
        case .decimal(let d, let places): formatDecimal(d, places: places)
        case .id(let id): id.rawValue
        case .empty: ""
        }
    }
}

/// Fixed-point formatting without locale or Foundation, so outputs are byte-stable.
public func formatDecimal(_ value: Double, places: Int) -> String {
    guard value.isFinite else { return String(value) }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled.isFinite else { return String(value) }  // beyond 1.8e308 once scaled: as written
    let negative = value < 0 && scaled != 0
    // Most numbers (every coordinate of every figure) have few digits: written from an integer
    // into a small buffer, without the string edits below.
    if scaled < 1e18 && places < 18 {
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buffer in
            var end = 40, whole = UInt64(scaled), written = 0
            repeat {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(whole % 10)
                whole /= 10
                written += 1
                if written == places {
                    end -= 1
                    buffer[end] = UInt8(ascii: ".")
                }
            } while whole > 0 || written <= places
            if negative {
                end -= 1
                buffer[end] = UInt8(ascii: "-")
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[end..<40]), as: UTF8.self)
        }
    }
    var digits = integerDigits(scaled)
    if places > 0 {
        while digits.count <= places { digits = "0" + digits }
        digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
    }
    return (negative ? "-" : "") + digits
}

/// The exact decimal digits of a non-negative, finite, integral double. `Int` holds those below
/// 2^63; above it the double is its 53-bit significand times a power of two, multiplied out
/// here in base 10^9 (at most 971 doublings, for values no table shows every day).
func integerDigits(_ value: Double) -> String {
    if value < 0x1p63 { return String(Int(value)) }
    var limbs: [UInt64] = []  // base 10^9, least significant first
    var significand = value.significandBitPattern | (1 << 52)
    while significand > 0 { limbs.append(significand % 1_000_000_000); significand /= 1_000_000_000 }
    for _ in 0..<(Int(value.exponent) - 52) {
        var carry: UInt64 = 0
        for index in limbs.indices {
            let doubled = limbs[index] * 2 + carry
            limbs[index] = doubled % 1_000_000_000
            carry = doubled / 1_000_000_000
        }
        if carry > 0 { limbs.append(carry) }
    }
    var text = String(limbs.last!)
    for limb in limbs.dropLast().reversed() {
        let part = String(limb)
        text += String(repeating: "0", count: 9 - part.count) + part
    }
    return text
}

public struct TableColumn: Sendable, Hashable, Codable {
    /// Machine name: the CSV header and JSON key (`label_en`).
    public var id: String
    /// Human heading for reports.
    public var title: LocalizedText

    public init(_ id: String, _ title: LocalizedText? = nil) {
        self.id = id
        self.title = title ?? .same(id)
    }
}

public struct ResultTable: Sendable, Hashable {
    /// File-name-safe id (`coverage-matrix`): the CSV is written as `<id>.csv`.
    public var id: String
    public var title: LocalizedText
    public var columns: [TableColumn]
    public var rows: [[TableValue]]
    /// A sentence under the heading saying what one row is.
    public var caption: LocalizedText?

    public init(id: String, title: LocalizedText, columns: [TableColumn], rows: [[TableValue]] = [], caption: LocalizedText? = nil) {
        self.id = id
        self.title = title
        self.columns = columns
        self.rows = rows
        self.caption = caption
    }
}
