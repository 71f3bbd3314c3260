import LinkageKit
import LinkageTestSupport
import Testing

@Suite("Search and name lookup on the real datasets")
struct GraphSearchTests {
    let graph = Repository.loaded.graph
    var search: GraphSearch { GraphSearch(graph: graph) }

    func ids(_ query: String, kinds: Set<NodeKind>? = nil, limit: Int = 5) -> [String] {
        search.search(query, kinds: kinds, limit: limit).map(\.node.id.rawValue)
    }

    @Test func idsInAnyCaseAndPunctuation() {
        #expect(ids("SDG-9.c").first == "SDG-9.c")
        #expect(ids("sdg 9c").first == "SDG-9.c")
        #expect(ids("ｓｄｇ９ｃ").first == "SDG-9.c")  // full-width, as a Chinese input method types it
        #expect(ids("baap-out-2.1").first == "BAAP-OUT-2.1")
        #expect(ids("BAAP-OUT-2", limit: 10).allSatisfy { $0.hasPrefix("BAAP-OUT-2.") })
    }

    @Test func chineseLabelsBySubstring() {
        let found = ids("应急通信", limit: 10)
        #expect(found.contains("BAAP-OUT-2.3"))
        #expect(found.contains("OP23-TH-P1-EMTEL"))
        // The label that is exactly the text ranks first.
        #expect(found.first == "OP23-TH-P1-EMTEL")
    }

    @Test func englishWordsKindsAndTypos() {
        let hits = search.search("emergency telecommunications", kinds: [NodeKind("baap-output")], limit: 5)
        #expect(hits.map(\.node.id.rawValue) == ["BAAP-OUT-2.3"])
        #expect(hits[0].match == .labelContains)
        #expect(ids("emergncy", kinds: [NodeKind("baap-output")]) == ["BAAP-OUT-2.3"])
        #expect(search.search("emergncy", limit: 1).first?.match == .nearLabelWord)
        #expect(ids("WTDC-RES-73", limit: 1) == ["WTDC-RES-73"])
        #expect(ids("zzzzqqq xxyyzzw").isEmpty)
    }

    @Test func attributeValues() {
        let hits = search.search("http://metadata.un.org/sdg/9.c", limit: 3)
        #expect(hits.first?.node.id.rawValue == "SDG-9.c")
        #expect(hits.first?.field.hasPrefix("attribute") == true)
    }

    @Test func datasetAndPlanNames() {
        #expect(graph.dataset(named: "KAP-2023-2027")?.name == "kap-2023-2027")
        #expect(graph.dataset(named: "kap") == nil)
        #expect(graph.datasetHint(for: "kap") == " (did you mean 'kap-2023-2027'? it declares the plan 'kap')")
        #expect(graph.datasetHint(for: "baap-2018") == " (did you mean 'baap-2018-2021'?)")
        #expect(graph.plan(named: "KAP")?.id == "kap")
        #expect(graph.planHint(for: "kap-2023-2027") == " (did you mean 'kap'? the plan of dataset kap-2023-2027)")
        #expect(graph.kind(named: "WSIS-Action-Line") == NodeKind("wsis-action-line"))
        #expect(graph.kindHint(for: "wtdc-res") == " (did you mean 'wtdc-resolution'?)")
    }
}
