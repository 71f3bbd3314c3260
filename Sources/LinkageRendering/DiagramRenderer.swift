import Foundation
import LinkageKit

/// A view laid out on its page or pages: what `DiagramRenderer.render` draws.
public struct LaidOutView: Sendable {
    public var viewID: String
    public var pages: [LaidOutPage]
    /// The figure's caption in words (title, subtitle, caption, legend), for the side file
    /// written when the figure leaves its title or legend out.
    public var captionText: String
    /// Things a user should know (text below the minimum size, a long grid drawn as one figure).
    public var warnings: [String]
}

/// One page of a figure.
public struct LaidOutPage: Sendable {
    var figure: Figure { didSet { prepared = nil } }
    /// Added to the file name when a figure has several pages: `-p2`.
    public var suffix: String
    /// The canvas, in points.
    public var width: Double { figure.width }
    public var height: Double { figure.height }
    /// How far down the canvas the drawing reaches, its margin included, in points: less than
    /// `height` on a page larger than its drawing.
    public var drawnHeight: Double { figure.drawnHeight ?? figure.height }
    /// The share of the page's height the drawing takes, when it ends well above the page's
    /// bottom (nil: it fills the page): what a page on screen needs to show of it.
    public var drawnShare: Double? { drawnHeight < height - 1 ? drawnHeight / height : nil }
    /// The smallest text on the page, in points (the canvas is drawn at full size).
    public var smallestFontSize: Double { figure.smallestFontSize }

    /// DOT with every position given, for `nop2` (`neato -n2`); `dpi` for bitmap output.
    public func dot(dpi: Int? = nil) -> String { statements(dpi: dpi).text }

    /// The figure's DOT statements (`prepare()`d ones when there are).
    func statements(dpi: Int? = nil) -> DOTStatements {
        if dpi == nil, let prepared { return prepared.statements }
        return FigureDOT.statements(figure, dpi: dpi)
    }

    /// The statements as libgraphviz takes them without parsing DOT (nil: render the text).
    func graphList(dpi: Int? = nil) -> [UInt8]? {
        if dpi == nil, let prepared, prepared.forGraphviz { return prepared.graphList }
        return statements(dpi: dpi).graphList
    }

    /// `statements()` and, when made for Graphviz, `graphList()`, made ahead by `prepare`
    /// (forgotten when the figure changes).
    var prepared: (statements: DOTStatements, graphList: [UInt8]?, forGraphviz: Bool)? = nil

    /// Makes the statements now: on a layout thread, ahead of a Graphviz thread that renders them.
    /// `forGraphviz`: the list Graphviz takes is made too (not for DOT files alone).
    public mutating func prepare(forGraphviz: Bool = true) {
        let statements = FigureDOT.statements(figure, dpi: nil)
        prepared = (statements, forGraphviz ? statements.graphList : nil, forGraphviz)
    }
}

/// Draws views: lays each out for its page (document order, sizes from the text, title, legend
/// and caption composed around it) and renders it through libgraphviz with positions fixed.
public struct DiagramRenderer: Sendable {
    public var language: Language
    public var options: FigureOptions
    public var style: DiagramStyle
    /// Texts measured once per figure, whatever the layout tries.
    private var cache: PreparedTextCache?
    /// Texts measured once for several figures (those of one analysis): `layout` uses it
    /// instead of a cache of its own. Output is the same with or without it; one thread at a time.
    public var sharedTextCache: PreparedTextCache?

    public init(language: Language = .en, options: FigureOptions = FigureOptions(), style: DiagramStyle = DiagramStyle(),
                sharedTextCache: PreparedTextCache? = nil) {
        self.language = language
        self.options = options
        self.style = style
        self.sharedTextCache = sharedTextCache
    }

    /// A long grid is split into pages up to this many; beyond, it is drawn as one figure as
    /// wide as the page and as tall as it needs (unless a page was asked for explicitly).
    static let maximumAutomaticPages = 8

    private var words: Words { Words(language: language) }

    // MARK: Rendering

    public func render(_ page: LaidOutPage, format: OutputFormat) throws(GraphvizError) -> RenderedDiagram {
        switch format {
        case .dot: return RenderedDiagram(data: Data(page.dot().utf8), warnings: [])
        default:
            let dpi = format == .png ? options.dpi : nil
            if let list = page.graphList(dpi: dpi) {
                return try Graphviz.shared.render(graphList: list, engine: .nop2, format: format)
            }
            return try Graphviz.shared.render(dot: page.dot(dpi: dpi), engine: .nop2, format: format)
        }
    }

