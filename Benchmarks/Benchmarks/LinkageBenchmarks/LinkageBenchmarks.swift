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

    // One render of a real diagram through libgraphviz: the BAAP plan-to-SDG overview.
    Benchmark("RenderBAAPPlanToSDGDiagram", configuration: .init(maxIterations: 200)) { benchmark in
        let graph = DatasetLoader.load(from: datasets).graph
        let plugin = registeredAnalyses.first { $0.descriptor.id == "sdg-mapping" }!
        let result = try plugin.run(AnalysisContext(graph: graph, options: AnalysisOptions(["plan": "baap"])))
        let view = result.views.first { $0.id == "plan-sdg-baap" }!
        let dot = DOTBuilder(language: .en).dot(for: view)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try Graphviz.shared.render(dot: dot, engine: .dot, format: .svg))
        }
        benchmark.stopMeasurement()
    }
}
