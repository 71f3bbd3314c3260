import Foundation
import LinkageHost
import LinkageKit
import LinkageRegistry
import LinkageTestSupport
import Testing

/// External analyses (programs in any language) run by the real `linkage` executable on the
/// bundled datasets, into temporary folders the tests create.
@Suite("External analyses", .serialized)
struct ExternalAnalysisTests {
    static let hostile = Repository.fixtures.appendingPathComponent("external-analyses/hostile")
    static let examples = Repository.root.appendingPathComponent("examples/analyses")

    /// Timeout, non-zero exit, invalid JSON, an unknown node id, 100 MB of output, a crash and a
    /// bad descriptor: each fails alone with a clear message; every other analysis is written;
    /// the failing one's previous output stays as it was.
    @Test func hostileAnalysesFailAloneAndTheOthersAreWritten() throws {
        let folder = try makeTemporaryDirectory("external-hostile")
        defer { try? FileManager.default.removeItem(at: folder) }
        let previous = folder.appendingPathComponent("unknown-node/report.md")
        try FileManager.default.createDirectory(at: previous.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("previous".utf8).write(to: previous)

        // The timeout leaves the 100 MB writer time to pass the output limit on a busy machine.
        // --force: the planted "previous output" was not written by linkage, which would otherwise
        // refuse the folder; a failing analysis never replaces its folder, forced or not.
        let result = try runLinkage(["all", "--analyses", Self.hostile.path, "--timeout", "15", "-o", folder.path, "--quiet", "--force"])
        #expect(result.status == 3, "\(result.stderr)")
        let expected = [
            "slow: did not finish within 15 s and was stopped (allow more with --timeout SECONDS)",
            "exits-nonzero: exited with status 1 (its standard error is above)",
            "invalid-json: not valid JSON: ",
            "unknown-node: findings[0].ids[1]: no node has the id 'BAAP-OUT-9.9'",
            "unknown-node: views[0].network.nodes[1].id: no node has the id 'SDG-99'",
            "unknown-node: views[0].network.edges[0].declared: SDG-99 -[part-of]-> SDG-9 is not a link a document declares",
            "floods-output: wrote more than 64 MB on standard output and was stopped",
            "crashes: crashed: killed by signal 11 (SIGSEGV, a memory fault)",
            "bad-describe: describe: optoins: unknown field 'optoins' (did you mean 'options'?)",
        ]
        for message in expected { #expect(result.stderr.contains(message), "missing: \(message)\n\(result.stderr)") }
        // The program's own standard error, under its id, with terminal escapes defused.
        #expect(result.stderr.contains("exits-nonzero: cannot open the budget table"))
        #expect(result.stderr.contains("exits-nonzero: \u{FFFD}[31mred\u{FFFD}[0m"))
        #expect(!result.stderr.contains("\u{1B}"))
        for id in ["slow", "exits-nonzero", "invalid-json", "unknown-node", "floods-output", "crashes", "bad-describe"] {
            #expect(result.stdout.contains("\(id): FAILED"), "\(id)")
        }
        // Every other analysis wrote its outputs; the failing one's previous output is untouched.
        for id in registeredAnalyses.map(\.descriptor.id) + ["budget-per-sdg"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(id)/report.md").path), "\(id)")
        }
        #expect(try String(contentsOf: previous, encoding: .utf8) == "previous")
        #expect(relativeFiles(in: folder.appendingPathComponent("unknown-node")) == ["report.md"])
        let hidden = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix(".") && $0 != ".linkage-output.json" }
        #expect(hidden.isEmpty, "staging folders left behind: \(hidden)")
        let index = try String(contentsOf: folder.appendingPathComponent("index.md"), encoding: .utf8)
        #expect(index.contains("**failed**: slow: did not finish within 15 s"))
        #expect(index.contains("[Report](budget-per-sdg/report.md)"))
    }

    @Test func runReportsTheProblemsOfOneAnalysis() throws {
        let folder = try makeTemporaryDirectory("external-run")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runLinkage(["run", "unknown-node", "--analyses", Self.hostile.path, "-o", folder.path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("unknown-node: views[0].network.nodes[1].id: no node has the id 'SDG-99'"))
        #expect(relativeFiles(in: folder).isEmpty)
    }

    @Test func analysesListsExternalOnesAndTheUnusable() throws {
        let result = try runLinkage(["analyses", "--analyses", Self.hostile.path])
        #expect(result.status == 3)
        #expect(result.stdout.contains("budget-per-sdg: Budget per SDG goal (OP-23)"))
        #expect(result.stdout.contains("  external: analyses/budget-per-sdg"))
        #expect(result.stdout.contains("bad-describe: NOT USABLE"))
        #expect(result.stdout.contains("slow: never finishes"))
        #expect(result.stdout.contains("neighbourhood: Neighbourhood"))
    }

    @Test func analysesFolderFromTheEnvironmentAndNoDuplicates() throws {
        let folder = try makeTemporaryDirectory("external-env")
        defer { try? FileManager.default.removeItem(at: folder) }
        let program = folder.appendingPathComponent("from-env")
        try Data("""
            #!/bin/sh
            echo '{"protocol_version": 1, "id": "from-env", "title": "Found through LINKAGE_ANALYSES", "summary": "s"}'

            """.utf8).write(to: program)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        // A program whose id a built-in analysis already has is reported, not run in its place.
        let clash = folder.appendingPathComponent("clash")
        try Data("""
            #!/bin/sh
            echo '{"protocol_version": 1, "id": "neighbourhood", "title": "Clash", "summary": "s"}'

            """.utf8).write(to: clash)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: clash.path)
        // The example folder is also reached through analyses/ (a link): it is described once.
        let result = try runLinkage(["analyses", "--analyses", Self.examples.path], environment: ["LINKAGE_ANALYSES": folder.path])
        #expect(result.stdout.contains("from-env: Found through LINKAGE_ANALYSES"))
        #expect(result.stdout.components(separatedBy: "budget-per-sdg: Budget per SDG goal").count == 2)
        #expect(result.stdout.contains("its id 'neighbourhood' is already used by the built-in analysis"))
        #expect(result.status == 3)
        #expect(try runLinkage(["analyses", "--analyses", "/nonexistent-linkage-folder"]).status == 2)
    }

    /// The Python example: run as a user would, its outputs look like a built-in analysis's, and
    /// its result.json reads back as the same result.
    @Test func pythonExampleRunsLikeABuiltInAnalysis() throws {
        let folder = try makeTemporaryDirectory("external-example")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runLinkage(["run", "budget-per-sdg", "--analyses", Self.examples.path, "-o", folder.path, "--formats", "svg,png"])
        #expect(result.status == 0, "\(result.stderr)")
        let files = relativeFiles(in: folder.appendingPathComponent("budget-per-sdg"))
        for file in ["report.md", "result.json", "budget-per-goal.csv", "links.csv", "themes.csv",
                     "budget-flow.en.svg", "budget-flow.zh.svg", "budget-flow.en.png", "budget-matrix.zh.svg"] {
            #expect(files.contains(file), "\(file)")
        }
        let report = try String(contentsOf: folder.appendingPathComponent("budget-per-sdg/report.md"), encoding: .utf8)
        #expect(report.contains("| OP-23 theme budget 2023 (CHF) | 4,200,000 |"))
        #expect(report.contains("budget-without-sdg-path"))
        let csv = try String(contentsOf: folder.appendingPathComponent("budget-per-sdg/budget-per-goal.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("goal,title_en,title_zh,themes,links,budget_reaching_chf,equal_share_chf,equal_share_percent,through"))
        // Equal shares add up to the budget that reaches an SDG (3,425,500 CHF).
        let document = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("budget-per-sdg/result.json"))) as? [String: Any])
        let goalRows = try #require(((document["tables"] as? [[String: Any]])?.first?["rows"]) as? [[Any]])
        let shares = goalRows.compactMap { ($0[6] as? [String: Any])?["decimal"] as? Double }
        #expect(shares.count == 18)
        #expect(abs(shares.reduce(0, +) - 3_425_500) <= Double(shares.count))
        let svg = try String(contentsOf: folder.appendingPathComponent("budget-per-sdg/budget-flow.zh.svg"), encoding: .utf8)
        #expect(svg.contains("网络和数字基础设施"))
        #expect(svg.contains("stroke-dasharray"))  // the derived theme links are dashed
        let json = try Data(contentsOf: folder.appendingPathComponent("budget-per-sdg/result.json"))
        let decoded = try AnalysisResult.decode(json, graph: Repository.loaded.graph)
        #expect(decoded.headline.first?.value == "4,200,000")
        #expect(ResultValidator(graph: Repository.loaded.graph).problems(in: decoded).isEmpty)
    }

