import Foundation
import Synchronization
import LinkageKit

/// How wide text is when Graphviz draws it, so that the workbench's own layouts size every box
/// for its text: nothing is cut and nothing overflows.
///
/// Graphviz measures text with Pango; laying out thousands of labels through it only to learn
/// their widths costs seconds (30,000 labels: 3.4 s). Widths are sums of per-character advances
/// instead: each character is measured once per font and size (twenty of it in a row, so that
/// Graphviz's rounding to whole points is spread over twenty), cached for the life of the
/// process. Measured this way, a line is within 2.5 % of Graphviz's own width for Latin and
/// exactly it for CJK text; `safety` covers the difference (kerning, hinting at small sizes).
///
/// Punctuation shared by both scripts (·, ×, →, quotes) takes the full-width glyph of the CJK
/// font next to Chinese text and a narrow one next to Latin text, so it is measured both ways:
/// alone (as in Chinese text) and between Latin letters.
public final class TextMetrics: Sendable {
    public static let shared = TextMetrics()

    /// Added to every measured width, as a fraction of it.
    public static let safety = 0.03

    private struct FontSize: Hashable {
        var font: String
        var size: Int  // hundredths of a point
    }

    struct Advances: Sendable {
        /// Measured alone: what Chinese text gets.
        var alone: [Unicode.Scalar: Double] = [:]
        /// Measured between Latin letters.
        var latin: [Unicode.Scalar: Double] = [:]
    }

    private let advances = Mutex<[FontSize: Advances]>([:])
    /// What `measure` hands out, rebuilt when new characters are measured at a size.
    private let cores = Mutex<[FontSize: TextMeasure.Core]>([:])
    /// Characters `prepare` asked for at each size and not measured yet. They are measured when
    /// `measure` first asks for that size: a layout tries its largest size first and most
    /// figures fit there, so the smaller sizes of the ladder were measured for nothing (issue 9:
    /// measuring was half of `render` with a warm view cache). Held while measuring, so that a
    /// thread asking for a size another thread is measuring waits for the measurements instead
    /// of laying out with estimates; nothing else waits on it (Graphviz draws one thing at a
    /// time anyway).
    private let pending = Mutex<[FontSize: Pending]>([:])

    /// Characters to measure at one font and size, and the size as `prepare` was given it.
    private struct Pending {
        var size: Double
        var scalars: Set<Unicode.Scalar>
    }

    private init() {}

    private static func hundredths(_ size: Double) -> Int { Int((size * 100).rounded()) }

    /// Notes every character of `texts` not measured yet at each of `sizes`; `measure` measures
    /// them, in one Graphviz call per size, when a layout first asks for that size. A size never
    /// asked for is never measured; what it would measure does not depend on when.
    public func prepare<Texts: Sequence>(_ texts: Texts, font: String, sizes: Set<Double>) where Texts.Element == String {
        var scalars = Set<Unicode.Scalar>([" ", "…", "-", "n"])
        // ASCII, most of every text, is noted in a bit mask rather than hashed character by
        // character (this loop was a sixth of the hashing in `all`; issue 9).
        var ascii = ASCIISet()
        for text in texts {
            for scalar in text.unicodeScalars where scalar.value >= 0x20 {
                if scalar.isASCII { ascii.insert(UInt8(scalar.value)) } else { scalars.insert(scalar) }
            }
        }
        for byte in UInt8(0x20)..<128 where ascii.contains(byte) {
            scalars.insert(Unicode.Scalar(byte))
        }
        let sizes = Array(sizes)
        let keys = sizes.map { FontSize(font: font, size: Self.hundredths($0)) }
        keys.forEach(readStored)
        let known = advances.withLock { table in keys.map { table[$0]?.alone ?? [:] } }
        pending.withLock { pending in
            for ((key, size), measured) in zip(zip(keys, sizes), known) {
                let missing = scalars.filter { measured[$0] == nil }
                guard !missing.isEmpty else { continue }
                pending[key, default: Pending(size: size, scalars: [])].scalars.formUnion(missing)
                pending[key]?.size = size
            }
        }
    }

