import Foundation
import Yams
internal import CYaml

/// A position in a YAML file: 1-based line and column, as libyaml counts them (columns count
/// Unicode scalars).
struct YAMLMark: Sendable {
    private let storedLine: Int32
    private let storedColumn: Int32
    var line: Int { Int(storedLine) }
    var column: Int { Int(storedColumn) }

    init(line: Int, column: Int) {
        storedLine = Int32(truncatingIfNeeded: line)
        storedColumn = Int32(truncatingIfNeeded: column)
    }

    fileprivate init(_ mark: yaml_mark_t) { self.init(line: Int(mark.line) + 1, column: Int(mark.column) + 1) }
}

/// A scalar as written: its text, quoting style, explicit tag (nil when implicit, as nearly
/// always in dataset files) and position.
struct YAMLScalar {
    let string: String
    let style: Yams.Node.Scalar.Style
    let tag: String?
    let mark: YAMLMark
}

/// A composed YAML node, holding only what the dataset readers use.
///
/// Why not `Yams.Node`: composing through Yams made every node carry a `Tag` object and its
/// resolver, and Yams's duplicate-key check hashes each key with its resolved tag, which runs
/// the YAML 1.1 resolver's regular expressions on every key of every mapping (issue 9: with
/// the separate screening pass, the larger part of loading a big plan). This tree is composed
/// in one pass over libyaml's events (`YAMLComposer`), which also refuses aliases and deep
/// nesting, and resolves a scalar's type through Yams only when a reader asks for a number or
/// a boolean (attributes), so the values and messages are Yams's.
enum YAMLNode {
    case scalar(YAMLScalar)
    case sequence([YAMLNode], YAMLMark)
    case mapping([(YAMLNode, YAMLNode)], YAMLMark)

    var mark: YAMLMark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .sequence(_, let mark), .mapping(_, let mark): mark
        }
    }

    /// The node as text, as `Yams.Node.string` gives it: a scalar's text; for a mapping, the
    /// value of its `=` key (YAML's value key), if it has one.
    var string: String? {
        switch self {
        case .scalar(let scalar): return scalar.string
        case .sequence: return nil
        case .mapping(let pairs, _):
            for (key, value) in pairs where key.yams.tag == Tag(.value) { return value.string }
            return nil
        }
    }

    /// The same node as Yams composes it, without its position (for type resolution and exact
    /// key equality; built only on those rare paths).
    var yams: Yams.Node {
        switch self {
        case .scalar(let s):
            return .scalar(.init(s.string, Tag(s.tag.map { Tag.Name(rawValue: $0) } ?? .implicit), s.style))
        case .sequence(let items, _):
            return .sequence(.init(items.map(\.yams), Tag(.implicit), .any))
        case .mapping(let pairs, _):
            return .mapping(.init(pairs.map { ($0.0.yams, $0.1.yams) }, Tag(.implicit), .any))
        }
    }

    // Typed readings of a scalar, by Yams's constructors (the YAML 1.1 core schema Yams uses).
    var int: Int? { if case .scalar = self { yams.int } else { nil } }
    var float: Double? { if case .scalar = self { yams.float } else { nil } }
    var bool: Bool? { if case .scalar = self { yams.bool } else { nil } }
    var null: NSNull? { if case .scalar = self { yams.null } else { nil } }
}

/// Composes YAML text into a `YAMLNode` tree in one pass over libyaml's events, refusing what
/// would make composing or reading the tree unbounded: aliases (`*name`, each one a copy of its
/// anchor's value, so a few lines can stand for 10⁹ values) and nesting deeper than
/// `InputLimits.maxNestingDepth`. Dataset files write every value where it is used, so none of
/// them needs an alias.
///
/// The diagnostics are those the earlier two passes gave (a screening pass over the events,
/// then `Yams.compose`), in the same precedence: an alias anywhere before a syntax error, or
/// nesting too deep, is reported instead of the composing errors (a syntax error, a key written
/// twice in a mapping, a second document), and of those only the first, as Yams stopped there.
enum YAMLComposer {
    enum Outcome {
        case node(YAMLNode)
        /// Empty, or only comments: no document at all.
        case empty
        /// Reported already.
        case failed
    }

    /// A scalar event as a node: its text, style and tag as Yams reads them (a quoted scalar is
    /// text; a plain one's tag is resolved later, when a reader asks for a number or a boolean).
    static func scalar(of event: yaml_event_t, at mark: YAMLMark) -> YAMLScalar {
        let scalar = event.data.scalar
        let value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
        let tag: String? = scalar.quoted_implicit == 1 ? Tag.Name.str.rawValue : scalar.tag.map { String(cString: $0) }
        let style = Yams.Node.Scalar.Style(rawValue: numericCast(scalar.style.rawValue)) ?? .any
        return YAMLScalar(string: value, style: style, tag: tag, mark: mark)
    }

