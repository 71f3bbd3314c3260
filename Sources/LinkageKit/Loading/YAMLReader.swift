import Foundation
import Yams
internal import CYaml

/// Reads a composed YAML tree field by field, reporting every structural problem with its
/// position instead of stopping at the first one.
struct YAMLReader {
    let file: String
    let log: DiagnosticLog

    func location(_ node: Yams.Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    /// What composing a file gave.
    enum Composed {
        case node(Yams.Node)
        /// Empty, or only comments: no document at all.
        case empty
        /// Reported already.
        case failed

        var node: Yams.Node? { if case .node(let n) = self { n } else { nil } }
    }

    /// Composes `text` into a node tree; a syntax error becomes a diagnostic at its position.
    /// Aliases and deep nesting are refused before the tree is built (see `screen`).
    static func compose(_ text: String, file: String, log: DiagnosticLog) -> Composed {
        guard screen(text, file: file, log: log) else { return .failed }
        do {
            guard let node = try Yams.compose(yaml: text) else { return .empty }
            return .node(node)
        } catch let error as YamlError {
            let (message, mark) = describe(error, text: text)
            log.error("YAML syntax error: \(message)",
                      at: SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1),
                      code: "yaml-syntax")
        } catch {
            log.error("cannot read YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1), code: "yaml-syntax")
        }
        return .failed
    }

    /// Reads libyaml's event stream once, before Yams composes a tree, and refuses what would
    /// make composing or reading the tree unbounded: aliases (`*name`, each one a copy of its
    /// anchor's value, so a few lines can stand for 10⁹ values; Yams has no option to limit
    /// them, and even hashing a mapping key that is such an alias never ends) and nesting
    /// deeper than `InputLimits.maxNestingDepth` (Yams composes recursively). Dataset files
    /// write every value where it is used, so none of them needs an alias.
    /// Syntax errors are left for `Yams.compose` to report.
    static func screen(_ text: String, file: String, log: DiagnosticLog) -> Bool {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return false }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> Bool in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var depth = 0
            var aliases = 0
            var firstAlias: (name: String, location: SourceLocation)?
            defer {
                if let firstAlias {
                    let more = aliases > 1 ? " (and \(aliases - 1) more in this file)" : ""
                    log.error("YAML alias '*\(firstAlias.name)' is not allowed in dataset files\(more): write the value out where it is used",
                              at: firstAlias.location, code: "yaml-alias")
                }
            }
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return firstAlias == nil }
                defer { yaml_event_delete(&event) }
                let location = SourceLocation(file: file, line: Int(event.start_mark.line) + 1,
                                              column: Int(event.start_mark.column) + 1)
                switch event.type {
                case YAML_ALIAS_EVENT:
                    aliases += 1
                    if firstAlias == nil {
                        let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
                        firstAlias = (name, location)
                    }
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    depth += 1
                    if depth > InputLimits.maxNestingDepth {
                        log.error("lists and mappings are nested more than \(InputLimits.maxNestingDepth) deep here (the limit)",
                                  at: location, code: "too-deep")
                        return false
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    depth -= 1
                case YAML_STREAM_END_EVENT:
                    return firstAlias == nil
                default:
                    break
                }
            }
        }
    }

    private static func describe(_ error: YamlError, text: String) -> (String, (line: Int, column: Int)?) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return ("\(prefix)\(problem)", (mark.line, mark.column))
        case .reader(let problem, let offset, let value, _):
            // libyaml's reader gives a byte offset (invalid UTF-8, NUL and other control
            // characters), not a line: turn it into one.
            guard let offset else { return (problem, nil) }
            let (line, column) = InputFiles.position(ofByte: offset, in: text)
            let character = value >= 0 ? String(format: " (U+%04X)", value) : ""
            return ("\(problem)\(character)", (line, column))
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams marks the first of the keys written twice.
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return ("key \(keys) is written twice in this mapping (the first is here)", (context.mark.line, context.mark.column))
        default:
            // One line, like every diagnostic.
            return ("\(error)".split(whereSeparator: \.isNewline).joined(separator: " "), nil)
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

    /// A non-empty text scalar of at most `limit` characters.
    func string(_ node: Yams.Node?, _ what: String, limit: Int = InputLimits.maxTextCharacters) -> String? {
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
        if !withinLimit(text, limit, what, at: node) { return nil }
        return text
    }

    /// Reports text over its length limit (`InputLimits`).
    func withinLimit(_ text: String, _ limit: Int, _ what: String, at node: Yams.Node) -> Bool {
        // A UTF-8 byte count within the limit is within it in characters too, without counting them.
        guard text.utf8.count > limit else { return true }
        let characters = text.count
        guard characters > limit else { return true }
        log.error("\(what) is \(characters) characters long; the limit is \(limit)", at: location(node), code: "too-long")
        return false
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
    func localized(_ node: Yams.Node?, _ what: String, code: String = "schema",
                   limit: Int = InputLimits.maxTextCharacters) -> LocalizedText? {
        guard let node else { return nil }
        guard let fields = mapping(node, what, optional: ["zh", "en"]) else { return nil }
        var missing: [String] = []
        let zh = fields["zh"].flatMap { string($0, "\(what).zh", limit: limit) }
        let en = fields["en"].flatMap { string($0, "\(what).en", limit: limit) }
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
                if let d = node.float {
                    // JSON cannot carry them, and no document states an infinite budget.
                    guard d.isFinite else {
                        log.error("\(what) is not a finite number ('\(scalar.string)'); write the text in quotes if it is meant as text",
                                  at: location(node), code: "non-finite")
                        return nil
                    }
                    return .number(d)
                }
                if let b = node.bool { return .boolean(b) }
            }
            guard withinLimit(scalar.string, InputLimits.maxTextCharacters, what, at: node) else { return nil }
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
