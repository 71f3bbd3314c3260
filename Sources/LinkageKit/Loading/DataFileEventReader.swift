internal import CYaml
import OrderedCollections

/// Reads a well-formed data file straight from libyaml's events into its records, without
/// composing a `YAMLNode` tree first; for any file it is not sure of, it declines and the file is
/// read the usual way (`YAMLComposer`, then `DataFileReader`), which reports what is wrong.
///
/// Why: on a large plan, composing the tree and then walking it cost more than libyaml itself
/// (issue 9: of loading 10⁶ links, libyaml was about a fifth of the CPU time; composing, reading
/// the tree and freeing it about two fifths). Nearly every file a user loads is well formed, so
/// a reader that handles only the well-formed case, exactly as the tree reader would, and hands
/// everything else to it, keeps every message the same by construction: it never reports anything.
///
/// It accepts a file only when the tree reader would report nothing about it and give the same
/// records: one document, no alias, no explicit tag, nesting within the limit, every key known
/// and written once, every value of the shape and length the schema asks. Attributes and quirks,
/// whose reading is more involved (typed values, Yams's resolution), are composed as small
/// subtrees and read by `DataFileReader`'s own functions; if those report anything, it declines.
/// `DataFileEventReaderTests` checks the records against the tree reader's on every bundled and
/// fixture file.
enum DataFileEventReader {
    /// Why the reader gave a file back; never shown (the tree reader says what is wrong).
    struct Declined: Error {}

    /// The records of `text`, or nil when the file is for the tree reader.
    static func read(_ text: String, file: String) -> DataFileContents? {
        var contiguous = text
        return contiguous.withUTF8 { bytes -> DataFileContents? in
            guard let events = Events(bytes) else { return nil }
            defer { events.close() }
            var reader = Reader(events: events, file: file)
            return try? reader.readFile()
        }
    }

    /// libyaml's parser and its current event. A class: the parser refers to itself (its read
    /// handler's data is its own address), so it must not move, and it is freed once, in `close`.
    final class Events {
        let parser: UnsafeMutablePointer<yaml_parser_t>
        let event: UnsafeMutablePointer<yaml_event_t>
        private var holdsEvent = false
        private var depth = 0
        private var documents = 0

        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            parser = .allocate(capacity: 1)
            event = .allocate(capacity: 1)
            parser.initialize(to: yaml_parser_t())
            event.initialize(to: yaml_event_t())
            guard yaml_parser_initialize(parser) == 1 else {
                parser.deallocate()
                event.deallocate()
                return nil
            }
            yaml_parser_set_input_string(parser, bytes.baseAddress, bytes.count)
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        }

        func close() {
            if holdsEvent { yaml_event_delete(event) }
            yaml_parser_delete(parser)
            parser.deallocate()
            event.deallocate()
        }

        var type: yaml_event_type_t { event.pointee.type }
        var mark: yaml_mark_t { event.pointee.start_mark }

        /// Moves to the next event, declining what the tree reader would report or read differently.
        func advance() throws(Declined) {
            if holdsEvent {
                yaml_event_delete(event)
                holdsEvent = false
            }
            guard yaml_parser_parse(parser, event) == 1 else { throw Declined() }
            holdsEvent = true
            switch event.pointee.type {
            case YAML_ALIAS_EVENT:
                throw Declined()
            case YAML_SCALAR_EVENT:
                // An explicit tag changes how Yams resolves a scalar; dataset files write none.
                if event.pointee.data.scalar.tag != nil { throw Declined() }
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                depth += 1
                if depth > InputLimits.maxNestingDepth { throw Declined() }
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                depth -= 1
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 { throw Declined() }
            default:
                break
            }
        }

        /// The current scalar's bytes (valid until the next `advance`).
        var scalarBytes: UnsafeBufferPointer<UInt8> {
            let scalar = event.pointee.data.scalar
            return UnsafeBufferPointer(start: scalar.value, count: scalar.length)
        }

