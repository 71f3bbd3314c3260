import LinkageKit

/// The analysis this plugin registers.
public let analysis: any AnalysisPlugin = WSISActionLinesAnalysis()

/// Which WSIS action lines each plan's elements support, with ITU's role on each line; the diagram
/// plan element -> action line -> SDG goal; the element's own SDG links checked against what the
/// WSIS-SDG matrix implies through its action lines; and the graph's counts per line next to the
/// counts the ITU Strategic Plan 2020–2023 prints.
public struct WSISActionLinesAnalysis: AnalysisPlugin {
    public init() {}

    public var descriptor: AnalysisDescriptor {
        AnalysisDescriptor(
            id: "wsis-action-lines",
            title: strings("analysis.title"),
            summary: strings("analysis.summary"),
            options: [
                AnalysisOption(
                    name: "plan", summary: "Plan id(s), comma-separated, or all = every plan whose elements link to an action line.",
                    type: .text, defaultValue: "all"),
                AnalysisOption(
                    name: "c7-matrix",
                    summary: "How a link to WSIS-C7 is read against the matrix (which has rows only for the C7 sub-lines): sub-lines = it implies the rows of every C7 sub-line; none = only rows of C7 itself.",
                    type: .choice(SubLineReading.allCases.map(\.rawValue)), defaultValue: SubLineReading.subLines.rawValue),
                AnalysisOption(
                    name: "min-targets",
                    summary: "Diagram: draw an action line → goal arrow when the matrix maps at least this many targets of the goal (0 = every row, whole-goal rows included); the rest are in the tables and the matrix grid.",
                    type: .integer(0...20), defaultValue: "3"),
            ],
            examples: [
                "linkage run wsis-action-lines",
                "linkage run wsis-action-lines --set plan=baap",
                "linkage run wsis-action-lines --set plan=kap --set c7-matrix=none",
            ])
    }

    public func run(_ context: AnalysisContext) throws -> AnalysisResult {
        let graph = context.graph
        let readingValue = context.options.string("c7-matrix", default: SubLineReading.subLines.rawValue)
        guard let reading = SubLineReading(rawValue: readingValue) else {
            throw AnalysisOptionError(option: "c7-matrix", "expected one of \(SubLineReading.allCases.map(\.rawValue).joined(separator: ", ")), got '\(readingValue)'")
        }
        let minimumTargets = context.options["min-targets"].map { Int($0) } ?? 3
        guard let minimumTargets, (0...20).contains(minimumTargets) else {
            throw AnalysisOptionError(option: "min-targets", "expected an integer in 0…20, got '\(context.options["min-targets"] ?? "")'")
        }
        let plans = try context.plans("plan", having: [.supportsWSIS])
        context.progress("reading the action lines and the WSIS-SDG matrix")
        let catalog = ActionLineCatalog(graph: graph)
        let matrix = SDGMatrix(graph: graph)
        var diagram = PlanDiagram(graph: graph, catalog: catalog, matrix: matrix, reading: reading)
        diagram.minimumTargets = minimumTargets

        var result = AnalysisResult()
        if catalog.lines.isEmpty {
            result.findings.append(Finding(.warning, code: "no-action-lines", strings("finding.no-action-lines")))
            return result
        }
        if plans.isEmpty {
            result.findings.append(Finding(.warning, code: "no-plan-links", strings("finding.no-plan-links")))
        }

        var planLinks: [PlanLineLinks] = []
        var consistencyTables: [ResultTable] = []
        var consistencyHeadline: [HeadlineFigure] = []
        var consistencyFindings: [Finding] = []
        var consistencyViews: [ViewSpec] = []
        for (index, plan) in plans.enumerated() {
            context.progress("plan \(plan.id) (\(index + 1)/\(plans.count)): action lines, diagram, matrix check")
            let links = PlanLineLinks(plan: plan, graph: graph, catalog: catalog)
            planLinks.append(links)

            // Part 1.
            let coverage = LineCoverage(links: links, catalog: catalog)
            result.tables.append(coverage.table())
            let all = links.allLinks
            result.headline.append(HeadlineFigure(
                strings("headline.linked", ["plan": plan.id]), "\(coverage.linkedElements.count) / \(plan.elements.count)"))
            result.headline.append(HeadlineFigure(
                strings("headline.links", ["plan": plan.id]), all.count,
                note: strings("headline.links.note", ["declared": all.filter(\.declared).count, "derived": all.filter { !$0.declared }.count])))
            result.findings += coverageFindings(links: links, coverage: coverage, catalog: catalog, graph: graph)

            // Part 2 (a plan with no action-line link has nothing to draw).
            if !coverage.linkedElements.isEmpty { result.views.append(diagram.view(for: links)) }

            // Part 3.
            let consistency = PlanConsistency(
                plan: plan,
                elements: plan.elements.map {
                    ElementConsistency(element: $0, plan: plan, links: links, graph: graph, catalog: catalog, matrix: matrix, reading: reading)
                },
                graph: graph)
            consistencyTables += [consistency.elementTable(), consistency.goalTable()]
            if !consistency.checked.isEmpty { consistencyViews.append(consistency.gridView()) }
            consistencyHeadline += consistencyFigures(consistency)
            consistencyFindings += findings(for: consistency)
        }
        result.headline += consistencyHeadline
        result.tables += consistencyTables
        result.findings += consistencyFindings
        result.views += consistencyViews

        // Part 4.
        context.progress("printed counts of the Strategic Plan 2020–2023")
        let printed = PrintedCounts(graph: graph, catalog: catalog)
        result.tables.append(printed.table(plans: planLinks))
        let printedLines = catalog.mainLines.filter { printed.printedByLine[$0.id] != nil }
        result.headline.append(HeadlineFigure(
            strings("headline.printed"), "\(printedLines.count) / \(catalog.mainLines.count)",
            note: strings("headline.printed.note")))
        result.findings += printedCountFindings(printed, catalog: catalog)

        result.views.append(diagram.matrixView())
        result.tables.append(matrixSummaryTable(catalog: catalog, matrix: matrix, graph: graph))
        result.methodNotes = methodNotes(reading: reading, catalog: catalog, matrix: matrix, printed: printed)
        return result
    }

