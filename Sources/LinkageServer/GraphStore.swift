import Foundation
import LinkageKit
import Synchronization

/// The graph the server shows, kept current with the datasets folder.
///
/// A watcher polls the folder's files (path, size, modification time) every half second; when
/// anything changed, the datasets are loaded and validated again, off the request path. A graph
/// without errors replaces the old one in one step (readers hold a snapshot, never a graph that
/// is half replaced); a graph with errors is not served: the last good one stays, and the errors
/// (`path:line:col: error: …`) are shown on every page until the data is fixed. Polling rather
/// than inotify: it needs no platform code, sees edits made through editors that replace files
/// by renaming, and costs a few hundred `stat` calls a second for the bundled datasets.
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
    }

    public let root: URL
    private let state: Mutex<Snapshot>
    private let fingerprint: Mutex<[String: FileStamp]>

    struct FileStamp: Equatable, Sendable {
        var size: Int
        var modified: Date
    }

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

    /// Loads the datasets again when a file under the folder changed; true when it did.
    @discardableResult
    public func reloadIfChanged() -> Bool {
        let stamps = Self.stamps(of: root)
        let changed = fingerprint.withLock { old in
            if old == stamps { return false }
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

    /// Polls until the task is cancelled.
    public func watch(every interval: Duration = .milliseconds(500)) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            reloadIfChanged()
        }
    }

    /// Every regular file under the folder (hidden ones too: a curator's editor may write
    /// there first, and the loader decides what counts).
    static func stamps(of root: URL) -> [String: FileStamp] {
        var stamps: [String: FileStamp] = [:]
        let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey]
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys) else { return stamps }
        for case let url as URL in walker {
            guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { continue }
            stamps[url.path] = FileStamp(size: values.fileSize ?? -1, modified: values.contentModificationDate ?? .distantPast)
        }
        return stamps
    }
}

/// The datasets have errors and there is no earlier good graph.
public struct DataErrors: Error, Sendable, CustomStringConvertible {
    public var messages: [String]
    public var description: String { messages.joined(separator: "\n") }
}
