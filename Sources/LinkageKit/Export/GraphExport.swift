/// The rows and records of `linkage export`: nodes and edges in canonical ids, one row per
/// link (a link a document declares is exported once, as `declared`).
public enum GraphExport {
    public static let nodeHeader = ["id", "kind", "label_zh", "label_en", "source"]
    public static let edgeHeader = ["source", "relation", "target", "provenance"]

    public static func nodeRows(_ nodes: [Node]) -> [[String]] {
        nodes.map { [$0.id.rawValue, $0.kind.rawValue, $0.label.zh, $0.label.en, $0.citation.reference] }
    }

    public static func edgeRows(_ edges: [Edge]) -> [[String]] {
        edges.map { [$0.source.rawValue, $0.relation.rawValue, $0.target.rawValue, $0.provenance.name] }
    }

    /// Full node records for JSON: everything the dataset says about the node.
    public static func nodeRecords(_ nodes: [Node]) -> [NodeRecord] { nodes.map(NodeRecord.init) }
    public static func edgeRecords(_ edges: [Edge]) -> [EdgeRecord] { edges.map(EdgeRecord.init) }
}

public struct CitationRecord: Codable, Sendable, Hashable {
    public var document: String
    public var file: String?
    public var url: String?
    public var section: String
    public var quote: String?

    public init(_ citation: Citation) {
        document = citation.document.title.en
        file = citation.document.file
        url = citation.document.url
        section = citation.section
        quote = citation.quote
    }
}

public struct NodeRecord: Codable, Sendable {
    public var id: NodeID
    public var kind: NodeKind
    public var label: LocalizedText
    public var description: LocalizedText?
    public var aliases: [String]?
    public var attributes: [String: AttributeValue]?
    public var source: CitationRecord
    public var dataset: String

    public init(_ node: Node) {
        id = node.id
        kind = node.kind
        label = node.label
        description = node.description
        aliases = node.aliases.isEmpty ? nil : node.aliases
        attributes = node.attributes.isEmpty ? nil : Dictionary(uniqueKeysWithValues: node.attributes.map { ($0.key, $0.value) })
        source = CitationRecord(node.citation)
        dataset = node.dataset
    }
}

public struct EdgeRecord: Codable, Sendable {
    public struct DerivationRecord: Codable, Sendable {
        public var rule: String
        public var justification: String
        /// Each path as a readable chain `A -[r]-> B -[s]-> C`.
        public var paths: [String]?
        public var basis: CitationRecord?
    }

    public var source: NodeID
    public var relation: RelationKind
    public var target: NodeID
    public var provenance: String
    public var citation: CitationRecord?
    public var derivation: DerivationRecord?
    public var asWritten: String?
    public var note: String?
    public var dataset: String

    enum CodingKeys: String, CodingKey {
        case source, relation, target, provenance, citation, derivation, note, dataset
        case asWritten = "as_written"
    }

    public init(_ edge: Edge) {
        source = edge.source
        relation = edge.relation
        target = edge.target
        provenance = edge.provenance.name
        switch edge.provenance {
        case .declared(let c):
            citation = CitationRecord(c)
        case .derived(let d):
            derivation = DerivationRecord(
                rule: d.rule, justification: d.justification,
                paths: d.paths.isEmpty ? nil : d.paths.map { ProvenanceText.chain($0, from: edge.source) },
                basis: d.citation.map(CitationRecord.init))
        }
        asWritten = edge.asWritten
        note = edge.note
        dataset = edge.dataset
    }
}
