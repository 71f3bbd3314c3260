import Foundation
import LinkageTestSupport
import Testing

/// Text measurements kept between runs (`TextMeasurementStore`): a render measures what the
/// store lacks and keeps it; a later render draws the same bytes from the store. These tests run
/// the CLI against a cache folder of their own.
@Suite("Text measurements kept between runs")
struct TextMeasurementStoreTests {
    struct Workspace {
        let root: URL
        var cache: URL { root.appendingPathComponent("cache") }
        var store: URL { cache.appendingPathComponent("text-v1") }
        var home: URL { root.appendingPathComponent("home") }

        init() throws {
            root = try makeTemporaryDirectory("linkage-text-store")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        }

        /// `render` of sdg-mapping's KAP figure as SVG (the format whose text comes from the
        /// store); the bytes.
        func render(_ name: String, _ extra: [String] = []) throws -> Data {
            let output = root.appendingPathComponent(name)
            let result = try runLinkage(["render", "--analysis", "sdg-mapping", "--view", "plan-sdg-kap", "--format", "svg",
                                         "-o", output.path, "--datasets", Repository.root.appendingPathComponent("datasets").path] + extra,
                                        in: root, environment: ["LINKAGE_CACHE_DIR": cache.path, "HOME": home.path])
            #expect(result.status == 0, "\(result.stderr)")
            return try Data(contentsOf: output)
        }

        /// The store's files, by name.
        func files() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: store.path)) ?? []).sorted() }

        /// The one store file whose name ends in `suffix` (".memo", ".advances").
        func storeFile(_ suffix: String) throws -> URL {
            store.appendingPathComponent(try #require(files().first { $0.hasSuffix(suffix) }))
        }
    }

    @Test("a render with the stored measurements draws the bytes of one that measures afresh")
    func storedMeasurementsDrawTheSameBytes() throws {
        let space = try Workspace()
        defer { try? FileManager.default.removeItem(at: space.root) }
        for language in ["en", "zh"] {
            let fresh = try space.render("fresh.\(language).svg", ["--lang", language, "--no-cache"])
            let first = try space.render("first.\(language).svg", ["--lang", language])
            let stored = try space.render("stored.\(language).svg", ["--lang", language])
            #expect(first == fresh, "\(language)")
            #expect(stored == fresh, "\(language)")
        }
        // One key: Graphviz's spans and the per-character advances.
        let names = space.files()
        #expect(names.count == 2, "\(names)")
        #expect(names.contains { $0.hasSuffix(".memo") } && names.contains { $0.hasSuffix(".advances") })
    }

    /// Proof that a render reads the store: advances made three times as wide widen the boxes.
    /// Damaged files are no store: the render draws the right figure, and replaces them.
    @Test("a render reads the store, and a damaged store is measured afresh")
    func renderReadsTheStoreAndDamageIsMeasuredAfresh() throws {
        let space = try Workspace()
        defer { try? FileManager.default.removeItem(at: space.root) }
        let fresh = try space.render("fresh.svg")
        let advances = try space.storeFile(".advances"), memo = try space.storeFile(".memo")
        try Self.tripled(try Data(contentsOf: advances)).write(to: advances)
        #expect(try space.render("wide.svg") != fresh)

        for file in [advances, memo] { try Data("not a store".utf8).write(to: file) }
        #expect(try space.render("repaired.svg") == fresh)
        for file in [advances, memo] { #expect(try Data(contentsOf: file) != Data("not a store".utf8)) }
        #expect(try space.render("again.svg") == fresh)
    }

    /// Another font in the user's font folder is another key (the measurements of one font set
    /// are never used under another); files the store did not write are left alone.
    @Test("fonts added make another key, and foreign files are kept")
    func addedFontsMakeAnotherKey() throws {
        let space = try Workspace()
        defer { try? FileManager.default.removeItem(at: space.root) }
        let fresh = try space.render("fresh.svg")
        let before = space.files()
        let notes = space.store.appendingPathComponent("notes.txt")
        try Data("mine".utf8).write(to: notes)
        let fonts = space.home.appendingPathComponent(".fonts")
        try FileManager.default.createDirectory(at: fonts, withIntermediateDirectories: true)
        try Data("not a font".utf8).write(to: fonts.appendingPathComponent("placeholder.ttf"))
        #expect(try space.render("more-fonts.svg") == fresh)
        let after = space.files().filter { $0 != "notes.txt" }
        #expect(after.count == before.count + 2, "\(after)")
        #expect(Set(before).isSubset(of: Set(after)))
        #expect(try Data(contentsOf: notes) == Data("mine".utf8))
    }

    /// A store file replaced by a symbolic link (to tripled advances, which would show if they
    /// were read) is no store: not read, and the link's target is never deleted or written.
    @Test("a store file that is a symbolic link is neither read nor followed")
    func aLinkedStoreFileIsNotRead() throws {
        let space = try Workspace()
        defer { try? FileManager.default.removeItem(at: space.root) }
        let fresh = try space.render("fresh.svg")
        let advances = try space.storeFile(".advances")
        let outside = space.root.appendingPathComponent("outside.advances")
        let tripled = try Self.tripled(try Data(contentsOf: advances))
        try tripled.write(to: outside)
        try FileManager.default.removeItem(at: advances)
        try FileManager.default.createSymbolicLink(at: advances, withDestinationURL: outside)
        #expect(try space.render("linked.svg") == fresh)
        #expect(try Data(contentsOf: outside) == tripled)
    }

    /// The advances file with every width tripled (its format: TextMetrics.savedAdvances).
    static func tripled(_ data: Data) throws -> Data {
        var bytes = [UInt8](data), offset = 0
        func u32() -> Int {
            defer { offset += 4 }
            return bytes[offset..<offset + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
        }
        func triple() {
            var bits: UInt64 = 0
            for (index, byte) in bytes[offset..<offset + 8].enumerated() { bits |= UInt64(byte) << (8 * UInt64(index)) }
            let value = withUnsafeBytes(of: (Double(bitPattern: bits) * 3).bitPattern) { Array($0) }
            bytes.replaceSubrange(offset..<offset + 8, with: value)
            offset += 8
        }
        while offset < bytes.count {
            offset += u32()  // the font name
            offset += 8  // the size
            for _ in 0..<u32() {
                offset += 4  // the character
                triple()
                triple()
            }
        }
        #expect(offset == bytes.count)
        return Data(bytes)
    }
}
