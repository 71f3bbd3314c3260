import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes single files so that a reader never sees a half-written one, and so that nothing but
/// a regular file is ever replaced: a FIFO, a device, a socket, a directory or a symbolic link
/// at the path is refused, never written into, followed or replaced.
public enum FileOutput {
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
        public var description: String { "cannot write \(SourceLocationPath.display(path)): \(reason)" }
    }

    /// What is at a path, without following a symbolic link.
    public enum EntryType: Equatable, Sendable {
        case missing, regularFile, directory, symbolicLink, fifo, socket, characterDevice, blockDevice, other

        public var name: String {
            switch self {
            case .missing: "nothing"
            case .regularFile: "a regular file"
            case .directory: "a folder"
            case .symbolicLink: "a symbolic link"
            case .fifo: "a FIFO (named pipe)"
            case .socket: "a socket"
            case .characterDevice: "a character device"
            case .blockDevice: "a block device"
            case .other: "a special file"
            }
        }
    }

    public static func entryType(_ path: String) -> EntryType {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regularFile
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        case S_IFIFO: return .fifo
        case S_IFSOCK: return .socket
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        default: return .other
        }
    }

    /// Writes one file atomically (a temporary file in the same folder, then a rename), creating
    /// its folder. Refuses when the path holds anything but a regular file. Leaves the file
    /// untouched when its content is already identical (so timestamps and reviews see no change).
    public static func write(_ data: Data, to url: URL) throws(WriteError) {
        let path = url.path
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: path, reason: reason(error))
        }
        let existing = entryType(path)
        guard existing == .missing || existing == .regularFile else {
            throw WriteError(path: path, reason: "it is \(existing.name); linkage writes only regular files (leave out -o to write to standard output)")
        }
        if existing == .regularFile, let current = try? Data(contentsOf: url), current == data { return }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try createNew(temporary, data)
        // Checked again just before the rename, which would replace whatever is there.
        let now = entryType(path)
        guard now == .missing || now == .regularFile else {
            unlink(temporary)
            throw WriteError(path: path, reason: "it is \(now.name); linkage writes only regular files")
        }
        guard rename(temporary, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporary)
            throw WriteError(path: path, reason: message)
        }
    }

    /// Creates a new regular file (never an existing one, never through a symbolic link) and
    /// writes `data` to it.
    static func createNew(_ path: String, _ data: Data) throws(WriteError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        var failure: Int32 = 0
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc_write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if close(descriptor) != 0 && failure == 0 { failure = errno }
        if failure != 0 {
            unlink(path)
            throw WriteError(path: path, reason: String(cString: strerror(failure)))
        }
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? CocoaError, let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        return error.localizedDescription
    }
}

/// `write(2)`, named apart from the `write` methods in scope.
@inline(__always)
func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}

enum SourceLocationPath {
    static func display(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
