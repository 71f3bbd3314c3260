/// The starting points `linkage new-analysis` writes. Both do the same real, small analysis (a
/// plan's elements and the SDG goals they reach) so that what an author changes first is the
/// question, not the plumbing. A test scaffolds each in a copy of the repository and runs it.
enum SwiftTemplate {
    static func source(name: String, id: String) -> String {
        """
        import LinkageKit

        /// The analysis this plugin registers (the registry is generated from Package.swift).
        public let analysis: any AnalysisPlugin = \(name)Analysis()

        /// A starting point: the elements of a plan and the SDG goals they reach. Replace the
        /// question, keep the shape: read the graph, return figures, findings, tables and views;
        /// the host writes the report, the CSV files, result.json and the diagrams.
        public struct \(name)Analysis: AnalysisPlugin {
            public init() {}

            public var descriptor: AnalysisDescriptor {
                AnalysisDescriptor(
                    id: "\(id)",
                    title: strings("analysis.title"),
                    summary: strings("analysis.summary"),
                    options: [
                        AnalysisOption(name: "plan", summary: "The plan to look at (see `linkage datasets`).", type: .text, defaultValue: "baap"),
                    ],
                    examples: ["linkage run \(id)", "linkage run \(id) --set plan=kap"])
            }

            public func run(_ context: AnalysisContext) throws -> AnalysisResult {
                let graph = context.graph
                let plan = graph.resolve(try context.requirePlan("plan", context.options.string("plan", default: "baap")))
                var result = AnalysisResult()
                var rows: [[TableValue]] = []
                var goalsReached = Set<NodeID>()
                var lines: [ViewEdge] = []
                for element in plan.elements {
                    let links = graph.outgoing(element.id, relation: .advancesSDG)
                    // A link to a target counts for its goal (SDGPosition knows the goal of any SDG node).
                    let goals = Set(links.compactMap { graph.sdgPosition($0.target)?.goal }).sorted()
                    goalsReached.formUnion(goals)
                    rows.append([.id(element.id), .text(element.label.en), .text(element.label.zh), .integer(links.count),
                                 .text(goals.map(\\.rawValue).joined(separator: " "))])
                    if links.isEmpty {
                        result.findings.append(Finding(
                            .warning, code: "no-sdg-link",
                            strings("finding.no-sdg-link", ["element": element.id]), ids: [element.id]))
                    }
                    for goal in goals {
                        // One line per goal. It is declared only when every link it sums is.
                        let summed = links.filter { graph.sdgPosition($0.target)?.goal == goal }
                        lines.append(ViewEdge(
                            source: element.id, target: goal, relation: .advancesSDG,
                            relationLabel: graph.vocabulary.spec(RelationKind.advancesSDG)?.label ?? .same("advances SDG"),
                            declared: summed.allSatisfy(\\.isDeclared),
                            tooltip: summed.map { ProvenanceText.oneLine($0) }.joined(separator: "\\n"), label: String(summed.count)))
                    }
                }
                result.headline = [
                    HeadlineFigure(strings("headline.elements"), plan.elements.count),
                    HeadlineFigure(strings("headline.goals"), goalsReached.count),
                ]
                result.tables = [
                    ResultTable(
                        id: "elements", title: strings("table.elements"),
                        columns: [TableColumn("element", strings("column.element")),
                                  TableColumn("label_en", strings("column.label-en")),
                                  TableColumn("label_zh", strings("column.label-zh")),
                                  TableColumn("sdg_links", strings("column.sdg-links")),
                                  TableColumn("goals", strings("column.goals"))],
                        rows: rows,
                        caption: strings("table.elements.caption")),
                ]
                // The builder draws graph nodes as every analysis does (labels, colours, tooltips).
                let builder = NetworkViewBuilder(graph: graph)
                let goals = goalsReached.sorted()
                var network = builder.build(nodes: plan.elements.map(\\.id) + goals, edges: [], ranks: [plan.elements.map(\\.id), goals])
                network.edges = lines
                result.views = [
                    ViewSpec(
                        id: "\(id)-\\(plan.id)",
                        title: strings("view.title", ["plan": plan.label]),
                        subtitle: strings("view.subtitle"),
                        diagram: .network(network)),
                ]
                result.methodNotes = [
                    strings("note.targets"),
                ]
                return result
            }
        }

        """
    }

    /// The analysis's sentences, one file per language (the report is written in each language
    /// `--lang` asks for); `strings("key", ["value": …])` fills them in.
    static func catalogue() -> String {
        """
        import LinkageKit

        /// The analysis's fixed sentences, English (`en.swift`) and Chinese (`zh.swift`).
        let strings = StringCatalogue(en: englishStrings, zh: chineseStrings)

        """
    }

