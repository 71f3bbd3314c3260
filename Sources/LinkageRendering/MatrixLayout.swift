import LinkageKit

/// Lays a matrix (heat map, risk grid) out as a grid of boxes at computed positions: linear in
/// the number of cells, no solver. Column headers wrap (long words hyphenated), row labels wrap
/// and are never cut (a row is as tall as its label), and a grid taller than its page is split
/// into parts, between row blocks (objectives) where it can be.
struct MatrixLayout {
    let matrix: MatrixView
    let language: Language
    let style: DiagramStyle
    var cache: PreparedTextCache? = nil
    /// What `plan` works out, kept per font size and width for the next plan of this grid.
    private let memo = Memo()

    var metrics: TextMetrics { .shared }

    /// The page search (`DiagramRenderer.layoutMatrix`) asks for up to 64 plans of one grid (two
    /// pages, eight sizes, four row-header widths), and most of them share their font size and
    /// column width: `all` made 1,000 plans, each wrapping every cell again (issue 9).
    private final class Memo {
        struct Key: Hashable {
            var size: Double
            var width: Double
        }
        /// The least column width, per font size.
        var least: [Double: Double] = [:]
        /// Per font size and inner column width: every cell's lines, and each row's most.
        var cells: [Key: (lines: [[[String]]], most: [Int])] = [:]
        /// Per header font size and inner column width.
        var headers: [Key: [[String]]] = [:]
        /// Per font size and row-header width: the row labels' lines and the corner's.
        var rows: [Key: (rows: [[String]], corner: [String])] = [:]
        var naturalRowHeaderWidth: [Double: Double] = [:]

        /// The value kept under `key` in `table`, made by `make` the first time.
        func value<Key: Hashable, Value>(_ table: ReferenceWritableKeyPath<Memo, [Key: Value]>, _ key: Key, _ make: () -> Value) -> Value {
            if let known = self[keyPath: table][key] { return known }
            let made = make()
            self[keyPath: table][key] = made
            return made
        }
    }

    static func texts(of matrix: MatrixView, language: Language) -> [String] {
        matrix.rows.map { $0.label[language] } + matrix.columns.map { $0.label[language] }
            + matrix.cells.flatMap { $0.map { $0.text[language] } }
            + [matrix.rowHeader[language] + " ╲ " + matrix.columnHeader[language]]
            + matrix.rows.compactMap { $0.group?[language] }
    }

    /// Small grids (a 3×3 risk matrix) are drawn large; wide ones come down to 7 pt.
    static let fontSizes: [Double] = [12, 11, 10, 9, 8.5, 8, 7.5, 7]
    static let screenFontSize = 10.0

    /// The grid's geometry at one font size and row-header width.
    struct Plan {
        var fontSize: Double
        var rowHeaderWidth: Double
        var columnWidth: Double
        var headerLines: [[String]]
        /// Column headers are a point smaller than the cells (never under 7 pt): long goal names
        /// in narrow columns then break less often.
        var headerFontSize: Double
        var headerHeight: Double
        var rowLines: [[String]]
        var rowHeights: [Double]
        var cellLines: [[[String]]]
        var cornerLines: [String]
        /// Blocks of rows (objectives): the label, the first row and the band height.
        var blocks: [(label: String, firstRow: Int)]
        var bandHeight: Double

        var width: Double { rowHeaderWidth + columnWidth * Double(headerLines.count) }
    }

    private func pad(_ size: Double) -> Double { (size * 0.45).rounded() }

