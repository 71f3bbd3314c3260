import Foundation
import LinkageKit
import LinkageRendering
import LinkageSpreadsheet

/// Which languages diagrams are drawn and reports written in.
public enum DiagramLanguages: String, CaseIterable, Sendable {
    case en, zh, both

    public var languages: [Language] {
        switch self {
        case .en: [.en]
        case .zh: [.zh]
        case .both: [.en, .zh]
        }
    }
}

public struct OutputSettings: Sendable {
    public var directory: URL
    public var formats: [OutputFormat]
    public var languages: DiagramLanguages
    /// Page, resolution, title and legend, and a Graphviz engine instead of the workbench's
    /// own layout.
    public var figure: FigureOptions
    /// Start every CSV table with a UTF-8 byte order mark (for Excel).
    public var byteOrderMark: Bool
    /// Replace analysis folders and index files linkage did not write (their contents are lost).
    public var force: Bool

    public init(directory: URL, formats: [OutputFormat] = [.svg], languages: DiagramLanguages = .both,
                figure: FigureOptions = FigureOptions(), byteOrderMark: Bool = false, force: Bool = false) {
        self.directory = directory
        self.formats = formats
        self.languages = languages
        self.figure = figure
        self.byteOrderMark = byteOrderMark
        self.force = force
    }
}

/// The files of one view in one language: `<view>[-pN].<lang>.<format>` for each page and
/// format, and `<view>.<lang>.caption.txt` when the figure leaves its title or legend out.
public struct DiagramFiles: Sendable {
    public var files: [String: Data] = [:]
    public var names: [String] = []
    public var failures: [String] = []
    public var warnings: [String] = []
    /// For an SVG page whose drawing ends well above the page's bottom: the share of its height
    /// the drawing takes (a report on screen shows only that much; the file keeps the page).
    public var drawnShares: [String: Double] = [:]

    /// Lays `view` out once and renders it in every format; `name(suffix, extension)` names a file.
    public static func render(_ view: ViewSpec, language: Language, formats: [OutputFormat], options: FigureOptions,
                              name: (_ pageSuffix: String, _ extension: String) -> String) -> DiagramFiles {
        render(layout(view, language: language, options: options), formats: formats, name: name)
    }

    /// A view laid out for `render(_:formats:name:)`, or why it could not be.
    public struct Layout: Sendable {
        var renderer: DiagramRenderer
        var laidOut: Result<LaidOutView, GraphvizError>
    }

    /// The first half of `render`: lays `view` out (any thread; Graphviz calls are serialised).
    /// `formats`: those `render` will be asked for; the DOT statements they need (all but PNG's)
    /// are then made here too, so that a layout thread takes that work off the rendering thread.
    public static func layout(_ view: ViewSpec, language: Language, options: FigureOptions, textCache: PreparedTextCache? = nil,
                              formats: [OutputFormat] = []) -> Layout {
        let renderer = DiagramRenderer(language: language, options: options, sharedTextCache: textCache)
        do throws(GraphvizError) {
            var laidOut = try renderer.layout(view)
            if formats.contains(where: { $0 != .png }) {
                let forGraphviz = formats.contains { $0 != .png && $0 != .dot }
                for p in laidOut.pages.indices { laidOut.pages[p].prepare(forGraphviz: forGraphviz) }
            }
            return Layout(renderer: renderer, laidOut: .success(laidOut))
        } catch {
            return Layout(renderer: renderer, laidOut: .failure(error))
        }
    }

    /// The second half of `render`: the laid-out view in every format.
    public static func render(_ layout: Layout, formats: [OutputFormat],
                              name: (_ pageSuffix: String, _ extension: String) -> String) -> DiagramFiles {
        var result = DiagramFiles()
        let renderer = layout.renderer
        let laidOut: LaidOutView
        switch layout.laidOut {
        case .success(let value):
            laidOut = value
        case .failure(let error):
            result.failures.append("\(name("", formats.first?.fileExtension ?? "svg")): \(error)")
            return result
        }
        result.warnings += laidOut.warnings
        for format in formats {
            for page in laidOut.pages {
                let file = name(page.suffix, format.fileExtension)
                do {
                    let rendered = try renderer.render(page, format: format)
                    result.files[file] = rendered.data
                    result.names.append(file)
                    if format == .svg, let share = page.drawnShare { result.drawnShares[file] = share }
                    for warning in rendered.warnings { result.warnings.append("\(file): Graphviz \(warning)") }
                } catch {
                    result.failures.append("\(file): \(error)")
                }
            }
        }
        if renderer.options.needsCaptionFile {
            let file = name("", "caption.txt")
            result.files[file] = Data(laidOut.captionText.utf8)
            result.names.append(file)
        }
        return result
    }
}

