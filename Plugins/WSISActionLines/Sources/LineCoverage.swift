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
            title: "\(plan.label.en): plan elements per WSIS action line",
            columns: [
                TableColumn("action_line", "Action line"), TableColumn("part_of", "Part of"),
                TableColumn("label_en", "Title"), TableColumn("label_zh", "标题"),
                TableColumn("itu_role", "ITU role (as written)"), TableColumn("itu_role_class", "ITU role class"),
                TableColumn("elements_declared", "Elements, declared link"), TableColumn("elements_derived", "Elements, derived link"),
                TableColumn("elements_total", "Elements linked"),
                TableColumn("elements_with_all_lines", "Elements incl. WSIS-ALL (expanded figure)"),
                TableColumn("declared_ids", "Declared: element ids"), TableColumn("derived_ids", "Derived: element ids"),
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
            caption: "One row per WSIS action line and C7 sub-line (Geneva order), then WSIS-ALL. "
                + "A link to WSIS-C7 counts on the C7 row only (C7 as a whole), never on its sub-lines; "
                + "a link to WSIS-ALL (\"all action lines\") counts on the WSIS-ALL row only. "
                + "`elements_with_all_lines` adds the WSIS-ALL elements to every line: the figure if \"all\" were expanded.")
    }
}
