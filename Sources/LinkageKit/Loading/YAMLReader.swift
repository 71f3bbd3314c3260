import Foundation

/// Reads a composed YAML tree field by field, reporting every structural problem with its
/// position instead of stopping at the first one.
struct YAMLReader {
    let file: String
    let log: DiagnosticLog

    func location(_ node: YAMLNode) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    /// What composing a file gave.
    enum Composed {
        case node(YAMLNode)
        /// Empty, or only comments: no document at all.
        case empty
        /// Reported already.
        case failed

        var node: YAMLNode? { if case .node(let n) = self { n } else { nil } }
    }

    /// Composes `text` into a node tree; a syntax error becomes a diagnostic at its position.
    /// Aliases and deep nesting are refused (see `YAMLComposer`).
    static func compose(_ text: String, file: String, log: DiagnosticLog) -> Composed {
        switch YAMLComposer.compose(text, file: file, log: log) {
        case .node(let node): .node(node)
        case .empty: .empty
        case .failed: .failed
        }
    }

    // MARK: Structure

    /// The entries of a mapping. Reports a non-mapping, unknown keys (with a suggestion),
    /// duplicate keys and missing required keys.
    ///
    /// `what` (here and below) names the value in messages; it is composed only when there is
    /// a message, not for every value read (most name their node: "label of SYN-E3741").
    func mapping(_ node: YAMLNode, _ what: @autoclosure () -> String, required: [String] = [], optional: [String] = [])
        -> Fields?
    {
        guard case .mapping(let mapping, _) = node else {
            log.error("\(what()) must be a mapping (key: value pairs)", at: location(node), code: "schema")
            return nil
        }
        // A handful of keys: arrays searched in order, not a set and two tables per mapping
        // (issue 9: these were a noticeable part of reading a large file).
        var fields = Fields(node: node)
        fields.entries.reserveCapacity(mapping.count)
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else {
                log.error("\(what()) has a key that is not text", at: location(keyNode), code: "schema")
                continue
            }
            if fields[key] != nil {
                log.error("duplicate key '\(key)' in \(what())", at: location(keyNode), code: "schema")
                continue
            }
            if !required.contains(key) && !optional.contains(key) {
                let allowed = Set(required + optional)
                log.error("unknown key '\(key)' in \(what())\(Suggestion.hint(for: key, in: allowed.sorted()))",
                          at: location(keyNode), code: "schema")
                continue
            }
            fields.entries.append((key, value))
        }
        for key in required where fields[key] == nil {
            log.error("\(what()) is missing '\(key)'", at: location(node), code: "schema")
        }
        return fields
    }

    /// A non-empty text scalar of at most `limit` characters.
    func string(_ node: YAMLNode?, _ what: @autoclosure () -> String, limit: Int = InputLimits.maxTextCharacters) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node else {
            log.error("\(what()) must be text", at: location(node), code: "schema")
            return nil
        }
        let text = scalar.string
        // Blank means every scalar is white space, which the first letter of a real value
        // disproves at once (trimming through Foundation copied every string: issue 9).
        if Self.isBlank(text) {
            log.error("\(what()) is empty", at: location(node), code: "schema")
            return nil
        }
        if !withinLimit(text, limit, what(), at: node) { return nil }
        return text
    }

    /// Whether every scalar of `text` is in `CharacterSet.whitespacesAndNewlines`. A first byte
    /// that is ASCII and not one of its ASCII members (tab to carriage return, space) decides
    /// without Foundation, which otherwise fetched the character set for every value.
    static func isBlank(_ text: String) -> Bool {
        if let first = text.utf8.first, first < 0x80, first != 0x20, !(0x09...0x0D).contains(first) { return false }
        return text.unicodeScalars.allSatisfy(CharacterSet.whitespacesAndNewlines.contains)
    }

    /// Reports text over its length limit (`InputLimits`).
    func withinLimit(_ text: String, _ limit: Int, _ what: @autoclosure () -> String, at node: YAMLNode) -> Bool {
        guard Self.isOverLimit(text, limit) else { return true }
        log.error("\(what()) is \(text.count) characters long; the limit is \(limit)", at: location(node), code: "too-long")
        return false
    }

    /// Whether `text` has more than `limit` characters.
    static func isOverLimit(_ text: String, _ limit: Int) -> Bool {
        // A UTF-8 byte count within the limit is within it in characters too, without counting them.
        text.utf8.count > limit && text.count > limit
    }

    func sequence(_ node: YAMLNode?, _ what: @autoclosure () -> String) -> [YAMLNode]? {
        guard let node else { return nil }
        guard case .sequence(let sequence, _) = node else {
            log.error("\(what()) must be a list", at: location(node), code: "schema")
            return nil
        }
        return sequence
    }

    func strings(_ node: YAMLNode?, _ what: @autoclosure () -> String) -> [(String, YAMLNode)]? {
        guard let items = sequence(node, what()) else { return nil }
        return items.compactMap { item in string(item, "an entry of \(what())").map { ($0, item) } }
    }

    /// `{zh: ..., en: ...}` with both languages present and non-empty.
    func localized(_ node: YAMLNode?, _ what: @autoclosure () -> String, code: String = "schema",
                   limit: Int = InputLimits.maxTextCharacters) -> LocalizedText? {
        guard let node else { return nil }
        guard let fields = mapping(node, what(), optional: ["zh", "en"]) else { return nil }
        var missing: [String] = []
        let zh = fields["zh"].flatMap { string($0, "\(what()).zh", limit: limit) }
        let en = fields["en"].flatMap { string($0, "\(what()).en", limit: limit) }
        if fields["zh"] == nil { missing.append("zh") }
        if fields["en"] == nil { missing.append("en") }
        if !missing.isEmpty {
            log.error("\(what()) has no \(missing.joined(separator: " or ")) text", at: location(node), code: code)
        }
        guard let zh, let en else { return nil }
        return LocalizedText(zh: zh, en: en)
    }

    /// A scalar as a typed attribute value (int, float, bool or text), or a list of them.
    func attributeValue(_ node: YAMLNode, _ what: @autoclosure () -> String) -> AttributeValue? {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain || scalar.style == .any {
                let typed = node.yams  // resolved once, by Yams's constructors
                if let i = typed.int { return .integer(i) }
                if let d = typed.float {
                    // JSON cannot carry them, and no document states an infinite budget.
                    guard d.isFinite else {
                        log.error("\(what()) is not a finite number ('\(scalar.string)'); write the text in quotes if it is meant as text",
                                  at: location(node), code: "non-finite")
                        return nil
                    }
                    return .number(d)
                }
                if let b = typed.bool { return .boolean(b) }
            }
            guard withinLimit(scalar.string, InputLimits.maxTextCharacters, what(), at: node) else { return nil }
            return .string(scalar.string)
        case .sequence(let items, _):
            let values = items.compactMap { attributeValue($0, what()) }
            return values.count == items.count ? .list(values) : nil
        default:
            log.error("\(what()) must be a number, text, true/false or a list of them", at: location(node), code: "schema")
            return nil
        }
    }
}

/// The fields of one mapping, by key, in the order written.
struct Fields {
    let node: YAMLNode
    var entries: [(key: String, value: YAMLNode)] = []
    subscript(key: String) -> YAMLNode? {
        for entry in entries where entry.key == key { return entry.value }
        return nil
    }
}