    /// The geometry at `fontSize`, with the row header as wide as `rowHeaderWidth` allows and
    /// the columns filling `availableWidth` (when given) up to a comfortable width.
    func plan(fontSize: Double, rowHeaderWidth requested: Double, availableWidth: Double?) -> Plan {
        let measure = metrics.measure(font: style.fontName, size: fontSize, cache: cache)
        let p = pad(fontSize)
        let lineHeight = TextMetrics.lineHeight(fontSize)
        let columnCount = max(matrix.columns.count, 1)

        let least = leastColumnWidth(fontSize: fontSize, measure: measure)
        let comfortable = max(least, fontSize * 9)
        let rowHeaderWidth = max(requested, fontSize * 9)
        var columnWidth = comfortable
        if let availableWidth {
            columnWidth = max(least, min(comfortable, (availableWidth - rowHeaderWidth) / Double(columnCount)))
        }
        let inner = columnWidth - 2 * p
        let headerFontSize = max(PageSize.minimumFontSize, fontSize - 1)
        let headerLines = memo.value(\.headers, Memo.Key(size: headerFontSize, width: inner)) {
            let headerMeasure = metrics.measure(font: style.fontName, size: headerFontSize, cache: cache)
            return matrix.columns.map { headerMeasure.wrap($0.label[language], width: inner, hyphenate: true) }
        }
        let (rowLines, cornerLines) = memo.value(\.rows, Memo.Key(size: fontSize, width: rowHeaderWidth)) {
            let corner = matrix.rowHeader[language] + " ╲ " + matrix.columnHeader[language]
            return (rows: matrix.rows.map { measure.wrap($0.label[language], width: rowHeaderWidth - 2 * p) },
                    corner: measure.wrap(corner, width: rowHeaderWidth - 2 * p))
        }
        let headerHeight = max(Double(headerLines.map(\.count).max() ?? 1) * TextMetrics.lineHeight(headerFontSize),
                               Double(cornerLines.count) * lineHeight) + 2 * p
        let (cellLines, cellMost) = memo.value(\.cells, Memo.Key(size: fontSize, width: inner)) {
            var cellLines: [[[String]]] = []
            cellLines.reserveCapacity(matrix.rows.count)
            var most: [Int] = []
            most.reserveCapacity(matrix.rows.count)
            for r in matrix.rows.indices {
                var lines: [[String]] = []
                var rowMost = 0
                for c in matrix.columns.indices {
                    let text = r < matrix.cells.count && c < matrix.cells[r].count ? matrix.cells[r][c].text[language] : ""
                    let wrapped = text.isEmpty ? [] : measure.wrap(text, width: inner)
                    rowMost = max(rowMost, wrapped.count)
                    lines.append(wrapped)
                }
                cellLines.append(lines)
                most.append(rowMost)
            }
            return (lines: cellLines, most: most)
        }
        var rowHeights: [Double] = []
        rowHeights.reserveCapacity(matrix.rows.count)
        for r in matrix.rows.indices {
            let most = max(rowLines[r].count, cellMost[r])
            // A short grid's cells are nearer square, so that it reads as a grid, not a list.
            let least = matrix.rows.count <= 10 ? max(fontSize * 2.2, columnWidth * 0.5) : fontSize * 2.2
            rowHeights.append(max(Double(most) * lineHeight + 2 * p, least))
        }
        var blocks: [(label: String, firstRow: Int)] = []
        for (r, row) in matrix.rows.enumerated() {
            guard let group = row.group?[language] else { continue }
            if blocks.last?.label != group { blocks.append((group, r)) }
        }
        return Plan(fontSize: fontSize, rowHeaderWidth: rowHeaderWidth, columnWidth: columnWidth, headerLines: headerLines,
                    headerFontSize: headerFontSize, headerHeight: headerHeight, rowLines: rowLines, rowHeights: rowHeights, cellLines: cellLines,
                    cornerLines: cornerLines, blocks: blocks, bandHeight: blocks.isEmpty ? 0 : lineHeight + 2 * p)
    }