        /// Whether the current event is a scalar whose text is `key` (an ASCII key of the schema).
        func scalarIs(_ key: StaticString) -> Bool {
            let bytes = scalarBytes
            guard bytes.count == key.utf8CodeUnitCount else { return false }
            return bytes.elementsEqual(UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        }
    }

    /// The keys of each mapping of the schema, in the order the readers below number them.
    private enum Keys {
        static let file: [StaticString] = ["defaults", "nodes", "links", "quirks"]
        static let defaults: [StaticString] = ["doc"]
        /// `DataFileReader.nodeFields`, in its order (`id` first, required).
        static let node: [StaticString] = ["id", "kind", "label", "description", "aliases", "cite", "attributes", "links"]
        static let localized: [StaticString] = ["zh", "en"]
        static let cite: [StaticString] = ["doc", "at", "quote"]
        static let linkGroup: [StaticString] = ["from", "relation", "targets", "cite", "derived", "note"]
        static let derived: [StaticString] = ["rule", "justification"]
        static let target: [StaticString] = ["id", "as_written", "note"]
    }

    /// Reading one file's events, field by field, in the schema's shapes.
    private struct Reader {
        let events: Events
        let file: String
        var contents = DataFileContents()
        /// Receives what `DataFileReader`'s functions report on subtrees; anything there declines.
        let scratch = DiagnosticLog()

        init(events: Events, file: String) {
            self.events = events
            self.file = file
        }

        var location: SourceLocation {
            let mark = events.mark
            return SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        }

        mutating func readFile() throws(Declined) -> DataFileContents {
            try events.advance()
            guard events.type == YAML_STREAM_START_EVENT else { throw Declined() }
            try events.advance()
            guard events.type == YAML_DOCUMENT_START_EVENT else { throw Declined() }  // no document: "empty"
            try events.advance()
            // The file's own link groups come after its nodes' links, whichever is written first.
            var groups: [Boxed<RawLinkGroup>] = []
            try fields(Keys.file) { reader, key throws(Declined) in
                switch key {
                case 0:
                    try reader.fields(Keys.defaults) { reader, _ throws(Declined) in
                        let location = reader.location
                        reader.contents.defaultDocument = (try reader.text(), location)
                    }
                case 1:
                    try reader.sequence { reader throws(Declined) in
                        let node = try reader.readNode()
                        reader.contents.nodes.append(Boxed(node))
                    }
                case 2:
                    try reader.sequence { reader throws(Declined) in
                        groups.append(Boxed(try reader.readLinkGroup(from: nil)))
                    }
                default:
                    try reader.sequence { reader throws(Declined) in
                        let item = try reader.subtree()
                        guard let quirk = DataFileReader.readQuirk(item, reader: reader.treeReader) else { throw Declined() }
                        try reader.noneReported()
                        reader.contents.quirks.append(quirk)
                    }
                }
            }
            contents.links += groups
            try events.advance()
            guard events.type == YAML_DOCUMENT_END_EVENT else { throw Declined() }
            try events.advance()
            // A second document is refused by `advance`; the stream must end here.
            guard events.type == YAML_STREAM_END_EVENT else { throw Declined() }
            return contents
        }

        var treeReader: YAMLReader { YAMLReader(file: file, log: scratch) }

        func noneReported() throws(Declined) {
            if !scratch.all.isEmpty { throw Declined() }
        }

        // MARK: Shapes

        /// A mapping (the current event) whose keys are among `keys`, each at most once;
        /// `value` reads the value of the key at that index, starting on its first event and
        /// ending on its last. Ends on the mapping's end.
        mutating func fields(_ keys: [StaticString], required: UInt64 = 0,
                             _ value: (inout Reader, Int) throws(Declined) -> Void) throws(Declined) {
            guard events.type == YAML_MAPPING_START_EVENT else { throw Declined() }
            var seen: UInt64 = 0
            while true {
                try events.advance()
                if events.type == YAML_MAPPING_END_EVENT { break }
                guard events.type == YAML_SCALAR_EVENT, let index = keys.firstIndex(where: events.scalarIs) else {
                    throw Declined()  // a key that is not text, or not the schema's
                }
                let bit: UInt64 = 1 << UInt64(index)
                if seen & bit != 0 { throw Declined() }  // written twice
                seen |= bit
                try events.advance()
                try value(&self, index)
            }
            if seen & required != required { throw Declined() }
        }

