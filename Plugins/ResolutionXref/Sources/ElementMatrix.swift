import LinkageKit

/// A grid per plan: each element against the kinds of mandate it cites (counts), the scopes it
/// cites, the ids its lists repeat and the mandates it only mentions. It shows at a glance
/// which elements cite much, little, only "all of them", or nothing.
struct ElementMatrix {
    let index: CitationIndex

    var graph: LinkageGraph { index.graph }

    static let kindOrder: [NodeKind] = [.ppResolution, .ppDecision, .wtdcResolution, .ituDRecommendation]

    func views() -> [ViewSpec] {
        index.plans.filter { !$0.links.isEmpty }.map(view)
    }

    private func view(_ plan: PlanCitations) -> ViewSpec {
        let present = Set(plan.links.filter { !$0.isScope }.compactMap { graph.node($0.mandate)?.kind })
        let kinds = Self.kindOrder.filter(present.contains) + present.subtracting(Self.kindOrder).sorted()
        let scopes = Set(plan.links.filter(\.isScope).map(\.mandate)).sorted()
        let hasDuplicates = plan.links.contains { $0.occurrences > 1 }
        let hasMentions = !plan.mentions.isEmpty

        var columns = kinds.map { kind -> MatrixAxisEntry in
            let label = graph.vocabulary.spec(kind)?.label ?? LocalizedText(zh: kind.rawValue, en: kind.rawValue)
            // "recommendation" does not fit a column head; ITU writes "Rec." itself.
            let head = kind == .ituDRecommendation ? strings("grid.recommendation-head") : label
            return MatrixAxisEntry(label: head, tooltip: label.en)
        }
        columns += scopes.map { id in
            let label = graph.node(id)?.label ?? LocalizedText(zh: id.rawValue, en: id.rawValue)
            return MatrixAxisEntry(label: strings("grid.scope-column", ["label": label]), tooltip: id.rawValue)
        }
        if hasDuplicates { columns.append(MatrixAxisEntry(label: strings("grid.listed-twice"))) }
        if hasMentions { columns.append(MatrixAxisEntry(label: strings("grid.mentions"))) }

        let maxCount = max(1, plan.plan.elements.map { element in
            kinds.map { kind in plan.links(of: element.id).filter { graph.node($0.mandate)?.kind == kind }.count }.max() ?? 0
        }.max() ?? 1)
        let mandateColour = "#A4262C", scopeColour = "#5F6368", duplicateColour = "#E8710A", mentionColour = "#BDBDBD"
        var rows: [MatrixAxisEntry] = []
        var cells: [[MatrixCell]] = []
        for element in plan.plan.elements {
            let links = plan.links(of: element.id)
            let derived = !links.isEmpty && links.allSatisfy { !$0.isDeclared }
            let mark = derived ? "*" : ""
            rows.append(MatrixAxisEntry(label: LocalizedText(zh: "\(element.id) \(element.label.zh)", en: "\(element.id) \(element.label.en)"),
                                        tooltip: "\(element.id) \(element.label.en)" + (derived ? " (every link derived)" : "")))
            var row: [MatrixCell] = []
            for kind in kinds {
                let ofKind = links.filter { graph.node($0.mandate)?.kind == kind }
                let n = ofKind.count
                row.append(n == 0 ? MatrixCell("·", tooltip: "none")
                    : MatrixCell("\(n)\(mark)", colour: ColourScale.tint(mandateColour, strength: 0.15 + 0.85 * Double(n) / Double(maxCount)),
                                 tooltip: ofKind.map(\.mandate).joinedIDs))
            }
            for scope in scopes {
                let cites = links.contains { $0.mandate == scope }
                row.append(cites ? MatrixCell(text: strings("grid.all", ["mark": mark]), colour: ColourScale.tint(scopeColour, strength: 0.35), tooltip: scope.rawValue)
                    : MatrixCell("·", tooltip: "none"))
            }
            if hasDuplicates {
                let repeated = links.filter { $0.occurrences > 1 }
                row.append(repeated.isEmpty ? MatrixCell("·", tooltip: "none")
                    : MatrixCell(repeated.map { "\($0.mandate.rawValue.replacingOccurrences(of: "-RES-", with: " "))" }.joined(separator: ", "),
                                 colour: ColourScale.tint(duplicateColour, strength: 0.45), tooltip: repeated.map { "\($0.mandate) ×\($0.occurrences)" }.joined(separator: ", ")))
            }
            if hasMentions {
                let mentioned = Set(plan.mentions.filter { $0.source == element.id }.map(\.target)).sorted()
                row.append(mentioned.isEmpty ? MatrixCell("·", tooltip: "none")
                    : MatrixCell(String(mentioned.count), colour: ColourScale.tint(mentionColour, strength: 0.5), tooltip: mentioned.joinedIDs))
            }
            cells.append(row)
        }
        var legend = [MatrixLegendEntry(colour: mandateColour, label: strings("grid.legend.implemented"))]
        if !scopes.isEmpty { legend.append(MatrixLegendEntry(colour: ColourScale.tint(scopeColour, strength: 0.35), label: strings("grid.legend.scope"))) }
        if hasDuplicates { legend.append(MatrixLegendEntry(colour: ColourScale.tint(duplicateColour, strength: 0.45), label: strings("grid.legend.listed-twice"))) }
        if hasMentions { legend.append(MatrixLegendEntry(colour: ColourScale.tint(mentionColour, strength: 0.5), label: strings("grid.legend.mentioned"))) }
        // The derived mark is explained in the subtitle, which has the width for it.
        let via = index.viaKinds(plan)
        let derivedNote = via.map { strings("grid.derived-note", ["via": $0]) }
        return ViewSpec(
            id: "citations-per-element-" + ViewSpec.fileSafe(plan.id),
            title: strings("grid.title", ["plan": plan.plan.label]),
            subtitle: strings("grid.subtitle", ["derived": derivedNote ?? .same("")]),
            caption: DerivationCaption.describe(
                routes: plan.plan.elements.flatMap { graph.outgoing($0.id, relation: .implements).map { [$0] } },
                graph: graph, plan: plan.plan.label, marker: strings("grid.marker")),
            diagram: .matrix(MatrixView(
                rowHeader: strings("grid.row-header"), columnHeader: strings("grid.column-header"),
                rows: rows, columns: columns, cells: cells, legend: legend,
                footnote: strings("grid.footnote"))))
    }
}
