import Foundation
import LinkageRegistry
import LinkageTestSupport
import Testing

/// Adding an analysis takes a folder under Plugins/ and one line in Package.swift's
/// `analysisPlugins`. This test fails, naming that line, when a folder is not registered.
@Suite("Plugin registry")
struct RegistryTests {
    static var pluginFolders: [String] {
        let plugins = Repository.root.appendingPathComponent("Plugins")
        return ((try? FileManager.default.contentsOfDirectory(atPath: plugins.path)) ?? []).filter { name in
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: plugins.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }

    @Test func everyPluginFolderIsRegistered() {
        for folder in Self.pluginFolders where !registeredPluginModules.contains(folder) {
            Issue.record("""
                Plugins/\(folder) is not registered. Add this line to `analysisPlugins` in Package.swift:
                    "\(folder)",
                """)
        }
    }

    @Test func everyRegisteredPluginHasItsFolder() {
        for module in registeredPluginModules where !Self.pluginFolders.contains(module) {
            Issue.record("Package.swift registers \"\(module)\" but Plugins/\(module) does not exist")
        }
    }

    @Test func analysisIdsAreUniqueAndFileSafe() {
        let ids = registeredAnalyses.map(\.descriptor.id)
        #expect(Set(ids).count == ids.count)
        for id in ids { #expect(id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(id)") }
    }

    @Test func everyPluginFolderHasSourcesAndTests() {
        for folder in Self.pluginFolders {
            let base = Repository.root.appendingPathComponent("Plugins/\(folder)")
            #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent("Sources").path), "Plugins/\(folder)/Sources")
            #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent("Tests").path), "Plugins/\(folder)/Tests")
        }
    }

    /// Reports are in English and Chinese: every analysis keeps its sentences in a catalogue per
    /// language and checks it (CatalogueCheck) in its own tests.
    @Test func everyPluginHasAStringCatalogueInBothLanguagesAndChecksIt() throws {
        for folder in Self.pluginFolders {
            let base = Repository.root.appendingPathComponent("Plugins/\(folder)")
            for language in ["en", "zh"] {
                #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent("Sources/Strings/\(language).swift").path),
                        "Plugins/\(folder)/Sources/Strings/\(language).swift")
            }
            let tests = (try? FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent("Tests").path)) ?? []
            let checks = try tests.filter { $0.hasSuffix(".swift") }.contains { name in
                try String(contentsOf: base.appendingPathComponent("Tests/\(name)"), encoding: .utf8).contains("CatalogueCheck.problems(")
            }
            #expect(checks, "Plugins/\(folder)/Tests: no test runs CatalogueCheck.problems on its catalogue")
        }
    }
}
