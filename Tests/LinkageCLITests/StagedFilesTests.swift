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
}
