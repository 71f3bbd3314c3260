import Foundation
import LinkageHost
import LinkageKit
import LinkageRegistry
import LinkageTestSupport
import Testing

/// An analysis that always fails, to show that one failing analysis does not stop the others.
struct FailingAnalysis: AnalysisPlugin {
    struct Broken: Error, CustomStringConvertible { var description: String { "the fixture analysis broke" } }
    var descriptor: AnalysisDescriptor { AnalysisDescriptor(id: "failing", title: "Failing", summary: "Always fails.") }
    func run(_ context: AnalysisContext) throws -> AnalysisResult { throw Broken() }
}

@Suite("Running analyses")
struct HostTests {
    @Test func oneFailingAnalysisDoesNotStopTheOthers() throws {
        let folder = try makeTemporaryDirectory("host")
        defer { try? FileManager.default.removeItem(at: folder) }
        // A previous output of the failing analysis is left as it was.
        let previous = folder.appendingPathComponent("failing/report.md")
        try FileManager.default.createDirectory(at: previous.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("previous".utf8).write(to: previous)

        let neighbourhood = try #require(registeredAnalyses.first { $0.descriptor.id == "neighbourhood" })
        let runs = AnalysisRunner(graph: Repository.loaded.graph)
            .runAll([FailingAnalysis(), neighbourhood], output: OutputSettings(directory: folder, languages: .en))
        #expect(runs.map(\.status) == [.failed, .succeeded])
        #expect(runs[0].problems.contains { $0.contains("the fixture analysis broke") })
        #expect(try String(contentsOf: previous, encoding: .utf8) == "previous")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("neighbourhood/report.md").path))
        let index = try String(contentsOf: folder.appendingPathComponent("index.md"), encoding: .utf8)
        #expect(index.contains("**failed**: failing failed: the fixture analysis broke"))
        #expect(index.contains("[Report](neighbourhood/report.md)"))
    }
}
