import LinkageKit
import CGraphviz
import CGraphvizSupport
import Foundation
import Synchronization

/// Graphviz layout engines.
public enum LayoutEngine: String, CaseIterable, Sendable {
    case dot, neato, fdp, sfdp, circo, twopi
    /// Every position is given in the DOT, in points (what `neato -n2` does): no solver runs.
    /// The workbench's own layouts (document-order columns, grids, pages) are drawn with it.
    case nop2
}

/// Output formats. `dot` is the DOT source the workbench generates (the form other tools
/// import); the others are rendered by Graphviz.
public enum OutputFormat: String, CaseIterable, Sendable {
    case svg, png, pdf, dot

    public var fileExtension: String { rawValue }
}

/// A Graphviz failure, with Graphviz's own messages.
public struct GraphvizError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Stage: String, Sendable { case parse, layout, render }
    public var stage: Stage
    public var messages: [String]

    public var description: String {
        let text = messages.isEmpty ? "no message from Graphviz" : messages.joined(separator: "; ")
        return "Graphviz \(stage.rawValue) failed: \(text)"
    }
}

/// A successful render: the bytes and any warnings Graphviz printed.
public struct RenderedDiagram: Sendable {
    public var data: Data
    public var warnings: [String]
}

/// libgraphviz, in process (DOT is parsed by `linkage_read_dot`, which numbers objects in
/// creation order so that layouts do not depend on heap addresses; the workbench's own figures
/// skip the parse: `linkage_build_graph` builds the same graph from their statements).
///
/// Graphviz keeps global state and is not thread-safe (separate contexts crash too), so every
/// call goes through one lock and one context that lives as long as the process. Its error
/// state is sticky (`agerrors()` stays set until `agreseterrors()`), so each render resets it
/// first, captures messages through `agseterrf`, and checks `agerrors()` after rendering as
/// well: a broken HTML label is reported while rendering returns success. Memory is freed in
/// the order Graphviz requires: render data, layout, graph. Text is measured through a memo
/// shared by all renders (`linkage_graphviz_context`, CGraphvizSupport): a label measured in
/// one figure is not measured again by Pango in the next, for the formats that allow it.
public final class Graphviz: Sendable {
    public static let shared = Graphviz()

    private struct State: ~Copyable {
        var context: OpaquePointer?
    }

    private let state = Mutex(State())

    private init() {}

    /// Renders DOT source with a layout engine into a format (Graphviz's names: "dot", "svg"...).
    /// Strings rather than enums, so that whatever a user asks for reaches Graphviz and its own
    /// message comes back.
    public func render(dot source: String, engine: String = "dot", format: String = "svg") throws(GraphvizError)
        -> RenderedDiagram
    {
        try renderCountingTextMemo(dot: source, engine: engine, format: format).diagram
    }

    /// Renders like `render(dot:engine:format:)`, with the memo of text measurements allowed or
    /// not, and says how many spans of this render the memo answered (for tests).
    func renderCountingTextMemo(dot source: String, engine: String, format: String, textMemo: Bool = true)
        throws(GraphvizError) -> (diagram: RenderedDiagram, memoHits: UInt64)
    {
        try renderCountingTextMemo(.dot(source), engine: engine, format: format, textMemo: textMemo)
    }

    /// What a render draws: DOT text, or a figure's statements as `linkage_build_graph` takes them.
    enum Source {
        case dot(String)
        case graphList([UInt8])

