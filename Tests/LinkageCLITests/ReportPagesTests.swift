import Foundation
import LinkageTestSupport
import Testing

/// The reports people open: `report.html` / `report.zh.html` and `<analysis>.xlsx` per analysis
/// and the landing index, as `linkage all` writes them from the bundled datasets, checked by the
/// programs readers use: headless Chromium (Tests/Tools/browser_check.py, over the DevTools
/// protocol) and openpyxl (Tests/Tools/compare_workbook.py).
@Suite("HTML reports, workbooks and the index")
struct ReportPagesTests {
    static func python(_ arguments: [String]) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                             stderr: String(decoding: stderr, as: UTF8.self), stdoutData: stdout)
    }

    static func tool(_ name: String) -> String { Repository.root.appendingPathComponent("Tests/Tools/\(name)").path }

    /// One `linkage all` run, then every page in Chromium and every workbook against its CSVs.
    @Test func allWritesReportsInBothLanguagesWorkbooksAndAnIndexThatABrowserOpens() throws {
        let folder = try makeTemporaryDirectory("reports")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runLinkage(["all", "-o", folder.path, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let analyses = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { !$0.hasPrefix(".") && !$0.contains(".") }.sorted()
        #expect(analyses.count >= 6, "\(analyses)")

        var pages = ["index.html"]
        for id in analyses {
            let files = relativeFiles(in: folder.appendingPathComponent(id))
            #expect(files.contains("report.html") && files.contains("report.zh.html"), "\(id): \(files)")
            pages += ["\(id)/report.html", "\(id)/report.zh.html"]
            let english = try String(contentsOf: folder.appendingPathComponent("\(id)/report.html"), encoding: .utf8)
            let chinese = try String(contentsOf: folder.appendingPathComponent("\(id)/report.zh.html"), encoding: .utf8)
            #expect(english.contains("<html lang=\"en\">") && english.contains("<h2>Findings</h2>"), "\(id)")
            #expect(chinese.contains("<html lang=\"zh-Hans\">") && chinese.contains("<h2>发现</h2>"), "\(id)")
            // Diagrams are inline (no XML prolog or doctype inside the page), each in its own language.
            #expect(!english.contains("<?xml") && !english.contains("<!DOCTYPE svg"), "\(id)")
            #expect(!english.contains(".zh.svg\"><") && !chinese.contains(".en.svg\"><"), "\(id)")

            if files.contains(where: { $0.hasSuffix(".csv") }) {
                #expect(files.contains("\(id).xlsx"), "\(id): no workbook")
                let compared = try Self.python([Self.tool("compare_workbook.py"), folder.appendingPathComponent("\(id)/\(id).xlsx").path,
                                                folder.appendingPathComponent(id).path])
                #expect(compared.status == 0, "\(compared.stdout)\(compared.stderr)")
            }
        }
        let index = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        for id in analyses {
            #expect(index.contains("href=\"\(id)/report.html\"") && index.contains("href=\"\(id)/report.zh.html\""), "\(id)")
            #expect(index.contains("<img src=\"\(id)/"), "\(id): no thumbnail")
        }

        // Every page in a real browser: no failed or outside request, no console error or CSP
        // violation, every table with its CSV's rows, every diagram, sorting by a click.
        let shots = ProcessInfo.processInfo.environment["LINKAGE_SCREENSHOTS"]
        let browser = try Self.python([Self.tool("browser_check.py"), folder.path] + pages + (shots.map { ["--shots", $0] } ?? []))
        #expect(browser.status == 0, "\(browser.stdout)\(browser.stderr)")
        #expect(browser.stdout.contains("checked \(pages.count) pages: 0 problems"), "\(browser.stdout)")

        // Active content: only linkage's own table script, named by the page's policy.
        let html = pages.map { folder.appendingPathComponent($0).path }
        let inert = try Self.python([Self.tool("check_active_content.py")] + html)
        #expect(inert.status == 0, "\(inert.stdout)")
    }

    /// A label that starts like a formula is a text cell in the workbook (the CSV quotes it).
    @Test func hostileLabelsStayTextInTheWorkbook() throws {
        let folder = try makeTemporaryDirectory("reports-hostile")
        defer { try? FileManager.default.removeItem(at: folder) }
        let datasets = try HostileDatasets.make(in: folder)
        let out = folder.appendingPathComponent("out")
        let run = try runLinkage(["run", "neighbourhood", "--set", "focus=HX-1,\(HostileDatasets.markupID)", "--lang", "en",
                                  "--datasets", datasets.path, "-o", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        let analysis = out.appendingPathComponent("neighbourhood")
        let csv = try String(contentsOf: analysis.appendingPathComponent("nodes.csv"), encoding: .utf8)
        #expect(csv.contains(",'+1+cmd"), "the hostile corpus reaches a cell that starts with +")
        let compared = try Self.python([Self.tool("compare_workbook.py"), analysis.appendingPathComponent("neighbourhood.xlsx").path, analysis.path])
        #expect(compared.status == 0, "\(compared.stdout)\(compared.stderr)")
        let inert = try Self.python([Self.tool("check_active_content.py"), analysis.appendingPathComponent("report.html").path])
        #expect(inert.status == 0, "\(inert.stdout)")
    }
}