    /// Whether two keys may be equal: a key that is not a scalar, or a text written twice.
    /// A dataset's mappings have a handful of keys, compared pairwise rather than through a
    /// set allocated for every mapping (issue 9: that was 4 % of loading a large plan).
    static func mayRepeat(_ pairs: [(YAMLNode, YAMLNode)]) -> Bool {
        if pairs.count <= 16 {
            for i in pairs.indices {
                guard case .scalar(let key) = pairs[i].0 else { return true }
                for j in 0..<i {
                    guard case .scalar(let earlier) = pairs[j].0 else { return true }
                    if earlier.string == key.string { return true }
                }
            }
            return false
        }
        var texts = Set<String>()
        texts.reserveCapacity(pairs.count)
        for (key, _) in pairs {
            guard case .scalar(let scalar) = key, texts.insert(scalar.string).inserted else { return true }
        }
        return false
    }

    static func compose(_ text: String, file: String, log: DiagnosticLog) -> Outcome {
        // `withUTF8` needs a variable; the text stays in `text` for the error messages.
        var contiguous = text
        return contiguous.withUTF8 { bytes in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                log.error("cannot read YAML: out of memory", at: SourceLocation(file: file, line: 1, column: 1), code: "yaml-syntax")
                return .failed
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var run = Run(file: file, text: text)
            return run.compose(&parser, log: log)
        }
    }

    /// One composition: a stack of open collections.
    private struct Run {
        let file: String
        let text: String

        /// A collection being composed.
        struct Open {
            let isMapping: Bool
            let mark: YAMLMark
            /// Where its children begin in `openItems` (a sequence) or `openPairs` (a mapping).
            let start: Int
            /// A mapping's key waiting for its value.
            var pendingKey: YAMLNode?
        }
        var stack: [Open] = []
        /// The children of every open collection, innermost last. A collection's own array is
        /// made once, at its size, when it closes: appended to from empty, the arrays of a
        /// file's many small mappings were reallocated three or four times each (issue 9).
        var openItems: [YAMLNode] = []
        var openPairs: [(YAMLNode, YAMLNode)] = []
        var root: YAMLNode?
        var documents = 0
        var aliases = 0
        var firstAlias: (name: String, location: SourceLocation)?
        /// The first error composing would have stopped at (message, line, column).
        var composeError: (message: String, line: Int, column: Int)?

        init(file: String, text: String) {
            self.file = file
            self.text = text
        }