/// What running one analysis gave.
public struct AnalysisRun: Sendable {
    public enum Status: String, Sendable, Equatable {
        case succeeded = "ok"
        /// The analysis ran, but some diagrams could not be rendered.
        case partiallyFailed = "some diagrams failed"
        /// The analysis threw; its previous outputs are left as they were.
        case failed = "failed"
        /// The analysis ran but its folder could not be written; its previous outputs are left as they were.
        case notWritten = "not written"
    }

    public var analysisID: String
    public var title: String
    public var status: Status
    public var problems: [String]
    /// Files written, relative to the analysis folder.
    public var files: [String]
    public var result: AnalysisResult?
    public var diagrams: [(view: ViewSpec, files: [String])]
}

/// The runs of `run` or `all`, and whether the index could be brought up to date.
public struct RunReport: Sendable {
    public var runs: [AnalysisRun]
    /// Set when the index (or the folder's manifest) could not be written.
    public var indexProblem: String?
}

/// Runs analyses against the graph and writes their outputs. One failing analysis (or one
/// failing diagram) is reported and does not stop the others. Every output folder is used
/// through `OutputFolder`: locked, checked, built aside and swapped in whole.
public struct AnalysisRunner: Sendable {
    public let graph: LinkageGraph
    public let progress: @Sendable (String) -> Void

    public init(graph: LinkageGraph, progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.graph = graph
        self.progress = progress
    }

    static let indexFiles = ["index.md", "index.html"]

    /// Runs one analysis and replaces `<directory>/<analysis id>/` with its outputs; refreshes
    /// the index when linkage wrote one there. Throws `AnalysisOptionError` (the user's to fix)
    /// and `FileOutput.WriteError` (the folder cannot be used; nothing was written).
    public func run(_ plugin: any AnalysisPlugin, options: AnalysisOptions, output: OutputSettings) throws -> RunReport {
        let folder = try OutputFolder.open(output.directory, notice: progress)
        defer { folder.unlock() }
        let writesIndex = folder.topManifest()?.files.contains("index.md") ?? false
        try folder.checkReplaceable(analyses: [plugin.descriptor.id], topFiles: writesIndex ? Self.indexFiles : [], force: output.force)
        var prepared = try prepare(plugin, options: options, output: output, folder: folder)
        install(&prepared, into: folder)
        let problem = record([prepared.run], in: folder, writingIndex: writesIndex, replacingList: false)
        folder.finish()
        return RunReport(runs: [prepared.run], indexProblem: problem)
    }

