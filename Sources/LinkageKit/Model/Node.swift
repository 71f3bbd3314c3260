import OrderedCollections

/// A name from the vocabulary (a kind or a relation): a string with its own type, so that the
/// two cannot be mixed up, coded and compared as its text.
public protocol VocabularyName: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    var rawValue: String { get }
    init(_ rawValue: String)
}

extension VocabularyName {
    public init(stringLiteral value: String) { self.init(value) }
    public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A node kind (`sdg-target`, `baap-output`, ...). Kinds are declared in `datasets/vocabulary.yaml`
/// or in a dataset manifest; the names of the kinds the analyses rely on are in WellKnown.swift.
public struct NodeKind: VocabularyName {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// A directed relation (`part-of`, `advances-sdg`, ...), declared like kinds.
public struct RelationKind: VocabularyName {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// A node of the linkage graph: an SDG target, a WSIS action line, a resolution, a plan output...
/// A value, stored in one shared box (`SharedFields`: copying a node is one reference count).
public struct Node: Hashable, Sendable {
    private struct Fields: Hashable, Sendable {
        var id: NodeID
        var kind: NodeKind
        var label: LocalizedText
        var description: LocalizedText?
        var aliases: [String]
        var attributes: OrderedDictionary<String, AttributeValue>
        var citation: Citation
        var dataset: String
        var location: SourceLocation?
    }

    private var stored: SharedFields<Fields>

    public var id: NodeID {
        get { stored.value.id }
        set { stored.value.id = newValue }
    }
    public var kind: NodeKind {
        get { stored.value.kind }
        set { stored.value.kind = newValue }
    }
    public var label: LocalizedText {
        get { stored.value.label }
        set { stored.value.label = newValue }
    }
    public var description: LocalizedText? {
        get { stored.value.description }
        set { stored.value.description = newValue }
    }
    /// Other names the node goes by (for example its number in another document's scheme).
    public var aliases: [String] {
        get { stored.value.aliases }
        set { stored.value.aliases = newValue }
    }
    /// Numbers, codes, URIs and flags, in the order the dataset lists them.
    public var attributes: OrderedDictionary<String, AttributeValue> {
        get { stored.value.attributes }
        set { stored.value.attributes = newValue }
    }
    public var citation: Citation {
        get { stored.value.citation }
        set { stored.value.citation = newValue }
    }
    /// The dataset that defines the node.
    public var dataset: String {
        get { stored.value.dataset }
        set { stored.value.dataset = newValue }
    }
    public var location: SourceLocation? {
        get { stored.value.location }
        set { stored.value.location = newValue }
    }

    public init(
        id: NodeID, kind: NodeKind, label: LocalizedText, description: LocalizedText? = nil,
        aliases: [String] = [], attributes: OrderedDictionary<String, AttributeValue> = [:],
        citation: Citation, dataset: String, location: SourceLocation? = nil
    ) {
        stored = SharedFields(Fields(id: id, kind: kind, label: label, description: description, aliases: aliases,
                                     attributes: attributes, citation: citation, dataset: dataset, location: location))
    }

    public subscript(attribute name: String) -> AttributeValue? { stored.value.attributes[name] }
}

/// A typed, directed link between two nodes, with its provenance. A value, stored in one
/// shared box like `Node`.
public struct Edge: Hashable, Sendable {
    private struct Fields: Hashable, Sendable {
        var source: NodeID
        var relation: RelationKind
        var target: NodeID
        var provenance: Provenance
        var dataset: String
        var location: SourceLocation?
        var asWritten: String?
        var note: String?
        var occurrences: Int
    }

    private var stored: SharedFields<Fields>

    public var source: NodeID {
        get { stored.value.source }
        set { stored.value.source = newValue }
    }
    public var relation: RelationKind {
        get { stored.value.relation }
        set { stored.value.relation = newValue }
    }
    public var target: NodeID {
        get { stored.value.target }
        set { stored.value.target = newValue }
    }
    public var provenance: Provenance {
        get { stored.value.provenance }
        set { stored.value.provenance = newValue }
    }
    /// The dataset that states or derives the link.
    public var dataset: String {
        get { stored.value.dataset }
        set { stored.value.dataset = newValue }
    }
    /// Where the link is written (for derived links from rules: the rule's declaration).
    public var location: SourceLocation? {
        get { stored.value.location }
        set { stored.value.location = newValue }
    }
    /// How the source wrote the target when it differs from the canonical id ("5b" for SDG-5.b).
    public var asWritten: String? {
        get { stored.value.asWritten }
        set { stored.value.asWritten = newValue }
    }
    /// A curator's remark on this one link.
    public var note: String? {
        get { stored.value.note }
        set { stored.value.note = newValue }
    }
    /// How many times the statement lists this target (2 when a reference list repeats it).
    /// The link itself is kept once.
    public var occurrences: Int {
        get { stored.value.occurrences }
        set { stored.value.occurrences = newValue }
    }

    public init(
        source: NodeID, relation: RelationKind, target: NodeID, provenance: Provenance, dataset: String,
        location: SourceLocation? = nil, asWritten: String? = nil, note: String? = nil, occurrences: Int = 1
    ) {
        stored = SharedFields(Fields(source: source, relation: relation, target: target, provenance: provenance,
                                     dataset: dataset, location: location, asWritten: asWritten, note: note,
                                     occurrences: occurrences))
    }

    public var key: EdgeKey { EdgeKey(source: source, relation: relation, target: target) }
    public var isDeclared: Bool { provenance.isDeclared }
}
