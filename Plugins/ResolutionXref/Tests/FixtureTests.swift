import LinkageKit
import LinkageTestSupport
@testable import ResolutionXref
import Testing

/// Two plans and a small registry. Every expectation below is counted by hand from these lines.
///
/// Plan `early` ("Early plan 2018–2021"), five outputs, all links declared:
///   OUT-1.1 implements PP-RES-1, PP-RES-2, WTDC-RES-10, WTDC-RES-ALL
///   OUT-1.2 implements PP-RES-1, PP-RES-2 (listed twice), WTDC-RES-10, WTDC-RES-11
///   OUT-1.3 implements WTDC-RES-ALL only
///   OUT-2.1 implements PP-RES-1, WTDC-RES-10, WTDC-RES-11, WTDC-RES-12, WTDC-RES-73; mentions WTDC-RES-11
///   OUT-2.2 implements nothing; mentions PP-RES-16
/// Plan `late` ("Late plan 2023–2027"), two priorities, links derived:
///   PRI-1 implements PP-RES-1 (curated rule, no path) and WTDC-RES-12 (through TH-1 and OUT-2.1)
///   PRI-2 implements nothing
/// Registry: PP-DEC-5 and PP-RES-99 cited by nobody; PP-RES-16 doubtful; WTDC-RES-12 revised
/// "Rev. Kigali, 2022"; WTDC-RES-87 adopted "Kigali, 2022", named by CONF-22; WTDC-RES-73 title
/// not found; PP-RES-1 has an official English title, WTDC-RES-10 only a Chinese one.
func xrefFixture() -> LinkageGraph {
    var f = FixtureGraph()
    // The document FixtureGraph cites (same file), for the links and notes written here.
    let document = SourceDocument(id: "doc", file: "fixture.txt", title: LocalizedText(zh: "测试", en: "Fixture"))
    f.declare("objective", role: .planStructure)
    f.declare("output", role: .planElement)
    f.declare("priority", role: .planElement)
    f.declare("theme", role: .planStructure)
    f.declare("conference", role: .other)
    f.vocabulary.add(PlanSpec(id: "early", label: LocalizedText(zh: "早期计划 2018–2021", en: "Early plan 2018–2021"),
                              elements: ["output"], groups: "objective", declaredBy: "fixture"))
    f.vocabulary.add(PlanSpec(id: "late", label: LocalizedText(zh: "后期计划 2023–2027", en: "Late plan 2023–2027"),
                              elements: ["priority"], declaredBy: "fixture"))
    f.vocabulary.add(PlanSpec(id: "empty", label: LocalizedText(zh: "空", en: "Empty plan"), elements: ["objective"], declaredBy: "fixture"))

    f.node("OBJ-1", "objective")
    f.node("OBJ-2", "objective")
    for id in ["OUT-1.1", "OUT-1.2", "OUT-1.3"] { f.node(NodeID(id), "output"); f.link(NodeID(id), .partOf, ["OBJ-1"]) }
    for id in ["OUT-2.1", "OUT-2.2"] { f.node(NodeID(id), "output"); f.link(NodeID(id), .partOf, ["OBJ-2"]) }
    f.node("PRI-1", "priority")
    f.node("PRI-2", "priority")
    f.node("TH-1", "theme")
    f.node("CONF-22", "conference")

    f.node("PP-RES-1", .ppResolution, attributes: ["title_en_official": .string("Fixture title one")])
    f.node("PP-RES-2", .ppResolution)
    f.node("PP-DEC-5", .ppDecision)
    f.node("PP-RES-16", .ppResolution, attributes: ["doubtful": .string("probably WTDC Resolution 16")])
    f.node("PP-RES-99", .ppResolution)
    f.node("WTDC-RES-10", .wtdcResolution, attributes: ["title_zh": .string("测试标题十")])
    f.node("WTDC-RES-11", .wtdcResolution)
    f.node("WTDC-RES-12", .wtdcResolution, attributes: ["revision": .string("Rev. Kigali, 2022")])
    f.node("WTDC-RES-73", .wtdcResolution, attributes: ["title_en_status": .string("not found")])
    f.node("WTDC-RES-87", .wtdcResolution, attributes: ["revision": .string("Kigali, 2022"), "new_at": .string("WTDC-22")])
    f.node("WTDC-RES-ALL", .resolutionScope)

    f.link("OUT-1.1", .implements, ["PP-RES-1", "PP-RES-2", "WTDC-RES-10", "WTDC-RES-ALL"])
    f.link("OUT-1.2", .implements, ["PP-RES-1", "WTDC-RES-10", "WTDC-RES-11"])
    f.edges.append(Edge(source: "OUT-1.2", relation: .implements, target: "PP-RES-2",
                        provenance: .declared(Citation(document: document, section: "OUT-1.2")), dataset: "fixture", occurrences: 2))
    f.link("OUT-1.3", .implements, ["WTDC-RES-ALL"])
    f.link("OUT-2.1", .implements, ["PP-RES-1", "WTDC-RES-10", "WTDC-RES-11", "WTDC-RES-12", "WTDC-RES-73"])
    f.link("OUT-2.1", .mentions, ["WTDC-RES-11"])
    f.link("OUT-2.2", .mentions, ["PP-RES-16"])

    f.link("TH-1", .partOf, ["PRI-1"])
    f.link("TH-1", "continues", ["OUT-2.1"], derivedBy: "theme-continues-output")
    f.link("PRI-1", .implements, ["PP-RES-1"], derivedBy: "curated")
    f.edges.append(Edge(
        source: "PRI-1", relation: .implements, target: "WTDC-RES-12",
        provenance: .derived(Derivation(rule: "via-early", justification: "fixture", paths: [[
            EdgeKey(source: "TH-1", relation: .partOf, target: "PRI-1"),
            EdgeKey(source: "TH-1", relation: "continues", target: "OUT-2.1"),
            EdgeKey(source: "OUT-2.1", relation: .implements, target: "WTDC-RES-12"),
        ]])), dataset: "fixture"))
    f.link("CONF-22", "adopted", ["WTDC-RES-87"])

    let notes = [
        // Names a mandate.
        DataQualityNote(citation: Citation(document: document, section: "list of OUT-1.2"), finding: "PP 2 twice", reading: nil,
                        ids: ["PP-RES-2"], dataset: "fixture", location: nil),
        // At the place OUT-2.1's implements links are cited (FixtureGraph cites the source id).
        DataQualityNote(citation: Citation(document: document, section: "OUT-2.1"), finding: "missing separator", reading: "10 and 11",
                        ids: ["OUT-2.1"], dataset: "fixture", location: nil),
        // About a background passage of an element without implements links: not about citations.
        DataQualityNote(citation: Citation(document: document, section: "background of OUT-2.2"), finding: "typo", reading: nil,
                        ids: ["OUT-2.2"], dataset: "fixture", location: nil),
    ]
    return LinkageGraph(nodes: f.nodes, edges: f.edges, vocabulary: f.vocabulary, qualityNotes: notes)
}

