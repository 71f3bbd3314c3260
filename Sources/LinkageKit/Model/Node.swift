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
///
/// A value like any other, stored in one shared box: a node holds a dozen reference-counted
/// fields, and stored inline every copy (out of a dictionary, into the graph's array, into a
/// view) retained and released each of them (issue 9: copying nodes was about 8 % of loading a
/// large plan). A copy is now one reference count; a setter copies the box first when it is
/// shared (copy on write), so no node ever changes through another.
public struct Node: Hashable, Sendable {
    private struct Fields: Hashable {
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

    /// Mutated only while uniquely referenced (`fields`'s `_modify`), hence sendable.
    private final class Box: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    private var fields: Fields {
        get { box.fields }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
            yield &box.fields
        }
    }

    public var id: NodeID {
        get { box.fields.id }
        set { fields.id = newValue }
    }
    public var kind: NodeKind {
        get { box.fields.kind }
        set { fields.kind = newValue }
    }
    public var label: LocalizedText {
        get { box.fields.label }
        set { fields.label = newValue }
    }
    public var description: LocalizedText? {
        get { box.fields.description }
        set { fields.description = newValue }
    }
    /// Other names the node goes by (for example its number in another document's scheme).
    public var aliases: [String] {
        get { box.fields.aliases }
        set { fields.aliases = newValue }
    }
    /// Numbers, codes, URIs and flags, in the order the dataset lists them.
    public var attributes: OrderedDictionary<String, AttributeValue> {
        get { box.fields.attributes }
        set { fields.attributes = newValue }
    }
    public var citation: Citation {
        get { box.fields.citation }
        set { fields.citation = newValue }
    }
    /// The dataset that defines the node.
    public var dataset: String {
        get { box.fields.dataset }
        set { fields.dataset = newValue }
    }
    public var location: SourceLocation? {
        get { box.fields.location }
        set { fields.location = newValue }
    }

    public init(
        id: NodeID, kind: NodeKind, label: LocalizedText, description: LocalizedText? = nil,
        aliases: [String] = [], attributes: OrderedDictionary<String, AttributeValue> = [:],
        citation: Citation, dataset: String, location: SourceLocation? = nil
    ) {
        box = Box(Fields(id: id, kind: kind, label: label, description: description, aliases: aliases,
                         attributes: attributes, citation: citation, dataset: dataset, location: location))
    }

    public static func == (a: Node, b: Node) -> Bool { a.box === b.box || a.box.fields == b.box.fields }
    public func hash(into hasher: inout Hasher) { hasher.combine(box.fields) }

    public subscript(attribute name: String) -> AttributeValue? { box.fields.attributes[name] }
}

/// A typed, directed link between two nodes, with its provenance.
public struct Edge: Hashable, Sendable {
    public var source: NodeID
    public var relation: RelationKind
    public var target: NodeID
    public var provenance: Provenance
    /// The dataset that states or derives the link.
    public var dataset: String
    /// Where the link is written (for derived links from rules: the rule's declaration).
    public var location: SourceLocation?
    /// How the source wrote the target when it differs from the canonical id ("5b" for SDG-5.b).
    public var asWritten: String?
    /// A curator's remark on this one link.
    public var note: String?
    /// How many times the statement lists this target (2 when a reference list repeats it).
    /// The link itself is kept once.
    public var occurrences: Int

    public init(
        source: NodeID, relation: RelationKind, target: NodeID, provenance: Provenance, dataset: String,
        location: SourceLocation? = nil, asWritten: String? = nil, note: String? = nil, occurrences: Int = 1
    ) {
        self.occurrences = occurrences
        self.source = source
        self.relation = relation
        self.target = target
        self.provenance = provenance
        self.dataset = dataset
        self.location = location
        self.asWritten = asWritten
        self.note = note
    }

    public var key: EdgeKey { EdgeKey(source: source, relation: relation, target: target) }
    public var isDeclared: Bool { provenance.isDeclared }
}
