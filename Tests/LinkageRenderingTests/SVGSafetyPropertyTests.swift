import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LinkageKit
@testable import LinkageRendering
import PropertyBased
import Testing

/// Random hostile labels, tooltips and URLs through the real path: a view → DOT → Graphviz SVG
/// → an XML parser. The SVG must parse, hold no script, event attribute or non-http(s) link,
/// and show every tooltip exactly as given (control and bidi characters as `\u{…}`).
@Suite("SVG safety (property)")
struct SVGSafetyPropertyTests {
    static let fragments: [String] = [
        "<script>", "</script>", "alert(1)", "\"", "'", "<", ">", "&", "&amp;", "&lt;", "&#x3C;", " onload=", " onmouseover=\"x\"",
        "javascript:", "data:text/html,", "http://x.example/", "https://", " ", "\n", "\t", "\r", "\u{1B}[31m", "\u{7F}", "\u{9B}",
        "\u{202E}", "\u{2066}", "\\N", "\\G", "\\l", "\\", "]]>", "<!--", "可持续", "（）", "😀", "=1+1", "@x", "{", "}", ";", "]",
    ]
    static let text = Gen.element(of: fragments).map { $0 ?? "" }.array(of: 1...16).map { $0.joined() }
    static let urls: [String] = {
        let prefixes: [String] = ["http://x.example/", "https://x.example/a?b=1&c=2", "javascript:", "data:", " http://", "HTTP://X.EXAMPLE/"]
        var all: [String] = []
        for prefix in prefixes {
            all.append(prefix)
            for fragment in fragments {
                all.append(prefix + fragment)
                all.append(prefix + "a" + fragment + "b")
            }
        }
        return all
    }()
    static let url = Gen.element(of: urls).map { $0 ?? "" }

    static let activeElements: Set<String> = ["script", "foreignObject", "iframe", "object", "embed", "handler", "animate", "set"]

    @Test func hostileTextNeverBecomesActiveContentAndTooltipsRoundTrip() async throws {
        await propertyCheck(count: 120, input: Self.text, Self.text, Self.url) { label, tooltip, url in
            let view = Self.view(label: label, tooltip: tooltip, url: url)
            let svg = try Graphviz.shared.render(dot: DOTBuilder(language: .en).dot(for: view), engine: .dot, format: .svg).data
            let parsed = try #require(SVGContent(svg), "the SVG does not parse")
            #expect(Set(parsed.elements.map(\.name)).isDisjoint(with: Self.activeElements))
            for element in parsed.elements {
                for (name, value) in element.attributes {
                    let local = name.split(separator: ":").last.map(String.init) ?? name
                    #expect(!local.lowercased().hasPrefix("on"), "event attribute \(name)=\(value)")
                    if local == "href" {
                        // Only the well-formed http(s) URLs are linked, and the link is the URL itself.
                        let linked = value == "http://metadata.un.org/sdg/9.c" || (DOTText.link(url) != nil && value == url)
                        #expect(linked, "link \(value.debugDescription) for the URL \(url.debugDescription)")
                    }
                }
            }
            // The node's tooltip is its code and the tooltip text, exactly as shown.
            // (Graphviz writes the second of two spaces as a no-break space, to keep it.)
            let titles = parsed.elements.filter { $0.name == "a" }.compactMap { $0.attributes["xlink:title"] }
                .map { $0.replacingOccurrences(of: "\u{A0}", with: " ") }
            let expected = DOTText.normalized("X-1\n" + tooltip)
            #expect(titles.contains(expected), "tooltip \(expected.debugDescription) not in \(titles.map(\.debugDescription))")
            // The label is drawn as its text (wrapped, so compared without white space).
            let drawn = parsed.elements.filter { $0.name == "text" && $0.inNode }.map(\.text).joined()
            let shown = DOTText.normalized(label).filter { !$0.isWhitespace }
            #expect(!drawn.unicodeScalars.contains { InertText.isDisplayControl($0) }, "raw control drawn: \(drawn.debugDescription)")
            if !drawn.contains("…") && !shown.isEmpty {
                #expect(drawn.filter { !$0.isWhitespace }.contains(shown), "label \(shown.debugDescription) drawn as \(drawn.debugDescription)")
            }
        }
    }