    /// Measures what `prepare` left for this font and size, if anything. Called with `pending`
    /// held; it stays held until the measurements are in.
    private func measurePending(_ key: FontSize, in pending: inout [FontSize: Pending]) {
        guard let asked = pending.removeValue(forKey: key) else { return }
        let size = asked.size
        let known = advances.withLock { $0[key]?.alone ?? [:] }
        let missing = asked.scalars.filter { known[$0] == nil }.sorted { $0.value < $1.value }
        guard !missing.isEmpty else { return }
        let measured = (try? Graphviz.shared.characterAdvances(missing, font: key.font, size: size)) ?? [:]
        measuredCount.withLock { $0 += UInt64(missing.count) }
        advances.withLock { table in
            var entry = table[key] ?? Advances()
            for scalar in missing {
                let fallback = Self.fallback(scalar, size: size)
                entry.alone[scalar] = measured[scalar]?.alone ?? fallback
                entry.latin[scalar] = measured[scalar]?.latin ?? fallback
            }
            table[key] = entry
            cores.withLock { $0[key] = TextMeasure.Core(size: size, advances: entry) }
        }
    }

    // MARK: Advances kept between runs

    /// Characters measured through Graphviz in this process (a store that measured nothing new
    /// need not be written again).
    private let measuredCount = Mutex<UInt64>(0)
    public var charactersMeasured: UInt64 { measuredCount.withLock { $0 } }

    /// Advances loaded from a store and not asked for yet: per font and size, the size and the
    /// record's bytes (see `savedAdvances`). A size is read into the tables when `prepare` or
    /// `measure` first asks for it, so that drawing one figure does not pay for reading the
    /// advances of every size and script an earlier `all` measured.
    private let stored = Mutex<[FontSize: (size: Double, record: Data)]>([:])

