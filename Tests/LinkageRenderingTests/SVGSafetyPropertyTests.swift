import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LinkageKit
import LinkageRendering
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