    /// The least column width: every cell's longest word, "SDG 17", and room for a few letters
    /// of a header word.
    private func leastColumnWidth(fontSize: Double, measure: TextMeasure) -> Double {
        memo.value(\.least, fontSize) {
            let p = pad(fontSize)
            var least = max(fontSize * 3.6, measure.width("SDG 17") + 2 * p)
            for row in matrix.cells {
                for cell in row {
                    for word in cell.text[language].split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                        least = max(least, measure.width(String(word)) + 2 * p)
                    }
                }
            }
            return least
        }
    }

    /// The widest row label, at one line.
    func naturalRowHeaderWidth(fontSize: Double) -> Double {
        memo.value(\.naturalRowHeaderWidth, fontSize) {
            let measure = metrics.measure(font: style.fontName, size: fontSize, cache: cache)
            let widest = matrix.rows.map { row in measure.width(row.label[language].split(separator: "\n").map(String.init)) }.max() ?? 0
            return widest + 2 * pad(fontSize)
        }
    }

    /// Rows split into parts no taller than `maxHeight` (nil: one part), whole blocks together
    /// where they fit.
    func parts(_ plan: Plan, maxHeight: Double?) -> [Range<Int>] {
        let count = matrix.rows.count
        guard let maxHeight, count > 0 else { return [0..<count] }
        let blockStarts = Set(plan.blocks.map(\.firstRow))
        var parts: [Range<Int>] = []
        var start = 0
        var used = plan.headerHeight
        var lastBlockStart: Int?
        var r = 0
        while r < count {
            let band = blockStarts.contains(r) ? plan.bandHeight : 0
            if blockStarts.contains(r) && r > start { lastBlockStart = r }
            let needed = band + plan.rowHeights[r]
            if used + needed > maxHeight && r > start {
                // Close the part at the last block boundary when it keeps at least half a page.
                var end = r
                if let boundary = lastBlockStart, boundary > start,
                   (start..<boundary).reduce(0, { $0 + plan.rowHeights[$1] }) > (maxHeight - plan.headerHeight) / 2 {
                    end = boundary
                }
                parts.append(start..<end)
                start = end
                r = end
                used = plan.headerHeight
                lastBlockStart = nil
                continue
            }
            used += needed
            r += 1
        }
        parts.append(start..<count)
        return parts
    }

    func height(_ plan: Plan, rows: Range<Int>) -> Double {
        let blockStarts = Set(plan.blocks.map(\.firstRow))
        var height = plan.headerHeight
        for r in rows {
            if blockStarts.contains(r) || (r == rows.lowerBound && !plan.blocks.isEmpty) { height += plan.bandHeight }
            height += plan.rowHeights[r]
        }
        return height
    }

    /// The grid of `rows`, its top left corner at (0, 0).
    func figure(_ plan: Plan, rows: Range<Int>) -> Figure {
        let f = plan.fontSize
        let p = pad(f)
        var figure = Figure(name: "grid", width: plan.width, height: height(plan, rows: rows), fontName: style.fontName)
        figure.boxes.reserveCapacity((rows.count + 1) * (matrix.columns.count + 1))
        let border = "#9E9E9E"
        figure.boxes.append(FigureBox(
            id: "__corner", centre: Point(x: plan.rowHeaderWidth / 2, y: plan.headerHeight / 2), width: plan.rowHeaderWidth,
            height: plan.headerHeight, lines: plan.cornerLines, alignment: .left, fontSize: f, fill: "#E0E0E0", border: border,
            style: "filled", penwidth: 0.6, inset: p))
        for (c, column) in matrix.columns.enumerated() {
            let rgb = column.colour.flatMap(RGB.init(hex:))
            figure.boxes.append(FigureBox(
                id: "__col_\(c)", centre: Point(x: plan.rowHeaderWidth + (Double(c) + 0.5) * plan.columnWidth, y: plan.headerHeight / 2),
                width: plan.columnWidth, height: plan.headerHeight, lines: plan.headerLines[c], fontSize: plan.headerFontSize,
                fontColour: rgb?.readableText ?? "#111111", fill: rgb?.hex ?? "#F5F5F5", border: border, style: "filled", penwidth: 0.6,
                tooltip: Tooltip.cap(column.tooltip ?? column.label[language]), url: column.url))
        }
        let blockStarts = Dictionary(plan.blocks.map { ($0.firstRow, $0.label) }, uniquingKeysWith: { a, _ in a })
        let blockOfRow: (Int) -> String? = { r in plan.blocks.last { $0.firstRow <= r }?.label }
        var y = plan.headerHeight
        for r in rows {
            if let label = blockStarts[r] ?? (r == rows.lowerBound ? blockOfRow(r) : nil) {
                let measure = metrics.measure(font: style.fontName, size: f, cache: cache)
                let line = measure.wrap(label, width: plan.width - 2 * p, maxLines: 1)
                figure.boxes.append(FigureBox(
                    id: "__band_\(r)", centre: Point(x: plan.width / 2, y: y + plan.bandHeight / 2), width: plan.width,
                    height: plan.bandHeight, lines: line, alignment: .left, fontSize: f, fill: "#EEEEEE", border: border,
                    style: "filled", penwidth: 0.6, tooltip: Tooltip.cap(label), inset: p))
                y += plan.bandHeight
            }
            let h = plan.rowHeights[r]
            let row = matrix.rows[r]
            let rgb = row.colour.flatMap(RGB.init(hex:))
            figure.boxes.append(FigureBox(
                id: "__row_\(r)", centre: Point(x: plan.rowHeaderWidth / 2, y: y + h / 2), width: plan.rowHeaderWidth, height: h,
                lines: plan.rowLines[r], alignment: .left, fontSize: f, fontColour: rgb?.readableText ?? "#111111",
                fill: rgb?.hex ?? "#F5F5F5", border: border, style: "filled", penwidth: 0.6,
                tooltip: Tooltip.cap(row.tooltip ?? row.label[language]), url: row.url, inset: p))
            // The row's frame draws the borders of its empty cells; only cells with text or a
            // colour are boxes of their own, so a sparse grid costs Graphviz few objects.
            let cellsWidth = plan.columnWidth * Double(matrix.columns.count)
            figure.boxes.append(FigureBox(
                id: "__frame_\(r)", centre: Point(x: plan.rowHeaderWidth + cellsWidth / 2, y: y + h / 2), width: cellsWidth, height: h,
                lines: [], fontSize: f, border: border, style: "", penwidth: 0.6, tooltip: ""))
            for c in matrix.columns.indices {
                let cell = r < matrix.cells.count && c < matrix.cells[r].count ? matrix.cells[r][c] : MatrixCell("")
                let fill = cell.colour.flatMap(RGB.init(hex:))
                let text = cell.text[language]
                guard !text.isEmpty || fill != nil || cell.tooltip != nil else { continue }
                figure.boxes.append(FigureBox(
                    id: "__cell_\(r)_\(c)", centre: Point(x: plan.rowHeaderWidth + (Double(c) + 0.5) * plan.columnWidth, y: y + h / 2),
                    width: plan.columnWidth, height: h, lines: plan.cellLines[r][c], fontSize: f,
                    fontColour: fill?.readableText ?? "#111111", fill: fill?.hex ?? "#FFFFFF", border: border, style: "filled",
                    penwidth: 0.6, tooltip: text.isEmpty && cell.tooltip == nil ? "" : Tooltip.cap(cell.tooltip ?? text)))
            }
            y += h
        }
        // Column rules from the headers down, drawn under the boxes.
        if rows.count > 0 {
            for c in 1..<max(matrix.columns.count, 1) {
                let x = plan.rowHeaderWidth + Double(c) * plan.columnWidth
                let top = Point(x: x, y: plan.headerHeight), bottom = Point(x: x, y: y)
                for (name, point) in [("a", top), ("b", bottom)] {
                    figure.boxes.append(FigureBox(id: "__rule_\(c)_\(name)", centre: point, width: 0, height: 0, lines: [], fontSize: f,
                                                  style: "invis", shape: "point"))
                }
                figure.lines.append(FigureLine(tail: "__rule_\(c)_a", head: "__rule_\(c)_b",
                                               points: [top, top + (bottom - top) * (1.0 / 3), top + (bottom - top) * (2.0 / 3), bottom],
                                               colour: border, penwidth: 0.6, tooltip: ""))
            }
        }
        return figure
    }
}
