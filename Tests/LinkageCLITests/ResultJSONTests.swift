import Foundation
import LinkageKit
import LinkageRegistry
import LinkageTestSupport
import Testing

/// `result.json` is written by hand for speed (`JSONWriter`); it must stay byte-identical to what
/// Foundation's `JSONEncoder` writes from the result's `Codable` form (the schema's definition,
/// through which external analyses' results are read) plus the host's fields, which the
/// reference encoding below does the way the host did before.
@Suite("result.json writer")
struct ResultJSONTests {
    struct Reference: Encodable {
        let result: AnalysisResult
        let provenance: ResultProvenance?

        struct Analysis: Encodable { var id, title, summary: String }
        struct Diagram: Encodable { var id: String; var files: [String] }
        enum HostKey: String, CodingKey { case analysis, options, diagrams }

        func encode(to encoder: any Encoder) throws {
            try result.encode(to: encoder)
            guard let provenance else { return }
            var c = encoder.container(keyedBy: HostKey.self)
            let descriptor = provenance.descriptor
            try c.encode(Analysis(id: descriptor.id, title: descriptor.title, summary: descriptor.summary), forKey: .analysis)
            try c.encode(provenance.options.values, forKey: .options)
            try c.encode(provenance.diagrams.map { Diagram(id: $0.id, files: $0.files) }, forKey: .diagrams)
        }

        func data() throws -> Data {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            var data = try encoder.encode(self)
            data.append(0x0A)
            return data
        }
    }

    func expectSame(_ result: AnalysisResult, _ provenance: ResultProvenance?, _ comment: Comment? = nil) throws {
        let written = String(decoding: try result.jsonData(provenance: provenance), as: UTF8.self)
        let reference = String(decoding: try Reference(result: result, provenance: provenance).data(), as: UTF8.self)
        guard written != reference else { return }
        let writtenLines = written.split(separator: "\n", omittingEmptySubsequences: false)
        let referenceLines = reference.split(separator: "\n", omittingEmptySubsequences: false)
        let line = Array(zip(writtenLines, referenceLines)).firstIndex { $0.0 != $0.1 } ?? min(writtenLines.count, referenceLines.count)
        let mine = line < writtenLines.count ? String(writtenLines[line]) : "(end)"
        let theirs = line < referenceLines.count ? String(referenceLines[line]) : "(end)"
        Issue.record("\(comment?.description ?? "result"), line \(line + 1): written \(mine), JSONEncoder \(theirs)")
    }

    @Test func everyBuiltInResultIsWrittenAsJSONEncoderWouldWriteIt() throws {
        let graph = Repository.loaded.graph
        for plugin in registeredAnalyses {
            let result = try plugin.run(AnalysisContext(graph: graph))
            let provenance = ResultProvenance(
                descriptor: plugin.descriptor, options: AnalysisOptions(["depth": "2", "plan": "baap"]),
                diagrams: result.views.map { (id: $0.id, files: ["\($0.id).en.svg", "\($0.id).zh.svg"]) })
            try expectSame(result, provenance, "\(plugin.descriptor.id)")
            try expectSame(result, nil, "\(plugin.descriptor.id) without the host's fields")
        }
    }

    @Test func awkwardValuesAndEmptyPartsAreWrittenAsJSONEncoderWouldWriteThem() throws {
        let awkward = "quote \" backslash \\ slash / tab \t newline \n return \r bell \u{07} nul \u{00} DEL \u{7F} 中文 😀 \u{2028}"
        let text = LocalizedText(zh: awkward, en: "e\u{301} \u{1F}")
        let node = ViewNode(id: "A", kind: "thing", kindLabel: text, role: .planElement, label: text)
        var full = node
        full.code = awkward; full.tooltip = text; full.url = "https://example.org/a?b=c&d"; full.colour = "#123456"
        full.emphasised = true; full.maxLabelLines = 3; full.details = text
        var edge = ViewEdge(source: "A", target: "B", relation: "mentions", relationLabel: text, declared: false)
        edge.tooltip = awkward; edge.weight = -7; edge.label = "l"; edge.colour = "#000"
        let network = NetworkView(nodes: [node, full], edges: [edge, ViewEdge(source: "B", target: "A", relation: "r", relationLabel: .same(""), declared: true)],
                                  groups: [ViewGroup(id: "G", label: text, members: []), ViewGroup(id: "H", label: text, members: ["A", "B"], colour: "#fff")],
                                  ranks: [[], ["A"], ["A", "B"]], layout: .spring, lineColourKey: text)
        let matrix = MatrixView(rowHeader: text, columnHeader: .same("c"),
                                rows: [MatrixAxisEntry(label: text), MatrixAxisEntry(label: text, colour: "#abc", tooltip: awkward, url: "u", group: text)],
                                columns: [], cells: [[], [MatrixCell("x"), MatrixCell(text: text, colour: "#def", tooltip: awkward)]],
                                legend: [], footnote: text)
        let decimals: [TableValue] = ([0.1, 12.36, 1e-7, 3e20, 1e15, 1e16, 123456789012345, -0.0, 2.5, 100, 0.0001, 1 / 3] as [Double])
            .flatMap { [TableValue.decimal($0, places: 2), .decimal($0, places: 6), .decimal($0, places: 0)] }
        let table = ResultTable(id: "t", title: text, columns: [TableColumn("a"), TableColumn("b", text)],
                                rows: [[], [.text(awkward), .integer(Int.min), .empty, .id("SDG-9.c")] + decimals], caption: text)
        let result = AnalysisResult(
            headline: [HeadlineFigure(text, "12"), HeadlineFigure(text, 3, note: text)],
            findings: [Finding(.warning, code: "c", text), Finding(.error, code: awkward, text, ids: ["A", "B"])],
            tables: [table, ResultTable(id: "empty", title: .same(""), columns: [])],
            views: [ViewSpec(id: "n", title: text, subtitle: text, caption: text, diagram: .network(network)),
                    ViewSpec(id: "m", title: text, diagram: .matrix(matrix)),
                    ViewSpec(id: "e", title: text, diagram: .network(NetworkView()))],
            methodNotes: [text])
        let descriptor = AnalysisDescriptor(id: "x", title: awkward, summary: "")
        let options = AnalysisOptions(["b": awkward, "a10": "1", "a9": "2", "A": "", "_x": "", "a-b": "", "é": "", "": ""])
        try expectSame(result, ResultProvenance(descriptor: descriptor, options: options, diagrams: [(id: "n", files: []), (id: "m", files: ["m.svg"])]))
        try expectSame(result, ResultProvenance(descriptor: descriptor, options: AnalysisOptions(), diagrams: []))
        try expectSame(result, nil)
        try expectSame(AnalysisResult(), nil, "an empty result")
    }

    /// JSON has no infinity or NaN; `JSONEncoder` refused such a value, and so does the writer,
    /// naming where it is.
    @Test func aDecimalJSONCannotHoldIsAnErrorNamingItsTable() {
        let table = ResultTable(id: "budget", title: .same("Budget"), columns: [TableColumn("share")],
                                rows: [[.decimal(0.5, places: 1)], [.decimal(.infinity, places: 1)]])
        #expect(throws: ResultEncodingError.self) { try AnalysisResult(tables: [table]).jsonData() }
        do {
            _ = try AnalysisResult(tables: [table]).jsonData()
        } catch {
            #expect(error.description.contains("table budget, row 2"), "\(error)")
        }
    }
}
