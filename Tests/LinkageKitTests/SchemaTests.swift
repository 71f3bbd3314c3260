import Foundation
@testable import LinkageKit
import LinkageTestSupport
import Testing

/// The JSON Schemas published for editors must describe the same fields the loader reads.
@Suite("JSON Schemas")
struct SchemaTests {
    func schema(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: Repository.datasets.appendingPathComponent("schema/\(name)"))
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func propertyNames(_ object: Any?) -> Set<String> {
        Set(((object as? [String: Any])?["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
    }

    @Test func manifestSchemaHasTheLoadersFields() throws {
        #expect(propertyNames(try schema("manifest.schema.json")) == Set(ManifestReader.fields))
    }

    @Test func dataFileSchemaHasTheLoadersFields() throws {
        let file = try schema("dataset-file.schema.json")
        #expect(propertyNames(file) == ["defaults", "nodes", "links", "quirks"])
        let definitions = try #require(file["$defs"] as? [String: Any])
        #expect(propertyNames(definitions["node"]) == Set(DataFileReader.nodeFields))
        #expect(propertyNames(definitions["linkGroup"]) == ["from", "relation", "targets", "cite", "derived", "note"])
        #expect(propertyNames(definitions["cite"]) == ["doc", "at", "quote"])
    }

    @Test func rolesInTheSchemaAreTheKitsRoles() throws {
        let common = try schema("common.schema.json")
        let role = ((common["$defs"] as? [String: Any])?["role"] as? [String: Any])?["enum"] as? [String]
        #expect(Set(role ?? []) == Set(NodeRole.allCases.map(\.rawValue)))
    }

    /// Every kind and relation the workbench names in code is declared by the datasets.
    @Test func wellKnownNamesAreDeclared() {
        let vocabulary = Repository.loaded.graph.vocabulary
        for kind in [NodeKind.sdgGoal, .sdgTarget, .sdgIndicator, .sdgScope, .wsisActionLine, .wsisScope, .ppResolution,
                     .wtdcResolution, .ppDecision, .ituDRecommendation, .resolutionScope] {
            #expect(vocabulary.spec(kind) != nil, "kind \(kind) is not declared")
        }
        for relation in [RelationKind.partOf, .contributesTo, .implements, .advancesSDG, .supportsWSIS, .mapsToSDG, .mentions] {
            #expect(vocabulary.spec(relation) != nil, "relation \(relation) is not declared")
        }
    }
}