    @Test func optionErrorsOfAnExternalAnalysisAreUsageErrors() throws {
        let folder = try makeTemporaryDirectory("external-options")
        defer { try? FileManager.default.removeItem(at: folder) }
        let wrongPlan = try runLinkage(["run", "budget-per-sdg", "--set", "plan=nope", "-o", folder.path])
        #expect(wrongPlan.status == 2)
        #expect(wrongPlan.stderr.contains("option 'plan': no plan 'nope'"))
        let unknown = try runLinkage(["run", "budget-per-sdg", "--set", "plam=op23", "-o", folder.path])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("did you mean 'plan'"))
    }

    @Test func renderDrawsAViewOfAnExternalAnalysis() throws {
        let folder = try makeTemporaryDirectory("external-render")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("matrix.svg")
        let result = try runLinkage(["render", "--analysis", "budget-per-sdg", "--view", "budget-matrix", "--lang", "zh", "-o", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOf: file, encoding: .utf8).contains("可持续发展目标"))
    }

    /// The host's result.json of every built-in analysis reads back as the same result, and
    /// passes the checks external results get: one JSON form and one schema for both directions.
    @Test func builtInResultsRoundTripThroughTheirJSON() throws {
        let graph = Repository.loaded.graph
        for plugin in registeredAnalyses {
            let result = try plugin.run(AnalysisContext(graph: graph))
            let decoded = try AnalysisResult.decode(try result.jsonData(), graph: graph)
            #expect(decoded.headline == result.headline, "\(plugin.descriptor.id)")
            #expect(decoded.findings == result.findings, "\(plugin.descriptor.id)")
            #expect(decoded.tables == result.tables, "\(plugin.descriptor.id)")
            #expect(decoded.views == result.views, "\(plugin.descriptor.id)")
            #expect(decoded.methodNotes == result.methodNotes, "\(plugin.descriptor.id)")
            // Built-ins are trusted to draw co-citations (two declared citations of one element)
            // as declared; a program outside the build cannot have that checked, so it may not.
            let problems = ResultValidator(graph: graph).problems(in: result).filter { problem in
                !(problem.path.hasSuffix(".declared") && problem.message.contains("-[co-cited]->"))
            }
            #expect(problems.isEmpty, "\(plugin.descriptor.id): \(problems.prefix(3))")
        }
    }

    /// The Python helper module and the example have their own tests (unittest, standard library).
    @Test func pythonTestsOfTheExternalAnalysesPass() throws {
        for folder in [Self.examples, Repository.root.appendingPathComponent("analyses")] {
            let tests = folder.appendingPathComponent("tests")
            guard FileManager.default.fileExists(atPath: tests.path) else { continue }
            let result = try runProcess("/usr/bin/env", ["python3", "-m", "unittest", "discover", "-s", tests.path, "-t", folder.path], in: folder)
            #expect(result.status == 0, "\(tests.path):\n\(result.stderr)")
            #expect(result.stderr.contains("OK"), "\(result.stderr)")
        }
    }
}