        /// The graph, or nil when the source does not give one.
        func graph() -> UnsafeMutablePointer<Agraph_t>? {
            switch self {
            case .dot(let text): linkage_read_dot(text)
            case .graphList(let list): list.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { linkage_build_graph($0.baseAddress, $0.count) }
            }
            }
        }
    }

    func renderCountingTextMemo(_ source: Source, engine: String, format: String, textMemo: Bool = true)
        throws(GraphvizError) -> (diagram: RenderedDiagram, memoHits: UInt64)
    {
        let result: Result<(diagram: RenderedDiagram, memoHits: UInt64), GraphvizError> = state.withLock { state in
            Self.makeContext(&state)
            guard let context = state.context else {
                return .failure(GraphvizError(stage: .parse, messages: ["cannot create a Graphviz context"]))
            }
            let hits = linkage_text_memo_hits()
            linkage_text_memo_set_active(textMemo && Self.textMemoFormats.contains(format) ? 1 : 0)
            defer { linkage_text_memo_set_active(0) }
            return Self.renderLocked(context: context, source: source, engine: engine, format: format)
                .map { ($0, linkage_text_memo_hits() - hits) }
        }
        return try result.get()
    }

    /// Creates the context on first use, Graphviz measuring text through the memo (which loads
    /// Pango when it first needs it).
    private static func makeContext(_ state: inout State) {
        guard state.context == nil else { return }
        state.context = linkage_graphviz_context()
    }

    /// Starts Graphviz (its context, plugins and text memo) if it has not started.
    public func start() { state.withLock { Self.makeContext(&$0) } }

    // MARK: Text measurements kept between runs

    /// Graphviz's text measurements so far, as bytes `loadTextMeasurements` takes back (nil when
    /// memory runs out). `textSpansMeasured` says whether there is anything new to save.
    public func savedTextMeasurements() -> Data? {
        state.withLock { state -> Data? in
            Self.makeContext(&state)
            var buffer: UnsafeMutablePointer<UInt8>?
            let length = linkage_text_memo_export(&buffer)
            guard let buffer, length > 0 else { return nil }
            defer { free(buffer) }
            return Data(bytes: buffer, count: length)
        }
    }

    /// Adds measurements `savedTextMeasurements` gave (in a process with the same fonts and
    /// libraries: `TextMeasurementStore` keys them so) to the memo; false when they are damaged
    /// or there is no memo, and nothing is added. Starts Graphviz if it has not started.
    @discardableResult
    public func loadTextMeasurements(_ data: Data) -> Bool {
        state.withLock { state in
            Self.makeContext(&state)
            return data.withUnsafeBytes { bytes in
                linkage_text_memo_import(bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count) >= 0
            }
        }
    }

    /// The paths of the shared objects this process has loaded (Graphviz's plugins and the
    /// libraries they load among them, once Graphviz has started).
    public static func loadedObjects() -> [String] {
        guard let list = linkage_loaded_objects() else { return [] }
        defer { free(list) }
        return String(cString: list).split(separator: "\n").map(String.init)
    }

    /// Spans Pango has measured through the memo in this process.
    public var textSpansMeasured: UInt64 { state.withLock { _ in linkage_text_memo_misses() } }

    /// The formats whose writers (Graphviz's core svg, plain and json) never draw a span's
    /// PangoLayout: only their renders take measurements from the memo, which keeps no layout.
    /// png and pdf draw text with it through cairo and are measured by Pango every time.
    static let textMemoFormats: Set<String> = ["svg", "plain", "json"]

    public func render(dot source: String, engine: LayoutEngine, format: OutputFormat) throws(GraphvizError)
        -> RenderedDiagram
    {
        if format == .dot {
            // Check the source parses (no layout runs), then hand it back unchanged.
            try parse(dot: source)
            return RenderedDiagram(data: Data(source.utf8), warnings: [])
        }
        return try finished(render(dot: source, engine: engine.rawValue, format: format.rawValue), format: format)
    }

    /// Renders a figure's DOT statements given as `DOTStatements.graphList` makes them (the graph
    /// the DOT text gives, built without parsing it) in a format other than DOT.
    func render(graphList: [UInt8], engine: LayoutEngine, format: OutputFormat) throws(GraphvizError) -> RenderedDiagram {
        try finished(renderCountingTextMemo(.graphList(graphList), engine: engine.rawValue, format: format.rawValue).diagram, format: format)
    }

    /// The rendered bytes as the workbench writes them: SVG with fallback fonts, PDF with a fixed date.
    private func finished(_ diagram: RenderedDiagram, format: OutputFormat) -> RenderedDiagram {
        var rendered = diagram
        switch format {
        case .pdf: rendered.data = PDFNormalizer.fixCreationDate(rendered.data)
        case .svg: rendered.data = SVGFonts.withFallbacks(rendered.data)
        default: break
        }
        return rendered
    }

    /// Parses DOT source without laying it out: a syntax error is thrown with Graphviz's message.
    public func parse(dot source: String) throws(GraphvizError) {
        let result: Result<Void, GraphvizError> = state.withLock { _ in
            MessageCapture.start()
            defer { MessageCapture.stop() }
            guard let graph = linkage_read_dot(source) else {
                return .failure(GraphvizError(stage: .parse, messages: MessageCapture.errors(orDefault: "the DOT source does not parse")))
            }
            linkage_close_graph(graph)
            if agerrors() > 0 {
                return .failure(GraphvizError(stage: .parse, messages: MessageCapture.errors(orDefault: "the DOT source has errors")))
            }
            return .success(())
        }
        try result.get()
    }

    /// The text Graphviz draws for each node's label, line by line, keyed by node name: laid out
    /// and read back from the text operations of Graphviz's JSON output. Used to check that label
    /// text survives escaping exactly. (Not xdot: its writer leaves a backslash before a quote
    /// unescaped, so `\"` cannot be read back from it.)
    public func drawnLabels(dot source: String) throws(GraphvizError) -> [String: [String]] {
        let json = try render(dot: source, engine: "dot", format: "json").data
        guard let root = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw GraphvizError(stage: .render, messages: ["Graphviz's JSON output does not parse"])
        }
        var labels: [String: [String]] = [:]
        for object in root["objects"] as? [[String: Any]] ?? [] {
            guard let name = object["name"] as? String, let operations = object["_ldraw_"] as? [[String: Any]] else { continue }
            labels[name] = operations.filter { $0["op"] as? String == "T" }.compactMap { $0["text"] as? String }
        }
        return labels
    }

    /// The advance width of each character in points, as Graphviz measures it in `font` at
    /// `size`, alone and between Latin letters: each is drawn twenty times in a row, so that
    /// Graphviz's rounding of box sizes to whole points costs a twentieth of a point per
    /// character. (`TextMetrics` caches these.)
    func characterAdvances(_ scalars: [Unicode.Scalar], font: String, size: Double) throws(GraphvizError)
        -> [Unicode.Scalar: (alone: Double, latin: Double)]
    {
        let repeats = 20
        var lines = ["digraph measure {",
                     "  node [shape=plaintext, margin=0, width=0, height=0, fontname=\(DOTText.identifier(font)), fontsize=\(formatDecimal(size, places: 2))];",
                     "  n_ [pos=\"0,0\", label=\(DOTText.quoted(String(repeating: "n", count: repeats)))];"]
        for (index, scalar) in scalars.enumerated() {
            let run = String(String.UnicodeScalarView(repeatElement(scalar, count: repeats)))
            lines.append("  a\(index) [pos=\"0,0\", label=\(DOTText.quoted(run))];")
            // A wide (CJK) character makes its text Chinese, which is measured with the widths
            // alone: its width between Latin letters is never used, and not measured (half
            // the cost of measuring Chinese labels).
            if !LabelWrapping.isWide(scalar) {
                lines.append("  l\(index) [pos=\"0,0\", label=\(DOTText.quoted("n" + run + "n"))];")
            }
        }
        lines.append("}")
        let plain = try render(dot: lines.joined(separator: "\n"), engine: "nop2", format: "plain").data
        var widths: [Substring: Double] = [:]
        for line in String(decoding: plain, as: UTF8.self).split(separator: "\n") where line.hasPrefix("node ") {
            let fields = line.split(separator: " ", maxSplits: 5)
            guard fields.count >= 5, let inches = Double(fields[4]) else { continue }
            // Names are plain (`a12`); Graphviz would write an HTML-flagged one as `<a12>`.
            widths[fields[1].trimmingCharacters(in: CharacterSet(charactersIn: "<>"))[...]] = inches * 72
        }
        let n = (widths["n_"] ?? size * 0.55 * Double(repeats)) / Double(repeats)
        var result: [Unicode.Scalar: (alone: Double, latin: Double)] = [:]
        for (index, scalar) in scalars.enumerated() {
            guard let alone = widths["a\(index)"] else { continue }
            if LabelWrapping.isWide(scalar) {
                result[scalar] = (alone / Double(repeats), alone / Double(repeats))
                continue
            }
            guard let latin = widths["l\(index)"] else { continue }
            result[scalar] = (alone / Double(repeats), max(0, latin - 2 * n) / Double(repeats))
        }
        return result
    }

    private static func renderLocked(context: OpaquePointer, source: Source, engine: String, format: String)
        -> Result<RenderedDiagram, GraphvizError>
    {
        MessageCapture.start()
        defer { MessageCapture.stop() }

        guard let graph = source.graph() else {
            return .failure(GraphvizError(stage: .parse, messages: MessageCapture.errors(orDefault: "the DOT source does not parse")))
        }
        defer { linkage_close_graph(graph) }
        if agerrors() > 0 {
            return .failure(GraphvizError(stage: .parse, messages: MessageCapture.errors(orDefault: "the DOT source has errors")))
        }
        guard gvLayout(context, graph, engine) == 0 else {
            return .failure(GraphvizError(stage: .layout, messages: MessageCapture.errors(orDefault: "layout with '\(engine)' failed")))
        }
        defer {
            // The nop layouts leak their node list (docs/graphviz-memory.md); freed here first.
            if engine.hasPrefix("nop") { linkage_free_nop_layout(graph) }
            gvFreeLayout(context, graph)
        }
        var buffer: UnsafeMutablePointer<CChar>?
        var length: UInt32 = 0
        let rc = gvRenderData(context, graph, format, &buffer, &length)
        defer { if let buffer { gvFreeRenderData(buffer) } }
        guard rc == 0, let buffer else {
            return .failure(GraphvizError(stage: .render, messages: MessageCapture.errors(orDefault: "rendering as '\(format)' failed")))
        }
        // Errors raised while rendering (an HTML label that does not parse) leave rc at 0.
        if agerrors() > 0 {
            return .failure(GraphvizError(stage: .render, messages: MessageCapture.errors(orDefault: "Graphviz reported an error while rendering")))
        }
        let data = Data(bytes: buffer, count: Int(length))
        return .success(RenderedDiagram(data: data, warnings: MessageCapture.warnings()))
    }
}

