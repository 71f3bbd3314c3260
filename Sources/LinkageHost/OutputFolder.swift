import CFileSystem
import LinkageKit
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What linkage wrote into a folder, kept as `.linkage-output.json` inside it. An analysis
/// folder's manifest lists its files (and what the index needs to link them); it is written
/// with the folder and swapped in with it, so it always describes exactly what is there.
struct FolderManifest: Codable, Equatable {
    struct Diagram: Codable, Equatable {
        var title: String
        var files: [String]
    }

    var writtenBy = "linkage"
    var analysis: String
    var title: String
    var files: [String]
    var tables: [String]
    var diagrams: [Diagram]
    /// For the index (absent in manifests of earlier versions).
    var summary: String?
    var headline: [HeadlineFigure]?

    enum CodingKeys: String, CodingKey {
        case writtenBy = "written_by"
        case analysis, title, files, tables, diagrams, summary, headline
    }
}

/// The manifest at the top of an output folder: the top-level files linkage wrote (the index)
/// and how each analysis fared the last time it ran into this folder.
struct OutputManifest: Codable, Equatable {
    struct Analysis: Codable, Equatable {
        var id: String
        var title: String
        var status: String
        var problems: [String]
    }

    var writtenBy = "linkage"
    var files: [String]
    var analyses: [Analysis]

    enum CodingKeys: String, CodingKey {
        case writtenBy = "written_by"
        case files, analyses
    }
}

/// An output folder (`graphs/`, `-o DIR`) held by one writer.
///
/// - One writer: the folder is locked with `flock` for as long as this object lives (the kernel
///   releases the lock when the process ends, however it ends). A second run waits, saying so.
/// - Nothing it did not create is deleted or replaced: an analysis folder is replaced only when
///   its manifest says linkage wrote it and it holds nothing else; a top-level file only when
///   the top manifest lists it. Anything else is refused before anything is written, unless
///   `force` is given. Symbolic links, FIFOs, sockets and devices are refused even then.
/// - No window: a new analysis folder is built in `.linkage-work/` and exchanged with the old
///   one in one atomic step (`renameat2(RENAME_EXCHANGE)`), so the folder is always there, old
///   or new. On a file system that cannot exchange, the old folder is first moved into
///   `.linkage-work/retired/`, and the next run puts it back if it was interrupted in between.
/// - Leftovers of an interrupted run (`.linkage-work/`, a top-level file's `.<name>.tmp-…`, and
///   the `.<id>.staging-…`/`.old-…` folders of earlier versions) are removed when the next run
///   takes the lock.
public final class OutputFolder {
    public typealias WriteError = FileOutput.WriteError

    static let manifestName = ".linkage-output.json"
    static let workName = ".linkage-work"

    public let url: URL
    private var descriptor: Int32

    private var work: URL { url.appendingPathComponent(Self.workName) }

    private init(url: URL, descriptor: Int32) {
        self.url = url
        self.descriptor = descriptor
    }

    deinit { unlock() }

