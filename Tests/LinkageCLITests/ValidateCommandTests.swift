import Foundation
import LinkageTestSupport
import Testing

/// `linkage validate` as a user runs it: each folder under Tests/Fixtures/broken/ overlays the
/// valid mini datasets with broken files, and expected.txt lists the errors validate must print
/// (file:line:col: error: message [check]), all of them, in order.
@Suite("linkage validate")
struct ValidateCommandTests {
    static let brokenCases: [String] = (try? FileManager.default.contentsOfDirectory(
        atPath: Repository.fixture("broken").path))?.filter { !$0.hasPrefix(".") }.sorted() ?? []

    @Test func thereAreBrokenFixtures() {
        #expect(Self.brokenCases.count >= 9)
    }

    @Test(arguments: brokenCases)
    func reportsEveryErrorWithItsPlace(_ name: String) throws {
        let work = try makeTemporaryDirectory("broken-\(name)")
        defer { try? FileManager.default.removeItem(at: work) }
        try copyDirectory(Repository.fixture("valid-mini"), to: work.appendingPathComponent("datasets"))
        let overlay = Repository.fixture("broken/\(name)")
        for file in relativeFiles(in: overlay) where file != "expected.txt" {
            let destination = work.appendingPathComponent("datasets/\(file)")
            try? FileManager.default.removeItem(at: destination)
            try FileManager.default.copyItem(at: overlay.appendingPathComponent(file), to: destination)
        }
        let expected = try String(contentsOf: overlay.appendingPathComponent("expected.txt"), encoding: .utf8)
        let result = try runLinkage(["validate", "--errors-only"], in: work)
        #expect(result.status == 1, "validate must exit 1 when there are errors")
        #expect(result.stdout == expected)
        #expect(result.stderr.contains("error"))
    }

    @Test func validMiniDatasetsAreClean() throws {
        let result = try runLinkage(["validate", "--datasets", Repository.fixture("valid-mini").path])
        #expect(result.status == 0)
        #expect(!result.stdout.contains(": error:"))
        #expect(result.stdout.contains(": warning: data-quality:"))
    }

    @Test func bundledDatasetsAreClean() throws {
        var arguments = ["validate", "--errors-only"]
        if let seeds = Repository.seeds { arguments += ["--sources", seeds.path] }
        let result = try runLinkage(arguments)
        #expect(result.status == 0, "linkage validate reports errors:\n\(result.stdout)")
        #expect(result.stdout.isEmpty)
    }

    /// A Chinese label the seed does not write at its citation: validate --sources prints the
    /// error at the label and exits 1; without --sources the label is not looked up.
    @Test(.enabled(if: Repository.seeds != nil, "needs the seed documents"))
    func aChangedChineseLabelFailsWithSources() throws {
        let work = try makeTemporaryDirectory("validate-label")
        defer { try? FileManager.default.removeItem(at: work) }
        try copyDirectory(Repository.datasets, to: work.appendingPathComponent("datasets"))
        let file = work.appendingPathComponent("datasets/kap-2023-2027/initiatives.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        let old = "zh: \"网络安全和个人数据保护\""
        try #require(text.components(separatedBy: old).count == 2)
        try text.replacingOccurrences(of: old, with: "zh: \"网络安全与个人数据保护\"").write(to: file, atomically: true, encoding: .utf8)
        let edited = try String(contentsOf: file, encoding: .utf8)
        let line = try #require(edited.components(separatedBy: "\n").firstIndex { $0.contains("网络安全与个人数据保护") }) + 1
        let checked = try runLinkage(["validate", "--datasets", "datasets", "--sources", Repository.seeds!.path, "--errors-only"], in: work)
        #expect(checked.status == 1, "\(checked.stdout)\(checked.stderr)")
        #expect(checked.stdout.hasPrefix("datasets/kap-2023-2027/initiatives.yaml:\(line):11: error: label.zh «网络安全与个人数据保护» of RI22-CIS2 is not what 003_db500cc3a9be62d9.txt says at 4 区域性举措, CIS2"),
                "\(checked.stdout)")
        #expect(checked.stderr.contains("self-checks: 112 stored figures recomputed, 60 printed figures found at their citation; labels: 596 checked at their citation"),
                "\(checked.stderr)")
        let unchecked = try runLinkage(["validate", "--datasets", "datasets", "--errors-only"], in: work)
        #expect(unchecked.status == 0, "\(unchecked.stdout)")
        #expect(unchecked.stderr.contains("quotes and labels not checked: pass --sources DIR"))
    }

    @Test func usageErrorsExitWithTwo() throws {
        let unknownOption = try runLinkage(["validate", "--no-such-option"])
        #expect(unknownOption.status == 2)
        let missingFolder = try runLinkage(["validate", "--sources", "/no/such/folder"])
        #expect(missingFolder.status == 2)
        #expect(missingFolder.stderr.contains("no such folder"))
    }

    @Test func findsTheDatasetsFromASubfolder() throws {
        let result = try runLinkage(["datasets"], in: Repository.root.appendingPathComponent("Sources"))
        #expect(result.status == 0)
        #expect(result.stdout.contains("baap-2018-2021"))
    }

    @Test func worksFromAnywhereWithDatasetsOption() throws {
        let elsewhere = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let without = try runLinkage(["datasets"], in: elsewhere)
        #expect(without.status == 2)
        #expect(without.stderr.contains("--datasets"))
        let with = try runLinkage(["datasets", "--datasets", Repository.datasets.path], in: elsewhere)
        #expect(with.status == 0)
    }
}