    /// Runs every analysis with its default options and writes an index page linking every
    /// report and diagram. Every folder is built first and swapped in at the end, one after the
    /// other, then the index is written from what the folders hold.
    ///
    /// Three things overlap: the analyses run one after the other on a thread of their own
    /// (external ones are programs that mostly wait), this thread draws their diagrams as the
    /// results come (Graphviz is not thread-safe: every render stays on this one thread, in
    /// order), and a third writes each analysis's reports, CSV and JSON and builds its folder
    /// while the next one is drawn. Outputs do not depend on the overlap: each analysis gets
    /// the same graph and options, and its folder is built from its own result alone.
    ///
    /// `started`: analyses begun before the list was known (`startAnalysing`); a plugin at the
    /// same place with the same id takes that result instead of running again.
    /// `exitingAfter`: the process exits once this returns (`linkage all`): the text caches are
    /// left for the exit to take back rather than freed (freeing their many small allocations
    /// took 45 ms of CPU in a run that keeps both cores busy).
    public func runAll(_ plugins: [any AnalysisPlugin], output: OutputSettings, started: StartedAnalyses? = nil,
                       exitingAfter: Bool = false)
        throws(FileOutput.WriteError) -> RunReport
    {
        let folder = try OutputFolder.open(output.directory, notice: progress)
        defer { folder.unlock() }
        try folder.checkReplaceable(analyses: plugins.map(\.descriptor.id), topFiles: Self.indexFiles, force: output.force)
        let analysed = Slots<Result<AnalysisResult, any Error>>(count: plugins.count)
        startThread {
            for (index, plugin) in plugins.enumerated() {
                if let started, index < started.ids.count, started.ids[index] == plugin.descriptor.id {
                    analysed.put(index, started.results.take(index))
                } else {
                    analysed.put(index, analyse(plugin, options: AnalysisOptions()))
                }
            }
        }
        let built = Slots<Prepared>(count: plugins.count)
        let writer = DispatchQueue(label: "linkage.analysis-folders")
        let staging = StagingAccess(folder)
        // The next analysis's first views are laid out while this one's last are drawn, when its
        // result is in by then (an analysis still running is not waited for).
        var nextLayouts: ViewLayouts?
        // The analysis drawn last: the next one's layouts keep its texts (see `ViewLayouts`).
        var drawnLayouts: ViewLayouts?
        for (index, plugin) in plugins.enumerated() {
            progress("[\(index + 1)/\(plugins.count)] \(plugin.descriptor.id)")
            let layouts = nextLayouts
            nextLayouts = nil
            do {
                switch try settle(plugin, analysed.take(index)) {
                case .failed(let prepared):
                    built.put(index, prepared)
                case .succeeded(let result):
                    let current = layouts ?? ViewLayouts(result, output: output, after: drawnLayouts)
                    drawnLayouts = current
                    if index + 1 < plugins.count, case .success(let next)? = analysed.peek(index + 1) {
                        nextLayouts = ViewLayouts(next, output: output, after: current)
                    }
                    let drawn = draw(plugin.descriptor, result: result, output: output, layouts: current,
                                     staged: folder.beginStaging(plugin.descriptor.id))
                    writer.async { built.put(index, write(drawn, options: AnalysisOptions(), output: output, folder: staging.folder)) }
                }
            } catch {
                let id = plugin.descriptor.id
                let problem = "\(id): default options rejected: \(error)"
                built.put(index, Prepared(run: AnalysisRun(analysisID: id, title: plugin.descriptor.title, status: .failed,
                                                           problems: [problem], files: [], result: nil, diagrams: []), staged: nil))
            }
        }
        if let last = drawnLayouts {
            drawnLayouts = nil
            if exitingAfter { _ = Unmanaged.passRetained(last) } else { releaseAside(last) }
        }
        var prepared = plugins.indices.map { built.take($0) }
        progress("writing \(SourceLocationPath.display(output.directory.path))")
        for i in prepared.indices { install(&prepared[i], into: folder) }
        let problem = record(prepared.map(\.run), in: folder, writingIndex: true, replacingList: true)
        folder.finish()
        return RunReport(runs: prepared.map(\.run), indexProblem: problem)
    }

    /// Runs `plugins` with their default options, one after the other on a thread of their
    /// own, from now: `all` starts the built-in analyses as soon as the datasets are loaded,
    /// while external analyses are still describing themselves (a Python program's start alone
    /// is a tenth of a second), and hands them to `runAll`.
    public func startAnalysing(_ plugins: [any AnalysisPlugin]) -> StartedAnalyses {
        let started = StartedAnalyses(ids: plugins.map(\.descriptor.id))
        startThread {
            for (index, plugin) in plugins.enumerated() { started.results.put(index, analyse(plugin, options: AnalysisOptions())) }
        }
        return started
    }

    // MARK: Steps

    struct Prepared {
        var run: AnalysisRun
        var staged: URL?
    }