    // MARK: Layout

    public func layout(_ view: ViewSpec) throws(GraphvizError) -> LaidOutView {
        prepareMetrics(view)
        var renderer = self
        renderer.cache = sharedTextCache ?? PreparedTextCache()
        var laidOut = try renderer.layoutMeasured(view)
        if let prefix = options.nodePageLinks, case .network(let network) = view.diagram {
            let ids = Set(network.nodes.map(\.id.rawValue))
            for p in laidOut.pages.indices {
                for b in laidOut.pages[p].figure.boxes.indices where ids.contains(laidOut.pages[p].figure.boxes[b].id) {
                    laidOut.pages[p].figure.boxes[b].pageLink = prefix + DOTText.pathSegment(laidOut.pages[p].figure.boxes[b].id)
                }
            }
        }
        return laidOut
    }

    private func layoutMeasured(_ view: ViewSpec) throws(GraphvizError) -> LaidOutView {
        var result: LaidOutView
        switch view.diagram {
        case .network(let network): result = try layoutNetwork(view, network)
        case .matrix(let matrix): result = layoutMatrix(view, matrix)
        }
        for (index, page) in result.pages.enumerated() where options.page != .none {
            let smallest = page.smallestFontSize
            if smallest < PageSize.minimumFontSize - 0.01 {
                result.warnings.append("\(view.id)\(result.pages.count > 1 ? " page \(index + 1)" : ""): the figure does not fit the page at full size; its smallest text is \(formatDecimal(smallest, places: 1)) pt (try a larger page, --page none, or fewer elements)")
            }
        }
        result.captionText = captionText(view)
        return result
    }

    private func prepareMetrics(_ view: ViewSpec) {
        var texts = [view.title[language], view.subtitle?[language] ?? "", view.caption?[language] ?? "", words.legend]
        var sizes = Set<Double>()
        for page in options.page.candidates + [.none] {
            let fonts = FontSizes.forPage(page)
            sizes.formUnion([fonts.title, fonts.subtitle, fonts.legend, fonts.caption])
        }
        switch view.diagram {
        case .network(let network):
            texts += ColumnLayout.texts(of: network, language: language) + legendItems(network).map(\.text)
            sizes.formUnion(NetworkVariant.ladder.map(\.fontSize))
            sizes.formUnion(NetworkVariant.ladder.map { max($0.fontSize - 1, PageSize.minimumFontSize) })
        case .matrix(let matrix):
            texts += MatrixLayout.texts(of: matrix, language: language) + matrix.legend.map { $0.label[language] }
                + [matrix.footnote?[language] ?? ""]
            sizes.formUnion(MatrixLayout.fontSizes + [MatrixLayout.screenFontSize])
            sizes.formUnion(sizes.map { max(PageSize.minimumFontSize, $0 - 1) })
        }
        TextMetrics.shared.prepare(texts, font: style.fontName, sizes: sizes)
    }

    // MARK: The parts around the content

    /// The title, subtitle, legend and caption of a figure at one width.
    private struct Frame {
        var title: Figure?
        var legend: Figure?
        var caption: Figure?
        var gap: Double

        var height: Double {
            let parts = [title, legend, caption].compactMap { $0 }
            return parts.reduce(0) { $0 + $1.height } + Double(parts.count) * gap
        }
    }

