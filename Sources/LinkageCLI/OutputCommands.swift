import ArgumentParser
import Foundation
import LinkageHost
import LinkageKit
import LinkageRegistry
import LinkageRendering

extension OutputFormat: ExpressibleByArgument {}
extension LayoutEngine: ExpressibleByArgument {}
extension DiagramLanguages: ExpressibleByArgument {}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export nodes or links as CSV or JSON, in canonical ids.",
        discussion: """
            CSV headers: nodes `id,kind,label_zh,label_en,source`; links \
            `source,relation,target,provenance` (provenance is declared or derived; a link a \
            document declares appears once). JSON carries everything: attributes, citations with \
            quotes, rules and paths of derived links. `graph --format graphml` writes nodes and \
            links together as GraphML, for Gephi, yEd, Cytoscape or NetworkX.

            Examples:
              linkage export edges --dataset baap-2018-2021 --format csv
              linkage export nodes --dataset sdg --format json -o sdg-nodes.json
              linkage export nodes --format csv --bom -o all-nodes.csv     (for Excel)
              linkage export graph --format graphml -o linkage.graphml    (for Gephi, yEd, Cytoscape)
            """)

    enum What: String, ExpressibleByArgument, CaseIterable {
        case nodes, edges, graph
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, json, graphml
    }

    @OptionGroup var dataset: DatasetOptions
    @Argument(help: "nodes, edges, or graph (nodes and links together; GraphML)")
    var what: What
    @Option(name: [.customLong("dataset")], help: ArgumentHelp("Only this dataset (default: all).", valueName: "name"))
    var datasetName: String?
    @Option(help: "csv, json or graphml")
    var format: Format = .csv
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file (default: standard output).", valueName: "file"))
    var output: String?
    @Flag(help: "Start the CSV with a UTF-8 byte order mark, so Excel shows Chinese labels correctly.")
    var bom = false

    func run() throws {
        let graph = try dataset.loadGraph()
        if let datasetName, graph.dataset(datasetName) == nil {
            let names = graph.datasets.map(\.name)
            throw usageError("no dataset '\(datasetName)'\(Suggestion.hint(for: datasetName, in: names)); datasets: \(names.joined(separator: ", "))")
        }
        let data: Data
        switch (what, format) {
        case (.nodes, .csv):
            let nodes = datasetName.map { graph.nodes(inDataset: $0) } ?? graph.nodes
            data = CSVEncoding.encode(header: GraphExport.nodeHeader, rows: GraphExport.nodeRows(nodes), byteOrderMark: bom)
        case (.edges, .csv):
            let edges = datasetName.map { graph.edges(inDataset: $0) } ?? graph.edges
            data = CSVEncoding.encode(header: GraphExport.edgeHeader, rows: GraphExport.edgeRows(edges), byteOrderMark: bom)
        case (.nodes, .json):
            let nodes = datasetName.map { graph.nodes(inDataset: $0) } ?? graph.nodes
            data = try JSONOutput.encode(GraphExport.nodeRecords(nodes))
        case (.edges, .json):
            let edges = datasetName.map { graph.edges(inDataset: $0) } ?? graph.edges
            data = try JSONOutput.encode(GraphExport.edgeRecords(edges))
        case (.graph, .graphml):
            // A dataset's links together with every node they touch, so the file stands alone.
            let edges = datasetName.map { graph.edges(inDataset: $0) } ?? graph.edges
            var ids = Set(datasetName.map { graph.nodes(inDataset: $0).map(\.id) } ?? graph.nodes.map(\.id))
            for edge in edges { ids.insert(edge.source); ids.insert(edge.target) }
            data = Data(GraphML.document(nodes: graph.nodes.filter { ids.contains($0.id) }, edges: edges).utf8)
        case (.graph, _), (_, .graphml):
            throw usageError("graphml is the format of `export graph`; nodes and edges export as csv or json")
        }
        try writeOutput(data, to: output)
    }
}

/// Writes to a file atomically, or to standard output.
func writeOutput(_ data: Data, to path: String?) throws {
    guard let path else {
        FileHandle.standardOutput.write(data)
        return
    }
    do {
        try FileOutput.write(data, to: URL(fileURLWithPath: path))
    } catch {
        throw CommandFailure(status: .outputFailed, message: error.description)
    }
}

