import LinkageKit

/// The font size and spacing of one attempt at laying a network out. The page composer tries
/// these from the largest font to the smallest and keeps the first that fits the page.
struct NetworkVariant: Hashable {
    var fontSize: Double
    /// Space between boxes in a column, in points.
    var rowGap: Double
    /// The least space between two columns, in points (more where many lines cross it).
    var columnGap: Double
    /// The widest a label may wrap to, in points.
    var maxWrap: Double

    static let ladder: [NetworkVariant] = [
        NetworkVariant(fontSize: 10, rowGap: 8, columnGap: 60, maxWrap: 210),
        NetworkVariant(fontSize: 9, rowGap: 6, columnGap: 55, maxWrap: 220),
        NetworkVariant(fontSize: 8, rowGap: 5, columnGap: 50, maxWrap: 240),
        NetworkVariant(fontSize: 7.5, rowGap: 3, columnGap: 45, maxWrap: 260),
        NetworkVariant(fontSize: 7, rowGap: 2, columnGap: 40, maxWrap: 280),
    ]
}

/// How much of a label a column shows: each column takes the most generous rung its height
/// allows (the goals column may keep its target lists while a long element column is cut to
/// one line; the tooltip always has the full text).
struct TextRung: Hashable {
    var maxLines: Int
    var showDetails: Bool
    /// The code on the first line of the label (`BAAP-OUT-2.1 Telecommunication…`) rather than
    /// on a line of its own.
    var codeInline: Bool

    static let ladder: [TextRung] = [
        TextRung(maxLines: 4, showDetails: true, codeInline: false),
        TextRung(maxLines: 3, showDetails: true, codeInline: false),
        TextRung(maxLines: 3, showDetails: true, codeInline: true),
        TextRung(maxLines: 2, showDetails: true, codeInline: true),
        TextRung(maxLines: 1, showDetails: true, codeInline: true),
        TextRung(maxLines: 1, showDetails: false, codeInline: true),
    ]
}

/// Lays a flow network out in columns, left to right, every box in document order: the order
/// of the view's nodes and groups, top to bottom. Positions are computed here, not by a
/// Graphviz solver, so the order is exact, the layout is linear in the size of the view, and
/// its size is known before Graphviz draws it (which is what fitting a page needs).
///
/// Columns: the view's ranks, else one column per step along the links (a `part-of` parent left
/// of its parts). Groups are boxes holding their members. Lines are straight between adjacent
/// columns and leave and enter boxes at points spread along their sides in the order of the
/// other ends, so that lines do not start on top of each other and can be followed one by one.
struct ColumnLayout {
    let view: NetworkView
    let language: Language
    let style: DiagramStyle
    let variant: NetworkVariant
    /// Texts measured once for all the attempts of one figure.
    var cache: PreparedTextCache? = nil

    var metrics: TextMetrics { .shared }

    /// Every text this layout may draw, for `TextMetrics.prepare`.
    static func texts(of view: NetworkView, language: Language) -> [String] {
        view.nodes.flatMap { [$0.label[language], $0.code ?? "", $0.details?[language] ?? ""] }
            + view.groups.map { $0.label[language] } + view.edges.compactMap(\.label)
    }

    private var padX: Double { (variant.fontSize * 0.6).rounded() }
    private var padY: Double { (variant.fontSize * 0.3).rounded() }
    private var groupPad: Double { 6 }
    private var lineHeight: Double { TextMetrics.lineHeight(variant.fontSize) }

    /// `measure`: the variant's, when the caller has it (asking `metrics` for it on every label
    /// took locks and hashed the font's name each time).
    func lines(of node: ViewNode, rung: TextRung = TextRung.ladder[1], wrap: Double? = nil, measure: TextMeasure? = nil) -> [String] {
        labelLines(of: node, rung: rung, wrap: wrap, measure: measure).lines
    }

