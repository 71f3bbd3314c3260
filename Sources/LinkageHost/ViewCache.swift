import CNettle
import Foundation
import LinkageKit

/// The views a built-in analysis drew, kept between runs of `linkage render` so that drawing one
/// diagram again costs what Graphviz costs, not a reload and revalidation of every dataset and a
/// rerun of the analysis (issue 9: loading was about half of a render, the analysis a fifth).
///
/// An entry is found by a SHA-256 key over everything a view depends on: every file under the
/// datasets folder (path and bytes), the analysis id and its options, and the program itself
/// (its version and the size, time and inode of its executable, so that no entry is ever trusted
/// by another build). A change to any of them is a different key: the cache is rebuilt
/// transparently, never invalidated by hand. The layout and the rendering are not cached; they
/// run every time, so pages, formats, languages and fonts are always the current ones.
///
/// The cache may only ever save time: anything unusual (a symbolic link or a special file among
/// the datasets, an unreadable or damaged entry, a cache folder that is not a plain folder of
/// ours) means "no entry", and the view is computed as if there were no cache. Entries are
/// written aside and renamed into place (a killed run leaves no half entry), and only entries the
/// cache wrote are ever deleted (the oldest, past `maximumEntries`).
public struct ViewCache: Sendable {
    /// Where entries live: `<cache folder>/views-v1/<key>/`.
    public let directory: URL
    /// The program's identity, part of every key.
    let toolIdentity: String

    /// Entries kept; the oldest beyond it are deleted when one is added.
    static let maximumEntries = 64
    /// Views of one run are not kept when their JSON would take more (a plan of thousands of
    /// elements): the cache stays within `maximumEntries` × this on disk.
    static let maximumEntryBytes = 32 << 20
    /// The datasets folder is hashed only up to this size (bytes) and this many entries; beyond,
    /// no cache (hashing would cost more than it saves).
    static let maximumHashedBytes = 64 << 20
    static let maximumHashedEntries = 10_000

    /// The cache of this user: `$LINKAGE_CACHE_DIR`, else `$XDG_CACHE_HOME/linkage`, else
    /// `~/.cache/linkage`. Nil when none can be made a private folder of ours.
    public static func forUser(version: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> ViewCache? {
        guard let directory = UserCache.folder("views-v1", environment: environment),
              let identity = UserCache.executableIdentity() else { return nil }
        return ViewCache(directory: directory, toolIdentity: "\(version)\u{0}\(identity)")
    }

    // MARK: Keys

    /// The key of an analysis's views over the datasets in `datasets`, or nil when the folder
    /// cannot be hashed safely (a symbolic link, a special file, too much data).
    public func key(datasets: URL, analysisID: String, options: [String]) -> String? {
        var hasher = SHA256()
        hasher.update("linkage view cache 1\u{0}\(toolIdentity)\u{0}\(analysisID)\u{0}")
        for option in options { hasher.update("\(option)\u{0}") }
        var budget = (bytes: Self.maximumHashedBytes, entries: Self.maximumHashedEntries)
        guard Self.hashFolder(datasets.path, relative: "", into: &hasher, budget: &budget) else { return nil }
        return hasher.hexDigest()
    }

    /// Every entry of the folder in byte order of its name, depth first: directories by name,
    /// regular files by name, length and bytes. False for anything else, or past the budget.
    private static func hashFolder(_ path: String, relative: String, into hasher: inout SHA256,
                                   budget: inout (bytes: Int, entries: Int)) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return false }
        for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            budget.entries -= 1
            guard budget.entries >= 0 else { return false }
            let full = path + "/" + name, relativeName = relative + "/" + name
            var status = stat()
            guard lstat(full, &status) == 0 else { return false }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                hasher.update("D\(relativeName)\u{0}")
                guard hashFolder(full, relative: relativeName, into: &hasher, budget: &budget) else { return false }
            case S_IFREG:
                budget.bytes -= Int(status.st_size)
                guard budget.bytes >= 0, let contents = FileManager.default.contents(atPath: full) else { return false }
                hasher.update("F\(relativeName)\u{0}\(contents.count)\u{0}")
                hasher.update(contents)
            default:
                return false
            }
        }
        return true
    }

    // MARK: Entries

    private struct Index: Codable {
        var key: String
        var views: [String]
    }

    /// The ids of the views stored under `key`, in the analysis's order; nil when there is no
    /// usable entry.
    public func viewIDs(key: String) -> [String]? {
        guard let data = read(key, "index.json") else { return nil }
        guard let index = try? JSONDecoder().decode(Index.self, from: data), index.key == key else { return discard(key) }
        return index.views
    }

    /// The view at `position` of the ids `viewIDs(key:)` gave, if it is `id`; nil when there is
    /// no usable entry for it.
    public func view(key: String, position: Int, id: String) -> ViewSpec? {
        guard let data = read(key, "\(position).json"), let view = try? JSONDecoder().decode(ViewSpec.self, from: data),
              view.id == id else { return discard(key) }
        return view
    }

    /// Deletes a damaged entry (so that the next store replaces it); nil, for the caller's miss.
    private func discard<T>(_ key: String) -> T? {
        if Self.isEntryName(key) { try? FileManager.default.removeItem(at: directory.appendingPathComponent(key)) }
        return nil
    }

    /// Stores every view of one run under `key`: written aside, then renamed into place whole.
    /// A failure is silent (the cache only saves time).
    public func store(_ views: [ViewSpec], key: String) {
        let manager = FileManager.default
        let final = directory.appendingPathComponent(key)
        guard !manager.fileExists(atPath: final.path) else { return }
        var template = Array(directory.appendingPathComponent(".new-XXXXXX").path.utf8CString)
        guard let made = mkdtemp(&template) else { return }
        let aside = URL(fileURLWithPath: String(cString: made))
        defer { try? manager.removeItem(at: aside) }  // gone after the rename; left only on failure
        let encoder = JSONEncoder()
        var bytesLeft = Self.maximumEntryBytes
        do {
            for (position, view) in views.enumerated() {
                let data = try encoder.encode(view)
                bytesLeft -= data.count
                guard bytesLeft >= 0 else { return }
                try data.write(to: aside.appendingPathComponent("\(position).json"))
            }
            // The index last: an entry with an index has all its views.
            try encoder.encode(Index(key: key, views: views.map(\.id))).write(to: aside.appendingPathComponent("index.json"))
        } catch {
            return
        }
        guard rename(aside.path, final.path) == 0 else { return }
        pruneOldest()
    }

    private func read(_ key: String, _ name: String) -> Data? {
        guard Self.isEntryName(key) else { return nil }
        return FileManager.default.contents(atPath: directory.appendingPathComponent(key).appendingPathComponent(name).path)
    }

    private static func isEntryName(_ name: String) -> Bool { UserCache.isDigest(name) }

    /// Deletes the oldest entries beyond `maximumEntries`, and folders left aside by a killed run
    /// an hour ago or more; only names the cache itself gives.
    private func pruneOldest() {
        UserCache.prune(directory, kind: S_IFDIR, keeping: Self.maximumEntries, isEntry: Self.isEntryName)
    }
}

