import Foundation

/// Writes outputs so that a reader never sees a half-written file: every file is written to a
/// temporary file in the same folder and renamed into place, and a folder of outputs is built
/// aside and swapped in whole.
public enum FileOutput {
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(SourceLocationPath.display(path)): \(reason)" }
    }

    /// Writes one file atomically, creating its folder. Leaves the file untouched when its
    /// content is already identical (so timestamps and reviews see no change).
    public static func write(_ data: Data, to url: URL) throws(WriteError) {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if let existing = try? Data(contentsOf: url), existing == data { return }
            try data.write(to: url, options: .atomic)
        } catch {
            throw WriteError(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Replaces the folder `destination` by a folder holding exactly `files` (relative path →
    /// bytes). The new folder is written next to it first; the old one is removed only after the
    /// new one is in place, so an interruption leaves either the old or the new outputs.
    public static func replaceDirectory(_ destination: URL, with files: [String: Data]) throws(WriteError) {
        let fm = FileManager.default
        let parent = destination.deletingLastPathComponent()
        let token = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        let staging = parent.appendingPathComponent(".\(destination.lastPathComponent).staging-\(token)")
        let retired = parent.appendingPathComponent(".\(destination.lastPathComponent).old-\(token)")
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            for path in files.keys.sorted() {
                let url = staging.appendingPathComponent(path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try files[path]!.write(to: url, options: .atomic)
            }
            if fm.fileExists(atPath: destination.path) {
                try fm.moveItem(at: destination, to: retired)
            }
            try fm.moveItem(at: staging, to: destination)
            try? fm.removeItem(at: retired)
        } catch {
            try? fm.removeItem(at: staging)
            if !fm.fileExists(atPath: destination.path), fm.fileExists(atPath: retired.path) {
                try? fm.moveItem(at: retired, to: destination)
            }
            throw WriteError(path: destination.path, reason: error.localizedDescription)
        }
    }
}

enum SourceLocationPath {
    static func display(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
