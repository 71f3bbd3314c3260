import Foundation
import LinkageKit
import LinkageRendering
import LinkageTestSupport
import PropertyBased
import Testing

@Suite("Graphviz in process")
struct GraphvizTests {
    let graphviz = Graphviz.shared
    let good = "digraph { a -> b; b [label=\"B\"] }"

    @Test(arguments: OutputFormat.allCases)
    func rendersEveryFormat(_ format: OutputFormat) throws {
        let rendered = try graphviz.render(dot: good, engine: .dot, format: format)
        #expect(!rendered.data.isEmpty)
        let prefix = String(decoding: rendered.data.prefix(8), as: UTF8.self)
        switch format {
        case .svg: #expect(String(decoding: rendered.data, as: UTF8.self).contains("<svg"))
        case .png: #expect(rendered.data.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        case .pdf: #expect(prefix.hasPrefix("%PDF"))
        case .dot: #expect(String(decoding: rendered.data, as: UTF8.self) == good)
        }
    }

    @Test(arguments: LayoutEngine.allCases.filter { $0 != .nop2 })
    func layoutsWithEveryEngine(_ engine: LayoutEngine) throws {
        let rendered = try graphviz.render(dot: "graph { a -- b; b -- c; c -- a; c -- d }", engine: engine, format: .svg)
        #expect(String(decoding: rendered.data, as: UTF8.self).contains("<svg"))
    }

    /// A figure scaled down to fit its page makes Graphviz warn once per node that the node is
    /// too small for its label: those come back as one line per graph (a 1,000-element plan
    /// printed 2,034 of them), other warnings as they are.
    @Test func tooSmallForLabelWarningsAreOneLinePerGraph() throws {
        let nodes = (1...5).map { "n\($0) [pos=\"\($0 * 20),10\", label=\"a label far too long for its box \($0)\"]" }
        let dot = "digraph tiny { node [shape=box, fixedsize=true, width=0.1, height=0.1]; \(nodes.joined(separator: "; ")) }"
        let warnings = try graphviz.render(dot: dot, engine: "nop2", format: "svg").warnings
        #expect(warnings == ["Warning: 5 nodes of graph 'tiny' are too small for their labels (the first: 'n1')"], "\(warnings)")
        let one = "digraph one { node [shape=box, fixedsize=true, width=0.1, height=0.1]; n1 [label=\"far too long a label\"] }"
        #expect(try graphviz.render(dot: one, engine: "dot", format: "svg").warnings
            == ["Warning: node 'n1', graph 'one' size too small for label"])
    }

    /// nop2 draws positions as given, in points (neato -n2): no solver moves anything.
    @Test func nop2KeepsPositionsAsGiven() throws {
        let dot = "digraph p { node [shape=box, fixedsize=true, width=1, height=0.5]; a [pos=\"100,200\"]; b [pos=\"300,50\"]; a -> b }"
        let plain = String(decoding: try graphviz.render(dot: dot, engine: "nop2", format: "plain").data, as: UTF8.self)
        let nodes = plain.split(separator: "\n").filter { $0.hasPrefix("node ") }.map { $0.split(separator: " ") }
        // Graphviz moves the drawing so that it starts at the origin; distances stay as given.
        let a = try #require(nodes.first { $0[1] == "a" }), b = try #require(nodes.first { $0[1] == "b" })
        #expect(abs((Double(b[2])! - Double(a[2])!) * 72 - 200) < 0.5)
        #expect(abs((Double(a[3])! - Double(b[3])!) * 72 - 150) < 0.5)
    }

    @Test func badDOTIsAnErrorWithGraphvizsMessage() {
        #expect {
            try graphviz.render(dot: "digraph { a -> }", engine: "dot", format: "svg")
        } throws: { error in
            let error = error as! GraphvizError
            return error.stage == .parse && error.description.contains("syntax error")
        }
    }

    @Test func badEngineIsAnErrorWithGraphvizsMessage() {
        #expect {
            try graphviz.render(dot: good, engine: "nosuchengine", format: "svg")
        } throws: { error in
            let error = error as! GraphvizError
            return error.stage == .layout && error.description.contains("nosuchengine")
        }
    }

    @Test func badFormatIsAnErrorWithGraphvizsMessage() {
        #expect {
            try graphviz.render(dot: good, engine: "dot", format: "nosuchformat")
        } throws: { error in
            let error = error as! GraphvizError
            return error.stage == .render && error.description.contains("nosuchformat")
        }
    }

    /// Graphviz reports a broken HTML label while rendering returns success; the error must
    /// still come back, and the sticky error state must not poison the next render.
    @Test func brokenHTMLLabelIsAnErrorAndTheNextRenderSucceeds() throws {
        #expect(throws: GraphvizError.self) {
            try graphviz.render(dot: "digraph { a [label=<<B>unclosed>] }", engine: "dot", format: "svg")
        }
        let next = try graphviz.render(dot: good, engine: .dot, format: .svg)
        #expect(String(decoding: next.data, as: UTF8.self).contains("<svg"))
        #expect(next.warnings.isEmpty)
    }

    @Test func aGoodRenderFollowsEveryKindOfFailure() throws {
        for (dot, engine, format) in [("digraph { a -> }", "dot", "svg"), (good, "bad", "svg"), (good, "dot", "bad"),
                                      ("digraph { a [label=<<TABLE>>] }", "dot", "png")] {
            _ = try? graphviz.render(dot: dot, engine: engine, format: format)
            let rendered = try graphviz.render(dot: good, engine: "dot", format: "svg")
            #expect(!rendered.data.isEmpty)
        }
    }

    @Test(arguments: [OutputFormat.svg, .png, .pdf])
    func outputIsByteIdenticalAcrossRenders(_ format: OutputFormat) throws {
        // Named: Graphviz numbers anonymous graphs with a process-wide counter (%1, %2...),
        // which is why every DOT the workbench writes names its graph.
        let dot = "digraph sample { rankdir=LR; a [label=\"可持续发展目标 9\"]; a -> b -> c }"
        let first = try graphviz.render(dot: dot, engine: .dot, format: format).data
        let second = try graphviz.render(dot: dot, engine: .dot, format: format).data
        #expect(first == second)
    }

    /// Graphviz is not thread-safe; the renderer serialises every call, so concurrent callers
    /// (Swift Testing runs tests in parallel too) all get correct results.
    @Test func concurrentRendersAreSerialised() async throws {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<16 {
                group.addTask {
                    let dot = "digraph { n\(i) -> m\(i) }"
                    let svg = try Graphviz.shared.render(dot: dot, engine: i % 2 == 0 ? .dot : .neato, format: .svg).data
                    return String(decoding: svg, as: UTF8.self).contains("n\(i)") ? 1 : 0
                }
            }
            var ok = 0
            for try await result in group { ok += result }
            #expect(ok == 16)
        }
    }

    /// Chinese text is measured with the CJK font: a box of ten Chinese characters is much
    /// wider than one of ten Latin letters, and no font warning is printed.
    @Test func chineseLabelsAreMeasuredWithTheCJKFont() throws {
        let style = DiagramStyle()
        func width(_ label: String) throws -> Double {
            let dot = "digraph { node [fontname=\"\(style.fontName)\", shape=box]; a [label=\"\(label)\"] }"
            let rendered = try graphviz.render(dot: dot, engine: .dot, format: .svg)
            #expect(rendered.warnings.isEmpty, "\(rendered.warnings)")
            let svg = String(decoding: rendered.data, as: UTF8.self)
            let match = try #require(svg.firstMatch(of: /<svg width="(\d+)pt"/))
            return Double(match.1)!
        }
        let chinese = try width("可持续发展目标的实现")
        let latin = try width("abcdefghij")
        #expect(chinese > latin * 1.6)
        let svg = String(decoding: try graphviz.render(dot: "digraph { node [fontname=\"\(style.fontName)\"]; a [label=\"中文\"] }",
                                                        engine: .dot, format: .svg).data, as: UTF8.self)
        // The SVG names fonts of the same design after the one it was measured with, ending with
        // the generic family, so that a reader without Noto sees the layout as closely as possible.
        #expect(svg.contains("font-family=\"'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif\""))
        #expect(!svg.contains("font-family=\"Noto Sans CJK SC\""))
    }
}

