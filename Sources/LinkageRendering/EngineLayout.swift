import Foundation
import LinkageKit

/// Lays a network out with a Graphviz engine (neato for force-directed views such as
/// co-citation, or the engine a user asks for) and reads the positions back, so that the
/// figure is then composed on its page like every other: boxes sized by `ColumnLayout`'s
/// rules, lines as the engine routed them.
struct EngineLayout {
    let view: NetworkView
    let language: Language
    let style: DiagramStyle
    let variant: NetworkVariant
    let engine: LayoutEngine
    var cache: PreparedTextCache? = nil

    func layout() throws(GraphvizError) -> Figure {
        let columns = ColumnLayout(view: view, language: language, style: style, variant: variant, cache: cache)
        let measure = TextMetrics.shared.measure(font: style.fontName, size: variant.fontSize, cache: cache)
        let padX = (variant.fontSize * 0.6).rounded(), padY = (variant.fontSize * 0.35).rounded()
        let lineHeight = TextMetrics.lineHeight(variant.fontSize)
        var boxes: [FigureBox] = []
        var index: [NodeID: Int] = [:]
        var dot = ["digraph engine {"]
        let spring = view.layout == .spring
        dot.append(spring ? "  graph [overlap=false, sep=\"+8\", splines=true, mode=major];"
                          : "  graph [rankdir=LR, nodesep=0.15, ranksep=0.8, splines=true];")
        dot.append("  node [shape=box, fixedsize=true, label=\"\"];")
        dot.append("  edge [arrowsize=0.6];")
        for node in view.nodes where index[node.id] == nil {
            let lines = columns.lines(of: node)
            let width = measure.width(lines) + 2 * padX
            let height = Double(lines.count) * lineHeight + 2 * padY
            let colours = style.colours(for: node)
            index[node.id] = boxes.count
            dot.append("  n\(boxes.count) [width=\(formatDecimal(width / 72, places: 4)), height=\(formatDecimal(height / 72, places: 4))];")
            boxes.append(FigureBox(
                id: node.id.rawValue, centre: Point(x: 0, y: 0), width: width, height: height, lines: lines, fontSize: variant.fontSize,
                fontColour: colours.text, fill: colours.fill, border: colours.border,
                style: node.role == .scope ? "rounded,filled,dashed" : "rounded,filled", penwidth: node.emphasised ? 2.6 : 1.1,
                tooltip: Tooltip.cap(([node.code].compactMap { $0 } + [node.tooltip?[language] ?? node.label[language]]).joined(separator: "\n")),
                url: node.url))
        }
        var drawn: [(edge: ViewEdge, key: String)] = []
        for edge in view.edges {
            guard let s = index[edge.source], let t = index[edge.target], s != t else { continue }
            dot.append("  n\(s) -> n\(t)" + (spring || !edge.directed ? " [dir=none]" : "") + ";")
            drawn.append((edge, "n\(s)>n\(t)"))
        }
        dot.append("}")
        let plain = try Graphviz.shared.render(dot: dot.joined(separator: "\n"), engine: engine.rawValue, format: "plain").data
        var height = 0.0, width = 0.0
        // Graphviz lists edges node by node, not in the order given: matched by their ends.
        var paths: [String: [[Point]]] = [:]
        for line in String(decoding: plain, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let kind = fields.first else { continue }
            switch kind {
            case "graph" where fields.count >= 4:
                width = (Double(fields[2]) ?? 0) * 72
                height = (Double(fields[3]) ?? 0) * 72
            case "node" where fields.count >= 4:
                guard let n = Int(fields[1].dropFirst()), boxes.indices.contains(n), let x = Double(fields[2]), let y = Double(fields[3]) else { continue }
                boxes[n].centre = Point(x: x * 72, y: height - y * 72)
            case "edge" where fields.count >= 4:
                guard let count = Int(fields[3]), fields.count >= 4 + 2 * count else { continue }
                var points: [Point] = []
                for k in 0..<count {
                    let x = Double(fields[4 + 2 * k]) ?? 0, y = Double(fields[5 + 2 * k]) ?? 0
                    points.append(Point(x: x * 72, y: height - y * 72))
                }
                paths[fields[1] + ">" + fields[2], default: []].append(points)
            default:
                continue
            }
        }
        var figure = Figure(name: "content", width: width, height: height, boxes: boxes, fontName: style.fontName)
        for (edge, key) in drawn {
            guard var list = paths[key], !list.isEmpty else { continue }
            let points = list.removeFirst()
            paths[key] = list
            guard points.count >= 4 else { continue }
            let directed = !spring && edge.directed && edge.relation != .partOf
            var tip: Point?
            if directed, let last = points.last {
                let before = points[points.count - 2]
                let direction = last - before
                if direction.length > 0.01 { tip = last + direction * (6 / direction.length) }
            }
            var tooltip = "\(edge.source) \(edge.relationLabel[language]) \(edge.target)"
            if let detail = edge.tooltip { tooltip += "\n" + detail }
            var line = FigureLine(
                tail: edge.source.rawValue, head: edge.target.rawValue, points: points, arrowTip: tip,
                colour: RGB.fromData(edge.colour) ?? style.edgeColour(edge.relation),
                style: edge.relation == .mentions ? "dotted" : (edge.declared ? "solid" : "dashed"),
                penwidth: edge.weight.map { $0 > 1 ? min(1.0 + Double($0 - 1) * 0.4, 4) : 1 } ?? 1, tooltip: Tooltip.cap(tooltip))
            if let label = edge.label {
                line.label = label
                line.labelAt = points[points.count / 2] + Point(x: 0, y: -4)
                line.labelSize = max(variant.fontSize - 1, PageSize.minimumFontSize)
            }
            figure.lines.append(line)
        }
        return figure
    }
}

