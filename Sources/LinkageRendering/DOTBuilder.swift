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

    /// The graph header. Titles are plain labels, not HTML-like ones: Graphviz 2.42 (Debian 12)
    /// leaks the parsed HTML and the Pango markup of every HTML label on every render, so the
    /// workbench uses none (docs/graphviz-memory.md has the measurements).
    private func header(_ view: ViewSpec, rankdir: String, extra: String = "") -> [String] {
        var titleLines = [view.title[language]]
        if let subtitle = view.subtitle { titleLines += LabelWrapping.wrap(subtitle[language], width: 120) }
        let label = DOTText.quoted(lines: titleLines, align: .left)
        return [
            "digraph \(DOTText.identifier(view.id)) {",
            "  graph [rankdir=\(rankdir), newrank=true, splines=true, nodesep=0.18, ranksep=0.9, pad=0.3, bgcolor=\"white\", forcelabels=true,",
            "         fontname=\(DOTText.identifier(style.fontName)), fontsize=\(style.titleFontSize), labelloc=t, labeljust=l,",
            "         label=\(label), tooltip=\(DOTText.tooltip(view.title[language]))\(extra)];",
            "  node [fontname=\(DOTText.identifier(style.fontName)), fontsize=\(style.nodeFontSize), shape=box, style=\"rounded,filled\", penwidth=1.2, margin=\"0.10,0.05\"];",
            "  edge [fontname=\(DOTText.identifier(style.fontName)), fontsize=\(style.edgeFontSize), arrowsize=0.6, penwidth=1.0];",
        ]
    }

    // MARK: Network

    private func networkDOT(_ view: ViewSpec, _ network: NetworkView) -> String {
        var lines = header(view, rankdir: "LR", extra: network.layout == .spring ? ", overlap=false, sep=\"+6\", splines=true, mode=major" : "")
        let nodesByID = Dictionary(network.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var grouped = Set<NodeID>()
        for (index, group) in network.groups.enumerated() where style.groupsAsClusters {
            let rgb = group.colour.flatMap(RGB.init(hex:))
            let fill = rgb?.tinted(0.90).hex ?? "#FAFAFA"
            let border = rgb?.hex ?? "#BDBDBD"
            lines.append("  subgraph \(DOTText.identifier("cluster_\(index)_\(group.id)")) {")
            lines.append("    graph [label=\(DOTText.quoted(LabelWrapping.wrap(group.label[language], width: 48, maxLines: 2).joined(separator: "\n"))), style=\"rounded,filled\", fillcolor=\(DOTText.identifier(fill)), color=\(DOTText.identifier(border)), penwidth=1.2, fontsize=12, tooltip=\(DOTText.tooltip(group.label[language]))];")
            for member in group.members where nodesByID[member] != nil && !grouped.contains(member) {
                lines.append("    " + nodeStatement(nodesByID[member]!))
                grouped.insert(member)
            }
            lines.append("  }")
        }
        for node in network.nodes where !grouped.contains(node.id) {
            lines.append("  " + nodeStatement(node))
        }
        // A rank is a column kept in the given order (top to bottom): invisible links chain it.
        for rank in network.ranks where rank.count > 1 {
            let ids = rank.map { DOTText.identifier($0.rawValue) }
            lines.append("  { rank=same; " + ids.joined(separator: "; ") + "; }")
            lines.append("  " + ids.joined(separator: " -> ") + " [style=invis];")
        }
        // Inside a box, the box already says what its members are part of.
        var groupOf: [NodeID: String] = [:]
        if style.groupsAsClusters {
            for group in network.groups { for member in group.members where groupOf[member] == nil { groupOf[member] = group.id } }
        }
        for edge in network.edges {
            if edge.relation == .partOf, let group = groupOf[edge.source], group == edge.target.rawValue, groupOf[edge.target] == group {
                continue
            }
            lines.append("  " + edgeStatement(edge, spring: network.layout == .spring))
        }
        // Force-directed layouts ignore rank constraints, so a legend column would scatter; those
        // views explain their encoding in the subtitle instead.
        if network.layout == .flow { lines.append(contentsOf: legend(for: network)) }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func nodeStatement(_ node: ViewNode) -> String {
        let colours = style.colours(for: node)
        let text = node.label[language]
        let wrapped = LabelWrapping.wrap(text, width: style.wrapWidth, maxLines: node.maxLabelLines ?? style.maxLabelLines)
        // A plain label, not an HTML-like one: Graphviz 2.42 leaks the parsed HTML and the
        // Pango markup of every HTML label on every render (see docs/graphviz-memory.md).
        let label = ([node.code].compactMap { $0 } + wrapped).joined(separator: "\n")
        let tooltip = [node.code, node.tooltip?[language] ?? text].compactMap { $0 }.joined(separator: "\n")
        var attributes = [
            "label=\(DOTText.quoted(label))",
            "tooltip=\(DOTText.tooltip(tooltip))",
            "fillcolor=\(DOTText.identifier(colours.fill))",
            "color=\(DOTText.identifier(colours.border))",
            "fontcolor=\(DOTText.identifier(colours.text))",
        ]
        if node.role == .scope { attributes.append("style=\"rounded,filled,dashed,bold\"") }
        if node.emphasised { attributes.append("penwidth=3") }
        if let url = node.url.flatMap(DOTText.linkURL) {
            attributes.append("URL=\(url)")
            attributes.append("target=\"_blank\"")
        }
        return "\(DOTText.identifier(node.id.rawValue)) [\(attributes.joined(separator: ", "))];"
    }

    private func edgeStatement(_ edge: ViewEdge, spring: Bool) -> String {
        let colour = style.edgeColour(edge.relation)
        var attributes = ["color=\(DOTText.identifier(colour))"]
        var tooltip = "\(edge.source) \(edge.relationLabel[language]) \(edge.target)"
        if let detail = edge.tooltip { tooltip += "\n" + detail }
        attributes.append("tooltip=\(DOTText.tooltip(tooltip))")
        if !edge.declared { attributes.append("style=dashed") }
        if edge.relation == .mentions { attributes.append("style=dotted") }
        if edge.relation == .partOf || !edge.directed { attributes.append("arrowhead=none") }
        if let weight = edge.weight, weight > 1 {
            attributes.append("penwidth=\(formatDecimal(min(1.0 + Double(weight - 1) * 0.4, 4), places: 1))")
        }
        if let label = edge.label {
            // In layered layouts an edge label becomes a node of its own and stretches the
            // drawing; an external label is placed after layout instead.
            attributes.append("\(spring ? "label" : "xlabel")=\(DOTText.quoted(label))")
            attributes.append("fontcolor=\(DOTText.identifier(colour))")
        }
        return "\(DOTText.identifier(edge.source.rawValue)) -> \(DOTText.identifier(edge.target.rawValue)) [\(attributes.joined(separator: ", "))];"
    }

    /// A legend box: one sample box per kind present (drawn exactly like that kind), and one
    /// sample line per relation and provenance present.
    private func legend(for network: NetworkView) -> [String] {
        var lines: [String] = []
        var column: [String] = []
        var seen = Set<NodeKind>()
        for node in network.nodes.sorted(by: { ($0.role.rawValue, $0.kind) < ($1.role.rawValue, $1.kind) })
        where seen.insert(node.kind).inserted {
            let colours = style.colours(for: node)
            let name = node.kindLabel[language] + (node.colour != nil && node.kind.rawValue.hasPrefix("sdg-") ? words.officialColours : "")
            let id = "__legend_kind_\(column.count)"
            column.append(id)
            var attributes = [
                "label=\(DOTText.quoted(name))", "fillcolor=\(DOTText.identifier(colours.fill))",
                "color=\(DOTText.identifier(colours.border))", "fontcolor=\(DOTText.identifier(colours.text))",
                "fontsize=9", "height=0.3", "margin=\"0.08,0.02\"", "tooltip=\(DOTText.tooltip(name))",
            ]
            if node.role == .scope { attributes.append("style=\"rounded,filled,dashed,bold\"") }
            lines.append("    \(DOTText.identifier(id)) [\(attributes.joined(separator: ", "))];")
        }
        var samples: [(label: String, colour: String, style: String)] = []
        let relations = Dictionary(network.edges.map { ($0.relation, $0.relationLabel) }, uniquingKeysWith: { a, _ in a })
        for relation in relations.keys.sorted() {
            samples.append((relations[relation]![language], style.edgeColour(relation), relation == .mentions ? "dotted" : "solid"))
        }
        let provenance = Set(network.edges.map(\.declared))
        if provenance.contains(true) { samples.append((words.declared, "#424242", "solid")) }
        if provenance.contains(false) { samples.append((words.derived, "#424242", "dashed")) }
        for (index, sample) in samples.enumerated() {
            let from = "__legend_line_\(index)_from", to = "__legend_line_\(index)_to"
            column.append(from)
            lines.append("    \(DOTText.identifier(from)) [shape=point, width=0.04, color=\(DOTText.identifier(sample.colour))];")
            lines.append("    \(DOTText.identifier(to)) [shape=plaintext, style=\"\", label=\(DOTText.quoted(sample.label)), fontsize=9, height=0.2];")
            lines.append("    \(DOTText.identifier(from)) -> \(DOTText.identifier(to)) [color=\(DOTText.identifier(sample.colour)), style=\(sample.style), minlen=1];")
        }
        guard !column.isEmpty else { return [] }
        if !style.groupsAsClusters {
            // Without clusters, a title box heads the legend column.
            lines.insert("    \"__legend_title\" [shape=plaintext, style=\"\", label=\(DOTText.quoted(words.legend)), fontsize=11];", at: 0)
            column.insert("__legend_title", at: 0)
        }
        var out = style.groupsAsClusters
            ? ["  subgraph \"cluster_legend\" {",
               "    graph [label=\(DOTText.quoted(words.legend)), style=\"rounded\", color=\"#BDBDBD\", fontsize=11, tooltip=\(DOTText.tooltip(words.legend))];"]
            : ["  {"]
        out += lines
        out.append("    { rank=same; " + column.map { DOTText.identifier($0) }.joined(separator: "; ") + "; }")
        out.append("  }")
        return out
    }

    // MARK: Matrix

    /// A grid of boxes at fixed positions (laid out by neato, which keeps pinned positions),
    /// every cell a plain node with its own fill, text colour and tooltip: the text is always
    /// written in the cell, never colour alone.
    private func matrixDOT(_ view: ViewSpec, _ matrix: MatrixView) -> String {
        var lines = header(view, rankdir: "TB", extra: ", splines=false, outputorder=nodesfirst")
        lines.append("  node [shape=box, style=filled, fixedsize=true, penwidth=0.6, color=\"#9E9E9E\", fontsize=10, margin=\"0.04,0.02\"];")
        let cellHeight = 0.42, headerHeight = 0.62
        let rowLabels = matrix.rows.map { LabelWrapping.wrap($0.label[language], width: 44, maxLines: 2) }
        let corner = "\(matrix.rowHeader[language]) ╲ \(matrix.columnHeader[language])"
        let rowHeaderWidth = max(2.2, Double(max(rowLabels.map { $0.map(LabelWrapping.displayWidth).max() ?? 0 }.max() ?? 0,
                                                 LabelWrapping.displayWidth(corner))) * 0.075 + 0.3)
        let columnLabels = matrix.columns.map { LabelWrapping.wrap($0.label[language], width: 12, maxLines: 3) }
        let cellTexts = matrix.cells.flatMap { $0.map { LabelWrapping.displayWidth($0.text[language]) } }
        let columnWidth = max(0.75, Double(max(columnLabels.flatMap { $0.map(LabelWrapping.displayWidth) }.max() ?? 0,
                                               cellTexts.max() ?? 0)) * 0.075 + 0.25)
        func position(_ x: Double, _ y: Double) -> String { "pos=\"\(formatDecimal(x, places: 3)),\(formatDecimal(y, places: 3))!\"" }
        let firstColumnX = rowHeaderWidth / 2 + columnWidth / 2
        lines.append("  \"__corner\" [\(position(0, 0)), width=\(formatDecimal(rowHeaderWidth, places: 3)), height=\(headerHeight), fillcolor=\"#E0E0E0\", label=\(DOTText.quoted(corner)), tooltip=\(DOTText.tooltip(corner))];")
        for (c, column) in matrix.columns.enumerated() {
            let rgb = column.colour.flatMap(RGB.init(hex:))
            var attributes = [position(firstColumnX + Double(c) * columnWidth, 0), "width=\(formatDecimal(columnWidth, places: 3))",
                              "height=\(headerHeight)", "label=\(DOTText.quoted(columnLabels[c].joined(separator: "\n")))",
                              "fillcolor=\(DOTText.identifier(rgb?.hex ?? "#F5F5F5"))", "fontcolor=\(DOTText.identifier(rgb?.readableText ?? "#111111"))",
                              "tooltip=\(DOTText.tooltip(column.tooltip ?? column.label[language]))"]
            if let url = column.url.flatMap(DOTText.linkURL) { attributes += ["URL=\(url)", "target=\"_blank\""] }
            lines.append("  \(DOTText.identifier("__col_\(c)")) [\(attributes.joined(separator: ", "))];")
        }
        for (r, row) in matrix.rows.enumerated() {
            let y = -(headerHeight / 2 + cellHeight / 2 + Double(r) * cellHeight)
            let rgb = row.colour.flatMap(RGB.init(hex:))
            var attributes = [position(0, y), "width=\(formatDecimal(rowHeaderWidth, places: 3))", "height=\(cellHeight)",
                              "label=\(DOTText.quoted(lines: rowLabels[r], align: .left))",
                              "fillcolor=\(DOTText.identifier(rgb?.hex ?? "#F5F5F5"))", "fontcolor=\(DOTText.identifier(rgb?.readableText ?? "#111111"))",
                              "tooltip=\(DOTText.tooltip(row.tooltip ?? row.label[language]))"]
            if let url = row.url.flatMap(DOTText.linkURL) { attributes += ["URL=\(url)", "target=\"_blank\""] }
            lines.append("  \(DOTText.identifier("__row_\(r)")) [\(attributes.joined(separator: ", "))];")
            for c in matrix.columns.indices {
                let cell = r < matrix.cells.count && c < matrix.cells[r].count ? matrix.cells[r][c] : MatrixCell("")
                let fill = cell.colour.flatMap(RGB.init(hex:))
                let text = cell.text[language]
                lines.append("  \(DOTText.identifier("__cell_\(r)_\(c)")) [\(position(firstColumnX + Double(c) * columnWidth, y)), width=\(formatDecimal(columnWidth, places: 3)), height=\(cellHeight), label=\(DOTText.quoted(text)), fillcolor=\(DOTText.identifier(fill?.hex ?? "#FFFFFF")), fontcolor=\(DOTText.identifier(fill?.readableText ?? "#111111")), tooltip=\(DOTText.tooltip(cell.tooltip ?? text))];")
            }
        }
        // Legend and footnote below the grid.
        var y = -(headerHeight / 2 + Double(matrix.rows.count) * cellHeight + 0.45)
        if !matrix.legend.isEmpty {
            lines.append("  \"__legend_title\" [\(position(0, y)), width=\(formatDecimal(rowHeaderWidth, places: 3)), height=0.3, shape=plaintext, style=\"\", label=\(DOTText.quoted(lines: [words.legend], align: .left))];")
            for (i, entry) in matrix.legend.enumerated() {
                y -= 0.34
                let rgb = RGB(hex: entry.colour)
                lines.append("  \(DOTText.identifier("__legend_\(i)_swatch")) [\(position(-rowHeaderWidth / 2 + 0.2, y)), width=0.32, height=0.24, label=\"\", fillcolor=\(DOTText.identifier(rgb?.hex ?? entry.colour))];")
                lines.append("  \(DOTText.identifier("__legend_\(i)")) [\(position(-rowHeaderWidth / 2 + 0.45 + 2.0, y)), width=4.0, height=0.3, shape=plaintext, style=\"\", label=\(DOTText.quoted(lines: [entry.label[language]], align: .left))];")
            }
        }
        if let footnote = matrix.footnote {
            let wrapped = LabelWrapping.wrap(footnote[language], width: 120)
            y -= 0.3 + Double(wrapped.count) * 0.1
            let width = max(rowHeaderWidth + Double(matrix.columns.count) * columnWidth, 6)
            lines.append("  \"__footnote\" [\(position(-rowHeaderWidth / 2 + width / 2, y)), width=\(formatDecimal(width, places: 3)), height=\(formatDecimal(Double(wrapped.count) * 0.2 + 0.1, places: 3)), shape=plaintext, style=\"\", fontsize=9, label=\(DOTText.quoted(lines: wrapped, align: .left))];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The engine a view needs: matrices are pinned grids, which only neato keeps in place;
    /// spring layouts (co-citation networks) are force-directed.
    public func engine(for view: ViewSpec, requested: LayoutEngine) -> LayoutEngine {
        switch view.diagram {
        case .matrix: return .neato
        case .network(let network): return network.layout == .spring && requested == .dot ? .neato : requested
        }
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