        mutating func compose(_ parser: inout yaml_parser_t, log: DiagnosticLog) -> Outcome {
            func reportAlias() {
                guard let firstAlias else { return }
                let more = aliases > 1 ? " (and \(aliases - 1) more in this file)" : ""
                log.error("YAML alias '*\(firstAlias.name)' is not allowed in dataset files\(more): write the value out where it is used",
                          at: firstAlias.location, code: "yaml-alias")
            }
            func reportComposeError() -> Outcome {
                guard let (message, line, column) = composeError else { preconditionFailure("no error to report") }
                log.error("YAML syntax error: \(message)", at: SourceLocation(file: file, line: line, column: column),
                          code: "yaml-syntax")
                return .failed
            }
            var depth = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    if firstAlias != nil {
                        reportAlias()
                        return .failed
                    }
                    if composeError == nil { composeError = Self.describe(parser, text: text) }
                    return reportComposeError()
                }
                defer { yaml_event_delete(&event) }
                let mark = YAMLMark(event.start_mark)
                switch event.type {
                case YAML_ALIAS_EVENT:
                    aliases += 1
                    if firstAlias == nil {
                        let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
                        firstAlias = (name, SourceLocation(file: file, line: mark.line, column: mark.column))
                    }
                case YAML_SCALAR_EVENT:
                    guard building else { break }
                    add(.scalar(YAMLComposer.scalar(of: event, at: mark)))
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    depth += 1
                    if depth > InputLimits.maxNestingDepth {
                        log.error("lists and mappings are nested more than \(InputLimits.maxNestingDepth) deep here (the limit)",
                                  at: SourceLocation(file: file, line: mark.line, column: mark.column), code: "too-deep")
                        reportAlias()
                        return .failed
                    }
                    guard building else { break }
                    let isMapping = event.type == YAML_MAPPING_START_EVENT
                    stack.append(Open(isMapping: isMapping, mark: mark, start: isMapping ? openPairs.count : openItems.count))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    depth -= 1
                    guard building, let open = stack.popLast() else { break }
                    if !open.isMapping {
                        add(.sequence(Self.take(&openItems, from: open.start, leaving: Self.emptyNode), open.mark))
                    } else {
                        let pairs = Self.take(&openPairs, from: open.start, leaving: (Self.emptyNode, Self.emptyNode))
                        if let duplicate = Self.duplicateKeys(pairs) {
                            composeError = duplicate
                            stack.removeAll()
                            openItems.removeAll()
                            openPairs.removeAll()
                        } else {
                            add(.mapping(pairs, open.mark))
                        }
                    }
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents == 2, composeError == nil {
                        // Yams.compose reads a single document.
                        composeError = ("expected a single document in the stream but found another document", mark.line, mark.column)
                    }
                case YAML_STREAM_END_EVENT:
                    if firstAlias != nil {
                        reportAlias()
                        return .failed
                    }
                    if composeError != nil { return reportComposeError() }
                    return root.map(Outcome.node) ?? .empty
                default:
                    break
                }
            }
        }

        /// A node that owns no memory (an empty string is stored inline), to fill moved-out places.
        static var emptyNode: YAMLNode { .scalar(YAMLScalar(string: "", style: .any, tag: nil, mark: YAMLMark(line: 0, column: 0))) }

        /// Nodes are composed while no composing error has been met and the first document is open.
        var building: Bool { composeError == nil && documents == 1 && firstAlias == nil }

        mutating func add(_ node: YAMLNode) {
            let top = stack.count - 1
            guard top >= 0 else {
                root = node
                return
            }
            if !stack[top].isMapping {
                openItems.append(node)
            } else if let key = stack[top].pendingKey {
                openPairs.append((key, node))
                stack[top].pendingKey = nil
            } else {
                stack[top].pendingKey = node
            }
        }

        /// The elements of `flat` from `start` on, moved out of it. Copied out then removed, each
        /// element was retained and released once more (issue 9: a node's fields hold several
        /// references each). Their places are left holding `empty`, which owns nothing, until removed.
        static func take<Element>(_ flat: inout [Element], from start: Int, leaving empty: Element) -> [Element] {
            let count = flat.count - start
            let taken = flat.withUnsafeMutableBufferPointer { source in
                [Element](unsafeUninitializedCapacity: count) { destination, initialized in
                    let moved = UnsafeMutableBufferPointer(rebasing: source[start...])
                    _ = destination.moveInitialize(fromContentsOf: moved)
                    moved.initialize(repeating: empty)
                    initialized = count
                }
            }
            flat.removeSubrange(start...)
            return taken
        }

        /// Keys written twice in one mapping, as Yams reports them: keys are equal when their
        /// text and resolved tag are (`1` and `'1'` differ), and the message names every repeated
        /// key, sorted, at the first occurrence of the first one. Keys with distinct texts
        /// cannot be equal, so the tags are resolved only when a text repeats.
        static func duplicateKeys(_ pairs: [(YAMLNode, YAMLNode)]) -> (String, Int, Int)? {
            guard pairs.count > 1, YAMLComposer.mayRepeat(pairs) else { return nil }
            let keys = pairs.map(\.0.yams)
            // Grouped by position, so that each group's first index is the key's first occurrence.
            let duplicates = Dictionary(grouping: keys.indices) { keys[$0] }.filter { $1.count > 1 }
            guard !duplicates.isEmpty else { return nil }
            let sorted = duplicates.sorted { $0.key < $1.key }
            let firstMark = pairs[sorted[0].value[0]].0.mark
            let names = sorted.map { "'\($0.key.string ?? "<uncovertable>")'" }.joined(separator: ", ")
            return ("key \(names) is written twice in this mapping (the first is here)", firstMark.line, firstMark.column)
        }

        /// libyaml's error, worded as Yams words it.
        static func describe(_ parser: yaml_parser_t, text: String) -> (String, Int, Int) {
            let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
            switch parser.error {
            case YAML_READER_ERROR:
                // A byte offset (invalid UTF-8, NUL and other control characters): Yams turns it
                // into a count of characters, which `InputFiles.position` then places.
                let index = text.utf8.index(text.utf8.startIndex, offsetBy: parser.problem_offset, limitedBy: text.utf8.endIndex)?
                    .samePosition(in: text)
                let character = parser.problem_value >= 0 ? String(format: " (U+%04X)", parser.problem_value) : ""
                guard let index else { return ("\(problem)\(character)", 1, 1) }
                let (line, column) = InputFiles.position(ofByte: text.distance(from: text.startIndex, to: index), in: text)
                return ("\(problem)\(character)", line, column)
            case YAML_SCANNER_ERROR, YAML_PARSER_ERROR, YAML_COMPOSER_ERROR:
                let prefix = parser.context.map { "\(String(cString: $0)) " } ?? ""
                return ("\(prefix)\(problem)", Int(parser.problem_mark.line) + 1, Int(parser.problem_mark.column) + 1)
            default:
                return ("out of memory", 1, 1)
            }
        }
    }
}
