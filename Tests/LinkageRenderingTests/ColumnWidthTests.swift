import LinkageKit
@testable import LinkageRendering
import Testing

/// How `ColumnLayout` shares a page's width between columns and the spaces between them, and
/// where it puts the labels of lines.
@Suite("Column layout: widths and line labels")
struct ColumnWidthTests {
    static func text(_ s: String) -> LocalizedText { LocalizedText(zh: s, en: s) }

    /// Three columns: `count` elements with long names, each linked to every one of three
    /// action lines, which link to two goals; `label` on every line when given.
    static func threeColumns(elements count: Int, label: String? = nil) -> NetworkView {
        var nodes: [ViewNode] = []
        var edges: [ViewEdge] = []
        for e in 1...count {
            nodes.append(ViewNode(id: NodeID("E-\(e)"), kind: "baap-output", kindLabel: text("Output"), role: .planElement,
                                  label: text("Element \(e) with a name long enough to be cut in a narrow column of the page"),
                                  code: "E-\(e)"))
        }
        for l in 1...3 {
            nodes.append(ViewNode(id: NodeID("L-\(l)"), kind: "wsis-action-line", kindLabel: text("Line"), role: .reference,
                                  label: text("Action line \(l)"), code: "L-\(l)"))
        }
        for g in 1...2 {
            nodes.append(ViewNode(id: NodeID("SDG-\(g)"), kind: .sdgGoal, kindLabel: text("SDG goal"), role: .reference,
                                  label: text("Goal \(g)"), code: "SDG-\(g)"))
        }
        for e in 1...count {
            for l in 1...3 {
                edges.append(ViewEdge(source: NodeID("E-\(e)"), target: NodeID("L-\(l)"), relation: .supportsWSIS,
                                      relationLabel: text("supports"), declared: true, label: label))
            }
        }
        for l in 1...3 {
            edges.append(ViewEdge(source: NodeID("L-\(l)"), target: NodeID("SDG-\(1 + l % 2)"), relation: .advancesSDG,
                                  relationLabel: text("advances"), declared: true, label: label))
        }
        return NetworkView(nodes: nodes, edges: edges)
    }

    static func prepare(_ view: NetworkView) {
        // Measured first, as the renderer does (tests measuring other characters meanwhile
        // would otherwise change widths between two layouts compared).
        TextMetrics.shared.prepare(ColumnLayout.texts(of: view, language: .en), font: DiagramStyle().fontName,
                                   sizes: Set(NetworkVariant.ladder.flatMap { [$0.fontSize, max($0.fontSize - 1, PageSize.minimumFontSize)] }))
    }

    /// `view` measured, then laid out at the largest font for the width of an A4 page.
    static func layOutOnA4(_ view: NetworkView, maxHeight: Double) -> (figure: Figure, fits: Bool) {
        prepare(view)
        return ColumnLayout(view: view, language: .en, style: DiagramStyle(), variant: NetworkVariant.ladder[0])
            .layout(maxWidth: 539, maxHeight: maxHeight)
    }

    /// The left and right edges of each column of boxes, left to right.
    static func columnEdges(_ figure: Figure) -> [(left: Double, right: Double)] {
        var columns: [(left: Double, right: Double)] = []
        for box in figure.boxes.sorted(by: { $0.left < $1.left }) {
            if let last = columns.last, box.left < last.right { columns[columns.count - 1].right = max(last.right, box.right) }
            else { columns.append((box.left, box.right)) }
        }
        return columns
    }

    /// Whatever the page, a layout that fits keeps to its width, and no space between columns
    /// is narrower than its least (the spaces once came out wider than the room left for them,
    /// and a layout that fitted was taken for one that did not).
    @Test(arguments: [4, 17, 40])
    func spacesKeepTheirLeastAndTheLayoutItsWidth(_ elements: Int) {
        let view = Self.threeColumns(elements: elements)
        Self.prepare(view)
        var fitted = 0
        for variant in NetworkVariant.ladder {
            let layout = ColumnLayout(view: view, language: .en, style: DiagramStyle(), variant: variant)
            for maxWidth in [300.0, 420, 539, 786] {
                for maxHeight in [300.0, 560, 786] {
                    let (figure, fits) = layout.layout(maxWidth: maxWidth, maxHeight: maxHeight)
                    guard fits else { continue }
                    fitted += 1
                    #expect(figure.width <= maxWidth + 0.5, "\(elements) elements, \(variant), \(maxWidth)×\(maxHeight)")
                    let columns = Self.columnEdges(figure)
                    #expect(columns.count == 3)
                    for (a, b) in zip(columns, columns.dropFirst()) {
                        #expect(b.left - a.right >= variant.columnGap * 0.7 - 0.01, "\(elements) elements, \(variant), \(maxWidth)×\(maxHeight)")
                    }
                }
            }
        }
        #expect(fitted >= 5)
    }

    /// A column cut to one line per box gets width from the spaces between columns: on an A4
    /// page its boxes show their code and most of their name, where they once showed the code
    /// and four letters.
    @Test func aColumnCutShortTakesWidthFromTheSpaces() throws {
        let (figure, fits) = Self.layOutOnA4(Self.threeColumns(elements: 17), maxHeight: 560)
        #expect(fits)
        let elements = figure.boxes.filter { $0.id.hasPrefix("E-") }
        #expect(elements.count == 17)
        for box in elements {
            // One line each ("E-1 Element 1 with a name long enough to be…"), cut.
            #expect(box.lines.count == 1 && box.lines[0].hasSuffix("…"), "\(box.lines)")
            #expect(box.lines[0].count >= 40, "\(box.lines)")
        }
        // The spaces gave no more than they yield: each keeps at least its least plus half of
        // what its lines wanted on top (51 lines cross the first).
        let columns = Self.columnEdges(figure)
        let variant = NetworkVariant.ladder[0]
        #expect(columns[1].left - columns[0].right >= variant.columnGap * 0.7 + min(120, 51 * 1.2) / 2 - 0.01)
    }

