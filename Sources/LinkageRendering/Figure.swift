import LinkageKit

/// A point on a figure's canvas, in points, measured from the top left corner (y grows down).
struct Point: Equatable, Sendable {
    var x: Double
    var y: Double

    static func + (a: Point, b: Point) -> Point { Point(x: a.x + b.x, y: a.y + b.y) }
    static func - (a: Point, b: Point) -> Point { Point(x: a.x - b.x, y: a.y - b.y) }
    static func * (a: Point, k: Double) -> Point { Point(x: a.x * k, y: a.y * k) }
    var length: Double { (x * x + y * y).squareRoot() }
}

/// A box on the canvas: a node, a title, a legend swatch or a line of text. Every size is
/// fixed: the layouts sized it for its text (`TextMetrics`), so Graphviz draws it as given.
struct FigureBox: Sendable {
    var id: String
    /// Centre and size, in points.
    var centre: Point
    var width: Double
    var height: Double
    var lines: [String]
    var alignment: DOTText.LineAlignment = .centre
    var fontSize: Double
    var fontColour = "#1F1F1F"
    var fill: String?
    var border: String?
    /// Graphviz style: "rounded,filled", "filled", "" (text only)...
    var style = "rounded,filled"
    var shape = "box"
    var penwidth = 1.0
    var tooltip: String?
    var url: String?
    /// A link to this node's page on the same site (`/node/SDG-9.c`), set only by the renderer
    /// from `FigureOptions.nodePageLinks`, never from data; it wins over `url`.
    var pageLink: String?
    /// The label at the top of the box rather than in its middle (a group drawn as a box).
    var labelAtTop = false
    /// Space between the border and left- or right-aligned text, in points.
    var inset = 0.0

    var left: Double { centre.x - width / 2 }
    var right: Double { centre.x + width / 2 }
    var top: Double { centre.y - height / 2 }
    var bottom: Double { centre.y + height / 2 }
}

/// A box drawn behind a group of boxes (an objective around its outputs), with its label at
/// the top. Written as a Graphviz cluster whose bounding box is given.
struct FigureCluster: Sendable {
    var id: String
    var left: Double, top: Double, right: Double, bottom: Double
    var lines: [String]
    var fontSize: Double
    var fontColour = "#1F1F1F"
    var fill: String
    var border: String
    var tooltip: String?
    /// Member box ids, written inside the cluster.
    var members: [String] = []
}

/// A line between two boxes: a cubic Bézier path (3n + 1 points) and, for an arrow, its tip.
struct FigureLine: Sendable {
    var tail: String
    var head: String
    var points: [Point]
    var arrowTip: Point?
    var colour: String
    /// "solid", "dashed" or "dotted".
    var style = "solid"
    var penwidth = 1.0
    var tooltip: String?
    var label: String?
    var labelAt: Point?
    var labelSize = 7.0
}

/// A figure laid out on its canvas, every position fixed: Graphviz draws it without a layout
/// solver (`nop2`, the `neato -n2` mode), in time linear in its size.
struct Figure: Sendable {
    var name: String
    var width: Double
    var height: Double
    var boxes: [FigureBox] = []
    var clusters: [FigureCluster] = []
    var lines: [FigureLine] = []
    var tooltip: String = ""
    var fontName: String
    /// Draw groups as Graphviz clusters (with their bounding boxes), or as plain boxes behind
    /// their members: Graphviz 2.42 leaks a few KiB per cluster on every render, even with
    /// positions given (docs/graphviz-memory.md), which matters to a process that never ends.
    var clustersAsBoxes = false
    /// How far down the canvas its drawing reaches, margin included (nil: all of it). A page
    /// for paper keeps blank space under a small drawing; a report on screen can leave it out.
    var drawnHeight: Double?

