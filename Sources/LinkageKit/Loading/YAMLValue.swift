
/// A YAML document as plain values with their line numbers, for plugins that read their own
/// configuration files (risk level tables) with the same YAML parser the datasets use.
public indirect enum YAMLValue: Equatable, Sendable {
    case scalar(String, line: Int)
    case sequence([YAMLValue], line: Int)
    case mapping([(key: String, value: YAMLValue)], line: Int)

    public var line: Int {
        switch self {
        case .scalar(_, let line), .sequence(_, let line), .mapping(_, let line): line
        }
    }

    /// What kind of value this is, in words, for error messages.
    public var kindName: String {
        switch self {
        case .scalar: "a single value"
        case .sequence: "a list"
        case .mapping: "a mapping (key: value pairs)"
        }
    }

    public static func == (a: YAMLValue, b: YAMLValue) -> Bool {
        switch (a, b) {
        case (.scalar(let x, _), .scalar(let y, _)): x == y
        case (.sequence(let x, _), .sequence(let y, _)): x == y
        case (.mapping(let x, _), .mapping(let y, _)):
            x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// Parses YAML text; syntax errors and duplicate keys throw a `YAMLSyntaxError` with their line.
    public static func parse(_ text: String) throws -> YAMLValue {
        let log = DiagnosticLog()
        guard let root = YAMLReader.compose(text, file: "", log: log).node else {
            let first = log.all.first
            throw YAMLSyntaxError(line: first?.location?.line ?? 1, column: first?.location?.column ?? 1,
                                  message: first?.message ?? "the document is empty")
        }
        return try convert(root)
    }

    private static func convert(_ node: YAMLNode) throws -> YAMLValue {
        let line = node.mark.line
        switch node {
        case .scalar(let scalar):
            return .scalar(scalar.string, line: line)
        case .sequence(let sequence, _):
            var items: [YAMLValue] = []
            for item in sequence { items.append(try convert(item)) }
            return .sequence(items, line: line)
        case .mapping(let mapping, _):
            var entries: [(key: String, value: YAMLValue)] = []
            for (key, value) in mapping {
                guard let name = key.string else {
                    throw YAMLSyntaxError(line: key.mark.line, column: key.mark.column, message: "a key is not text")
                }
                if entries.contains(where: { $0.key == name }) {
                    throw YAMLSyntaxError(line: key.mark.line, column: key.mark.column, message: "duplicate key '\(name)'")
                }
                entries.append((name, try convert(value)))
            }
            return .mapping(entries, line: line)
        }
    }
}

public struct YAMLSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "\(line):\(column): \(message)" }
}