    // MARK: Findings

    func coverageFindings(links: PlanLineLinks, coverage: LineCoverage, catalog: ActionLineCatalog, graph: LinkageGraph) -> [Finding] {
        let plan = links.plan
        var findings: [Finding] = []
        let unlinked = plan.elements.map(\.id).filter { links.links(of: $0).isEmpty }
        if !unlinked.isEmpty {
            findings.append(Finding(
                unlinked.count == plan.elements.count ? .warning : .info, code: "no-action-line",
                strings("finding.no-action-line", ["plan": plan.id, "count": unlinked.count, "total": plan.elements.count]),
                ids: unlinked))
        }
        for scope in catalog.scopes {
            let elements = links.elements(linkedTo: scope.id).map(\.element)
            guard !elements.isEmpty else { continue }
            findings.append(Finding(
                .info, code: "all-action-lines",
                strings("finding.all-action-lines", ["plan": plan.id, "elements": Describe.ids(elements), "count": elements.count, "scope": scope.id]),
                ids: elements))
        }
        let derived = links.allLinks.filter { !$0.declared }
        if !derived.isEmpty {
            let rules = Set(derived.compactMap { link -> String? in
                guard case .derived(let derivation) = graph.edge(EdgeKey(source: link.element, relation: .supportsWSIS, target: link.line))?.provenance
                else { return nil }
                return derivation.rule
            }).sorted()
            let all = derived.count == links.allLinks.count
            findings.append(Finding(
                .info, code: "derived-links",
                strings(all ? "finding.derived-links.all" : "finding.derived-links", [
                    "plan": plan.id, "count": derived.count, "total": links.allLinks.count, "rules": CatalogueList(rules), "rule_count": rules.count]),
                ids: Set(derived.map(\.element)).sorted()))
        }
        for line in catalog.mainLines where !catalog.subLines(of: line.id).isEmpty {
            let whole = links.elements(linkedTo: line.id).map(\.element)
            let subs = catalog.subLines(of: line.id).flatMap { links.elements(linkedTo: $0).map(\.element) }
            guard !whole.isEmpty || !subs.isEmpty else { continue }
            findings.append(Finding(
                .info, code: "line-as-a-whole",
                strings("finding.line-as-a-whole", ["plan": plan.id, "whole": whole.count, "subs": Set(subs).count, "line": line.id,
                                                    "sublines": catalog.subLines(of: line.id).count]),
                ids: whole + Set(subs).sorted()))
        }
        return findings
    }