    /// Everything moved by `offset`.
    mutating func translate(by offset: Point) {
        for i in boxes.indices { boxes[i].centre = boxes[i].centre + offset }
        for i in clusters.indices {
            clusters[i].left += offset.x; clusters[i].right += offset.x
            clusters[i].top += offset.y; clusters[i].bottom += offset.y
        }
        for i in lines.indices {
            lines[i].points = lines[i].points.map { $0 + offset }
            lines[i].arrowTip = lines[i].arrowTip.map { $0 + offset }
            lines[i].labelAt = lines[i].labelAt.map { $0 + offset }
        }
    }

    /// Adds another figure's content, moved by `offset`.
    mutating func place(_ other: Figure, at offset: Point) {
        var moved = other
        moved.translate(by: offset)
        boxes += moved.boxes
        clusters += moved.clusters
        lines += moved.lines
    }

    /// The smallest font on the figure, in points.
    var smallestFontSize: Double {
        (boxes.filter { !$0.lines.allSatisfy(\.isEmpty) }.map(\.fontSize) + clusters.map(\.fontSize)
            + lines.compactMap { $0.label == nil ? nil : $0.labelSize }).min() ?? 0
    }
}

/// Writes a figure as DOT for `nop2`: positions in points (y up, as Graphviz counts), two
/// invisible corner points pinning the canvas to the figure's size, boxes at fixed sizes, lines
/// with their paths, clusters with their bounding boxes. The statements are made once
/// (`statements`) and either written as DOT text or handed to libgraphviz as they are
/// (`DOTStatements.graphList`).
enum FigureDOT {
    static func write(_ figure: Figure, dpi: Int? = nil) -> String { statements(figure, dpi: dpi).text }