    static func english(name: String) -> String {
        """
        // The English sentences of the analysis. `{name}` is a value; `{n:one|many}` chooses the
        // English singular or plural by the number n.
        let englishStrings: [String: String] = [
            "analysis.title": "\(name)",
            "analysis.summary": "The elements of a plan and the SDG goals they reach.",
            "finding.no-sdg-link": "{element} has no SDG link.",
            "headline.elements": "Plan elements",
            "headline.goals": "SDG goals reached",
            "table.elements": "Plan elements and their SDG goals",
            "table.elements.caption": "One row per element of the plan.",
            "column.element": "Element",
            "column.label-en": "Label",
            "column.label-zh": "Label (Chinese)",
            "column.sdg-links": "SDG links",
            "column.goals": "Goals",
            "view.title": "{plan}: elements and SDG goals",
            "view.subtitle": "The number on a line counts the links it sums; dashed lines stand on derived links.",
            "note.targets": "A link to a target counts for the goal the target belongs to.",
        ]

        """
    }

    static func chinese(name: String) -> String {
        """
        // 本分析的中文语句：与 en.swift 的键相同，{name} 处填入同样的值。
        let chineseStrings: [String: String] = [
            "analysis.title": "\(name)",
            "analysis.summary": "计划要素及其联系到的可持续发展目标。",
            "finding.no-sdg-link": "{element} 没有可持续发展目标联系。",
            "headline.elements": "计划要素",
            "headline.goals": "联系到的可持续发展目标",
            "table.elements": "计划要素及其可持续发展目标",
            "table.elements.caption": "每个计划要素一行。",
            "column.element": "要素",
            "column.label-en": "英文名称",
            "column.label-zh": "中文名称",
            "column.sdg-links": "联系数",
            "column.goals": "目标",
            "view.title": "{plan}：要素与可持续发展目标",
            "view.subtitle": "线上数字为所汇总的联系数；虚线表示推导所得的联系。",
            "note.targets": "对具体目标的联系计入其所属的目标。",
        ]

        """
    }

    static func tests(name: String, id: String) -> String {
        """
        import LinkageKit
        import LinkageTestSupport
        import Testing
        @testable import \(name)

        @Suite("\(name)")
        struct \(name)Tests {
            /// A graph small enough to check every figure by hand (FixtureGraph builds it in code).
            static func fixture() -> LinkageGraph {
                var fixture = FixtureGraph()
                fixture.declare("output", role: .planElement)
                fixture.plan("baap", elements: ["output"])
                fixture.sdg(goals: [4, 9], targets: ["9.c", "4.4"])
                fixture.node("OUT-1", "output")
                fixture.node("OUT-2", "output")
                fixture.link("OUT-1", .advancesSDG, ["SDG-9.c", "SDG-4.4"])
                fixture.link("OUT-1", .advancesSDG, ["SDG-9"], derivedBy: "a-rule")
                return fixture.build()
            }

            @Test func countsTheSDGGoalsOfEachElement() throws {
                let graph = Self.fixture()
                let result = try \(name)Analysis().run(AnalysisContext(graph: graph))
                #expect(result.tables[0].rows.map { $0[3] } == [.integer(3), .integer(0)])
                #expect(result.tables[0].rows[0][4] == .text("SDG-4 SDG-9"))
                #expect(result.findings.map(\\.ids) == [["OUT-2"]])
                guard case .network(let network) = result.views[0].diagram else { Issue.record("expected a network view"); return }
                // The line to goal 9 sums a declared and a derived link: it is drawn derived.
                #expect(network.edges.map { "\\($0.target) \\($0.declared) \\($0.label ?? "")" } == ["SDG-4 true 1", "SDG-9 false 2"])
                // The checks the host applies to results from outside the build pass too.
                #expect(ResultValidator(graph: graph).problems(in: result).isEmpty)
            }

            /// Every sentence in both languages with the same values, and nothing unused.
            @Test func theStringCatalogueIsComplete() {
                let problems = CatalogueCheck.problems(strings, sources: Repository.root.appendingPathComponent("Plugins/\(name)/Sources"))
                #expect(problems.isEmpty, "\\(problems.joined(separator: "\\n"))")
            }

            @Test func unknownPlanIsAnOptionError() {
                #expect(throws: AnalysisOptionError.self) {
                    try \(name)Analysis().run(AnalysisContext(graph: Self.fixture(), options: AnalysisOptions(["plan": "nope"])))
                }
            }

            @Test func runsOnTheBundledDatasets() throws {
                let graph = Repository.loaded.graph
                let result = try \(name)Analysis().run(AnalysisContext(graph: graph))
                #expect(result.tables[0].rows.count == 17)  // the BAAP's 17 outputs
                #expect(ResultValidator(graph: graph).problems(in: result).isEmpty)
            }
        }

        """
    }
}

