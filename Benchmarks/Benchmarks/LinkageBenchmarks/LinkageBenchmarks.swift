import Benchmark
import Foundation
import LinkageHost
import LinkageKit
import LinkageRegistry
import LinkageRendering

/// The repository's datasets folder (this file is Benchmarks/Benchmarks/LinkageBenchmarks/…).
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let datasets = repository.appendingPathComponent("datasets")

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(20),
        maxIterations: 20)

    // Benchmark names have no spaces: the threshold files are looked up by name, and the tool
    // writes them with spaces turned into underscores but reads them without (1.38.1).

    // Loading and validating every bundled dataset (about 1,200 nodes and 2,600 links).
    Benchmark("LoadAndValidateDatasets") { benchmark in
        for _ in benchmark.scaledIterations {
            let result = DatasetLoader.load(from: datasets)
            precondition(!result.hasErrors)
            blackHole(result.graph)
        }
    }

    // Everything `linkage all` does: every analysis with its defaults, every view rendered to
    // SVG in English and Chinese, reports, CSV, JSON and the index, into a temporary folder.
    Benchmark("LinkageAll", configuration: .init(maxIterations: 5)) { benchmark in
        let graph = DatasetLoader.load(from: datasets).graph
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("linkage-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: output) }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let runs = try AnalysisRunner(graph: graph).runAll(registeredAnalyses, output: OutputSettings(directory: output)).runs
            precondition(runs.allSatisfy { $0.status == .succeeded })
        }
        benchmark.stopMeasurement()
    }

    // The request an external analysis reads (protocol version 1): the whole graph of the
    // bundled datasets with every link's provenance, as JSON, encoded from scratch each time
    // (the host encodes it once per run and reuses it for every external analysis).
    Benchmark("ExternalAnalysisRequestJSON", configuration: .init(maxIterations: 50)) { benchmark in
        let graph = DatasetLoader.load(from: datasets).graph
        let descriptor = AnalysisDescriptor(id: "budget-per-sdg", title: "Budget per SDG goal", summary: "",
                                            options: [AnalysisOption(name: "plan", summary: "", type: .text, defaultValue: "op23")])
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let request = try AnalysisRequestEncoder(graph: graph).request(analysis: descriptor, options: AnalysisOptions())
            precondition(request.count > 1_000_000)
            blackHole(request)
        }
        benchmark.stopMeasurement()
    }

    // One render of a real diagram through libgraphviz: the BAAP plan-to-SDG overview, laid
    // out for its page (text measured, positions computed) and drawn by nop2.
    Benchmark("RenderBAAPPlanToSDGDiagram", configuration: .init(maxIterations: 200)) { benchmark in
        let graph = DatasetLoader.load(from: datasets).graph
        let plugin = registeredAnalyses.first { $0.descriptor.id == "sdg-mapping" }!
        let result = try plugin.run(AnalysisContext(graph: graph, options: AnalysisOptions(["plan": "baap"])))
        let view = result.views.first { $0.id == "plan-sdg-baap" }!
        let renderer = DiagramRenderer(language: .en)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let page = try renderer.layout(view).pages[0]
            blackHole(try renderer.render(page, format: .svg))
        }
        benchmark.stopMeasurement()
    }

    // `linkage render` of one view from the bundled data: what the command does after parsing
    // its arguments (load and validate, run the analysis, lay out and draw the one view).
    // Compare with `neato -n2 -Tsvg` on the same DOT (README: one diagram at dot's cost).
    Benchmark("RenderOneViewFromDatasets", configuration: .init(maxIterations: 20)) { benchmark in
        let plugin = registeredAnalyses.first { $0.descriptor.id == "sdg-mapping" }!
        for _ in benchmark.scaledIterations {
            let graph = DatasetLoader.load(from: datasets).graph
            let result = try plugin.run(AnalysisContext(graph: graph, options: AnalysisOptions(["plan": "baap"])))
            let view = result.views.first { $0.id == "plan-sdg-baap" }!
            let renderer = DiagramRenderer(language: .en)
            blackHole(try renderer.render(try renderer.layout(view).pages[0], format: .svg))
        }
    }

    // Loading and validating the bundled datasets plus a synthetic plan (written the way
    // `linkage import` writes one; scripts/synthetic-plan.py makes the same plan as a
    // spreadsheet): 10,000 and 100,000 links.
    for links in [10_000, 100_000, 1_000_000] {
        Benchmark("ValidateSynthetic\(links)Links", configuration: .init(maxDuration: .seconds(60), maxIterations: 5)) { benchmark in
            let folder = try SyntheticPlan.datasets(links: links)
            defer { try? FileManager.default.removeItem(at: folder) }
            // The generator's freed text stays in the process's heap; handed back to the system
            // first, so that the peak measured is the loader's (at 10⁶ links the peak fell from
            // 1,134 MB to 1,003–1,036 MB; a `linkage validate` process peaks at about 908 MB, the
            // rest being the benchmark's malloc interposer, which puts a header on every allocation).
            releaseFreedHeap()
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let result = DatasetLoader.load(from: folder)
                precondition(!result.hasErrors, "\(result.errors.prefix(3))")
                blackHole(result.graph)
            }
            benchmark.stopMeasurement()
        }
    }

    // Label wrapping (issue 8: a 1 MiB single-word label once made `linkage all` take 486 s):
    // a label of one word and one of words, each measured in points as the layouts measure it
    // and wrapped whole (no line limit, hyphenated as in narrow headers) into lines of 150 pt,
    // at 10 KiB, 100 KiB and 1 MiB. Wrapping is linear, so each size takes about ten times the
    // one before; the targets say so (Thresholds/LinkageBenchmarks.WrapLabel*.p90.json).
    for (name, length) in [("10KiB", 10 << 10), ("100KiB", 100 << 10), ("1MiB", 1 << 20)] {
        Benchmark("WrapLabel\(name)", configuration: .init(maxDuration: .seconds(30), maxIterations: 10)) { benchmark in
            let labels = [LongLabels.oneWord(length), LongLabels.words(length)]
            TextMetrics.shared.prepare(labels, font: DiagramStyle().fontName, sizes: [9])
            let measure = TextMetrics.shared.measure(font: DiagramStyle().fontName, size: 9)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                for label in labels {
                    let lines = measure.wrap(label, width: 150, hyphenate: true)
                    precondition(lines.count > length / 100)
                    blackHole(lines)
                }
            }
            benchmark.stopMeasurement()
        }
    }

    // A heat map of a synthetic plan (rows × 17 goals and "all SDGs"), laid out and drawn as
    // one SVG without a page (one figure as tall as the rows need): no solver runs, so time and
    // memory grow linearly with the number of cells.
    for rows in [1_000, 10_000] {
        Benchmark("RenderSyntheticHeatMap\(rows)Rows", configuration: .init(maxDuration: .seconds(60), maxIterations: 3)) { benchmark in
            let view = SyntheticHeatMap.view(rows: rows)
            let renderer = DiagramRenderer(language: .en, options: FigureOptions(page: .none))
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let page = try renderer.layout(view).pages[0]
                blackHole(try renderer.render(page, format: .svg))
            }
            benchmark.stopMeasurement()
        }
    }
}