    func consistencyFigures(_ consistency: PlanConsistency) -> [HeadlineFigure] {
        let plan = consistency.plan.id, t = consistency.totals
        return [
            HeadlineFigure(strings("headline.checked", ["plan": plan]), "\(consistency.checked.count) / \(consistency.plan.elements.count)",
                           note: strings("headline.checked.note")),
            HeadlineFigure(strings("headline.both", ["plan": plan]), t.bothTargets),
            HeadlineFigure(strings("headline.implied-only", ["plan": plan]), t.impliedOnlyTargets,
                           note: strings("headline.implied-only.note", ["sublines": t.impliedOnlyThroughSubLines, "goal_linked": t.impliedOnlyGoalLinked])),
            HeadlineFigure(strings("headline.own-only", ["plan": plan]), t.ownOnlyTargets,
                           note: strings("headline.own-only.note", ["goal_row": t.ownOnlyGoalRow])),
            HeadlineFigure(strings("headline.goal-pairs", ["plan": plan]),
                           "\(t.bothGoals) / \(t.impliedOnlyGoals) / \(t.ownOnlyGoals)"),
        ]
    }

    func findings(for consistency: PlanConsistency) -> [Finding] {
        var findings: [Finding] = []
        for e in consistency.checked {
            let id = e.element.id
            if !e.ownGoals.isEmpty, !e.impliedGoals.isEmpty, e.bothGoals.isEmpty {
                findings.append(Finding(
                    .warning, code: "matrix-disjoint",
                    strings("finding.matrix-disjoint", ["id": id, "own": e.ownGoals.count, "implied": e.impliedGoals.count, "lines": Describe.ids(e.lineLinks.map(\.line))]),
                    ids: [id]))
            } else if e.impliedTargets.isEmpty && e.impliedGoals.isEmpty {
                findings.append(Finding(
                    .warning, code: "no-matrix-rows",
                    strings("finding.no-matrix-rows", ["id": id, "lines": Describe.ids(e.lineLinks.map(\.line)), "count": e.ownTargets.count]),
                    ids: [id]))
            } else if !e.ownOnlyTargets.isEmpty || !e.impliedOnlyTargets.isEmpty {
                let own = e.ownTargets.isEmpty
                    ? strings("finding.matrix-differs.goal-level", ["count": e.ownGoalLinks.count])
                    : strings("finding.matrix-differs.targets", ["both": e.bothTargets.count, "own": e.ownTargets.count, "own_only": e.ownOnlyTargets.count])
                findings.append(Finding(
                    .info, code: "matrix-differs",
                    strings("finding.matrix-differs", ["id": id, "own": own, "implied": e.impliedOnlyTargets.count, "both_goals": e.bothGoals.count,
                                                       "implied_goals": e.impliedOnlyGoals.count, "own_goals": e.ownOnlyGoals.count]),
                    ids: [id]))
            }
            if e.linksAllSDGs {
                findings.append(Finding(
                    .info, code: "all-sdgs",
                    strings("finding.all-sdgs", ["id": id]),
                    ids: [id]))
            }
            if !e.scopeLinks.isEmpty {
                findings.append(Finding(
                    .info, code: "all-action-lines-partly",
                    strings("finding.all-action-lines-partly", ["id": id, "lines": Describe.ids(e.lineLinks.map(\.line))]),
                    ids: [id]))
            }
        }
        return findings
    }