    /// Inputs the property run found: ids that look like entities made the SVG ill-formed.
    @Test(arguments: ["&;", "&x;", "a&#;b", "&#x;", "&amp;"])
    func idsThatLookLikeEntitiesKeepTheSVGWellFormed(_ id: String) throws {
        let svg = try Graphviz.shared.render(dot: DOTBuilder(language: .en).dot(for: Self.view(label: id, tooltip: id, url: id)),
                                             engine: .dot, format: .svg).data
        let parsed = try #require(SVGContent(svg))
        #expect(parsed.elements.contains { $0.name == "title" && $0.text == id })
    }

    /// Found by scripts/fuzz-escaping.sh: a legend colour `<>&"'` reached Graphviz as a colour
    /// list and crashed it while drawing (SIGSEGV in findStopColor). Colours from data are used
    /// only when they are `#RRGGBB`; anything else is drawn in the renderer's own colour.
    @Test(arguments: ["<>&\"'", "red:blue", ":", ";", "red;0.5:blue", "#FD6925:#000000", "+12345", "#+12345", "#12345G", "blue", ""])
    func colourTextFromDataNeverReachesGraphviz(_ colour: String) throws {
        let same = { (text: String) in LocalizedText(zh: text, en: text) }
        let grid = ViewSpec(id: "colours", title: same("Colours"), diagram: .matrix(MatrixView(
            rowHeader: same("Row"), columnHeader: same("Column"),
            rows: [MatrixAxisEntry(label: same("r"), colour: colour)], columns: [MatrixAxisEntry(label: same("c"), colour: colour)],
            cells: [[MatrixCell("1", colour: colour)]], legend: [MatrixLegendEntry(colour: colour, label: same("swatch"))])))
        let network = ViewSpec(id: "colours", title: same("Colours"), diagram: .network(NetworkView(
            nodes: [ViewNode(id: "A-1", kind: "hostile", kindLabel: same("a"), role: .planElement, label: same("a"), colour: colour),
                    ViewNode(id: "B-1", kind: .sdgGoal, kindLabel: same("b"), role: .reference, label: same("b"), colour: colour)],
            edges: [ViewEdge(source: "A-1", target: "B-1", relation: .advancesSDG, relationLabel: same("advances"), declared: true, colour: colour)],
            groups: [ViewGroup(id: "g", label: same("g"), members: ["B-1"], colour: colour)])))
        for view in [grid, network] {
            for options in [FigureOptions(page: .none), FigureOptions(page: .auto), FigureOptions(page: .none, engine: .dot)] {
                let renderer = DiagramRenderer(language: .en, options: options)
                for page in try renderer.layout(view).pages {
                    let svg = try renderer.render(page, format: .svg).data
                    let parsed = try #require(SVGContent(svg), "the SVG does not parse")
                    for element in parsed.elements {
                        for name in ["fill", "stroke"] {
                            guard let value = element.attributes[name] else { continue }
                            #expect(value == "none" || value == "transparent" || value.wholeMatch(of: /#[0-9a-fA-F]{6}/) != nil
                                    || value.wholeMatch(of: /[a-z]+/) != nil || value.hasPrefix("url(#"),
                                    "\(name)=\(value.debugDescription) for the colour \(colour.debugDescription)")
                        }
                    }
                }
            }
        }
        #expect(RGB.fromData(colour) == nil)
        #expect(RGB.fromData("#fd6925") == "#FD6925")
    }

    /// Found by scripts/fuzz-escaping.sh: a grid whose every text (view id included) is 3,000
    /// characters, fitted to a page, makes Graphviz warn that a box is too small for its label,
    /// naming the box and the graph; Graphviz 2.42 formats a message that long from a spent
    /// `va_list` and crashed (SIGSEGV in vsnprintf). Names reach Graphviz at most 200 bytes long.
    @Test func longNamesInGraphvizWarningsDoNotCrashIt() throws {
        let text = String(repeating: "a", count: 3_000)
        let same = LocalizedText(zh: text, en: text)
        let view = ViewSpec(id: text, title: same, subtitle: same, caption: same, diagram: .matrix(MatrixView(
            rowHeader: same, columnHeader: same,
            rows: (0..<2).map { _ in MatrixAxisEntry(label: same, tooltip: text, url: text, group: same) },
            columns: (0..<2).map { _ in MatrixAxisEntry(label: same, tooltip: text, url: text) },
            cells: (0..<2).map { _ in (0..<2).map { _ in MatrixCell(text: same, tooltip: text) } },
            legend: [MatrixLegendEntry(colour: text, label: same)], footnote: same)))
        for language in Language.allCases {
            let renderer = DiagramRenderer(language: language, options: FigureOptions(page: .auto))
            for page in try renderer.layout(view).pages {
                let svg = try renderer.render(page, format: .svg).data
                let parsed = try #require(SVGContent(svg))
                let title = try #require(parsed.elements.first { $0.name == "title" }?.text)
                #expect(title.utf8.count <= 200 && title.hasPrefix("aaaa") && title.contains("…"), "\(title)")
            }
        }
        // Distinct long names stay distinct; short ones are written as they are.
        #expect(DOTText.name(text + "b") != DOTText.name(text + "c"))
        #expect(DOTText.name("SDG-9.c") == DOTText.identifier("SDG-9.c"))
        // Measured as written: 150 control characters are 150 escapes `\\u{14}` (found next).
        for short in [String(repeating: "\u{14}", count: 150), String(repeating: "&", count: 100), "HTTP://X.EXAMPLE:4040/a%" + String(repeating: "\u{14}", count: 60)] {
            #expect(DOTText.name(short).utf8.count <= DOTText.maxNameBytes + 2, "\(DOTText.name(short))")
        }
    }

    static func view(label: String, tooltip: String, url: String) -> ViewSpec {
        let same = { (text: String) in LocalizedText(zh: text, en: text) }
        let node = ViewNode(id: "X-1", kind: "hostile", kindLabel: same(label), role: .planElement, label: same(label), code: "X-1",
                            tooltip: same(tooltip), url: url)
        let other = ViewNode(id: NodeID(label.isEmpty ? "Y" : label), kind: .sdgTarget, kindLabel: same("target"), role: .reference,
                             label: same(tooltip), url: "http://metadata.un.org/sdg/9.c")
        let edge = ViewEdge(source: "X-1", target: other.id, relation: .advancesSDG, relationLabel: same(label), declared: false, tooltip: tooltip)
        return ViewSpec(id: "property", title: same(label), subtitle: same(tooltip),
                        diagram: .network(NetworkView(nodes: [node, other], edges: [edge],
                                                      groups: [ViewGroup(id: label, label: same(label), members: ["X-1"])])))
    }
}

/// The elements of an SVG as an XML parser (libxml2, through Foundation's XMLParser) reads them.
final class SVGContent: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
        var inNode: Bool
    }

    private(set) var elements: [Element] = []
    private var open: [Int] = []
    private var nodeDepth: Int?

    init?(_ data: Data) {
        super.init()
        let parser = XMLParser(data: data)
        parser.delegate = self
        guard parser.parse() else { return nil }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if name == "g" && attributes["class"] == "node" && nodeDepth == nil { nodeDepth = open.count }
        elements.append(Element(name: name, attributes: attributes, inNode: nodeDepth != nil))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
        if let depth = nodeDepth, open.count == depth { nodeDepth = nil }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let last = open.last { elements[last].text += string }
    }
}
