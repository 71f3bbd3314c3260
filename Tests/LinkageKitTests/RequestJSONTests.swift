import Foundation
@testable import LinkageKit
import LinkageTestSupport
import Testing

/// The request's graph is written by hand for speed (JSONWriter); it must be byte-identical to
/// what Foundation's JSONEncoder writes for the same records with sorted keys, which the
/// reference encoding below does.
@Suite("Request JSON")
struct RequestJSONTests {
    func reference(_ graph: LinkageGraph) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(GraphDocument(graph))
    }

    @Test func theBundledGraphIsWrittenAsJSONEncoderWouldWriteIt() throws {
        let graph = Repository.loaded.graph
        let written = try AnalysisRequestEncoder(graph: graph).graphJSON
        #expect(written == (try reference(graph)))
    }

    @Test func stringsAndNumbersAreEscapedAndFormattedAsJSONEncoderDoes() throws {
        var fixture = FixtureGraph()
        fixture.declare("thing", role: .other)
        let awkward = "quote \" backslash \\ slash / tab \t newline \n return \r bell \u{07} nul \u{00} DEL \u{7F} 中文 😀 \u{2028}"
        fixture.node("A", "thing", awkward, attributes: [
            "b": .number(0.1), "a": .number(12.36), "c": .number(1e-7), "d": .number(3e20), "e": .integer(-5), "f": .boolean(false),
            "g": .list([.string(awkward), .number(2.0), .list([])]), "h": .number(-0.0),
        ])
        fixture.node("B", "thing")
        fixture.link("A", "mentions", ["B"], derivedBy: "rule \"x\"")
        let graph = fixture.build()
        let written = try AnalysisRequestEncoder(graph: graph).graphJSON
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: try reference(graph), as: UTF8.self))
        let parsed = try #require(JSONSerialization.jsonObject(with: written) as? [String: Any])
        let node = try #require((parsed["nodes"] as? [[String: Any]])?.first)
        #expect((node["label"] as? [String: Any])?["en"] as? String == awkward)
    }
}

// The reference: the Codable records the request was first encoded with.
/// The graph as the request carries it.
struct GraphDocument: Encodable {
    let graph: LinkageGraph
    init(_ graph: LinkageGraph) { self.graph = graph }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(graph.nodes.map { NodeDocument(node: $0, role: graph.vocabulary.role(of: $0.kind)) }, "nodes")
        try c.put(graph.edges.map(EdgeDocument.init), "edges")
        try c.put(VocabularyDocument(vocabulary: graph.vocabulary), "vocabulary")
        try c.put(graph.datasets.map(DatasetDocument.init), "datasets")
    }
}

struct CitationDocument: Encodable {
    let citation: Citation
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(citation.document.id, "document")
        try c.putIfPresent(citation.document.file, "file")
        try c.putIfPresent(citation.document.name, "name")
        try c.putIfPresent(citation.document.url, "url")
        try c.put(citation.section, "section")
        try c.putIfPresent(citation.quote, "quote")
    }
}

struct NodeDocument: Encodable {
    let node: Node
    let role: NodeRole
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(node.id, "id")
        try c.put(node.kind, "kind")
        try c.put(role.rawValue, "role")
        try c.put(node.label, "label")
        try c.putIfPresent(node.description, "description")
        if !node.aliases.isEmpty { try c.put(node.aliases, "aliases") }
        if !node.attributes.isEmpty {
            try c.put(Dictionary(uniqueKeysWithValues: node.attributes.map { ($0.key, $0.value) }), "attributes")
        }
        try c.put(CitationDocument(citation: node.citation), "citation")
        try c.put(node.dataset, "dataset")
    }
}

struct EdgeKeyDocument: Encodable {
    let key: EdgeKey
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(key.source, "source")
        try c.put(key.relation, "relation")
        try c.put(key.target, "target")
    }
}

struct EdgeDocument: Encodable {
    let edge: Edge
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(edge.source, "source")
        try c.put(edge.relation, "relation")
        try c.put(edge.target, "target")
        try c.put(edge.provenance.name, "provenance")
        switch edge.provenance {
        case .declared(let citation):
            try c.put(CitationDocument(citation: citation), "citation")
        case .derived(let derivation):
            try c.put(DerivationDocument(derivation: derivation), "derivation")
        }
        try c.putIfPresent(edge.asWritten, "as_written")
        try c.putIfPresent(edge.note, "note")
        if edge.occurrences != 1 { try c.put(edge.occurrences, "occurrences") }
        try c.put(edge.dataset, "dataset")
    }
}

struct DerivationDocument: Encodable {
    let derivation: Derivation
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(derivation.rule, "rule")
        try c.put(derivation.justification, "justification")
        try c.put(derivation.paths.map { $0.map(EdgeKeyDocument.init) }, "paths")
        try c.putIfPresent(derivation.citation.map(CitationDocument.init), "citation")
    }
}

struct VocabularyDocument: Encodable {
    let vocabulary: Vocabulary
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(vocabulary.sortedKinds.map(KindDocument.init), "kinds")
        try c.put(vocabulary.sortedRelations.map(RelationDocument.init), "relations")
        try c.put(vocabulary.plans.map(PlanDocument.init), "plans")
        try c.put(vocabulary.rules.map(RuleDocument.init), "rules")
    }

    struct KindDocument: Encodable {
        let spec: NodeKindSpec
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: JSONKey.self)
            try c.put(spec.kind, "id")
            try c.put(spec.label, "label")
            try c.put(spec.role.rawValue, "role")
            try c.putIfPresent(spec.description, "description")
        }
    }

    struct RelationDocument: Encodable {
        let spec: RelationSpec
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: JSONKey.self)
            try c.put(spec.relation, "id")
            try c.put(spec.label, "label")
            try c.putIfPresent(spec.description, "description")
        }
    }

    struct PlanDocument: Encodable {
        let plan: PlanSpec
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: JSONKey.self)
            try c.put(plan.id, "id")
            try c.put(plan.label, "label")
            try c.put(plan.elements, "elements")
            try c.putIfPresent(plan.groups, "groups")
            try c.putIfPresent(plan.description, "description")
        }
    }

    struct RuleDocument: Encodable {
        let rule: CompositionRule
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: JSONKey.self)
            try c.put(rule.id, "id")
            try c.put(rule.label, "label")
            try c.put(rule.justification, "justification")
            try c.put(rule.produces, "produces")
        }
    }
}

struct DatasetDocument: Encodable {
    let info: DatasetInfo
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.put(info.name, "name")
        try c.put(info.title, "title")
        try c.put(info.sources.map(SourceDocumentRecord.init), "sources")
    }

    struct SourceDocumentRecord: Encodable {
        let source: SourceDocument
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: JSONKey.self)
            try c.put(source.id, "id")
            try c.put(source.title, "title")
            try c.putIfPresent(source.file, "file")
            try c.putIfPresent(source.url, "url")
        }
    }
}
