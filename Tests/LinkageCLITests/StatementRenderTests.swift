import Foundation
import LinkageKit
import LinkageRegistry
import LinkageRendering
import LinkageTestSupport
import Testing

/// The renderer hands Graphviz a figure's DOT statements as a list (`linkage_build_graph`: the
/// calls cgraph's parser makes, without lexing and parsing the text, issue 9). What it draws
/// must be what Graphviz draws from the DOT text written for the same figure (the `.dot` file a
/// user gets, `neato -n2` on it): both are rendered here, for every figure of every analysis.
@Suite("Figures built without parsing their DOT", .serialized)
struct StatementRenderTests {
    /// The renderer's output for one page against Graphviz's from the page's DOT text: bytes,
    /// warnings, or the error.
    static func expectSameAsFromText(_ renderer: DiagramRenderer, _ page: LaidOutPage, _ format: OutputFormat, _ what: String) {
        let fromText = Result { () throws(GraphvizError) in
            try Graphviz.shared.render(dot: page.dot(dpi: format == .png ? renderer.options.dpi : nil), engine: .nop2, format: format)
        }
        let fromList = Result { () throws(GraphvizError) in try renderer.render(page, format: format) }
        switch (fromText, fromList) {
        case (.success(let text), .success(let list)):
            #expect(text.data == list.data, "\(what): \(format) differs from the DOT text's")
            #expect(text.warnings == list.warnings, "\(what): warnings differ")
        case (.failure(let text), .failure(let list)):
            #expect(text == list, "\(what)")
        default:
            Issue.record("\(what): \(format): from the text \(fromText), from the list \(fromList)")
        }
    }

    static func compareEveryView(of graph: LinkageGraph, formats: (ViewSpec) -> [OutputFormat]) throws -> Int {
        var compared = 0
        for plugin in registeredAnalyses {
            let result = try plugin.run(AnalysisContext(graph: graph, options: AnalysisOptions()))
            for view in result.views {
                for language in [Language.en, .zh] {
                    let renderer = DiagramRenderer(language: language, options: FigureOptions(page: .a4Landscape))
                    let laidOut = try renderer.layout(view)
                    for page in laidOut.pages {
                        for format in formats(view) {
                            expectSameAsFromText(renderer, page, format, "\(plugin.descriptor.id)/\(view.id)\(page.suffix).\(language)")
                            compared += 1
                        }
                    }
                }
            }
        }
        return compared
    }

    @Test func everyFigureOfTheBundledDataIsDrawnAsFromItsDOTText() throws {
        // SVG for every page; PNG and PDF (drawn by cairo, text by Pango) for the first view.
        var first = true
        let compared = try Self.compareEveryView(of: Repository.loaded.graph) { _ in
            defer { first = false }
            return first ? [.svg, .png, .pdf] : [.svg]
        }
        #expect(compared > 80)
    }

    /// Markup, escString sequences (`\N`, labels and tooltips ending in a backslash, whose
    /// escaped backslashes stand right before the closing quote), controls, NUL and 16 KiB words,
    /// in every analysis.
    @Test func hostileFiguresAreDrawnAsFromTheirDOTText() throws {
        let folder = try makeTemporaryDirectory("statement-render")
        defer { try? FileManager.default.removeItem(at: folder) }
        let loaded = DatasetLoader.load(from: try HostileDatasets.make(in: folder))
        let compared = try Self.compareEveryView(of: loaded.graph) { _ in [.svg] }
        #expect(compared > 80)
    }
}
