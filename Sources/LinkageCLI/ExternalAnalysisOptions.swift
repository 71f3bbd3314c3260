import ArgumentParser
import Foundation
import LinkageHost
import LinkageKit
import LinkageRegistry

/// Where external analyses (programs in any language) are found: `--analyses DIR` (repeatable),
/// the folders of `$LINKAGE_ANALYSES` (separated by ':'), and `analyses/` next to the datasets
/// folder. Every executable file there is asked to describe itself (`EXE describe`).
struct AnalysesFolderOptions: ParsableArguments {
    @Option(name: .customLong("analyses"), help: ArgumentHelp(
        "A folder of external analyses: executable programs in any language (repeatable).",
        discussion: "Also searched: the folders of $LINKAGE_ANALYSES (separated by ':') and analyses/ next to the datasets folder. See docs/external-analyses.md.",
        valueName: "dir"))
    var folders: [String] = []

    /// The folders to search, in order; a folder named on the command line must exist.
    func resolvedFolders(dataset: DatasetOptions) throws -> [URL] {
        var result: [URL] = []
        for folder in folders {
            let url = URL(fileURLWithPath: folder).standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw usageError("--analyses \(folder): no such folder")
            }
            result.append(url)
        }
        if let variable = ProcessInfo.processInfo.environment["LINKAGE_ANALYSES"] {
            for folder in variable.split(separator: ":").map(String.init) where !folder.isEmpty {
                let url = URL(fileURLWithPath: folder).standardizedFileURL
                if FileManager.default.fileExists(atPath: url.path) {
                    result.append(url)
                } else {
                    Console.error("warning: $LINKAGE_ANALYSES names \(folder), which does not exist")
                }
            }
        }
        if let datasets = try? dataset.resolveDatasets() {
            let beside = datasets.deletingLastPathComponent().appendingPathComponent("analyses")
            if FileManager.default.fileExists(atPath: beside.path) { result.append(beside) }
        }
        return result
    }

    /// The built-in analyses, then the external ones found.
    func analyses(dataset: DatasetOptions, limits: ExternalLimits = ExternalLimits()) throws -> [any AnalysisPlugin] {
        let external = ExternalAnalysisDiscovery.discover(in: try resolvedFolders(dataset: dataset), limits: limits,
                                                          errorLine: externalErrorLine)
        return ExternalAnalysisDiscovery.combine(builtIn: registeredAnalyses, external: external)
    }

    /// The analysis with this id: a built-in one without asking any program, else an external one.
    func analysis(_ id: String, dataset: DatasetOptions, limits: ExternalLimits = ExternalLimits()) throws -> any AnalysisPlugin {
        if let plugin = registeredAnalyses.first(where: { $0.descriptor.id == id }) { return plugin }
        let all = try analyses(dataset: dataset, limits: limits)
        if let plugin = all.first(where: { $0.descriptor.id == id }) { return plugin }
        let ids = all.map(\.descriptor.id)
        var message = "no analysis '\(id)'\(Suggestion.hint(for: id, in: ids)); analyses: \(ids.joined(separator: ", "))"
        for case let unavailable as UnavailableAnalysis in all {
            message += "\n  (\(SourceLocation.displayPath(unavailable.executable.path)) is not usable: \(unavailable.problems.joined(separator: "; ")))"
        }
        throw usageError(message)
    }
}

/// `--timeout SECONDS` of `run` and `all`.
struct ExternalTimeoutOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Seconds an external analysis may run before it is stopped (default: \(Int(ExternalLimits.defaultTimeout))).",
        valueName: "seconds"))
    var timeout: Double?

    func validate() throws {
        if let timeout, !(timeout > 0 && timeout <= 86_400) { throw ValidationError("--timeout takes seconds between 0 and 86400") }
    }

    var limits: ExternalLimits { ExternalLimits(timeout: timeout ?? ExternalLimits.defaultTimeout) }
}

/// A line an external program wrote on its standard error, already prefixed by its id: shown
/// on the console, below the progress line.
let externalErrorLine: @Sendable (String) -> Void = { line in
    Console.endProgress()
    Console.error(line)
}

/// `run --save-request FILE`: the request an external analysis gets, for running it by hand
/// (`PROGRAM run < FILE`) or in a debugger.
func writeRequest(of plugin: any AnalysisPlugin, graph: LinkageGraph, options: AnalysisOptions, to path: String) throws {
    guard plugin is ExternalAnalysis else {
        throw usageError("--save-request: \(plugin.descriptor.id) is a built-in analysis; only external analyses read a request")
    }
    let request = try AnalysisRequestEncoder(graph: graph).request(analysis: plugin.descriptor, options: options)
    try writeOutput(request, to: path)
}
