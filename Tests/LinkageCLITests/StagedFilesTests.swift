import Foundation
@testable import LinkageHost
import LinkageTestSupport
import Testing

/// An analysis folder's files are written on two threads when there is much to write; what is
/// written, and which failure is reported, are as when they were written one after the other.
@Suite("Files of an analysis folder written in parallel")
struct StagedFilesTests {
    /// Eight files of 1 MiB: enough for two threads, four files each.
    func files() -> [String: Data] {
        Dictionary(uniqueKeysWithValues: (0..<8).map { ("f\($0).svg", Data(repeating: UInt8(0x41 + $0), count: 1 << 20)) })
    }

    @Test func everyFileIsWrittenWhole() throws {
        let folder = try makeTemporaryDirectory("staged-files")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = files()
        try OutputFolder.createAll(files, in: folder)
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(written == files.keys.sorted())
        for (name, data) in files { #expect(FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) == data) }
    }

    @Test func theFailureReportedIsTheFirstFileInNameOrder() throws {
        let folder = try makeTemporaryDirectory("staged-files")
        defer { try? FileManager.default.removeItem(at: folder) }
        // A name already taken in each half: f1 is written by the first thread, f6 by the second.
        for taken in ["f1.svg", "f6.svg"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(taken), withIntermediateDirectories: false)
        }
        do {
            try OutputFolder.createAll(files(), in: folder)
            Issue.record("writing over a folder succeeded")
        } catch {
            #expect(error.path == folder.appendingPathComponent("f1.svg").path, "\(error)")
        }
        // Each thread stops at its first failure; nothing is written in place of the folders.
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("f6.svg").path, isDirectory: &isFolder) && isFolder.boolValue)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("f7.svg").path))
    }

    /// Diagrams written while the next ones are drawn: every file once, whole; one that cannot
    /// be written is left out of the names, for `stage` to write again and report.
    @Test(arguments: [0, 1, 40])
    func earlyFilesAreWrittenOnceWholeAndFailuresLeftToStage(_ count: Int) throws {
        let folder = try makeTemporaryDirectory("early-files")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("taken.svg"), withIntermediateDirectories: false)
        let early = EarlyFiles(folder: folder)
        var files: [String: Data] = [:]
        for i in 0..<count {
            let name = "d\(i).svg", data = Data(repeating: UInt8(0x30 + i % 10), count: 1000 + i * 997)
            files[name] = data
            early.write(name, data)
            if i == count / 2 { early.write("taken.svg", Data("x".utf8)) }
        }
        let (written, names) = early.finish()
        #expect(written == folder)
        #expect(names.sorted() == files.keys.sorted())
        for (name, data) in files { #expect(FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) == data) }
    }

    /// `stage` adds what was not written early and writes the early failures again, reporting
    /// the first in name order; otherwise the folder ends as if every file had been written there.
    @Test func stagingAfterEarlyFilesWritesTheRest() throws {
        let root = try makeTemporaryDirectory("early-staging")
        defer { try? FileManager.default.removeItem(at: root) }
        let output = try OutputFolder.open(root.appendingPathComponent("out"))
        defer { output.unlock() }
        let manifest = FolderManifest(analysis: "a", title: "a", files: ["x.svg", "y.csv"], tables: [], diagrams: [])
        let files = ["x.svg": Data("<svg/>".utf8), "y.csv": Data("1\n".utf8)]
        let early = EarlyFiles(folder: try output.startStaging("a"))
        early.write("x.svg", files["x.svg"]!)
        let staged = try output.stage(manifest, files: files, early: early)
        let names = try FileManager.default.contentsOfDirectory(atPath: staged.path).sorted()
        #expect(names == [OutputFolder.manifestName, "x.svg", "y.csv"])
        for (name, data) in files { #expect(FileManager.default.contents(atPath: staged.appendingPathComponent(name).path) == data) }

        // A file that could not be written early is written again, and its error reported.
        let failing = EarlyFiles(folder: try output.startStaging("a"))
        try FileManager.default.createDirectory(at: failing.folder.appendingPathComponent("w.svg"), withIntermediateDirectories: false)
        failing.write("w.svg", Data("<svg/>".utf8))
        failing.write("x.svg", files["x.svg"]!)
        do {
            _ = try output.stage(manifest, files: files.merging(["w.svg": Data("<svg/>".utf8)]) { $1 }, early: failing)
            Issue.record("staging over a folder succeeded")
        } catch {
            #expect(error.path == failing.folder.appendingPathComponent("w.svg").path, "\(error)")
        }
    }
}
