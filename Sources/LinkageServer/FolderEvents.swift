import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Calls `changed` soon after anything under a folder changes: a file written, created,
/// deleted, renamed in or out, or its attributes changed; folders created later are watched too.
///
/// On Linux this is inotify (through Glibc): the kernel reports the change within milliseconds,
/// where a poll would notice it only at its next round. inotify watches one folder per watch,
/// so every folder of the tree gets one (the datasets are a few dozen folders; the default
/// per-user limit is 8192 or more). The descriptor is read by a dispatch source (epoll), so no
/// thread waits on it. `init` returns nil where inotify is not available (other platforms, the
/// limit reached): `GraphStore` then notices changes by its poll alone.
final class FolderEvents: @unchecked Sendable {  // the dispatch source is only resumed and cancelled: both thread-safe
    #if canImport(Glibc)
    private let source: any DispatchSourceRead

    init?(root: URL, changed: @escaping @Sendable () -> Void) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB
                          | IN_DELETE_SELF | IN_MOVE_SELF)
        let queue = DispatchQueue(label: "linkage.serve.folder-events")
        // Watch descriptors to folders: every folder of the tree, and later the new ones.
        let folders = FolderTable(fd: fd, mask: mask)
        guard folders.watchTree(root.path) else {
            close(fd)
            return nil
        }
        source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            var any = false
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                any = true
                var offset = 0
                while offset + MemoryLayout<inotify_event>.size <= count {
                    let (wd, eventMask, length) = buffer.withUnsafeBytes { bytes -> (Int32, UInt32, Int) in
                        let event = bytes.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                        return (event.wd, event.mask, Int(event.len))
                    }
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    if eventMask & UInt32(IN_ISDIR) != 0, eventMask & UInt32(IN_CREATE | IN_MOVED_TO) != 0, length > 0,
                       let parent = folders.path(of: wd) {
                        let nameBytes = buffer[nameStart..<(nameStart + length)].prefix { $0 != 0 }
                        let path = parent + "/" + String(decoding: nameBytes, as: UTF8.self)
                        folders.watchTree(path)
                    }
                    offset = nameStart + length
                }
            }
            if any { changed() }
        }
        source.setCancelHandler { close(fd) }
        source.resume()
    }

    func stop() { source.cancel() }
    #else
    init?(root: URL, changed: @escaping @Sendable () -> Void) { return nil }
    func stop() {}
    #endif
}

#if canImport(Glibc)
/// The folders being watched, by watch descriptor. Used from the events queue only.
private final class FolderTable: @unchecked Sendable {
    private var paths: [Int32: String] = [:]
    private let fd: Int32, mask: UInt32

    init(fd: Int32, mask: UInt32) {
        self.fd = fd
        self.mask = mask
    }

    func path(of wd: Int32) -> String? { paths[wd] }

    /// Watches `folder` and every folder inside it (a folder moved in may already hold some);
    /// false when the folder itself cannot be watched.
    @discardableResult
    func watchTree(_ folder: String) -> Bool { add(folder) }

    private func add(_ folder: String) -> Bool {
        let wd = inotify_add_watch(fd, folder, mask)
        guard wd >= 0 else { return false }
        paths[wd] = folder
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return true }
        for name in names {
            let path = folder + "/" + name
            var isDirectory: ObjCBool = false
            // Links to folders are not followed: a link out of the tree could reach anything.
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
               (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) == nil {
                _ = add(path)
            }
        }
        return true
    }
}
#endif
