import Foundation

// The JSON form of an analysis result: what an external analysis writes on its standard output
// and what the host writes as `result.json`, so that one schema
// (docs/schema/analysis-protocol.schema.json) describes both directions. Keys are snake_case.
//
// Written by hand rather than synthesised, for four reasons a reader of the protocol cares about:
// unknown fields are errors that name the closest known field (a typo never passes silently);
// reader-facing texts accept a plain string as shorthand for the same text in both languages;
// view nodes, links and groups left short (`"SDG-9"`) are completed from the graph exactly as the
// built-in analyses draw them; and every value keeps its type (a decimal keeps its places).
//
// Absent and null differ for view nodes, links and groups: an absent field takes the graph's
// value, `null` means none. The host therefore writes those optional fields as explicit nulls,
// which makes its own `result.json` decode back to the same result.

extension CodingUserInfoKey {
    /// The `LinkageGraph` that short view nodes, links and groups are completed from.
    public static let linkageGraph = CodingUserInfoKey(rawValue: "linkage.graph")!
}

/// A JSON object key, any text: lets decoders list the keys present and reject unknown ones.
struct JSONKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == JSONKey {
    /// Throws for the first key not in `known`, naming the closest known one.
    func rejectUnknownKeys(_ known: [String]) throws {
        for key in allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where !known.contains(key.stringValue) {
            let hint = Suggestion.closest(to: key.stringValue, in: known).map { " (did you mean '\($0)'?)" } ?? ""
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath + [key],
                debugDescription: "unknown field '\(key.stringValue)'\(hint); fields here: \(known.joined(separator: ", "))"))
        }
    }

    func required<T: Decodable>(_ type: T.Type, _ key: String) throws -> T { try decode(T.self, forKey: JSONKey(key)) }
    func optional<T: Decodable>(_ type: T.Type, _ key: String) throws -> T? { try decodeIfPresent(T.self, forKey: JSONKey(key)) }
    func has(_ key: String) -> Bool { contains(JSONKey(key)) }

    /// Absent: `fallback`; null: nil; otherwise the value.
    func optional<T: Decodable>(_ type: T.Type, _ key: String, absent fallback: T?) throws -> T? {
        has(key) ? try decodeIfPresent(T.self, forKey: JSONKey(key)) : fallback
    }

    func list<T: Decodable>(_ type: T.Type, _ key: String) throws -> [T] { try decodeIfPresent([T].self, forKey: JSONKey(key)) ?? [] }

    func corrupted(_ key: String, _ message: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: codingPath + [JSONKey(key)], debugDescription: message))
    }
}

extension KeyedEncodingContainer where Key == JSONKey {
    mutating func put<T: Encodable>(_ value: T, _ key: String) throws { try encode(value, forKey: JSONKey(key)) }
    /// Omits the key when nil.
    mutating func putIfPresent<T: Encodable>(_ value: T?, _ key: String) throws { try encodeIfPresent(value, forKey: JSONKey(key)) }
    /// Writes `null` when nil (view nodes, links and groups: absent would mean "the graph's value").
    mutating func putOrNull<T: Encodable>(_ value: T?, _ key: String) throws {
        if let value { try encode(value, forKey: JSONKey(key)) } else { try encodeNil(forKey: JSONKey(key)) }
    }
}

private func objectContainer(_ decoder: any Decoder, expected: String) throws -> KeyedDecodingContainer<JSONKey> {
    do {
        return try decoder.container(keyedBy: JSONKey.self)
    } catch {
        throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: decoder.codingPath, debugDescription: "expected \(expected)"))
    }
}

// MARK: Texts

extension LocalizedText {
    /// A plain string (the same text in both languages) or `{"en": ..., "zh": ...}`.
    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            self.init(zh: text, en: text)
            return
        }
        let c = try objectContainer(decoder, expected: "a text: a string, or {\"en\": ..., \"zh\": ...}")
        try c.rejectUnknownKeys(["en", "zh"])
        self.init(zh: try c.required(String.self, "zh"), en: try c.required(String.self, "en"))
    }

    /// Always the object form, so readers find both languages in the same place.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(en, "en")
        try c.put(zh, "zh")
    }
}

// MARK: The result

extension AnalysisResult: Codable {
    static let fields = ["headline", "findings", "tables", "views", "method_notes"]
    /// Written by the host into `result.json` (what produced the result, which files hold its
    /// diagrams); accepted and ignored when a result is read.
    public static let hostFields = ["analysis", "options", "diagrams"]

