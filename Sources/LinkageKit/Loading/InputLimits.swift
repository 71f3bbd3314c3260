import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a dataset may make the loader do. Datasets come from anyone (a downloaded folder, an
/// imported spreadsheet), so time and memory are bounded by these limits rather than by the
/// data; each one is far above what the bundled datasets need (their figures in brackets), and
/// each one exceeded is a positioned error. Documented in docs/dataset-format.md ("Limits").
public enum InputLimits {
    /// Bytes of one YAML file (largest bundled: 113 KB).
    public static let maxFileBytes = 4 * 1024 * 1024
    /// Nested lists and mappings in one YAML file (bundled: 7). The YAML library composes
    /// recursively, so a deeper file could exhaust the stack.
    public static let maxNestingDepth = 64
    /// Characters of a label in either language (longest bundled: 564). Labels are drawn in
    /// every diagram; a long one makes every layout slow.
    public static let maxLabelCharacters = 1_000
    /// Characters of any other text: descriptions, notes, quotes, attribute values (longest
    /// bundled: a manifest's notes, 8,476).
    public static let maxTextCharacters = 20_000
    /// Characters of an id (longest bundled: 30).
    public static let maxIDCharacters = 100
    /// Characters of an `id_pattern` (longest bundled: 111).
    public static let maxPatternCharacters = 1_000
    /// Backtracking steps one id may take to match its kind's `id_pattern` (PCRE2's match
    /// limit; the bundled patterns need fewer than 100 per id).
    public static let patternMatchLimit: UInt32 = 100_000
}

/// The one path policy for reading datasets: the datasets folder is a boundary. A file a
/// manifest lists is opened only when its name stays inside the dataset's folder (no absolute
/// path, no `..`, no symbolic link that leads outside), it is a regular file (not a FIFO, which
/// would block, a device or a folder) and it is within the size limit.
enum InputFiles {
    enum Refusal: Error, CustomStringConvertible {
        case absolute(String)
        case parentReference(String)
        case outside(String, resolved: String)
        case missing(String)
        case loop(String)
        case notRegular(String, what: String)
        case tooLarge(String, bytes: Int)
        case unreadable(String, reason: String)

        var description: String {
            switch self {
            case .absolute(let name):
                "'\(name)' is an absolute path; files are named relative to the dataset folder"
            case .parentReference(let name):
                "'\(name)' leaves the dataset folder ('..'); files must be inside it"
            case .outside(let name, let resolved):
                "'\(name)' is a symbolic link to \(SourceLocation.displayPath(resolved)), outside the dataset folder; files must be inside it"
            case .missing(let path):
                "cannot read '\(SourceLocation.displayPath(path))': no such file"
            case .loop(let path):
                "cannot read '\(SourceLocation.displayPath(path))': too many levels of symbolic links (a loop)"
            case .notRegular(let path, let what):
                "cannot read '\(SourceLocation.displayPath(path))': it is \(what), not a regular file"
            case .tooLarge(let path, let bytes):
                "'\(SourceLocation.displayPath(path))' is \(bytes) bytes; the limit for a YAML file is \(InputLimits.maxFileBytes) bytes"
            case .unreadable(let path, let reason):
                "cannot read '\(SourceLocation.displayPath(path))': \(reason)"
            }
        }
    }

    /// The full path of `name` inside `folder`, or why it may not be read.
    static func resolve(_ name: String, inside folder: String) -> Result<String, Refusal> {
        if name.hasPrefix("/") { return .failure(.absolute(name)) }
        if name.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
            return .failure(.parentReference(name))
        }
        let path = folder + "/" + name
        guard let base = realPath(folder) else { return .success(path) }  // reading reports the missing folder
        // A dangling link has no real path: judge it by where it points, read lexically.
        guard let resolved = realPath(path) ?? linkTarget(path) else { return .success(path) }
        if resolved != base, !resolved.hasPrefix(base == "/" ? "/" : base + "/") {
            return .failure(.outside(name, resolved: resolved))
        }
        return .success(path)
    }

    /// The bytes of a regular file within the size limit, checked before it is opened.
    static func read(_ path: String) -> Result<Data, Refusal> {
        var info = stat()
        if stat(path, &info) != 0 {
            let code = errno
            switch code {
            case ENOENT, ENOTDIR: return .failure(.missing(path))
            case ELOOP: return .failure(.loop(path))
            default: return .failure(.unreadable(path, reason: String(cString: strerror(code))))
            }
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .failure(.notRegular(path, what: "a folder"))
        case S_IFIFO: return .failure(.notRegular(path, what: "a FIFO"))
        case S_IFSOCK: return .failure(.notRegular(path, what: "a socket"))
        case S_IFCHR, S_IFBLK: return .failure(.notRegular(path, what: "a device"))
        default: return .failure(.notRegular(path, what: "a special file"))
        }
        if Int(info.st_size) > InputLimits.maxFileBytes { return .failure(.tooLarge(path, bytes: Int(info.st_size))) }
        // O_NONBLOCK: should the file have been replaced by a FIFO since stat, open does not wait.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(.unreadable(path, reason: String(cString: strerror(errno)))) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            // One byte more than the limit tells a file that grew since stat.
            let data = try handle.read(upToCount: InputLimits.maxFileBytes + 1) ?? Data()
            if data.count > InputLimits.maxFileBytes { return .failure(.tooLarge(path, bytes: data.count)) }
            return .success(data)
        } catch {
            return .failure(.unreadable(path, reason: "\(error)"))
        }
    }

    /// Where a symbolic link points, as an absolute path without `.` or `..` (not followed further).
    static func linkTarget(_ path: String) -> String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { return nil }
        let directory = realPath((path as NSString).deletingLastPathComponent) ?? (path as NSString).deletingLastPathComponent
        let absolute = target.hasPrefix("/") ? target : directory + "/" + target
        return URL(fileURLWithPath: absolute).standardizedFileURL.path
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// UTF-8 text, or the line and column of the first byte that is not UTF-8.
    struct InvalidByte: Error { var line: Int, column: Int }

    static func decode(_ data: Data) -> Result<String, InvalidByte> {
        if let text = String(validating: data, as: UTF8.self) { return .success(text) }
        let bytes = [UInt8](data)
        var line = 1, lineStart = 0, index = 0
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        loop: while true {
            let before = offset
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
                if scalar == "\n" { line += 1; lineStart = offset }
            case .emptyInput:
                break loop
            case .error:
                index = before
                break loop
            }
        }
        let column = String(decoding: bytes[lineStart..<index], as: UTF8.self).unicodeScalars.count + 1
        return .failure(InvalidByte(line: line, column: column))
    }

    /// Line and column of a byte offset into `text`.
    static func position(ofByte offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1, seen = 0
        for scalar in text.unicodeScalars {
            if seen >= offset { break }
            seen += UTF8.width(scalar)
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}
