import LinkageKit

/// Writes a view as DOT: left to right, boxes per group, colours by kind, SDG colours from the
/// data, a legend, wrapped labels with the full text as tooltip, SDG nodes linking to their
/// UN URI, declared links solid and derived links dashed.
public struct DOTBuilder: Sendable {
    public var style: DiagramStyle
    public var language: Language

    public init(language: Language = .en, style: DiagramStyle = DiagramStyle()) {
        self.language = language
        self.style = style
    }

    public func dot(for view: ViewSpec) -> String {
        switch view.diagram {
        case .network(let network): networkDOT(view, network)
        case .matrix(let matrix): matrixDOT(view, matrix)
        }
    }

    // MARK: Common

    private var words: Words { Words(language: language) }

    private func header(_ view: ViewSpec, rankdir: String) -> [String] {
        var title = "<B>\(DOTText.html(view.title[language]))</B>"
        if let subtitle = view.subtitle {
            let lines = LabelWrapping.wrap(subtitle[language], width: 130)
            title += "<BR/><FONT POINT-SIZE=\"11\">" + lines.map(DOTText.html).joined(separator: "<BR ALIGN=\"LEFT\"/>") + "<BR ALIGN=\"LEFT\"/></FONT>"
        }
        return [
            "digraph \(DOTText.identifier(view.id)) {",
            "  graph [rankdir=\(rankdir), newrank=true, compound=true, splines=true, nodesep=0.18, ranksep=0.9,",
            "         pad=0.3, bgcolor=\"white\", fontname=\(DOTText.identifier(style.fontName)), fontsize=\(style.titleFontSize),",
            "         labelloc=t, labeljust=l, label=<\(title)>, tooltip=\(DOTText.quoted(view.title[language]))];",
            "  node [fontname=\(DOTText.identifier(style.fontName)), fontsize=\(style.nodeFontSize), shape=box, style=\"rounded,filled\", penwidth=1.2, margin=\"0.10,0.05\"];",
            "  edge [fontname=\(DOTText.identifier(style.fontName)), fontsize=\(style.edgeFontSize), arrowsize=0.6, penwidth=1.0];",
        ]
    }

    // MARK: Network

