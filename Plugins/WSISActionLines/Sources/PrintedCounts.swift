import LinkageKit

/// Part 4: the counts the ITU Strategic Plan 2020–2023 prints per action line next to the graph's
/// counts of plan elements linked to the line. They measure different things: the SP counts ITU-wide
/// outputs and activities (all Sectors, as the SP's own mapping prints them); the graph counts the
/// elements of one plan that link to the line. They are side by side, never subtracted.
struct PrintedCounts {
    struct Printed {
        var countNode: Node
        /// `count_printed_*` attributes in the order the dataset lists them.
        var values: [(name: String, value: AttributeValue)]
    }

    let catalog: ActionLineCatalog
    /// Main line -> its printed count (at most one count node per line is expected; more are a finding).
    let printedByLine: [NodeID: [Printed]]
    /// Attribute names of every printed count, in first-seen order (count nodes in id order).
    let attributeNames: [String]
    /// Count nodes linked to something that is not an action line of the catalog's main lines.
    let countsForOtherLines: [Edge]

    init(graph: LinkageGraph, catalog: ActionLineCatalog) {
        self.catalog = catalog
        let lineIDs = Set(catalog.lines.map(\.id))
        let mainIDs = Set(catalog.mainLines.map(\.id))
        var printed: [NodeID: [Printed]] = [:]
        var names: [String] = []
        var other: [Edge] = []
        for edge in graph.edges(relation: countsForRelation) where lineIDs.contains(edge.target) {
            guard mainIDs.contains(edge.target), let node = graph.node(edge.source) else {
                other.append(edge)
                continue
            }
            let values = node.attributes.filter { $0.key.hasPrefix("count_printed_") }.map { (name: $0.key, value: $0.value) }
            for value in values where !names.contains(value.name) { names.append(value.name) }
            printed[edge.target, default: []].append(Printed(countNode: node, values: values))
        }
        printedByLine = printed
        attributeNames = names
        countsForOtherLines = other
    }

    /// `count_printed_key_activities` -> `key activities`.
    static func measure(_ attribute: String) -> String {
        attribute.dropFirst("count_printed_".count).split(separator: "_").joined(separator: " ")
    }

    /// Elements of a plan linked to a main line or to any of its sub-lines (each element once).
    static func elementsLinked(to line: NodeID, links: PlanLineLinks, catalog: ActionLineCatalog) -> [NodeID] {
        let lines = Set([line] + catalog.subLines(of: line))
        return Set(links.allLinks.filter { lines.contains($0.line) }.map(\.element)).sorted()
    }

    func table(plans: [PlanLineLinks]) -> ResultTable {
        var columns = [column("action_line", "column.action-line"), column("label_en", "column.title"), column("label_zh", "column.title-chinese"),
                       column("sp_count_node", "column.sp-count-node"), column("sp_printed", "column.sp-2020-2023-prints-a-count")]
        for name in attributeNames {
            columns.append(TableColumn("sp_printed_" + String(name.dropFirst("count_printed_".count)),
                                       strings("column.sp-printed", ["measure": Self.measure(name)])))
        }
        for links in plans {
            let plan = Describe.snake(links.plan.id)
            columns.append(TableColumn("\(plan)_elements", strings("column.plan-elements", ["plan": links.plan.id])))
            columns.append(TableColumn("\(plan)_elements_declared", strings("column.plan-elements-declared", ["plan": links.plan.id])))
            columns.append(TableColumn("\(plan)_elements_with_all_lines", strings("column.plan-elements-with-all", ["plan": links.plan.id])))
        }
        let scopeIDs = Set(catalog.scopes.map(\.id))
        var rows: [[TableValue]] = []
        for line in catalog.mainLines {
            var row: [TableValue] = [.id(line.id), .text(line.label.en), .text(line.label.zh)]
            let printed = printedByLine[line.id] ?? []
            if let first = printed.first {
                row += [.text(Describe.ids(printed.map(\.countNode.id))), .text("printed")]
                for name in attributeNames {
                    row.append(first.values.first { $0.name == name }.map { Self.cell($0.value) } ?? .text("not printed"))
                }
            } else {
                row += [.empty, .text("not printed")]
                row += attributeNames.map { _ in TableValue.empty }
            }
            for links in plans {
                let elements = Self.elementsLinked(to: line.id, links: links, catalog: catalog)
                let lines = Set([line.id] + catalog.subLines(of: line.id))
                let declared = Set(links.allLinks.filter { lines.contains($0.line) && $0.declared }.map(\.element))
                let viaScope = Set(links.allLinks.filter { scopeIDs.contains($0.line) }.map(\.element))
                row += [.integer(elements.count), .integer(declared.count), .integer(Set(elements).union(viaScope).count)]
            }
            rows.append(row)
        }
        return ResultTable(
            id: "sp-printed-counts",
            title: strings("table.sp-printed-counts"),
            columns: columns, rows: rows,
            caption: strings("table.sp-printed-counts.caption"))
    }

    static func cell(_ value: AttributeValue) -> TableValue {
        switch value {
        case .integer(let i): .integer(i)
        case .number(let d): .decimal(d, places: d.rounded() == d ? 0 : 2)
        default: .text(value.description)
        }
    }
}