    /// Every advance measured or loaded so far, as bytes `loadAdvances` takes back: per font and
    /// size, [u32 font name length][font name][f64 size][u32 count], then per character
    /// [u32 scalar][f64 alone][f64 latin], in this machine's byte order, in order. Written by
    /// hand for the text memo's reason (text_memo.c): it must load in far less time than
    /// measuring takes, and doubles go through exactly.
    public func savedAdvances() -> Data {
        let table = advances.withLock { $0 }
        let sizes = cores.withLock { $0.mapValues(\.size) }  // as `prepare` was given them
        let unread = stored.withLock { $0 }
        var data = Data()
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value) { data.append(contentsOf: $0) } }
        for key in Set(table.keys).union(unread.keys).sorted(by: { ($0.font, $0.size) < ($1.font, $1.size) }) {
            guard let entry = table[key] else {
                data.append(unread[key]!.record)
                continue
            }
            append(UInt32(key.font.utf8.count))
            data.append(contentsOf: key.font.utf8)
            append((sizes[key] ?? Double(key.size) / 100).bitPattern)
            let scalars = entry.alone.keys.filter { entry.latin[$0] != nil }.sorted { $0.value < $1.value }
            append(UInt32(scalars.count))
            for scalar in scalars {
                append(scalar.value)
                append(entry.alone[scalar]!.bitPattern)
                append(entry.latin[scalar]!.bitPattern)
            }
        }
        return data
    }

    /// Takes advances `savedAdvances` gave (in a process with the same fonts and libraries:
    /// `TextMeasurementStore` keys them so); a size is read when first asked for, and advances of
    /// characters already measured are kept as they are. False, and nothing taken, when the
    /// bytes are damaged.
    @discardableResult
    public func loadAdvances(_ data: Data) -> Bool {
        let bytes = [UInt8](data)
        var records: [FontSize: (size: Double, record: Data)] = [:]
        let valid = bytes.withUnsafeBytes { raw -> Bool in
            var offset = 0
            func read<T: FixedWidthInteger>(_: T.Type) -> T? {
                guard raw.count - offset >= MemoryLayout<T>.size else { return nil }
                defer { offset += MemoryLayout<T>.size }
                return raw.loadUnaligned(fromByteOffset: offset, as: T.self)
            }
            func readWidth() -> Double? {
                guard let bits = read(UInt64.self) else { return nil }
                let value = Double(bitPattern: bits)
                return value.isFinite && value >= 0 && value < 10_000 ? value : nil
            }
            while offset < raw.count {
                let start = offset
                guard let nameLength = read(UInt32.self).map(Int.init), nameLength > 0, nameLength <= 1024,
                      raw.count - offset >= nameLength,
                      let font = String(validating: raw[offset..<offset + nameLength], as: UTF8.self) else { return false }
                offset += nameLength
                guard let size = readWidth(), size > 0, let count = read(UInt32.self).map(Int.init),
                      raw.count - offset >= count * 20 else { return false }
                for _ in 0..<count {
                    guard let value = read(UInt32.self), Unicode.Scalar(value) != nil,
                          readWidth() != nil, readWidth() != nil else { return false }
                }
                records[FontSize(font: font, size: Self.hundredths(size))] = (size, Data(bytes[start..<offset]))
            }
            return true
        }
        guard valid else { return false }
        stored.withLock { $0.merge(records) { old, _ in old } }
        return true
    }

    /// Reads the stored advances of one font and size into the tables, if any are waiting. The
    /// record is read with `stored` held, so that another thread asking for the same size
    /// waits until its advances are in rather than finding the record gone and the tables not
    /// filled yet (it then laid out with estimates: a figure one size smaller, once in some
    /// runs, when two threads laid out views at once).
    private func readStored(_ key: FontSize) {
        stored.withLock { stored in
            guard let (size, record) = stored.removeValue(forKey: key) else { return }
            record.withUnsafeBytes { raw in
                let nameLength = Int(raw.loadUnaligned(as: UInt32.self))
                var offset = 4 + nameLength + 8
                let count = Int(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                offset += 4
                advances.withLock { table in
                    var entry = table[key] ?? Advances()
                    for _ in 0..<count {
                        let scalar = Unicode.Scalar(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))!
                        if entry.alone[scalar] == nil {
                            entry.alone[scalar] = Double(bitPattern: raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt64.self))
                            entry.latin[scalar] = Double(bitPattern: raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt64.self))
                        }
                        offset += 20
                    }
                    table[key] = entry
                    installCore(key, size: size, advances: entry)
                }
            }
        }
    }

    /// Replaces what `measure` hands out at one font and size. Called with `advances` held, so
    /// that cores are replaced in the order the tables were (a core made from an older table
    /// never replaces one made from a newer).
    private func installCore(_ key: FontSize, size: Double, advances: Advances) {
        cores.withLock { $0[key] = TextMeasure.Core(size: $0[key]?.size ?? size, advances: advances) }
    }

    /// Whether `scalar` has been measured at this font and size (for tests: `prepare` alone
    /// measures nothing).
    func isMeasured(_ scalar: Unicode.Scalar, font: String, size: Double) -> Bool {
        readStored(FontSize(font: font, size: Self.hundredths(size)))
        return advances.withLock { $0[FontSize(font: font, size: Self.hundredths(size))]?.alone[scalar] != nil }
    }

    /// Without Graphviz's answer: a full em for wide characters, 0.6 em for others.
    private static func fallback(_ scalar: Unicode.Scalar, size: Double) -> Double {
        LabelWrapping.isWide(scalar) ? size : size * 0.6
    }

    /// Measures text in one font and size (`prepare` first; unmeasured characters get a
    /// generous estimate).
    public func measure(font: String, size: Double, cache: PreparedTextCache? = nil) -> TextMeasure {
        let key = FontSize(font: font, size: Self.hundredths(size))
        readStored(key)
        pending.withLock { measurePending(key, in: &$0) }
        return TextMeasure(core: cores.withLock { $0[key] } ?? TextMeasure.Core(size: size, advances: Advances()), cache: cache)
    }

    /// The width of one line, in points.
    public func width(_ line: String, font: String, size: Double) -> Double { measure(font: font, size: size).width(line) }

    /// The distance between two lines of a label: Graphviz uses about 1.1 × the font size; a
    /// little more keeps boxes from looking crammed.
    public static func lineHeight(_ size: Double) -> Double { (size * 1.15 * 10).rounded(.up) / 10 }
}