    private func frame(_ view: ViewSpec, width: Double, fonts: FontSizes, legend: [LegendItem], note: LocalizedText?,
                       titleSuffix: String = "") -> Frame {
        var title: Figure?
        if options.showTitle {
            var figure = Figure(name: "title", width: width, height: 0, fontName: style.fontName)
            let titleLines = wrap(view.title[language] + titleSuffix, width: width, size: fonts.title)
            let titleHeight = Double(titleLines.count) * TextMetrics.lineHeight(fonts.title)
            figure.boxes.append(textBox("__title", lines: titleLines, size: fonts.title, left: 0, top: 0, width: width, height: titleHeight,
                                        tooltip: view.title[language]))
            figure.height = titleHeight
            if let subtitle = view.subtitle?[language], !subtitle.isEmpty {
                let lines = wrap(subtitle, width: width, size: fonts.subtitle)
                let height = Double(lines.count) * TextMetrics.lineHeight(fonts.subtitle)
                figure.boxes.append(textBox("__subtitle", lines: lines, size: fonts.subtitle, left: 0, top: figure.height + 2, width: width,
                                            height: height, colour: "#424242"))
                figure.height += height + 2
            }
            title = figure
        }
        var legendFigure: Figure?
        var caption: Figure?
        if options.showLegend {
            if !legend.isEmpty { legendFigure = legendRow(legend, width: width, size: fonts.legend) }
            let text = [note?[language], view.caption?[language]].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
            if !text.isEmpty {
                let lines = wrap(text, width: width, size: fonts.caption)
                let height = Double(lines.count) * TextMetrics.lineHeight(fonts.caption)
                var figure = Figure(name: "caption", width: width, height: height, fontName: style.fontName)
                figure.boxes.append(textBox("__caption", lines: lines, size: fonts.caption, left: 0, top: 0, width: width, height: height,
                                            colour: "#424242"))
                caption = figure
            }
        }
        return Frame(title: title, legend: legendFigure, caption: caption, gap: 8)
    }

    private func wrap(_ text: String, width: Double, size: Double, maxLines: Int = .max) -> [String] {
        TextMetrics.shared.measure(font: style.fontName, size: size, cache: cache).wrap(text, width: width, maxLines: maxLines)
    }

    private func textWidth(_ text: String, size: Double) -> Double { TextMetrics.shared.width(text, font: style.fontName, size: size) }

    private func textBox(_ id: String, lines: [String], size: Double, left: Double, top: Double, width: Double, height: Double,
                         colour: String = "#111111", tooltip: String? = nil) -> FigureBox {
        FigureBox(id: id, centre: Point(x: left + width / 2, y: top + height / 2), width: width, height: height, lines: lines,
                  alignment: .left, fontSize: size, fontColour: colour, style: "", shape: "plaintext", tooltip: Tooltip.cap(tooltip ?? lines.joined(separator: " ")))
    }

    /// The parts of a page stacked: title, content (centred), legend, caption.
    private func compose(_ view: ViewSpec, content: Figure, frame: Frame, canvas: (width: Double, height: Double)?, margin: Double,
                         name: String) -> Figure {
        let innerWidth = canvas.map { $0.width - 2 * margin } ?? max(content.width, frame.title?.width ?? 0)
        let width = canvas?.width ?? innerWidth + 2 * margin
        var y = margin
        var figure = Figure(name: name, width: width, height: 0, tooltip: view.title[language], fontName: style.fontName,
                            clustersAsBoxes: !style.groupsAsClusters)
        if let title = frame.title {
            figure.place(title, at: Point(x: margin, y: y))
            y += title.height + frame.gap
        }
        figure.place(content, at: Point(x: margin + max(0, (innerWidth - content.width) / 2), y: y))
        y += content.height + frame.gap
        for part in [frame.legend, frame.caption].compactMap({ $0 }) {
            figure.place(part, at: Point(x: margin, y: y))
            y += part.height + frame.gap
        }
        figure.height = canvas?.height ?? (y - frame.gap + margin)
        figure.drawnHeight = min(y - frame.gap + margin, figure.height)
        return figure
    }

    // MARK: Legend

    struct LegendItem {
        enum Sample { case box(NodeColours: DiagramStyle.NodeColours, dashed: Bool), swatch(String), line(colour: String, style: String, arrow: Bool) }
        var sample: Sample
        var text: String
    }