    public init(from decoder: any Decoder) throws {
        let c = try objectContainer(decoder, expected: "a result object")
        try c.rejectUnknownKeys(Self.fields + Self.hostFields)
        self.init(headline: try c.list(HeadlineFigure.self, "headline"), findings: try c.list(Finding.self, "findings"),
                  tables: try c.list(ResultTable.self, "tables"), views: try c.list(ViewSpec.self, "views"),
                  methodNotes: try c.list(LocalizedText.self, "method_notes"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(headline, "headline")
        try c.put(findings, "findings")
        try c.put(tables, "tables")
        try c.put(views, "views")
        try c.put(methodNotes, "method_notes")
    }
}

extension HeadlineFigure {
    public init(from decoder: any Decoder) throws {
        let c = try objectContainer(decoder, expected: "a headline figure {\"label\", \"value\", \"note\"}")
        try c.rejectUnknownKeys(["label", "value", "note"])
        guard c.has("value") else {
            throw DecodingError.keyNotFound(JSONKey("value"), .init(codingPath: c.codingPath, debugDescription: "missing"))
        }
        let value: String
        if let text = try? c.required(String.self, "value") {
            value = text
        } else if let integer = try? c.required(Int.self, "value") {
            value = String(integer)
        } else if let number = try? c.required(Double.self, "value"), number.isFinite {
            value = AttributeValue.number(number).description
        } else {
            throw c.corrupted("value", "expected a string or a number")
        }
        self.init(try c.required(LocalizedText.self, "label"), value, note: try c.optional(LocalizedText.self, "note"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(label, "label")
        try c.put(value, "value")
        try c.putIfPresent(note, "note")
    }
}

extension Finding {
    public init(from decoder: any Decoder) throws {
        let c = try objectContainer(decoder, expected: "a finding {\"severity\", \"code\", \"message\", \"ids\"}")
        try c.rejectUnknownKeys(["severity", "code", "message", "ids"])
        let name = try c.required(String.self, "severity")
        guard let severity = Severity(rawValue: name) else {
            throw c.corrupted("severity", "expected error, warning or info, got '\(name)'")
        }
        self.init(severity, code: try c.required(String.self, "code"), try c.required(LocalizedText.self, "message"),
                  ids: try c.list(NodeID.self, "ids"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(severity, "severity")
        try c.put(code, "code")
        try c.put(message, "message")
        try c.put(ids, "ids")
    }
}

extension TableColumn {
    /// `"budget_chf"` (the title is the id) or `{"id": ..., "title": ...}`.
    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let id = try? single.decode(String.self) {
            self.init(id, LocalizedText.same(id))
            return
        }
        let c = try objectContainer(decoder, expected: "a column: its id, or {\"id\", \"title\"}")
        try c.rejectUnknownKeys(["id", "title"])
        let id = try c.required(String.self, "id")
        self.init(id, try c.optional(LocalizedText.self, "title") ?? .same(id))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(id, "id")
        try c.put(title, "title")
    }
}

extension ResultTable: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try objectContainer(decoder, expected: "a table {\"id\", \"title\", \"columns\", \"rows\"}")
        try c.rejectUnknownKeys(["id", "title", "caption", "columns", "rows"])
        self.init(id: try c.required(String.self, "id"), title: try c.required(LocalizedText.self, "title"),
                  columns: try c.required([TableColumn].self, "columns"), rows: try c.list([TableValue].self, "rows"),
                  caption: try c.optional(LocalizedText.self, "caption"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(id, "id")
        try c.put(title, "title")
        try c.putIfPresent(caption, "caption")
        try c.put(columns, "columns")
        try c.put(rows, "rows")
    }
}

extension TableValue {
    /// A string (text), an integer, a number (a decimal with as many places as it is written
    /// with, at most 6), `null` (empty), `{"id": "SDG-9.c"}` (a node of the graph) or
    /// `{"decimal": 12.5, "places": 2}` (a decimal shown with fixed places).
    public init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .empty
        } else if let integer = try? single.decode(Int.self) {
            self = .integer(integer)
        } else if let number = try? single.decode(Double.self) {
            guard number.isFinite else { throw DecodingError.dataCorruptedError(in: single, debugDescription: "numbers must be finite") }
            self = .decimal(number, places: Self.places(of: number))
        } else if let text = try? single.decode(String.self) {
            self = .text(text)
        } else if let c = try? decoder.container(keyedBy: JSONKey.self) {
            if c.has("id") {
                try c.rejectUnknownKeys(["id"])
                self = .id(try c.required(NodeID.self, "id"))
            } else if c.has("decimal") {
                try c.rejectUnknownKeys(["decimal", "places"])
                let places = try c.optional(Int.self, "places")
                let value = try c.required(Double.self, "decimal")
                guard (0...12).contains(places ?? 0) else { throw c.corrupted("places", "expected 0…12 places") }
                self = .decimal(value, places: places ?? Self.places(of: value))
            } else {
                try c.rejectUnknownKeys(["id", "decimal", "places"])
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected {\"id\": ...} or {\"decimal\": ..., \"places\": ...}"))
            }
        } else {
            throw DecodingError.dataCorruptedError(
                in: single, debugDescription: "expected a cell: a string, a number, null, {\"id\": ...} or {\"decimal\": ..., \"places\": ...}")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .text(let text):
            var single = encoder.singleValueContainer()
            try single.encode(text)
        case .integer(let integer):
            var single = encoder.singleValueContainer()
            try single.encode(integer)
        case .empty:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .id(let id):
            var c = encoder.container(keyedBy: JSONKey.self)
            try c.put(id, "id")
        case .decimal(let value, let places):
            // The value as shown (rounded to its places), so that the file holds no float noise.
            var c = encoder.container(keyedBy: JSONKey.self)
            try c.put(Double(formatDecimal(value, places: places)) ?? value, "decimal")
            try c.put(places, "places")
        }
    }

    /// Decimal places of the shortest form of a number, at most 6.
    static func places(of number: Double) -> Int {
        let text = String(number)
        guard !text.contains("e"), let dot = text.firstIndex(of: ".") else { return text.contains("e") ? 6 : 0 }
        let decimals = text[text.index(after: dot)...]
        return decimals == "0" ? 0 : min(decimals.count, 6)
    }
}

// MARK: Views

extension ViewSpec: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try objectContainer(decoder, expected: "a view {\"id\", \"title\", \"network\" or \"matrix\"}")
        try c.rejectUnknownKeys(["id", "title", "subtitle", "caption", "network", "matrix"])
        let diagram: Diagram
        switch (c.has("network"), c.has("matrix")) {
        case (true, false): diagram = .network(try c.required(NetworkView.self, "network"))
        case (false, true): diagram = .matrix(try c.required(MatrixView.self, "matrix"))
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "a view has exactly one of \"network\" and \"matrix\""))
        }
        self.init(id: try c.required(String.self, "id"), title: try c.required(LocalizedText.self, "title"),
                  subtitle: try c.optional(LocalizedText.self, "subtitle"), caption: try c.optional(LocalizedText.self, "caption"),
                  diagram: diagram)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(id, "id")
        try c.put(title, "title")
        try c.putIfPresent(subtitle, "subtitle")
        try c.putIfPresent(caption, "caption")
        switch diagram {
        case .network(let network): try c.put(network, "network")
        case .matrix(let matrix): try c.put(matrix, "matrix")
        }
    }
}

