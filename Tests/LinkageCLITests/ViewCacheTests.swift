import Foundation
import LinkageKit
import LinkageRegistry
import LinkageTestSupport
import Testing

/// `linkage render` keeps a built-in analysis's views in a cache keyed by the datasets, the
/// analysis, its options and the program: these tests run the CLI against a cache folder and a
/// copy of the datasets of their own.
@Suite("The view cache of render")
struct ViewCacheTests {
    /// A temporary folder with a copy of the datasets and an empty cache folder.
    struct Workspace {
        let root: URL
        var datasets: URL { root.appendingPathComponent("datasets") }
        var cache: URL { root.appendingPathComponent("cache") }
        var entries: URL { cache.appendingPathComponent("views-v1") }

        init() throws {
            root = try makeTemporaryDirectory("linkage-view-cache")
            try copyDirectory(Repository.root.appendingPathComponent("datasets"), to: datasets)
            try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        }

        /// `render BAAP-OUT-2.1 --depth 1` as DOT (laid out, not drawn by Graphviz); its text.
        func render(_ extra: [String] = [], name: String = "out.dot") throws -> String {
            let output = root.appendingPathComponent(name)
            let result = try runLinkage(["render", "BAAP-OUT-2.1", "--depth", "1", "--format", "dot", "-o", output.path,
                                         "--datasets", datasets.path] + extra,
                                        in: root, environment: ["LINKAGE_CACHE_DIR": cache.path])
            #expect(result.status == 0, "\(result.stderr)")
            return try String(contentsOf: output, encoding: .utf8)
        }

        /// The cache's entries (folders named by their 64-digit key).
        func entryNames() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: entries.path)) ?? []).filter { $0.count == 64 }.sorted()
        }

        /// The file of the one cached view of the one entry.
        func cachedView() throws -> URL {
            let entry = entries.appendingPathComponent(try #require(entryNames().first))
            let index = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: entry.appendingPathComponent("index.json"))) as? [String: Any])
            let views = try #require(index["views"] as? [String])
            #expect(views.count == 1)
            return entry.appendingPathComponent("0.json")
        }

        func edit(_ file: URL, replacing old: String, with new: String) throws {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text.contains(old))
            try text.replacingOccurrences(of: old, with: new).write(to: file, atomically: true, encoding: .utf8)
        }
    }

    @Test("every view of every built-in analysis comes back from its JSON exactly as it was")
    func viewsRoundTripExactly() throws {
        var views = 0
        for plugin in registeredAnalyses {
            let result = try plugin.run(AnalysisContext(graph: Repository.loaded.graph, options: AnalysisOptions([:])))
            for view in result.views {
                let decoded = try JSONDecoder().decode(ViewSpec.self, from: JSONEncoder().encode(view))
                #expect(decoded == view, "\(plugin.descriptor.id)/\(view.id)")
                views += 1
            }
        }
        #expect(views > 50)  // networks and matrices of every analysis
    }

    @Test("a second render reads the cached view, and draws the same bytes")
    func secondRenderReadsTheCache() throws {
        let space = try Workspace()
        defer { try? FileManager.default.removeItem(at: space.root) }
        let first = try space.render()
        #expect(space.entryNames().count == 1)
        #expect(try space.render(name: "again.dot") == first)
        // Proof that the second kind of run reads the cache: a change made to the cached view
        // (and to nothing else) shows in the figure.
        try space.edit(try space.cachedView(), replacing: "broadband and broadcasting", with: "Tampered and broadcasting")
        #expect(try space.render(name: "tampered.dot").contains("Tampered"))
        // --no-cache loads the datasets: the figure is the true one again.
        #expect(try space.render(["--no-cache"], name: "fresh.dot") == first)
    }

    @Test("a changed dataset file is a new key: the figure shows the change")
    func changedDataIsANewKey() throws {
        let space = try Workspace()
        defer { try? FileManager.default.removeItem(at: space.root) }
        let before = try space.render()
        try space.edit(space.datasets.appendingPathComponent("baap-2018-2021/outputs.yaml"),
                       replacing: "including broadband and broadcasting", with: "including satellites and broadcasting")
        let after = try space.render(name: "after.dot")
        #expect(after != before)
        #expect(after.contains("satellites"))
        #expect(space.entryNames().count == 2)
    }

    @Test("a damaged entry is recomputed and replaced, never drawn")
    func damagedEntryIsReplaced() throws {
        let space = try Workspace()
        defer { try? FileManager.default.removeItem(at: space.root) }
        let first = try space.render()
        let view = try space.cachedView()
        try Data("{\"id\": 1".utf8).write(to: view)
        #expect(try space.render(name: "after-damage.dot") == first)
        // The entry was replaced: its view decodes again.
        #expect(try JSONSerialization.jsonObject(with: Data(contentsOf: try space.cachedView())) is [String: Any])
        #expect(try space.render(name: "third.dot") == first)
    }

    @Test("no entry for --no-cache, for datasets holding a symbolic link, or through a linked cache folder")
    func noEntryWhereItWouldBeUnsafe() throws {
        let space = try Workspace()
        defer { try? FileManager.default.removeItem(at: space.root) }
        let first = try space.render(["--no-cache"])
        #expect(space.entryNames().isEmpty)

        // The cache folder is a symbolic link elsewhere: nothing is written through it.
        let elsewhere = space.root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: space.entries, withDestinationURL: elsewhere)
        #expect(try space.render(name: "linked.dot") == first)
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
        try FileManager.default.removeItem(at: space.entries)

        // A symbolic link among the dataset files: what it points to could change unseen.
        try FileManager.default.createSymbolicLink(at: space.datasets.appendingPathComponent("notes.txt"),
                                                   withDestinationURL: space.root.appendingPathComponent("out.dot"))
        #expect(try space.render(name: "with-link.dot") == first)
        #expect(space.entryNames().isEmpty)
    }
}
