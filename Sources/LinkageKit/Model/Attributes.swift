/// A value of a node attribute: a budget, a code, a URI, a count, a flag.
public indirect enum AttributeValue: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case list([AttributeValue])

    public var description: String {
        switch self {
        case .string(let s): s
        case .integer(let i): String(i)
        case .number(let d): Self.format(d)
        case .boolean(let b): b ? "true" : "false"
        case .list(let items): items.map(\.description).joined(separator: ", ")
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// Integers and decimals as a Double (budgets, percentages, counts).
    public var numericValue: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }

    public var integerValue: Int? {
        if case .integer(let i) = self { return i }
        return nil
    }

    public var booleanValue: Bool? {
        if case .boolean(let b) = self { return b }
        return nil
    }

    /// Shortest round-tripping decimal form, without a trailing ".0" for whole numbers.
    static func format(_ d: Double) -> String {
        if d.rounded() == d && abs(d) < 1e15 { return String(Int(d)) }
        return String(d)
    }
}

extension AttributeValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let b = try? container.decode(Bool.self) { self = .boolean(b) }
        else if let i = try? container.decode(Int.self) { self = .integer(i) }
        else if let d = try? container.decode(Double.self) { self = .number(d) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else { self = .list(try container.decode([AttributeValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let s): try container.encode(s)
        case .integer(let i): try container.encode(i)
        case .number(let d): try container.encode(d)
        case .boolean(let b): try container.encode(b)
        case .list(let items): try container.encode(items)
        }
    }
}
