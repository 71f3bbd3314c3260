import Yams

/// Reads a composed YAML tree field by field, reporting every structural problem with its
/// position instead of stopping at the first one.
struct YAMLReader {
    let file: String
    let log: DiagnosticLog

    func location(_ node: Yams.Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    /// Composes `text` into a node tree; a syntax error becomes a diagnostic at its position.
    static func compose(_ text: String, file: String, log: DiagnosticLog) -> Yams.Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let (message, mark) = describe(error)
            log.error("YAML syntax error: \(message)",
                      at: SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1),
                      code: "yaml-syntax")
        } catch {
            log.error("cannot read YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1), code: "yaml-syntax")
        }
        return nil
    }

    private static func describe(_ error: YamlError) -> (String, Mark?) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return ("\(prefix)\(problem)", mark)
        case .reader(let problem, _, _, _):
            return (problem, nil)
        default:
            return ("\(error)", nil)
        }
    }

    // MARK: Structure

    /// The entries of a mapping. Reports a non-mapping, unknown keys (with a suggestion),
    /// duplicate keys and missing required keys.
    func mapping(_ node: Yams.Node, _ what: String, required: [String] = [], optional: [String] = [])
        -> Fields?
    {
        guard case .mapping(let mapping) = node else {
            log.error("\(what) must be a mapping (key: value pairs)", at: location(node), code: "schema")
            return nil
        }
        let allowed = Set(required + optional)
        var fields = Fields(node: node, entries: [:], keyNodes: [:])
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else {
                log.error("\(what) has a key that is not text", at: location(keyNode), code: "schema")
                continue
            }
            if fields.entries[key] != nil {
                log.error("duplicate key '\(key)' in \(what)", at: location(keyNode), code: "schema")
                continue
            }
            if !allowed.contains(key) {
                log.error("unknown key '\(key)' in \(what)\(Suggestion.hint(for: key, in: allowed.sorted()))",
                          at: location(keyNode), code: "schema")
                continue
            }
            fields.entries[key] = value
            fields.keyNodes[key] = keyNode
        }
        for key in required where fields.entries[key] == nil {
            log.error("\(what) is missing '\(key)'", at: location(node), code: "schema")
        }
        return fields
    }

    /// A non-empty text scalar.
    func string(_ node: Yams.Node?, _ what: String) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node else {
            log.error("\(what) must be text", at: location(node), code: "schema")
            return nil
        }
        let text = scalar.string
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            log.error("\(what) is empty", at: location(node), code: "schema")
            return nil
        }
        return text
    }

    func sequence(_ node: Yams.Node?, _ what: String) -> [Yams.Node]? {
        guard let node else { return nil }
        guard case .sequence(let sequence) = node else {
            log.error("\(what) must be a list", at: location(node), code: "schema")
            return nil
        }
        return Array(sequence)
    }

    func strings(_ node: Yams.Node?, _ what: String) -> [(String, Yams.Node)]? {
        guard let items = sequence(node, what) else { return nil }
        return items.compactMap { item in string(item, "an entry of \(what)").map { ($0, item) } }
    }

    /// `{zh: ..., en: ...}` with both languages present and non-empty.
    func localized(_ node: Yams.Node?, _ what: String, code: String = "schema") -> LocalizedText? {
        guard let node else { return nil }
        guard let fields = mapping(node, what, optional: ["zh", "en"]) else { return nil }
        var missing: [String] = []
        let zh = fields["zh"].flatMap { string($0, "\(what).zh") }
        let en = fields["en"].flatMap { string($0, "\(what).en") }
        if fields["zh"] == nil { missing.append("zh") }
        if fields["en"] == nil { missing.append("en") }
        if !missing.isEmpty {
            log.error("\(what) has no \(missing.joined(separator: " or ")) text", at: location(node), code: code)
        }
        guard let zh, let en else { return nil }
        return LocalizedText(zh: zh, en: en)
    }

    /// A scalar as a typed attribute value (int, float, bool or text), or a list of them.
    func attributeValue(_ node: Yams.Node, _ what: String) -> AttributeValue? {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain || scalar.style == .any {
                if let i = node.int { return .integer(i) }
                if let d = node.float { return .number(d) }
                if let b = node.bool { return .boolean(b) }
            }
            return .string(scalar.string)
        case .sequence(let items):
            let values = items.compactMap { attributeValue($0, what) }
            return values.count == items.count ? .list(values) : nil
        default:
            log.error("\(what) must be a number, text, true/false or a list of them", at: location(node), code: "schema")
            return nil
        }
    }
}

/// The fields of one mapping, by key.
struct Fields {
    let node: Yams.Node
    var entries: [String: Yams.Node]
    var keyNodes: [String: Yams.Node]
    subscript(key: String) -> Yams.Node? { entries[key] }
}