/// Options shared by commands that draw diagrams.
struct DrawingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Graphviz layout engine: dot, neato, fdp, sfdp, circo or twopi.", valueName: "engine"))
    var engine: LayoutEngine = .dot
}

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render one diagram to a file: a node's neighbourhood, or a view of any analysis.",
        discussion: """
            With node ids, draws their neighbourhood (the neighbourhood analysis): everything \
            within --depth links over --relations. With --analysis, draws one of that analysis's \
            views (--view picks which; the command lists them when there are several).

            Examples:
              linkage render BAAP-OBJ-2 --format png -o objective-2.png
              linkage render BAAP-OUT-2.1 --relations part-of,advances-sdg,supports-wsis --lang zh -o out.svg
              linkage render SDG-9.c --depth 1 --relations advances-sdg --engine neato --format pdf -o sdg-9c.pdf
              linkage render --analysis neighbourhood --view neighbourhood-BAAP-OBJ-1 --format dot -o objective-1.dot
            """)

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var drawing: DrawingOptions
    @OptionGroup var external: AnalysesFolderOptions
    @Argument(help: "Node ids to draw the neighbourhood of.")
    var focus: [String] = []
    @Option(help: ArgumentHelp("Draw a view of this analysis instead of a neighbourhood.", valueName: "analysis"))
    var analysis: String?
    @Option(help: ArgumentHelp("Which view of the analysis to draw.", valueName: "view-id"))
    var view: String?
    @Option(name: .customLong("set"), help: ArgumentHelp("An analysis option, name=value (repeatable).", valueName: "name=value"))
    var settings: [String] = []
    @Option(help: "Links away from the focus (neighbourhood).")
    var depth: Int?
    @Option(help: ArgumentHelp("Relations to follow, comma-separated (neighbourhood).", valueName: "list"))
    var relations: String?
    @Option(help: "svg, png, pdf or dot")
    var format: OutputFormat = .svg
    @Option(help: "Label language: en or zh.")
    var lang: Language = .en
    @Option(name: .shortAndLong, help: ArgumentHelp("Output file (default: <view id>.<format> in the current folder).", valueName: "file"))
    var output: String?

    func validate() throws {
        if analysis == nil && focus.isEmpty {
            throw ValidationError("give node ids to draw their neighbourhood, or --analysis ID")
        }
    }

    func run() throws {
        let graph = try dataset.loadGraph()
        let plugin = try external.analysis(analysis ?? "neighbourhood", dataset: dataset)
        var assignments = settings
        if !focus.isEmpty { assignments.append("focus=" + focus.joined(separator: ",")) }
        if let depth { assignments.append("depth=\(depth)") }
        if let relations { assignments.append("relations=\(relations)") }
        let result = try runForViews(plugin, graph: graph, assignments: assignments)
        guard !result.views.isEmpty else { throw CommandFailure(status: .analysisFailed, message: "\(plugin.descriptor.id) produced no diagram") }
        let chosen: ViewSpec
        if let view {
            guard let match = result.views.first(where: { $0.id == view }) else {
                throw usageError("\(plugin.descriptor.id) has no view '\(view)'; its views: \(result.views.map(\.id).joined(separator: ", "))")
            }
            chosen = match
        } else if result.views.count == 1 {
            chosen = result.views[0]
        } else {
            throw usageError("\(plugin.descriptor.id) draws \(result.views.count) views; pick one with --view: \(result.views.map(\.id).joined(separator: ", "))")
        }
        let builder = DOTBuilder(language: lang)
        let dot = builder.dot(for: chosen)
        let rendered: RenderedDiagram
        do {
            rendered = try Graphviz.shared.render(dot: dot, engine: builder.engine(for: chosen, requested: drawing.engine), format: format)
        } catch {
            throw CommandFailure(status: .analysisFailed, message: "\(chosen.id): \(error)")
        }
        for warning in rendered.warnings { Console.error("\(chosen.id): Graphviz \(warning)") }
        let path = output ?? "\(chosen.id).\(format.fileExtension)"
        try writeOutput(rendered.data, to: path)
        Console.error("wrote \(path)")
    }
}

/// Runs an analysis in memory (for `render`), turning option errors into usage errors.
func runForViews(_ plugin: any AnalysisPlugin, graph: LinkageGraph, assignments: [String]) throws -> AnalysisResult {
    do {
        let options = try AnalysisOptions.parse(assignments, for: plugin.descriptor)
        return try plugin.run(AnalysisContext(graph: graph, options: options))
    } catch let error as AnalysisOptionError {
        throw usageError("\(plugin.descriptor.id): \(error)")
    } catch {
        throw CommandFailure(status: .analysisFailed, message: "\(plugin.descriptor.id) failed: \(error)")
    }
}