/// Runs a program (not linkage) and collects its output.
func runProcess(_ executable: String, _ arguments: [String], in directory: URL) throws -> CommandResult {
    try runProgram(URL(fileURLWithPath: executable), arguments, in: directory)
}

/// `linkage new-analysis` in a small stand-in repository: the files it writes, the line it adds
/// to Package.swift, the Python starter passing its own test, and the Swift starter and its test
/// compiling against the kit. (scripts/check-new-analysis.sh runs the whole test command after
/// scaffolding, on a fresh clone; too slow for the suite.)
@Suite("new-analysis", .serialized)
struct NewAnalysisTests {
    func standInRepository() throws -> URL {
        let root = try makeTemporaryDirectory("new-analysis")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("datasets"), withIntermediateDirectories: true)
        try Data().write(to: root.appendingPathComponent("datasets/vocabulary.yaml"))
        try Data("let analysisPlugins: [String] = [\n    \"Neighbourhood\",\n    \"Zeta\",\n]\n".utf8)
            .write(to: root.appendingPathComponent("Package.swift"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("examples/analyses"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Repository.root.appendingPathComponent("examples/analyses/linkage_analysis.py"),
                                         to: root.appendingPathComponent("examples/analyses/linkage_analysis.py"))
        return root
    }

    @Test func helpTeachesWithExamples() throws {
        let result = try runLinkage(["new-analysis", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples:"))
    }

    @Test func pythonStarterPassesItsOwnTest() throws {
        let root = try standInRepository()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try runLinkage(["new-analysis", "BudgetCoverage", "--python", "--no-refresh"], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.isExecutableFile(atPath: root.appendingPathComponent("analyses/budget-coverage").path))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("analyses/tests/test_budget_coverage.py").path))
        let tests = try runProcess("/usr/bin/env", ["python3", "-m", "unittest", "discover", "-s", "analyses/tests", "-t", "analyses"], in: root)
        #expect(tests.status == 0, "\(tests.stderr)")
        // It describes itself as the protocol asks, and is not written twice.
        let describe = try runProcess(root.appendingPathComponent("analyses/budget-coverage").path, ["describe"], in: root)
        let descriptor = try ExternalDescriptor.decode(Data(describe.stdout.utf8))
        #expect(descriptor.descriptor.id == "budget-coverage")
        #expect(try runLinkage(["new-analysis", "BudgetCoverage", "--python", "--no-refresh"], in: root).status == 2)
        #expect(try runLinkage(["new-analysis", "budget", "--python"], in: root).status == 2)
    }

    @Test func swiftStarterIsRegisteredAndCompilesAgainstTheKit() throws {
        let root = try standInRepository()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try runLinkage(["new-analysis", "Demo", "--swift", "--no-refresh"], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        let package = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(package == "let analysisPlugins: [String] = [\n    \"Demo\",\n    \"Neighbourhood\",\n    \"Zeta\",\n]\n")
        #expect(try runLinkage(["new-analysis", "Demo", "--swift", "--no-refresh"], in: root).status == 2)

        // Type-check the starter and its test against the modules this test suite was built with.
        let modules = Repository.linkageExecutable.deletingLastPathComponent().appendingPathComponent("Modules")
        let yams = Repository.root.appendingPathComponent(".build/checkouts/Yams/Sources/CYaml/include")
        // The kit's C modules, as SwiftPM passes them: libyaml (through Yams) and PCRE2 (id patterns).
        let pcre2 = Repository.root.appendingPathComponent("Sources/CPCRE2/module.modulemap")
        let common = ["-I", modules.path, "-Xcc", "-fmodule-map-file=\(yams.path)/module.modulemap", "-Xcc", "-I\(yams.path)",
                      "-Xcc", "-fmodule-map-file=\(pcre2.path)"]
        let built = root.appendingPathComponent("built")
        try FileManager.default.createDirectory(at: built, withIntermediateDirectories: true)
        let source = try runProcess("/usr/bin/env", ["swiftc", "-emit-module", "-module-name", "Demo", "-parse-as-library", "-enable-testing",
                                                     "-emit-module-path", built.appendingPathComponent("Demo.swiftmodule").path]
                                        + common + ["Plugins/Demo/Sources/Demo.swift", "Plugins/Demo/Sources/Strings/Catalogue.swift",
                                                                "Plugins/Demo/Sources/Strings/en.swift", "Plugins/Demo/Sources/Strings/zh.swift"], in: root)
        #expect(source.status == 0, "\(source.stderr)")
        let tests = try runProcess("/usr/bin/env", ["swiftc", "-typecheck", "-module-name", "DemoTests", "-parse-as-library", "-I", built.path]
                                       + common + ["Plugins/Demo/Tests/DemoTests.swift"], in: root)
        #expect(tests.status == 0, "\(tests.stderr)")
    }
}
