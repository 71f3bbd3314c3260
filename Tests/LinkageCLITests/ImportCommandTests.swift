import Foundation
import LinkageKit
import LinkageTestSupport
import Testing

/// `linkage import` and `export plan` as a user runs them, on the example spreadsheets and the
/// bundled plans, always into a temporary copy of the datasets.
@Suite("import and export of plan spreadsheets")
struct ImportCommandTests {
    static let examples = Repository.root.appendingPathComponent("examples/plans")

    /// A temporary folder holding a copy of the datasets (all of them, or only some).
    func datasetsCopy(only names: [String]? = nil) throws -> (folder: URL, datasets: URL) {
        let folder = try makeTemporaryDirectory("linkage-import")
        let datasets = folder.appendingPathComponent("datasets")
        if let names {
            try FileManager.default.createDirectory(at: datasets, withIntermediateDirectories: true)
            for name in names + ["vocabulary.yaml", "schema"] {
                try FileManager.default.copyItem(at: Repository.datasets.appendingPathComponent(name), to: datasets.appendingPathComponent(name))
            }
        } else {
            try copyDirectory(Repository.datasets, to: datasets)
        }
        return (folder, datasets)
    }

    @Test(arguments: ["csv", "xlsx"])
    func theBrokenSheetReportsExactlyItsThreeErrors(format: String) throws {
        let (folder, datasets) = try datasetsCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = "examples/plans/national-broadband-plan-with-errors.\(format)"
        let result = try runLinkage(["import", file, "--dataset", "nbp", "--datasets", datasets.path])
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        let places = format == "csv" ? ["6:5", "10:6", "15:7"] : ["Plan!E6", "Plan!F10", "Plan!G15"]
        #expect(errors == [
            "\(file):\(places[0]): error: goal 9 has no target 9.z (its targets: 9.1 … 9.c)",
            "\(file):\(places[1]): error: there are 11 WSIS action lines (C1 … C11); C12 does not exist",
            "\(file):\(places[2]): error: 'Res. 179' does not say which assembly adopted it (write WTDC Res. 179, PP Res. 179, PP Dec. 179 or ITU-D Rec. 179)",
        ])
        #expect(result.stderr.contains("3 errors in \(file); nothing written"))
        #expect(!FileManager.default.fileExists(atPath: datasets.appendingPathComponent("nbp").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: datasets.path).allSatisfy { !$0.hasPrefix(".") })
    }

    @Test func theFixedSheetImportsValidatesAndRunsThroughAll() throws {
        let (folder, datasets) = try datasetsCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let imported = try runLinkage(["import", "examples/plans/national-broadband-plan.xlsx", "--dataset", "nbp", "--datasets", datasets.path,
                                       "--title-en", "National broadband plan (example)", "--title-zh", "国家宽带计划（示例）"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("12 elements, 3 groups"))
        let files = relativeFiles(in: datasets.appendingPathComponent("nbp"))
        #expect(files == ["manifest.yaml", "plan.yaml"])

        let validate = try runLinkage(["validate", "--datasets", datasets.path])
        #expect(validate.status == 0, "\(validate.stdout)")
        #expect(!validate.stdout.contains("error:"))
        // Codes written loosely stay visible as the validator's as-written warnings, with their cell.
        #expect(validate.stdout.contains("national-broadband-plan.xlsx §Plan!G4 writes 'PP第139号决议' for PP-RES-139 [as-written]"))

        let show = try runLinkage(["show", "NBP-1.4", "--datasets", datasets.path])
        #expect(show.stdout.contains("-> advances-sdg SDG-9.c"))
        #expect(show.stdout.contains("declared: national-broadband-plan.xlsx §Plan!E6 «9.C»"))
        #expect(show.stdout.contains("written in the source as: 9.C"))
        #expect(show.stdout.contains("budget_chf: 2100000"))

        let output = folder.appendingPathComponent("out")
        let all = try runLinkage(["all", "--datasets", datasets.path, "-o", output.path, "--quiet"])
        #expect(all.status == 0, "\(all.stderr)")
        let sdg = relativeFiles(in: output.appendingPathComponent("sdg-mapping"))
        #expect(sdg.contains("plan-sdg-nbp.en.svg"))
        #expect(sdg.contains("heatmap-nbp.zh.svg"))
        let report = try String(contentsOf: output.appendingPathComponent("sdg-mapping/report.md"), encoding: .utf8)
        #expect(report.contains("National broadband plan (example)"))
        #expect(relativeFiles(in: output.appendingPathComponent("resolution-xref")).contains { $0.contains("nbp") })

        // The plan id in any case.
        let run = try runLinkage(["run", "wsis-action-lines", "--set", "plan=NBP", "--datasets", datasets.path,
                                  "-o", folder.appendingPathComponent("one").path, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test func importingTwiceGivesTheSameBytesAndCuratedFoldersAreLeftAlone() throws {
        let (folder, datasets) = try datasetsCopy(only: ["sdg", "wsis", "itu-resolutions"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["import", "examples/plans/national-broadband-plan.csv", "--dataset", "nbp", "--datasets", datasets.path]
        #expect(try runLinkage(arguments).status == 0)
        let target = datasets.appendingPathComponent("nbp")
        let first = try relativeFiles(in: target).map { try Data(contentsOf: target.appendingPathComponent($0)) }
        // Again, from another working directory: the folder is replaced by the same bytes.
        let again = try runLinkage(["import", Self.examples.appendingPathComponent("national-broadband-plan.csv").path,
                                    "--dataset", "nbp", "--datasets", datasets.path], in: folder)
        #expect(again.status == 0, "\(again.stderr)")
        let second = try relativeFiles(in: target).map { try Data(contentsOf: target.appendingPathComponent($0)) }
        #expect(first == second)
        #expect(try FileManager.default.contentsOfDirectory(atPath: datasets.path).allSatisfy { !$0.hasPrefix(".") })

        // A folder the import did not write is never replaced.
        let sdgManifest = try Data(contentsOf: datasets.appendingPathComponent("sdg/manifest.yaml"))
        let refused = try runLinkage(["import", "examples/plans/national-broadband-plan.csv", "--dataset", "sdg", "--datasets", datasets.path])
        #expect(refused.status == 4)
        #expect(refused.stderr.contains("was not written by linkage import; it is left alone"))
        #expect(try Data(contentsOf: datasets.appendingPathComponent("sdg/manifest.yaml")) == sdgManifest)
        #expect(try runLinkage(["import", "examples/plans/national-broadband-plan.csv", "--dataset", "Bad_Name", "--datasets", datasets.path]).status == 2)
    }

    @Test func allowErrorsWritesTheGoodRowsAndListsTheOthers() throws {
        let (folder, datasets) = try datasetsCopy(only: ["sdg", "wsis", "itu-resolutions"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runLinkage(["import", "examples/plans/national-broadband-plan-with-errors.csv", "--dataset", "nbp",
                                     "--datasets", datasets.path, "--allow-errors"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("imported 12 of 15 rows"))
        let manifest = try String(contentsOf: datasets.appendingPathComponent("nbp/manifest.yaml"), encoding: .utf8)
        #expect(manifest.contains("Rows LEFT OUT because of errors (imported with --allow-errors): examples/plans/national-broadband-plan-with-errors.csv:6:1 (NBP-1.4); examples/plans/national-broadband-plan-with-errors.csv:10:1 (NBP-2.3); examples/plans/national-broadband-plan-with-errors.csv:15:1 (NBP-3.3)"))
        #expect(try runLinkage(["validate", "--datasets", datasets.path]).status == 0)
    }

    /// Export a bundled plan to XLSX, import it, and the plan's links are the same.
    @Test func exportThenImportRoundTripsTheBAAPLinks() throws {
        let (folder, datasets) = try datasetsCopy(only: ["sdg", "wsis", "itu-resolutions"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let workbook = folder.appendingPathComponent("baap.xlsx")
        let export = try runLinkage(["export", "plan", "--plan", "baap", "--format", "xlsx", "-o", workbook.path])
        #expect(export.status == 0, "\(export.stderr)")
        let imported = try runLinkage(["import", workbook.path, "--dataset", "baap-copy", "--datasets", datasets.path])
        #expect(imported.status == 0, "\(imported.stderr)")

        let original = Repository.loaded.graph
        let plan = original.resolve(try #require(original.plan(named: "baap")))
        let rows = Set(plan.elements.map(\.id) + plan.groups.map(\.id))
        let planRelations: Set<RelationKind> = [.partOf, .advancesSDG, .supportsWSIS, .implements]
        let expected = Set(original.edges.filter { rows.contains($0.source) && planRelations.contains($0.relation) && $0.isDeclared }
            .map { "\($0.source) \($0.relation) \($0.target)" })
        let copy = DatasetLoader.load(from: datasets)
        #expect(!copy.hasErrors)
        let actual = Set(copy.graph.edges(inDataset: "baap-copy").map { "\($0.source) \($0.relation) \($0.target)" })
        #expect(expected.count == 474)
        #expect(actual == expected)
        // The labels in both languages come through too.
        #expect(copy.graph.node("BAAP-OUT-2.3")?.label == original.node("BAAP-OUT-2.3")?.label)

        // The same plan as CSV reads the same way.
        let csv = try runLinkage(["export", "plan", "--dataset", "baap-2018-2021"])
        #expect(csv.stdout.hasPrefix("id,parent,label_en,label_zh,sdg,wsis,mandates,"))
        #expect(csv.stdout.contains("\nBAAP-OUT-2.3,BAAP-OBJ-2,"))
    }

    @Test func exportRefusesWhatItCannotWrite() throws {
        let kap = try runLinkage(["export", "plan", "--plan", "kap-2023-2027"])
        #expect(kap.status == 2)
        #expect(kap.stderr.contains("did you mean 'kap'? the plan of dataset kap-2023-2027"))
        #expect(try runLinkage(["export", "plan", "--dataset", "itu-sp-2020-2023"]).stderr.contains("declares 2 plans"))
        #expect(try runLinkage(["export", "nodes", "--format", "xlsx"]).status == 2)
    }
}

@Suite("search, list and views")
struct FindCommandTests {
    @Test func searchFindsIdsLabelsAndAttributes() throws {
        let chinese = try runLinkage(["search", "应急通信", "--limit", "3"])
        #expect(chinese.status == 0)
        #expect(chinese.stdout.hasPrefix("OP23-TH-P1-EMTEL"))
        #expect(chinese.stdout.contains("BAAP-OUT-2.3"))
        let code = try runLinkage(["search", "sdg", "9c", "--limit", "1"])
        #expect(code.stdout.hasPrefix("SDG-9.c "))
        let kinds = try runLinkage(["search", "emergency", "--kind", "baap-output,kap-outcome"])
        let ids = kinds.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }.map { $0.split(separator: " ")[0] }
        #expect(ids == ["BAAP-OUT-2.3", "KAP-OC-P1.7"])
        let typo = try runLinkage(["search", "--kind", "wtdc-res", "37"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("did you mean 'wtdc-resolution'?"))
        let nothing = try runLinkage(["search", "zzzzqqq"])
        #expect(nothing.status == 0)
        #expect(nothing.stderr.contains("nothing matches 'zzzzqqq'"))
    }

    @Test func listByKindAndDataset() throws {
        let lines = try runLinkage(["list", "--kind", "wsis-action-line"]).stdout.split(separator: "\n")
        #expect(lines.count == 19)
        #expect(lines.first?.hasPrefix("WSIS-C1 ") == true)
        let kap = try runLinkage(["list", "--dataset", "kap"])
        #expect(kap.status == 2)
        #expect(kap.stderr.contains("no dataset 'kap' (did you mean 'kap-2023-2027'?"))
        let priorities = try runLinkage(["list", "--dataset", "kap-2023-2027", "--kind", "kap-priority"])
        #expect(priorities.stdout.split(separator: "\n").map { $0.split(separator: " ")[0] } == ["KAP-P1", "KAP-P2", "KAP-P3", "KAP-P4", "KAP-P5"])
        let kinds = try runLinkage(["list", "--kinds"])
        #expect(kinds.stdout.contains("baap-output  [plan-element, baap-2018-2021]  17 nodes"))
        #expect(try runLinkage(["list"]).status == 2)
    }

    @Test func viewsListTheIdsRenderTakes() throws {
        let views = try runLinkage(["views", "--analysis", "sdg-mapping"])
        #expect(views.status == 0)
        #expect(views.stdout.contains("  plan-sdg-baap  "))
        #expect(views.stdout.contains("e.g. linkage render --analysis sdg-mapping --view heatmap-baap"))
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let render = try runLinkage(["render", "--analysis", "sdg-mapping", "--view", "plan-sdg-baap", "--format", "dot",
                                     "-o", folder.appendingPathComponent("v.dot").path])
        #expect(render.status == 0, "\(render.stderr)")
        let focused = try runLinkage(["views", "--analysis", "neighbourhood", "--set", "focus=KAP-P1"])
        #expect(focused.stdout.contains("neighbourhood-KAP-P1"))
        let every = try runLinkage(["views"])
        for analysis in ["neighbourhood", "resolution-xref", "risk-matrix", "sdg-mapping", "wsis-action-lines"] {
            #expect(every.stdout.contains("\(analysis) (default options): "))
        }
        #expect(try runLinkage(["views", "--set", "plan=baap"]).status == 2)
    }

    @Test(arguments: ["search", "list", "views", "import"])
    func helpTeachesWithExamples(command: String) throws {
        let help = try runLinkage([command, "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Examples:"))
        #expect(help.stdout.contains("linkage \(command) "))
    }

    @Test func analysesTakeAPlanIdInAnyCaseOrSuggestIt() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try runLinkage(["run", "sdg-mapping", "--set", "plan=KAP", "-o", folder.path, "--quiet"]).status == 0)
        let long = try runLinkage(["run", "sdg-mapping", "--set", "plan=kap-2023-2027", "-o", folder.path, "--quiet"])
        #expect(long.status == 2)
        #expect(long.stderr.contains("no plan 'kap-2023-2027' (did you mean 'kap'? the plan of dataset kap-2023-2027)"))
    }
}
