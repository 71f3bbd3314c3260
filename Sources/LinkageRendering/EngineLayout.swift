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

    func layout() throws(GraphvizError) -> Figure {
        let columns = ColumnLayout(view: view, language: language, style: style, variant: variant)
        let measure = TextMetrics.shared.measure(font: style.fontName, size: variant.fontSize)
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
        var drawn: [ViewEdge] = []
        for edge in view.edges {
            guard let s = index[edge.source], let t = index[edge.target], s != t else { continue }
            dot.append("  n\(s) -> n\(t)" + (spring || !edge.directed ? " [dir=none]" : "") + ";")
            drawn.append(edge)
        }
        dot.append("}")
        let plain = try Graphviz.shared.render(dot: dot.joined(separator: "\n"), engine: engine.rawValue, format: "plain").data
        var height = 0.0, width = 0.0
        var paths: [[Point]] = []
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
                paths.append(points)
            default:
                continue
            }
        }
        var figure = Figure(name: "content", width: width, height: height, boxes: boxes, fontName: style.fontName)
        for (edge, points) in zip(drawn, paths) where points.count >= 4 {
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
                colour: edge.colour ?? style.edgeColour(edge.relation),
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
    /// Everything scaled by `factor` about the top left corner: positions, sizes, fonts.
    func scaled(_ factor: Double) -> Figure {
        var figure = self
        figure.width *= factor
        figure.height *= factor
        for i in figure.boxes.indices {
            figure.boxes[i].centre = figure.boxes[i].centre * factor
            figure.boxes[i].width *= factor
            figure.boxes[i].height *= factor
            figure.boxes[i].fontSize *= factor
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