@Suite("resolution-xref on a fixture")
struct ResolutionXrefFixtureTests {
    let graph = xrefFixture()

    func index(_ plans: [String] = ["early", "late"]) -> CitationIndex {
        CitationIndex(graph: graph, plans: plans.map { graph.resolve(graph.vocabulary.plan($0)!) })
    }

    func run(_ options: [String: String] = [:]) throws -> AnalysisResult {
        try analysis.run(AnalysisContext(graph: graph, options: AnalysisOptions(options)))
    }

    func table(_ result: AnalysisResult, _ id: String) throws -> ResultTable {
        try #require(result.tables.first { $0.id == id })
    }

    func column(_ table: ResultTable, _ name: String) throws -> Int {
        try #require(table.columns.firstIndex { $0.id == name })
    }

    // MARK: Part 1: traceability

    @Test func rankingCountsElementsOnceAndSharesTies() throws {
        let index = index()
        let trace = Traceability(index: index, top: 3)
        let early = index.plans[0]
        // PP: PP-RES-1 by 1.1, 1.2, 2.1 = 3; PP-RES-2 by 1.1, 1.2 = 2 (listed twice in 1.2, counted once).
        let pp = trace.ranking(early, body: .pp)
        #expect(pp.map(\.mandate) == ["PP-RES-1", "PP-RES-2"])
        #expect(pp.map(\.elements.count) == [3, 2])
        // WTDC: 10 by 1.1, 1.2, 2.1 = 3; 11 by 1.2, 2.1 = 2; 12 and 73 by 2.1 = 1 each, tied at rank 3.
        let wtdc = trace.ranking(early, body: .wtdc)
        #expect(wtdc.map(\.mandate) == ["WTDC-RES-10", "WTDC-RES-11", "WTDC-RES-12", "WTDC-RES-73"])
        #expect(wtdc.map(\.rank) == [1, 2, 3, 3])
        // top 3 keeps both of the tie at the cut; top 2 stops before it.
        #expect(trace.topOf(wtdc).count == 4)
        #expect(Traceability(index: index, top: 2).topOf(wtdc).count == 2)
        // The late plan's links are derived: PP-RES-1 and WTDC-RES-12 by PRI-1, declared 0.
        let late = trace.ranking(index.plans[1], body: .pp)
        #expect(late.map(\.mandate) == ["PP-RES-1"] && late[0].declared == 0 && late[0].derived == 1)
    }