        /// A list (the current event), each entry read by `entry` from its first event to its
        /// last. Ends on the list's end.
        mutating func sequence(_ entry: (inout Reader) throws(Declined) -> Void) throws(Declined) {
            guard events.type == YAML_SEQUENCE_START_EVENT else { throw Declined() }
            while true {
                try events.advance()
                if events.type == YAML_SEQUENCE_END_EVENT { return }
                try entry(&self)
            }
        }

        /// A text scalar as `YAMLReader.string` accepts it: not blank, within `limit`.
        func text(limit: Int = InputLimits.maxTextCharacters) throws(Declined) -> String {
            guard events.type == YAML_SCALAR_EVENT else { throw Declined() }
            let text = String(decoding: events.scalarBytes, as: UTF8.self)
            if YAMLReader.isBlank(text) { throw Declined() }
            if YAMLReader.isOverLimit(text, limit) { throw Declined() }
            return text
        }

        /// `{zh: ..., en: ...}`, both written, and where the Chinese text is.
        mutating func localized(limit: Int = InputLimits.maxTextCharacters) throws(Declined) -> (LocalizedText, SourceLocation) {
            var zh = "", en = ""
            var zhLocation = location
            try fields(Keys.localized, required: 0b11) { reader, key throws(Declined) in
                if key == 0 {
                    zhLocation = reader.location
                    zh = try reader.text(limit: limit)
                } else {
                    en = try reader.text(limit: limit)
                }
            }
            return (LocalizedText(zh: zh, en: en), zhLocation)
        }

        mutating func readCite() throws(Declined) -> RawCite {
            var cite = RawCite(location: location)
            try fields(Keys.cite) { reader, key throws(Declined) in
                switch key {
                case 0:
                    cite.docLocation = reader.location
                    cite.doc = try reader.text()
                case 1: cite.at = try reader.text()
                default: cite.quote = try reader.text()
                }
            }
            return cite
        }

        // MARK: Records

        /// One entry of `nodes`, as `DataFileReader.readNode` reads it; its links go to `contents.links`.
        mutating func readNode() throws(Declined) -> RawNode {
            let nodeLocation = location
            var id: String?
            var idLocation = nodeLocation
            var kind: (String, SourceLocation)?
            var label: LocalizedText?
            var labelZhLocation: SourceLocation?
            var description: LocalizedText?
            var aliases: [String] = []
            var cite: RawCite?
            var attributes: OrderedDictionary<String, AttributeValue> = [:]
            var attributeLocations: [String: SourceLocation] = [:]
            // The links name the node as their source, which is known once the whole entry is read.
            var links: [RawLinkGroup] = []
            try fields(Keys.node, required: 1) { reader, key throws(Declined) in
                switch key {
                case 0:
                    idLocation = reader.location
                    id = try reader.text(limit: InputLimits.maxIDCharacters)
                case 1:
                    let location = reader.location
                    kind = (try reader.text(), location)
                case 2:
                    let (text, zhLocation) = try reader.localized(limit: InputLimits.maxLabelCharacters)
                    label = text
                    labelZhLocation = zhLocation
                case 3:
                    description = try reader.localized().0
                case 4:
                    try reader.sequence { reader throws(Declined) in aliases.append(try reader.text()) }
                case 5:
                    cite = try reader.readCite()
                case 6:
                    let node = try reader.subtree()
                    guard let read = DataFileReader.attributesMapping(node, reader: reader.treeReader) else { throw Declined() }
                    try reader.noneReported()
                    attributes = read
                    attributeLocations = DataFileReader.attributeLocations(node, reader: reader.treeReader)
                default:
                    try reader.sequence { reader throws(Declined) in
                        // The source is filled in below, when the id is known.
                        links.append(try reader.readLinkGroup(from: ("", nodeLocation)))
                    }
                }
            }
            guard let id else { throw Declined() }
            for var group in links {
                group.from = (id, idLocation)
                contents.links.append(Boxed(group))
            }
            return RawNode(
                id: id, idLocation: idLocation, kind: kind, label: label, labelZhLocation: labelZhLocation,
                labelWritten: label != nil, description: description, aliases: aliases, cite: cite,
                attributes: attributes, attributeLocations: attributeLocations, location: nodeLocation)
        }