    /// Labels on lines that leave one box close together are spread along the lines, none on
    /// another: each label's area overlaps no other's.
    @Test func lineLabelsDoNotLieOnEachOther() throws {
        let view = Self.threeColumns(elements: 6, label: "12")
        Self.prepare(view)
        for variant in NetworkVariant.ladder {
            let layout = ColumnLayout(view: view, language: .en, style: DiagramStyle(), variant: variant)
            let figure = layout.layout(maxWidth: 539, maxHeight: 560).figure
            let labelled = figure.lines.filter { $0.label != nil }
            #expect(labelled.count == 21)
            let areas = try labelled.map { line -> (x: ClosedRange<Double>, y: ClosedRange<Double>) in
                let at = try #require(line.labelAt)
                let width = TextMetrics.shared.measure(font: DiagramStyle().fontName, size: line.labelSize).width("12") + 2
                let height = TextMetrics.lineHeight(line.labelSize)
                // Open on one side: labels that only touch do not overlap.
                return ((at.x - width / 2)...(at.x + width / 2 - 0.001), (at.y - height / 2)...(at.y + height / 2 - 0.001))
            }
            for i in areas.indices {
                for j in areas.indices where j > i {
                    #expect(!(areas[i].x.overlaps(areas[j].x) && areas[i].y.overlaps(areas[j].y)), "\(variant): labels \(i) and \(j)")
                }
            }
        }
    }
}

@Suite("Column layout: codes and words kept whole")
struct ColumnUnbrokenTests {
    static func text(_ s: String) -> LocalizedText { LocalizedText(zh: s, en: s) }

    /// The budget-flow figure's shape: eight themes with long codes and a long word, each
    /// continued by an output; the outputs advance eighteen goals with long names (many lines
    /// cross the second space, and the goals, cut to one line, are widened first).
    static func themes() -> NetworkView {
        var nodes: [ViewNode] = []
        var edges: [ViewEdge] = []
        for t in 1...8 {
            nodes.append(ViewNode(id: NodeID("OP23-TH-P\(t)-DIGSERV"), kind: "op-theme", kindLabel: text("Theme"), role: .planElement,
                                  label: text("Emergency telecommunications\nCHF 127,000"), code: "OP23-TH-P\(t)-DIGSERV"))
        }
        for o in 1...8 {
            nodes.append(ViewNode(id: NodeID("OUT-\(o)"), kind: "baap-output", kindLabel: text("Output"), role: .planElement,
                                  label: text("Telecommunication/ICT infrastructure, including broadband and broadcasting, bridging the gap"),
                                  code: "BAAP-OUT-\(o)"))
            edges.append(ViewEdge(source: NodeID("OP23-TH-P\(o)-DIGSERV"), target: NodeID("OUT-\(o)"), relation: "continues",
                                  relationLabel: text("continues"), declared: false))
        }
        for g in 1...18 {
            nodes.append(ViewNode(id: NodeID("SDG-\(g)"), kind: .sdgGoal, kindLabel: text("SDG goal"), role: .reference,
                                  label: text("Goal \(g) with a name long enough to take two lines of a narrow column"), code: "SDG-\(g)"))
            for o in 1...8 where (o + g) % 2 == 0 {
                edges.append(ViewEdge(source: NodeID("OUT-\(o)"), target: NodeID("SDG-\(g)"), relation: .advancesSDG,
                                      relationLabel: text("advances"), declared: true))
            }
        }
        return NetworkView(nodes: nodes, edges: edges)
    }

    /// A squeezed column is given at least its longest code and its longest word (taken from
    /// columns wider than theirs): "OP23-TH-P1-DIGSERV" and "telecommunications" whole, and
    /// the budget line after them kept, where they were cut ("OP23-TH-P1-DIG…",
    /// "telecommunication", "s…").
    @Test func codesAndWordsAreNotCut() throws {
        let (figure, fits) = ColumnWidthTests.layOutOnA4(Self.themes(), maxHeight: 760)
        #expect(fits)
        let themes = figure.boxes.filter { $0.id.hasPrefix("OP23-") }
        #expect(themes.count == 8)
        for box in themes {
            #expect(box.lines.first == box.id, "\(box.lines)")
            #expect(box.lines.contains("telecommunications"), "\(box.lines)")
            #expect(box.lines.last == "CHF 127,000", "\(box.lines)")
        }
    }

    /// The least width that cuts no word: a word breaks after a slash or hyphen.
    @Test func widestWordIsTheWidestPieceBetweenBreaks() {
        let measure = TextMetrics.shared.measure(font: DiagramStyle().fontName, size: 10)
        let widest = LabelWrapping.prepare("Telecommunication/ICT infrastructure", measure: measure.scalarWidths(for: "x")).widestWord
        #expect(abs(widest - max(measure.width("Telecommunication/"), measure.width("infrastructure"))) < 0.001)
        #expect(LabelWrapping.prepare("", measure: measure.scalarWidths(for: "")).widestWord == 0)
    }
}