enum PythonTemplate {
    static func program(name: String, id: String) -> String {
        """
        #!/usr/bin/env python3
        \"\"\"\(name): the elements of a plan and the SDG goals they reach (a starting point: change the question).

        An external analysis for linkage (docs/external-analyses.md): `linkage run \(id)`.\"\"\"

        from linkage_analysis import Analysis, node_id, option, text

        analysis = Analysis("\(id)", text("\(name)"), text("The elements of a plan and the SDG goals they reach.",
                                                                "计划要素及其联系到的可持续发展目标。"),
                            options=[option("plan", "The plan to look at (see `linkage datasets`).", default="baap")])


        @analysis.run
        def run(graph, options, result):
            rows, lines = [], {}
            for element in graph.plan_elements(options["plan"]):
                links = graph.outgoing(element.id, "advances-sdg")
                for link in links:  # a link to a target counts for the target's goal
                    goal = graph.ancestor_of_kind(link.target, "sdg-goal")
                    if goal:
                        lines.setdefault((element.id, goal.id), []).append(link)
                goals = sorted({g for (e, g) in lines if e == element.id}, key=lambda g: int(g.split("-")[1]))
                rows.append([node_id(element.id), element.en, len(links), " ".join(goals)])
                if not links:
                    result.finding("warning", "no-sdg-link", text(f"{element.id} has no SDG link.", f"{element.id} 没有可持续发展目标联系。"),
                                   ids=[element.id])
            result.figure(text("Plan elements", "计划要素"), len(rows))
            result.table("elements", text("Plan elements and their SDG goals", "计划要素及其可持续发展目标"),
                         ["element", "label_en", "sdg_links", "goals"], rows)
            # One line per element and goal, solid only when every link it sums is declared.
            elements, goals = [row[0]["id"] for row in rows], sorted({g for (_, g) in lines}, key=lambda g: int(g.split("-")[1]))
            result.network("elements", text("Elements and the SDG goals they reach", "计划要素及其联系到的可持续发展目标"),
                           elements + goals,
                           [{"source": e, "relation": "advances-sdg", "target": g, "label": str(len(links)),
                             "declared": all(link.declared for link in links), "tooltip": "\\n".join(link.basis() for link in links)}
                            for (e, g), links in lines.items()],
                           ranks=[elements, goals])


        if __name__ == "__main__":
            analysis.main()

        """
    }

    static func tests(id: String) -> String {
        """
        \"\"\"Tests of analyses/\(id) on a graph small enough to check by hand.

        Run: python3 -m unittest discover -s analyses/tests -t analyses\"\"\"

        import importlib.machinery
        import importlib.util
        import os
        import unittest

        from linkage_analysis import make_request, text

        HERE = os.path.dirname(os.path.abspath(__file__))
        loader = importlib.machinery.SourceFileLoader("\(id.replacingOccurrences(of: "-", with: "_"))", os.path.join(HERE, "..", "\(id)"))
        program = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
        loader.exec_module(program)

        REQUEST = make_request(
            nodes=[("OUT-1", "output", "Output 1"), ("OUT-2", "output", "Output 2"),
                   ("SDG-9", "sdg-goal", "Goal 9"), ("SDG-9.c", "sdg-target", "Target 9.c")],
            edges=[("SDG-9.c", "part-of", "SDG-9"), ("OUT-1", "advances-sdg", "SDG-9.c")],
            plans=[{"id": "baap", "label": text("BAAP"), "elements": ["output"]}])


        class AnalysisTests(unittest.TestCase):
            def test_elements_and_their_goals(self):
                result = program.analysis.execute(REQUEST)
                self.assertEqual(result["tables"][0]["rows"], [[{"id": "OUT-1"}, "Output 1", 1, "SDG-9"],
                                                               [{"id": "OUT-2"}, "Output 2", 0, ""]])
                self.assertEqual([f["ids"] for f in result["findings"]], [["OUT-2"]])
                network = result["views"][0]["network"]
                self.assertEqual(network["nodes"], ["OUT-1", "OUT-2", "SDG-9"])
                self.assertEqual([(e["source"], e["target"], e["label"], e["declared"]) for e in network["edges"]],
                                 [("OUT-1", "SDG-9", "1", True)])


        if __name__ == "__main__":
            unittest.main()

        """
    }
}