        /// A link group, as `DataFileReader.readLinkGroup` reads it: inside a node (`from` given)
        /// or in the file's `links` (with its own `from`).
        mutating func readLinkGroup(from: (String, SourceLocation)?) throws(Declined) -> RawLinkGroup {
            let groupLocation = location
            var source = from
            var relation: (String, SourceLocation)?
            var targets: [RawTarget] = []
            var cite: RawCite?
            var derived: (rule: String, justification: String, location: SourceLocation)?
            var note: String?
            let required: UInt64 = from == nil ? 0b00111 : 0b00110
            try fields(Keys.linkGroup, required: required) { reader, key throws(Declined) in
                switch key {
                case 0:
                    guard from == nil else { throw Declined() }  // `from` inside a node is unknown there
                    let location = reader.location
                    source = (try reader.text(), location)
                case 1:
                    let location = reader.location
                    relation = (try reader.text(), location)
                case 2:
                    try reader.sequence { reader throws(Declined) in targets.append(try reader.readTarget()) }
                case 3:
                    cite = try reader.readCite()
                case 4:
                    let location = reader.location
                    var rule: String?, justification: String?
                    try reader.fields(Keys.derived, required: 0b11) { reader, key throws(Declined) in
                        if key == 0 { rule = try reader.text() } else { justification = try reader.text() }
                    }
                    derived = (rule!, justification!, location)
                default:
                    note = try reader.text()
                }
            }
            guard let source, let relation else { throw Declined() }
            return RawLinkGroup(
                from: source, relation: relation, targets: targets, cite: cite, derived: derived,
                derivedWithoutRule: nil, note: note, location: groupLocation)
        }

        /// A target: an id, or `{id, as_written, note}` (located at its id).
        mutating func readTarget() throws(Declined) -> RawTarget {
            if events.type == YAML_SCALAR_EVENT {
                let location = location
                return RawTarget(id: try text(), location: location)
            }
            var id: String?
            var idLocation: SourceLocation?
            var asWritten: String?
            var note: String?
            try fields(Keys.target, required: 1) { reader, key throws(Declined) in
                switch key {
                case 0:
                    idLocation = reader.location
                    id = try reader.text()
                case 1: asWritten = try reader.text()
                default: note = try reader.text()
                }
            }
            guard let id, let idLocation else { throw Declined() }
            return RawTarget(id: id, asWritten: asWritten, note: note, location: idLocation)
        }

        // MARK: Subtrees

        /// The value starting at the current event composed as `YAMLComposer` composes it (for
        /// the parts `DataFileReader` reads itself). Ends on the value's last event.
        func subtree() throws(Declined) -> YAMLNode {
            let mark = YAMLMark(line: Int(events.mark.line) + 1, column: Int(events.mark.column) + 1)
            switch events.type {
            case YAML_SCALAR_EVENT:
                return .scalar(YAMLComposer.scalar(of: events.event.pointee, at: mark))
            case YAML_SEQUENCE_START_EVENT:
                var items: [YAMLNode] = []
                while true {
                    try events.advance()
                    if events.type == YAML_SEQUENCE_END_EVENT { return .sequence(items, mark) }
                    items.append(try subtree())
                }
            case YAML_MAPPING_START_EVENT:
                var pairs: [(YAMLNode, YAMLNode)] = []
                while true {
                    try events.advance()
                    if events.type == YAML_MAPPING_END_EVENT {
                        // Keys are text, each written once (the composer and the reader report the rest).
                        if YAMLComposer.mayRepeat(pairs) { throw Declined() }
                        return .mapping(pairs, mark)
                    }
                    let key = try subtree()
                    try events.advance()
                    pairs.append((key, try subtree()))
                }
            default:
                throw Declined()
            }
        }
    }
}