/// Collects what Graphviz prints through `agseterrf`. Only touched while the Graphviz lock is
/// held, which is why the unsynchronised global is safe.
private enum MessageCapture {
    nonisolated(unsafe) static var text = ""

    static func start() {
        text = ""
        agreseterrors()
        _ = agseterrf { message in
            if let message { MessageCapture.text += String(cString: message) }
            return 0
        }
    }

    static func stop() {
        _ = agseterrf(nil)
        agreseterrors()
    }

    /// Graphviz writes "Error" / "Warning", ": ", then the message, in separate calls.
    private static var lines: [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func errors(orDefault fallback: String) -> [String] {
        let errors = lines.filter { !$0.hasPrefix("Warning") }
        return errors.isEmpty ? (lines.isEmpty ? [fallback] : lines) : errors
    }

    /// Graphviz's warnings, with its per-node "size too small for label" (one per node of a
    /// figure scaled down to fit its page: thousands for a large plan, after the renderer's own
    /// warning has said so once) given as one line per graph, where the first of them was.
    static func warnings() -> [String] {
        let all = lines.filter { $0.hasPrefix("Warning") }
        var tooSmall: [String: (first: String, count: Int)] = [:]
        for line in all {
            guard let (node, graph) = tooSmallForLabel(line) else { continue }
            tooSmall[graph, default: (node, 0)].count += 1
        }
        var summarised = Set<String>()
        return all.compactMap { line in
            guard let (_, graph) = tooSmallForLabel(line), let (first, count) = tooSmall[graph], count > 1 else { return line }
            guard summarised.insert(graph).inserted else { return nil }
            return "Warning: \(count) nodes of graph '\(graph)' are too small for their labels (the first: '\(first)')"
        }
    }

    /// The node and graph of Graphviz's "Warning: node 'N', graph 'G' size too small for label".
    private static func tooSmallForLabel(_ line: String) -> (node: String, graph: String)? {
        let prefix = "Warning: node '", middle = "', graph '", suffix = "' size too small for label"
        guard line.hasPrefix(prefix), line.hasSuffix(suffix), line.count >= prefix.count + suffix.count,
              let split = line.range(of: middle, options: .backwards) else { return nil }
        let nodeStart = line.index(line.startIndex, offsetBy: prefix.count)
        let graphEnd = line.index(line.endIndex, offsetBy: -suffix.count)
        guard nodeStart <= split.lowerBound, split.upperBound <= graphEnd else { return nil }
        return (String(line[nodeStart..<split.lowerBound]), String(line[split.upperBound..<graphEnd]))
    }
}

/// Graphviz names only the font it measured with (`Noto Sans CJK SC`). A reader without it
/// (Word, a colleague's browser) would get the browser's default serif, much wider than what the
/// boxes were sized for, and titles run off the canvas; SVG therefore names a list of fonts of
/// the same design and metrics, ending with the generic sans-serif.
enum SVGFonts {
    static let fallbacks = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"

