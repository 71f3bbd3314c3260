import Dispatch
import Foundation
import LinkageKit
import Synchronization

/// The graph the server shows, kept current with the datasets folder.
///
/// The kernel says when something under the folder changed (inotify on Linux, see
/// `FolderEvents`): the watcher waits a few milliseconds for the rest of an editor's save (a
/// write, a rename, an attribute change arrive as several events), then loads and validates the
/// datasets again on a queue of its own, off the request path and off Swift's cooperative
/// threads. A slow poll of the files' stamps (path, inode, size, modification time) stays as a
/// safety net for file systems that send no events (network shares) and for platforms without
/// inotify. A graph without errors replaces the old one in one step (readers hold a snapshot,
/// never a graph that is half replaced); a graph with errors is not served: the last good one
/// stays, and the errors (`path:line:col: error: …`) are shown on every page until the data is
/// fixed.
public final class GraphStore: Sendable {
    /// What a request sees: one graph, its generation, and the current problems of the data.
    public struct Snapshot: Sendable {
        public let graph: LinkageGraph
        public let search: GraphSearch
        /// Counts good graphs served: caches key on it, so nothing drawn from an old graph is
        /// served after a swap.
        public let generation: Int
        /// The errors of the newest load when it failed (the graph is then the last good one).
        public let errors: [String]
        /// Tells one set of errors from another in cache keys (0 when there are none).
        public let errorsKey: Int

        init(graph: LinkageGraph, search: GraphSearch, generation: Int, errors: [String]) {
            self.graph = graph
            self.search = search
            self.generation = generation
            self.errors = errors
            self.errorsKey = errors.isEmpty ? 0 : errors.hashValue
        }
    }

    public let root: URL
    private let state: Mutex<Snapshot>
    private let fingerprint: Mutex<[String: FileStamp]>

    struct FileStamp: Equatable, Sendable {
        var size: Int
        var modified: Date
        /// An editor that saves by renaming a new file over the old one changes the inode even
        /// when size and time (to the file system's resolution) stay the same.
        var inode: Int
    }

    /// Serialises reloads and keeps their work (parsing YAML, validating: tens to hundreds of
    /// milliseconds) off the threads that answer requests.
    private let reloads = DispatchQueue(label: "linkage.serve.reload")

    /// Loads the datasets; throws their errors when there is no good graph to start with.
    public init(root: URL) throws(DataErrors) {
        self.root = root.standardizedFileURL
        let stamps = Self.stamps(of: self.root)
        let result = DatasetLoader.load(from: self.root)
        if result.hasErrors { throw DataErrors(messages: result.errors.map(\.description)) }
        state = Mutex(Snapshot(graph: result.graph, search: GraphSearch(graph: result.graph), generation: 1, errors: []))
        fingerprint = Mutex(stamps)
    }

    public var snapshot: Snapshot { state.withLock { $0 } }

    /// Loads the datasets again when a file under the folder changed (or always, when `force`:
    /// the kernel said something changed, which stamps with a coarse clock can miss); true when
    /// it loaded.
    @discardableResult
    public func reloadIfChanged(force: Bool = false) -> Bool {
        let stamps = Self.stamps(of: root)
        let changed = fingerprint.withLock { old in
            if old == stamps && !force { return false }
            old = stamps
            return true
        }
        guard changed else { return false }
        let result = DatasetLoader.load(from: root)
        state.withLock { current in
            if result.hasErrors {
                current = Snapshot(graph: current.graph, search: current.search, generation: current.generation,
                                   errors: result.errors.map(\.description))
            } else {
                current = Snapshot(graph: result.graph, search: GraphSearch(graph: result.graph),
                                   generation: current.generation + 1, errors: [])
            }
        }
        return true
    }

    /// Watches the folder until the task is cancelled: reloads promptly after the kernel reports
    /// a change, and checks the files' stamps every `interval` besides.
    public func watch(every interval: Duration = .seconds(2), settle: Duration = .milliseconds(30)) async {
        // One pending wake-up is enough: events during a reload fold into one more pass.
        let (wakeups, wake) = AsyncStream<Bool>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let events = FolderEvents(root: root) { wake.yield(true) }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                wake.yield(false)
            }
        }
        await withTaskCancellationHandler {
            for await fromKernel in wakeups {
                if Task.isCancelled { break }
                // An editor's save is several events within a few milliseconds; load once, after them.
                if fromKernel { try? await Task.sleep(for: settle) }
                await reloadOffRequestPath(force: fromKernel)
            }
        } onCancel: {
            wake.finish()
        }
        ticker.cancel()
        events?.stop()
    }

    /// `reloadIfChanged` on the reload queue.
    func reloadOffRequestPath(force: Bool) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            reloads.async {
                self.reloadIfChanged(force: force)
                done.resume()
            }
        }
    }

    /// Every regular file under the folder (hidden ones too: a curator's editor may write
    /// there first, and the loader decides what counts).
    static func stamps(of root: URL) -> [String: FileStamp] {
        var stamps: [String: FileStamp] = [:]
        let fm = FileManager.default
        guard let walker = fm.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return stamps }
        for case let url as URL in walker {
            guard let attributes = try? fm.attributesOfItem(atPath: url.path),
                  attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            stamps[url.path] = FileStamp(size: (attributes[.size] as? NSNumber)?.intValue ?? -1,
                                         modified: attributes[.modificationDate] as? Date ?? .distantPast,
                                         inode: (attributes[.systemFileNumber] as? NSNumber)?.intValue ?? 0)
        }
        return stamps
    }
}

/// The datasets have errors and there is no earlier good graph.
public struct DataErrors: Error, Sendable, CustomStringConvertible {
    public var messages: [String]
    public var description: String { messages.joined(separator: "\n") }
}
