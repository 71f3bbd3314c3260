import Foundation
@testable import LinkageKit
import LinkageTestSupport
import Testing

/// docs/schema/analysis-protocol.schema.json must describe the JSON the kit reads and writes:
/// every field the coders know is in the schema, and every key the request encoder writes is one
/// the schema declares. (scripts/check-protocol-schema.py validates whole documents with
/// jsonschema.)
@Suite("Protocol JSON Schema")
struct ProtocolSchemaTests {
    nonisolated(unsafe) static let definitions: [String: Any] = {  // read only
        let url = Repository.root.appendingPathComponent("docs/schema/analysis-protocol.schema.json")
        let schema = (try? JSONSerialization.jsonObject(with: Data(contentsOf: url))) as? [String: Any]
        return schema?["$defs"] as? [String: Any] ?? [:]
    }()

    /// The property names of a definition (of its object alternative, for `oneOf` shorthands).
    static func properties(_ name: String) -> Set<String> {
        guard let definition = definitions[name] as? [String: Any] else { return [] }
        if let properties = definition["properties"] as? [String: Any] { return Set(properties.keys) }
        for alternative in definition["oneOf"] as? [[String: Any]] ?? [] {
            if let properties = alternative["properties"] as? [String: Any], properties.count > 2 { return Set(properties.keys) }
        }
        return []
    }

    @Test func resultAndViewFieldsAreTheCodersFields() {
        #expect(Self.properties("result") == Set(AnalysisResult.fields + AnalysisResult.hostFields))
        #expect(Self.properties("viewNode") == Set(ViewNode.fields))
        #expect(Self.properties("viewEdge") == Set(ViewEdge.fields))
        #expect(Self.properties("network") == ["nodes", "edges", "groups", "ranks", "layout", "line_colour_key"])
    }

    @Test func rolesInTheSchemaAreTheKitsRoles() throws {
        let node = try #require(Self.definitions["node"] as? [String: Any])
        let role = ((node["properties"] as? [String: Any])?["role"] as? [String: Any])?["enum"] as? [String]
        #expect(Set(role ?? []) == Set(NodeRole.allCases.map(\.rawValue)))
    }

    @Test func everyKeyOfARealRequestIsDeclared() throws {
        let graph = Repository.loaded.graph
        let data = try AnalysisRequestEncoder(graph: graph).request(
            analysis: AnalysisDescriptor(id: "x", title: "X", summary: ""), options: AnalysisOptions())
        let request = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(request.keys) == Self.properties("request"))
        let document = try #require(request["graph"] as? [String: Any])
        #expect(Set(document.keys) == Self.properties("graph"))
        func keys(_ list: Any?) -> Set<String> { Set(((list as? [[String: Any]]) ?? []).flatMap(\.keys)) }
        #expect(keys(document["nodes"]).isSubset(of: Self.properties("node")), "\(keys(document["nodes"]).subtracting(Self.properties("node")))")
        #expect(keys(document["edges"]).isSubset(of: Self.properties("edge")), "\(keys(document["edges"]).subtracting(Self.properties("edge")))")
        let citations = ((document["edges"] as? [[String: Any]]) ?? []).compactMap { $0["citation"] as? [String: Any] }
        #expect(Set(citations.flatMap(\.keys)).isSubset(of: Self.properties("citation")))
        #expect(keys(document["datasets"]).isSubset(of: Self.properties("dataset")))
        #expect(Set((document["vocabulary"] as? [String: Any])?.keys.map { $0 } ?? []) == Self.properties("vocabulary"))
    }
}
