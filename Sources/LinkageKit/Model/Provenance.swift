/// Identifies an edge independently of how it came about.
public struct EdgeKey: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var source: NodeID
    public var relation: RelationKind
    public var target: NodeID

    public init(source: NodeID, relation: RelationKind, target: NodeID) {
        self.source = source
        self.relation = relation
        self.target = target
    }

    public var description: String { "\(source) -[\(relation)]-> \(target)" }

    public static func < (a: EdgeKey, b: EdgeKey) -> Bool {
        if a.source != b.source { return a.source < b.source }
        if a.relation != b.relation { return a.relation < b.relation }
        return a.target < b.target
    }
}

/// Why a link exists. A link that no source states is never presented as stated: it is
/// `derived`, names the rule that produced it and the links it was produced from.
public enum Provenance: Hashable, Sendable {
    /// A document states the link.
    case declared(Citation)
    /// A named rule produced the link. Boxed, so that a link carries one reference for its
    /// provenance whichever it is (its rule, paths and basis are read only for reports).
    indirect case derived(Derivation)

    public var isDeclared: Bool {
        if case .declared = self { return true }
        return false
    }

    /// `declared` or `derived`: the provenance column of every export.
    public var name: String { isDeclared ? "declared" : "derived" }
}

/// How a derived link was produced.
public struct Derivation: Hashable, Sendable, Codable {
    /// The rule's id: a composition rule from a manifest, or a curator's named inference.
    public var rule: String
    /// One line saying why the rule holds (for curated inferences: why this pair).
    public var justification: String
    /// For composition rules: every chain of links the derived link was composed from.
    /// Empty for a curator's inference, whose basis is the justification and `citation`.
    public var paths: [[EdgeKey]]
    /// The document the curator's inference rests on, when there is one.
    public var citation: Citation?

    public init(rule: String, justification: String, paths: [[EdgeKey]] = [], citation: Citation? = nil) {
        self.rule = rule
        self.justification = justification
        self.paths = paths
        self.citation = citation
    }
}