/// Prepared (split and measured) texts, so that trying several widths, label lengths and pages
/// measures each text once; and what each was wrapped to, so that the attempts of a layout
/// (label rungs, mirrored or not, two page orientations) and the views that share texts (the
/// views of an analysis drawing the same goals and elements) wrap a text the same way once.
///
/// Splitting, measuring and wrapping are pure functions of the text and the advances of its
/// font and size, so a remembered answer is the one computing again would give, as long as the
/// advances are the same: a text measured at a size is kept with the advances it was measured
/// with (`TextMeasure.Core`, replaced when `TextMetrics.prepare` measures new characters at
/// that size) and measured again with others. Splitting into words does not depend on the
/// size and is done once per text. Used by one thread at a time.
public final class PreparedTextCache: @unchecked Sendable {
    struct WrapKey: Hashable {
        var width: Double
        var maxLines: Int
        var hyphenate: Bool
        var balanced = false
    }

    /// A text measured with one font and size's advances, and what it was wrapped to.
    final class Measured {
        let core: TextMeasure.Core
        let prepared: PreparedText
        var wrapped: [WrapKey: (lines: [String], cut: Bool)] = [:]

        init(core: TextMeasure.Core, prepared: PreparedText) {
            self.core = core
            self.prepared = prepared
        }
    }

    /// A text split into words (the same at every size) and measured at the sizes asked for.
    final class Entry {
        let split: LabelWrapping.SplitText
        /// By size in hundredths of a point; kept only with the advances it was measured with.
        var sizes: [Int: Measured] = [:]

        init(split: LabelWrapping.SplitText) { self.split = split }
    }

    /// A text as its UTF-8 bytes. String's own hashing and equality first bring non-ASCII text
    /// to its canonical form (NFC): a third of the cache's lookups (issue 9), and wrong here,
    /// where two canonically equal texts with different characters measure differently.
    struct TextKey: Hashable {
        let text: String

        func hash(into hasher: inout Hasher) {
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }

        static func == (a: TextKey, b: TextKey) -> Bool {
            var a = a.text, b = b.text
            return a.withUTF8 { x in b.withUTF8 { y in x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0) } }
        }
    }

    private var texts: [TextKey: Entry] = [:]

    public init() {}

    func measured(_ text: String, measure: TextMeasure) -> Measured {
        let entry: Entry
        if let known = texts[TextKey(text: text)] {
            entry = known
        } else {
            entry = Entry(split: LabelWrapping.split(text))
            texts[TextKey(text: text)] = entry
        }
        let core = measure.core
        let key = Int((core.size * 100).rounded())
        if let known = entry.sizes[key], known.core === core { return known }
        let value = Measured(core: core, prepared: LabelWrapping.prepare(entry.split, measure: measure.scalarWidths(for: text)))
        entry.sizes[key] = value
        return value
    }

    /// The lines, and whether text was left out for the "…" (never in a balanced wrap).
    func wrapped(_ text: String, measure: TextMeasure, width: Double, maxLines: Int, hyphenate: Bool,
                 balanced: Bool = false) -> (lines: [String], cut: Bool) {
        let measured = measured(text, measure: measure)
        let key = WrapKey(width: width, maxLines: maxLines, hyphenate: hyphenate, balanced: balanced)
        if let known = measured.wrapped[key] { return known }
        let wrapped = balanced ? (measured.prepared.wrapBalanced(width: width), false)
            : measured.prepared.wrapNotingCut(width: width, maxLines: maxLines, hyphenate: hyphenate)
        measured.wrapped[key] = wrapped
        return wrapped
    }
}

/// Widths of text in one font and size.
public struct TextMeasure: Sendable {
    /// The measured advances of one font and size, with ASCII in arrays (most text, no hashing).
    final class Core: Sendable {
        let size: Double
        let advances: TextMetrics.Advances
        let asciiAlone: [Double]
        let asciiLatin: [Double]
        /// The CJK Unified Ideographs (U+4E00–U+9FFF) as Chinese text measures them, in an
        /// array made on first use: most of a Chinese text, where hashing every character was
        /// most of measuring it (issue 9). Latin text has none of them.
        private let ideographs = Mutex<[Double]?>(nil)
        static let ideographRange: ClosedRange<UInt32> = 0x4E00...0x9FFF

