import LinkageKit
@testable import LinkageRendering
import Testing

/// The page composer asks `ColumnLayout` for no figure when an attempt does not fit (only the
/// fallback's is used); the layout then stops as soon as it knows. Pinned: the answer is the
/// same as the full layout's, and a layout that fits is the same figure either way.
@Suite("Column layout: attempts that cannot fit stop early")
struct ColumnLayoutShortcutTests {
    static func text(_ s: String) -> LocalizedText { LocalizedText(zh: s, en: s) }

    /// `count` elements, each advancing one of five goals (the goals grouped two and three).
    static func network(elements count: Int) -> NetworkView {
        var nodes: [ViewNode] = []
        var edges: [ViewEdge] = []
        for g in 1...5 {
            nodes.append(ViewNode(id: NodeID("SDG-\(g)"), kind: .sdgGoal, kindLabel: text("SDG goal"), role: .reference,
                                  label: text("Goal \(g) with a name long enough to wrap over a few lines of a narrow column"),
                                  code: "SDG-\(g)"))
        }
        for e in 1...count {
            let id = NodeID("E-\(e)")
            nodes.append(ViewNode(id: id, kind: "baap-output", kindLabel: text("Output"), role: .planElement,
                                  label: text(String(repeating: "element \(e) does things ", count: 1 + e % 4)), code: "E-\(e)"))
            edges.append(ViewEdge(source: id, target: NodeID("SDG-\(1 + e % 5)"), relation: .advancesSDG,
                                  relationLabel: text("advances SDG"), declared: true))
        }
        return NetworkView(nodes: nodes, edges: edges,
                           groups: [ViewGroup(id: "A", label: text("Goals one and two"), members: ["SDG-1", "SDG-2"]),
                                    ViewGroup(id: "B", label: text(""), members: ["SDG-3", "SDG-4", "SDG-5"])])
    }

    @Test(arguments: [1, 12, 60])
    func sameAnswerAsTheFullLayout(_ elements: Int) {
        let view = Self.network(elements: elements)
        // Measured first: tests running meanwhile that measure more characters at these sizes
        // would otherwise change the widths between the two layouts compared.
        TextMetrics.shared.prepare(ColumnLayout.texts(of: view, language: .en), font: DiagramStyle().fontName,
                                   sizes: Set(NetworkVariant.ladder.map(\.fontSize)))
        for variant in NetworkVariant.ladder {
            let layout = ColumnLayout(view: view, language: .en, style: DiagramStyle(), variant: variant)
            for maxHeight in [40.0, 300, 1_500, 6_000] {
                for maxWidth in [150.0, 800] {
                    for lastRung in [TextRung.ladder.count - 2, TextRung.ladder.count - 1] {
                        for mirror in [false, true] {
                            let full = layout.layout(maxWidth: maxWidth, maxHeight: maxHeight, lastRung: lastRung, mirror: mirror)
                            let short = layout.layout(maxWidth: maxWidth, maxHeight: maxHeight, lastRung: lastRung, mirror: mirror,
                                                      figureIfNotFitting: false)
                            #expect(full.fits == short.fits, "\(elements) elements, \(variant), \(maxWidth)×\(maxHeight), rung \(lastRung)")
                            if full.fits {
                                #expect(FigureDOT.write(full.figure) == FigureDOT.write(short.figure))
                            }
                        }
                    }
                }
            }
        }
    }

    /// A column taller than the page even with no text is wrapped at the last rung only: the
    /// figure is the one wrapping it at every rung gives.
    @Test(arguments: [12, 60, 400])
    func aColumnThatCannotFitIsWrappedOnceWithTheSameResult(_ elements: Int) {
        let view = Self.network(elements: elements)
        TextMetrics.shared.prepare(ColumnLayout.texts(of: view, language: .en), font: DiagramStyle().fontName,
                                   sizes: Set(NetworkVariant.ladder.map(\.fontSize)))
        var hopeless = 0
        for variant in NetworkVariant.ladder {
            let layout = ColumnLayout(view: view, language: .en, style: DiagramStyle(), variant: variant)
            for maxHeight in [40.0, 300, 1_500] {
                for lastRung in [TextRung.ladder.count - 2, TextRung.ladder.count - 1] {
                    let skipping = layout.layout(maxWidth: 800, maxHeight: maxHeight, lastRung: lastRung)
                    let wrappingAll = layout.layout(maxWidth: 800, maxHeight: maxHeight, lastRung: lastRung, skippingHopelessRungs: false)
                    #expect(skipping.fits == wrappingAll.fits)
                    #expect(FigureDOT.write(skipping.figure) == FigureDOT.write(wrappingAll.figure),
                            "\(elements) elements, \(variant), height \(maxHeight), rung \(lastRung)")
                    if !wrappingAll.fits { hopeless += 1 }
                }
            }
        }
        // The cases that matter were reached.
        #expect(hopeless > 0)
    }

    @Test func preparedStatementsAreTheSameAndForgottenWhenTheFigureChanges() throws {
        let laidOut = try DiagramRenderer().layout(SampleViews.network)
        var page = laidOut.pages[0]
        let dot = page.dot()
        let list = try #require(page.graphList())
        page.prepare()
        #expect(page.dot() == dot)
        #expect(page.graphList() == list)
        #expect(page.dot(dpi: 150) == FigureDOT.write(page.figure, dpi: 150))
        #expect(page.graphList(dpi: 150) != list)
        page.figure = page.figure.scaled(0.5)
        #expect(page.dot() == FigureDOT.write(page.figure))
        #expect(page.dot() != dot)
        #expect(page.graphList() == FigureDOT.statements(page.figure).graphList)
        #expect(page.graphList() != list)
    }

    /// What `linkage_build_graph` gets for a token is what Graphviz's lexer makes of it (the
    /// backslash cases as libcgraph 2.43's `agmemread` read them: `"x\\"` is `x\\`, `"a\\\"b"` is
    /// `a\\"b`); tokens it does not model are refused, and the figure is rendered from its text.
    @Test(arguments: [
        ("edgesfirst", "edgesfirst"), ("0.6", "0.6"), ("-12", "-12"), ("\"a \\\"b\\\" \\n c\"", "a \"b\" \\n c"),
        ("\"ab\" + \"cd\"", "abcd"), ("\"\"", ""), ("\"中文 &amp;\"", "中文 &amp;"),
        ("\"x\\\\\"", "x\\\\"), ("\"a\\\\\\\"b\"", "a\\\\\"b"), ("\"a\\qb\"", "a\\qb"),
        ("\"x\\\\\" + \"y\\\\\"", "x\\\\y\\\\"), ("\"\\\\\\\\\"", "\\\\\\\\"),
    ])
    func tokensAreReadAsGraphvizsLexerReadsThem(_ token: String, _ value: String) {
        var out: [UInt8] = []
        #expect(DOTText.appendLexedValue(of: token, to: &out))
        #expect(String(decoding: out, as: UTF8.self) == value)
    }

    @Test(arguments: [
        "\"a\\\nb\"", "\"open", "\"a\" \"b\"", "\"a\"+\"b\"", "node", "Graph", "1a", "a-b", "a b", "\"raw\nnewline\"",
        "\"nul\u{0}\"", "\"" + String(repeating: "x", count: 16_001) + "\"",
    ])
    func tokensItDoesNotModelAreRefused(_ token: String) {
        var out: [UInt8] = []
        #expect(!DOTText.appendLexedValue(of: token, to: &out))
    }
}
