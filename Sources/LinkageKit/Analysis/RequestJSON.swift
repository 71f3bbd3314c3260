/// Writes the graph part of a request as JSON bytes directly.
///
/// Written by hand because the request must be ready in well under 100 ms (a benchmark holds
/// it to that) and Foundation's `JSONEncoder` spends several times that on 1.7 MB of nested
/// records: it builds a tree of boxed values and sorts every object's keys. The shape here is
/// fixed, so keys are simply written in sorted order, and the output is byte-identical to what
/// `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes` would write. Strings are
/// escaped as RFC 8259 requires (quote, backslash, control characters); everything else is
/// UTF-8 as is.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init() { bytes.reserveCapacity(2 * 1024 * 1024) }

    // MARK: Primitives

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func string(_ text: String) {
        bytes.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes.append(0x5C); bytes.append(0x22)
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
            case 0x0D: bytes.append(0x5C); bytes.append(0x72)
            case 0x09: bytes.append(0x5C); bytes.append(0x74)
            case 0x08: bytes.append(0x5C); bytes.append(0x62)
            case 0x0C: bytes.append(0x5C); bytes.append(0x66)
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }

    mutating func number(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    /// Shortest round-tripping form; JSON has no infinity or NaN, so those become null.
    mutating func number(_ value: Double) {
        guard value.isFinite else { raw("null"); return }
        if value == 0 {
            if value.sign == .minus { raw("-0") } else { raw("0") }
        } else if value == value.rounded(), abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int(value)).utf8)
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    // MARK: Structure

    mutating func beginObject() { bytes.append(0x7B); needsComma = false }
    mutating func endObject() { bytes.append(0x7D); needsComma = true }
    mutating func beginArray() { bytes.append(0x5B); needsComma = false }
    mutating func endArray() { bytes.append(0x5D); needsComma = true }

    /// `,"name":` — call in sorted key order.
    mutating func key(_ name: StaticString) {
        if needsComma { bytes.append(0x2C) }
        bytes.append(0x22)
        raw(name)
        bytes.append(0x22)
        bytes.append(0x3A)
        needsComma = false
    }

    /// A comma before the next array element.
    mutating func element() {
        if needsComma { bytes.append(0x2C) }
        needsComma = false
    }

    mutating func field(_ name: StaticString, _ value: String) { key(name); string(value); needsComma = true }
    mutating func field(_ name: StaticString, _ value: String?) { if let value { field(name, value) } }
    mutating func field(_ name: StaticString, _ value: Int) { key(name); number(value); needsComma = true }
    mutating func field(_ name: StaticString, _ value: LocalizedText) { key(name); text(value) }
    mutating func field(_ name: StaticString, _ value: LocalizedText?) { if let value { field(name, value) } }
    mutating func field(_ name: StaticString, strings: [String]) {
        key(name)
        beginArray()
        for value in strings { element(); string(value); needsComma = true }
        endArray()
    }

    mutating func text(_ value: LocalizedText) {
        beginObject()
        field("en", value.en)
        field("zh", value.zh)
        endObject()
    }

    mutating func attribute(_ value: AttributeValue) {
        switch value {
        case .string(let s): string(s)
        case .integer(let i): number(i)
        case .number(let d): number(d)
        case .boolean(let b): if b { raw("true") } else { raw("false") }
        case .list(let items):
            beginArray()
            for item in items { element(); attribute(item); needsComma = true }
            endArray()
        }
        needsComma = true
    }

    // MARK: The graph (keys in sorted order at every level)

    mutating func graph(_ graph: LinkageGraph) {
        beginObject()
        key("datasets")
        beginArray()
        for info in graph.datasets { element(); dataset(info) }
        endArray()
        key("edges")
        beginArray()
        for edge in graph.edges { element(); self.edge(edge) }
        endArray()
        key("nodes")
        beginArray()
        for node in graph.nodes { element(); self.node(node, role: graph.vocabulary.role(of: node.kind)) }
        endArray()
        key("vocabulary")
        vocabulary(graph.vocabulary)
        endObject()
    }

    mutating func citation(_ citation: Citation) {
        beginObject()
        field("document", citation.document.id)
        field("file", citation.document.file)
        // The name a reader looks the document up by (reports cite it, not the file name).
        field("name", citation.document.name)
        field("quote", citation.quote)
        field("section", citation.section)
        field("url", citation.document.url)
        endObject()
    }

    mutating func node(_ node: Node, role: NodeRole) {
        beginObject()
        if !node.aliases.isEmpty { field("aliases", strings: node.aliases) }
        if !node.attributes.isEmpty {
            key("attributes")
            beginObject()
            for name in node.attributes.keys.sorted() {
                key(name)
                attribute(node.attributes[name]!)
            }
            endObject()
        }
        key("citation")
        citation(node.citation)
        field("dataset", node.dataset)
        field("description", node.description)
        field("id", node.id.rawValue)
        field("kind", node.kind.rawValue)
        field("label", node.label)
        field("role", role.rawValue)
        endObject()
    }

    /// A key that is not a compile-time constant (an attribute name).
    mutating func key(_ name: String) {
        if needsComma { bytes.append(0x2C) }
        string(name)
        bytes.append(0x3A)
        needsComma = false
    }

    mutating func edgeKey(_ key: EdgeKey) {
        beginObject()
        field("relation", key.relation.rawValue)
        field("source", key.source.rawValue)
        field("target", key.target.rawValue)
        endObject()
    }

    mutating func edge(_ edge: Edge) {
        beginObject()
        field("as_written", edge.asWritten)
        if case .declared(let cited) = edge.provenance {
            key("citation")
            citation(cited)
        }
        field("dataset", edge.dataset)
        if case .derived(let derivation) = edge.provenance {
            key("derivation")
            beginObject()
            if let basis = derivation.citation {
                key("citation")
                citation(basis)
            }
            field("justification", derivation.justification)
            key("paths")
            beginArray()
            for path in derivation.paths {
                element()
                beginArray()
                for step in path { element(); edgeKey(step) }
                endArray()
            }
            endArray()
            field("rule", derivation.rule)
            endObject()
        }
        field("note", edge.note)
        if edge.occurrences != 1 { field("occurrences", edge.occurrences) }
        field("provenance", edge.provenance.name)
        field("relation", edge.relation.rawValue)
        field("source", edge.source.rawValue)
        field("target", edge.target.rawValue)
        endObject()
    }

    mutating func vocabulary(_ vocabulary: Vocabulary) {
        beginObject()
        key("kinds")
        beginArray()
        for spec in vocabulary.sortedKinds {
            element()
            beginObject()
            field("description", spec.description)
            field("id", spec.kind.rawValue)
            field("label", spec.label)
            field("role", spec.role.rawValue)
            endObject()
        }
        endArray()
        key("plans")
        beginArray()
        for plan in vocabulary.plans {
            element()
            beginObject()
            field("description", plan.description)
            field("elements", strings: plan.elements.map(\.rawValue))
            field("groups", plan.groups?.rawValue)
            field("id", plan.id)
            field("label", plan.label)
            endObject()
        }
        endArray()
        key("relations")
        beginArray()
        for spec in vocabulary.sortedRelations {
            element()
            beginObject()
            field("description", spec.description)
            field("id", spec.relation.rawValue)
            field("label", spec.label)
            endObject()
        }
        endArray()
        key("rules")
        beginArray()
        for rule in vocabulary.rules {
            element()
            beginObject()
            field("id", rule.id)
            field("justification", rule.justification)
            field("label", rule.label)
            field("produces", rule.produces.rawValue)
            endObject()
        }
        endArray()
        endObject()
    }

    mutating func dataset(_ info: DatasetInfo) {
        beginObject()
        field("name", info.name)
        key("sources")
        beginArray()
        for source in info.sources {
            element()
            beginObject()
            field("file", source.file)
            field("id", source.id)
            field("title", source.title)
            field("url", source.url)
            endObject()
        }
        endArray()
        field("title", info.title)
        endObject()
    }
}
