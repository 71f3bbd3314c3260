import ArgumentParser
import Foundation
import LinkageHost
import LinkageKit
import LinkageRegistry
import LinkageRendering
import LinkageSpreadsheet

extension OutputFormat: ExpressibleByArgument {}
extension LayoutEngine: ExpressibleByArgument {}
extension DiagramLanguages: ExpressibleByArgument {}
extension PageSize: ExpressibleByArgument {}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export nodes or links as CSV or JSON, the graph as GraphML, or a plan as a mapping spreadsheet (CSV, XLSX).",
        discussion: """
            CSV headers: nodes `id,kind,label_zh,label_en,source`; links \
            `source,relation,target,provenance` (provenance is declared or derived; a link a \
            document declares appears once). A CSV cell that a spreadsheet would run as a formula \
            (starting with = + - @, a tab or a carriage return, and not a plain number) is written \
            with a leading ' (OWASP's advice against formula injection). JSON carries everything, \
            exactly: attributes, citations with quotes, rules and paths of derived links (a \
            non-finite number as the string "Infinity", "-Infinity" or "NaN"). `graph --format graphml` writes nodes and \
            links together as GraphML, for Gephi, yEd, Cytoscape or NetworkX. `plan` writes a plan \
            in the spreadsheet layout `linkage import` reads (id,parent,label_en,label_zh,sdg,wsis,\
            mandates, then one column per attribute; docs/plan-import.md), as CSV or XLSX, so a \
            plan can be edited in Excel and imported again.

            Examples:
              linkage export edges --dataset baap-2018-2021 --format csv
              linkage export nodes --dataset sdg --format json -o sdg-nodes.json
              linkage export nodes --format csv --bom -o all-nodes.csv     (for Excel)
              linkage export graph --format graphml -o linkage.graphml    (for Gephi, yEd, Cytoscape)
              linkage export plan --plan baap --format xlsx -o baap.xlsx  (edit, then: linkage import baap.xlsx …)
              linkage export plan --dataset kap-2023-2027 --format csv
            """)

    enum What: String, ExpressibleByArgument, CaseIterable {
        case nodes, edges, graph, plan
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, json, graphml, xlsx
    }

    @OptionGroup var dataset: DatasetOptions
    @Argument(help: "nodes, edges, graph (nodes and links together; GraphML), or plan (a mapping spreadsheet)")
    var what: What
    @Option(name: [.customLong("dataset")], help: ArgumentHelp("Only this dataset (default: all).", valueName: "name"))
    var datasetName: String?
    @Option(help: ArgumentHelp("A plan to export (with `plan`); its id in any case.", valueName: "plan"))
    var plan: String?
    @Option(help: "csv, json, graphml (graph) or xlsx (plan)")
    var format: Format = .csv
    @Option(name: .shortAndLong, help: ArgumentHelp(
        "Write to this file (default: standard output).",
        discussion: "Only a regular file is written (atomically); a FIFO, device, socket, folder or symbolic link there is refused.",
        valueName: "file"))
    var output: String?
    @Flag(help: "Start the CSV with a UTF-8 byte order mark, so Excel shows Chinese labels correctly.")
    var bom = false

    func run() throws {
        let graph = try dataset.loadGraph()
        var datasetName = self.datasetName
        if let name = datasetName {
            guard let info = graph.dataset(named: name) else {
                let names = graph.datasets.map(\.name)
                throw usageError("no dataset '\(name)'\(graph.datasetHint(for: name)); datasets: \(names.joined(separator: ", "))")
            }
            datasetName = info.name
        }
        if what == .plan {
            if format == .xlsx, output == nil, isatty(STDOUT_FILENO) != 0 {
                throw usageError("an XLSX workbook is binary: write it to a file with -o FILE.xlsx")
            }
            try writeOutput(try planData(graph, dataset: datasetName), to: output)
            return
        }
        if plan != nil { throw usageError("--plan goes with `export plan`") }
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
            do {
                data = Data(try GraphML.document(nodes: graph.nodes.filter { ids.contains($0.id) }, edges: edges).utf8)
            } catch {
                throw CommandFailure(status: .outputFailed, message: "cannot write GraphML: \(error)")
            }
        case (.graph, _), (_, .graphml):
            throw usageError("graphml is the format of `export graph`; nodes and edges export as csv or json")
        case (_, .xlsx):
            throw usageError("xlsx is a format of `export plan`; nodes and edges export as csv or json")
        case (.plan, _):
            fatalError("handled above")
        }
        try writeOutput(data, to: output)
    }

    /// The plan named by --plan (or declared by --dataset) in the import layout.
    func planData(_ graph: LinkageGraph, dataset datasetName: String?) throws -> Data {
        let spec: PlanSpec
        let plans = graph.vocabulary.plans
        if let plan {
            guard let found = graph.plan(named: plan) else {
                throw usageError("no plan '\(plan)'\(graph.planHint(for: plan)); plans: \(plans.map(\.id).joined(separator: ", "))")
            }
            spec = found
        } else if let datasetName {
            let declared = plans.filter { $0.declaredBy == datasetName }
            guard declared.count == 1 else {
                throw usageError(declared.isEmpty
                    ? "dataset \(datasetName) declares no plan; plans: \(plans.map(\.id).joined(separator: ", "))"
                    : "dataset \(datasetName) declares \(declared.count) plans; pick one with --plan: \(declared.map(\.id).joined(separator: ", "))")
            }
            spec = declared[0]
        } else {
            throw usageError("which plan? --plan ID (plans: \(plans.map(\.id).joined(separator: ", ")))")
        }
        let table = PlanTable(plan: graph.resolve(spec), graph: graph)
        switch format {
        case .csv:
            let rows = table.rows.map { $0.map(\.text) }
            return CSVEncoding.encode(header: table.header, rows: rows, byteOrderMark: bom)
        case .xlsx:
            let columns = table.header.map { WorksheetColumn(header: $0, wrap: $0.hasPrefix("label")) }
            let rows = table.rows.map { row in
                row.map { value -> WorksheetCell in
                    switch value {
                    case .text(let text): text.isEmpty ? .empty : .text(text)
                    case .number(let number): .number(number)
                    case .integer(let integer): .integer(integer)
                    }
                }
            }
            let sheet = Worksheet(name: spec.id, columns: columns, rows: rows)
            do {
                return try XLSXWriter.data(for: Workbook(sheets: [sheet], title: spec.label.en))
            } catch {
                throw CommandFailure(status: .outputFailed, message: "\(error)")
            }
        case .json, .graphml:
            throw usageError("a plan exports as csv or xlsx")
        }
    }
}