extension NetworkView: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try objectContainer(decoder, expected: "a network {\"nodes\", \"edges\", \"groups\", \"ranks\", \"layout\"}")
        try c.rejectUnknownKeys(["nodes", "edges", "groups", "ranks", "layout", "line_colour_key"])
        let layoutName = try c.optional(String.self, "layout") ?? Layout.flow.rawValue
        guard let layout = Layout(rawValue: layoutName) else { throw c.corrupted("layout", "expected flow or spring, got '\(layoutName)'") }
        self.init(nodes: try c.required([ViewNode].self, "nodes"), edges: try c.list(ViewEdge.self, "edges"),
                  groups: try c.list(ViewGroup.self, "groups"), ranks: try c.list([NodeID].self, "ranks"), layout: layout,
                  lineColourKey: try c.optional(LocalizedText.self, "line_colour_key"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(nodes, "nodes")
        try c.put(edges, "edges")
        try c.put(groups, "groups")
        try c.put(ranks, "ranks")
        try c.put(layout.rawValue, "layout")
        try c.putIfPresent(lineColourKey, "line_colour_key")
    }
}

extension ViewNode: Codable {
    static let fields = ["id", "kind", "kind_label", "role", "label", "code", "tooltip", "url", "colour", "emphasised", "max_label_lines", "details"]

