import Foundation
import LinkageRendering

/// Graphviz's text measurements, kept between runs in the user's cache folder
/// (`<cache>/text-v1/<key>.memo`), so that drawing again does not measure the same labels again.
///
/// Every label Graphviz lays out is measured by Pango, and starting Pango starts fontconfig,
/// which reads its whole configuration (issue 9: in a `render` with a warm view cache, fontconfig
/// took some 13 ms and Pango's measuring most of the rest of the text work, against `neato`'s
/// 27 ms for the whole figure). A span measured once is the same span the next time as long as
/// the fonts and the libraries are the same, so the memo of measurements (CGraphvizSupport's
/// text memo) is written at the end of a run and loaded at the start of the next.
///
/// The key says what a measurement depends on, and an entry is used only under the same key:
/// - this program (its version and the identity of its executable, as for the view cache);
/// - the libraries that measure (Graphviz, its Pango plugin, Pango, HarfBuzz, FreeType,
///   fontconfig, cairo, GLib...): the files in libgvc's folder and Graphviz's plugin folder, by
///   path, size, time and inode;
/// - fontconfig's configuration files and the font folders its default configuration reads
///   (every file and folder under them, by path, size, time and inode), and the environment
///   variables that choose them or the language Pango shapes for.
/// A font added, removed or replaced in those folders, a changed configuration or an upgraded
/// library is a different key: measured afresh, never invalidated by hand. A font folder that
/// only a custom configuration outside those names is not watched (delete the cache folder after
/// changing the fonts there).
///
/// Like the view cache, the store may only ever save time: an unreadable, damaged or foreign file
/// is no store (nothing is loaded from it), writes go aside and are renamed into place, and only
/// files of the store's own naming in its own folder are ever deleted.
public struct TextMeasurementStore: Sendable {
    /// `<cache folder>/text-v1/`.
    public let directory: URL
    /// The SHA-256 of everything measurements depend on (see the type's documentation).
    public let key: String

    /// Files kept (two per font environment and build); the oldest beyond are deleted.
    static let maximumStores = 16
    /// Files and folders looked at for the key; beyond, no store (a font tree this large would
    /// cost more to look at than measuring).
    static let maximumWatched = 20_000

    /// The store of this user for the fonts and libraries of this process; nil when there is no
    /// cache folder, or the font folders cannot be looked at within bounds. Starts Graphviz,
    /// which drawing does anyway.
    public static func forUser(version: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> TextMeasurementStore?
    {
        guard let directory = UserCache.folder("text-v1", environment: environment),
              let identity = UserCache.executableIdentity() else { return nil }
        Graphviz.shared.start()  // loads libgvc's plugin configuration
        var hasher = SHA256()
        hasher.update("linkage text measurements 1\u{0}\(version)\u{0}\(identity)\u{0}")
        for library in measuringLibraries() { hasher.update("L\(library)\u{0}") }
        for name in environmentNames { hasher.update("E\(name)=\(environment[name] ?? "-")\u{0}") }
        var budget = maximumWatched
        for path in watchedPaths(environment) {
            guard describe(path, into: &hasher, budget: &budget) else { return nil }
        }
        return TextMeasurementStore(directory: directory, key: hasher.hexDigest())
    }

    /// Graphviz's memo of spans, and the workbench's own per-character advances.
    private var memoFile: URL { directory.appendingPathComponent("\(key).memo") }
    private var advancesFile: URL { directory.appendingPathComponent("\(key).advances") }

    /// What had been measured in this process when the store was loaded.
    public struct Counts: Sendable {
        var spans: UInt64
        var characters: UInt64
    }

    /// Loads the measurements stored under this key into Graphviz's memo and `TextMetrics`; what
    /// had been measured then (for `save(measuredBefore:)`). A damaged file is deleted.
    @discardableResult
    public func load() -> Counts {
        if let data = Self.contents(of: memoFile), !Graphviz.shared.loadTextMeasurements(data) { unlink(memoFile.path) }
        if let data = Self.contents(of: advancesFile), !TextMetrics.shared.loadAdvances(data) { unlink(advancesFile.path) }
        return Counts(spans: Graphviz.shared.textSpansMeasured, characters: TextMetrics.shared.charactersMeasured)
    }

    /// The bytes of a store file: a regular file of this user's, not a link (anything else in
    /// its place is no store, and is neither read nor deleted).
    private static func contents(of file: URL) -> Data? {
        var status = stat()
        guard lstat(file.path, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_uid == getuid() else { return nil }
        return FileManager.default.contents(atPath: file.path)
    }

    /// Writes what was measured since `load()` returned `measuredBefore` (only the files that
    /// would change); silent on failure (the store only saves time).
    public func save(measuredBefore: Counts) {
        if Graphviz.shared.textSpansMeasured > measuredBefore.spans, let saved = Graphviz.shared.savedTextMeasurements() {
            write(saved, to: memoFile)
        }
        if TextMetrics.shared.charactersMeasured > measuredBefore.characters {
            write(TextMetrics.shared.savedAdvances(), to: advancesFile)
        }
        pruneOldest()
    }

    /// Writes a file aside and renames it into place whole.
    private func write(_ data: Data, to file: URL) {
        var template = Array(directory.appendingPathComponent(".new-XXXXXX").path.utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { return }
        let aside = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let written = data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let count = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if count <= 0 { return false }
                offset += count
            }
            return true
        }
        close(descriptor)
        if !written || rename(aside, file.path) != 0 { unlink(aside) }
    }

    // MARK: The key

    /// The libraries a measurement passes through, by the start of their file names.
    static let measuringLibraryNames = ["libgvc.", "libcgraph.", "libcdt.", "libgvplugin_pango.", "libpango", "libharfbuzz.",
                                        "libfreetype.", "libfontconfig.", "libcairo.", "libfribidi.", "libthai.", "libdatrie.",
                                        "libgraphite2.", "libglib-", "libgobject-", "libexpat."]

    /// Environment variables that choose fontconfig's configuration, the folders it reads, the
    /// language Pango shapes text for, or the libraries and plugins loaded.
    static let environmentNames = ["FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT", "HOME", "XDG_CONFIG_HOME",
                                   "XDG_DATA_HOME", "XDG_DATA_DIRS", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "PANGO_LANGUAGE",
                                   "LD_LIBRARY_PATH", "LD_PRELOAD", "GVBINDIR"]

    /// Path, size, time and inode of each measuring library file, in path order: those in the
    /// folder libgvc was loaded from and in Graphviz's plugin folder beside it. (Files, not the
    /// loaded libraries: Pango's are loaded only when a span needs measuring, after the key.)
    static func measuringLibraries() -> [String] {
        guard let libgvc = Graphviz.loadedObjects().first(where: { $0.split(separator: "/").last?.hasPrefix("libgvc.") == true }) else {
            return []
        }
        let folder = String(libgvc[..<(libgvc.lastIndex(of: "/") ?? libgvc.startIndex)])
        var paths: [String] = []
        for directory in [folder, folder + "/graphviz"] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            where measuringLibraryNames.contains(where: { name.hasPrefix($0) }) {
                paths.append(directory + "/" + name)
            }
        }
        return paths.sorted().map { path in
            var status = stat()
            guard stat(path, &status) == 0 else { return "\(path) -" }
            return "\(path) \(status.st_dev):\(status.st_ino):\(status.st_size):\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
        }
    }