/// Writes to a file atomically (only ever a regular file), or to standard output (no path, or `-`).
func writeOutput(_ data: Data, to path: String?) throws {
    guard let path, path != "-" else {
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
    @OptionGroup var external: AnalysesFolderOptions
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
    @Flag(help: ArgumentHelp(
        "Load the datasets, run the analysis and measure the text afresh, without the caches.",
        discussion: "A built-in analysis's views are kept in $LINKAGE_CACHE_DIR (else $XDG_CACHE_HOME/linkage or ~/.cache/linkage), keyed by the SHA-256 of every dataset file, the analysis, its options and this program's build: rendering the same data again skips loading and the analysis. Layout and rendering always run. Text measurements are kept there too, keyed by this program's build, the libraries that measure and the fonts fontconfig reads (run, all and render use them)."))
    var noCache = false

    func validate() throws {
        if analysis == nil && focus.isEmpty {
            throw ValidationError("give node ids to draw their neighbourhood, or --analysis ID")
        }
    }

    func run() throws {
        let plugin = try external.analysis(analysis ?? "neighbourhood", dataset: dataset)
        var assignments = settings
        if !focus.isEmpty {
            assignments.append("focus=" + focus.joined(separator: ","))
            if focus.count > 1 && plugin.descriptor.options.contains(where: { $0.name == "combine" }) { assignments.append("combine=yes") }
        }
        if let depth { assignments.append("depth=\(depth)") }
        if let relations { assignments.append("relations=\(relations)") }
        let chosen = try chooseView(of: plugin, assignments: assignments)
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
        let drawn = withStoredTextMeasurements(!noCache) { DiagramFiles.render(chosen, language: language, formats: [format], options: drawing.figureOptions) { suffix, ext in
            if ext == "caption.txt" { return "\(base.stem).caption.txt" }
            // -o names the file itself: a single-page figure is written exactly there (a FIFO or
            // a device given as -o is then refused, not sidestepped by an added extension).
            if let output, suffix.isEmpty { return output }
            let extensionPart = output == nil ? ".\(ext)" : base.extension.map { ".\($0)" } ?? ""
            return "\(base.stem)\(suffix)\(extensionPart)"
        } }
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

extension Render {
    /// The view to draw. A built-in analysis's views come from the view cache when the datasets,
    /// the analysis and its options are those of an earlier render by this very program (no
    /// loading, no analysis); otherwise the datasets are loaded, the analysis runs and its views
    /// are cached. Either way the same view, and the same errors for a view that is not there.
    fileprivate func chooseView(of plugin: any AnalysisPlugin, assignments: [String]) throws -> ViewSpec {
        let id = plugin.descriptor.id
        let builtIn = registeredAnalyses.contains { $0.descriptor.id == id }
        let cache = noCache || !builtIn ? nil : ViewCache.forUser(version: Linkage.version)
        let key = try cache?.key(datasets: dataset.resolveDatasets(), analysisID: id, options: assignments)
        if let cache, let key, let ids = cache.viewIDs(key: key) {
            let chosen = try pickView(among: ids, of: id)
            if let view = cache.view(key: key, position: ids.firstIndex(of: chosen)!, id: chosen) { return view }
        }
        let result = try runForViews(plugin, graph: try dataset.loadGraph(), assignments: assignments)
        guard !result.views.isEmpty else { throw CommandFailure(status: .analysisFailed, message: "\(id) produced no diagram") }
        if let cache, let key { cache.store(result.views, key: key) }
        let chosen = try pickView(among: result.views.map(\.id), of: id)
        return result.views.first { $0.id == chosen }!
    }

    /// The id `--view` names, or the only view; a usage error otherwise.
    private func pickView(among ids: [String], of analysisID: String) throws -> String {
        if let view {
            guard ids.contains(view) else {
                throw usageError("\(analysisID) has no view '\(view)'\(Suggestion.hint(for: view, in: ids)); its views: \(ids.joined(separator: ", "))")
            }
            return view
        }
        guard ids.count == 1 else {
            throw usageError("\(analysisID) draws \(ids.count) views; pick one with --view: \(ids.joined(separator: ", "))")
        }
        return ids[0]
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
    @Option(help: "Language of the reports and diagrams: en, zh or both. report.md is English, report.zh.md Chinese; diagram file names carry it: <view>.en.svg, <view>.zh.svg.")
    var lang: DiagramLanguages = .both
    @Flag(help: "No progress messages.")
    var quiet = false
    @Flag(help: "Start every CSV table with a UTF-8 byte order mark, so Excel shows Chinese labels correctly.")
    var bom = false
    @Flag(help: ArgumentHelp(
        "Replace analysis folders and index files in the output folder that linkage did not write.",
        discussion: "Without it, such a folder or file (your notes in graphs/sdg-mapping/, a folder that happens to be named like an analysis) stops the run before anything is written. With it, they are replaced and what they held is deleted. Symbolic links, FIFOs, sockets and devices are never replaced."))
    var force = false

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

    func settings(directory: URL, figure: FigureOptions) throws -> OutputSettings {
        OutputSettings(directory: directory, formats: try parsedFormats(), languages: lang, figure: figure, byteOrderMark: bom, force: force)
    }

    var progress: @Sendable (String) -> Void {
        if quiet { return { _ in } }
        return { message in Console.progress(message) }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one analysis: report.md (and report.zh.md), a CSV per table, result.json and diagrams into <dir>/<analysis>/.",
        discussion: """
            Options of the analysis are given as --set name=value; `linkage analyses` lists them. \
            The analysis folder is built aside and swapped in whole once everything is written; \
            the index is refreshed when `linkage all` wrote one in the same folder. See \
            `linkage all --help` for how the output folder is protected.

            Examples:
              linkage run neighbourhood
              linkage run neighbourhood --set focus=BAAP-OUT-2.1,BAAP-OUT-2.2 --set depth=1 -o out
              linkage run neighbourhood --formats svg,png,pdf --lang zh
              linkage run budget-per-sdg --analyses examples/analyses --timeout 30
              linkage run budget-per-sdg --save-request request.json   (then: analyses/budget-per-sdg run < request.json)
              linkage run sdg-mapping --set plan=kap --formats pdf --page a4-landscape
              linkage run sdg-mapping --set elements=KAP-P1,KAP-P3 --formats png --dpi 300
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
        let settings = try report.settings(directory: try outputDirectory(output, dataset: dataset), figure: drawing.figureOptions)
        let runner = AnalysisRunner(graph: graph, progress: report.progress)
        let outcome: RunReport
        do {
            outcome = try withStoredTextMeasurements { try runner.run(plugin, options: options, output: settings) }
        } catch let error as AnalysisOptionError {
            throw usageError("\(plugin.descriptor.id): \(error)")
        } catch {
            throw CommandFailure(status: .outputFailed, message: "\(error)")
        }
        Console.endProgress()
        try finish(outcome, settings: settings)
    }
}

struct All: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every analysis with its default options into graphs/ (or -o DIR), with an index page.",
        discussion: """
            One failing analysis is reported and does not stop the others (exit status 3). The \
            output is byte-identical across runs on the same datasets, so graphs/ is reviewed as a \
            diff; a test fails when the committed graphs/ is stale.

            The output folder: one run writes into it at a time (a second one waits, saying so). \
            Each analysis folder is built aside and exchanged with the old one in one atomic step, \
            so it is always there, old or new, even if the run is killed. linkage replaces only \
            what it wrote (it keeps a .linkage-output.json manifest in each folder); anything else \
            in the way stops the run before it writes (exit status 4) unless --force is given. An \
            output folder that cannot be created or written also gives exit status 4.

            Examples:
              linkage all
              linkage all -o /tmp/out --formats svg,png
              linkage all -o /tmp/out --bom        CSV tables for Excel
              linkage all -o /tmp/print --formats pdf --page a4 --no-title
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
        // External analyses are asked to describe themselves while the datasets load. A loading
        // error still comes first, as when the two ran one after the other.
        let discovery = BackgroundWork { [external, dataset, limits = externalTimeout.limits] in
            try external.analyses(dataset: dataset, limits: limits)
        }
        let graph: LinkageGraph
        do {
            graph = try dataset.loadGraph()
        } catch {
            _ = try? discovery.value()
            throw error
        }
        // The built-in analyses start now; the external ones run after them, once described.
        let runner = AnalysisRunner(graph: graph, progress: report.progress)
        let started = runner.startAnalysing(registeredAnalyses)
        let analyses = try discovery.value()
        let settings = try report.settings(directory: try outputDirectory(output, dataset: dataset), figure: drawing.figureOptions)
        let outcome: RunReport
        do {
            outcome = try withStoredTextMeasurements { try runner.runAll(analyses, output: settings, started: started, exitingAfter: true) }
        } catch {
            throw CommandFailure(status: .outputFailed, message: "\(error)")
        }
        Console.endProgress()
        try finish(outcome, settings: settings)
    }
}

/// The output folder: -o, else graphs/ next to the datasets folder; for the datasets installed
/// with the program (read-only), graphs/ in the current folder.
func outputDirectory(_ output: String?, dataset: DatasetOptions) throws -> URL {
    if let output { return URL(fileURLWithPath: output).standardizedFileURL }
    let datasets = try dataset.resolveDatasets()
    if let installed = RepositoryLocator.installedDatasets(), installed.path == datasets.path {
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("graphs")
    }
    return datasets.deletingLastPathComponent().appendingPathComponent("graphs")
}

/// Prints what each run wrote and ends with the right status: 4 when an output could not be
/// written (that is the one to fix first), else 3 when an analysis or a diagram failed.
func finish(_ outcome: RunReport, settings: OutputSettings) throws {
    var failed = false, notWritten = false
    for run in outcome.runs {
        let folder = SourceLocationDisplay.path(settings.directory.appendingPathComponent(run.analysisID).path)
        switch run.status {
        case .succeeded:
            Console.out("\(run.analysisID): \(run.files.count) files in \(folder)")
        case .partiallyFailed:
            Console.out("\(run.analysisID): \(run.files.count) files in \(folder), some diagrams failed")
            failed = true
        case .failed:
            Console.out("\(run.analysisID): FAILED")
            failed = true
        case .notWritten:
            Console.out("\(run.analysisID): NOT WRITTEN (its folder keeps the earlier outputs, if any)")
            notWritten = true
        }
        for problem in run.problems { Console.error("  \(problem)") }
    }
    if let problem = outcome.indexProblem {
        Console.error("index: \(problem)")
        notWritten = true
    }
    if notWritten { throw CommandFailure(status: .outputFailed, message: "some outputs could not be written (see above)") }
    if failed { throw CommandFailure(status: .analysisFailed, message: "some analyses or diagrams failed (see above)") }
}

enum SourceLocationDisplay {
    static func path(_ path: String) -> String { SourceLocation.displayPath(path) }
}
