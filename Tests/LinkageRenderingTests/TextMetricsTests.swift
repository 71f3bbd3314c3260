import Foundation
import LinkageKit
@testable import LinkageRendering
import Synchronization
import Testing

@Suite("Text metrics")
struct TextMetricsTests {
    /// Graphviz's own width of a one-line label (a plaintext node without margins).
    static func graphvizWidth(_ text: String, size: Double) throws -> Double {
        let dot = "digraph m { node [shape=plaintext, margin=0, width=0, height=0, fontname=\"Noto Sans CJK SC\", fontsize=\(size)]; a [pos=\"0,0\", label=\(DOTText.quoted(text))] }"
        let plain = String(decoding: try Graphviz.shared.render(dot: dot, engine: "nop2", format: "plain").data, as: UTF8.self)
        let line = try #require(plain.split(separator: "\n").first { $0.hasPrefix("node ") })
        return Double(line.split(separator: " ")[4])! * 72
    }

    /// Boxes are sized from these widths: they must never be narrower than what Graphviz draws,
    /// and not much wider.
    @Test(arguments: [7.0, 7.5, 8, 9, 10, 12])
    func widthsCoverWhatGraphvizDraws(_ size: Double) throws {
        let samples = ["KAP-P3 Enabling policy and regulatory environment", "→ SDG 1 · 2 · 3 · 4 · 5 · 6 · 8 · 9 · 10 · 11 · 12 ·",
                       "Industry, innovation and infrastructure", "产业、创新和基础设施", "WAVAWAVA To Ty", "17.3×2 · 17.6×3 · 17.7×2",
                       "《基加利行动计划》（2023-2027年）：与可持续发展目标的联系"]
        TextMetrics.shared.prepare(samples, font: "Noto Sans CJK SC", sizes: [size])
        for sample in samples {
            let ours = TextMetrics.shared.width(sample, font: "Noto Sans CJK SC", size: size)
            let theirs = try Self.graphvizWidth(sample, size: size)
            #expect(ours >= theirs - 1, "\(sample) at \(size) pt: \(ours) < Graphviz's \(theirs)")
            #expect(ours <= theirs * 1.12 + 2, "\(sample) at \(size) pt: \(ours) much wider than Graphviz's \(theirs)")
        }
    }

    /// `prepare` notes what to measure; a size is measured when a layout first asks for it, and
    /// a size no layout asks for is never measured. (Sizes no other test uses: the table is the
    /// process's.)
    @Test func aSizeIsMeasuredWhenFirstAskedFor() {
        let font = "Noto Sans CJK SC"
        TextMetrics.shared.prepare(["Lazy 测量"], font: font, sizes: [13.37, 14.41])
        #expect(!TextMetrics.shared.isMeasured("L", font: font, size: 13.37))
        #expect(!TextMetrics.shared.isMeasured("测", font: font, size: 14.41))
        let width = TextMetrics.shared.width("Lazy 测量", font: font, size: 13.37)
        #expect(TextMetrics.shared.isMeasured("L", font: font, size: 13.37))
        #expect(TextMetrics.shared.isMeasured("测", font: font, size: 13.37))
        #expect(!TextMetrics.shared.isMeasured("L", font: font, size: 14.41))
        // Measured, not estimated: the estimate of a Chinese character is a full em.
        #expect(width < 13.37 * 9 * (1 + TextMetrics.safety))
    }