    /// Opens `url` (creating it), takes its lock (telling `notice` when it has to wait for
    /// another run), and cleans up after an interrupted run.
    public static func open(_ url: URL, notice: (String) -> Void = { _ in }) throws(WriteError) -> OutputFolder {
        let path = url.path
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: path, reason: FileOutput.reason(error))
        }
        let descriptor = Glibc_open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else {
                let message = String(cString: strerror(errno))
                close(descriptor)
                throw WriteError(path: path, reason: "cannot lock it: \(message)")
            }
            notice("another linkage run is writing to \(SourceLocationPath.display(path)); waiting for it to finish")
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let message = String(cString: strerror(errno))
                    close(descriptor)
                    throw WriteError(path: path, reason: "cannot lock it: \(message)")
                }
            }
        }
        let folder = OutputFolder(url: url, descriptor: descriptor)
        folder.removeLeftovers(notice: notice)
        return folder
    }

    /// Releases the lock (also done when the object goes away).
    public func unlock() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
    }

    // MARK: Leftovers

    private func removeLeftovers(notice: (String) -> Void) {
        let fm = FileManager.default
        var removed = 0
        // A fallback swap interrupted between its two renames: the old folder goes back.
        let retired = work.appendingPathComponent("retired")
        if FileOutput.entryType(retired.path) == .directory {
            for name in (try? fm.contentsOfDirectory(atPath: retired.path)) ?? [] {
                let destination = url.appendingPathComponent(name)
                if FileOutput.entryType(destination.path) == .missing {
                    _ = rename(retired.appendingPathComponent(name).path, destination.path)
                }
            }
        }
        switch FileOutput.entryType(work.path) {
        case .missing: break
        case .directory:
            try? fm.removeItem(at: work)
            removed += 1
        default:
            unlink(work.path)
        }
        // Folders earlier versions staged and retired next to the analysis folders, and the
        // temporary file of a top-level file (index.md …) whose run was killed while writing it.
        for name in (try? fm.contentsOfDirectory(atPath: url.path)) ?? [] {
            let leftover = url.appendingPathComponent(name)
            if Self.isLegacyLeftover(name), FileOutput.entryType(leftover.path) == .directory {
                try? fm.removeItem(at: leftover)
                removed += 1
            } else if Self.isTemporaryFile(name), FileOutput.entryType(leftover.path) == .regularFile {
                unlink(leftover.path)
                removed += 1
            }
        }
        if removed > 0 { notice("removed what an interrupted run left in \(SourceLocationPath.display(url.path))") }
    }

    /// `.<analysis>.staging-<pid>-<random>` and `.<analysis>.old-<pid>-<random>`.
    static func isLegacyLeftover(_ name: String) -> Bool {
        isRunScoped(name, marker: ".staging-") || isRunScoped(name, marker: ".old-")
    }

    /// `.<file>.tmp-<pid>-<random>`, the name `FileOutput.write` gives a file before renaming it.
    static func isTemporaryFile(_ name: String) -> Bool { isRunScoped(name, marker: ".tmp-") }

    /// `.<name><marker><pid>-<random>`: a name only linkage gives, tied to one of its runs.
    private static func isRunScoped(_ name: String, marker: String) -> Bool {
        guard name.hasPrefix("."), let range = name.range(of: marker, options: .backwards) else { return false }
        let token = name[range.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        return range.lowerBound > name.index(after: name.startIndex) && token.count == 2
            && token.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }

    // MARK: Manifests

    func folderManifest(_ analysis: String) -> FolderManifest? {
        let file = url.appendingPathComponent(analysis).appendingPathComponent(Self.manifestName)
        guard FileOutput.entryType(file.path) == .regularFile, let data = try? Data(contentsOf: file) else { return nil }
        return try? JSONDecoder().decode(FolderManifest.self, from: data)
    }

    func topManifest() -> OutputManifest? {
        let file = url.appendingPathComponent(Self.manifestName)
        guard FileOutput.entryType(file.path) == .regularFile, let data = try? Data(contentsOf: file) else { return nil }
        return try? JSONDecoder().decode(OutputManifest.self, from: data)
    }

    func writeTopManifest(_ manifest: OutputManifest) throws(WriteError) {
        let data: Data
        do { data = try JSONOutput.encode(manifest) } catch { throw WriteError(path: url.appendingPathComponent(Self.manifestName).path, reason: "\(error)") }
        try FileOutput.write(data, to: url.appendingPathComponent(Self.manifestName))
    }

    // MARK: What may be replaced

    /// Checks, before anything is written, that every analysis folder and top-level file about
    /// to be replaced is linkage's own. Throws one error listing every problem.
    func checkReplaceable(analyses: [String], topFiles: [String], force: Bool) throws(WriteError) {
        var refused: [String] = [], foreign: [String] = []
        let fm = FileManager.default
        for id in analyses {
            let folder = url.appendingPathComponent(id)
            let shown = SourceLocationPath.display(folder.path)
            switch FileOutput.entryType(folder.path) {
            case .missing: continue
            case .directory:
                guard let manifest = folderManifest(id) else {
                    foreign.append("\(shown)/ was not written by linkage (it has no \(Self.manifestName); a folder an older linkage wrote needs --force once)")
                    continue
                }
                let present = Set((try? fm.contentsOfDirectory(atPath: folder.path)) ?? [])
                let known = Set(manifest.files + [Self.manifestName])
                let extra = present.subtracting(known).sorted().map { name in
                    FileOutput.entryType(folder.appendingPathComponent(name).path) == .directory ? name + "/" : name
                }
                let changed = manifest.files.filter { name in
                    let type = FileOutput.entryType(folder.appendingPathComponent(name).path)
                    return type != .missing && type != .regularFile
                }
                if !extra.isEmpty {
                    foreign.append("\(shown)/ holds what linkage did not write: \(Self.list(extra))")
                }
                if !changed.isEmpty {
                    foreign.append("\(shown)/ has \(Self.list(changed)) replaced by something that is not a regular file")
                }
            case let type:
                refused.append("\(shown) is \(type.name); linkage never replaces or follows one")
            }
        }
        let listed = Set(topManifest()?.files ?? [])
        for name in topFiles + [Self.manifestName] {
            let file = url.appendingPathComponent(name)
            let shown = SourceLocationPath.display(file.path)
            switch FileOutput.entryType(file.path) {
            case .missing: continue
            case .regularFile:
                if name != Self.manifestName && !listed.contains(name) { foreign.append("\(shown) was not written by linkage") }
            case let type:
                refused.append("\(shown) is \(type.name); linkage never replaces or follows one")
            }
        }
        if force { foreign = [] }
        guard refused.isEmpty && foreign.isEmpty else {
            var reason = "nothing was written, because:\n" + (refused + foreign).map { "  " + $0 }.joined(separator: "\n")
            if !foreign.isEmpty {
                reason += "\nMove those away or choose another folder; --force replaces them (deleting what they hold)."
            }
            throw WriteError(path: url.path, reason: reason)
        }
    }

    private static func list(_ names: [String]) -> String {
        let shown = names.prefix(6).map { InertText.visibleName($0) }.joined(separator: ", ")
        return names.count > 6 ? shown + " and \(names.count - 6) more" : shown
    }

    // MARK: Writing

    /// Begins building the folder of analysis `id` aside, in `.linkage-work/<id>`, so that files
    /// known early (diagrams, as they are rendered) are written while the rest is being made; nil
    /// when the folder cannot be made (`stage` then tries again and reports why).
    func beginStaging(_ id: String) -> StagedFiles? {
        let staged = work.appendingPathComponent(id)
        do throws(WriteError) {
            try Self.makeEmptyFolder(staged)
        } catch {
            return nil
        }
        return StagedFiles(folder: staged)
    }

    private static func makeEmptyFolder(_ folder: URL) throws(WriteError) {
        do {
            if FileOutput.entryType(folder.path) != .missing { try FileManager.default.removeItem(at: folder) }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: folder.path, reason: FileOutput.reason(error))
        }
    }

    /// Builds an analysis folder aside, in `.linkage-work/<id>`, with its manifest. `begun`: the
    /// files already handed to `beginStaging`'s folder, which are not written again.
    func stage(_ manifest: FolderManifest, files: [String: Data], begun: StagedFiles? = nil) throws(WriteError) -> URL {
        let staged = work.appendingPathComponent(manifest.analysis)
        // (Paths, not URLs: a URL made once the folder exists ends in a slash.)
        if let begun, begun.folder.path == staged.path {
            let (written, failures) = begun.settle()
            try Self.createAll(files.filter { !written.contains($0.key) }, in: staged, alongside: failures)
        } else {
            try Self.makeEmptyFolder(staged)
            try Self.createAll(files, in: staged)
        }
        let data: Data
        do { data = try JSONOutput.encode(manifest) } catch { throw WriteError(path: staged.path, reason: "\(error)") }
        try FileOutput.createNew(staged.appendingPathComponent(Self.manifestName).path, data)
        return staged
    }

    /// Writes every file into the new folder `folder`, on two threads when there is much to
    /// write (a 1,000-element plan's analysis is 2,000 files, 136 MB: writing them was an eighth
    /// of `run sdg-mapping`, on one core: issue 9). The files are split into two runs of names in
    /// order, of about equal size; the error thrown is that of the first file, in name order,
    /// that could not be written, as when they were written one after the other.
    /// `alongside`: files of the folder written before that could not be, by name; the error
    /// thrown is then the first in name order of all.
    static func createAll(_ files: [String: Data], in folder: URL, alongside earlier: [String: WriteError] = [:]) throws(WriteError) {
        let names = files.keys.sorted()
        let total = files.values.reduce(0) { $0 + $1.count }
        var split = names.count
        if names.count > 1, total >= 4 << 20 {
            var bytes = 0
            split = names.firstIndex { bytes += files[$0]!.count; return 2 * bytes >= total }.map { $0 + 1 } ?? names.count
        }
        let runs = [names[..<split], names[split...]].filter { !$0.isEmpty }
        let failures = Mutex<[Int: WriteError]>([:])
        DispatchQueue.concurrentPerform(iterations: runs.count) { run in
            for (offset, name) in zip(runs[run].indices, runs[run]) {
                do throws(WriteError) {
                    try FileOutput.createNew(folder.appendingPathComponent(name).path, files[name]!)
                } catch {
                    failures.withLock { $0[offset] = error }
                    return
                }
            }
        }
        var byName = earlier
        for (offset, error) in failures.withLock({ $0 }) { byName[names[offset]] = error }
        if let first = byName.min(by: { $0.key < $1.key }) { throw first.value }
    }

    /// Puts a staged folder in place of `<folder>/<id>` in one atomic step, then removes the
    /// old one.
    func install(_ staged: URL, as id: String) throws(WriteError) {
        let destination = url.appendingPathComponent(id)
        switch FileOutput.entryType(destination.path) {
        case .missing:
            if linkage_rename_noreplace(staged.path, destination.path) == 0 { return }
            guard Self.cannotExchange(errno), FileOutput.entryType(destination.path) == .missing else {
                throw WriteError(path: destination.path, reason: String(cString: strerror(errno)))
            }
            guard rename(staged.path, destination.path) == 0 else {
                throw WriteError(path: destination.path, reason: String(cString: strerror(errno)))
            }
        case .directory:
            if linkage_exchange(staged.path, destination.path) == 0 {
                // The old folder is now where the new one was built.
                try? FileManager.default.removeItem(at: staged)
                return
            }
            guard Self.cannotExchange(errno) else { throw WriteError(path: destination.path, reason: String(cString: strerror(errno))) }
            // Two renames; a run interrupted between them is repaired by the next one.
            let retired = work.appendingPathComponent("retired")
            try? FileManager.default.createDirectory(at: retired, withIntermediateDirectories: true)
            let old = retired.appendingPathComponent(id)
            guard rename(destination.path, old.path) == 0 else { throw WriteError(path: destination.path, reason: String(cString: strerror(errno))) }
            guard rename(staged.path, destination.path) == 0 else {
                let message = String(cString: strerror(errno))
                _ = rename(old.path, destination.path)
                throw WriteError(path: destination.path, reason: message)
            }
            try? FileManager.default.removeItem(at: old)
        case let type:
            throw WriteError(path: destination.path, reason: "it is \(type.name); linkage never replaces or follows one")
        }
    }

    /// Removes `.linkage-work/` once everything is in place.
    func finish() {
        if FileOutput.entryType(work.path) == .directory { try? FileManager.default.removeItem(at: work) }
    }

    private static func cannotExchange(_ code: Int32) -> Bool {
        code == EINVAL || code == ENOSYS || code == ENOTSUP || code == EOPNOTSUPP
    }
}

