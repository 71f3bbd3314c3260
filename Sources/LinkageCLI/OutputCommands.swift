import ArgumentParser
import Foundation
import LinkageHost
import LinkageKit
import LinkageRegistry
import LinkageRendering

extension OutputFormat: ExpressibleByArgument {}
extension LayoutEngine: ExpressibleByArgument {}
extension DiagramLanguages: ExpressibleByArgument {}
extension PageSize: ExpressibleByArgument {}

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

/// Options shared by commands that draw diagrams: the page, the resolution, what is drawn
/// around the figure, and the layout.
struct DrawingOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The page the figure is laid out for: auto, a4, a4-landscape, letter, slide or none.",
        discussion: "On a page, labels are wrapped, shortened (the tooltip keeps the full text) and sized so that the figure fits at full size with no text under 7 pt; a grid too long for one page is split (<view>-p1, -p2...). auto: A4 in the orientation that gives the larger text. none: the size the content needs, at screen sizes.",
        valueName: "page"))
    var page: PageSize = .auto
    @Option(help: ArgumentHelp("Resolution of PNG output, in dots per inch (192: sharp in print and on high-density screens).", valueName: "dpi"))
    var dpi: Int = FigureOptions.defaultDPI
    @Flag(name: .customLong("no-title"), help: "Leave the title and subtitle out of the figure (they go to <view>.caption.txt).")
    var noTitle = false
    @Flag(name: .customLong("no-legend"), help: "Leave the legend and caption out of the figure; the caption goes to <view>.caption.txt, in the figure's language.")
    var noLegend = false
    @Option(help: ArgumentHelp(
        "Lay networks out with this Graphviz engine (dot, neato, fdp, sfdp, circo, twopi) instead of the workbench's own layout.",
        discussion: "The default layout keeps document order (BAAP objectives 1–4, SDG goals 1–17, targets in UN order) and straight lines; an engine chooses its own order.",
        valueName: "engine"))
    var engine: LayoutEngine?

    func validate() throws {
        guard (36...1200).contains(dpi) else { throw ValidationError("--dpi must be between 36 and 1200, got \(dpi)") }
    }

    var figureOptions: FigureOptions {
        FigureOptions(page: page, dpi: dpi, showTitle: !noTitle, showLegend: !noLegend, engine: engine)
    }
}

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render one diagram to a file: a node's neighbourhood, or a view of any analysis.",
        discussion: """
            With node ids, draws their neighbourhood (the neighbourhood analysis): everything \
            within --depth links over --relations, several ids together in one diagram. With \
            --analysis, draws one of that analysis's views (--view picks which; the command lists \
            them when there are several). The figure is laid out for --page (A4 by default) with no \
            text under 7 pt, in document order.

            Examples:
              linkage render --analysis sdg-mapping --view element-sdg-KAP-P1 --format pdf        (one priority's SDGs, for a report)
              linkage render --analysis sdg-mapping --view plan-sdg-kap --page a4-landscape --format pdf
              linkage render --analysis risk-matrix --view heat-map-op-2023 --format png --dpi 300
              linkage render --analysis sdg-mapping --view plan-sdg-kap --set elements=kap-priority --lang zh
              linkage render KAP-P1 KAP-P2 --format png -o priorities.png
              linkage render BAAP-OUT-2.1 --relations part-of,advances-sdg,supports-wsis --lang zh -o out.svg
              linkage render SDG-9.c --depth 1 --relations advances-sdg --engine neato --format pdf -o sdg-9c.pdf
              linkage render --analysis sdg-mapping --view plan-sdg-baap --no-title --no-legend --format svg
            """)

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var drawing: DrawingOptions
    @Argument(help: "Node ids to draw the neighbourhood of (several ids: one diagram with all of them).")
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
    @Option(help: ArgumentHelp("Label language: en or zh (default en). When given, the default file name carries it: <view>.zh.svg.", valueName: "lang"))
    var lang: Language?
    @Option(name: .shortAndLong, help: ArgumentHelp("Output file (default: <view id>[.<lang>].<format> in the current folder).", valueName: "file"))
    var output: String?

    func validate() throws {
        if analysis == nil && focus.isEmpty {
            throw ValidationError("give node ids to draw their neighbourhood, or --analysis ID")
        }
    }

    func run() throws {
        let graph = try dataset.loadGraph()
        let plugin = try findAnalysis(analysis ?? "neighbourhood")
        var assignments = settings
        if !focus.isEmpty {
            assignments.append("focus=" + focus.joined(separator: ","))
            if focus.count > 1 && plugin.descriptor.options.contains(where: { $0.name == "combine" }) { assignments.append("combine=yes") }
        }
        if let depth { assignments.append("depth=\(depth)") }
        if let relations { assignments.append("relations=\(relations)") }
        let result = try runForViews(plugin, graph: graph, assignments: assignments)
        guard !result.views.isEmpty else { throw CommandFailure(status: .analysisFailed, message: "\(plugin.descriptor.id) produced no diagram") }
        let chosen: ViewSpec
        if let view {
            guard let match = result.views.first(where: { $0.id == view }) else {
                let ids = result.views.map(\.id)
                throw usageError("\(plugin.descriptor.id) has no view '\(view)'\(Suggestion.hint(for: view, in: ids)); its views: \(ids.joined(separator: ", "))")
            }
            chosen = match
        } else if result.views.count == 1 {
            chosen = result.views[0]
        } else {
            throw usageError("\(plugin.descriptor.id) draws \(result.views.count) views; pick one with --view: \(result.views.map(\.id).joined(separator: ", "))")
        }
        let language = lang ?? .en
        // -o fig.pdf: pages fig-p1.pdf, fig-p2.pdf...; the caption beside it as fig.caption.txt.
        let base: (stem: String, extension: String?)
        if let output {
            let url = URL(fileURLWithPath: output)
            let ext = url.pathExtension
            base = (ext.isEmpty ? output : String(output.dropLast(ext.count + 1)), ext.isEmpty ? nil : ext)
        } else {
            base = (chosen.id + (lang.map { ".\($0.rawValue)" } ?? ""), nil)
        }
        let drawn = DiagramFiles.render(chosen, language: language, formats: [format], options: drawing.figureOptions) { suffix, ext in
            ext == "caption.txt" ? "\(base.stem).caption.txt" : "\(base.stem)\(suffix).\(base.extension ?? ext)"
        }
        for warning in drawn.warnings { Console.error("warning: \(warning)") }
        if let failure = drawn.failures.first {
            throw CommandFailure(status: .analysisFailed, message: failure)
        }
        for name in drawn.names {
            try writeOutput(drawn.files[name]!, to: name)
            Console.error("wrote \(name)")
        }
    }
}