    @Test func doubtfulIdsAreNotRanked() throws {
        // Make OUT-2.2 implement the doubtful PP-RES-16: it still must not enter the PP ranking.
        var edges = graph.edges
        edges.append(Edge(source: "OUT-2.2", relation: .implements, target: "PP-RES-16",
                          provenance: .declared(Citation(document: SourceDocument(id: "doc", title: LocalizedText(zh: "", en: "")), section: "x")),
                          dataset: "fixture"))
        let changed = LinkageGraph(nodes: graph.nodes, edges: edges, vocabulary: graph.vocabulary)
        let index = CitationIndex(graph: changed, plans: [changed.resolve(changed.vocabulary.plan("early")!)])
        #expect(!Traceability(index: index, top: 5).ranking(index.plans[0], body: .pp).map(\.mandate).contains("PP-RES-16"))
    }

    @Test func uncitedMandatesSayWhy() throws {
        let uncited = Traceability(index: index(), top: 5).uncited()
        // Cited: PP-RES-1, PP-RES-2, WTDC-RES-10, 11, 12, 73. The other five mandates are not.
        #expect(uncited.map(\.mandate) == ["PP-DEC-5", "PP-RES-16", "PP-RES-99", "WTDC-RES-87"])
        let reasons = Dictionary(uniqueKeysWithValues: uncited.map { ($0.mandate, $0.reasons) })
        #expect(reasons["PP-DEC-5"] == [.registryOnly])
        #expect(reasons["PP-RES-16"] == [.doubtful, .mentionedOnly])
        // Adopted 2022, after `early` (from 2018) was drawn up; named by CONF-22.
        #expect(reasons["WTDC-RES-87"] == [.createdAfterPlan, .namedElsewhere])
        let explanation = try #require(uncited.first { $0.mandate == "WTDC-RES-87" }).explanation
        #expect(explanation.contains("no element of late reaches it"))
        #expect(explanation.contains("late states no mandate links of its own"))
        // With only `late` chosen, PP-RES-2 (cited by early's 1.1 and 1.2) is cited elsewhere, and
        // early's mention of PP-RES-16 is a naming by a node of no chosen plan.
        let lateOnly = Traceability(index: index(["late"]), top: 5).uncited()
        #expect(lateOnly.first { $0.mandate == "PP-RES-2" }?.reasons == [.citedByOtherPlans])
        #expect(lateOnly.first { $0.mandate == "PP-RES-16" }?.reasons == [.doubtful, .namedElsewhere])
        // A text adopted before every chosen plan is not explained by chronology.
        #expect(!(uncited.first { $0.mandate == "PP-DEC-5" }?.explanation.contains("reaches it") ?? true))
    }

    @Test func elementsWithoutMandateAndScopeOnly() throws {
        let index = index()
        let trace = Traceability(index: index, top: 5)
        let early = trace.elementsWithoutMandate(index.plans[0])
        #expect(early.map(\.element) == ["OUT-1.3", "OUT-2.2"])
        #expect(early.map(\.scopeOnly) == [true, false])
        #expect(trace.elementsWithoutMandate(index.plans[1]).map(\.element) == ["PRI-2"])

        let result = try run()
        // A declared plan's element without mandate is a warning; a derived-only plan's an info.
        #expect(result.findings.contains { $0.code == "no-mandate" && $0.severity == .warning && $0.ids == ["OUT-2.2"] })
        #expect(result.findings.contains { $0.code == "no-mandate" && $0.severity == .info && $0.ids == ["PRI-2"] })
        #expect(result.findings.contains { $0.code == "scope-only" && $0.ids == ["OUT-1.3"] })
        #expect(result.headline.first { $0.label.en == "early: elements implementing at least one mandate" }?.value == "4 / 5")
        // 4 + 4 + 1 + 5 links from early, 2 of them to the scope.
        #expect(result.headline.first { $0.label.en == "early: implements links" }?.value == "14")
        #expect(result.headline.first { $0.label.en == "early: most-cited WTDC mandate" }?.value == "WTDC-RES-10")
    }