    /// The box's lines, and whether its label was cut short ("…") to keep to the rung's lines.
    private func labelLines(of node: ViewNode, rung: TextRung, wrap: Double?, measure: TextMeasure?) -> (lines: [String], cut: Bool) {
        let measure = measure ?? metrics.measure(font: style.fontName, size: variant.fontSize, cache: cache)
        let width = wrap ?? variant.maxWrap
        let label = node.label[language]
        let maxLines = min(rung.maxLines, node.maxLabelLines ?? .max)
        var lines: [String]
        var cut = false
        func wrapped(_ text: String, maxLines: Int) -> [String] {
            let wrapped = measure.wrapNotingCut(text, width: width, maxLines: maxLines)
            cut = cut || wrapped.cut
            return wrapped.lines
        }
        if let code = node.code, !code.isEmpty {
            if rung.codeInline {
                lines = wrapped(label.isEmpty ? code : code + " " + label, maxLines: maxLines)
            } else {
                lines = wrapped(code, maxLines: 1)
                if !label.isEmpty { lines += wrapped(label, maxLines: maxLines) }
            }
        } else {
            lines = wrapped(label, maxLines: maxLines)
        }
        if rung.showDetails, let details = node.details?[language], !details.isEmpty {
            lines += measure.wrapBalanced(details, width: width)
        }
        return (lines, cut)
    }

    private func textWidth(_ lines: [String]) -> Double { metrics.measure(font: style.fontName, size: variant.fontSize, cache: cache).width(lines) }

    /// A column's content: a group (its box and members) or a single node.
    private struct Unit {
        var group: Int?
        var nodes: [Int]
        var order: Int
    }

