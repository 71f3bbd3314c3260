import LinkageKit

/// The DOT of a view as the workbench draws it: laid out (document order, sizes from the text)
/// with every position given, for Graphviz's `nop2` layout (`neato -n2`). Kept for callers
/// that want one DOT string; `DiagramRenderer` does pages, formats and captions.
public struct DOTBuilder: Sendable {
    public var style: DiagramStyle
    public var language: Language
    public var options: FigureOptions

    public init(language: Language = .en, style: DiagramStyle = DiagramStyle(), options: FigureOptions = FigureOptions(page: .none)) {
        self.language = language
        self.style = style
        self.options = options
    }

    /// The DOT of the view's first page. A view that cannot be laid out (its engine failed)
    /// gives DOT that fails to render with Graphviz's message.
    public func dot(for view: ViewSpec) -> String {
        do {
            return try DiagramRenderer(language: language, options: options, style: style).layout(view).pages[0].dot()
        } catch {
            return "digraph \(DOTText.identifier(view.id)) { \"layout failed: \(String(describing: error).filter { $0 != "\"" && $0 != "\\" })\" -> }\n"
        }
    }

    /// The engine that draws the DOT `dot(for:)` writes: positions are given, so none lays it out.
    public func engine(for view: ViewSpec, requested: LayoutEngine) -> LayoutEngine { .nop2 }
}

/// The few words the renderer writes itself, in both languages.
struct Words {
    let language: Language
    var legend: String { language == .zh ? "图例" : "Legend" }
    var declaredSuffix: String { language == .zh ? "：文件明确陈述（实线）" : ": declared by a document (solid)" }
    var derivedSuffix: String { language == .zh ? "：按规则推导（虚线）" : ": derived by a named rule (dashed)" }
    var mentionSuffix: String { language == .zh ? "：仅提及（点线）" : ": mentioned only (dotted)" }
    var separator: String { language == .zh ? "；" : "; " }
    var officialColours: String { language == .zh ? "（联合国官方颜色）" : " (official UN colours)" }

    func rows(_ first: Int, _ last: Int, of total: Int) -> String {
        language == .zh ? "（第\(first)–\(last)行，共\(total)行）" : "(rows \(first)–\(last) of \(total))"
    }

    func box(_ text: String) -> String { language == .zh ? "方框：\(text)" : "box: \(text)" }

    func line(_ style: String) -> String {
        switch (style, language) {
        case ("dashed", .zh): "虚线 "
        case ("dashed", .en): "dashed line "
        case ("dotted", .zh): "点线 "
        case ("dotted", .en): "dotted line "
        case (_, .zh): "实线 "
        case (_, .en): "solid line "
        }
    }
}