    @Test func derivedLinksSayWhatTheyPassThrough() throws {
        let result = try run()
        let links = try table(result, "implements-links")
        let plan = try column(links, "plan"), mandate = try column(links, "mandate"), provenance = try column(links, "provenance")
        let via = try column(links, "via"), inherited = try column(links, "inherited_from")
        let late = links.rows.filter { $0[plan] == .text("late") }
        #expect(late.count == 2 && late.allSatisfy { $0[provenance] == .text("derived") })
        let toTwelve = try #require(late.first { $0[mandate] == .id("WTDC-RES-12") })
        #expect(toTwelve[via] == .text("theme TH-1 → output OUT-2.1"))
        #expect(toTwelve[inherited] == .text("OUT-2.1"))
        // Coverage says, per plan, whether the links are declared or derived.
        let coverage = try table(result, "mandate-coverage")
        let row = try #require(coverage.rows.first { $0[0] == .id("WTDC-RES-12") })
        #expect(row[try column(coverage, "early_elements")] == .integer(1))
        #expect(row[try column(coverage, "early_provenance")] == .text("declared"))
        #expect(row[try column(coverage, "late_provenance")] == .text("derived"))
    }

    @Test func mentionsAreNeverCounted() throws {
        let result = try run()
        // WTDC-RES-11 is implemented by 1.2 and 2.1 and also mentioned by 2.1: still 2 elements.
        let coverage = try table(result, "mandate-coverage")
        let eleven = try #require(coverage.rows.first { $0[0] == .id("WTDC-RES-11") })
        #expect(eleven[try column(coverage, "early_elements")] == .integer(2))
        #expect(eleven[try column(coverage, "mentioned_by")] == .text("OUT-2.1"))
        // PP-RES-16 is only mentioned: uncited.
        let sixteen = try #require(coverage.rows.first { $0[0] == .id("PP-RES-16") })
        #expect(sixteen[try column(coverage, "status")] == .text("uncited"))
        let mentions = try table(result, "mentions")
        #expect(mentions.rows.count == 2)
        let also = try column(mentions, "also_implements")
        #expect(mentions.rows.map { $0[also] } == [.text("yes"), .text("no")])
    }

    // MARK: Part 2: citation quality

    @Test func duplicatesScopesAndRegistryCaveats() throws {
        let quality = CitationQuality(index: index())
        #expect(quality.duplicates().map { "\($0.element)>\($0.mandate)x\($0.occurrences)" } == ["OUT-1.2>PP-RES-2x2"])
        #expect(quality.scopeLinks().map(\.element) == ["OUT-1.1", "OUT-1.3"])

        let result = try run()
        #expect(result.findings.contains { $0.code == "duplicate-citation" && $0.ids == ["OUT-1.2", "PP-RES-2"] })
        #expect(result.findings.contains { $0.code == "scope-citation" && $0.ids == ["WTDC-RES-ALL", "OUT-1.1", "OUT-1.3"] })
        #expect(result.findings.contains { $0.code == "doubtful-id" && $0.severity == .warning && $0.ids == ["PP-RES-16", "OUT-2.2"] })
        #expect(result.findings.contains { $0.code == "title-not-found" && $0.ids == ["WTDC-RES-73"] })
        let issues = try table(result, "citation-issues")
        // 1 duplicate + 2 scope, then per plan the implements links (WTDC-73's title) before the mentions (PP-RES-16).
        #expect(issues.rows.map { $0[0] } == [.text("duplicate-in-list"), .text("scope"), .text("scope"), .text("title-not-found"), .text("doubtful-id")])
    }