    /// A node id alone, or an object whose absent fields take the graph's values (the way every
    /// built-in analysis draws that node: label, kind, colour, tooltip, link).
    public init(from decoder: any Decoder) throws {
        let graph = decoder.userInfo[.linkageGraph] as? LinkageGraph
        if let single = try? decoder.singleValueContainer(), let id = try? single.decode(NodeID.self) {
            self = Self.fromGraph(id, graph)
            return
        }
        let c = try objectContainer(decoder, expected: "a node: its id, or {\"id\", ...}")
        try c.rejectUnknownKeys(Self.fields)
        var node = Self.fromGraph(try c.required(NodeID.self, "id"), graph)
        if let kind = try c.optional(NodeKind.self, "kind") {
            node.kind = kind
            let spec = graph?.vocabulary.spec(kind)
            node.kindLabel = spec?.label ?? .same(kind.rawValue)
            node.role = spec?.role ?? .other
        }
        node.kindLabel = try c.optional(LocalizedText.self, "kind_label") ?? node.kindLabel
        if let roleName = try c.optional(String.self, "role") {
            guard let role = NodeRole(rawValue: roleName) else {
                throw c.corrupted("role", "unknown role '\(roleName)'; roles: \(NodeRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            node.role = role
        }
        node.label = try c.optional(LocalizedText.self, "label") ?? node.label
        node.code = try c.optional(String.self, "code", absent: node.code)
        node.tooltip = try c.optional(LocalizedText.self, "tooltip", absent: node.tooltip)
        node.url = try c.optional(String.self, "url", absent: node.url)
        node.colour = try c.optional(String.self, "colour", absent: node.colour)
        node.emphasised = try c.optional(Bool.self, "emphasised") ?? node.emphasised
        node.maxLabelLines = try c.optional(Int.self, "max_label_lines", absent: node.maxLabelLines)
        node.details = try c.optional(LocalizedText.self, "details", absent: node.details)
        self = node
    }

    /// The node as the built-in analyses draw it; an id the graph lacks gets its id as label
    /// (the validator reports it).
    static func fromGraph(_ id: NodeID, _ graph: LinkageGraph?) -> ViewNode {
        if let graph, graph.contains(id) { return NetworkViewBuilder(graph: graph).viewNode(id) }
        return ViewNode(id: id, kind: "unknown", kindLabel: .same("unknown"), role: .other, label: .same(id.rawValue), code: id.rawValue)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(id, "id")
        try c.put(kind, "kind")
        try c.put(kindLabel, "kind_label")
        try c.put(role.rawValue, "role")
        try c.put(label, "label")
        try c.putOrNull(code, "code")
        try c.putOrNull(tooltip, "tooltip")
        try c.putOrNull(url, "url")
        try c.putOrNull(colour, "colour")
        try c.put(emphasised, "emphasised")
        try c.putOrNull(maxLabelLines, "max_label_lines")
        try c.putOrNull(details, "details")
    }
}

extension ViewEdge: Codable {
    static let fields = ["source", "target", "relation", "relation_label", "declared", "tooltip", "weight", "label", "directed", "colour"]

    /// Absent fields of a link the graph has take the graph's values (declared or derived, the
    /// citation or rule as tooltip). A link the graph does not have is drawn as derived (dashed):
    /// only a document can make a link declared.
    public init(from decoder: any Decoder) throws {
        let graph = decoder.userInfo[.linkageGraph] as? LinkageGraph
        let c = try objectContainer(decoder, expected: "a link {\"source\", \"relation\", \"target\", ...}")
        try c.rejectUnknownKeys(Self.fields)
        let source = try c.required(NodeID.self, "source"), target = try c.required(NodeID.self, "target")
        let relation = try c.required(RelationKind.self, "relation")
        var edge: ViewEdge
        if let graph, let known = graph.edge(EdgeKey(source: source, relation: relation, target: target)) {
            edge = NetworkViewBuilder(graph: graph).viewEdge(known)
        } else {
            edge = ViewEdge(source: source, target: target, relation: relation,
                            relationLabel: graph?.vocabulary.spec(relation)?.label ?? .same(relation.rawValue), declared: false)
        }
        edge.relationLabel = try c.optional(LocalizedText.self, "relation_label") ?? edge.relationLabel
        edge.declared = try c.optional(Bool.self, "declared") ?? edge.declared
        edge.tooltip = try c.optional(String.self, "tooltip", absent: edge.tooltip)
        edge.weight = try c.optional(Int.self, "weight", absent: edge.weight)
        edge.label = try c.optional(String.self, "label", absent: edge.label)
        edge.directed = try c.optional(Bool.self, "directed") ?? edge.directed
        edge.colour = try c.optional(String.self, "colour", absent: edge.colour)
        self = edge
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(source, "source")
        try c.put(relation, "relation")
        try c.put(target, "target")
        try c.put(relationLabel, "relation_label")
        try c.put(declared, "declared")
        try c.putOrNull(tooltip, "tooltip")
        try c.putOrNull(weight, "weight")
        try c.putOrNull(label, "label")
        try c.put(directed, "directed")
        try c.putOrNull(colour, "colour")
    }
}

extension ViewGroup: Codable {
    /// A group whose id is a node id takes that node's code and label and its prescribed colour
    /// when `label` or `colour` are absent.
    public init(from decoder: any Decoder) throws {
        let graph = decoder.userInfo[.linkageGraph] as? LinkageGraph
        let c = try objectContainer(decoder, expected: "a group {\"id\", \"members\", \"label\", \"colour\"}")
        try c.rejectUnknownKeys(["id", "label", "members", "colour"])
        let id = try c.required(String.self, "id")
        let node = graph?.node(NodeID(id))
        let label = node.map { LocalizedText(zh: "\(id) \($0.label.zh)", en: "\(id) \($0.label.en)") } ?? .same(id)
        let colour = graph.flatMap { NetworkViewBuilder(graph: $0).prescribedColour(of: NodeID(id)) }
        self.init(id: id, label: try c.optional(LocalizedText.self, "label") ?? label, members: try c.required([NodeID].self, "members"),
                  colour: try c.optional(String.self, "colour", absent: colour))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(id, "id")
        try c.put(label, "label")
        try c.put(members, "members")
        try c.putOrNull(colour, "colour")
    }
}

extension MatrixView: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try objectContainer(decoder, expected: "a matrix {\"row_header\", \"column_header\", \"rows\", \"columns\", \"cells\"}")
        try c.rejectUnknownKeys(["row_header", "column_header", "rows", "columns", "cells", "legend", "footnote"])
        self.init(rowHeader: try c.required(LocalizedText.self, "row_header"),
                  columnHeader: try c.required(LocalizedText.self, "column_header"),
                  rows: try c.required([MatrixAxisEntry].self, "rows"), columns: try c.required([MatrixAxisEntry].self, "columns"),
                  cells: try c.required([[MatrixCell]].self, "cells"), legend: try c.list(MatrixLegendEntry.self, "legend"),
                  footnote: try c.optional(LocalizedText.self, "footnote"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(rowHeader, "row_header")
        try c.put(columnHeader, "column_header")
        try c.put(rows, "rows")
        try c.put(columns, "columns")
        try c.put(cells, "cells")
        try c.put(legend, "legend")
        try c.putIfPresent(footnote, "footnote")
    }
}

extension MatrixAxisEntry: Codable {
    /// A text (its label: a string or `{"en", "zh"}`), or `{"label", "colour", "tooltip", "url"}`.
    public init(from decoder: any Decoder) throws {
        if let text = try decodeTextShorthand(decoder) {
            self.init(label: text)
            return
        }
        let c = try objectContainer(decoder, expected: "a row or column: its label, or {\"label\", \"colour\", \"tooltip\", \"url\"}")
        try c.rejectUnknownKeys(["label", "colour", "tooltip", "url", "group"])
        self.init(label: try c.required(LocalizedText.self, "label"), colour: try c.optional(String.self, "colour"),
                  tooltip: try c.optional(String.self, "tooltip"), url: try c.optional(String.self, "url"),
                  group: try c.optional(LocalizedText.self, "group"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(label, "label")
        try c.putIfPresent(colour, "colour")
        try c.putIfPresent(tooltip, "tooltip")
        try c.putIfPresent(url, "url")
        try c.putIfPresent(group, "group")
    }
}

extension MatrixCell: Codable {
    /// A text (what the cell says), a number, null (an empty cell), or `{"text", "colour", "tooltip"}`.
    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer() {
            if single.decodeNil() { self.init(""); return }
            if let integer = try? single.decode(Int.self) { self.init(String(integer)); return }
            if let number = try? single.decode(Double.self), number.isFinite { self.init(AttributeValue.number(number).description); return }
        }
        if let text = try decodeTextShorthand(decoder) {
            self.init(text: text)
            return
        }
        let c = try objectContainer(decoder, expected: "a cell: a text, a number, null, or {\"text\", \"colour\", \"tooltip\"}")
        try c.rejectUnknownKeys(["text", "colour", "tooltip"])
        self.init(text: try c.optional(LocalizedText.self, "text") ?? .same(""), colour: try c.optional(String.self, "colour"),
                  tooltip: try c.optional(String.self, "tooltip"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(text, "text")
        try c.putIfPresent(colour, "colour")
        try c.putIfPresent(tooltip, "tooltip")
    }
}

/// A text given where an object with a text may stand: a string, or an object whose keys are
/// the languages (`{"en", "zh"}`). Nil when the value is some other object.
private func decodeTextShorthand(_ decoder: any Decoder) throws -> LocalizedText? {
    if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) { return .same(text) }
    if let c = try? decoder.container(keyedBy: JSONKey.self), !c.allKeys.isEmpty,
       c.allKeys.allSatisfy({ $0.stringValue == "en" || $0.stringValue == "zh" }) {
        return try LocalizedText(from: decoder)
    }
    return nil
}

extension MatrixLegendEntry: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try objectContainer(decoder, expected: "a legend entry {\"colour\", \"label\"}")
        try c.rejectUnknownKeys(["colour", "label"])
        self.init(colour: try c.required(String.self, "colour"), label: try c.required(LocalizedText.self, "label"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(colour, "colour")
        try c.put(label, "label")
    }
}

// MARK: Reading and writing

extension AnalysisResult {
    /// Reads a result; short view nodes, links and groups are completed from `graph`. A shape
    /// error is thrown as a `ResultProblem` naming the place in the JSON.
    public static func decode(_ data: Data, graph: LinkageGraph?) throws(ResultProblem) -> AnalysisResult {
        let decoder = JSONDecoder()
        if let graph { decoder.userInfo[.linkageGraph] = graph }
        do {
            return try decoder.decode(AnalysisResult.self, from: data)
        } catch let error as DecodingError {
            throw ResultProblem(error, in: data)
        } catch {
            throw ResultProblem(path: "", message: "not valid JSON: \(error)")
        }
    }
}

/// A problem in a result: where in the JSON (`views[0].network.nodes[2].id`) and what.
public struct ResultProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// Dotted path with indexes; empty for the document as a whole.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// `views[0].network.nodes[2]` from a coding path.
    public static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    /// A decoding error; a syntax error is located as `line L, column C` of `data`.
    init(_ error: DecodingError, in data: Data) {
        if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
            self.init(path: "", message: "not valid JSON: " + Self.syntaxError(in: data))
        } else {
            self.init(error)
        }
    }

    /// Where JSON text breaks (JSONDecoder does not say; JSONSerialization gives an offset).
    static func syntaxError(in data: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return "the top level is not an object"
        } catch {
            var text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            if text.hasSuffix(".") { text.removeLast() }
            guard let range = text.range(of: "around character "), let offset = Int(text[range.upperBound...]) else {
                return text.prefix(1).lowercased() + text.dropFirst()
            }
            var line = 1, column = 1
            for byte in data.prefix(offset) {
                if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
            }
            let reason = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            return "\(reason.prefix(1).lowercased() + reason.dropFirst()) at line \(line), column \(column)"
        }
    }

    init(_ error: DecodingError) {
        switch error {
        case .typeMismatch(let type, let context):
            let expected = context.debugDescription.hasPrefix("expected") ? context.debugDescription : "expected \(Self.name(of: type))"
            self.init(path: Self.path(context.codingPath), message: expected)
        case .valueNotFound(let type, let context):
            self.init(path: Self.path(context.codingPath), message: "expected \(Self.name(of: type)), found null")
        case .keyNotFound(let key, let context):
            self.init(path: Self.path(context.codingPath), message: "missing field '\(key.stringValue)'")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty, let underlying = context.underlyingError {
                self.init(path: "", message: "not valid JSON: \(Self.describe(underlying))")
            } else {
                self.init(path: Self.path(context.codingPath), message: context.debugDescription)
            }
        @unknown default:
            self.init(path: "", message: "\(error)")
        }
    }

    static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type, is NodeID.Type, is NodeKind.Type, is RelationKind.Type: "a string"
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        default: "a value of the right kind"
        }
    }

    static func describe(_ error: any Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        return text
    }
}
