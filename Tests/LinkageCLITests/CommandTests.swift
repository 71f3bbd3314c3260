import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LinkageTestSupport
import Testing

@Suite("linkage commands on the bundled datasets")
struct CommandTests {
    @Test func exportsNodesWithTheExactHeader() throws {
        let result = try runLinkage(["export", "nodes", "--dataset", "baap-2018-2021", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "id,kind,label_zh,label_en,source")
        #expect(lines.contains { $0.hasPrefix("BAAP-OUT-2.1,baap-output,") })
    }

    @Test func exportsEdgesWithTheExactHeader() throws {
        let result = try runLinkage(["export", "edges", "--dataset", "baap-2018-2021", "--format", "csv"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("source,relation,target,provenance\n"))
        // A link declared twice by the document (PP Res. 127 in output 2.1) is exported once.
        #expect(result.stdout.components(separatedBy: "BAAP-OUT-2.1,implements,PP-RES-127,declared\n").count == 2)
        #expect(result.stdout.contains("BAAP-OUT-2.3,advances-sdg,SDG-5.b,declared\n"))
    }

    /// The BAAP links are pinned in a reviewed golden file: every link seed 002 states for the
    /// 17 outputs, and nothing else. Refresh after a reviewed dataset change with
    /// `swift run linkage export edges --dataset baap-2018-2021 --format csv > Tests/Golden/baap-2018-2021-edges.csv`.
    @Test func baapEdgesMatchTheReviewedGoldenFile() throws {
        let golden = try String(contentsOf: Repository.root.appendingPathComponent("Tests/Golden/baap-2018-2021-edges.csv"), encoding: .utf8)
        let result = try runLinkage(["export", "edges", "--dataset", "baap-2018-2021", "--format", "csv"])
        #expect(result.stdout == golden, "the BAAP links changed; review the diff, then refresh Tests/Golden/baap-2018-2021-edges.csv")
    }

    @Test func exportsJSONWithCitations() throws {
        let result = try runLinkage(["export", "edges", "--dataset", "baap-2018-2021", "--format", "json"])
        #expect(result.status == 0)
        let records = try JSONSerialization.jsonObject(with: result.stdoutData) as! [[String: Any]]
        let link = try #require(records.first { ($0["source"] as? String) == "BAAP-OUT-2.1" && ($0["target"] as? String) == "WTDC-RES-11" })
        let citation = try #require(link["citation"] as? [String: Any])
        #expect(citation["file"] as? String == "002_570177f1d6adc2ee.txt")
        #expect(link["provenance"] as? String == "declared")
    }

    @Test func exportsGraphMLOtherToolsRead() throws {
        let result = try runLinkage(["export", "graph", "--format", "graphml", "--dataset", "baap-2018-2021"])
        #expect(result.status == 0)
        let document = try XMLDocument(data: result.stdoutData)
        let edges = try document.nodes(forXPath: "//*[local-name()='edge']")
        #expect(edges.count == 530)  // every BAAP link, once
        // The links' ends are included, so the file stands alone: 39 BAAP nodes and what they link to.
        #expect(try document.nodes(forXPath: "//*[local-name()='node']").count > 39)
        #expect(result.stdout.contains("<node id=\"PP-RES-127\">"))
        #expect(try runLinkage(["export", "nodes", "--format", "graphml"]).status == 2)
    }

    @Test func exportToFileIsWritten() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("nodes.csv")
        let result = try runLinkage(["export", "nodes", "--dataset", "sdg", "-o", file.path, "--bom"])
        #expect(result.status == 0)
        let data = try Data(contentsOf: file)
        #expect(data.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
    }

    @Test func unknownDatasetIsAUsageError() throws {
        let result = try runLinkage(["export", "nodes", "--dataset", "baap-2018"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("baap-2018-2021"))
    }

    @Test func showPrintsCitationsAndLinks() throws {
        let result = try runLinkage(["show", "BAAP-OUT-2.1"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("BAAP-OUT-2.1  [baap-output"))
        #expect(result.stdout.contains("-> implements PP-RES-127"))
        // Cited by the document's name, the file name kept as locator.
        #expect(result.stdout.contains("declared: Buenos Aires Action Plan (WTDC-17), amendment proposal [002_570177f1d6adc2ee.txt] §"))
        #expect(result.stdout.contains("data-quality notes"))
        let output23 = try runLinkage(["show", "BAAP-OUT-2.3", "--relation", "advances-sdg"])
        #expect(output23.stdout.contains("-> advances-sdg SDG-5.b"))
        #expect(output23.stdout.contains("written in the source as: 5b"))
    }

    @Test func showExplainsDerivedLinks() throws {
        let result = try runLinkage(["show", "KAP-P1", "--relation", "advances-sdg"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("DERIVED by rule kap-priority-sdg-via-baap-output"))
        #expect(result.stdout.contains("via: KAP-P1 <-[part-of]- OP23-TH-P1-"))
        #expect(result.stdout.contains("-[continues]-> BAAP-OUT-2."))
    }

    @Test func showUnknownIdSuggests() throws {
        let result = try runLinkage(["show", "sdg-9.c"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("did you mean 'SDG-9.c'"))
    }

    @Test func analysesListsOptions() throws {
        let result = try runLinkage(["analyses"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("neighbourhood: Neighbourhood"))
        #expect(result.stdout.contains("--set depth=<integer 1…6> [default: 2]"))
    }

    @Test(arguments: ["validate", "datasets", "analyses", "show", "export", "render", "run", "all", "serve"])
    func everyCommandsHelpTeachesWithAnExample(_ command: String) throws {
        let result = try runLinkage([command, "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("linkage \(command)") || result.stdout.contains("Example"), "\(result.stdout)")
        #expect(result.stdout.contains("Example"))
    }

    @Test func renderWritesTheRequestedFormat() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for format in ["svg", "png", "pdf", "dot"] {
            let file = folder.appendingPathComponent("objective.\(format)")
            let result = try runLinkage(["render", "BAAP-OBJ-2", "--format", format, "-o", file.path, "--lang", "zh"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(FileManager.default.fileExists(atPath: file.path))
        }
        let svg = try String(contentsOf: folder.appendingPathComponent("objective.svg"), encoding: .utf8)
        #expect(svg.contains("可持续发展目标") || svg.contains("输出成果"))
    }

    @Test func renderRejectsBadInputWithUsageErrors() throws {
        #expect(try runLinkage(["render", "NO-SUCH-NODE"]).status == 2)
        #expect(try runLinkage(["render", "BAAP-OBJ-2", "--engine", "nosuch"]).status == 2)
        #expect(try runLinkage(["render", "BAAP-OBJ-2", "--format", "gif"]).status == 2)
        #expect(try runLinkage(["render", "BAAP-OBJ-2", "--relations", "advancez-sdg"]).stderr.contains("advances-sdg"))
        #expect(try runLinkage(["render"]).status == 2)
    }

    @Test func runRejectsUnknownAnalysesAndOptions() throws {
        let unknown = try runLinkage(["run", "neighbourhod"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("did you mean 'neighbourhood'"))
        let option = try runLinkage(["run", "neighbourhood", "--set", "dept=2"])
        #expect(option.status == 2)
        #expect(option.stderr.contains("did you mean 'depth'"))
        let value = try runLinkage(["run", "neighbourhood", "--set", "depth=9"])
        #expect(value.status == 2)
    }

    @Test func runWritesReportsAtomicallyIntoTheAnalysisFolder() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runLinkage(["run", "neighbourhood", "--set", "focus=BAAP-OUT-2.3", "-o", folder.path, "--formats", "svg,png"])
        #expect(result.status == 0, "\(result.stderr)")
        let files = relativeFiles(in: folder.appendingPathComponent("neighbourhood"))
        #expect(files.contains("report.md"))
        #expect(files.contains("result.json"))
        #expect(files.contains("nodes.csv"))
        #expect(files.contains("neighbourhood-BAAP-OUT-2.3.zh.png"))
        // No staging or retired folders are left behind.
        #expect(relativeFiles(in: folder) .allSatisfy { $0.hasPrefix("neighbourhood/") })
        let hidden = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        #expect(hidden == [".linkage-output.json"], "only the folder's manifest")
    }
}

/// `graphs/` holds the committed output of `linkage all`. Outputs are byte-identical across
/// runs, so a fresh run must reproduce the committed files exactly.
@Suite("Committed diagrams and reports")
struct GraphsTests {
    static let refresh = "run `swift run linkage all` (or scripts/run.sh) and commit graphs/"

    @Test func graphsAreNotStale() throws {
        let fresh = try makeTemporaryDirectory("graphs")
        defer { try? FileManager.default.removeItem(at: fresh) }
        let result = try runLinkage(["all", "-o", fresh.path, "--quiet"])
        #expect(result.status == 0, "linkage all failed: \(result.stderr)")
        let committed = relativeFiles(in: Repository.graphs).filter { !$0.hasSuffix(".png") && !$0.hasSuffix(".pdf") && $0 != "README.md" }
        let produced = relativeFiles(in: fresh)
        let missing = Set(produced).subtracting(committed).sorted()
        let extra = Set(committed).subtracting(produced).sorted()
        #expect(missing.isEmpty, "graphs/ lacks \(missing.prefix(5)): \(Self.refresh)")
        #expect(extra.isEmpty, "graphs/ has files linkage all no longer writes \(extra.prefix(5)): \(Self.refresh)")
        var stale: [String] = []
        for file in produced where committed.contains(file) {
            let a = try Data(contentsOf: fresh.appendingPathComponent(file))
            let b = try Data(contentsOf: Repository.graphs.appendingPathComponent(file))
            if a != b { stale.append(file) }
        }
        #expect(stale.isEmpty, "graphs/ is stale (\(stale.count) files differ, e.g. \(stale.prefix(3))): \(Self.refresh)")
    }

    @Test func allIsByteIdenticalAcrossRuns() throws {
        let first = try makeTemporaryDirectory("all-1"), second = try makeTemporaryDirectory("all-2")
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        #expect(try runLinkage(["all", "-o", first.path, "--quiet", "--formats", "svg,png,pdf"]).status == 0)
        #expect(try runLinkage(["all", "-o", second.path, "--quiet", "--formats", "svg,png,pdf"]).status == 0)
        let files = relativeFiles(in: first)
        #expect(files == relativeFiles(in: second))
        for file in files {
            let same = try Data(contentsOf: first.appendingPathComponent(file)) == Data(contentsOf: second.appendingPathComponent(file))
            #expect(same, "\(file) differs between two runs")
        }
    }
}