    /// fontconfig's configuration and the font folders of its default configuration
    /// (fonts.conf: /usr/share/fonts, /usr/local/share/fonts, $XDG_DATA_HOME/fonts, ~/.fonts).
    static func watchedPaths(_ environment: [String: String]) -> [String] {
        let home = environment["HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home.map { "\($0)/.config" }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home.map { "\($0)/.local/share" }
        var paths = [environment["FONTCONFIG_FILE"] ?? "/etc/fonts/fonts.conf"]
        paths += (environment["FONTCONFIG_PATH"] ?? "/etc/fonts").split(separator: ":").map(String.init)
        paths += ["/usr/share/fonts", "/usr/local/share/fonts"]
        if let configHome { paths += ["\(configHome)/fontconfig"] }
        if let dataHome { paths += ["\(dataHome)/fonts"] }
        if let home { paths += ["\(home)/.fonts", "\(home)/.fonts.conf", "\(home)/.fonts.conf.d"] }
        return paths
    }

    /// Adds a path and, for a folder, everything under it (names in byte order) to the key:
    /// kind, size, time and inode, following symbolic links (fontconfig's conf.d holds links).
    /// False past the budget.
    static func describe(_ path: String, into hasher: inout SHA256, budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        var status = stat()
        guard stat(path, &status) == 0 else {
            hasher.update("-\(path)\u{0}")
            return true
        }
        let kind = status.st_mode & S_IFMT
        hasher.update("\(kind == S_IFDIR ? "D" : "F")\(path) \(status.st_ino):\(status.st_size):\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)\u{0}")
        guard kind == S_IFDIR, let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return true }
        for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            guard describe(path + "/" + name, into: &hasher, budget: &budget) else { return false }
        }
        return true
    }

    // MARK: Pruning

    /// Deletes the oldest store files beyond `maximumStores`, and files left aside by a killed
    /// run an hour ago or more; only names the store itself gives.
    private func pruneOldest() {
        UserCache.prune(directory, kind: S_IFREG, keeping: Self.maximumStores) { name in
            guard let dot = name.firstIndex(of: ".") else { return false }
            return [".memo", ".advances"].contains(name[dot...]) && UserCache.isDigest(name[..<dot])
        }
    }
}