    /// One entry per kind drawn (a box drawn like it) and one per line style drawn (colour,
    /// dash and arrow), each once: the legend shows exactly what the figure uses.
    func legendItems(_ network: NetworkView) -> [LegendItem] {
        var items: [LegendItem] = []
        var kinds = Set<NodeKind>()
        for node in network.nodes where kinds.insert(node.kind).inserted {
            let name = node.kindLabel[language] + (node.colour != nil && node.kind.rawValue.hasPrefix("sdg-") ? words.officialColours : "")
            items.append(LegendItem(sample: .box(NodeColours: style.colours(for: node), dashed: node.role == .scope), text: name))
        }
        struct LineKey: Hashable { var colour: String; var style: String; var arrow: Bool; var own: Bool }
        var order: [LineKey] = []
        var labels: [LineKey: [String]] = [:]
        // Part-of lines inside a group's box are not drawn (the box says it), so not in the legend.
        var groupOf: [NodeID: String] = [:]
        if (options.engine == nil || options.engine == .nop2) && network.layout == .flow {
            for group in network.groups { for member in group.members where groupOf[member] == nil { groupOf[member] = group.id } }
        }
        for edge in network.edges {
            if edge.relation == .partOf, let a = groupOf[edge.source], a == groupOf[edge.target] { continue }
            let lineStyle = edge.relation == .mentions ? "dotted" : (edge.declared ? "solid" : "dashed")
            let arrow = edge.directed && edge.relation != .partOf && network.layout == .flow
            let own = RGB.fromData(edge.colour) != nil
            let key = LineKey(colour: own ? "#616161" : style.edgeColour(edge.relation), style: lineStyle, arrow: arrow, own: own)
            if labels[key] == nil { order.append(key) }
            let name = edge.relationLabel[language]
            if !(labels[key] ?? []).contains(name) { labels[key, default: []].append(name) }
        }
        for key in order {
            var text = labels[key]!.joined(separator: " / ")
            switch key.style {
            case "dashed": text += words.derivedSuffix
            case "dotted": text += words.mentionSuffix
            default: text += words.declaredSuffix
            }
            if key.own, let meaning = network.lineColourKey?[language] { text += words.separator + meaning }
            items.append(LegendItem(sample: .line(colour: key.colour, style: key.style, arrow: key.arrow), text: text))
        }
        return items
    }

    func legendItems(_ matrix: MatrixView) -> [LegendItem] {
        // A swatch of a colour that is not #RRGGBB is drawn white (framed), never handed to Graphviz as given.
        matrix.legend.map { LegendItem(sample: .swatch(RGB.fromData($0.colour) ?? "#FFFFFF"), text: $0.label[language]) }
    }

    /// Legend entries flowing left to right in rows no wider than `width`.
    private func legendRow(_ items: [LegendItem], width: Double, size: Double) -> Figure {
        var figure = Figure(name: "legend", width: width, height: 0, fontName: style.fontName)
        let lineHeight = TextMetrics.lineHeight(size)
        let rowHeight = lineHeight + 6
        let heading = words.legend + (language == .zh ? "：" : ":")
        let headingWidth = textWidth(heading, size: size) + 2
        figure.boxes.append(textBox("__legend", lines: [heading], size: size, left: 0, top: 0, width: headingWidth, height: rowHeight))
        var x = headingWidth + 6, y = 0.0
        for (i, item) in items.enumerated() {
            let textLines = wrap(item.text, width: width * 0.9, size: size, maxLines: 2)
            let textW = (textLines.map { textWidth($0, size: size) }.max() ?? 0) + 2
            let itemHeight = max(rowHeight, Double(textLines.count) * lineHeight + 6)
            var itemWidth: Double
            switch item.sample {
            case .box: itemWidth = textW + 12
            case .swatch: itemWidth = 16 + 4 + textW
            case .line: itemWidth = 26 + 4 + textW
            }
            if x + itemWidth > width && x > headingWidth + 6 {
                x = headingWidth + 6
                y += rowHeight + 3
            }
            switch item.sample {
            case .box(let colours, let dashed):
                figure.boxes.append(FigureBox(
                    id: "__legend_\(i)", centre: Point(x: x + itemWidth / 2, y: y + itemHeight / 2), width: itemWidth, height: itemHeight - 2,
                    lines: textLines, fontSize: size, fontColour: colours.text, fill: colours.fill, border: colours.border,
                    style: dashed ? "rounded,filled,dashed" : "rounded,filled", tooltip: item.text))
            case .swatch(let colour):
                figure.boxes.append(FigureBox(
                    id: "__legend_\(i)_swatch", centre: Point(x: x + 8, y: y + itemHeight / 2), width: 16, height: 10, lines: [],
                    fontSize: size, fill: RGB.fromData(colour) ?? "#FFFFFF", border: "#9E9E9E", style: "filled", penwidth: 0.6, tooltip: item.text))
                figure.boxes.append(textBox("__legend_\(i)", lines: textLines, size: size, left: x + 20, top: y, width: textW, height: itemHeight,
                                            tooltip: item.text))
            case .line(let colour, let lineStyle, let arrow):
                let from = Point(x: x, y: y + itemHeight / 2), to = Point(x: x + 26, y: y + itemHeight / 2)
                for (name, point) in [("a", from), ("b", to)] {
                    figure.boxes.append(FigureBox(id: "__legend_\(i)_\(name)", centre: point, width: 0, height: 0, lines: [], fontSize: size,
                                                  style: "invis", shape: "point"))
                }
                let end = arrow ? Point(x: to.x - 6, y: to.y) : to
                figure.lines.append(FigureLine(
                    tail: "__legend_\(i)_a", head: "__legend_\(i)_b",
                    points: [from, from + (end - from) * (1.0 / 3), from + (end - from) * (2.0 / 3), end], arrowTip: arrow ? to : nil,
                    colour: colour, style: lineStyle, tooltip: item.text))
                figure.boxes.append(textBox("__legend_\(i)", lines: textLines, size: size, left: x + 30, top: y, width: textW, height: itemHeight,
                                            tooltip: item.text))
            }
            x += itemWidth + 12
            figure.height = max(figure.height, y + itemHeight)
        }
        return figure
    }