/// Labels for the wrapping benchmarks: one word (the worst case a line-filling wrapper can
/// meet: every line ends inside the word) and words, of a given length in characters.
enum LongLabels {
    static func oneWord(_ length: Int) -> String { String(repeating: "x", count: length) }
    static func words(_ length: Int) -> String {
        String(String(repeating: "Telecommunication and ICT infrastructure ", count: length / 41 + 1).prefix(length))
    }
}

/// A heat map like sdg-mapping's, for a plan of any size: element labels of realistic length,
/// about one cell in six filled.
enum SyntheticHeatMap {
    static func view(rows count: Int) -> ViewSpec {
        let colours = ["#E5243B", "#DDA63A", "#4C9F38", "#C5192D", "#FF3A21", "#26BDE2", "#FCC30B", "#A21942", "#FD6925",
                       "#DD1367", "#FD9D24", "#BF8B2E", "#3F7E44", "#0A97D9", "#56C02B", "#00689D", "#19486A"]
        let columns = colours.enumerated().map { index, colour in
            MatrixAxisEntry(label: LocalizedText(zh: "目标\(index + 1)\n名称", en: "SDG \(index + 1)\nIndustry, innovation and infrastructure"),
                            colour: colour, url: "http://metadata.un.org/sdg/\(index + 1)")
        } + [MatrixAxisEntry(label: LocalizedText(zh: "所有目标", en: "All SDGs"), colour: "#9E9E9E")]
        let rows = (1...count).map { r in
            MatrixAxisEntry(label: LocalizedText(zh: "SYN-\(r) 合成计划要素 \(r)", en: "SYN-\(r) Synthetic plan element \(r) on infrastructure and services"),
                            group: LocalizedText(zh: "目标组 \((r - 1) / 50 + 1)", en: "Objective \((r - 1) / 50 + 1)"))
        }
        let cells = (1...count).map { r in
            columns.indices.map { c in (r * 7 + c * 3) % 6 == 0 ? MatrixCell("\((r + c) % 5 + 1)", colour: "#FEC9A8", tooltip: "SYN-\(r) → goal \(c + 1)") : MatrixCell("") }
        }
        return ViewSpec(
            id: "heatmap-synthetic-\(count)", title: LocalizedText(zh: "合成计划：热图", en: "Synthetic plan: SDG coverage heat map"),
            diagram: .matrix(MatrixView(rowHeader: LocalizedText(zh: "计划要素", en: "Plan element"), columnHeader: LocalizedText(zh: "目标", en: "Goal"),
                                        rows: rows, columns: columns, cells: cells)))
    }
}

