import LinkageKit
import LinkageTestSupport
@testable import ResolutionXref
import Testing

/// Numbers the documents state, checked on the bundled datasets. The reference lists are those
/// of seed 002 (BAAP), sections "PP和WTDC决议和建议" / "PP与WTDC决议和建议的参考资料" of each output.
@Suite("resolution-xref on the real datasets")
struct ResolutionXrefRealDataTests {
    let graph = Repository.loaded.graph

    func index(_ plans: [String]) -> CitationIndex {
        CitationIndex(graph: graph, plans: plans.map { graph.resolve(graph.vocabulary.plan($0)!) })
    }

    func run(_ options: [String: String] = [:]) throws -> AnalysisResult {
        try analysis.run(AnalysisContext(graph: graph, options: AnalysisOptions(options)))
    }

    @Test func datasetsLoad() {
        #expect(Repository.loaded.errors.isEmpty)
    }

    @Test func repeatedIdsInBAAPLists() {
        // Output 2.1: "PP第32、…、127、130、131、127、135…" lists 127 twice; output 3.3:
        // "WTDC第73、40、11、17、35、37、38、56、48、55、56…" lists 56 twice. No other list repeats an id.
        let duplicates = CitationQuality(index: index(["baap"])).duplicates()
        #expect(duplicates.map { "\($0.element) \($0.mandate) \($0.occurrences)" } == [
            "BAAP-OUT-2.1 PP-RES-127 2", "BAAP-OUT-3.3 WTDC-RES-56 2",
        ])
    }

    @Test func allWTDCResolutionsScope() {
        // "…WTDC所有决议…" (1.1), "…所有WTDC决议…" (1.2), "所有WTDC决议的落实将支持输出成果1.5" (1.5).
        let scopes = CitationQuality(index: index(["baap"])).scopeLinks()
        #expect(scopes.map(\.element) == ["BAAP-OUT-1.1", "BAAP-OUT-1.2", "BAAP-OUT-1.5"])
        #expect(Set(scopes.map(\.mandate)) == ["WTDC-RES-ALL"])
        // 1.5 cites nothing else: scope only.
        let index = index(["baap"])
        let without = Traceability(index: index, top: 5).elementsWithoutMandate(index.plans[0])
        #expect(without.map(\.element) == ["BAAP-OUT-1.5"] && without[0].scopeOnly)
    }

    @Test func mostCitedMandatesOfTheBAAP() {
        let index = index(["baap"])
        let trace = Traceability(index: index, top: 5)
        // By hand from the 17 lists of seed 002: WTDC Res. 17 in 1.6, 2.1, 2.2, 3.1, 3.3, 3.4,
        // 4.2, 4.3 (8); WTDC Res. 30 in 1.4, 1.6, 2.1, 2.2, 3.1, 3.2, 4.2, 4.3 (8); WTDC Res. 37 in
        // 1.4, 2.1, 3.1, 3.2, 3.3, 4.2, 4.3 (7). The ten regional-initiative sentences naming
        // Res. 17 are mentions and do not count.
        let wtdc = trace.ranking(index.plans[0], body: .wtdc)
        #expect(wtdc.prefix(3).map { "\($0.mandate) \($0.elements.count) \($0.rank)" } == [
            "WTDC-RES-17 8 1", "WTDC-RES-30 8 1", "WTDC-RES-37 7 3",
        ])
        #expect(wtdc[0].elements == ["BAAP-OUT-1.6", "BAAP-OUT-2.1", "BAAP-OUT-2.2", "BAAP-OUT-3.1", "BAAP-OUT-3.3",
                                     "BAAP-OUT-3.4", "BAAP-OUT-4.2", "BAAP-OUT-4.3"])
        // PP Res. 135 in 1.1, 1.2, 1.3, 1.6 ("PP决议135和140"), 2.1, 3.1 (6); PP Res. 140 in 1.1,
        // 1.2, 1.3, 1.6, 2.1 (5).
        let pp = trace.ranking(index.plans[0], body: .pp)
        #expect(pp.prefix(2).map { "\($0.mandate) \($0.elements.count)" } == ["PP-RES-135 6", "PP-RES-140 5"])
    }

    @Test func distinctMandatesOfOutput21() {
        // "PP第32、33、34、64、101、123、125、126、127、130、131、127、135、137、139、140、159、160、161、
        // 176、177、180、188、193、197、199、200、203号决议": 28 numbers, 27 distinct. "WTDC第9、10 11、15、
        // 17、18、20、21、30、32、33、35、37、47、50、52、57和62号决议": 18.
        let plan = index(["baap"]).plans[0]
        let mandates = plan.mandates(citedBy: "BAAP-OUT-2.1")
        #expect(mandates.filter { $0.rawValue.hasPrefix("PP-RES-") }.count == 27)
        #expect(mandates.filter { $0.rawValue.hasPrefix("WTDC-RES-") }.count == 18)
    }

    @Test func mentionsAreKeptApart() {
        let plan = index(["baap"]).plans[0]
        // WTDC Res. 17 is mentioned by 10 outputs (2.2–4.4 except 2.1) but implemented by 8.
        #expect(Set(plan.mentions.filter { $0.target == "WTDC-RES-17" }.map(\.source)).count == 10)
        #expect(plan.elements(citing: "WTDC-RES-17").count == 8)
        // WTDC Res. 31 (1.2), PP Res. 182 (4.4), PP Res. 16 and 30 (4.1) are only mentioned.
        let uncited = Traceability(index: index(["baap"]), top: 5).uncited()
        for id: NodeID in ["WTDC-RES-31", "PP-RES-182", "PP-RES-16", "PP-RES-30"] {
            #expect(uncited.first { $0.mandate == id }?.reasons.contains(.mentionedOnly) == true, "\(id)")
        }
    }

    @Test func wtdc22ResolutionsAreChronologyNotAGap() {
        // Seed 003 §6: four new resolutions 87–90 (Kigali, 2022); the BAAP (2018–2021) predates them.
        let index = index(["baap", "kap"])
        let uncited = Traceability(index: index, top: 5).uncited()
        let new: [NodeID] = ["WTDC-RES-87", "WTDC-RES-88", "WTDC-RES-89", "WTDC-RES-90"]
        for id in new {
            let entry = uncited.first { $0.mandate == id }
            #expect(entry?.reasons.contains(.createdAfterPlan) == true, "\(id)")
            #expect(entry?.reasons.contains(.namedElsewhere) == true, "\(id): WTDC-22 names it")
        }
        let chronology = CitationQuality(index: index).chronology().filter(\.created)
        #expect(chronology.map(\.mandate) == new)
        #expect(chronology.allSatisfy { $0.plan == "baap" && $0.citedBy.isEmpty && $0.laterElements.isEmpty })
        // A resolution revised at Kigali but cited by the BAAP in its earlier text: WTDC Res. 73 in 3.3.
        let revised = CitationQuality(index: index).chronology().filter { !$0.created }
        #expect(revised.contains { $0.mandate == "WTDC-RES-73" && $0.citedBy == ["BAAP-OUT-3.3"] })
    }

    @Test func kapLinksAreDerivedAndSaySo() throws {
        let index = index(["kap"])
        let kap = index.plans[0]
        #expect(kap.allDerived)
        // Through OP-23 themes and the BAAP outputs they continue (op-2023 manifest): P1 via 2.1 and 2.3.
        let p1 = kap.links(of: "KAP-P1")
        #expect(!p1.isEmpty && p1.allSatisfy { !index.inheritedFrom($0).isEmpty })
        #expect(Set(p1.flatMap { index.inheritedFrom($0) }) == ["BAAP-OUT-2.1", "BAAP-OUT-2.3"])
        #expect(index.via(p1[0]).contains("BAAP-OUT-2."))
        // KAP-P4, E1, E2, E5, E6, E7 get nothing (cross-cutting themes); in document order,
        // priorities before enablers.
        #expect(Traceability(index: index, top: 5).elementsWithoutMandate(kap).map(\.element) == [
            "KAP-P4", "KAP-E1", "KAP-E2", "KAP-E5", "KAP-E6", "KAP-E7",
        ])
    }

    @Test func fullRun() throws {
        let result = try run()
        #expect(result.headline.first { $0.label.en == "baap: most-cited WTDC mandate" }?.value == "WTDC-RES-17, WTDC-RES-30")
        #expect(result.headline.first { $0.label.en == "baap: elements implementing at least one mandate" }?.value == "17 / 17")
        #expect(result.headline.first { $0.label.en == "Elements citing the scope WTDC-RES-ALL" }?.value == "3")
        // The doubtful PP Res. 16 is reported and not ranked.
        #expect(result.findings.contains { $0.code == "doubtful-id" && $0.ids.first == "PP-RES-16" })
        let ranked = try #require(result.tables.first { $0.id == "most-cited" })
        #expect(!ranked.rows.contains { $0[3] == .id("PP-RES-16") })
        // Diagrams: co-citation for the BAAP only (the KAP's links are all derived), a grid per plan.
        #expect(result.views.map(\.id) == ["co-citation-baap", "citations-per-element-baap", "citations-per-element-kap"])
        guard case .network(let network) = result.views[0].diagram else { Issue.record("expected a network"); return }
        #expect(network.edges.count <= 40 && network.edges.allSatisfy { ($0.weight ?? 0) >= 2 })
        #expect(!network.nodes.contains { $0.id == "WTDC-RES-ALL" })
        // Every derived KAP link says so.
        let links = try #require(result.tables.first { $0.id == "implements-links" })
        let provenance = try #require(links.columns.firstIndex { $0.id == "provenance" })
        #expect(links.rows.filter { $0[0] == .text("kap") }.allSatisfy { $0[provenance] == .text("derived") })
        for table in result.tables { #expect(table.rows.allSatisfy { $0.count == table.columns.count }, "\(table.id)") }
    }

    /// Titles come from the registry in the language a source states them, never translated:
    /// WTDC 34's Chinese title from seed 002, PP 131's English one from the reference table.
    @Test func titlesAreShownInTheLanguageASourceStatesThem() throws {
        let result = try run()
        let coverage = try #require(result.tables.first { $0.id == "mandate-coverage" })
        let en = try #require(coverage.columns.firstIndex { $0.id == "title_en" })
        let zh = try #require(coverage.columns.firstIndex { $0.id == "title_zh" })
        func titles(_ id: String) throws -> [TableValue] {
            let row = try #require(coverage.rows.first { $0[0] == .id(NodeID(id)) })
            return [row[en], row[zh]]
        }
        #expect(try titles("WTDC-RES-34") == [.text("title not available"), .text("电信/ICT在防灾准备、预先警报、救援、减灾、救灾和响应方面的作用")])
        #expect(try titles("WTDC-RES-88") == [.text("title not available"), .text("标题不详")])
        let pp131 = try titles("PP-RES-131")
        #expect(pp131[1] == .text("标题不详") && pp131[0] != .text("title not available"))
        let untitled = try #require(result.headline.first { $0.label.en.hasPrefix("Cited mandates with no title in any language") })
        #expect(untitled.value == "84 / 104")
    }
}