/// Options shared by run and all.
struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Diagram formats, comma-separated: svg, png, pdf, dot.", valueName: "list"))
    var formats: String = "svg"
    @Option(help: "Diagram label language: en, zh or both (both writes <view>.en.svg and <view>.zh.svg).")
    var lang: DiagramLanguages = .both
    @Flag(help: "No progress messages.")
    var quiet = false

    func parsedFormats() throws -> [OutputFormat] {
        let names = formats.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var result: [OutputFormat] = []
        for name in names {
            guard let format = OutputFormat(rawValue: name) else {
                throw usageError("unknown format '\(name)'; formats: svg, png, pdf, dot")
            }
            if !result.contains(format) { result.append(format) }
        }
        return result.isEmpty ? [.svg] : result
    }

    var progress: @Sendable (String) -> Void {
        if quiet { return { _ in } }
        return { message in Console.progress(message) }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one analysis: report.md, a CSV per table, result.json and diagrams into <dir>/<analysis>/.",
        discussion: """
            Options of the analysis are given as --set name=value; `linkage analyses` lists them. \
            The analysis folder is replaced as a whole once everything is written.

            Examples:
              linkage run neighbourhood
              linkage run neighbourhood --set focus=BAAP-OUT-2.1,BAAP-OUT-2.2 --set depth=1 -o out
              linkage run neighbourhood --formats svg,png,pdf --lang zh
              linkage run budget-per-sdg --analyses examples/analyses --timeout 30
              linkage run budget-per-sdg --save-request request.json   (then: analyses/budget-per-sdg run < request.json)
            """)

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var drawing: DrawingOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var external: AnalysesFolderOptions
    @OptionGroup var externalTimeout: ExternalTimeoutOption
    @Argument(help: "The analysis id (see `linkage analyses`).")
    var analysis: String
    @Option(name: .customLong("set"), help: ArgumentHelp("An analysis option, name=value (repeatable).", valueName: "name=value"))
    var settings: [String] = []
    @Option(name: .shortAndLong, help: ArgumentHelp("Output folder (default: graphs/ of the repository).", valueName: "dir"))
    var output: String?
    @Option(help: ArgumentHelp("Also write the request an external analysis reads (JSON) to this file, to run the program by hand.", valueName: "file"))
    var saveRequest: String?

    func run() throws {
        let plugin = try external.analysis(analysis, dataset: dataset, limits: externalTimeout.limits)
        let options: AnalysisOptions
        do {
            options = try AnalysisOptions.parse(settings, for: plugin.descriptor)
        } catch let error as AnalysisOptionError {
            throw usageError("\(plugin.descriptor.id): \(error)")
        }
        let graph = try dataset.loadGraph()
        if let saveRequest { try writeRequest(of: plugin, graph: graph, options: options, to: saveRequest) }
        let settings = OutputSettings(directory: try outputDirectory(output, dataset: dataset), formats: try report.parsedFormats(),
                                      languages: report.lang, engine: drawing.engine)
        let runner = AnalysisRunner(graph: graph, progress: report.progress)
        let run: AnalysisRun
        do {
            run = try runner.run(plugin, options: options, output: settings)
        } catch {
            throw usageError("\(plugin.descriptor.id): \(error)")
        }
        Console.endProgress()
        try finish([run], settings: settings)
    }
}

struct All: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every analysis with its default options into graphs/ (or -o DIR), with an index page.",
        discussion: """
            One failing analysis is reported and does not stop the others (exit status 3). The \
            output is byte-identical across runs on the same datasets, so graphs/ is reviewed as a \
            diff; a test fails when the committed graphs/ is stale.

            Examples:
              linkage all
              linkage all -o /tmp/out --formats svg,png
              linkage all --analyses ~/my-analyses --timeout 300

            External analyses (programs in any language, see docs/external-analyses.md) in \
            analyses/, in --analyses folders and in $LINKAGE_ANALYSES run after the built-in ones.
            """)

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var drawing: DrawingOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var external: AnalysesFolderOptions
    @OptionGroup var externalTimeout: ExternalTimeoutOption
    @Option(name: .shortAndLong, help: ArgumentHelp("Output folder (default: graphs/ of the repository).", valueName: "dir"))
    var output: String?

    func run() throws {
        let graph = try dataset.loadGraph()
        let analyses = try external.analyses(dataset: dataset, limits: externalTimeout.limits)
        let settings = OutputSettings(directory: try outputDirectory(output, dataset: dataset), formats: try report.parsedFormats(),
                                      languages: report.lang, engine: drawing.engine)
        let runs = AnalysisRunner(graph: graph, progress: report.progress).runAll(analyses, output: settings)
        Console.endProgress()
        try finish(runs, settings: settings)
    }
}

/// The output folder: -o, else graphs/ next to the datasets folder.
func outputDirectory(_ output: String?, dataset: DatasetOptions) throws -> URL {
    if let output { return URL(fileURLWithPath: output).standardizedFileURL }
    return try dataset.resolveDatasets().deletingLastPathComponent().appendingPathComponent("graphs")
}

/// Prints what each run wrote and ends with the right status.
func finish(_ runs: [AnalysisRun], settings: OutputSettings) throws {
    var failed = false
    for run in runs {
        let folder = SourceLocationDisplay.path(settings.directory.appendingPathComponent(run.analysisID).path)
        switch run.status {
        case .succeeded:
            print("\(run.analysisID): \(run.files.count) files in \(folder)")
        case .partiallyFailed:
            print("\(run.analysisID): \(run.files.count) files in \(folder), some diagrams failed")
            failed = true
        case .failed:
            print("\(run.analysisID): FAILED")
            failed = true
        }
        for problem in run.problems { Console.error("  \(problem)") }
    }
    if failed { throw CommandFailure(status: .analysisFailed, message: "some analyses or diagrams failed (see above)") }
}

enum SourceLocationDisplay {
    static func path(_ path: String) -> String { SourceLocation.displayPath(path) }
}