/// A copy of the bundled datasets with a synthetic imported plan: groups of 50 elements, each
/// element part of its group and advancing five SDG targets (so about links / 6 elements).
enum SyntheticPlan {
    static func datasets(links: Int) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("linkage-synthetic-\(links)-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.copyItem(at: LinkageBenchmarks.datasets, to: folder)
        let plan = folder.appendingPathComponent("syn")
        try FileManager.default.createDirectory(at: plan, withIntermediateDirectories: true)
        let targets = try String(contentsOf: LinkageBenchmarks.datasets.appendingPathComponent("sdg/targets.yaml"), encoding: .utf8)
            .split(separator: "\n").compactMap { line -> String? in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                return trimmed.hasPrefix("- id: SDG-") ? String(trimmed.dropFirst("- id: SDG-".count)) : nil
            }
        precondition(targets.count == 169)
        let elements = max(1, links / 6), groups = max(1, elements / 50)
        // Several files of at most 5,000 elements (about 2 MB), as `linkage import` splits a
        // large plan: one file may hold at most 4 MiB (InputLimits.maxFileBytes).
        let head = "defaults:\n  doc: plan\n\nnodes:\n"
        var files: [String] = []
        var text = head
        for g in 1...groups {
            text += "  - id: \"SYN-G\(g)\"\n    kind: syn-group\n    label: {zh: \"合成目标 \(g)\", en: \"Synthetic objective \(g)\"}\n    cite: {at: \"line \(g + 1)\"}\n"
        }
        for e in 1...elements {
            if e % 5_000 == 0 {
                files.append(text)
                text = head
            }
            let line = groups + e + 1
            let codes = (0..<5).map { targets[(e * 7 + $0 * 31) % targets.count] }
            let group = "G\((e - 1) % groups + 1)"
            let quote = codes.joined(separator: ", ")
            let sdgIDs = codes.map { "\"SDG-\($0)\"" }.joined(separator: ", ")
            text += """
                  - id: "SYN-E\(e)"
                    kind: syn-element
                    label: {zh: "合成计划要素 \(e)", en: "Synthetic plan element \(e) on infrastructure and services"}
                    cite: {at: "line \(line)"}
                    links:
                      - relation: part-of
                        cite: {at: "line \(line), field 2", quote: "\(group)"}
                        targets: ["SYN-\(group)"]
                      - relation: advances-sdg
                        cite: {at: "line \(line), field 5", quote: "\(quote)"}
                        targets: [\(sdgIDs)]

                """
        }
        files.append(text)
        let names = files.indices.map { $0 == 0 ? "plan.yaml" : "plan-\($0 + 1).yaml" }
        for (name, text) in zip(names, files) { try Data(text.utf8).write(to: plan.appendingPathComponent(name)) }
        try Data(manifest.replacingOccurrences(of: "files: [plan.yaml]", with: "files: [\(names.joined(separator: ", "))]").utf8)
            .write(to: plan.appendingPathComponent("manifest.yaml"))
        return folder
    }

    static let manifest = """
        dataset: syn
        generated_by: linkage import
        title: {zh: "合成规划", en: "Synthetic plan"}
        description: "A synthetic plan for the benchmarks."
        sources:
          - id: plan
            file: "synthetic-plan.csv"
            title: {zh: "合成规划表", en: "Synthetic plan mapping"}
        requires: [sdg]
        files: [plan.yaml]
        kinds:
          - id: syn-element
            label: {zh: 规划要素, en: "syn element"}
            role: plan-element
            id_pattern: "SYN-[A-Za-z0-9._/\\\\-]+"
          - id: syn-group
            label: {zh: 规划结构, en: "syn group"}
            role: plan-structure
            id_pattern: "SYN-[A-Za-z0-9._/\\\\-]+"
        relations: []
        plans:
          - id: syn
            label: {zh: "合成规划", en: "Synthetic plan"}
            elements: [syn-element]
            groups: syn-group
        rules: []

        """
}

/// glibc's `malloc_trim(0)`: gives the heap's free memory back to the system. Looked up at run
/// time, since Swift's Glibc module does not carry `malloc.h`.
func releaseFreedHeap() {
    guard let symbol = dlsym(nil, "malloc_trim") else { return }
    let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    _ = trim(0)
}