    static func statements(_ figure: Figure, dpi: Int? = nil) -> DOTStatements {
        let h = figure.height
        func number(_ value: Double) -> String { formatDecimal(value, places: 2) }
        func position(_ p: Point) -> String { "\(number(p.x)),\(number(h - p.y))" }
        func inches(_ points: Double) -> String { formatDecimal(points / 72, places: 4) }
        let font = DOTText.identifier(figure.fontName)

        var out = DOTStatements(name: DOTText.name(figure.name))
        out.statements.reserveCapacity(figure.boxes.count + figure.lines.count + 16)
        out.statements.append(.comment("Every position is given, in points: draw with `neato -n2` (libgraphviz: layout \"nop2\")."))
        var graph = [("outputorder", "edgesfirst"), ("pad", "0"), ("margin", "0"), ("bgcolor", "\"white\""), ("fontname", font),
                     ("tooltip", DOTText.tooltip(figure.tooltip))]
        if let dpi { graph.append(("dpi", "\(dpi)")) }
        out.statements.append(.attributes(.graph, graph))
        out.statements.append(.attributes(.node, [("fontname", font), ("shape", "box"), ("fixedsize", "true"), ("penwidth", "1"), ("margin", "0")]))
        out.statements.append(.attributes(.edge, [("fontname", font), ("arrowsize", "0.6"), ("penwidth", "1")]))
        // The canvas: a point at each corner (Graphviz's drawing is the bounding box of its content).
        out.statements.append(.node("\"__canvas_ll\"", [("pos", "\"0,0\""), ("shape", "point"), ("width", "0"), ("height", "0"),
                                                       ("style", "invis"), ("label", "\"\"")]))
        out.statements.append(.node("\"__canvas_ur\"", [("pos", "\"\(number(figure.width)),\(number(figure.height))\""), ("shape", "point"),
                                                       ("width", "0"), ("height", "0"), ("style", "invis"), ("label", "\"\"")]))

        func boxStatement(_ box: FigureBox) -> DOTStatements.Statement {
            var attributes = [
                ("pos", "\"\(position(box.centre))\""), ("width", inches(box.width)), ("height", inches(box.height)),
                ("label", box.alignment == .centre ? DOTText.quoted(box.lines.joined(separator: "\n")) : DOTText.quoted(lines: box.lines, align: box.alignment)),
                ("fontsize", number(box.fontSize)), ("fontcolor", DOTText.identifier(box.fontColour)),
            ]
            if box.shape != "box" { attributes.append(("shape", DOTText.identifier(box.shape))) }
            attributes.append(("style", DOTText.identifier(box.style)))
            if let fill = box.fill { attributes.append(("fillcolor", DOTText.identifier(fill))) }
            attributes.append(("color", DOTText.identifier(box.border ?? "transparent")))
            if box.penwidth != 1 { attributes.append(("penwidth", number(box.penwidth))) }
            if box.labelAtTop { attributes.append(("labelloc", "t")) }
            if box.inset > 0 { attributes.append(("margin", "\"\(inches(box.inset)),0\"")) }
            attributes.append(("tooltip", DOTText.tooltip(box.tooltip ?? box.lines.joined(separator: "\n"))))
            if let page = DOTText.sitePath(box.pageLink) {
                // _top: the SVG may sit in an <object> or be opened alone; the page replaces it.
                attributes.append(("URL", page))
                attributes.append(("target", "\"_top\""))
            } else if let url = DOTText.link(box.url) {
                attributes.append(("URL", url))
                attributes.append(("target", "\"_blank\""))
            }
            return .node(DOTText.name(box.id), attributes)
        }

        var inCluster = Set<String>()
        let boxesByID = Dictionary(figure.boxes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        if figure.clustersAsBoxes {
            // Written first, so drawn first: behind their members.
            for cluster in figure.clusters {
                let box = FigureBox(
                    id: "__group_" + cluster.id, centre: Point(x: (cluster.left + cluster.right) / 2, y: (cluster.top + cluster.bottom) / 2),
                    width: cluster.right - cluster.left, height: cluster.bottom - cluster.top, lines: cluster.lines, alignment: .left,
                    fontSize: cluster.fontSize, fontColour: cluster.fontColour, fill: cluster.fill, border: cluster.border,
                    tooltip: cluster.tooltip, labelAtTop: true, inset: 6)
                out.statements.append(boxStatement(box))
            }
        }
        for cluster in figure.clusters where !figure.clustersAsBoxes {
            out.statements.append(.subgraph(DOTText.name("cluster_" + cluster.id)))
            var attributes = [
                ("bb", "\"\(number(cluster.left)),\(number(h - cluster.bottom)),\(number(cluster.right)),\(number(h - cluster.top))\""),
                ("label", DOTText.quoted(lines: cluster.lines, align: .left)), ("labeljust", "l"), ("labelloc", "t"),
                ("fontsize", number(cluster.fontSize)), ("fontcolor", DOTText.identifier(cluster.fontColour)),
                ("style", "\"rounded,filled\""), ("fillcolor", DOTText.identifier(cluster.fill)), ("color", DOTText.identifier(cluster.border)),
                ("penwidth", "1"),
            ]
            attributes.append(("tooltip", DOTText.tooltip(cluster.tooltip ?? cluster.lines.joined(separator: " "))))
            out.statements.append(.attributes(.graph, attributes))
            for member in cluster.members where !inCluster.contains(member) {
                guard let box = boxesByID[member] else { continue }
                out.statements.append(boxStatement(box))
                inCluster.insert(member)
            }
            out.statements.append(.end)
        }
        for box in figure.boxes where !inCluster.contains(box.id) {
            out.statements.append(boxStatement(box))
        }
        for line in figure.lines {
            var path = ""
            if let tip = line.arrowTip { path = "e,\(position(tip)) " }
            path += line.points.map(position).joined(separator: " ")
            var attributes = [("pos", "\"\(path)\""), ("color", DOTText.identifier(line.colour))]
            if line.style != "solid" { attributes.append(("style", line.style)) }
            if line.arrowTip == nil { attributes.append(("arrowhead", "none")) }
            if line.penwidth != 1 { attributes.append(("penwidth", number(line.penwidth))) }
            if let tooltip = line.tooltip { attributes.append(("tooltip", DOTText.tooltip(tooltip))) }
            if let label = line.label, let at = line.labelAt {
                attributes += [("label", DOTText.quoted(label)), ("lp", "\"\(position(at))\""), ("fontsize", number(line.labelSize)),
                               ("fontcolor", DOTText.identifier(line.colour))]
            }
            out.statements.append(.edge(DOTText.name(line.tail), DOTText.name(line.head), attributes))
        }
        return out
    }
}

/// The statements of a directed graph's DOT, every name and value a DOT token as written
/// (quoted and escaped, or a bare word or number): written out as DOT text (`text`), or handed
/// to libgraphviz as a list (`graphList`, for `linkage_build_graph`) that builds the same graph
/// without Graphviz lexing and parsing the text.
struct DOTStatements: Sendable {
    enum Kind: UInt8, Sendable {
        case graph = 0x67, node = 0x6E, edge = 0x65  // g, n, e
        var keyword: String { self == .graph ? "graph" : self == .node ? "node" : "edge" }
    }