    /// Runs the analysis, renders its diagrams and builds its folder aside.
    func prepare(_ plugin: any AnalysisPlugin, options: AnalysisOptions, output: OutputSettings, folder: OutputFolder) throws(AnalysisOptionError)
        -> Prepared
    {
        switch try settle(plugin, analyse(plugin, options: options)) {
        case .failed(let prepared): return prepared
        case .succeeded(let result):
            // The tables need no diagram: they are made on the other core while this one draws
            // (the workbook of a 1,000-element plan took a tenth of a second after the drawing).
            let tables = BackgroundWork { TableFiles(plugin.descriptor, result: result, output: output) }
            let drawn = draw(plugin.descriptor, result: result, output: output, staged: folder.beginStaging(plugin.descriptor.id))
            return write(drawn, options: options, output: output, folder: folder, tables: try? tables.value())
        }
    }

    /// Runs the analysis (any thread).
    func analyse(_ plugin: any AnalysisPlugin, options: AnalysisOptions) -> Result<AnalysisResult, any Error> {
        let descriptor = plugin.descriptor
        guard OutputName.isSafe(descriptor.id) else { return .failure(UnsafeAnalysisID()) }
        progress("\(descriptor.id): analysing")
        return Result {
            try plugin.run(AnalysisContext(graph: graph, options: options, progress: { message in
                progress("\(descriptor.id): \(message)")
            }))
        }
    }

    struct UnsafeAnalysisID: Error {}

    enum Settled {
        case succeeded(AnalysisResult)
        case failed(Prepared)
    }

    /// What running the analysis gave: its result, or the failed run to report. Option errors
    /// are the user's to fix and are thrown.
    func settle(_ plugin: any AnalysisPlugin, _ analysed: Result<AnalysisResult, any Error>) throws(AnalysisOptionError) -> Settled {
        let descriptor = plugin.descriptor
        func failed(_ problems: [String]) -> Settled {
            .failed(Prepared(run: AnalysisRun(analysisID: descriptor.id, title: descriptor.title, status: .failed, problems: problems,
                                              files: [], result: nil, diagrams: []), staged: nil))
        }
        switch analysed {
        case .success(let result):
            return .succeeded(result)
        case .failure(let error as AnalysisOptionError):
            throw error
        case .failure(is UnsafeAnalysisID):
            return failed(["\(InertText.visibleName(descriptor.id)): an analysis id must be a safe folder name (letters, digits, . _ - ~)"])
        case .failure(let failure as ExternalAnalysisFailure):
            // One problem per line, each `analysis-id: path.in.json: message`.
            return failed(failure.problems.map { "\(descriptor.id): \($0)" })
        case .failure(let error):
            return failed(["\(descriptor.id) failed: \(error)"])
        }
    }

    /// An analysis's result with its diagrams drawn: what its folder is built from.
    struct Drawn: Sendable {
        var descriptor: AnalysisDescriptor
        var result: AnalysisResult
        var files: [String: Data] = [:]
        var failures: [String] = []
        var warnings: [String] = []
        var diagrams: [(view: ViewSpec, files: [String])] = []
        /// The analysis's folder being built aside, which diagrams are written into as they
        /// are rendered (nil: every file is written by `write`).
        var staged: StagedFiles?
        /// `DiagramFiles.drawnShares` of the SVG files drawn.
        var drawnShares: [String: Double] = [:]

        /// Claims a file name: no two outputs may share one (one would silently replace the other).
        mutating func claim(_ name: String, for what: String) -> Bool {
            guard OutputName.isSafe(name) else {
                failures.append("\(InertText.visibleName(name)): \(what) is not a safe file name (letters, digits, . _ - ~; build ids with ViewSpec.fileSafe); not written")
                return false
            }
            guard files[name] == nil && !OutputName.reserved.contains(name) else {
                failures.append("\(name): \(what) has the file name of another output; not written")
                return false
            }
            return true
        }
    }

