import Foundation
import LinkageHost
import LinkageKit
import LinkageRegistry
import LinkageTestSupport
import Testing

/// An analysis that fails when asked to, to show that one failing analysis does not stop the
/// others and leaves its earlier outputs.
struct FailingAnalysis: AnalysisPlugin {
    struct Broken: Error, CustomStringConvertible { var description: String { "the fixture analysis broke" } }
    var fails = true
    var descriptor: AnalysisDescriptor { AnalysisDescriptor(id: "failing", title: "Failing", summary: "Fails when asked to.") }
    func run(_ context: AnalysisContext) throws -> AnalysisResult {
        if fails { throw Broken() }
        return AnalysisResult(findings: [Finding(.info, code: "fixture", .same("an earlier run"))])
    }
}

@Suite("Running analyses")
struct HostTests {
    @Test func oneFailingAnalysisDoesNotStopTheOthersAndTheIndexLinksItsEarlierOutputs() throws {
        let folder = try makeTemporaryDirectory("host")
        defer { try? FileManager.default.removeItem(at: folder) }
        let neighbourhood = try #require(registeredAnalyses.first { $0.descriptor.id == "neighbourhood" })
        let runner = AnalysisRunner(graph: Repository.loaded.graph)
        let settings = OutputSettings(directory: folder, languages: .en)
        // An earlier run wrote the analysis's outputs.
        #expect(try runner.runAll([FailingAnalysis(fails: false)], output: settings).runs.map(\.status) == [.succeeded])
        let previous = folder.appendingPathComponent("failing/report.md")
        let earlier = try Data(contentsOf: previous)

        let report = try runner.runAll([FailingAnalysis(), neighbourhood], output: settings)
        #expect(report.runs.map(\.status) == [.failed, .succeeded])
        #expect(report.indexProblem == nil)
        #expect(report.runs[0].problems.contains { $0.contains("the fixture analysis broke") })
        #expect(try Data(contentsOf: previous) == earlier)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("neighbourhood/report.md").path))
        let index = try String(contentsOf: folder.appendingPathComponent("index.md"), encoding: .utf8)
        #expect(index.contains("**failed**: failing failed: the fixture analysis broke. The files below are from an earlier run."))
        // The index agrees with the folders: it links the earlier report that is still there.
        #expect(index.contains("[Report](failing/report.md)"))
        #expect(index.contains("[Report](neighbourhood/report.md)"))
        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("href=\"failing/report.md\""))
    }
}