    @Test func titlesInEitherLanguageCountAndTablesSayWhenNoneIsKnown() throws {
        let result = try run()
        // Named by implements links: PP-RES-1, PP-RES-2, WTDC-RES-10, -11, -12, -73. PP-RES-1 has an
        // English title, WTDC-RES-10 a Chinese one; WTDC-73's "not found" is no title.
        let untitled = try #require(result.headline.first { $0.label.en.hasPrefix("Cited mandates with no title in any language") })
        #expect(untitled.value == "4 / 6")
        #expect(untitled.note?.en.hasPrefix("with an English title (official or as cited): 1; with a Chinese title stated by a seed: 1;") == true)
        let coverage = try table(result, "mandate-coverage")
        let en = try column(coverage, "title_en"), zh = try column(coverage, "title_zh")
        func titles(_ id: String) -> [TableValue]? {
            coverage.rows.first { $0[0] == .id(NodeID(id)) }.map { [$0[en], $0[zh]] }
        }
        #expect(titles("PP-RES-1") == [.text("Fixture title one"), .text("标题不详")])
        #expect(titles("WTDC-RES-10") == [.text("title not available"), .text("测试标题十")])
        #expect(titles("WTDC-RES-73") == [.text("title not available"), .text("标题不详")])
        #expect(titles("WTDC-RES-ALL") == [.empty, .empty])
        let uncited = try table(result, "uncited-mandates")
        #expect(uncited.columns.map(\.id).contains("title_zh") && uncited.rows.allSatisfy { $0[3] == .text("title not available") })
        let ranked = try table(result, "most-cited")
        let rankedEn = try column(ranked, "title_en")
        #expect(ranked.rows.contains { $0[3] == .id("PP-RES-1") && $0[rankedEn] == .text("Fixture title one") })
    }

    @Test func qualityNotesAboutCitations() throws {
        let notes = CitationQuality(index: index()).qualityNotes()
        // The note naming PP-RES-2 and the one at OUT-2.1's citation list; not the typo note.
        #expect(notes.map(\.about) == ["names a mandate", "citation list of an element"])
        #expect(notes.map(\.note.finding) == ["PP 2 twice", "missing separator"])
    }

    @Test func chronologySeparatesCreatedFromRevised() throws {
        let entries = CitationQuality(index: index()).chronology()
        // early starts 2018: WTDC-12 revised 2022 (cited by OUT-2.1, reached later by PRI-1),
        // WTDC-87 created 2022 (cited by nobody). late starts 2023: nothing from 2022 counts.
        #expect(entries.map { "\($0.plan):\($0.mandate):\($0.created)" } == ["early:WTDC-RES-12:false", "early:WTDC-RES-87:true"])
        #expect(entries[0].citedBy == ["OUT-2.1"])
        #expect(entries[0].laterElements.map(\.element) == ["PRI-1"])
        #expect(entries[1].reading.hasPrefix("absence expected"))
        let result = try run()
        #expect(result.findings.contains { $0.code == "created-after-plan" && $0.ids == ["WTDC-RES-87"] })
        #expect(result.findings.contains { $0.code == "revised-after-plan" && $0.ids == ["WTDC-RES-12"] })
        #expect(!result.findings.contains { $0.code == "cited-before-adoption" })
    }

    @Test func years() {
        #expect(Years.all(in: "Buenos Aires Action Plan 2018–2021") == [2018, 2021])
        #expect(Years.all(in: "Rev. Kigali, 2022") == [2022])
        #expect(Years.all(in: "Resolution 12345 and 123") == [])
        #expect(RegistryFacts(graph.node("WTDC-RES-87")!).created)
        #expect(!RegistryFacts(graph.node("WTDC-RES-12")!).created)
    }

    // MARK: Part 3: co-citation