    /// Layouts on several threads at once, each with characters of its own at one shared size:
    /// whichever thread measures them, each layout sees every one of its characters measured
    /// (a thread asking while another measures waits for it, rather than estimating).
    @Test func layoutsOnSeveralThreadsSeeTheirCharactersMeasured() {
        let font = "Noto Sans CJK SC"
        let size = 11.13
        let texts = (0..<8).map { i in String(String.UnicodeScalarView((0..<30).compactMap { Unicode.Scalar(0x4E00 + i * 40 + $0) })) }
        let missing = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: texts.count) { i in
            TextMetrics.shared.prepare([texts[i]], font: font, sizes: [size])
            _ = TextMetrics.shared.measure(font: font, size: size)
            let unmeasured = texts[i].unicodeScalars.filter { !TextMetrics.shared.isMeasured($0, font: font, size: size) }.count
            missing.withLock { $0 += unmeasured }
        }
        #expect(missing.withLock { $0 } == 0)
    }
    /// Views are laid out on two threads at once (`ViewLayouts`): threads asking for a stored
    /// size at the same moment all get its advances, none the estimates of a size not read yet
    /// (which drew a figure one size smaller in some runs).
    @Test func threadsAskingForAStoredSizeAtOnceAllGetItsAdvances() throws {
        let font = "Stored Race Sans"  // a font no label uses: only the loaded advances exist
        let characters = (0..<4_000).map { Unicode.Scalar(0x4E00 + UInt32($0))! }
        for round in 0..<24 {
            let size = 40 + Double(round) * 0.25  // a size of its own each round
            var record = Data()
            func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value) { record.append(contentsOf: $0) } }
            append(UInt32(font.utf8.count)); record.append(contentsOf: font.utf8); append(size.bitPattern)
            append(UInt32(characters.count))
            for scalar in characters { append(scalar.value); append(3.0.bitPattern); append(3.0.bitPattern) }
            #expect(TextMetrics.shared.loadAdvances(record))
            let widths = Mutex<[Double]>([])
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                let width = TextMetrics.shared.measure(font: font, size: size).width("\u{4E00}\u{4E01}")
                widths.withLock { $0.append(width) }
            }
            #expect(widths.withLock { $0 } == Array(repeating: 6 * (1 + TextMetrics.safety), count: 4), "size \(size)")
        }
    }

    /// The advances kept between runs: what is saved loads back, advances already measured are
    /// kept as they are, and damaged bytes add nothing.
    @Test func savedAdvancesLoadBackAndDamagedBytesAreRefused() throws {
        let font = "Noto Sans CJK SC"
        TextMetrics.shared.prepare(["Stored 存储"], font: font, sizes: [15.25])
        let width = TextMetrics.shared.width("Stored 存储", font: font, size: 15.25)
        let saved = TextMetrics.shared.savedAdvances()
        #expect(TextMetrics.shared.loadAdvances(saved))
        #expect(TextMetrics.shared.width("Stored 存储", font: font, size: 15.25) == width)
        // Other widths for the same characters do not replace the measured ones.
        var doubled = Data()
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value) { doubled.append(contentsOf: $0) } }
        append(UInt32(font.utf8.count)); doubled.append(contentsOf: font.utf8); append(15.25.bitPattern)
        append(UInt32(1)); append(UInt32(("S" as Unicode.Scalar).value)); append(99.0.bitPattern); append(99.0.bitPattern)
        #expect(TextMetrics.shared.loadAdvances(doubled))
        #expect(TextMetrics.shared.width("Stored 存储", font: font, size: 15.25) == width)
        // A character measured nowhere else comes from the loaded bytes (fonts no label uses).
        var other = doubled
        other.replaceSubrange(other.startIndex + 4..<other.startIndex + 4 + font.utf8.count, with: Data("Noto Sans CJK XX".utf8))
        #expect(TextMetrics.shared.loadAdvances(other))
        #expect(TextMetrics.shared.isMeasured("S", font: "Noto Sans CJK XX", size: 15.25))
        for (name, data) in [("cut short", doubled.dropLast(1)), ("count past the end", doubled.prefix(doubled.count - 20)),
                             ("empty name", Data(count: 4)), ("not UTF-8", Data([1, 0, 0, 0, 0xFF]))] {
            #expect(!TextMetrics.shared.loadAdvances(data), "\(name)")
        }
        var infinite = doubled
        infinite.replaceSubrange(infinite.endIndex - 8..<infinite.endIndex, with: withUnsafeBytes(of: Double.infinity.bitPattern) { Data($0) })
        #expect(!TextMetrics.shared.loadAdvances(infinite))
        var notAScalar = doubled
        notAScalar.replaceSubrange(notAScalar.endIndex - 20..<notAScalar.endIndex - 16, with: withUnsafeBytes(of: UInt32(0xD800)) { Data($0) })
        #expect(!TextMetrics.shared.loadAdvances(notAScalar))
    }

    /// Chinese text reads the CJK Unified Ideographs from an array rather than the advances
    /// table: every one must measure as the table gives it (measured, or the full em of one
    /// not measured), and the rest of the text as before.
    @Test func ideographsMeasureAsTheirAdvances() {
        var advances = TextMetrics.Advances()
        advances.alone["测"] = 9.5
        advances.alone["量"] = 10.25
        advances.alone["，"] = 10
        advances.alone["A"] = 6
        let size = 10.0
        let measure = TextMeasure(core: TextMeasure.Core(size: size, advances: advances), cache: nil)
        let widths = measure.scalarWidths(for: "测量，A")
        let safety = 1 + TextMetrics.safety
        for value in stride(from: UInt32(0x4E00), through: 0x9FFF, by: 37) {
            let scalar = Unicode.Scalar(value)!
            #expect(widths(scalar) == (advances.alone[scalar] ?? size) * safety)
        }
        #expect(widths("测") == 9.5 * safety)
        #expect(widths("量") == 10.25 * safety)
        #expect(widths("，") == 10 * safety)
        #expect(widths("A") == 6 * safety)
        #expect(widths("\u{3400}") == size * safety)  // wide, outside the array, not measured
        #expect(widths("é") == size * 0.6 * safety)
    }

    /// The wrapper's punctuation classes, written as switches: the same characters as the sets
    /// they replaced.
    @Test func punctuationClassesAreTheDocumentedSets() {
        let opening: Set<Unicode.Scalar> = ["（", "《", "「", "『", "“", "‘", "【", "〔"]
        let closing: Set<Unicode.Scalar> = ["，", "。", "、", "；", "：", "）", "》", "」", "』", "！", "？", ",", ".", ";", ":", ")"]
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(LabelWrapping.isOpeningWide(scalar) == opening.contains(scalar))
            #expect(LabelWrapping.isClosing(scalar) == closing.contains(scalar))
        }
    }
}