    func printedCountFindings(_ printed: PrintedCounts, catalog: ActionLineCatalog) -> [Finding] {
        var findings: [Finding] = []
        let missing = catalog.mainLines.filter { printed.printedByLine[$0.id] == nil }.map(\.id)
        if !missing.isEmpty {
            findings.append(Finding(
                .info, code: "sp-count-not-printed",
                strings("finding.sp-count-not-printed", ["lines": Describe.ids(missing)]),
                ids: missing))
        }
        for line in catalog.mainLines {
            if let counts = printed.printedByLine[line.id], counts.count > 1 {
                findings.append(Finding(
                    .warning, code: "sp-count-several",
                    strings("finding.sp-count-several", ["line": line.id, "count": counts.count, "first": counts[0].countNode.id]),
                    ids: counts.map(\.countNode.id)))
            }
        }
        if !printed.countsForOtherLines.isEmpty {
            findings.append(Finding(
                .info, code: "sp-count-sub-line",
                strings("finding.sp-count-sub-line", ["counts": printed.countsForOtherLines.map { "\($0.source) → \($0.target)" }.joined(separator: ", ")]),
                ids: printed.countsForOtherLines.map(\.source)))
        }
        return findings
    }

    // MARK: Matrix summary

    func matrixSummaryTable(catalog: ActionLineCatalog, matrix: SDGMatrix, graph: LinkageGraph) -> ResultTable {
        ResultTable(
            id: "wsis-sdg-matrix",
            title: strings("table.wsis-sdg-matrix"),
            columns: [
                column("action_line", "column.action-line"), column("label_en", "column.title"), column("label_zh", "column.title-chinese"),
                column("itu_role_class", "column.itu-role-class"),
                column("goal_rows", "column.rows-naming-a-whole-goal"), column("target_rows", "column.rows-naming-a-target"),
                column("goals_reached", "column.goals-reached"), column("goals", "column.goal-ids"), column("targets", "column.target-ids"),
            ],
            rows: catalog.lines.map { line in
                let rows = matrix.rows(of: line.id)
                let goals = Set(rows.map(\.goal)).sorted()
                return [
                    .id(line.id), .text(line.label.en), .text(line.label.zh),
                    line.attributes["itu_role_class"].map { .text($0.description) } ?? .empty,
                    .integer(rows.filter { $0.target == nil }.count), .integer(rows.filter { $0.target != nil }.count),
                    .integer(goals.count), .text(Describe.ids(goals)), .text(Describe.ids(rows.compactMap(\.target))),
                ]
            },
            caption: strings("table.wsis-sdg-matrix.caption"))
    }

    // MARK: Method notes

    func methodNotes(reading: SubLineReading, catalog: ActionLineCatalog, matrix: SDGMatrix, printed: PrintedCounts) -> [LocalizedText] {
        let exampleCount = catalog.mainLines.lazy.compactMap { printed.printedByLine[$0.id]?.first?.countNode.id }.first
        let wholes = catalog.mainLines.filter { !catalog.subLines(of: $0.id).isEmpty }.map(\.id)
        let wholeText = wholes.isEmpty ? "WSIS-C7" : Describe.ids(wholes)
        let wholesWithoutRows = wholes.filter { matrix.rows(of: $0).isEmpty }
        let noneStated = catalog.lines.filter { $0.attributes["itu_role_class"]?.stringValue == "none-stated" }.map(\.id)
        return [
            strings("note.links"),
            strings("note.whole", ["line": wholeText]),
            strings("note.wsis-all"),
            noneStated.isEmpty ? strings("note.role.no-line") : strings("note.role", ["lines": Describe.ids(noneStated)]),
            strings("note.matrix-source"),
            strings("note.implied", ["reading": reading == .subLines
                ? (wholesWithoutRows.isEmpty ? strings("note.implied.sub-lines", ["line": wholeText])
                    : strings("note.implied.sub-lines.no-rows", ["line": wholeText, "without": Describe.ids(wholesWithoutRows)]))
                : (wholesWithoutRows.isEmpty ? strings("note.implied.none", ["line": wholeText])
                    : strings("note.implied.none.no-rows", ["line": wholeText, "without": Describe.ids(wholesWithoutRows)]))]),
            strings("note.own-links"),
            strings("note.levels"),
            strings("note.difference"),
            exampleCount.map { strings("note.sp-counts.example", ["example": $0]) } ?? strings("note.sp-counts"),
            strings("note.diagrams"),
        ]
    }
}