/// Files of one analysis folder written into it on a thread of their own as they are handed over
/// (`OutputFolder.beginStaging`): a 1,000-element plan's 2,000 diagrams were written after the
/// last was rendered, 0.6 s on ext4 while one core had nothing to do (issue 9). What could not be
/// written is reported by `OutputFolder.stage`, as if it had written the file itself.
final class StagedFiles: Sendable {
    let folder: URL
    private let queue = DispatchQueue(label: "linkage.staged-files")
    private let handed = Mutex<(names: Set<String>, failures: [String: OutputFolder.WriteError])>(([], [:]))

    init(folder: URL) { self.folder = folder }

    /// Writes `data` as the new file `name` of the folder, soon (any thread).
    func add(_ name: String, _ data: Data) {
        handed.withLock { _ = $0.names.insert(name) }
        let path = folder.appendingPathComponent(name).path
        queue.async { [self] in
            do throws(OutputFolder.WriteError) {
                try FileOutput.createNew(path, data)
            } catch {
                handed.withLock { $0.failures[name] = error }
            }
        }
    }

    /// Waits for every file handed over; their names, and those that could not be written.
    func settle() -> (names: Set<String>, failures: [String: OutputFolder.WriteError]) {
        queue.sync {}
        return handed.withLock { $0 }
    }
}

@inline(__always)
func Glibc_open(_ path: String, _ flags: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.open(path, flags)
    #else
    Darwin.open(path, flags)
    #endif
}

extension InertText {
    /// A file name as a message shows it.
    static func visibleName(_ name: String) -> String { visible(name, escapingLineBreaks: true) }
}
