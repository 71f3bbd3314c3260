/// Writes JSON bytes directly, for the two documents too large for Foundation's `JSONEncoder`
/// to write in the time they must be ready in: the graph part of a request to an external
/// analysis (`RequestJSON.swift`) and `result.json` (`ResultJSON.swift`).
///
/// Written by hand because `JSONEncoder` builds a tree of boxed values and sorts every object's
/// keys: the request must be ready in well under 100 ms (a benchmark holds it to that) and
/// `JSONEncoder` spends several times that on its 1.7 MB; a 1,000-element plan's `result.json`
/// is 22 MB, and encoding it was the longest step after its diagrams were drawn. The shapes
/// here are fixed, so keys are simply written in sorted order, and the output is byte-identical
/// to what `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes` (and `.prettyPrinted`
/// when `pretty`) writes: tests compare the two on the bundled data and on awkward values.
/// Strings are escaped as RFC 8259 requires (quote, backslash, control characters); everything
/// else is UTF-8 as is.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether a value was written since the last key or bracket: set after writing a value
    /// with the primitives (`string`, `number`, `raw`), which leave it alone.
    var needsComma = false
    /// `JSONEncoder`'s `.prettyPrinted` layout: two spaces per level, `"key" : value`, and an
    /// empty array or object as `[`, an empty line, `]`.
    private let pretty: Bool
    private var depth = 0

    init(pretty: Bool = false, capacity: Int = 2 * 1024 * 1024) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
    }

    // MARK: Primitives

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Copied in runs between the bytes that need escaping (most strings have none), not byte by
    /// byte: a 1,000-element plan's result.json is 22 MB, most of it strings (issue 9).
    mutating func string(_ text: String) {
        bytes.append(0x22)
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for (i, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                escape(byte)
                start = i + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(0x22)
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case 0x22: bytes.append(0x5C); bytes.append(0x22)
        case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
        case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
        case 0x0D: bytes.append(0x5C); bytes.append(0x72)
        case 0x09: bytes.append(0x5C); bytes.append(0x74)
        case 0x08: bytes.append(0x5C); bytes.append(0x62)
        case 0x0C: bytes.append(0x5C); bytes.append(0x66)
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
        }
    }

    mutating func number(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    /// Shortest round-tripping form without a trailing `.0` (`12`, `0.1`, `1e-07`, `3e+20`),
    /// as `JSONEncoder` writes it. JSON has no infinity or NaN, so those become null.
    mutating func number(_ value: Double) {
        guard value.isFinite else { raw("null"); return }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    mutating func boolean(_ value: Bool) {
        if value { raw("true") } else { raw("false") }
    }

    // MARK: Structure

    mutating func beginObject() { bytes.append(0x7B); open() }
    mutating func endObject() { close(0x7D) }
    mutating func beginArray() { bytes.append(0x5B); open() }
    mutating func endArray() { close(0x5D) }

    private mutating func open() {
        needsComma = false
        if pretty { depth += 1; bytes.append(0x0A) }
    }

    /// Pretty: the line break before a closing bracket (an empty array is thus `[`, an empty
    /// line, `]`, as `JSONEncoder` writes it).
    private mutating func close(_ bracket: UInt8) {
        if pretty {
            depth -= 1
            bytes.append(0x0A)
            indent()
        }
        bytes.append(bracket)
        needsComma = true
    }

    /// Before a key or an element: the comma after the previous one, and in the pretty layout
    /// the line break and indentation (the break after an opening bracket is already written).
    private mutating func separate() {
        if needsComma { bytes.append(0x2C); if pretty { bytes.append(0x0A) } }
        if pretty { indent() }
    }

    private mutating func indent() { bytes.append(contentsOf: repeatElement(0x20, count: 2 * depth)) }

    /// `,"name":` (`,\n  "name" : ` when pretty) — call in sorted key order.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(0x22)
        raw(name)
        bytes.append(0x22)
        colon()
    }

    /// A key that is not a compile-time constant (an attribute name).
    mutating func key(_ name: String) {
        separate()
        string(name)
        colon()
    }

    private mutating func colon() {
        if pretty { raw(" : ") } else { bytes.append(0x3A) }
        needsComma = false
    }

    /// A comma before the next array element.
    mutating func element() {
        separate()
        needsComma = false
    }

    mutating func field(_ name: StaticString, _ value: String) { key(name); string(value); needsComma = true }
    mutating func field(_ name: StaticString, _ value: String?) { if let value { field(name, value) } }
    mutating func field(_ name: StaticString, _ value: Int) { key(name); number(value); needsComma = true }
    mutating func field(_ name: StaticString, _ value: Bool) { key(name); boolean(value); needsComma = true }
    mutating func field(_ name: StaticString, _ value: LocalizedText) { key(name); text(value) }
    mutating func field(_ name: StaticString, _ value: LocalizedText?) { if let value { field(name, value) } }
    mutating func field(_ name: StaticString, strings: [String]) { array(name, strings) { $0.string($1) } }

    /// `null` when absent, where `field` would leave the key out.
    mutating func fieldOrNull(_ name: StaticString, _ value: String?) {
        if let value { field(name, value) } else { key(name); raw("null"); needsComma = true }
    }
    mutating func fieldOrNull(_ name: StaticString, _ value: Int?) {
        if let value { field(name, value) } else { key(name); raw("null"); needsComma = true }
    }
    mutating func fieldOrNull(_ name: StaticString, _ value: LocalizedText?) {
        if let value { field(name, value) } else { key(name); raw("null"); needsComma = true }
    }

    /// `[...]`, each item written by `write` (an object, a string …).
    mutating func list<Items: Sequence, Failure: Error>(_ items: Items, _ write: (inout JSONWriter, Items.Element) throws(Failure) -> Void)
        throws(Failure)
    {
        beginArray()
        for item in items {
            element()
            try write(&self, item)
            needsComma = true
        }
        endArray()
    }

    /// `"name": [...]`, each item written by `write`.
    mutating func array<Items: Sequence, Failure: Error>(_ name: StaticString, _ items: Items,
                                                         _ write: (inout JSONWriter, Items.Element) throws(Failure) -> Void) throws(Failure) {
        key(name)
        try list(items, write)
    }

    /// `"name": [{...}, ...]`, one object per item, whose fields `write` writes in sorted order.
    mutating func objects<Items: Sequence>(_ name: StaticString, _ items: Items, _ write: (inout JSONWriter, Items.Element) -> Void) {
        array(name, items) { writer, item in writer.object { write(&$0, item) } }
    }

    /// An object whose fields `write` writes, in sorted key order.
    mutating func object(_ write: (inout JSONWriter) -> Void) {
        beginObject()
        write(&self)
        endObject()
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
        case .boolean(let b): boolean(b)
        case .list(let items): list(items) { $0.attribute($1) }
        }
        needsComma = true
    }
}
