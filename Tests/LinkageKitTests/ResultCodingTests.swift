import Foundation
import LinkageKit
import LinkageTestSupport
import Testing

/// The JSON form of results: what external analyses write and the host's result.json.
@Suite("Result JSON")
struct ResultCodingTests {
    static let graph: LinkageGraph = {
        var fixture = FixtureGraph()
        fixture.declare("baap-output", role: .planElement)
        fixture.sdg(goals: [9], targets: ["9.c"])
        fixture.node("BAAP-OUT-2.1", "baap-output", "Infrastructure")
        fixture.link("BAAP-OUT-2.1", .advancesSDG, ["SDG-9.c"])
        fixture.link("BAAP-OUT-2.1", .advancesSDG, ["SDG-9"], derivedBy: "goal-of-target")
        return fixture.build()
    }()

    func decode(_ json: String) throws(ResultProblem) -> AnalysisResult {
        try AnalysisResult.decode(Data(json.utf8), graph: Self.graph)
    }

    func problem(_ json: String) -> String {
        do {
            let result = try decode(json)
            return ResultValidator(graph: Self.graph).problems(in: result).map(\.description).joined(separator: "\n")
        } catch {
            return error.description
        }
    }

    @Test func textsAreAStringOrBothLanguages() throws {
        let result = try decode(#"{"method_notes": ["plain", {"en": "English", "zh": "中文"}]}"#)
        #expect(result.methodNotes == [.same("plain"), LocalizedText(zh: "中文", en: "English")])
        #expect(problem(#"{"method_notes": [{"en": "only English"}]}"#) == "method_notes[0]: missing field 'zh'")
    }

    @Test func tableCellsKeepTheirTypes() throws {
        let result = try decode(#"""
            {"tables": [{"id": "t", "title": "T", "columns": ["a", {"id": "b", "title": {"en": "B", "zh": "乙"}}, "c", "d", "e", "f"],
                         "rows": [["x", 3, 2.5, null, {"id": "SDG-9"}, {"decimal": 1, "places": 2}]]}]}
            """#)
        let table = try #require(result.tables.first)
        #expect(table.columns.map(\.id) == ["a", "b", "c", "d", "e", "f"])
        #expect(table.columns[1].title == LocalizedText(zh: "乙", en: "B"))
        #expect(table.rows[0] == [.text("x"), .integer(3), .decimal(2.5, places: 1), .empty, .id("SDG-9"), .decimal(1, places: 2)])
        #expect(table.rows[0][5].description == "1.00")
    }

    @Test func shortViewNodesAndLinksAreCompletedFromTheGraph() throws {
        let result = try decode(#"""
            {"views": [{"id": "v", "title": "V", "network": {
              "nodes": ["SDG-9", "SDG-9.c", {"id": "BAAP-OUT-2.1", "label": "Mine"}],
              "edges": [{"source": "BAAP-OUT-2.1", "relation": "advances-sdg", "target": "SDG-9.c"},
                        {"source": "BAAP-OUT-2.1", "relation": "advances-sdg", "target": "SDG-9"},
                        {"source": "SDG-9.c", "relation": "counted-in", "target": "SDG-9", "tooltip": "my own rule"}]}}]}
            """#)
        guard case .network(let network) = try #require(result.views.first).diagram else { Issue.record("not a network"); return }
        #expect(network.nodes[0].colour == "#E5243B" || network.nodes[0].colour != nil)
        #expect(network.nodes[0].url == "http://metadata.un.org/sdg/9")
        #expect(network.nodes[1].colour == network.nodes[0].colour)  // a target takes its goal's colour
        #expect(network.nodes[2].label == .same("Mine"))
        #expect(network.nodes[2].kind == "baap-output")
        #expect(network.edges[0].declared)
        #expect(network.edges[0].tooltip?.hasPrefix("declared: Fixture §") == true)
        #expect(!network.edges[1].declared)  // derived in the graph
        #expect(!network.edges[2].declared)  // not in the graph: never declared
        #expect(network.edges[2].tooltip == "my own rule")
        #expect(ResultValidator(graph: Self.graph).problems(in: result).isEmpty)
    }

    @Test func unknownFieldsNameTheClosestKnownOne() {
        #expect(problem(#"{"findngs": []}"#).hasPrefix("findngs: unknown field 'findngs' (did you mean 'findings'?)"))
        #expect(problem(#"{"views": [{"id": "v", "title": "V", "network": {"nodes": ["SDG-9"], "edgse": []}}]}"#)
            .hasPrefix("views[0].network.edgse: unknown field 'edgse' (did you mean 'edges'?)"))
    }

    @Test func shapeErrorsNameTheirPlace() {
        #expect(problem(#"{"headline": [{"label": "x"}]}"#) == "headline[0]: missing field 'value'")
        #expect(problem(#"{"findings": [{"severity": "fatal", "code": "c", "message": "m"}]}"#)
            == "findings[0].severity: expected error, warning or info, got 'fatal'")
        #expect(problem(#"{"views": [{"id": "v", "title": "V"}]}"#) == "views[0]: a view has exactly one of \"network\" and \"matrix\"")
        #expect(problem(#"{"headline": [}"#).hasPrefix("not valid JSON: "))
        #expect(problem(#"{"headline": [}"#).contains("line 1, column"))
    }

    @Test func theValidatorFindsUnknownIdsAndMalformedViews() {
        let report = problem(#"""
            {"findings": [{"severity": "info", "code": "c", "message": "m", "ids": ["SDG-99"]}],
             "tables": [{"id": "bad/name", "title": "T", "columns": ["a", "b"], "rows": [["only one"]]}],
             "views": [{"id": "v", "title": "V", "network": {
                 "nodes": ["SDG-9", {"id": "SDG-9.c", "url": "javascript:alert(1)", "colour": "red"}],
                 "edges": [{"source": "SDG-9.c", "relation": "part-of", "target": "BAAP-OUT-2.1"},
                           {"source": "SDG-9", "relation": "made-up", "target": "SDG-9.c", "declared": true}],
                 "groups": [{"id": "g", "members": ["SDG-9.1"]}]}},
               {"id": "m", "title": "M", "matrix": {"row_header": "r", "column_header": "c", "rows": ["a", "b"], "columns": ["x"],
                 "cells": [["1"]]}}]}
            """#)
        let lines = report.split(separator: "\n").map(String.init)
        #expect(lines.contains("findings[0].ids[0]: no node has the id 'SDG-99'"))
        #expect(lines.contains { $0.hasPrefix("tables[0].id: 'bad/name' is not a safe file name") })
        #expect(lines.contains("tables[0].rows[0]: has 1 cell for 2 columns"))
        #expect(lines.contains { $0.hasPrefix("views[0].network.nodes[1].colour: expected a colour as #RRGGBB") })
        #expect(lines.contains { $0.hasPrefix("views[0].network.nodes[1].url: only http(s) addresses") })
        #expect(lines.contains("views[0].network.edges[0].target: 'BAAP-OUT-2.1' is not a node of this view"))
        #expect(lines.contains { $0.hasPrefix("views[0].network.edges[1].declared: SDG-9 -[made-up]-> SDG-9.c is not a link a document declares") })
        #expect(lines.contains("views[0].network.groups[0].members[0]: 'SDG-9.1' is not a node of this view"))
        #expect(lines.contains("views[1].matrix.cells: has 1 rows of cells for 2 rows"))
    }

    @Test func requestCarriesTheGraphWithProvenanceAndTypedOptions() throws {
        let descriptor = AnalysisDescriptor(id: "x", title: "X", summary: "", options: [
            AnalysisOption(name: "depth", summary: "", type: .integer(1...3), defaultValue: "2"),
            AnalysisOption(name: "focus", summary: "", type: .list),
            AnalysisOption(name: "plan", summary: "", type: .text, defaultValue: "baap"),
        ])
        let data = try AnalysisRequestEncoder(graph: Self.graph).request(analysis: descriptor, options: AnalysisOptions(["focus": "A, B"]))
        let request = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(request["protocol_version"] as? Int == ExternalProtocol.version)
        #expect(request["analysis"] as? String == "x")
        let options = try #require(request["options"] as? [String: Any])
        #expect(options["depth"] as? Int == 2)
        #expect(options["focus"] as? [String] == ["A", "B"])
        #expect(options["plan"] as? String == "baap")
        let graph = try #require(request["graph"] as? [String: Any])
        let nodes = try #require(graph["nodes"] as? [[String: Any]])
        #expect(nodes.map { $0["id"] as? String } == Self.graph.nodes.map(\.id.rawValue))
        let edges = try #require(graph["edges"] as? [[String: Any]])
        let derived = try #require(edges.first { $0["provenance"] as? String == "derived" })
        #expect((derived["derivation"] as? [String: Any])?["rule"] as? String == "goal-of-target")
        let declared = try #require(edges.first { $0["provenance"] as? String == "declared" })
        #expect((declared["citation"] as? [String: Any])?["file"] as? String == "fixture.txt")
    }

    @Test func descriptorsAreChecked() throws {
        let good = try ExternalDescriptor.decode(Data(#"""
            {"protocol_version": 1, "id": "my-analysis", "title": {"en": "Mine", "zh": "我的"}, "summary": "S",
             "options": [{"name": "depth", "summary": "d", "type": "integer", "minimum": 1, "maximum": 4, "default": 2},
                         {"name": "mode", "summary": "m", "type": "choice", "choices": ["a", "b"], "default": "a"}],
             "examples": ["linkage run my-analysis"]}
            """#.utf8))
        #expect(good.descriptor.id == "my-analysis")
        #expect(good.title.zh == "我的")
        #expect(good.descriptor.options.map(\.typeDescription) == ["integer 1…4", "a|b"])
        func failure(_ json: String) -> String {
            do { _ = try ExternalDescriptor.decode(Data(json.utf8)); return "" } catch { return error.description }
        }
        #expect(failure(#"{"protocol_version": 2, "id": "x", "title": "X", "summary": "S"}"#).hasPrefix("protocol_version: this linkage speaks protocol version 1"))
        #expect(failure(#"{"protocol_version": 1, "id": "My Analysis", "title": "X", "summary": "S"}"#).hasPrefix("id: 'My Analysis' is not a usable id"))
        #expect(failure(#"{"protocol_version": 1, "id": "x", "title": "X", "summary": "S", "options": [{"name": "n", "summary": "s", "type": "float"}]}"#)
            .hasPrefix("options[0].type: unknown type 'float'"))
        #expect(failure(#"{"protocol_version": 1, "id": "x", "title": "X", "summary": "S", "options": [{"name": "n", "summary": "s", "type": "integer", "minimum": 1, "maximum": 3, "default": 7}]}"#)
            .hasPrefix("options[0].default: the default is not a valid value"))
    }

    /// Decimals are shown with fixed places however large (a budget in some currency, a value
    /// an external analysis sends); they used to trap beyond Int's range once scaled.
    @Test func decimalsBeyondIntegerRangeAreShownExactly() {
        #expect(formatDecimal(12.345, places: 2) == "12.35")
        #expect(formatDecimal(-0.004, places: 2) == "0.00")
        #expect(formatDecimal(3e20, places: 2) == "300000000000000000000.00")
        #expect(formatDecimal(-2.5e19, places: 1) == "-25000000000000000000.0")
        #expect(formatDecimal(0x1p63, places: 0) == "9223372036854775808")
        #expect(formatDecimal(9.3e16, places: 3) == "93000000000000000.000")
        #expect(formatDecimal(.greatestFiniteMagnitude, places: 0) == "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368")
        #expect(formatDecimal(1e300, places: 12) == "1e+300")
        #expect(formatDecimal(.infinity, places: 2) == "inf")
    }
}

/// `formatDecimal` writes small numbers from an integer in a buffer; the digits must be those
/// of the general path (the integral double's digits, the point inserted, zeros padded).
@Suite("Fixed-point numbers")
struct FormatDecimalTests {
    static func general(_ value: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let negative = value < 0 && scaled != 0
        var digits = String(UInt64(scaled))
        if places > 0 {
            while digits.count <= places { digits = "0" + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
        }
        return (negative ? "-" : "") + digits
    }

    @Test func smallNumbersAreWrittenAsTheGeneralPathWritesThem() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        for index in 0..<200_000 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            let places = index % 5
            let value = (Double(state % 2_000_000_000) - 1_000_000_000) / [1, 7, 100, 1000, 3][index % 5]
            #expect(formatDecimal(value, places: places) == Self.general(value, places: places), "\(value) \(places)")
        }
        for (value, places) in [(0.0, 0), (0.0, 2), (-0.0, 2), (0.05, 2), (-0.05, 2), (0.004, 2), (9.995, 2), (1e17, 0), (99999.5, 0)] {
            #expect(formatDecimal(value, places: places) == Self.general(value, places: places), "\(value) \(places)")
        }
    }
}