func findAnalysis(_ id: String) throws -> any AnalysisPlugin {
    if let plugin = registeredAnalyses.first(where: { $0.descriptor.id == id }) { return plugin }
    let ids = registeredAnalyses.map(\.descriptor.id)
    throw usageError("no analysis '\(id)'\(Suggestion.hint(for: id, in: ids)); analyses: \(ids.joined(separator: ", "))")
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
    @Option(help: "Diagram label language: en, zh or both. File names carry it: <view>.en.svg, <view>.zh.svg.")
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
              linkage run sdg-mapping --set plan=kap --formats pdf --page a4-landscape
              linkage run sdg-mapping --set elements=KAP-P1,KAP-P3 --formats png --dpi 300
            """)

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var drawing: DrawingOptions
    @OptionGroup var report: ReportOptions
    @Argument(help: "The analysis id (see `linkage analyses`).")
    var analysis: String
    @Option(name: .customLong("set"), help: ArgumentHelp("An analysis option, name=value (repeatable).", valueName: "name=value"))
    var settings: [String] = []
    @Option(name: .shortAndLong, help: ArgumentHelp("Output folder (default: graphs/ of the repository).", valueName: "dir"))
    var output: String?

    func run() throws {
        let plugin = try findAnalysis(analysis)
        let options: AnalysisOptions
        do {
            options = try AnalysisOptions.parse(settings, for: plugin.descriptor)
        } catch let error as AnalysisOptionError {
            throw usageError("\(plugin.descriptor.id): \(error)")
        }
        let graph = try dataset.loadGraph()
        let settings = OutputSettings(directory: try outputDirectory(output, dataset: dataset), formats: try report.parsedFormats(),
                                      languages: report.lang, figure: drawing.figureOptions)
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
              linkage all -o /tmp/print --formats pdf --page a4 --no-title
            """)

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var drawing: DrawingOptions
    @OptionGroup var report: ReportOptions
    @Option(name: .shortAndLong, help: ArgumentHelp("Output folder (default: graphs/ of the repository).", valueName: "dir"))
    var output: String?

    func run() throws {
        let graph = try dataset.loadGraph()
        let settings = OutputSettings(directory: try outputDirectory(output, dataset: dataset), formats: try report.parsedFormats(),
                                      languages: report.lang, figure: drawing.figureOptions)
        let runs = AnalysisRunner(graph: graph, progress: report.progress).runAll(registeredAnalyses, output: settings)
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