    @Test func coCitationWeights() throws {
        let index = index()
        let co = CoCitation(index: index, minWeight: 2, maxPairs: 40)
        let pairs = co.pairs(index.plans[0])
        // 1.1 {PP1, PP2, W10}: 3 pairs; 1.2 {PP1, PP2, W10, W11}: 6; 2.1 {PP1, W10, W11, W12, W73}: 10.
        // Distinct: 3 + 3 new from 1.2 + 7 new from 2.1 = 13. The scope takes no part.
        #expect(pairs.count == 13)
        #expect(!pairs.contains { $0.a == "WTDC-RES-ALL" || $0.b == "WTDC-RES-ALL" })
        // PP1+W10 by 1.1, 1.2, 2.1 = 3; then the four pairs of weight 2, in id order.
        #expect(pairs.prefix(5).map { "\($0.a)+\($0.b)=\($0.weight)" } == [
            "PP-RES-1+WTDC-RES-10=3", "PP-RES-1+PP-RES-2=2", "PP-RES-1+WTDC-RES-11=2", "PP-RES-2+WTDC-RES-10=2",
            "WTDC-RES-10+WTDC-RES-11=2",
        ])
        #expect(pairs[0].elements == ["OUT-1.1", "OUT-1.2", "OUT-2.1"])
        #expect(pairs.allSatisfy { $0.provenance == "declared" })
        // At weight 2 the five pairs join PP1, PP2, W10, W11 into one cluster.
        #expect(co.threshold(pairs) == 2)
        #expect(co.clusters(pairs.filter { $0.weight >= 2 }) == [["PP-RES-1", "PP-RES-2", "WTDC-RES-10", "WTDC-RES-11"]])
        // With room for 4 pairs only, the bar rises to 3: one pair.
        #expect(CoCitation(index: index, minWeight: 2, maxPairs: 4).threshold(pairs) == 3)
        // The late plan: PRI-1 cites PP1 and W12, both derived.
        let late = co.pairs(index.plans[1])
        #expect(late.map { "\($0.a)+\($0.b)=\($0.weight):\($0.provenance)" } == ["PP-RES-1+WTDC-RES-12=1:derived"])
    }

    @Test func coCitationDiagram() throws {
        let result = try run()
        // A diagram for early only: late's links are all derived.
        #expect(result.views.map(\.id) == ["co-citation-early", "citations-per-element-early", "citations-per-element-late"])
        guard case .network(let network) = result.views[0].diagram else { Issue.record("expected a network"); return }
        #expect(network.layout == .spring)
        #expect(network.nodes.map(\.id) == ["PP-RES-1", "PP-RES-2", "WTDC-RES-10", "WTDC-RES-11"])
        #expect(network.edges.count == 5)
        #expect(network.edges.allSatisfy { !$0.directed && $0.declared && $0.label == String($0.weight ?? 0) })
        // Colour by body: the kinds differ, and no prescribed colour overrides them.
        #expect(Set(network.nodes.map(\.kind)) == [.ppResolution, .wtdcResolution])
        let table = try table(result, "co-citation")
        #expect(table.rows.count == 14)  // 13 early pairs + 1 late pair
        let inDiagram = try column(table, "in_diagram")
        #expect(table.rows.filter { $0[inDiagram] == .text("yes") }.count == 5)
    }

    @Test func elementMatrixCountsPerKind() throws {
        let result = try run()
        let view = try #require(result.views.first { $0.id == "citations-per-element-early" })
        guard case .matrix(let matrix) = view.diagram else { Issue.record("expected a matrix"); return }
        // PP resolutions, WTDC resolutions, the scope, listed twice, mentions (no PP decision is cited).
        #expect(matrix.columns.map(\.label.en) == ["pp-resolution", "wtdc-resolution", "WTDC-RES-ALL (scope)", "listed twice", "mentions (not counted)"])
        #expect(matrix.rows.count == 5)
        // OUT-1.2: 2 PP (PP-RES-2 once), 2 WTDC, no scope, PP 2 repeated, no mention.
        #expect(matrix.cells[1].map(\.text.en) == ["2", "2", "·", "PP 2", "·"])
        let late = try #require(result.views.first { $0.id == "citations-per-element-late" })
        guard case .matrix(let lateMatrix) = late.diagram else { Issue.record("expected a matrix"); return }
        // Derived counts carry the mark.
        #expect(lateMatrix.cells[0].map(\.text.en) == ["1*", "1*"])
    }

    // MARK: Options

    @Test func optionsAreChecked() throws {
        #expect(throws: AnalysisOptionError.self) { try run(["plan": "missing"]) }
        #expect(throws: AnalysisOptionError.self) { try AnalysisOptions.parse(["top=0"], for: analysis.descriptor) }
        #expect(throws: AnalysisOptionError.self) { try AnalysisOptions.parse(["max-pairs=2"], for: analysis.descriptor) }
        #expect(throws: AnalysisOptionError.self) { try AnalysisOptions.parse(["weight=2"], for: analysis.descriptor) }
        // A plan without implements links runs and says so.
        let result = try run(["plan": "empty"])
        #expect(result.findings.first?.code == "no-implements-links")
        // `all` picks the plans with implements links only.
        let all = try run()
        #expect(all.headline.contains { $0.label.en == "early: implements links" })
        #expect(!all.headline.contains { $0.label.en.hasPrefix("empty:") })
    }

    @Test func deterministic() throws {
        let a = try run(), b = try run()
        #expect(a.tables == b.tables && a.headline == b.headline && a.findings == b.findings && a.views == b.views)
        for table in a.tables { #expect(table.rows.allSatisfy { $0.count == table.columns.count }, "\(table.id)") }
    }
}
