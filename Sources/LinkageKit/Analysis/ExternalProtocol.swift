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
            descriptor: AnalysisDescriptor(id: id, title: document.title, summary: document.summary,
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
        var writer = JSONWriter()
        writer.graph(graph)
        graphJSON = Data(writer.bytes)
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
