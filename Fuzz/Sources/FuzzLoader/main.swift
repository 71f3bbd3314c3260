import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FuzzDriver
import LinkageKit

/// One input is one dataset. Bytes before the first line `--- data ---`
/// are the dataset's manifest.yaml, the rest its one data file (`data.yaml`); an input without
/// that line is a data file under a fixed manifest. The folder is written and loaded through
/// the real loader (files, path policy, YAML screening, validation), as `linkage validate` does.
/// A crash, a hang (libFuzzer's -timeout) or memory past -rss_limit_mb is a finding; any
/// diagnostic is fine.
func fuzzLoader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
    let separator = Data("\n--- data ---\n".utf8)
    var manifest = FuzzWorkspace.defaultManifest
    var dataFile = bytes
    if let range = bytes.range(of: separator) {
        manifest = bytes[..<range.lowerBound]
        dataFile = bytes[range.upperBound...]
    }
    FuzzWorkspace.write(manifest, to: FuzzWorkspace.dataset.appendingPathComponent("manifest.yaml"))
    FuzzWorkspace.write(dataFile, to: FuzzWorkspace.dataset.appendingPathComponent("data.yaml"))
    let result = DatasetLoader.load(from: FuzzWorkspace.root)
    // Every diagnostic is one positioned line.
    for diagnostic in result.diagnostics where diagnostic.description.contains(where: \.isNewline) {
        fatalError("a diagnostic of more than one line: \(diagnostic)")
    }
    return 0
}

enum FuzzWorkspace {
    /// A private folder under $TMPDIR (mkdtemp), removed when the run ends. The loader reads
    /// real files; writes go to the page cache without fsync (see `write`), so the disk is not
    /// what is measured or fuzzed.
    static let root: URL = {
        var template = Array((NSTemporaryDirectory() + "/linkage-fuzz-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { fatalError("cannot make a temporary folder: \(String(cString: strerror(errno)))") }
        let folder = URL(fileURLWithPath: String(cString: made))
        try? FileManager.default.createDirectory(at: folder.appendingPathComponent("fz"), withIntermediateDirectories: true)
        try? vocabulary.write(to: folder.appendingPathComponent("vocabulary.yaml"), atomically: true, encoding: .utf8)
        atexit { try? FileManager.default.removeItem(at: FuzzWorkspace.root) }
        return folder
    }()
    static var dataset: URL { root.appendingPathComponent("fz") }

    /// Replaces a file's bytes with plain POSIX calls: Foundation's `Data.write(to:)` calls
    /// fsync, which made every execution wait for the disk (14 executions a second). The file is
    /// overwritten and then cut to its new length rather than opened with O_TRUNC: ext4 flushes a
    /// file truncated to zero when it is closed (its `auto_da_alloc` heuristic for programs that
    /// rewrite files in place), which cost a disk write per execution in /tmp.
    static func write(_ data: Data, to url: URL) {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { fatalError("cannot write \(url.path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                guard written > 0 else { fatalError("cannot write \(url.path): \(String(cString: strerror(errno)))") }
                offset += written
            }
        }
        guard ftruncate(descriptor, off_t(data.count)) == 0 else { fatalError("cannot write \(url.path): \(String(cString: strerror(errno)))") }
    }

    static let vocabulary = """
        kinds:
          - {id: thing, label: {zh: 物, en: thing}, role: other, id_pattern: 'T-[0-9]+'}
        relations:
          - {id: part-of, label: {zh: 属于, en: part of}, from: ["*"], to: ["*"]}

        """
    static let defaultManifest = Data("""
        dataset: fz
        title: {zh: 模糊, en: fuzz}
        sources: [{id: doc, file: doc.txt, title: {zh: 文, en: doc}}]
        files: [data.yaml]

        """.utf8)
}

runFuzzer { data, size in fuzzLoader(data, size) }
