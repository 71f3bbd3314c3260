import Foundation
import LinkageKit
@testable import LinkageRendering
import Testing

/// The memo of Graphviz's text measurements (CGraphvizSupport/text_memo.c): a span measured
/// once is answered from it in later renders, and no output changes by one byte.
@Suite("Text measurement memo")
struct TextMemoTests {
    let graphviz = Graphviz.shared

    /// Plain and HTML labels (bold, italic, underlined, subscript spans), two fonts, several
    /// sizes, Chinese and Latin text: every key the memo tells apart (the same text in another
    /// size, font or weight is measured again).
    static let mixed = """
        digraph memo {
          node [shape=box, fontname="Noto Sans CJK SC", fontsize=11];
          a [label="Industry, innovation and infrastructure"];
          b [label="产业、创新和基础设施", fontsize=9];
          c [label=<<b>SDG-9</b> <i>target</i> <u>9.c</u> H<sub>2</sub>O>];
          d [label="Industry, innovation and infrastructure", fontname="DejaVu Serif", fontsize=14];
          e [label="Industry, innovation and infrastructure", fontsize=11.5];
          f [label="SDG-9"];
          a -> b [label="advances SDG"]; c -> d [label="part of"]; d -> e
        }
        """

    /// The workbench's own figures (nop2, every position given), in both languages, and the
    /// mixed graph laid out by dot.
    static func figures() throws -> [(name: String, svg: String, png: String, engine: String)] {
        var figures = [(name: "mixed", svg: mixed, png: mixed, engine: "dot")]
        for language in [Language.en, .zh] {
            let page = try DiagramRenderer(language: language).layout(SampleViews.network).pages[0]
            figures.append((name: "network.\(language)", svg: page.dot(), png: page.dot(dpi: 96), engine: "nop2"))
        }
        return figures
    }

    @Test func theSameFigureRenderedTwiceIsAnsweredFromTheMemo() throws {
        for figure in try Self.figures() {
            _ = try graphviz.renderCountingTextMemo(dot: figure.svg, engine: figure.engine, format: "svg")
            let second = try graphviz.renderCountingTextMemo(dot: figure.svg, engine: figure.engine, format: "svg")
            #expect(second.memoHits > 0, "\(figure.name)")
            // png draws with the PangoLayout the memo does not keep: never answered from it.
            let png = try graphviz.renderCountingTextMemo(dot: figure.png, engine: figure.engine, format: "png")
            #expect(png.memoHits == 0, "\(figure.name)")
        }
    }

    @Test func outputIsByteIdenticalWithAndWithoutTheMemo() throws {
        for figure in try Self.figures() {
            for (format, dot) in [("svg", figure.svg), ("png", figure.png), ("plain", figure.svg), ("json", figure.svg)] {
                let without = try graphviz.renderCountingTextMemo(dot: dot, engine: figure.engine, format: format, textMemo: false)
                #expect(without.memoHits == 0)
                // The first render with the memo may fill it; the second is answered from it.
                let first = try graphviz.renderCountingTextMemo(dot: dot, engine: figure.engine, format: format)
                let second = try graphviz.renderCountingTextMemo(dot: dot, engine: figure.engine, format: format)
                #expect(first.diagram.data == without.diagram.data, "\(figure.name) \(format)")
                #expect(second.diagram.data == without.diagram.data, "\(figure.name) \(format)")
                #expect(second.diagram.warnings == without.diagram.warnings, "\(figure.name) \(format)")
            }
        }
    }
    /// The memo kept between runs (`linkage_text_memo_export` / `_import`): what is saved loads
    /// back whole, and bytes that are not a whole, well-formed store add nothing.
    @Test func aSavedMemoLoadsBackAndDamagedBytesAreRefused() throws {
        _ = try graphviz.render(dot: Self.mixed, engine: "dot", format: "svg")
        // A span longer than a store keeps (64 KiB) stays in the memo and out of the store, which
        // still loads (the suite's other tests leave such spans in the process's memo).
        let long = String(repeating: "long label ", count: 7_000)
        _ = try graphviz.render(dot: "digraph long { a [label=\(DOTText.quoted(long))] }", engine: "dot", format: "svg")
        let saved = try #require(graphviz.savedTextMeasurements())
        #expect(saved.count > 100)
        // Every span of it is in the memo already: it loads, and adds nothing new.
        #expect(graphviz.loadTextMeasurements(saved))
        var damaged: [(String, Data)] = [
            ("empty", Data()), ("header only", saved.prefix(16)), ("cut short", saved.dropLast(3)),
            ("trailing byte", saved + [0]), ("another magic", Data("XXXXXXXX".utf8) + saved.dropFirst(8)),
        ]
        // The first record's flags (7 bits in Graphviz), its font size (NaN) and its text length
        // (past the end): after the 16-byte header, a record is [u64 hash][u32 text length]
        // [u32 name length][u32 flags][f64 font size]...
        var flags = saved
        flags[flags.startIndex + 16 + 16] = 0x80
        damaged.append(("flags", flags))
        var size = saved
        size.replaceSubrange(size.startIndex + 36..<size.startIndex + 44, with: withUnsafeBytes(of: Double.nan.bitPattern) { Data($0) })
        damaged.append(("NaN size", size))
        var length = saved
        length.replaceSubrange(length.startIndex + 24..<length.startIndex + 28, with: withUnsafeBytes(of: UInt32.max) { Data($0) })
        damaged.append(("length", length))
        for (name, data) in damaged {
            #expect(!graphviz.loadTextMeasurements(data), "\(name)")
        }
    }
}