    // MARK: Networks

    private func layoutNetwork(_ view: ViewSpec, _ network: NetworkView) throws(GraphvizError) -> LaidOutView {
        let legend = legendItems(network)
        let engine: LayoutEngine? = options.engine.flatMap { $0 == .nop2 ? nil : $0 } ?? (network.layout == .spring ? .neato : nil)
        func content(_ variant: NetworkVariant, maxWidth: Double?, maxHeight: Double?, lastRung: Int = TextRung.ladder.count - 1,
                     mirror: Bool = false, figureIfNotFitting: Bool = true) throws(GraphvizError) -> (figure: Figure, fits: Bool)
        {
            if let engine {
                let figure = try EngineLayout(view: network, language: language, style: style, variant: variant, engine: engine, cache: cache).layout()
                return (figure, figure.width <= (maxWidth ?? .infinity) + 0.5 && figure.height <= (maxHeight ?? .infinity) + 0.5)
            }
            return ColumnLayout(view: network, language: language, style: style, variant: variant, cache: cache)
                .layout(maxWidth: maxWidth, maxHeight: maxHeight, lastRung: lastRung, mirror: mirror, figureIfNotFitting: figureIfNotFitting)
        }
        // First with every box's details shown (the target lists of goal boxes) at any font
        // size; then with details left out; only then, for a column too tall for the page, its
        // first half on the other side of the source.
        let details = TextRung.ladder.count - 2, none = TextRung.ladder.count - 1
        let attempts: [(rung: Int, variant: NetworkVariant, mirror: Bool)] =
            [(details, false), (none, false), (details, true), (none, true)].flatMap { step in
                NetworkVariant.ladder.map { (step.0, $0, step.1) }
            }

        if options.page == .none {
            let fonts = FontSizes.forPage(.none)
            let body = try content(NetworkVariant.ladder[0], maxWidth: nil, maxHeight: nil).figure
            let width = max(body.width, 420)
            let frame = frame(view, width: width, fonts: fonts, legend: legend, note: nil)
            let figure = compose(view, content: body, frame: frame, canvas: nil, margin: PageSize.none.margin, name: view.id)
            return LaidOutView(viewID: view.id, pages: [LaidOutPage(figure: figure, suffix: "")], captionText: "", warnings: [])
        }

        struct Candidate { var page: PageSize; var rung: Int; var content: Figure; var frame: Frame; var fill: Double }
        var best: Candidate?
        var fallback: Candidate?
        for page in options.page.candidates {
            let size = page.size!
            let innerWidth = size.width - 2 * page.margin
            let fonts = FontSizes.forPage(page)
            let frame = frame(view, width: innerWidth, fonts: fonts, legend: legend, note: nil)
            let available = size.height - 2 * page.margin - frame.height
            var last: Candidate?
            var fitted = false
            for (rung, attempt) in attempts.enumerated() {
                if attempt.mirror && engine != nil { continue }
                // Another page only wins with larger text: attempts past the best so far are not tried.
                if let best, rung > best.rung || (rung == best.rung && engine == nil) { break }
                // Only the most compact attempt is of use when it does not fit (the fallback).
                let isFallback = attempt.rung == TextRung.ladder.count - 1 && attempt.variant == NetworkVariant.ladder.last && !attempt.mirror
                let (body, fits) = try content(attempt.variant, maxWidth: innerWidth, maxHeight: available, lastRung: attempt.rung,
                                               mirror: attempt.mirror, figureIfNotFitting: isFallback)
                let fill = min(innerWidth / max(body.width, 1), available / max(body.height, 1))
                let candidate = Candidate(page: page, rung: rung, content: body, frame: frame, fill: fill)
                if fits {
                    // A force-directed drawing takes the orientation it fills better.
                    if best == nil || rung < best!.rung || (rung == best!.rung && engine != nil && fill > best!.fill * 1.15) { best = candidate }
                    fitted = true
                    break
                }
                // The most compact attempt that does not fit: the fallback, scaled to the page.
                if isFallback {
                    last = candidate
                }
            }
            if !fitted, let last, fallback == nil || last.fill > fallback!.fill { fallback = last }
        }
        var chosen: Candidate
        if var best {
            // A force-directed drawing smaller than its page is spread out to fill it: its boxes
            // keep their size, the spaces between them grow, lines are redrawn straight.
            if engine != nil, network.layout == .spring, best.fill > 1.05 {
                best.content = best.content.spread(by: min(best.fill, 2.2) * 0.97)
            }
            chosen = best
        } else {
            // Nothing fits at full size: the most compact drawing, scaled down to the page.
            chosen = fallback!
            chosen.content = chosen.content.scaled(chosen.fill)
        }
        let size = chosen.page.size!
        let figure = compose(view, content: chosen.content, frame: chosen.frame, canvas: size, margin: chosen.page.margin, name: view.id)
        return LaidOutView(viewID: view.id, pages: [LaidOutPage(figure: figure, suffix: "")], captionText: "", warnings: [])
    }

