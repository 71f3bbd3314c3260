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

    /// Diagrams are written into the folder being built as they are rendered (`beginStaging`);
    /// `stage` writes the rest and does not write those again.
    @Test func filesHandedEarlyAreWrittenOnceAndTheRestByStage() throws {
        let root = try makeTemporaryDirectory("staged-files")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = try OutputFolder.open(root.appendingPathComponent("out"))
        defer { folder.unlock() }
        let begun = try #require(folder.beginStaging("demo"))
        begun.add("a.svg", Data("early".utf8))
        // The same name with other bytes: had `stage` written it again, these would be in the file.
        let files = ["a.svg": Data("again".utf8), "b.csv": Data("rest".utf8)]
        let manifest = FolderManifest(analysis: "demo", title: "Demo", files: files.keys.sorted(), tables: [], diagrams: [])
        let staged = try folder.stage(manifest, files: files, begun: begun)
        #expect(staged.path == begun.folder.path)
        #expect(FileManager.default.contents(atPath: staged.appendingPathComponent("a.svg").path) == Data("early".utf8))
        #expect(FileManager.default.contents(atPath: staged.appendingPathComponent("b.csv").path) == Data("rest".utf8))
        #expect(FileManager.default.fileExists(atPath: staged.appendingPathComponent(OutputFolder.manifestName).path))
        folder.finish()
    }

    /// A file handed early that could not be written is reported as if `stage` had written it:
    /// the first failure in name order, of all the folder's files.
    @Test func anEarlyFailureTakesItsPlaceInNameOrder() throws {
        let folder = try makeTemporaryDirectory("staged-files")
        defer { try? FileManager.default.removeItem(at: folder) }
        for taken in ["b.svg", "c.csv", "e.svg"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(taken), withIntermediateDirectories: false)
        }
        let early = StagedFiles(folder: folder)
        early.add("b.svg", Data("x".utf8))
        early.add("e.svg", Data("x".utf8))
        early.add("a.svg", Data("x".utf8))
        let (names, failures) = early.settle()
        #expect(names == ["a.svg", "b.svg", "e.svg"])
        #expect(failures.keys.sorted() == ["b.svg", "e.svg"])
        #expect(FileManager.default.contents(atPath: folder.appendingPathComponent("a.svg").path) == Data("x".utf8))
        for (alongside, expected) in [(failures, "b.svg"), (failures.filter { $0.key == "e.svg" }, "c.csv")] {
            do {
                try OutputFolder.createAll(["c.csv": Data("y".utf8), "d.csv": Data("y".utf8)], in: folder, alongside: alongside)
                Issue.record("writing over a folder succeeded")
            } catch {
                #expect(error.path == folder.appendingPathComponent(expected).path, "\(error)")
            }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent("d.csv"))
        }
    }
}