        init(size: Double, advances: TextMetrics.Advances) {
            self.size = size
            self.advances = advances
            func ascii(_ table: [Unicode.Scalar: Double]) -> [Double] {
                (0..<128).map { (table[Unicode.Scalar(UInt8($0))] ?? size * 0.6) * (1 + TextMetrics.safety) }
            }
            asciiAlone = ascii(advances.alone)
            asciiLatin = ascii(advances.latin)
        }

        /// The same widths `scalarWidths` gives the ideographs from `advances.alone` (all of
        /// them wide: the size where none was measured).
        var ideographWidths: [Double] {
            ideographs.withLock { known in
                if let known { return known }
                let range = Self.ideographRange
                var widths = [Double](repeating: size * (1 + TextMetrics.safety), count: Int(range.count))
                for (scalar, width) in advances.alone where range.contains(scalar.value) {
                    widths[Int(scalar.value - range.lowerBound)] = width * (1 + TextMetrics.safety)
                }
                known = widths
                return widths
            }
        }
    }

    let core: Core
    var cache: PreparedTextCache?
    var size: Double { core.size }

    /// The width of each character of `text`: full-width punctuation when the text holds
    /// Chinese, Latin punctuation otherwise.
    public func scalarWidths(for text: String) -> @Sendable (Unicode.Scalar) -> Double {
        let chinese = text.unicodeScalars.contains(where: LabelWrapping.isWide)
        let table = chinese ? core.advances.alone : core.advances.latin
        let fast = chinese ? core.asciiAlone : core.asciiLatin
        let ideographs = chinese ? core.ideographWidths : []
        let first = Core.ideographRange.lowerBound
        let size = core.size
        return { scalar in
            if scalar.value < 128 { return fast[Int(scalar.value)] }
            if chinese, Core.ideographRange.contains(scalar.value) { return ideographs[Int(scalar.value - first)] }
            return (table[scalar] ?? (LabelWrapping.isWide(scalar) ? size : size * 0.6)) * (1 + TextMetrics.safety)
        }
    }

    /// The width of one line, in points.
    public func width(_ line: String) -> Double {
        let measure = scalarWidths(for: line)
        return line.unicodeScalars.reduce(0) { $0 + measure($1) }
    }

    /// The widest of several lines.
    public func width(_ lines: [String]) -> Double { lines.map(width).max() ?? 0 }

    /// `text` split and measured (once per layout when there is a cache).
    public func prepare(_ text: String) -> PreparedText {
        guard let cache else { return LabelWrapping.prepare(text, measure: scalarWidths(for: text)) }
        return cache.measured(text, measure: self).prepared
    }

    /// `text` wrapped to `width` points.
    public func wrap(_ text: String, width: Double, maxLines: Int = .max, hyphenate: Bool = false) -> [String] {
        wrapNotingCut(text, width: width, maxLines: maxLines, hyphenate: hyphenate).lines
    }

    /// `wrap`'s lines, and whether text was left out for the "…".
    func wrapNotingCut(_ text: String, width: Double, maxLines: Int = .max, hyphenate: Bool = false) -> (lines: [String], cut: Bool) {
        guard let cache else { return prepare(text).wrapNotingCut(width: width, maxLines: maxLines, hyphenate: hyphenate) }
        return cache.wrapped(text, measure: self, width: width, maxLines: maxLines, hyphenate: hyphenate)
    }

    /// `text` wrapped to `width` points in lines as even as they can be (`wrapBalanced`).
    public func wrapBalanced(_ text: String, width: Double) -> [String] {
        guard let cache else { return prepare(text).wrapBalanced(width: width) }
        return cache.wrapped(text, measure: self, width: width, maxLines: .max, hyphenate: false, balanced: true).lines
    }
}