@Suite("Memory over thousands of renders")
struct GraphvizMemoryTests {
    /// Runs `render-soak` (its own process, so that tests running in parallel add no noise)
    /// on the given diagrams, each rendered from its DOT text and as the workbench renders it
    /// (from its statements), and returns how much resident memory grew, in KiB.
    static func soak(_ views: [(ViewSpec, DiagramStyle)], rounds: Int) throws -> Int {
        let folder = try makeTemporaryDirectory("soak")
        defer { try? FileManager.default.removeItem(at: folder) }
        var arguments = [String(rounds)]
        for (index, (view, style)) in views.enumerated() {
            let builder = DOTBuilder(language: .zh, style: style)
            let file = folder.appendingPathComponent("\(index).dot")
            try builder.dot(for: view).write(to: file, atomically: true, encoding: .utf8)
            arguments.append("\(file.path):\(builder.engine(for: view, requested: .dot).rawValue)")
            let json = folder.appendingPathComponent("\(index).json")
            try JSONEncoder().encode(view).write(to: json)
            arguments.append(json.path + (style.groupsAsClusters ? "" : ":boxes"))
        }
        let process = Process()
        process.executableURL = Repository.linkageExecutable.deletingLastPathComponent().appendingPathComponent("render-soak")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0, let match = text.firstMatch(of: /growth_kib=(-?\d+)/) else {
            Issue.record("render-soak failed: \(text)")
            return .max
        }
        return Int(match.1)!
    }

    /// The workbench's diagrams, with groups as Graphviz clusters and as plain boxes, and its
    /// matrices, rendered 1,200 times each from DOT text and from their statements (SVG, every
    /// tenth PNG, a failing render every fiftieth): memory stays flat. The renderer frees render data, the nop layout's leftovers
    /// (docs/graphviz-memory.md), layout and graph every time, errors included.
    @Test func memoryStaysFlatForNetworksAndMatrices() throws {
        var flat = DiagramStyle()
        flat.groupsAsClusters = false
        let growth = try Self.soak([(SampleViews.network, flat), (SampleViews.network, DiagramStyle()), (SampleViews.largeMatrix, DiagramStyle())],
                                   rounds: 1200)
        #expect(growth < 1024, "resident memory grew by \(growth) KiB over 7,200 renders")
    }
}
