import Foundation
import LinkageHost
import LinkageKit
import LinkageTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The tool deletes or replaces only what it created, writes exports only to regular files,
/// keeps one writer per output folder, and never leaves an analysis folder missing.
@Suite("Output folders and files")
struct OutputFolderTests {
    func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    @Test func allAndRunRefuseToReplaceWhatLinkageDidNotWrite() throws {
        let folder = try makeTemporaryDirectory("foreign")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        #expect(try runLinkage(["run", "neighbourhood", "-o", out.path, "--quiet"]).status == 0)

        // A note a user keeps in an analysis folder.
        let note = out.appendingPathComponent("neighbourhood/notes.txt")
        try "my notes".write(to: note, atomically: true, encoding: .utf8)
        let refused = try runLinkage(["run", "neighbourhood", "-o", out.path, "--quiet"])
        #expect(refused.status == 4)
        #expect(refused.stderr.contains("neighbourhood/ holds what linkage did not write: notes.txt"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--force"))
        #expect(try text(note) == "my notes")
        try FileManager.default.removeItem(at: note)

        // A subfolder of the user's.
        let sub = out.appendingPathComponent("neighbourhood/drafts")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try "draft".write(to: sub.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        let subRefused = try runLinkage(["all", "-o", out.path, "--quiet"])
        #expect(subRefused.status == 4)
        #expect(subRefused.stderr.contains("drafts/"))
        #expect(try text(sub.appendingPathComponent("a.md")) == "draft")
        // Nothing was written: no other analysis folder appeared.
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("sdg-mapping").path))

        // A datasets folder that happens to be named like an analysis.
        let lookalike = folder.appendingPathComponent("other")
        try copyDirectory(Repository.datasets.appendingPathComponent("sdg"), to: lookalike.appendingPathComponent("sdg-mapping"))
        let before = relativeFiles(in: lookalike)
        let lookalikeRefused = try runLinkage(["all", "-o", lookalike.path, "--quiet"])
        #expect(lookalikeRefused.status == 4)
        #expect(lookalikeRefused.stderr.contains("sdg-mapping/ was not written by linkage"), "\(lookalikeRefused.stderr)")
        #expect(relativeFiles(in: lookalike) == before)