    static func withFallbacks(_ data: Data) -> Data {
        // Runs between the matches are copied whole (`ByteSearch` finds them): the SVG of a large
        // grid is tens of megabytes, and a 1,000-element plan's 2,000 figures pass here on the
        // rendering thread. (Foundation's Data.range(of:) made that run 2.5 times as long.)
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Data in
            guard bytes.baseAddress != nil else { return data }
            var out = Data()
            out.reserveCapacity(bytes.count + bytes.count / 8)
            var start = 0
            target.withUnsafeBytes { target in
                while let offset = ByteSearch.firstOffset(of: target, in: bytes, from: start) {
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]))
                    out.append(contentsOf: replacement)
                    start = offset + target.count
                }
            }
            if start == 0 { return data }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start...]))
            return out
        }
    }

    private static let target = Array("font-family=\"\(DiagramStyle().fontName)\"".utf8)
    private static let replacement = Array("font-family=\"\(fallbacks)\"".utf8)
}

/// Cairo stamps PDFs with the time of rendering; replacing the digits of the creation date
/// with a fixed date of the same length keeps every byte offset (and the xref table) valid
/// and makes PDF output byte-identical across runs.
enum PDFNormalizer {
    static func fixCreationDate(_ data: Data) -> Data {
        var bytes = [UInt8](data)
        for key in ["/CreationDate (D:", "/ModDate (D:"] {
            let pattern = Array(key.utf8)
            var i = 0
            while i + pattern.count < bytes.count {
                if bytes[i] == pattern[0], Array(bytes[i..<(i + pattern.count)]) == pattern {
                    var j = i + pattern.count
                    let fixed = Array("20000101000000".utf8)
                    var k = 0
                    while j < bytes.count, bytes[j] != UInt8(ascii: ")") {
                        let b = bytes[j]
                        if b >= 48 && b <= 57 { bytes[j] = k < fixed.count ? fixed[k] : UInt8(ascii: "0"); k += 1 }
                        j += 1
                    }
                    i = j
                } else {
                    i += 1
                }
            }
        }
        return Data(bytes)
    }
}