    /// The laid-out content, its top left corner at (0, 0), and whether it fits `maxWidth` ×
    /// `maxHeight`. Labels wrap to the width the page leaves each column once the spaces between
    /// columns are set (wider where more lines cross); each column shows as much of its labels
    /// as its height allows; spare height spreads the boxes out, which makes lines flatter and
    /// easier to follow.
    /// `lastRung`: the most a column may cut its labels before the layout counts as not fitting
    /// (the composer first asks for details to stay: target lists in goal boxes).
    /// `mirror`: a two-column view (one source, many ends: a focus and the targets it reaches)
    /// puts the first half of its second column on the left of the first, so that a column too
    /// tall for the page is drawn in two.
    /// `figureIfNotFitting`: false when a layout that does not fit is of no use to the caller;
    /// it then learns that it does not fit as soon as that is certain, with an empty figure
    /// (a column too tall for the page with no line of text in any box is not laid out at all).
    /// `skippingHopelessRungs`: false only in the test that pins the result of skipping them.
    func layout(maxWidth: Double? = nil, maxHeight: Double? = nil, lastRung: Int = TextRung.ladder.count - 1,
                mirror: Bool = false, figureIfNotFitting: Bool = true, skippingHopelessRungs: Bool = true) -> (figure: Figure, fits: Bool) {
        let notFitting = (figure: Figure(name: "content", width: 0, height: 0, fontName: style.fontName), fits: false)
        let nodes = view.nodes
        var index: [NodeID: Int] = [:]
        for (i, node) in nodes.enumerated() where index[node.id] == nil { index[node.id] = i }

        // Units: groups in the view's order, then every node not in a group.
        var units: [Unit] = []
        var unitOf: [Int: Int] = [:]
        for (g, group) in view.groups.enumerated() {
            let members = group.members.compactMap { index[$0] }.filter { unitOf[$0] == nil }
            guard !members.isEmpty else { continue }
            for member in members { unitOf[member] = units.count }
            units.append(Unit(group: g, nodes: members, order: members.min()!))
        }
        for i in nodes.indices where unitOf[i] == nil {
            unitOf[i] = units.count
            units.append(Unit(group: nil, nodes: [i], order: i))
        }

        var column = columns(units: units, unitOf: unitOf, index: index)
        var columnCount = (column.max() ?? 0) + 1
        var columnsUnits = Array(repeating: [Int](), count: columnCount)
        for u in units.indices { columnsUnits[column[u]].append(u) }
        for c in columnsUnits.indices { columnsUnits[c].sort { units[$0].order < units[$1].order } }
        if mirror && columnCount == 2 && columnsUnits[1].count > 1 {
            // Halves by the number of boxes (a group's header counts as one and a half).
            let weight = { (u: Int) -> Double in Double(units[u].nodes.count) + (units[u].group == nil ? 0 : 1.5) }
            let total = columnsUnits[1].reduce(0) { $0 + weight($1) }
            var left: [Int] = []
            var used = 0.0
            for u in columnsUnits[1] {
                guard left.isEmpty || used + weight(u) / 2 <= total / 2 else { break }
                left.append(u)
                used += weight(u)
            }
            let right = Array(columnsUnits[1].dropFirst(left.count))
            if !right.isEmpty {
                columnsUnits = [left, columnsUnits[0], right]
                columnCount = 3
                for (c, members) in columnsUnits.enumerated() { for u in members { column[u] = c } }
            }
        }
        let hasGroups = columnsUnits.map { $0.contains { units[$0].group != nil } }

        // Heights. A box alone in its column with many lines (the element of a one-element
        // figure) is made taller, so that its lines leave it at points far enough apart to be
        // told apart.
        var lineCount = Array(repeating: 0, count: nodes.count)
        for edge in view.edges {
            guard let s = index[edge.source], let t = index[edge.target] else { continue }
            lineCount[s] += 1
            lineCount[t] += 1
        }
        let single = Set(columnsUnits.filter { $0.count == 1 && units[$0[0]].group == nil }.map { units[$0[0]].nodes[0] })
        func nodeHeight(_ n: Int) -> Double {
            let natural = Double(nodeLines[n].count) * lineHeight + 2 * padY
            guard single.contains(n), lineCount[n] > 6 else { return natural }
            return max(natural, min(Double(lineCount[n]) * variant.fontSize * 0.9, (maxHeight ?? 400) * 0.6))
        }
        let groupFont = variant.fontSize
        var nodeLines = Array(repeating: [String](), count: nodes.count)
        var groupLines: [Int: [String]] = [:]
        var fits = true
        let unitGap = variant.rowGap * 2
        func headerHeight(_ g: Int) -> Double { Double(groupLines[g]?.count ?? 1) * TextMetrics.lineHeight(groupFont) + 6 }
        func unitHeight(_ u: Int) -> Double {
            let unit = units[u]
            let members = unit.nodes.reduce(0) { $0 + nodeHeight($1) } + Double(max(unit.nodes.count - 1, 0)) * variant.rowGap
            guard let g = unit.group else { return members }
            return headerHeight(g) + members + 2 * groupPad
        }
        func columnHeight(_ c: Int) -> Double {
            columnsUnits[c].reduce(0) { $0 + unitHeight($1) } + Double(max(columnsUnits[c].count - 1, 0)) * unitGap
        }
        // Each column's height with no line of text in any box: every rung gives at least this.
        // Widths play no part, so it is known before any label is measured.
        for g in view.groups.indices { groupLines[g] = [] }
        let leastHeights = (0..<columnCount).map(columnHeight)
        groupLines = [:]
        if !figureIfNotFitting, let maxHeight, leastHeights.contains(where: { $0 > maxHeight }) {
            // The page composer tries twenty variants per page, and a 1,000-element column
            // measured 3,000 labels for each only to learn it was too tall (issue 9).
            return notFitting
        }

        // Spaces between columns: wider where more lines cross.
        var crossing = Array(repeating: 0, count: max(columnCount - 1, 0))
        for edge in view.edges {
            guard let s = index[edge.source], let t = index[edge.target] else { continue }
            let a = column[unitOf[s]!], b = column[unitOf[t]!]
            for gap in min(a, b)..<max(a, b) { crossing[gap] += 1 }
        }
        let wantedGaps = crossing.map { variant.columnGap + min(120, Double($0) * 1.2) }
        let leastGaps = crossing.map { _ in variant.columnGap * 0.7 }
        // The least a space keeps when it gives width to labels cut short (below): half of what
        // its lines wanted on top of the least, so that a space many lines cross stays wide.
        let yieldingGaps = crossing.map { variant.columnGap * 0.7 + min(120, Double($0) * 1.2) / 2 }
        // Label widths: each column's share of the page in proportion to what its labels would
        // take on one line (goal boxes listing targets want more than element boxes), at most
        // half as much again as the variant's wrap width.
        // The variant's widths, asked for once: for the one-line widths here, the wrapping and
        // the box widths below.
        let measure = metrics.measure(font: style.fontName, size: variant.fontSize, cache: cache)
        var desired = Array(repeating: 80.0, count: columnCount)
        // The least width that cuts no code and no word of a label in two.
        var unbroken = Array(repeating: 0.0, count: columnCount)
        for (c, members) in columnsUnits.enumerated() {
            for u in members {
                for n in units[u].nodes {
                    let node = nodes[n]
                    let code = measure.width(node.code ?? ""), label = node.label[language]
                    let text = max(code, measure.width(label), measure.width(node.details?[language] ?? ""))
                    desired[c] = max(desired[c], min(text, variant.maxWrap * 1.5))
                    unbroken[c] = max(unbroken[c], min(max(code, measure.prepare(label).widestWord), variant.maxWrap * 1.5))
                }
            }
        }
        var wrap = desired.map { min($0, variant.maxWrap * 1.5) }
        // Width the spaces between columns can give to labels cut short: from their wanted
        // widths down to what they yield (nothing when they are already at their least).
        var spareGapWidth = 0.0
        if let maxWidth {
            // What is left for labels once the spaces between columns are kept (the wanted
            // spaces where they leave each column 90 pt, else the least).
            let pads = (0..<columnCount).map { 2 * padX + (hasGroups[$0] ? 2 * groupPad : 0) }
            var room = maxWidth - wantedGaps.reduce(0, +) - pads.reduce(0, +)
            if room < Double(columnCount) * 90 {
                room = maxWidth - leastGaps.reduce(0, +) - pads.reduce(0, +)
            } else {
                spareGapWidth = wantedGaps.reduce(0, +) - yieldingGaps.reduce(0, +)
            }
            let total = wrap.reduce(0, +)
            if total > room {
                // Each column gets a floor, then the rest in proportion to what it wants.
                let floor = min(60, max(room, 0) / Double(columnCount))
                let rest = max(room - floor * Double(columnCount), 0)
                wrap = wrap.map { min($0, floor + rest * $0 / total) }
                // Then no column narrower than its longest code or word, where the others can
                // give the width from what they have above theirs: a word wider than its column
                // is cut ("telecommunication", "s…", and the line after it lost) and a code cut
                // short ("OP23-TH-P2-DIG…") no longer names its element.
                let lacking = (0..<columnCount).reduce(0) { $0 + max(unbroken[$1] - wrap[$1], 0) }
                let above = (0..<columnCount).reduce(0) { $0 + max(wrap[$1] - unbroken[$1], 0) }
                if lacking > 0 && above >= lacking {
                    wrap = (0..<columnCount).map { c in
                        wrap[c] < unbroken[c] ? unbroken[c] : wrap[c] - (wrap[c] - unbroken[c]) * lacking / above
                    }
                }
            }
        }

        // Each column: the most generous rung of label text its height allows.
        let groupMeasure = metrics.measure(font: style.fontName, size: groupFont, cache: cache)
        // A column taller than the page with no line of text in any box fails at every rung
        // and ends with the last one's lines: only that one is wrapped (a 1,000-element
        // column wrapped every label six times over for nothing; issue 9).
        func hopeless(_ c: Int) -> Bool { skippingHopelessRungs && maxHeight.map { leastHeights[c] > $0 } == true }
        /// Fills column `c` with the lines of the most generous rung that fits; whether one
        /// fits, whether a label was cut short, and the rung.
        func fill(_ c: Int) -> (fits: Bool, cut: Bool, rung: Int) {
            var cut = false
            var last = 0
            for (r, rung) in TextRung.ladder.enumerated() where r <= lastRung && (r == lastRung || !hopeless(c)) {
                cut = false
                last = r
                for u in columnsUnits[c] {
                    // Group headers keep two lines until the boxes are down to one.
                    if let g = units[u].group {
                        groupLines[g] = groupMeasure.wrap(view.groups[g].label[language], width: wrap[c] + 2 * padX - 2,
                                                          maxLines: rung.maxLines > 1 ? 2 : 1)
                    }
                    for n in units[u].nodes {
                        let box = labelLines(of: nodes[n], rung: rung, wrap: wrap[c], measure: measure)
                        nodeLines[n] = box.lines
                        cut = cut || box.cut
                    }
                }
                if maxHeight == nil || columnHeight(c) <= maxHeight! { return (true, cut, r) }
            }
            return (false, cut, last)
        }
        var filled: [(fits: Bool, cut: Bool, rung: Int)] = []
        for c in 0..<columnCount {
            filled.append(fill(c))
            // A column that does not fit ends the attempt: the page composer tries a smaller
            // font next. (Width given to cut labels, below, could make some such attempts fit,
            // at the cost of widening every one that does not.)
            if !filled[c].fits && !figureIfNotFitting { return notFitting }
        }
        // Columns whose labels were cut at the width they were given take width from the spaces
        // between columns, down to what the spaces yield, and are filled again: "BAAP-OUT-1.1 Final
        // report of the…" says more than "BAAP-OUT-1.1 Fina…" beside a wider space. The columns
        // cut hardest (to the fewest lines) come first; columns cut alike share in proportion to
        // what they want; none is given more than its labels take on one line. Only a layout
        // whose columns all fit is widened (so that whether it fits does not depend on whether
        // its figure is wanted); wider labels take no more lines, so it still fits.
        let fitted = filled.allSatisfy(\.fits)
        var give = fitted ? spareGapWidth : 0
        var widened: Set<Int> = []
        let cutRungs = Set((0..<columnCount).filter { filled[$0].cut }.map { filled[$0].rung }).sorted(by: >)
        for rung in cutRungs where give > 0.5 {
            var short = (0..<columnCount).filter { filled[$0].cut && filled[$0].rung == rung && wrap[$0] < desired[$0] - 0.5 }
            while give > 0.5 && !short.isEmpty {
                let wanted = short.reduce(0) { $0 + desired[$1] }
                var given = 0.0
                for c in short {
                    let more = min(give * desired[c] / wanted, desired[c] - wrap[c])
                    wrap[c] += more
                    given += more
                    widened.insert(c)
                }
                give -= given
                short = short.filter { wrap[$0] < desired[$0] - 0.5 }
            }
        }
        for c in widened.sorted() { filled[c] = fill(c) }
        fits = filled.allSatisfy(\.fits)
        if !fits && !figureIfNotFitting { return notFitting }

        // Widths: every box of a column as wide as the widest (groups add their padding).
        var columnWidth = Array(repeating: 0.0, count: columnCount)
        for (c, members) in columnsUnits.enumerated() {
            for u in members {
                let extra = units[u].group == nil ? 0 : 2 * groupPad
                for n in units[u].nodes { columnWidth[c] = max(columnWidth[c], measure.width(nodeLines[n]) + 2 * padX + extra) }
                if let g = units[u].group { columnWidth[c] = max(columnWidth[c], groupMeasure.width(groupLines[g] ?? []) + 2 * groupPad + 2) }
            }
        }
        // Spare width goes to the spaces between columns (up to half as much again). Short of
        // their wanted widths, the spaces come down alike towards what they yield to labels,
        // then towards their least; never below it (scaling them alike and then raising the
        // narrow ones to their least took more than the room).
        var gaps = wantedGaps
        if let maxWidth, !gaps.isEmpty {
            let room = maxWidth - columnWidth.reduce(0, +)
            let wanted = wantedGaps.reduce(0, +), yielding = yieldingGaps.reduce(0, +), least = leastGaps.reduce(0, +)
            func between(_ low: [Double], _ high: [Double], _ lowSum: Double, _ highSum: Double) -> [Double] {
                let share = highSum > lowSum ? min(max((room - lowSum) / (highSum - lowSum), 0), 1) : 0
                return zip(low, high).map { $0 + ($1 - $0) * share }
            }
            if room >= wanted {
                gaps = wantedGaps.map { $0 * min(room / wanted, 1.5) }
            } else if room >= yielding {
                gaps = between(yieldingGaps, wantedGaps, yielding, wanted)
            } else {
                gaps = between(leastGaps, yieldingGaps, least, yielding)
            }
        }
        var columnX = [0.0]
        for c in 0..<max(columnCount - 1, 0) { columnX.append(columnX[c] + columnWidth[c] + gaps[c]) }
        let width = (columnX.last ?? 0) + (columnWidth.last ?? 0)
        if let maxWidth, width > maxWidth + 0.5 { fits = false }
        if !fits && !figureIfNotFitting { return notFitting }

        // Heights; with a page, spare height spreads each column's boxes (up to a limit).
        let natural = (0..<columnCount).map(columnHeight)
        let tallest = natural.max() ?? 0
        let target = maxHeight.map { max(tallest, min($0, tallest * 1.5)) } ?? tallest
        var spread = Array(repeating: 0.0, count: columnCount)
        for c in 0..<columnCount where maxHeight != nil {
            let gapsInColumn = Double(columnsUnits[c].reduce(0) { $0 + units[$1].nodes.count } - 1)
            if gapsInColumn > 0 { spread[c] = min((target - natural[c]) / gapsInColumn, 2.5 * lineHeight) }
        }
        let rowGaps = spread.map { variant.rowGap + $0 }
        let unitGaps = spread.map { unitGap + $0 }
        func spreadUnitHeight(_ u: Int, _ c: Int) -> Double {
            unitHeight(u) + Double(max(units[u].nodes.count - 1, 0)) * spread[c]
        }
        let columnHeights = (0..<columnCount).map { c in
            columnsUnits[c].reduce(0) { $0 + spreadUnitHeight($1, c) } + Double(max(columnsUnits[c].count - 1, 0)) * unitGaps[c]
        }
        let height = columnHeights.max() ?? 0

        var figure = Figure(name: "content", width: width, height: height, fontName: style.fontName)
        var boxIndex: [Int: Int] = [:]  // node index -> figure box index
        var boxColumn: [Int] = []
        for (c, members) in columnsUnits.enumerated() {
            var y = (height - columnHeights[c]) / 2
            let x = columnX[c]
            for u in members {
                let unit = units[u]
                var top = y
                var inner = columnWidth[c]
                var left = x
                if let g = unit.group {
                    let group = view.groups[g]
                    let rgb = group.colour.flatMap(RGB.init(hex:))
                    figure.clusters.append(FigureCluster(
                        id: "\(figure.clusters.count)_\(group.id)", left: x, top: y, right: x + columnWidth[c], bottom: y + spreadUnitHeight(u, c),
                        lines: groupLines[g] ?? [], fontSize: groupFont, fill: rgb?.tinted(0.90).hex ?? "#F7F7F7",
                        border: rgb?.hex ?? "#BDBDBD", tooltip: group.label[language],
                        members: unit.nodes.map { nodes[$0].id.rawValue }))
                    top = y + headerHeight(g) + groupPad
                    inner -= 2 * groupPad
                    left += groupPad
                }
                for n in unit.nodes {
                    let node = nodes[n]
                    let h = nodeHeight(n)
                    let colours = style.colours(for: node)
                    var box = FigureBox(
                        id: node.id.rawValue, centre: Point(x: left + inner / 2, y: top + h / 2), width: inner, height: h,
                        lines: nodeLines[n], fontSize: variant.fontSize, fontColour: colours.text, fill: colours.fill,
                        border: colours.border, style: node.role == .scope ? "rounded,filled,dashed" : "rounded,filled",
                        penwidth: node.emphasised ? 2.6 : 1.1,
                        tooltip: ([node.code].compactMap { $0 } + [node.tooltip?[language] ?? node.label[language]]).joined(separator: "\n"),
                        url: node.url)
                    box.tooltip = Tooltip.cap(box.tooltip ?? "")
                    boxIndex[n] = figure.boxes.count
                    boxColumn.append(c)
                    figure.boxes.append(box)
                    top += h + rowGaps[c]
                }
                y += spreadUnitHeight(u, c) + unitGaps[c]
            }
        }
        figure.lines = lines(figure: figure, boxIndex: boxIndex, boxColumn: boxColumn, index: index, unitOf: unitOf)
        return (figure, fits)
    }

