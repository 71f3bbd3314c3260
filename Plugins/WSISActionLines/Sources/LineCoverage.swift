import LinkageKit

/// Part 1: per action line (and C7 sub-line), the plan elements linked to it, with ITU's role on
/// the line. A link to WSIS-C7 counts for C7 as a whole (not for each sub-line); a link to WSIS-ALL
/// is its own row and is not expanded into every line (the `with_all_lines` column shows the
/// figure if it were).
struct LineCoverage {
    struct Row {
        var line: Node
        var declared: [NodeID]
        var derived: [NodeID]
        /// Elements linked to this line directly or through a scope node ("all action lines").
        var withScope: [NodeID]
        var isScope: Bool
        /// The main line a sub-line is part of (WSIS-C7 for the e-… lines).
        var parent: NodeID?
    }

    let plan: ResolvedPlan
    let rows: [Row]
    /// Elements with at least one action-line (or WSIS-ALL) link.
    let linkedElements: [NodeID]
    let scopeLinkedElements: [NodeID]

    init(links: PlanLineLinks, catalog: ActionLineCatalog) {
        plan = links.plan
        let scopeIDs = Set(catalog.scopes.map(\.id))
        let viaScope = Set(links.allLinks.filter { scopeIDs.contains($0.line) }.map(\.element))
        scopeLinkedElements = viaScope.sorted()
        var rows: [Row] = []
        for line in catalog.lines + catalog.scopes {
            let direct = links.elements(linkedTo: line.id)
            let isScope = scopeIDs.contains(line.id)
            rows.append(Row(
                line: line,
                declared: direct.filter(\.declared).map(\.element),
                derived: direct.filter { !$0.declared }.map(\.element),
                withScope: isScope ? direct.map(\.element) : Set(direct.map(\.element)).union(viaScope).sorted(),
                isScope: isScope, parent: catalog.parent(of: line.id)))
        }
        self.rows = rows
        linkedElements = links.plan.elements.map(\.id).filter { !links.links(of: $0).isEmpty }
    }

    func table() -> ResultTable {
        ResultTable(
            id: "action-lines-\(ViewSpec.fileSafe(plan.id))",
            title: strings("table.action-lines", ["plan": plan.label]),
            columns: [
                column("action_line", "column.action-line"), column("part_of", "column.part-of"),
                column("label_en", "column.title"), column("label_zh", "column.title-chinese"),
                column("itu_role", "column.itu-role-as-written"), column("itu_role_class", "column.itu-role-class"),
                column("elements_declared", "column.elements-declared-link"), column("elements_derived", "column.elements-derived-link"),
                column("elements_total", "column.elements-linked"),
                column("elements_with_all_lines", "column.elements-incl-wsis-all-expanded-figure"),
                column("declared_ids", "column.declared-element-ids"), column("derived_ids", "column.derived-element-ids"),
            ],
            rows: rows.map { row in
                let node = row.line
                return [
                    .id(node.id), row.isScope ? .text("(scope: all action lines)") : row.parent.map { .id($0) } ?? .empty,
                    .text(node.label.en), .text(node.label.zh),
                    node.attributes["itu_role"].map { .text($0.description) } ?? .empty,
                    node.attributes["itu_role_class"].map { .text($0.description) } ?? .empty,
                    .integer(row.declared.count), .integer(row.derived.count),
                    .integer(row.declared.count + row.derived.count),
                    row.isScope ? .empty : .integer(row.withScope.count),
                    .text(Describe.ids(row.declared)), .text(Describe.ids(row.derived)),
                ]
            },
            caption: strings("table.action-lines.caption"))
    }
}