    /// Renders the result's diagrams. Views are laid out ahead of the calling thread, which
    /// renders them in order (Graphviz calls are serialised; see `ViewLayouts`).
    /// `layouts`: the views' layouts, when they were started before (`runAll`).
    /// `staged`: the analysis's folder being built aside; each diagram is written into it as
    /// soon as it is rendered.
    func draw(_ descriptor: AnalysisDescriptor, result: AnalysisResult, output: OutputSettings, layouts: ViewLayouts? = nil,
              staged: StagedFiles? = nil) -> Drawn {
        var drawn = Drawn(descriptor: descriptor, result: result, staged: staged)
        let languages = output.languages.languages
        let given = layouts
        let layouts = layouts ?? ViewLayouts(result, output: output)
        defer { if given == nil { releaseAside(layouts) } }
        var job = 0
        for (index, view) in result.views.enumerated() {
            progress("\(descriptor.id): drawing \(view.id) (\(index + 1)/\(result.views.count))")
            var written: [String] = []
            for language in languages {
                let layout = layouts.take(job)
                job += 1
                let files = DiagramFiles.render(layout, formats: output.formats) { suffix, ext in
                    "\(view.id)\(suffix).\(language.rawValue).\(ext)"
                }
                for name in files.names where drawn.claim(name, for: "diagram \(InertText.visibleName(view.id))") {
                    drawn.files[name] = files.files[name]
                    if let share = files.drawnShares[name] { drawn.drawnShares[name] = share }
                    staged?.add(name, files.files[name]!)
                    written.append(name)
                }
                drawn.failures += files.failures
                drawn.warnings += files.warnings
            }
            drawn.diagrams.append((view, written))
        }
        return drawn
    }

    /// The result's tables as files, CSV and the workbook: they depend on the result alone.
    struct TableFiles {
        /// By table, in the result's order.
        var csv: [Data]
        /// The workbook's name and contents (or why it could not be made); nil without tables.
        var workbook: (name: String, data: Result<Data, any Error>)?

        init(_ descriptor: AnalysisDescriptor, result: AnalysisResult, output: OutputSettings) {
            let writer = ReportWriter()
            csv = result.tables.map { writer.csv($0, byteOrderMark: output.byteOrderMark) }
            if !result.tables.isEmpty {
                workbook = (ReportWorkbook.fileName(descriptor.id),
                            Result { try XLSXWriter.data(for: ReportWorkbook.workbook(title: descriptor.title, tables: result.tables)) })
            }
        }
    }

    /// Writes the reports, tables and JSON and builds the analysis's folder aside (any thread).
    /// `tables`: the tables' files, when they were made while the diagrams were drawn.
    func write(_ drawn: Drawn, options: AnalysisOptions, output: OutputSettings, folder: OutputFolder, tables tableFiles: TableFiles? = nil)
        -> Prepared
    {
        var drawn = drawn
        let descriptor = drawn.descriptor, result = drawn.result
        let writer = ReportWriter()
        let tableFiles = tableFiles ?? TableFiles(descriptor, result: result, output: output)
        var tables: [String] = []
        for (table, csv) in zip(result.tables, tableFiles.csv) where drawn.claim("\(table.id).csv", for: "table \(InertText.visibleName(table.id))") {
            drawn.files["\(table.id).csv"] = csv
            tables.append(table.id)
        }
        // result.json is encoded on another thread while the workbook and the reports are
        // written here; the reports assume it encodes, and are written again when it does not
        // (they list the failure).
        let diagrams = drawn.diagrams
        let json = BackgroundWork { try writer.json(descriptor: descriptor, options: options, result: result, diagrams: diagrams) }
        let failuresBeforeWorkbook = drawn.failures.count
        var workbook: String?
        if let (name, data) = tableFiles.workbook, drawn.claim(name, for: "the workbook") {
            do {
                drawn.files[name] = try data.get()
                workbook = name
            } catch {
                drawn.failures.append("\(name): \(error)")
            }
        }
        // One report per language chosen (`--lang`), as for diagrams: report.md in English,
        // report.zh.md in Chinese, each linking the other; the same for the HTML reports.
        let languages = output.languages.languages
        // The reports are independent of each other: written in parallel (the HTML reports of a
        // 1,000-element plan inline 1,000 figures each, a tenth of `run sdg-mapping`: issue 9).
        let drawnShares = drawn.drawnShares
        func reports(svgs: [String: Data], failures: [String]) -> [String: Data] {
            let workbook = workbook
            let jobs = [true, false].flatMap { html in languages.map { (html: html, language: $0) } }
            let written = Slots<(name: String, data: Data)>(count: jobs.count)
            DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
                let (html, language) = jobs[index]
                if html {
                    let other = languages.first { $0 != language }.map(HTMLReport.fileName)
                    written.put(index, (HTMLReport.fileName(language), HTMLReport(language: language).htmlData(
                        descriptor: descriptor, options: options, result: result, diagrams: diagrams, svgs: svgs,
                        drawnShares: drawnShares, problems: failures, workbook: workbook, otherLanguage: other)))
                } else {
                    let other = languages.first { $0 != language }.map(ReportWriter.fileName)
                    written.put(index, (ReportWriter.fileName(language), Data(ReportWriter(language: language).markdown(
                        descriptor: descriptor, options: options, result: result, diagrams: diagrams, failures: failures,
                        otherLanguage: other).utf8)))
                }
            }
            return Dictionary(uniqueKeysWithValues: jobs.indices.map { written.take($0) })
        }
        var written = reports(svgs: drawn.files, failures: drawn.failures)
        do {
            drawn.files["result.json"] = try json.value()
        } catch {
            drawn.failures.insert("result.json: \(error)", at: failuresBeforeWorkbook)
            written = reports(svgs: drawn.files, failures: drawn.failures)
        }
        let failures = drawn.failures
        var all = drawn.files
        all.merge(written) { $1 }