    enum Statement: Sendable {
        case comment(String)
        case attributes(Kind, [(String, String)])
        case node(String, [(String, String)])
        case edge(String, String, [(String, String)])
        case subgraph(String)
        case end
    }

    /// The graph's name, a token.
    var name: String
    var statements: [Statement] = []

    /// The DOT text, two spaces of indent per level.
    var text: String {
        var out = "digraph \(name) {\n"
        var indent = "  "
        func list(_ attributes: [(String, String)]) -> String {
            var text = " ["
            for (index, (key, value)) in attributes.enumerated() {
                if index > 0 { text += ", " }
                text += key
                text += "="
                text += value
            }
            return text + "]"
        }
        for statement in statements {
            switch statement {
            case .comment(let comment): out += indent + "// " + comment + "\n"
            case .attributes(let kind, let attributes): out += indent + kind.keyword + list(attributes) + ";\n"
            case .node(let name, let attributes): out += indent + name + (attributes.isEmpty ? "" : list(attributes)) + ";\n"
            case .edge(let tail, let head, let attributes):
                out += indent + tail + " -> " + head + (attributes.isEmpty ? "" : list(attributes)) + ";\n"
            case .subgraph(let name):
                out += indent + "subgraph " + name + " {\n"
                indent += "  "
            case .end:
                indent.removeLast(2)
                out += indent + "}\n"
            }
        }
        return out + "}\n"
    }

    /// The statements as `linkage_build_graph` reads them, every token as Graphviz's lexer leaves
    /// it; nil when a token would not lex as one value (the text is then rendered as it is, and
    /// Graphviz says what it makes of it), holds a NUL byte, or a statement has more than 255
    /// attributes.
    var graphList: [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        func string(_ token: String) -> Bool {
            guard DOTText.appendLexedValue(of: token, to: &out) else { return false }
            out.append(0)
            return true
        }
        func attributes(_ list: [(String, String)]) -> Bool {
            guard list.count <= 255 else { return false }
            out.append(UInt8(list.count))
            for (key, value) in list {
                guard string(key), string(value) else { return false }
            }
            return true
        }
        out.append(UInt8(ascii: "D"))
        guard string(name) else { return nil }
        for statement in statements {
            switch statement {
            case .comment: continue
            case .attributes(let kind, let list):
                out.append(UInt8(ascii: "A"))
                out.append(kind.rawValue)
                guard attributes(list) else { return nil }
            case .node(let name, let list):
                out.append(UInt8(ascii: "N"))
                guard string(name), attributes(list) else { return nil }
            case .edge(let tail, let head, let list):
                out.append(UInt8(ascii: "E"))
                guard string(tail), string(head), attributes(list) else { return nil }
            case .subgraph(let name):
                out.append(UInt8(ascii: "S"))
                guard string(name) else { return nil }
            case .end:
                out.append(UInt8(ascii: "P"))
            }
        }
        return out
    }
}
