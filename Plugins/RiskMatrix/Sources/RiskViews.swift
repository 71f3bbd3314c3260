import LinkageKit

extension RiskReport {
    /// Risk ids written in one cell before the rest are summarised as "+N" (the renderer's cells
    /// are fixed at two lines; the full list is in the tooltip and the heat-map-cells table).
    static let idsPerCell = 3

    static let threeLevelZH = ["low": "低", "medium": "中", "high": "高"]


    /// Ids with runs of consecutive numbers shortened: SP20-RISK-1, SP20-RISK-2, SP20-RISK-3 → SP20-RISK-1…3.
    static func compactIDs(_ ids: [NodeID]) -> String {
        func split(_ id: NodeID) -> (String, Int)? {
            let text = id.rawValue
            let digits = text.reversed().prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count < text.count, let n = Int(String(digits.reversed())) else { return nil }
            return (String(text.dropLast(digits.count)), n)
        }
        var parts: [String] = []
        var index = 0
        while index < ids.count {
            guard let (prefix, start) = split(ids[index]) else { parts.append(ids[index].rawValue); index += 1; continue }
            var end = index
            while end + 1 < ids.count, let (p, n) = split(ids[end + 1]), p == prefix, n == start + (end + 1 - index) { end += 1 }
            let last = start + (end - index)
            parts.append(end - index >= 2 ? "\(prefix)\(start)…\(last)" : (index...end).map { ids[$0].rawValue }.joined(separator: ", "))
            index = end + 1
        }
        return parts.joined(separator: ", ")
    }

    func views() -> [ViewSpec] {
        documents.map(heatMap) + (mitigations.isEmpty ? [] : [strategyMatrix()])
    }

    /// Likelihood rows, highest at the top; impact columns, lowest at the left; each cell names
    /// its level and the risks in it. Cells without a risk are pale.
    func heatMap(_ document: String) -> ViewSpec {
        let docEntries = entries(of: document)
        let placedHere = docEntries.filter(\.isPlaced)
        let notPlaced = docEntries.filter { !$0.isPlaced }
        let title = documentTitle(document)
        let axisPrefix = scale.size > 3
        let rows = stride(from: scale.size, through: 1, by: -1).map { l in
            let text = scale.likelihood[l - 1]
            return MatrixAxisEntry(label: axisPrefix ? strings("heat-map.axis-entry", ["position": l, "label": text]) : text,
                                   tooltip: "Likelihood position \(l): \(text.en) / \(text.zh)")
        }
        let columns = (1...scale.size).map { i in
            let text = scale.impact[i - 1]
            return MatrixAxisEntry(label: axisPrefix ? strings("heat-map.axis-entry", ["position": i, "label": text]) : text,
                                   tooltip: "Impact position \(i): \(text.en) / \(text.zh)")
        }
        let cells = stride(from: scale.size, through: 1, by: -1).map { l in
            (1...scale.size).map { i -> MatrixCell in
                let level = scale.level(likelihood: l, impact: i)
                let here = placedHere.filter { $0.placement == .placed(likelihood: l, impact: i, level: scale.levelRank(likelihood: l, impact: i)) }
                var shown = here.prefix(Self.idsPerCell).map(\.id.rawValue).joined(separator: ", ")
                if here.count > Self.idsPerCell { shown += " +\(here.count - Self.idsPerCell)" }
                let tooltip = "Likelihood \(scale.likelihood[l - 1].en) × impact \(scale.impact[i - 1].en) → level \(level.label.en)"
                    + (here.isEmpty ? ": no risk" : ": " + here.map { "\($0.id) \($0.node.label.en)" }.joined(separator: "; "))
                return MatrixCell(
                    text: here.isEmpty ? level.label : LocalizedText(zh: level.label.zh + "\n" + shown, en: level.label.en + "\n" + shown),
                    colour: here.isEmpty ? ColourScale.tint(level.colour, strength: 0.3) : level.colour,
                    tooltip: tooltip)
            }
        }
        var legend = scale.levels.indices.reversed().map { index in
            let level = scale.levels[index]
            let count = placedHere.filter { $0.levelIndex == index }.count
            return MatrixLegendEntry(colour: level.colour, label: strings("heat-map.legend.level", ["level": level.label, "count": count]))
        }
        legend.append(MatrixLegendEntry(colour: ColourScale.tint(scale.levels[scale.levels.count / 2].colour, strength: 0.3),
                                        label: strings("heat-map.legend.pale")))
        // Kept short: the renderer sizes the footnote to the grid, which is narrow when no cell names a risk.
        var footnote: [LocalizedText] = []
        if !placedHere.isEmpty {
            footnote.append(strings("heat-map.footnote.levels", ["table": scale.originText]))
        }
        if placedHere.contains(where: \.mappedFromThreeLevels), let mapping = scale.threeLevelPositions {
            footnote.append(strings("heat-map.footnote.mapping", ["mapping": CatalogueList(mapping.map { entry in
                LocalizedText(zh: "\(Self.threeLevelZH[entry.word] ?? entry.word) → \(entry.position)", en: "\(entry.word) → \(entry.position)")
            })]))
        }
        if notPlaced.isEmpty {
            footnote.append(strings("heat-map.footnote.none-unassessed"))
        } else {
            footnote.append(strings("heat-map.footnote.unassessed", ["count": notPlaced.count, "ids": Self.compactIDs(notPlaced.map(\.id))]))
        }
        return ViewSpec(
            id: "heat-map-" + ViewSpec.fileSafe(document),
            title: strings("heat-map.title", ["document": title]),
            subtitle: strings("heat-map.subtitle", ["placed": placedHere.count, "total": docEntries.count, "unassessed": notPlaced.count]),
            diagram: .matrix(MatrixView(
                rowHeader: strings("heat-map.rows"), columnHeader: strings("heat-map.columns"),
                rows: rows, columns: columns, cells: cells, legend: legend,
                // Sentences joined as each language joins them: a space in English, nothing in Chinese.
                footnote: LocalizedText(zh: footnote.map(\.zh).joined(), en: footnote.map(\.en).joined(separator: " ")))))
    }