extension Figure {
    /// Box centres moved `factor` times as far apart, boxes and text as they were; lines redrawn
    /// straight between the boxes' borders.
    func spread(by factor: Double) -> Figure {
        var figure = self
        for i in figure.boxes.indices { figure.boxes[i].centre = figure.boxes[i].centre * factor }
        let left = figure.boxes.map(\.left).min() ?? 0, top = figure.boxes.map(\.top).min() ?? 0
        for i in figure.boxes.indices { figure.boxes[i].centre = figure.boxes[i].centre - Point(x: left, y: top) }
        figure.width = figure.boxes.map(\.right).max() ?? 0
        figure.height = figure.boxes.map(\.bottom).max() ?? 0
        let boxes = Dictionary(figure.boxes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        /// Where the line from the centre of `box` towards `other` leaves the box.
        func border(_ box: FigureBox, towards other: Point) -> Point {
            let d = other - box.centre
            guard d.length > 0.01 else { return box.centre }
            let t = min(abs(d.x) > 0.001 ? (box.width / 2) / abs(d.x) : .infinity, abs(d.y) > 0.001 ? (box.height / 2) / abs(d.y) : .infinity)
            return box.centre + d * min(t, 1)
        }
        for i in figure.lines.indices {
            guard let tail = boxes[figure.lines[i].tail], let head = boxes[figure.lines[i].head] else { continue }
            let a = border(tail, towards: head.centre)
            var b = border(head, towards: tail.centre)
            if figure.lines[i].arrowTip != nil {
                figure.lines[i].arrowTip = b
                let d = b - a
                if d.length > 6 { b = b - d * (6 / d.length) }
            }
            figure.lines[i].points = [a, a + (b - a) * (1.0 / 3), a + (b - a) * (2.0 / 3), b]
            if figure.lines[i].label != nil { figure.lines[i].labelAt = a + (b - a) * 0.5 + Point(x: 0, y: -4) }
        }
        return figure
    }

    /// Everything scaled by `factor` about the top left corner: positions, sizes, fonts.
    func scaled(_ factor: Double) -> Figure {
        var figure = self
        figure.width *= factor
        figure.height *= factor
        figure.drawnHeight = figure.drawnHeight.map { $0 * factor }
        for i in figure.boxes.indices {
            figure.boxes[i].centre = figure.boxes[i].centre * factor
            figure.boxes[i].width *= factor
            figure.boxes[i].height *= factor
            // A hair smaller than the box: Graphviz measures the text again at the new size.
            figure.boxes[i].fontSize *= factor * 0.96
        }
        for i in figure.clusters.indices {
            figure.clusters[i].left *= factor; figure.clusters[i].right *= factor
            figure.clusters[i].top *= factor; figure.clusters[i].bottom *= factor
            figure.clusters[i].fontSize *= factor
        }
        for i in figure.lines.indices {
            figure.lines[i].points = figure.lines[i].points.map { $0 * factor }
            figure.lines[i].arrowTip = figure.lines[i].arrowTip.map { $0 * factor }
            figure.lines[i].labelAt = figure.lines[i].labelAt.map { $0 * factor }
            figure.lines[i].labelSize *= factor
        }
        return figure
    }
}
