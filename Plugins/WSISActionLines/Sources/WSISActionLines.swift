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
            title: "WSIS action lines",
            summary: "Which WSIS action lines each plan's elements support (with ITU's role), how that maps to SDGs through the WSIS-SDG matrix, whether the elements' own SDG links agree with the matrix, and the SP 2020–2023's printed counts per line.",
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
            result.findings.append(Finding(.warning, code: "no-action-lines", "The graph has no WSIS action lines (kind wsis-action-line): nothing to analyse."))
            return result
        }
        if plans.isEmpty {
            result.findings.append(Finding(.warning, code: "no-plan-links", "No plan of the graph has an element linked to a WSIS action line (supports-wsis)."))
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
                "\(plan.id): elements linked to an action line (or WSIS-ALL)", "\(coverage.linkedElements.count) of \(plan.elements.count)"))
            result.headline.append(HeadlineFigure(
                "\(plan.id): element → action line links", all.count,
                note: "\(all.filter(\.declared).count) declared, \(all.filter { !$0.declared }.count) derived"))
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
            "Action lines with a count printed by the Strategic Plan 2020–2023", "\(printedLines.count) of \(catalog.mainLines.count)",
            note: "ITU-wide outputs/activities as the SP prints them; not comparable to the plan-element counts"))
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
                "\(plan.id): \(unlinked.count) of \(plan.elements.count) elements have no link to any action line in the graph.",
                ids: unlinked))
        }
        for scope in catalog.scopes {
            let elements = links.elements(linkedTo: scope.id).map(\.element)
            guard !elements.isEmpty else { continue }
            findings.append(Finding(
                .info, code: "all-action-lines",
                "\(plan.id): \(Describe.ids(elements)) link\(elements.count == 1 ? "s" : "") to \(scope.id) (all action lines); counted on its own row and not expanded into every line (the with-all-lines column shows the expanded figure) and left out of the matrix check.",
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
                "\(plan.id): \(all ? "all " : "")\(Describe.plural(derived.count, "action-line link")) \(all ? "are" : "of \(links.allLinks.count) are") derived, not stated by the plan's document (rule\(rules.count == 1 ? "" : "s") \(rules.joined(separator: ", "))); dashed in the diagram.",
                ids: Set(derived.map(\.element)).sorted()))
        }
        for line in catalog.mainLines where !catalog.subLines(of: line.id).isEmpty {
            let whole = links.elements(linkedTo: line.id).map(\.element)
            let subs = catalog.subLines(of: line.id).flatMap { links.elements(linkedTo: $0).map(\.element) }
            guard !whole.isEmpty || !subs.isEmpty else { continue }
            findings.append(Finding(
                .info, code: "line-as-a-whole",
                "\(plan.id): \(Describe.plural(whole.count, "element")) link to \(line.id) as a whole, \(Describe.plural(Set(subs).count, "element")) to one of its \(catalog.subLines(of: line.id).count) sub-lines; a link to \(line.id) is counted for \(line.id) only, not for each sub-line.",
                ids: whole + Set(subs).sorted()))
        }
        return findings
    }

    func consistencyFigures(_ consistency: PlanConsistency) -> [HeadlineFigure] {
        let plan = consistency.plan.id, t = consistency.totals
        return [
            HeadlineFigure("\(plan): elements checked against the WSIS-SDG matrix", "\(consistency.checked.count) of \(consistency.plan.elements.count)",
                           note: "elements with at least one named action line (WSIS-ALL is not expanded)"),
            HeadlineFigure("\(plan): element–target pairs own and implied", t.bothTargets),
            HeadlineFigure("\(plan): element–target pairs implied by the matrix but not own", t.impliedOnlyTargets,
                           note: "\(t.impliedOnlyThroughSubLines) only through C7 sub-lines; \(t.impliedOnlyGoalLinked) in a goal the element links as a whole"),
            HeadlineFigure("\(plan): element–target pairs own but not implied by the matrix", t.ownOnlyTargets,
                           note: "\(t.ownOnlyGoalRow) in a goal the matrix maps as a whole"),
            HeadlineFigure("\(plan): element–goal pairs both / implied only / own only",
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
                    "\(id): none of its \(Describe.plural(e.ownGoals.count, "own SDG goal")) is among the \(e.impliedGoals.count) goals the matrix maps its action lines (\(Describe.ids(e.lineLinks.map(\.line)))) to.",
                    ids: [id]))
            } else if e.impliedTargets.isEmpty && e.impliedGoals.isEmpty {
                findings.append(Finding(
                    .warning, code: "no-matrix-rows",
                    "\(id): the matrix has no rows for its action lines (\(Describe.ids(e.lineLinks.map(\.line)))), so nothing is implied; all \(Describe.plural(e.ownTargets.count, "own target")) count as not implied.",
                    ids: [id]))
            } else if !e.ownOnlyTargets.isEmpty || !e.impliedOnlyTargets.isEmpty {
                let own = e.ownTargets.isEmpty
                    ? "links SDGs at goal level only (\(Describe.plural(e.ownGoalLinks.count, "goal")))"
                    : "\(e.bothTargets.count) of its \(Describe.plural(e.ownTargets.count, "own SDG target")) implied by its action lines, \(e.ownOnlyTargets.count) not"
                findings.append(Finding(
                    .info, code: "matrix-differs",
                    "\(id): \(own); \(Describe.plural(e.impliedOnlyTargets.count, "implied target")) not among its own. Goals: \(e.bothGoals.count) both, \(e.impliedOnlyGoals.count) implied only, \(e.ownOnlyGoals.count) own only.",
                    ids: [id]))
            }
            if e.linksAllSDGs {
                findings.append(Finding(
                    .info, code: "all-sdgs",
                    "\(id) also links to SDG-ALL (all SDGs); that scope link is not expanded, so its implied-only targets are not counted as covered by it.",
                    ids: [id]))
            }
            if !e.scopeLinks.isEmpty {
                findings.append(Finding(
                    .info, code: "all-action-lines-partly",
                    "\(id) links to WSIS-ALL besides named lines; only the named lines (\(Describe.ids(e.lineLinks.map(\.line)))) are read against the matrix.",
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
                "The Strategic Plan 2020–2023 prints no count for \(Describe.ids(missing)): shown as \"not printed\", not zero.",
                ids: missing))
        }
        for line in catalog.mainLines {
            if let counts = printed.printedByLine[line.id], counts.count > 1 {
                findings.append(Finding(
                    .warning, code: "sp-count-several",
                    "\(line.id) has \(counts.count) printed count nodes; the table shows the first (\(counts[0].countNode.id)).",
                    ids: counts.map(\.countNode.id)))
            }
        }
        if !printed.countsForOtherLines.isEmpty {
            findings.append(Finding(
                .info, code: "sp-count-sub-line",
                "Printed counts for sub-lines are not in the comparison table (it has one row per main line): \(printed.countsForOtherLines.map { "\($0.source) → \($0.target)" }.joined(separator: ", ")).",
                ids: printed.countsForOtherLines.map(\.source)))
        }
        return findings
    }

    // MARK: Matrix summary

    func matrixSummaryTable(catalog: ActionLineCatalog, matrix: SDGMatrix, graph: LinkageGraph) -> ResultTable {
        ResultTable(
            id: "wsis-sdg-matrix",
            title: "The WSIS-SDG matrix per action line (UWI transcription)",
            columns: [
                TableColumn("action_line", "Action line"), TableColumn("label_en", "Title"), TableColumn("label_zh", "标题"),
                TableColumn("itu_role_class", "ITU role class"),
                TableColumn("goal_rows", "Rows naming a whole goal"), TableColumn("target_rows", "Rows naming a target"),
                TableColumn("goals_reached", "Goals reached"), TableColumn("goals", "Goal ids"), TableColumn("targets", "Target ids"),
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
            caption: "One row per action line and C7 sub-line: its maps-to-sdg links in the graph, i.e. the rows of the WSIS-SDG matrix (UWI's transcription).")
    }

    // MARK: Method notes

    func methodNotes(reading: SubLineReading, catalog: ActionLineCatalog, matrix: SDGMatrix, printed: PrintedCounts) -> [LocalizedText] {
        let exampleCount = catalog.mainLines.lazy.compactMap { printed.printedByLine[$0.id]?.first?.countNode.id }.first
        let wholes = catalog.mainLines.filter { !catalog.subLines(of: $0.id).isEmpty }.map(\.id)
        let wholeText = wholes.isEmpty ? "WSIS-C7" : Describe.ids(wholes)
        let wholesWithoutRows = wholes.filter { matrix.rows(of: $0).isEmpty }
        let noneStated = catalog.lines.filter { $0.attributes["itu_role_class"]?.stringValue == "none-stated" }.map(\.id)
        return [
            "Action-line links are the plan elements' `supports-wsis` links, declared (stated by the plan's document, cited) or derived (by a named rule, which the derived-links finding names; `linkage show ID` prints its path). Every table has the provenance; derived links are dashed in the diagrams.",
            "A link to \(wholeText) counts for \(wholeText) as a whole: on its own row, never on the rows of its sub-lines. In the SP comparison the \(wholeText) row counts elements linked to \(wholeText) or to one of its sub-lines (once each), because the SP counts \(wholeText) as a whole.",
            "WSIS-ALL stands for a document saying \"all action lines\". It is its own row and is not expanded into every line; the `elements_with_all_lines` columns give the figure if it were. Elements linked only to WSIS-ALL are not checked against the matrix; SDG-ALL links (all SDGs) are likewise not expanded.",
            "ITU's role: `itu_role` is the wording of the wsis dataset (from WTDC Resolution 30, Rev. Dubai 2014, via the reference table), `itu_role_class` its class facilitator | partner | none-stated; none-stated means the source gives no role for the line (\(noneStated.isEmpty ? "no line here" : Describe.ids(noneStated))), not that ITU has none.",
            "The WSIS-SDG matrix in the graph is the University of the West Indies' third-party transcription (uwidcit/WSIS-SDG-Matrix, 2019) of the ITU/UN matrix at www.wsis.org/sdg: a strong reference, not an ITU file. A row names a whole goal or a target.",
            .same("Implied, precisely: for an element E, target T is implied when E links (supports-wsis, declared or derived) to a named action line L and the matrix has a row L → T. Goal G is implied when such a row names G or a target of G. "
                + (reading == .subLines
                    ? "Option c7-matrix=sub-lines (default): a link to \(wholeText) also reaches the rows of each of its sub-lines\(wholesWithoutRows.isEmpty ? "" : " (the matrix has none for \(Describe.ids(wholesWithoutRows)) itself)"); such targets are marked '(sub-line of …)' and counted separately. "
                    : "Option c7-matrix=none: a link to \(wholeText) reaches only rows of \(wholeText) itself\(wholesWithoutRows.isEmpty ? "" : " (the matrix has none for \(Describe.ids(wholesWithoutRows)), so such links imply nothing)"). ")
                + "Implication is this analysis's reading of two sources put together, never a link of the graph and never a statement of the plan."),
            "Own links: the element's `advances-sdg` links, whatever their provenance (column `sdg_provenance`; for the KAP they are derived). An indicator counts as its target; a goal-level link (the element names the goal, not a target) counts at goal level only.",
            "Target level compares target rows of the matrix with the element's own targets: 'implied, not own' pairs whose goal the element links as a whole, and 'own, not implied' pairs whose goal the matrix maps as a whole, are counted separately because the sources only disagree on detail there. Goal level compares the goals of all rows with the goals of all own links. Totals are sums of element–target (element–goal) pairs over the checked elements: a target implied for five elements counts five times.",
            "A difference is not an error of either source: the plan's authors chose SDG targets for their output; the matrix maps action lines to SDGs in general. Read 'own, not implied' as SDG links the matrix does not back through these lines, and 'implied, not own' as SDGs the matrix associates with the lines that the element does not name.",
            "Strategic Plan 2020–2023 counts (nodes linked by `sp20-counts-for`, attributes `count_printed_*`\(exampleCount.map { "; e.g. `linkage show \($0)`" } ?? "")): the numbers of ITU outputs and activities (ITU-wide, all Sectors) the SP maps to each action line, as printed (each count node cites the place). The graph's count is the number of elements of one plan linked to the line. They measure different things and are put side by side only to be read together; a line without an SP count is 'not printed', not zero.",
            "Diagrams: elements without any action-line link are not drawn (they are in the tables); line → goal arrows aggregate the matrix rows per goal (number of targets; G = the whole goal), thicker for more rows, and only mappings with at least `min-targets` targets are drawn so that the diagram stays readable at A4 (`(+n)` after a line: n goals not drawn). The WSIS-SDG matrix grid and the tables have every row; the grid per plan shows the goal-level check.",
        ]
    }
}