        let manifest = FolderManifest(analysis: descriptor.id, title: descriptor.title, files: all.keys.sorted(), tables: tables,
                                      diagrams: diagrams.map { .init(title: $0.view.title.en, files: $0.files) },
                                      summary: descriptor.summary, headline: result.headline)
        let run = AnalysisRun(analysisID: descriptor.id, title: descriptor.title, status: failures.isEmpty ? .succeeded : .partiallyFailed,
                              problems: failures + drawn.warnings, files: all.keys.sorted(), result: result, diagrams: diagrams)
        do {
            return Prepared(run: run, staged: try folder.stage(manifest, files: all, begun: drawn.staged))
        } catch {
            var notWritten = run
            notWritten.status = .notWritten
            notWritten.files = []
            notWritten.problems.append(error.description)
            return Prepared(run: notWritten, staged: nil)
        }
    }

    /// Swaps a built folder in.
    func install(_ prepared: inout Prepared, into folder: OutputFolder) {
        guard let staged = prepared.staged else { return }
        do {
            try folder.install(staged, as: prepared.run.analysisID)
        } catch {
            prepared.run.status = .notWritten
            prepared.run.files = []
            prepared.run.problems.append(error.description)
        }
        prepared.staged = nil
    }

    /// Brings the folder's manifest, then the index, up to date with what the folders now hold.
    func record(_ runs: [AnalysisRun], in folder: OutputFolder, writingIndex: Bool, replacingList: Bool) -> String? {
        let previous = folder.topManifest()
        let fresh = runs.map { OutputManifest.Analysis(id: $0.analysisID, title: $0.title, status: $0.status.rawValue, problems: $0.problems) }
        let freshIDs = Set(fresh.map(\.id))
        // Analyses this run did not touch stay listed while their folder is there.
        let kept = (previous?.analyses ?? []).filter { !freshIDs.contains($0.id) && folder.folderManifest($0.id) != nil }
        var entries: [OutputManifest.Analysis]
        if replacingList {
            entries = fresh + kept
        } else {
            // `run` keeps the order the index had.
            entries = (previous?.analyses ?? []).compactMap { old in
                freshIDs.contains(old.id) ? fresh.first { $0.id == old.id } : kept.first { $0.id == old.id }
            }
            entries += fresh.filter { new in !entries.contains { $0.id == new.id } }
        }
        let topFiles = writingIndex ? Self.indexFiles : (previous?.files ?? [])
        do {
            // The manifest first: a run stopped between the two still recognises the index as its own.
            try folder.writeTopManifest(OutputManifest(files: topFiles, analyses: entries))
            guard writingIndex else { return nil }
            let index = IndexPage(graph: graph, entries: entries.map { entry in
                IndexPage.Entry(id: entry.id, title: entry.title, status: entry.status, problems: entry.problems,
                                folder: folder.folderManifest(entry.id))
            })
            try FileOutput.write(Data(index.markdown().utf8), to: folder.url.appendingPathComponent("index.md"))
            try FileOutput.write(Data(index.html().utf8), to: folder.url.appendingPathComponent("index.html"))
            return nil
        } catch {
            return error.description
        }
    }
}

