import Foundation
import LinkageRendering
import LinkageTestSupport
import Testing

/// The hostile corpus in a copy of the datasets, through the real command line: every output
/// file of `all`, `run` and `export` (every format) is checked for active content by
/// Tests/Tools/check_active_content.py (SVG and GraphML parsed as XML, HTML by an HTML
/// tokenizer, Markdown rendered by GitHub's cmark-gfm first, CSV for formulas, JSON strictly),
/// DOT files are parsed back by Graphviz, and what `validate`, `show`, `all` and `run` print
/// holds no control character.
@Suite("Hostile data", .serialized)
struct HostileDataTests {
    final class Workspace: @unchecked Sendable {
        let folder: URL
        let datasets: URL
        init() throws {
            folder = try makeTemporaryDirectory("hostile")
            datasets = try HostileDatasets.make(in: folder)
        }
        deinit { try? FileManager.default.removeItem(at: folder) }

        func linkage(_ arguments: [String]) throws -> CommandResult {
            try runLinkage(arguments + ["--datasets", datasets.path], in: folder)
        }
    }

    static func checkActiveContent(_ files: [URL]) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Repository.root.appendingPathComponent("Tests/Tools/check_active_content.py").path] + files.map(\.path)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        return CommandResult(status: process.terminationStatus, stdout: text, stderr: "", stdoutData: data)
    }

    static func expectInert(_ result: CommandResult, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!HostileCorpus.holdsControlCharacters(result.stdout), "\(what) printed a control character to stdout", sourceLocation: sourceLocation)
        #expect(!HostileCorpus.holdsControlCharacters(result.stderr), "\(what) printed a control character to stderr", sourceLocation: sourceLocation)
    }

    @Test func theHostileDatasetsLoadAndReachEveryOutput() throws {
        let workspace = try Workspace()
        let validate = try workspace.linkage(["validate"])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        Self.expectInert(validate, "validate")
        let show = try workspace.linkage(["datasets"])
        #expect(show.stdout.contains("hostile"))
    }

    @Test func noOutputOfAllRunOrExportHoldsActiveContent() throws {
        let workspace = try Workspace()
        let out = workspace.folder.appendingPathComponent("out")
        let all = try workspace.linkage(["all", "-o", out.path, "--formats", "svg,dot", "--bom"])
        #expect(all.status == 0, "\(all.stderr)")
        Self.expectInert(all, "all")
        let run = try workspace.linkage(["run", "neighbourhood", "--set", "focus=HX-1,\(HostileDatasets.markupID)", "-o",
                                         workspace.folder.appendingPathComponent("run").path])
        #expect(run.status == 0, "\(run.stderr)")
        Self.expectInert(run, "run")
        let exports = workspace.folder.appendingPathComponent("exports")
        for (what, format) in [("nodes", "csv"), ("edges", "csv"), ("nodes", "json"), ("edges", "json"), ("graph", "graphml")] {
            let file = exports.appendingPathComponent("\(what).\(format == "graphml" ? "graphml" : format)")
            let result = try workspace.linkage(["export", what, "--format", format, "-o", file.path])
            #expect(result.status == 0, "export \(what) --format \(format): \(result.stderr)")
            Self.expectInert(result, "export")
        }
        // The hostile strings did reach the outputs.
        let plan = try String(contentsOf: out.appendingPathComponent("sdg-mapping/plan-sdg-hostile.en.svg"), encoding: .utf8)
        #expect(plan.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let files = [out, workspace.folder.appendingPathComponent("run"), exports].flatMap { folder in
            relativeFiles(in: folder).map { folder.appendingPathComponent($0) }
        }
        #expect(files.filter { $0.pathExtension == "svg" }.count >= 40)
        #expect(files.contains { $0.pathExtension == "md" } && files.contains { $0.pathExtension == "html" })
        let check = try Self.checkActiveContent(files)
        #expect(check.status == 0, "\(check.stdout.split(separator: "\n").prefix(30).joined(separator: "\n"))")
        #expect(check.stdout.contains("checked \(files.count) files: 0 findings"))
        // DOT sources are read back by Graphviz.
        for dot in files where dot.pathExtension == "dot" {
            let source = try String(contentsOf: dot, encoding: .utf8)
            #expect(throws: Never.self) { _ = try Graphviz.shared.render(dot: source, engine: "dot", format: "canon") }
        }
    }

    @Test func showAndValidatePrintNoControlCharacters() throws {
        let workspace = try Workspace()
        for id in ["BAAP-OUT-1.1", "HX-22", "HX-25", "HX-24", HostileDatasets.markupID, "SDG-9.c"] {
            let show = try workspace.linkage(["show", id])
            #expect(show.status == 0, "\(show.stderr)")
            Self.expectInert(show, "show \(id)")
        }
        let shown = try workspace.linkage(["show", "HX-25"])
        #expect(shown.stdout.contains("safe\\u{202E}txt.exe"), "a right-to-left override is shown as an escape")
        let escape = try workspace.linkage(["show", "HX-22"])
        #expect(escape.stdout.contains("\\u{1B}[31mred"), "an escape sequence is shown, not run")
        // A data error quoting hostile text: validate prints it inert too.
        let broken = workspace.datasets.appendingPathComponent("hostile/nodes.yaml")
        try (try String(contentsOf: broken, encoding: .utf8) + "  - id: \"HX-\\e[2J\\u202E\"\n    kind: \"\\e]0;x\\a\"\n").write(to: broken, atomically: true, encoding: .utf8)
        let validate = try workspace.linkage(["validate"])
        #expect(validate.status == 1)
        Self.expectInert(validate, "validate")
        #expect(validate.stdout.contains("\\u{1B}"))
    }

    /// Ids that differ only in a character a file name cannot hold get different diagram files.
    @Test func idsThatDifferOnlyInAnUnsafeCharacterGetDifferentFiles() throws {
        let workspace = try Workspace()
        let out = workspace.folder.appendingPathComponent("out")
        let result = try workspace.linkage(["run", "neighbourhood", "--set", "focus=\(HostileDatasets.slashID),\(HostileDatasets.underscoreID)",
                                            "--lang", "en", "-o", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let diagrams = relativeFiles(in: out.appendingPathComponent("neighbourhood")).filter { $0.hasSuffix(".svg") }
        #expect(diagrams.count == 2, "\(diagrams)")
        let texts = try diagrams.map { try String(contentsOf: out.appendingPathComponent("neighbourhood/\($0)"), encoding: .utf8) }
        // Each diagram draws its own focus (the node's tooltip starts with its id).
        let titles = texts.map { $0.components(separatedBy: "\n").filter { $0.contains("xlink:title") }.prefix(3).joined(separator: "\n") }
        #expect(texts.contains { $0.contains("xlink:title=\"HX&#45;Z/1 id HX&#45;Z/1 ") }, "\(titles)")
        #expect(texts.contains { $0.contains("xlink:title=\"HX&#45;Z_1 id HX&#45;Z_1 ") }, "\(titles)")
        #expect(diagrams.contains("neighbourhood-HX-Z~2F1.en.svg") && diagrams.contains("neighbourhood-HX-Z_1.en.svg"), "\(diagrams)")
    }
}
