import Foundation
import LinkageKit
import LinkageRendering

/// Which languages diagrams are drawn in.
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

    public init(directory: URL, formats: [OutputFormat] = [.svg], languages: DiagramLanguages = .both,
                figure: FigureOptions = FigureOptions()) {
        self.directory = directory
        self.formats = formats
        self.languages = languages
        self.figure = figure
    }
}

/// The files of one view in one language: `<view>[-pN].<lang>.<format>` for each page and
/// format, and `<view>.<lang>.caption.txt` when the figure leaves its title or legend out.
public struct DiagramFiles: Sendable {
    public var files: [String: Data] = [:]
    public var names: [String] = []
    public var failures: [String] = []
    public var warnings: [String] = []

    /// Lays `view` out once and renders it in every format; `name(suffix, extension)` names a file.
    public static func render(_ view: ViewSpec, language: Language, formats: [OutputFormat], options: FigureOptions,
                              name: (_ pageSuffix: String, _ extension: String) -> String) -> DiagramFiles {
        var result = DiagramFiles()
        let renderer = DiagramRenderer(language: language, options: options)
        let laidOut: LaidOutView
        do {
            laidOut = try renderer.layout(view)
        } catch {
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
                    for warning in rendered.warnings { result.warnings.append("\(file): Graphviz \(warning)") }
                } catch {
                    result.failures.append("\(file): \(error)")
                }
            }
        }
        if options.needsCaptionFile {
            let file = name("", "caption.txt")
            result.files[file] = Data(laidOut.captionText.utf8)
            result.names.append(file)
        }
        return result
    }
}

/// What running one analysis gave.
public struct AnalysisRun: Sendable {
    public enum Status: Sendable, Equatable {
        case succeeded
        /// The analysis ran, but some diagrams could not be rendered.
        case partiallyFailed
        /// The analysis threw; its previous outputs are left as they were.
        case failed
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

/// Runs analyses against the graph and writes their outputs. One failing analysis (or one
/// failing diagram) is reported and does not stop the others.
public struct AnalysisRunner: Sendable {
    public let graph: LinkageGraph
    public let progress: @Sendable (String) -> Void

    public init(graph: LinkageGraph, progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.graph = graph
        self.progress = progress
    }

    /// Runs one analysis and replaces `<directory>/<analysis id>/` with its outputs.
    /// Option errors (`AnalysisOptionError`) are rethrown: they are the user's to fix.
    public func run(_ plugin: any AnalysisPlugin, options: AnalysisOptions, output: OutputSettings) throws(AnalysisOptionError)
        -> AnalysisRun
    {
        let descriptor = plugin.descriptor
        progress("\(descriptor.id): analysing")
        let result: AnalysisResult
        do {
            result = try plugin.run(AnalysisContext(graph: graph, options: options, progress: { message in
                progress("\(descriptor.id): \(message)")
            }))
        } catch let error as AnalysisOptionError {
            throw error
        } catch {
            return AnalysisRun(analysisID: descriptor.id, title: descriptor.title, status: .failed,
                               problems: ["\(descriptor.id) failed: \(error)"], files: [], result: nil, diagrams: [])
        }

        var files: [String: Data] = [:]
        var failures: [String] = []
        var warnings: [String] = []
        var diagrams: [(view: ViewSpec, files: [String])] = []
        for (index, view) in result.views.enumerated() {
            progress("\(descriptor.id): drawing \(view.id) (\(index + 1)/\(result.views.count))")
            var written: [String] = []
            for language in output.languages.languages {
                let drawn = DiagramFiles.render(view, language: language, formats: output.formats, options: output.figure) { suffix, ext in
                    "\(view.id)\(suffix).\(language.rawValue).\(ext)"
                }
                files.merge(drawn.files) { _, new in new }
                written += drawn.names
                failures += drawn.failures
                warnings += drawn.warnings
            }
            diagrams.append((view, written))
        }

        let writer = ReportWriter()
        for table in result.tables { files["\(table.id).csv"] = writer.csv(table) }
        files["report.md"] = Data(writer.markdown(descriptor: descriptor, options: options, result: result,
                                                  diagrams: diagrams, failures: failures).utf8)
        do {
            files["result.json"] = try writer.json(descriptor: descriptor, options: options, result: result, diagrams: diagrams)
        } catch {
            failures.append("result.json: \(error)")
        }

        let folder = output.directory.appendingPathComponent(descriptor.id)
        do {
            try FileOutput.replaceDirectory(folder, with: files)
        } catch {
            return AnalysisRun(analysisID: descriptor.id, title: descriptor.title, status: .failed,
                               problems: failures + warnings + [error.description], files: [], result: result, diagrams: diagrams)
        }
        return AnalysisRun(analysisID: descriptor.id, title: descriptor.title,
                           status: failures.isEmpty ? .succeeded : .partiallyFailed,
                           problems: failures + warnings, files: files.keys.sorted(), result: result, diagrams: diagrams)
    }

    /// Runs every analysis with its default options and writes an index page linking every
    /// report and diagram.
    public func runAll(_ plugins: [any AnalysisPlugin], output: OutputSettings) -> [AnalysisRun] {
        var runs: [AnalysisRun] = []
        for (index, plugin) in plugins.enumerated() {
            progress("[\(index + 1)/\(plugins.count)] \(plugin.descriptor.id)")
            do {
                runs.append(try run(plugin, options: AnalysisOptions(), output: output))
            } catch {
                runs.append(AnalysisRun(analysisID: plugin.descriptor.id, title: plugin.descriptor.title, status: .failed,
                                        problems: ["\(plugin.descriptor.id): default options rejected: \(error)"],
                                        files: [], result: nil, diagrams: []))
            }
        }
        let index = IndexPage(graph: graph, runs: runs)
        do {
            try FileOutput.write(Data(index.markdown().utf8), to: output.directory.appendingPathComponent("index.md"))
            try FileOutput.write(Data(index.html().utf8), to: output.directory.appendingPathComponent("index.html"))
        } catch {
            progress("index: \(error)")
        }
        return runs
    }
}