/// The output folder handed to the thread that builds analysis folders: `stage` reads only the
/// folder's path, and this thread uses the folder again only after every folder is built.
struct StagingAccess: @unchecked Sendable {
    let folder: OutputFolder
    init(_ folder: OutputFolder) { self.folder = folder }
}

/// The views of one result laid out ahead of the thread that renders them, in the order they are
/// drawn (each view in each language), at most six ahead of it: laid-out views wait in memory.
/// A thread of its own lays them out; the renderer, rather than wait for a layout, lays out the
/// next one nobody has begun itself (issue 9: in `all`, the renderer waited for layouts about
/// half of the time the SDG figures took, with the second core busy laying out).
///
/// Outputs do not depend on which thread laid a view out, nor on the order: a layout is a pure
/// function of its view, its options and the advances of the characters `prepareMetrics`
/// notes for it, each measured once per process with the same result whenever it is measured;
/// the two threads keep texts in caches of their own (`PreparedTextCache` is used by one thread
/// at a time).
///
/// The layouts of the next analysis take over both caches: the analyses share many texts (goal
/// and target titles, plan elements), and each cache is used by one thread at a time still (the
/// next layout thread starts once every view before it is laid out; the renderer is the thread
/// that calls `take` for both). Handed on, a text shared by two analyses is split and measured
/// once per run instead of once per analysis.
final class ViewLayouts: @unchecked Sendable {
    private typealias Job = (view: ViewSpec, language: Language)
    private let jobs: [Job]
    private let figure: FigureOptions
    private let formats: [OutputFormat]
    /// Guards everything below.
    private let condition = NSCondition()
    private var laidOut: [DiagramFiles.Layout?]
    /// Jobs below this one are laid out or being laid out.
    private var claimed = 0
    /// Jobs laid out.
    private var made = 0
    /// The job the renderer takes next.
    private var next = 0
    /// The renderer's texts: only the thread that calls `take` uses it.
    private let rendererTexts: PreparedTextCache
    /// The layout thread's texts: the views of one analysis share many texts (goals, targets,
    /// elements) in both languages.
    private let layoutTexts: PreparedTextCache
    /// Six rather than two let the layout thread run ahead through stretches of quick renders,
    /// instead of the renderer laying out views itself: `all` 4.8 % faster (14 pairs); the
    /// 1,000-element run and both peaks of memory unchanged; sixteen was no better.
    private static let lookahead = 6

    /// `after`: the layouts of the analysis drawn before, whose caches these take over; this
    /// thread starts when those are all made, so that the views the renderer waits for now are
    /// not slowed by the next ones (and the cache is no longer in use).
    init(_ result: AnalysisResult, output: OutputSettings, after previous: ViewLayouts? = nil) {
        jobs = result.views.flatMap { view in output.languages.languages.map { (view: view, language: $0) } }
        laidOut = Array(repeating: nil, count: jobs.count)
        figure = output.figure
        formats = output.formats
        rendererTexts = previous?.rendererTexts ?? PreparedTextCache()
        layoutTexts = previous?.layoutTexts ?? PreparedTextCache()
        startThread { [self] in
            previous?.waitUntilLaidOut()
            while let index = claimAhead() { lay(index, texts: layoutTexts) }
        }
    }

