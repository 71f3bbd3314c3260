import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import FuzzDriver
import LinkageKit
import LinkageRendering

/// One input is one view whose every piece of text comes from the fuzzer: node ids, kinds,
/// labels, codes, tooltips, URIs and colours, edge and group text, a grid's headers, cells and
/// links. The first byte chooses the diagram (network or grid), the language, the page, whether
/// boxes link to node pages (`linkage serve`) and whether Graphviz's `dot` lays the network
/// out; the rest is split at 0xFF bytes (never part of UTF-8) into the texts, each decoded as
/// UTF-8 with invalid bytes replaced.
///
/// The view goes the way `linkage all` and `linkage serve` draw it: laid out by
/// `DiagramRenderer`, written as DOT, rendered to SVG by libgraphviz in process. Each input
/// must give:
/// - DOT that Graphviz parses back (every page);
/// - SVG that an XML parser (libxml2 through Foundation's XMLParser) reads;
/// - no active element (`script`, `foreignObject`, `iframe`, `object`, `embed`, `handler`,
///   `animate`, `set`), no `on…` event attribute, and every `href`/`xlink:href` a well-formed
///   `http`/`https` URL with a host, a path on the same site (`/node/…`) or a fragment;
/// - no control or bidirectional character anywhere in the SVG (outside the XML's own line
///   breaks and tabs between tags).
/// A broken property stops the run (`fatalError`) and libFuzzer saves the input in
/// Fuzz/findings/. A Graphviz error is allowed (it is reported to the user, not drawn);
/// a crash, a hang (-timeout) or memory past -rss_limit_mb is a finding.
func fuzzEscaping(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let flags = bytes.first else { return 0 }
    var texts = bytes.dropFirst().split(separator: 0xFF, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
    // Short inputs reuse their texts in every field.
    if texts.isEmpty { texts = [""] }
    var next = 0
    func text() -> String {
        defer { next += 1 }
        return texts[next % texts.count]
    }

    let language: Language = flags & 1 == 0 ? .en : .zh
    let grid = flags & 2 != 0
    let page: PageSize = flags & 4 == 0 ? .none : .auto
    let pageLinks = flags & 8 != 0 ? "/node/" : nil
    let engine: LayoutEngine? = !grid && flags & 16 != 0 ? .dot : nil
    let view = grid ? FuzzViews.grid(text) : FuzzViews.network(text)
    let renderer = DiagramRenderer(language: language, options: FigureOptions(page: page, engine: engine, nodePageLinks: pageLinks))

    let laidOut: LaidOutView
    do {
        laidOut = try renderer.layout(view)
    } catch {
        return 0
    }
    for page in laidOut.pages {
        let dot = page.dot()
        // To look at a finding: FUZZ_ESCAPING_DOT=1 .build/release/FuzzEscaping findings/crash-…
        if FuzzViews.dumpDOT { FileHandle.standardError.write(Data((dot + "\n").utf8)) }
        do {
            try Graphviz.shared.parse(dot: dot)
        } catch {
            fatalError("the DOT does not parse back: \(error)\n\(dot.prefix(4000))")
        }
        let svg: Data
        do {
            svg = try renderer.render(page, format: .svg).data
        } catch {
            continue
        }
        SVGCheck.check(svg)
    }
    return 0
}

enum FuzzViews {
    static let dumpDOT = ProcessInfo.processInfo.environment["FUZZ_ESCAPING_DOT"] != nil

    static func both(_ text: () -> String) -> LocalizedText { LocalizedText(zh: text(), en: text()) }

    static func network(_ text: () -> String) -> ViewSpec {
        let first = ViewNode(id: NodeID(text()), kind: NodeKind(text()), kindLabel: both(text), role: .planElement,
                             label: both(text), code: text(), tooltip: both(text), url: text(), colour: text(),
                             details: both(text))
        let second = ViewNode(id: NodeID(text()), kind: .sdgTarget, kindLabel: both(text), role: .reference,
                              label: both(text), url: text(), colour: text())
        let third = ViewNode(id: NodeID(text()), kind: .sdgGoal, kindLabel: both(text), role: .mandate, label: both(text),
                             code: text(), emphasised: true)
        let edges = [
            ViewEdge(source: first.id, target: second.id, relation: .advancesSDG, relationLabel: both(text), declared: true,
                     tooltip: text(), label: text(), colour: text()),
            ViewEdge(source: first.id, target: third.id, relation: RelationKind(text()), relationLabel: both(text), declared: false,
                     tooltip: text()),
        ]
        return ViewSpec(id: text(), title: both(text), subtitle: both(text), caption: both(text),
                        diagram: .network(NetworkView(nodes: [first, second, third], edges: edges,
                                                      groups: [ViewGroup(id: text(), label: both(text), members: [second.id, third.id], colour: text())])))
    }

    static func grid(_ text: () -> String) -> ViewSpec {
        let rows = (0..<2).map { _ in MatrixAxisEntry(label: both(text), colour: text(), tooltip: text(), url: text(), group: both(text)) }
        let columns = (0..<2).map { _ in MatrixAxisEntry(label: both(text), colour: text(), tooltip: text(), url: text()) }
        let cells = (0..<2).map { _ in (0..<2).map { _ in MatrixCell(text: both(text), colour: text(), tooltip: text()) } }
        return ViewSpec(id: text(), title: both(text), subtitle: both(text), caption: both(text),
                        diagram: .matrix(MatrixView(rowHeader: both(text), columnHeader: both(text), rows: rows, columns: columns,
                                                    cells: cells, legend: [MatrixLegendEntry(colour: text(), label: both(text))],
                                                    footnote: both(text))))
    }
}

/// The SVG properties; a broken one is a finding.
final class SVGCheck: NSObject, XMLParserDelegate {
    static let activeElements: Set<String> = ["script", "foreignobject", "iframe", "object", "embed", "handler", "animate",
                                              "set", "animatemotion", "animatetransform", "discard"]

    static func check(_ svg: Data) {
        let text = String(decoding: svg, as: UTF8.self)
        // Line breaks and tabs are XML's own; every other control or bidi character is data
        // that escaping should have made visible.
        if let raw = text.unicodeScalars.first(where: { InertText.isDisplayControl($0) }) {
            fatalError("a raw U+\(String(raw.value, radix: 16, uppercase: true)) in the SVG\n\(text.prefix(8000))")
        }
        let checker = SVGCheck()
        let parser = XMLParser(data: svg)
        parser.delegate = checker
        // No DTD, no external entities: the SVG is read as a browser's XML parser would read it.
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else {
            fatalError("the SVG is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")\n\(text.prefix(8000))")
        }
        if let problem = checker.problem { fatalError("\(problem)\n\(text.prefix(8000))") }
    }

    var problem: String?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        let local = name.split(separator: ":").last.map { $0.lowercased() } ?? name.lowercased()
        if Self.activeElements.contains(local) { problem = problem ?? "an active element <\(name)>" }
        for (attribute, value) in attributes {
            let localAttribute = attribute.split(separator: ":").last.map { $0.lowercased() } ?? attribute.lowercased()
            if localAttribute.hasPrefix("on") { problem = problem ?? "an event attribute \(attribute)=\(value.debugDescription) on <\(name)>" }
            if localAttribute == "href", !Self.isSafeLink(value) {
                problem = problem ?? "a link \(value.debugDescription) on <\(name)>"
            }
        }
    }

    /// A well-formed http(s) URL with a host, a path on the same site, or a fragment: read
    /// with Foundation's URL parser, not with the renderer's own check.
    static func isSafeLink(_ value: String) -> Bool {
        if value.hasPrefix("#") { return !value.contains(where: \.isWhitespace) }
        if value.hasPrefix("/") && !value.hasPrefix("//") {
            return !value.unicodeScalars.contains { $0.value <= 0x20 || $0 == "\\" || $0 == "\"" || $0 == "<" || $0 == ">" }
        }
        guard let components = URLComponents(string: value), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else { return false }
        return !value.unicodeScalars.contains { $0.value <= 0x20 || $0 == "\\" || $0 == "\"" || $0 == "<" || $0 == ">" }
    }

    func parser(_ parser: XMLParser, foundProcessingInstructionWithTarget target: String, data: String?) {
        problem = problem ?? "a processing instruction <?\(target) \(data ?? "")?>"
    }
}

runFuzzer { data, size in fuzzEscaping(data, size) }