    private func networkDOT(_ view: ViewSpec, _ network: NetworkView) -> String {
        var lines = header(view, rankdir: "LR")
        let nodesByID = Dictionary(network.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var grouped = Set<NodeID>()
        for (index, group) in network.groups.enumerated() {
            let rgb = group.colour.flatMap(RGB.init(hex:))
            let fill = rgb?.tinted(0.90).hex ?? "#FAFAFA"
            let border = rgb?.hex ?? "#BDBDBD"
            lines.append("  subgraph \(DOTText.identifier("cluster_\(index)_\(group.id)")) {")
            lines.append("    graph [label=\(DOTText.quoted(LabelWrapping.wrap(group.label[language], width: 48, maxLines: 2).joined(separator: "\n"))), style=\"rounded,filled\", fillcolor=\(DOTText.identifier(fill)), color=\(DOTText.identifier(border)), penwidth=1.2, fontsize=12, tooltip=\(DOTText.quoted(group.label[language]))];")
            for member in group.members where nodesByID[member] != nil && !grouped.contains(member) {
                lines.append("    " + nodeStatement(nodesByID[member]!))
                grouped.insert(member)
            }
            lines.append("  }")
        }
        for node in network.nodes where !grouped.contains(node.id) {
            lines.append("  " + nodeStatement(node))
        }
        for rank in network.ranks where rank.count > 1 {
            lines.append("  { rank=same; " + rank.map { DOTText.identifier($0.rawValue) }.joined(separator: "; ") + "; }")
        }
        for edge in network.edges {
            lines.append("  " + edgeStatement(edge))
        }
        lines.append(contentsOf: legend(for: network))
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func nodeStatement(_ node: ViewNode) -> String {
        let colours = style.colours(for: node)
        let text = node.label[language]
        let wrapped = LabelWrapping.wrap(text, width: style.wrapWidth, maxLines: style.maxLabelLines)
        var label = ""
        if let code = node.code { label += "<B>\(DOTText.html(code))</B><BR/>" }
        label += wrapped.map(DOTText.html).joined(separator: "<BR/>")
        let tooltip = [node.code, node.tooltip?[language] ?? text].compactMap { $0 }.joined(separator: "\n")
        var attributes = [
            "label=<\(label)>",
            "tooltip=\(DOTText.quoted(tooltip))",
            "fillcolor=\(DOTText.identifier(colours.fill))",
            "color=\(DOTText.identifier(colours.border))",
            "fontcolor=\(DOTText.identifier(colours.text))",
        ]
        if node.role == .scope { attributes.append("style=\"rounded,filled,dashed,bold\"") }
        if node.emphasised { attributes.append("penwidth=3") }
        if let url = node.url {
            attributes.append("URL=\(DOTText.quoted(url))")
            attributes.append("target=\"_blank\"")
        }
        return "\(DOTText.identifier(node.id.rawValue)) [\(attributes.joined(separator: ", "))];"
    }

    private func edgeStatement(_ edge: ViewEdge) -> String {
        let colour = style.edgeColour(edge.relation)
        var attributes = ["color=\(DOTText.identifier(colour))"]
        var tooltip = "\(edge.source) \(edge.relationLabel[language]) \(edge.target)"
        if let detail = edge.tooltip { tooltip += "\n" + detail }
        attributes.append("tooltip=\(DOTText.quoted(tooltip))")
        if !edge.declared { attributes.append("style=dashed") }
        if edge.relation == .mentions { attributes.append("style=dotted") }
        if edge.relation == .partOf { attributes.append("arrowhead=none") }
        if let weight = edge.weight, weight > 1 {
            attributes.append("penwidth=\(formatDecimal(min(1.0 + Double(weight - 1) * 0.8, 8), places: 1))")
        }
        if let label = edge.label {
            attributes.append("label=\(DOTText.quoted(label))")
            attributes.append("fontcolor=\(DOTText.identifier(colour))")
        }
        return "\(DOTText.identifier(edge.source.rawValue)) -> \(DOTText.identifier(edge.target.rawValue)) [\(attributes.joined(separator: ", "))];"
    }

    /// A legend box: one swatch per kind present, and the line styles used.
    private func legend(for network: NetworkView) -> [String] {
        var seen = Set<NodeKind>()
        var rows: [String] = []
        for node in network.nodes.sorted(by: { ($0.role.rawValue, $0.kind) < ($1.role.rawValue, $1.kind) })
        where seen.insert(node.kind).inserted {
            // SDG nodes take their goal's colour: the swatch shows one of them and says so.
            let colours = style.colours(for: node)
            let name = node.kindLabel[language] + (node.colour != nil ? words.officialColours : "")
            let style = node.role == .scope ? " STYLE=\"dashed\"" : ""
            rows.append("<TR><TD BGCOLOR=\"\(colours.fill)\" COLOR=\"\(colours.border)\" BORDER=\"1\" WIDTH=\"22\"\(style)> </TD><TD ALIGN=\"LEFT\">\(DOTText.html(name))</TD></TR>")
        }
        let relations = Dictionary(network.edges.map { ($0.relation, $0.relationLabel) }, uniquingKeysWith: { a, _ in a })
        for relation in relations.keys.sorted() {
            rows.append("<TR><TD><FONT COLOR=\"\(style.edgeColour(relation))\">━━▶</FONT></TD><TD ALIGN=\"LEFT\">\(DOTText.html(relations[relation]![language]))</TD></TR>")
        }
        let provenance = Set(network.edges.map(\.declared))
        if provenance.contains(true) {
            rows.append("<TR><TD>━━━</TD><TD ALIGN=\"LEFT\">\(DOTText.html(words.declared))</TD></TR>")
        }
        if provenance.contains(false) {
            rows.append("<TR><TD>╍╍╍</TD><TD ALIGN=\"LEFT\">\(DOTText.html(words.derived))</TD></TR>")
        }
        guard !rows.isEmpty else { return [] }
        let table = "<TABLE BORDER=\"1\" COLOR=\"#BDBDBD\" CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"3\" BGCOLOR=\"white\">"
            + "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><B>\(DOTText.html(words.legend))</B></TD></TR>" + rows.joined() + "</TABLE>"
        return ["  \"__legend\" [shape=plain, style=\"\", label=<\(table)>, tooltip=\(DOTText.quoted(words.legend))];"]
    }

    // MARK: Matrix

    private func matrixDOT(_ view: ViewSpec, _ matrix: MatrixView) -> String {
        var lines = header(view, rankdir: "TB")
        var html = "<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"5\" COLOR=\"#9E9E9E\">"
        // Header row: the corner says what rows and columns are.
        html += "<TR><TD BGCOLOR=\"#EEEEEE\" ALIGN=\"LEFT\"><B>\(DOTText.html(matrix.rowHeader[language]))</B> ╲ <B>\(DOTText.html(matrix.columnHeader[language]))</B></TD>"
        for column in matrix.columns {
            html += axisCell(column, bold: true)
        }
        html += "</TR>"
        for (r, row) in matrix.rows.enumerated() {
            html += "<TR>" + axisCell(row, bold: false, alignLeft: true)
            for (c, _) in matrix.columns.enumerated() {
                let cell = r < matrix.cells.count && c < matrix.cells[r].count ? matrix.cells[r][c] : MatrixCell("")
                var attributes = ""
                if let colour = cell.colour { attributes += " BGCOLOR=\"\(colour)\"" }
                if let tooltip = cell.tooltip { attributes += " TOOLTIP=\(DOTText.htmlAttribute(tooltip)) HREF=\"#\"" }
                let textColour = cell.colour.flatMap(RGB.init(hex:))?.readableText ?? "#111111"
                let text = cell.text[language].isEmpty ? " " : DOTText.html(cell.text[language])
                html += "<TD\(attributes)><FONT COLOR=\"\(textColour)\">\(text)</FONT></TD>"
            }
            html += "</TR>"
        }
        html += "</TABLE>"
        lines.append("  \"__matrix\" [shape=plain, style=\"\", label=<\(html)>, tooltip=\(DOTText.quoted(view.title[language]))];")
        if !matrix.legend.isEmpty || matrix.footnote != nil {
            var legend = "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"3\" CELLPADDING=\"2\">"
            if !matrix.legend.isEmpty {
                legend += "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><B>\(DOTText.html(words.legend))</B></TD></TR>"
                for entry in matrix.legend {
                    legend += "<TR><TD BGCOLOR=\"\(entry.colour)\" BORDER=\"1\" COLOR=\"#9E9E9E\" WIDTH=\"22\"> </TD><TD ALIGN=\"LEFT\">\(DOTText.html(entry.label[language]))</TD></TR>"
                }
            }
            if let footnote = matrix.footnote {
                let wrapped = LabelWrapping.wrap(footnote[language], width: 110).map(DOTText.html).joined(separator: "<BR ALIGN=\"LEFT\"/>")
                legend += "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><FONT POINT-SIZE=\"10\">\(wrapped)<BR ALIGN=\"LEFT\"/></FONT></TD></TR>"
            }
            legend += "</TABLE>"
            lines.append("  \"__legend\" [shape=plain, style=\"\", label=<\(legend)>, tooltip=\(DOTText.quoted(words.legend))];")
            lines.append("  \"__matrix\" -> \"__legend\" [style=invis];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func axisCell(_ entry: MatrixAxisEntry, bold: Bool, alignLeft: Bool = false) -> String {
        var attributes = alignLeft ? " ALIGN=\"LEFT\"" : ""
        var textColour = "#111111"
        if let colour = entry.colour, let rgb = RGB(hex: colour) {
            attributes += " BGCOLOR=\"\(rgb.hex)\""
            textColour = rgb.readableText
        } else {
            attributes += " BGCOLOR=\"#F5F5F5\""
        }
        if let url = entry.url { attributes += " HREF=\(DOTText.htmlAttribute(url)) TARGET=\"_blank\"" }
        if let tooltip = entry.tooltip { attributes += " TOOLTIP=\(DOTText.htmlAttribute(tooltip))" }
        let lines = LabelWrapping.wrap(entry.label[language], width: alignLeft ? 40 : 14, maxLines: 3).map(DOTText.html)
        var text = lines.joined(separator: "<BR/>")
        if bold { text = "<B>\(text)</B>" }
        return "<TD\(attributes)><FONT COLOR=\"\(textColour)\">\(text)</FONT></TD>"
    }
}

/// The few words the renderer writes itself, in both languages.
struct Words {
    let language: Language
    var legend: String { language == .zh ? "图例" : "Legend" }
    var declared: String { language == .zh ? "文件明确陈述的联系（实线）" : "declared: a document states it (solid)" }
    var derived: String { language == .zh ? "按规则推导的联系（虚线）" : "derived by a named rule (dashed)" }
    var officialColours: String { language == .zh ? "（联合国官方颜色）" : " (official UN colours)" }
}
