import Foundation

/// The protocol between the host and an external analysis program (any language):
///
/// - `EXE describe` prints a descriptor (``ExternalDescriptor``) as JSON;
/// - `EXE run` reads one request (built by ``AnalysisRequestEncoder``) on its standard input and writes one
///   result (the JSON form of ``AnalysisResult``) on its standard output.
///
/// docs/external-analyses.md describes it for analysts; docs/schema/analysis-protocol.schema.json
/// is its JSON Schema.
public enum ExternalProtocol {
    /// The version this host speaks. A program declares the version it was written for; the host
    /// refuses versions it does not know rather than misreading them.
    public static let version = 1
}

// MARK: Descriptor

/// What `EXE describe` prints: the program's id, title, summary, options and examples.
public struct ExternalDescriptor: Sendable {
    public var protocolVersion: Int
    public var descriptor: AnalysisDescriptor
    /// Both languages of the title and summary, as the program gave them.
    public var title: LocalizedText
    public var summary: LocalizedText

    /// Reads and checks a descriptor; problems name their place in the JSON.
    public static func decode(_ data: Data) throws(ResultProblem) -> ExternalDescriptor {
        let document: DescriptorDocument
        do {
            document = try JSONDecoder().decode(DescriptorDocument.self, from: data)
        } catch let error as DecodingError {
            throw ResultProblem(error, in: data)
        } catch {
            throw ResultProblem(path: "", message: "not valid JSON: \(error)")
        }
        guard document.protocolVersion == ExternalProtocol.version else {
            throw ResultProblem(path: "protocol_version",
                                message: "this linkage speaks protocol version \(ExternalProtocol.version), the program was written for \(document.protocolVersion)")
        }
        let id = document.id
        guard !id.isEmpty, id.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }), id.first != "-" else {
            throw ResultProblem(path: "id", message: "'\(id)' is not a usable id: lowercase ASCII letters, digits and '-' (it names the output folder)")
        }
        var names = Set<String>()
        for (index, option) in document.options.enumerated() where !names.insert(option.option.name).inserted {
            throw ResultProblem(path: "options[\(index)].name", message: "option '\(option.option.name)' is declared twice")
        }
        return ExternalDescriptor(
            protocolVersion: document.protocolVersion,
            descriptor: AnalysisDescriptor(id: id, title: document.title.en, summary: document.summary.en,
                                           options: document.options.map(\.option), examples: document.examples),
            title: document.title, summary: document.summary)
    }
}

struct DescriptorDocument: Decodable {
    var protocolVersion: Int
    var id: String
    var title: LocalizedText
    var summary: LocalizedText
    var options: [OptionDocument]
    var examples: [String]

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: JSONKey.self)
        try c.rejectUnknownKeys(["protocol_version", "id", "title", "summary", "options", "examples"])
        protocolVersion = try c.required(Int.self, "protocol_version")
        id = try c.required(String.self, "id")
        title = try c.required(LocalizedText.self, "title")
        summary = try c.required(LocalizedText.self, "summary")
        options = try c.list(OptionDocument.self, "options")
        examples = try c.list(String.self, "examples")
    }
}

/// One option of a descriptor: `{"name", "summary", "type", "default", "minimum", "maximum", "choices"}`.
struct OptionDocument: Decodable {
    var option: AnalysisOption

    static let types = ["text", "integer", "node-id", "list", "choice"]

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: JSONKey.self)
        try c.rejectUnknownKeys(["name", "summary", "type", "default", "minimum", "maximum", "choices"])
        let name = try c.required(String.self, "name")
        guard !name.isEmpty, !name.contains("="), !name.contains(where: \.isWhitespace) else {
            throw c.corrupted("name", "an option name has no spaces and no '='")
        }
        let typeName = try c.required(String.self, "type")
        let type: AnalysisOption.ValueType
        switch typeName {
        case "text": type = .text
        case "node-id": type = .nodeID
        case "list": type = .list
        case "integer":
            let minimum = try c.required(Int.self, "minimum"), maximum = try c.required(Int.self, "maximum")
            guard minimum <= maximum else { throw c.corrupted("maximum", "maximum \(maximum) is below minimum \(minimum)") }
            type = .integer(minimum...maximum)
        case "choice":
            let choices = try c.required([String].self, "choices")
            guard !choices.isEmpty else { throw c.corrupted("choices", "a choice needs at least one value") }
            type = .choice(choices)
        default:
            throw c.corrupted("type", "unknown type '\(typeName)'\(Suggestion.hint(for: typeName, in: Self.types)); types: \(Self.types.joined(separator: ", "))")
        }
        var fallback: String?
        if let text = try? c.optional(String.self, "default") {
            fallback = text
        } else if let integer = try? c.optional(Int.self, "default") {
            fallback = String(integer)
        } else if let list = try? c.optional([String].self, "default") {
            fallback = list.joined(separator: ",")
        } else {
            throw c.corrupted("default", "expected a string, an integer or a list of strings")
        }
        if let fallback {
            // The default must itself be a valid value, or every run without --set would fail.
            do {
                _ = try AnalysisOptions.parse(["\(name)=\(fallback)"], for: AnalysisDescriptor(
                    id: "", title: "", summary: "", options: [AnalysisOption(name: name, summary: "", type: type)]))
            } catch let error as AnalysisOptionError {
                throw c.corrupted("default", "the default is not a valid value: \(error.message)")
            }
        }
        option = AnalysisOption(name: name, summary: try c.required(LocalizedText.self, "summary").en, type: type, defaultValue: fallback)
    }
}

// MARK: Request

/// Builds the request an external analysis reads: the protocol version, the analysis id, its
/// options (typed: integers as numbers, lists as arrays, declared defaults filled in) and the
/// whole graph (nodes with kinds, roles, labels, attributes and citations; links with relation
/// and provenance; the vocabulary, plans and rules; the datasets and their source documents).
///
/// The graph part is encoded once and reused for every analysis run against the same graph.
public struct AnalysisRequestEncoder: Sendable {
    public let graphJSON: Data

    public init(graph: LinkageGraph) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        graphJSON = try encoder.encode(GraphDocument(graph))
    }

    /// One request: `{"analysis", "graph", "options", "protocol_version"}`, keys sorted.
    public func request(analysis descriptor: AnalysisDescriptor, options: AnalysisOptions) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var values: [String: OptionValue] = [:]
        for option in descriptor.options {
            guard let text = options[option.name] ?? option.defaultValue else { continue }
            switch option.type {
            case .integer: values[option.name] = Int(text).map(OptionValue.integer) ?? .text(text)
            case .list: values[option.name] = .list(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            case .text, .nodeID, .choice: values[option.name] = .text(text)
            }
        }
        var data = Data("{\"analysis\":".utf8)
        data.append(try encoder.encode(descriptor.id))
        data.append(contentsOf: Array(",\"graph\":".utf8))
        data.append(graphJSON)
        data.append(contentsOf: Array(",\"options\":".utf8))
        data.append(try encoder.encode(values))
        data.append(contentsOf: Array(",\"protocol_version\":\(ExternalProtocol.version)}\n".utf8))
        return data
    }
}

enum OptionValue: Encodable {
    case text(String), integer(Int), list([String])
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .text(let s): try c.encode(s)
        case .integer(let i): try c.encode(i)
        case .list(let l): try c.encode(l)
        }
    }
}

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