    /// Risks × strategy types: how many mitigations of each type each risk has.
    func strategyMatrix() -> ViewSpec {
        let kinds: [MitigationStrategy?] = MitigationStrategy.allCases + [nil]
        let maximum = max(1, entries.flatMap { entry in kinds.map { entry.count($0) } }.max() ?? 1)
        let base = "#5C6BC0"
        let rows = entries.map { entry in
            MatrixAxisEntry(label: LocalizedText(zh: "\(entry.id) \(entry.node.label.zh)", en: "\(entry.id) \(entry.node.label.en)"),
                            tooltip: "\(entry.id) \(entry.node.label.en) — level: \(levelName(entry))")
        }
        let columns = kinds.map { kind in
            MatrixAxisEntry(label: kind?.label ?? strings("strategies.not-typed"),
                            tooltip: kind.map { "Mitigations the source types as \($0.rawValue)" } ?? "Mitigations the source does not type")
        }
        let cells = entries.map { entry in
            kinds.map { kind -> MatrixCell in
                let n = entry.count(kind)
                let ids = entry.mitigations.filter { $0.strategy == kind }.map(\.node.id.rawValue)
                return MatrixCell(String(n), colour: n == 0 ? nil : ColourScale.tint(base, strength: 0.25 + 0.6 * Double(n) / Double(maximum)),
                                  tooltip: ids.isEmpty ? "none" : ids.joined(separator: ", "))
            }
        }
        let typed = mitigations.filter { $0.strategy != nil }.count
        // The printed words behind each type, from the data (风险规避 → avoid ...).
        let printedTypes = MitigationStrategy.allCases.compactMap { kind -> String? in
            let words = Set(mitigations.filter { $0.strategy == kind }.compactMap { $0.node.attributes["strategy_printed"]?.description }).sorted()
            return words.isEmpty ? nil : words.joined(separator: "/") + " = " + kind.rawValue
        }.joined(separator: ", ")
        let printedTypesZH = MitigationStrategy.allCases.compactMap { kind -> String? in
            let words = Set(mitigations.filter { $0.strategy == kind }.compactMap { $0.node.attributes["strategy_printed"]?.description }).sorted()
            return words.isEmpty ? nil : words.joined(separator: "/") + " = " + kind.label.zh
        }.joined(separator: "，")
        return ViewSpec(
            id: "mitigation-strategies",
            title: strings("strategies.title"),
            subtitle: strings("strategies.subtitle", ["count": mitigations.count, "typed": typed, "untyped": mitigations.count - typed]),
            diagram: .matrix(MatrixView(
                rowHeader: strings("strategies.rows"), columnHeader: strings("strategies.columns"),
                rows: rows, columns: columns, cells: cells,
                legend: [MatrixLegendEntry(colour: ColourScale.tint(base, strength: 0.85),
                                           label: strings("strategies.legend"))],
                footnote: printedTypes.isEmpty ? strings("strategies.footnote.none")
                    : strings("strategies.footnote", ["types": LocalizedText(zh: printedTypesZH, en: printedTypes)]))))
    }
}