    // MARK: Matrices

    private func layoutMatrix(_ view: ViewSpec, _ matrix: MatrixView) -> LaidOutView {
        let grid = MatrixLayout(matrix: matrix, language: language, style: style, cache: cache)
        let legend = legendItems(matrix)
        if options.page == .none {
            let f = MatrixLayout.screenFontSize
            let plan = grid.plan(fontSize: f, rowHeaderWidth: min(grid.naturalRowHeaderWidth(fontSize: f), 320), availableWidth: nil)
            let body = grid.figure(plan, rows: 0..<matrix.rows.count)
            let frame = frame(view, width: max(body.width, 420), fonts: FontSizes.forPage(.none), legend: legend, note: matrix.footnote)
            let figure = compose(view, content: body, frame: frame, canvas: nil, margin: PageSize.none.margin, name: view.id)
            return LaidOutView(viewID: view.id, pages: [LaidOutPage(figure: figure, suffix: "")], captionText: "", warnings: [])
        }

        struct Candidate { var page: PageSize; var plan: MatrixLayout.Plan; var parts: [Range<Int>]; var available: Double; var scale: Double }
        var candidates: [Candidate] = []
        for page in options.page.candidates {
            let size = page.size!
            let innerWidth = size.width - 2 * page.margin
            let fonts = FontSizes.forPage(page)
            // The frame's height with one line of title suffix room: parts add " (2/3)".
            let frame = frame(view, width: innerWidth, fonts: fonts, legend: legend, note: matrix.footnote, titleSuffix: " (9/9)")
            let available = size.height - 2 * page.margin - frame.height
            var widest: MatrixLayout.Plan?
            var chosen: Candidate?
            // The largest font whose grid fits; at each size the narrowest row labels that
            // still let it fit the page's height, which leaves the columns the most room.
            search: for f in MatrixLayout.fontSizes {
                let natural = grid.naturalRowHeaderWidth(fontSize: f)
                // Rows are at least 2.2 em tall: a grid that cannot fit one page at this size is
                // only tried for its width (it will be split), which keeps a long grid linear.
                let cannotFit = Double(matrix.rows.count) * f * 2.2 > available
                for fraction in cannotFit ? [0.38] : [0.26, 0.32, 0.38, 0.44] {
                    let plan = grid.plan(fontSize: f, rowHeaderWidth: min(natural, innerWidth * fraction), availableWidth: innerWidth)
                    guard plan.width <= innerWidth + 0.5 else { continue }
                    if widest == nil || fraction >= 0.38 && widest!.fontSize == f { widest = plan }
                    if cannotFit { break search }
                    if grid.height(plan, rows: 0..<matrix.rows.count) <= available + 0.5 {
                        chosen = Candidate(page: page, plan: plan, parts: [0..<matrix.rows.count], available: available, scale: 1)
                        break search
                    }
                    if natural <= innerWidth * fraction { break }
                }
            }
            if chosen == nil, let widest {
                chosen = Candidate(page: page, plan: widest, parts: grid.parts(widest, maxHeight: available), available: available, scale: 1)
            }
            if chosen == nil {
                // Too many columns for the page even at the smallest size: drawn smaller.
                let f = MatrixLayout.fontSizes.last!
                let plan = grid.plan(fontSize: f, rowHeaderWidth: f * 9, availableWidth: nil)
                let scale = innerWidth / plan.width
                let parts = grid.parts(plan, maxHeight: available / scale)
                chosen = Candidate(page: page, plan: plan, parts: parts, available: available, scale: scale)
            }
            candidates.append(chosen!)
        }
        // One page at the larger text wins, then fewer pages; portrait on a tie.
        let best = candidates.min { a, b in
            let key = { (c: Candidate) -> (Int, Double, Int) in (c.parts.count == 1 ? 0 : 1, -c.plan.fontSize * c.scale, c.parts.count) }
            return key(a) < key(b)
        }!
        let size = best.page.size!
        var warnings: [String] = []
        var parts = best.parts
        var canvasHeight: Double? = size.height
        if parts.count > Self.maximumAutomaticPages && options.page == .auto {
            warnings.append("\(view.id): \(matrix.rows.count) rows would take \(parts.count) pages; drawn as one figure \(formatDecimal(size.width / 72 * 2.54, places: 1)) cm wide (ask for --page a4-landscape or another page to split it)")
            parts = [0..<matrix.rows.count]
            canvasHeight = nil
        }
        var pages: [LaidOutPage] = []
        for (index, rows) in parts.enumerated() {
            var body = grid.figure(best.plan, rows: rows)
            if best.scale < 1 { body = body.scaled(best.scale) }
            var partView = view
            var suffix = ""
            if parts.count > 1 {
                let note = words.rows(rows.lowerBound + 1, rows.upperBound, of: matrix.rows.count)
                partView.subtitle = LocalizedText(zh: [view.subtitle?.zh, note].compactMap { $0 }.joined(separator: " "),
                                                  en: [view.subtitle?.en, note].compactMap { $0 }.joined(separator: " "))
                suffix = "-p\(index + 1)"
            }
            let frame = frame(partView, width: size.width - 2 * best.page.margin, fonts: FontSizes.forPage(best.page), legend: legend,
                              note: matrix.footnote, titleSuffix: parts.count > 1 ? " (\(index + 1)/\(parts.count))" : "")
            let canvas = canvasHeight.map { (width: size.width, height: $0) }
            var figure: Figure
            if let canvas {
                figure = compose(partView, content: body, frame: frame, canvas: canvas, margin: best.page.margin, name: view.id + suffix)
            } else {
                figure = compose(partView, content: body, frame: frame, canvas: nil, margin: best.page.margin, name: view.id + suffix)
                figure.width = size.width
            }
            pages.append(LaidOutPage(figure: figure, suffix: suffix))
        }
        return LaidOutView(viewID: view.id, pages: pages, captionText: "", warnings: warnings)
    }

    // MARK: Caption

    /// The caption in words, in the figure's language: title, subtitle, caption and legend.
    func captionText(_ view: ViewSpec) -> String {
        var parts = [view.title[language]]
        if let subtitle = view.subtitle?[language], !subtitle.isEmpty { parts.append(subtitle) }
        if case .matrix(let matrix) = view.diagram, let footnote = matrix.footnote?[language], !footnote.isEmpty { parts.append(footnote) }
        if let caption = view.caption?[language], !caption.isEmpty { parts.append(caption) }
        let items: [LegendItem]
        switch view.diagram {
        case .network(let network): items = legendItems(network)
        case .matrix(let matrix): items = legendItems(matrix)
        }
        if !items.isEmpty {
            parts.append(words.legend + (language == .zh ? "：" : ": ") + items.map { item in
                switch item.sample {
                case .box: return words.box(item.text)
                case .swatch(let colour): return "\(colour) \(item.text)"
                case .line(_, let style, _): return words.line(style) + item.text
                }
            }.joined(separator: language == .zh ? "；" : "; "))
        }
        return parts.joined(separator: "\n\n") + "\n"
    }
}