/// The user's cache folder and what its entries have in common.
enum UserCache {
    /// `<cache>/<name>`, made if missing, where `<cache>` is `$LINKAGE_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/linkage`, else `~/.cache/linkage`. Nil when it cannot be made a private
    /// folder of ours.
    static func folder(_ name: String, environment: [String: String]) -> URL? {
        let base: URL
        if let explicit = environment["LINKAGE_CACHE_DIR"], !explicit.isEmpty {
            base = URL(fileURLWithPath: explicit)
        } else if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            base = URL(fileURLWithPath: xdg).appendingPathComponent("linkage")
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            base = URL(fileURLWithPath: home).appendingPathComponent(".cache/linkage")
        } else {
            return nil
        }
        let directory = base.appendingPathComponent(name)
        guard (try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])) != nil,
              isOwnFolder(directory.path) else { return nil }
        return directory
    }

    /// Version-independent identity of the running executable: a rebuilt binary is another tool.
    static func executableIdentity() -> String? {
        var status = stat()
        guard stat("/proc/self/exe", &status) == 0 else { return nil }
        return "\(status.st_dev):\(status.st_ino):\(status.st_size):\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
    }

    static func isOwnFolder(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR && status.st_uid == getuid()
    }

    /// Deletes, in a cache's own folder, the oldest entries (of `kind`, named as `isEntry` says)
    /// beyond `keeping`, and what a killed run left aside (`.new-XXXXXX`, of the same kind) an
    /// hour ago or more. Nothing else is touched: not another kind of file, not another name.
    static func prune(_ directory: URL, kind: mode_t, keeping: Int, isEntry: (String) -> Bool) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory.path) else { return }
        var entries: [(name: String, modified: Int)] = []
        let hourAgo = Int(Date().timeIntervalSince1970) - 3600
        for name in names {
            var status = stat()
            guard lstat(directory.appendingPathComponent(name).path, &status) == 0, status.st_mode & S_IFMT == kind else { continue }
            if isEntry(name) {
                entries.append((name, Int(status.st_mtim.tv_sec)))
            } else if name.hasPrefix(".new-"), name.utf8.count == 11, Int(status.st_mtim.tv_sec) < hourAgo {
                try? manager.removeItem(at: directory.appendingPathComponent(name))
            }
        }
        guard entries.count > keeping else { return }
        entries.sort { ($0.modified, $0.name) < ($1.modified, $1.name) }
        for entry in entries.prefix(entries.count - keeping) {
            try? manager.removeItem(at: directory.appendingPathComponent(entry.name))
        }
    }

    /// A name the caches give their entries: 64 lowercase hexadecimal digits (a SHA-256).
    static func isDigest(_ name: some StringProtocol) -> Bool {
        name.utf8.count == 64 && name.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

/// SHA-256 through GNU Nettle.
struct SHA256 {
    private var context = sha256_ctx()

    init() { nettle_sha256_init(&context) }

    mutating func update(_ text: String) { update(Data(text.utf8)) }

    mutating func update(_ data: Data) {
        data.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            nettle_sha256_update(&context, bytes.count, base.assumingMemoryBound(to: UInt8.self))
        }
    }

    mutating func hexDigest() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        nettle_sha256_digest(&context, 32, &digest)
        return digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