    /// The next job nobody has begun, for the layout thread; waits while it is more than
    /// `lookahead` ahead of the renderer. Nil when every job is begun.
    private func claimAhead() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while claimed < jobs.count && claimed >= next + Self.lookahead { condition.wait() }
        guard claimed < jobs.count else { return nil }
        claimed += 1
        return claimed - 1
    }

    private func lay(_ index: Int, texts: PreparedTextCache) {
        let job = jobs[index]
        let layout = DiagramFiles.layout(job.view, language: job.language, options: figure, textCache: texts, formats: formats)
        condition.lock()
        laidOut[index] = layout
        made += 1
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until every view is laid out.
    func waitUntilLaidOut() {
        condition.lock()
        while made < jobs.count { condition.wait() }
        condition.unlock()
    }

    /// The layout of job `index` (taken in order, each once): laid out by the other thread, or
    /// here, while the other thread lays out the one before.
    func take(_ index: Int) -> DiagramFiles.Layout {
        condition.lock()
        while true {
            if let layout = laidOut[index] {
                laidOut[index] = nil
                next = index + 1
                condition.broadcast()
                condition.unlock()
                return layout
            }
            if claimed < jobs.count && claimed <= index + 1 {
                claimed += 1
                let mine = claimed - 1
                condition.unlock()
                lay(mine, texts: rendererTexts)
                condition.lock()
            } else {
                condition.wait()
            }
        }
    }
}

/// Starts `work` on a thread of its own with the main thread's stack size (8 MiB): work moved
/// off the main thread (an analysis, layouts, encoding) may recurse as deeply as it could there.
func startThread(_ work: @escaping @Sendable () -> Void) {
    let thread = Thread(block: work)
    thread.stackSize = 8 << 20
    thread.start()
}

/// Drops the caller's reference to `layouts` on a thread of its own, so that when it is the last
/// one, that thread frees their text caches: tens of thousands of small allocations, 45 ms after
/// `all` and 80 ms after a 1,000-element `run sdg-mapping`, on the thread that goes on to write
/// the reports. A process that exits first does not wait for it.
func releaseAside(_ layouts: consuming ViewLayouts) {
    startThread { [layouts] in withExtendedLifetime(layouts) {} }
}

/// Results of analyses begun before `runAll` was called, by place.
public final class StartedAnalyses: Sendable {
    let ids: [String]
    let results: Slots<Result<AnalysisResult, any Error>>

    init(ids: [String]) {
        self.ids = ids
        results = Slots(count: ids.count)
    }
}

/// Work that runs on a thread of its own while the calling thread does something else; `value()`
/// waits for it. `all` has external analyses describe themselves (a program start each: a
/// Python one takes a tenth of a second, mostly on one core) while the datasets load;
/// `result.json` is encoded while the reports are written.
public final class BackgroundWork<Value>: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    private var result: Result<Value, any Error>?

    /// `work` runs on another thread: it must only read what it captures.
    public init(_ work: @escaping () throws -> Value) {
        nonisolated(unsafe) let work = work
        startThread { [self] in
            result = Result { try work() }
            finished.signal()
        }
    }

    /// Waits for the work and gives its value, or throws its error.
    public func value() throws -> Value {
        finished.wait()
        finished.signal()  // a second call does not wait forever
        return try result!.get()
    }
}

/// One value per index, handed from the thread that makes it to the one that waits for it.
final class Slots<Value>: @unchecked Sendable {
    private let condition = NSCondition()
    private var values: [Value?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func put(_ index: Int, _ value: Value) {
        condition.lock()
        values[index] = value
        condition.broadcast()
        condition.unlock()
    }

    /// The value at `index` if it is there, left in place.
    func peek(_ index: Int) -> Value? {
        condition.lock()
        defer { condition.unlock() }
        return values[index]
    }

    /// Waits for the value at `index` and takes it out.
    func take(_ index: Int) -> Value {
        condition.lock()
        defer { condition.unlock() }
        while values[index] == nil { condition.wait() }
        let value = values[index]!
        values[index] = nil
        return value
    }
}

/// File and folder names of outputs.
enum OutputName {
    /// Names the host writes itself in every analysis folder.
    static let reserved: Set<String> = ["report.md", "report.zh.md", "result.json", OutputFolder.manifestName, "report.html", "report.zh.html"]

    /// ASCII letters, digits, `.`, `_`, `-`, `~`, not starting with a dot: a name that means the
    /// same on every file system and in every URL, and can hold no path.
    static func isSafe(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("."), name.utf8.count <= 255 else { return false }
        return name.unicodeScalars.allSatisfy { s in
            (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || s == "." || s == "_" || s == "-" || s == "~"
        }
    }
}