        // An index.md of the user's.
        let userIndex = folder.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: userIndex, withIntermediateDirectories: true)
        try "# mine".write(to: userIndex.appendingPathComponent("index.md"), atomically: true, encoding: .utf8)
        #expect(try runLinkage(["all", "-o", userIndex.path, "--quiet"]).status == 4)
        #expect(try text(userIndex.appendingPathComponent("index.md")) == "# mine")

        // --force replaces them (documented: what they held is deleted).
        let forced = try runLinkage(["all", "-o", out.path, "--quiet", "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sub.path))
        // Files next to the analysis folders are never touched.
        try "keep".write(to: out.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)
        #expect(try runLinkage(["all", "-o", out.path, "--quiet"]).status == 0)
        #expect(try text(out.appendingPathComponent("README.txt")) == "keep")
    }

    @Test func symbolicLinksAreNeverFollowedOrReplacedEvenWithForce() throws {
        let folder = try makeTemporaryDirectory("symlink")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out"), elsewhere = folder.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try "precious".write(to: elsewhere.appendingPathComponent("file.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: out.appendingPathComponent("neighbourhood"), withDestinationURL: elsewhere)
        for arguments in [["run", "neighbourhood"], ["run", "neighbourhood", "--force"]] {
            let result = try runLinkage(arguments + ["-o", out.path, "--quiet"])
            #expect(result.status == 4)
            #expect(result.stderr.contains("is a symbolic link; linkage never replaces or follows one"), "\(result.stderr)")
        }
        #expect(FileOutput.entryType(out.appendingPathComponent("neighbourhood").path) == .symbolicLink)
        #expect(relativeFiles(in: elsewhere) == ["file.txt"])
    }

    /// `export -o` writes only regular files: a FIFO, a device, a socket, a folder or a symbolic
    /// link at the path is refused and left as it was.
    @Test func exportWritesOnlyRegularFilesOrStandardOutput() throws {
        let folder = try makeTemporaryDirectory("special")
        defer { try? FileManager.default.removeItem(at: folder) }
        var specials: [(URL, FileOutput.EntryType)] = []
        let fifo = folder.appendingPathComponent("fifo")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        specials.append((fifo, .fifo))
        let target = folder.appendingPathComponent("target.csv")
        try "keep".write(to: target, atomically: true, encoding: .utf8)
        let link = folder.appendingPathComponent("link.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        specials.append((link, .symbolicLink))
        let directory = folder.appendingPathComponent("dir.csv")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        specials.append((directory, .directory))
        // A character device (/dev/null's numbers) inside the test's own folder, where permitted.
        let device = folder.appendingPathComponent("null")
        if mknod(device.path, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0 { specials.append((device, .characterDevice)) }
        let socketPath = folder.appendingPathComponent("socket")
        if Self.bindSocket(at: socketPath.path) { specials.append((socketPath, .socket)) }

        for (path, type) in specials {
            let result = try runLinkage(["export", "nodes", "--dataset", "sdg", "-o", path.path])
            #expect(result.status == 4, "\(path.lastPathComponent)")
            #expect(result.stderr.contains("it is \(type.name); linkage writes only regular files"), "\(result.stderr)")
            #expect(FileOutput.entryType(path.path) == type)
        }
        #expect(try text(target) == "keep")
        // -o names the file itself, with or without an extension: a FIFO there is refused.
        let bare = try runLinkage(["render", "BAAP-OBJ-2", "-o", fifo.path])
        #expect(bare.status == 4)
        #expect(FileOutput.entryType(fifo.path) == .fifo)
        #expect(!FileManager.default.fileExists(atPath: fifo.path + ".svg"))
        let svgFIFO = folder.appendingPathComponent("fifo.svg")
        #expect(mkfifo(svgFIFO.path, 0o644) == 0)
        let render = try runLinkage(["render", "BAAP-OBJ-2", "-o", svgFIFO.path])
        #expect(render.status == 4)
        #expect(FileOutput.entryType(svgFIFO.path) == .fifo)
        // "-o -" is standard output.
        let stdout = try runLinkage(["export", "nodes", "--dataset", "sdg", "-o", "-"])
        #expect(stdout.status == 0)
        #expect(stdout.stdout.hasPrefix("id,kind,label_zh,label_en,source\n"))
        // A regular file is replaced atomically.
        let result = try runLinkage(["export", "nodes", "--dataset", "sdg", "-o", target.path])
        #expect(result.status == 0)
        #expect(try text(target).hasPrefix("id,kind"))
    }

    static func bindSocket(at path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (i, byte) in bytes.enumerated() { buffer[i] = byte }
        }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }

    @Test func anOutputFolderThatCannotBeWrittenExitsWith4() throws {
        let folder = try makeTemporaryDirectory("unwritable")
        defer { try? FileManager.default.removeItem(at: folder) }
        // A path under a regular file cannot be a folder (unlike permissions, this holds for root too).
        let file = folder.appendingPathComponent("a-file")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        let under = file.appendingPathComponent("out").path
        for arguments in [["all", "-o", under], ["run", "neighbourhood", "-o", under], ["export", "nodes", "-o", under + "/nodes.csv"],
                          ["render", "BAAP-OBJ-2", "-o", under + "/x.svg"]] {
            let result = try runLinkage(arguments + (arguments[0] == "all" || arguments[0] == "run" ? ["--quiet"] : []))
            #expect(result.status == 4, "\(arguments[0]): \(result.stderr)")
            #expect(result.stderr.contains("cannot write"), "\(result.stderr)")
        }
    }

    /// Files that cannot be written mid-run (as on a full disk: here a file-size limit, so that
    /// writes past 32 KB fail with EFBIG) and a failing analysis in the same run: exit status 4,
    /// the one to fix first, and the folders that could not be written keep their earlier outputs.
    @Test func aWriteErrorWinsOverAFailedAnalysis() throws {
        let folder = try makeTemporaryDirectory("write-error")
        defer { try? FileManager.default.removeItem(at: folder) }
        let analyses = folder.appendingPathComponent("analyses"), out = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: analyses, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Repository.fixtures.appendingPathComponent("external-analyses/hostile/exits-nonzero"),
                                         to: analyses.appendingPathComponent("exits-nonzero"))
        #expect(try runLinkage(["all", "-o", out.path, "--quiet", "--lang", "en"]).status == 0)
        let before = try Data(contentsOf: out.appendingPathComponent("sdg-mapping/report.md"))
        // SIGXFSZ ignored (kept across exec), so that a write past the limit fails instead of
        // killing the process; `ulimit -f 64` is 64 blocks of 512 bytes in POSIX sh.
        let limited = "trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\""
        let environment = linkageEnvironment()
        let result = try runProgram(URL(fileURLWithPath: "/bin/sh"),
                                    ["-c", limited, Repository.linkageExecutable.path, "all", "--analyses", analyses.path,
                                     "-o", out.path, "--lang", "en"],
                                    in: Repository.root, environment: environment)
        #expect(result.status == 4, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("exits-nonzero: FAILED"), "\(result.stdout)")
        #expect(result.stdout.contains("sdg-mapping: NOT WRITTEN"), "\(result.stdout)")
        #expect(result.stderr.contains("File too large"), "\(result.stderr)")
        #expect(try Data(contentsOf: out.appendingPathComponent("sdg-mapping/report.md")) == before)

        // One file: written aside and renamed into place, so a write that fails leaves the old
        // file whole and no temporary file behind.
        let export = folder.appendingPathComponent("nodes.json")
        try Data("an earlier export".utf8).write(to: export)
        let failed = try runProgram(URL(fileURLWithPath: "/bin/sh"),
                                    ["-c", limited, Repository.linkageExecutable.path, "export", "nodes", "--format", "json", "-o", export.path],
                                    in: Repository.root, environment: environment)
        #expect(failed.status == 4, "\(failed.stderr)")
        #expect(failed.stderr.contains("File too large"), "\(failed.stderr)")
        #expect(try String(contentsOf: export, encoding: .utf8) == "an earlier export")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["analyses", "nodes.json", "out"])
    }

    @Test func leftoversOfAnInterruptedRunAreRemovedByTheNextRun() throws {
        let folder = try makeTemporaryDirectory("leftovers")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fm = FileManager.default
        #expect(try runLinkage(["run", "neighbourhood", "-o", folder.path, "--quiet", "--lang", "en"]).status == 0)
        // What a killed run leaves: the work folder, and the staging/retired folders of earlier versions.
        for leftover in [".linkage-work/neighbourhood", ".neighbourhood.staging-123-456", ".neighbourhood.old-123-456"] {
            try fm.createDirectory(at: folder.appendingPathComponent(leftover), withIntermediateDirectories: true)
            try "x".write(to: folder.appendingPathComponent(leftover + "/report.md"), atomically: true, encoding: .utf8)
        }
        // A run killed while writing a top-level file: its temporary file.
        try "x".write(to: folder.appendingPathComponent(".index.md.tmp-123-456"), atomically: true, encoding: .utf8)
        // A run stopped between the two renames of the fallback swap: the folder is in retired/.
        try fm.createDirectory(at: folder.appendingPathComponent(".linkage-work/retired"), withIntermediateDirectories: true)
        try fm.moveItem(at: folder.appendingPathComponent("neighbourhood"), to: folder.appendingPathComponent(".linkage-work/retired/neighbourhood"))
        // Hidden things of the user's stay.
        try "mine".write(to: folder.appendingPathComponent(".my-notes"), atomically: true, encoding: .utf8)
        try fm.createDirectory(at: folder.appendingPathComponent(".staging-of-mine"), withIntermediateDirectories: true)

        let result = try runLinkage(["run", "neighbourhood", "-o", folder.path, "--lang", "en"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("removed what an interrupted run left"))
        let hidden = try fm.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }.sorted()
        #expect(hidden == [".linkage-output.json", ".my-notes", ".staging-of-mine"])
        #expect(relativeFiles(in: folder.appendingPathComponent("neighbourhood")).contains("report.md"))
    }

    /// Between the old folder and the new one there is no moment without a folder: a reader
    /// polling the path while it is replaced again and again never finds it missing.
    @Test func anAnalysisFolderIsNeverMissingWhileItIsReplaced() throws {
        let folder = try makeTemporaryDirectory("window")
        defer { try? FileManager.default.removeItem(at: folder) }
        let runner = AnalysisRunner(graph: FixtureGraph().build())
        let settings = OutputSettings(directory: folder, languages: .en)
        _ = try runner.run(FailingAnalysis(fails: false), options: AnalysisOptions(), output: settings)
        let path = folder.appendingPathComponent("failing/report.md").path
        let done = Atomic(false), missing = Atomic(0), polls = Atomic(0)
        let poller = Thread {
            var info = stat()
            while !done.value {
                if lstat(path, &info) != 0 { missing.add(1) }
                polls.add(1)
            }
        }
        poller.start()
        for _ in 0..<300 { _ = try runner.run(FailingAnalysis(fails: false), options: AnalysisOptions(), output: settings) }
        done.set(true)
        while !poller.isFinished { usleep(1000) }
        #expect(polls.value > 1000)
        #expect(missing.value == 0, "the folder was missing \(missing.value) times in \(polls.value) looks")
    }

    /// Two `all` runs into the same folder at once: the second waits for the first (saying so),
    /// and the folder ends up wholly from one of them, never mixed.
    @Test func twoRunsIntoOneFolderNeverMix() throws {
        let folder = try makeTemporaryDirectory("concurrent")
        defer { try? FileManager.default.removeItem(at: folder) }
        let english = folder.appendingPathComponent("en"), chinese = folder.appendingPathComponent("zh"), shared = folder.appendingPathComponent("shared")
        #expect(try runLinkage(["all", "-o", english.path, "--quiet", "--lang", "en"]).status == 0)
        #expect(try runLinkage(["all", "-o", chinese.path, "--quiet", "--lang", "zh"]).status == 0)
        let results = Mutex2<[CommandResult]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let result = try? runLinkage(["all", "-o", shared.path, "--lang", i == 0 ? "en" : "zh"])
            results.withLock { $0.append(result!) }
        }
        let both = results.withLock { $0 }
        #expect(both.allSatisfy { $0.status == 0 }, "\(both.map(\.stderr))")
        #expect(both.contains { $0.stderr.contains("another linkage run is writing to") && $0.stderr.contains("waiting for it to finish") })
        let files = relativeFiles(in: shared)
        let fromEnglish = try files.allSatisfy { try Data(contentsOf: shared.appendingPathComponent($0)) == (try? Data(contentsOf: english.appendingPathComponent($0))) }
        let fromChinese = try files.allSatisfy { try Data(contentsOf: shared.appendingPathComponent($0)) == (try? Data(contentsOf: chinese.appendingPathComponent($0))) }
        #expect(fromEnglish != fromChinese, "every file from one run: en \(fromEnglish), zh \(fromChinese)")
        #expect(files == relativeFiles(in: fromEnglish ? english : chinese))
    }
}

/// A value shared between threads in tests.
final class Atomic<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func set(_ value: Value) { lock.withLock { stored = value } }
}

extension Atomic where Value == Int {
    func add(_ n: Int) { lock.withLock { stored += n } }
}

final class Mutex2<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}