    /// The column of every unit: fixed by the view's ranks where it gives them, else one step
    /// right of the units linking to it (longest path; cycles broken in document order).
    private func columns(units: [Unit], unitOf: [Int: Int], index: [NodeID: Int]) -> [Int] {
        var fixed: [Int: Int] = [:]
        for (r, rank) in view.ranks.enumerated() {
            for id in rank {
                guard let n = index[id], let u = unitOf[n] else { continue }
                fixed[u] = min(fixed[u] ?? .max, r)
            }
        }
        var successors = Array(repeating: [Int](), count: units.count)
        for edge in view.edges {
            guard let s = index[edge.source], let t = index[edge.target], let a = unitOf[s], let b = unitOf[t], a != b else { continue }
            // A part-of parent stands left of its parts.
            if edge.relation == .partOf { successors[b].append(a) } else { successors[a].append(b) }
        }
        // Depth-first, units in document order: edges back onto the path are left out.
        var state = Array(repeating: 0, count: units.count)  // 0 new, 1 on the path, 2 done
        var postOrder: [Int] = []
        var kept = Array(repeating: [Int](), count: units.count)
        let byOrder = units.indices.sorted { units[$0].order < units[$1].order }
        for root in byOrder where state[root] == 0 {
            var stack: [(unit: Int, next: Int)] = [(root, 0)]
            state[root] = 1
            while !stack.isEmpty {
                let (u, i) = stack[stack.count - 1]
                if i < successors[u].count {
                    stack[stack.count - 1].next += 1
                    let v = successors[u][i]
                    if state[v] == 1 { continue }
                    kept[u].append(v)
                    if state[v] == 0 {
                        state[v] = 1
                        stack.append((v, 0))
                    }
                } else {
                    state[u] = 2
                    postOrder.append(u)
                    stack.removeLast()
                }
            }
        }
        var column = Array(repeating: 0, count: units.count)
        for u in units.indices { column[u] = fixed[u] ?? 0 }
        for u in postOrder.reversed() {
            for v in kept[u] where fixed[v] == nil { column[v] = max(column[v], column[u] + 1) }
        }
        // Columns without a unit are closed up.
        let used = Set(column).sorted()
        let renumber = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($1, $0) })
        return column.map { renumber[$0]! }
    }

    private enum Side { case left, right }

    private func lines(figure: Figure, boxIndex: [Int: Int], boxColumn: [Int], index: [NodeID: Int], unitOf: [Int: Int]) -> [FigureLine] {
        struct Planned {
            var edge: ViewEdge
            var tail: Int, head: Int  // box indexes
            var tailSide: Side, headSide: Side
        }
        var planned: [Planned] = []
        for edge in view.edges {
            guard let s = index[edge.source], let t = index[edge.target], let tail = boxIndex[s], let head = boxIndex[t], tail != head else { continue }
            // Inside a box, the box already says what its members are part of.
            if edge.relation == .partOf, unitOf[s] == unitOf[t] { continue }
            let a = boxColumn[tail], b = boxColumn[head]
            let sides: (Side, Side) = a < b ? (.right, .left) : a > b ? (.left, .right) : (.right, .right)
            planned.append(Planned(edge: edge, tail: tail, head: head, tailSide: sides.0, headSide: sides.1))
        }
        // Attachment points: spread along each side in the order of the other ends.
        struct SideKey: Hashable { var box: Int; var right: Bool }
        var ends: [SideKey: [(line: Int, isTail: Bool, otherY: Double)]] = [:]
        for (i, p) in planned.enumerated() {
            ends[SideKey(box: p.tail, right: p.tailSide == .right), default: []].append((i, true, figure.boxes[p.head].centre.y))
            ends[SideKey(box: p.head, right: p.headSide == .right), default: []].append((i, false, figure.boxes[p.tail].centre.y))
        }
        var tailPoint = Array(repeating: Point(x: 0, y: 0), count: planned.count)
        var headPoint = tailPoint
        for (key, list) in ends {
            let box = figure.boxes[key.box]
            let sorted = list.enumerated().sorted { a, b in
                a.element.otherY != b.element.otherY ? a.element.otherY < b.element.otherY : a.offset < b.offset
            }.map(\.element)
            let inset = min(4.0, box.height / 4)
            let span = box.height - 2 * inset
            for (k, end) in sorted.enumerated() {
                let y = box.top + inset + span * Double(k + 1) / Double(sorted.count + 1)
                let point = Point(x: key.right ? box.right : box.left, y: y)
                if end.isTail { tailPoint[end.line] = point } else { headPoint[end.line] = point }
            }
        }
        let arrowLength = 6.0
        var drawn = planned.enumerated().map { i, p in
            let edge = p.edge
            let start = tailPoint[i], end = headPoint[i]
            let columnsApart = abs(boxColumn[p.tail] - boxColumn[p.head])
            var c1: Point, c2: Point
            if p.tailSide == p.headSide {
                // Within one column: a loop out to the side.
                let bulge = (p.tailSide == .right ? 1.0 : -1.0) * (18 + abs(end.y - start.y) * 0.15)
                c1 = Point(x: start.x + bulge, y: start.y)
                c2 = Point(x: end.x + bulge, y: end.y)
            } else if columnsApart > 1 {
                let dx = (end.x - start.x) / 2
                c1 = Point(x: start.x + dx, y: start.y)
                c2 = Point(x: end.x - dx, y: end.y)
            } else {
                c1 = start + (end - start) * (1.0 / 3)
                c2 = start + (end - start) * (2.0 / 3)
            }
            let directed = edge.directed && edge.relation != .partOf
            var finish = end
            var tip: Point?
            if directed {
                let direction = end - c2
                let length = direction.length > 0.01 ? direction.length : (end - start).length
                let unit = length > 0.01 ? (direction.length > 0.01 ? direction : end - start) * (1 / length) : Point(x: 1, y: 0)
                finish = end - unit * arrowLength
                tip = end
                if columnsApart <= 1 && p.tailSide != p.headSide { c2 = start + (finish - start) * (2.0 / 3); c1 = start + (finish - start) * (1.0 / 3) }
            }
            let colour = RGB.fromData(edge.colour) ?? style.edgeColour(edge.relation)
            var tooltip = "\(edge.source) \(edge.relationLabel[language]) \(edge.target)"
            if let detail = edge.tooltip { tooltip += "\n" + detail }
            var line = FigureLine(
                tail: edge.source.rawValue, head: edge.target.rawValue, points: [start, c1, c2, finish], arrowTip: tip, colour: colour,
                style: edge.relation == .mentions ? "dotted" : (edge.declared ? "solid" : "dashed"),
                penwidth: edge.weight.map { $0 > 1 ? min(1.0 + Double($0 - 1) * 0.4, 4) : 1 } ?? 1,
                tooltip: Tooltip.cap(tooltip))
            if let label = edge.label {
                line.label = label
                line.labelSize = max(variant.fontSize - 1, PageSize.minimumFontSize)
            }
            return line
        }
        placeLabels(&drawn)
        return drawn
    }

    /// Where each line's label goes: along the line, a fifth of the way from its start where
    /// that is free, else at the first place further along (or a little before) that no label
    /// placed before it covers; where every place is taken, the one overlapping least. Lines
    /// leaving one box start close together, so labels all a fifth along lay on top of one
    /// another. Labels are placed in the order of the lines; a grid of cells finds the labels
    /// near a place, so the work is linear in the number of labels.
    private func placeLabels(_ lines: inout [FigureLine]) {
        struct Area { var left, top, right, bottom: Double }
        func overlap(_ a: Area, _ b: Area) -> Double {
            max(0, min(a.right, b.right) - max(a.left, b.left)) * max(0, min(a.bottom, b.bottom) - max(a.top, b.top))
        }
        let fractions = [0.2, 0.28, 0.36, 0.44, 0.52, 0.6, 0.68, 0.76, 0.12]
        let cell = 24.0
        var placed: [Area] = []
        var grid: [Int64: [Int]] = [:]
        func cells(_ a: Area) -> [Int64] {
            var keys: [Int64] = []
            for x in Int64((a.left / cell).rounded(.down))...Int64((a.right / cell).rounded(.down)) {
                for y in Int64((a.top / cell).rounded(.down))...Int64((a.bottom / cell).rounded(.down)) { keys.append(x << 32 ^ y) }
            }
            return keys
        }
        for i in lines.indices {
            guard let label = lines[i].label, lines[i].points.count >= 4 else { continue }
            let size = lines[i].labelSize
            let width = metrics.measure(font: style.fontName, size: size, cache: cache).width(label) + 2
            let height = TextMetrics.lineHeight(size)
            let start = lines[i].points[0], finish = lines[i].points[lines[i].points.count - 1]
            var best: (at: Point, area: Area, covered: Double)?
            for fraction in fractions {
                let at = start + (finish - start) * fraction + Point(x: 0, y: -4)
                let area = Area(left: at.x - width / 2, top: at.y - height / 2, right: at.x + width / 2, bottom: at.y + height / 2)
                // A label in several of the cells counts once; summed in order (a Set's order
                // changes from run to run, and so would the last bits of the sum).
                let near = Set(cells(area).flatMap { grid[$0] ?? [] }).sorted()
                let covered = near.reduce(0.0) { $0 + overlap(area, placed[$1]) }
                if best == nil || covered < best!.covered { best = (at, area, covered) }
                if covered == 0 { break }
            }
            guard let best else { continue }
            lines[i].labelAt = best.at
            for key in cells(best.area) { grid[key, default: []].append(placed.count) }
            placed.append(best.area)
        }
    }
}

/// Tooltips carry the full text of a label; a label of a megabyte would make every SVG huge.
enum Tooltip {
    static let maximumScalars = 4_000

    static func cap(_ text: String) -> String {
        guard text.unicodeScalars.count > maximumScalars else { return text }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: text.unicodeScalars.prefix(maximumScalars))
        return String(view) + "…"
    }
}
