import Synchronization
import ArgumentParser
import Foundation
import LinkageHost
import LinkageKit

/// Exit codes, documented in `linkage --help` and the README.
public enum ExitStatus: Int32, Sendable {
    case success = 0
    /// The datasets have errors (validate found some, or another command refused to run on them).
    case dataErrors = 1
    /// The command line is wrong: unknown option, missing argument, unknown id or analysis.
    case usage = 2
    /// An analysis or a rendering failed (the others still ran and wrote their outputs).
    case analysisFailed = 3
    /// An output could not be written.
    case outputFailed = 4
}

/// Thrown by commands to end with a given status after printing their own messages.
struct CommandFailure: Error {
    var status: ExitStatus
    var message: String?
}

/// A usage error with a message, printed as `error: ...` with exit status 2.
func usageError(_ message: String) -> CommandFailure { CommandFailure(status: .usage, message: message) }

/// Everything the command line prints to the terminal goes through here. Text from the data
/// (labels, quotes, ids in messages) may hold terminal escape sequences, carriage returns,
/// DEL or bidirectional overrides; they are printed as visible `\u{…}` escapes (InertText), so a
/// dataset can neither drive the terminal nor make a line read differently from what it holds.
/// Newlines and tabs are kept. Data exports (`export`, `render` to standard output) are bytes,
/// not messages, and do not pass through here.
enum Console {
    /// A line (or lines) on standard output.
    static func out(_ text: String) { FileHandle.standardOutput.write(Data((InertText.visible(text) + "\n").utf8)) }

    /// A line (or lines) on standard error.
    static func error(_ text: String) { FileHandle.standardError.write(Data((InertText.visible(text) + "\n").utf8)) }

    static let stderrIsTerminal = isatty(STDERR_FILENO) != 0

    /// Progress on stderr: one updating line on a terminal, plain lines in logs. The escape
    /// sequence that clears the line is the tool's own; the message is made inert first.
    static func progress(_ text: String) {
        let text = InertText.visible(text, escapingLineBreaks: true)
        if stderrIsTerminal {
            let width = 100
            let line = text.count > width ? String(text.prefix(width - 1)) + "…" : text
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        } else {
            FileHandle.standardError.write(Data(("… " + text + "\n").utf8))
        }
    }

    static func endProgress() {
        if stderrIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// Options every command that reads the datasets shares.
struct DatasetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The datasets folder (holding vocabulary.yaml).",
        discussion: "Default: the datasets/ folder of the repository the current directory is in, or $LINKAGE_DATASETS.",
        valueName: "dir"))
    var datasets: String?

    /// The datasets folder: --datasets, $LINKAGE_DATASETS, datasets/ in the current folder or a
    /// parent of it (so the tool works from anywhere inside the repository), else the datasets
    /// installed with the program (`/usr/share/linkage/datasets` for /usr/bin/linkage).
    func resolveDatasets() throws -> URL {
        if let datasets { return URL(fileURLWithPath: datasets).standardizedFileURL }
        if let fromEnvironment = ProcessInfo.processInfo.environment["LINKAGE_DATASETS"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment).standardizedFileURL
        }
        if let root = RepositoryLocator.root() { return root.appendingPathComponent("datasets") }
        if let installed = RepositoryLocator.installedDatasets() { return installed }
        throw usageError("no datasets folder found: run linkage inside the repository, or pass --datasets DIR")
    }

    /// Loads and validates; stops with the errors (status 1) when there are any.
    func loadGraph(sources: URL? = nil) throws -> LinkageGraph {
        let root = try resolveDatasets()
        let result = DatasetLoader.load(from: root, options: LoadOptions(sourcesDirectory: sources))
        KeptUntilExit.keep(result)
        if result.hasErrors {
            let errors = result.errors
            for diagnostic in errors.prefix(20) { Console.error(diagnostic.description) }
            if errors.count > 20 { Console.error("… and \(errors.count - 20) more") }
            throw CommandFailure(status: .dataErrors,
                                 message: "the datasets have \(errors.count) error\(errors.count == 1 ? "" : "s"); run `linkage validate` for the full report")
        }
        return result.graph
    }
}

/// What a command loaded, kept until the process exits rather than freed when the command is
/// done with it. The system takes back a process's memory at once; freeing a loaded graph
/// object by object first (a million links are millions of allocations) took several percent
/// of a `validate` (issue 9), after its output was complete. Compilers do the same (clang's
/// -disable-free). Only one-shot commands use it: `serve` loads again and again, and never here.
enum KeptUntilExit {
    private static let kept = Mutex<[any Sendable]>([])
    static func keep(_ value: any Sendable) { kept.withLock { $0.append(value) } }
}

enum RepositoryLocator {
    /// The nearest folder, from the current directory upwards, with datasets/vocabulary.yaml.
    static func root(from start: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> URL? {
        var folder = start.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("datasets/vocabulary.yaml").path) {
                return folder
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// The datasets installed beside the program: `<prefix>/share/linkage/datasets` for
    /// `<prefix>/bin/linkage` (the Debian package installs /usr/bin and /usr/share).
    static func installedDatasets() -> URL? {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidates = [executable, Bundle.main.executableURL?.resolvingSymlinksInPath()].compactMap { $0 }
        for binary in candidates {
            let datasets = binary.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("share/linkage/datasets").standardizedFileURL
            if FileManager.default.fileExists(atPath: datasets.appendingPathComponent("vocabulary.yaml").path) { return datasets }
        }
        return nil
    }
}

extension Language: ExpressibleByArgument {}

/// Runs `body` (which draws) with Graphviz's text measurements of earlier runs loaded from the
/// user's cache, and keeps what it measured for the next runs (`TextMeasurementStore`).
func withStoredTextMeasurements<T>(_ enabled: Bool = true, _ body: () throws -> T) rethrows -> T {
    guard enabled, let store = TextMeasurementStore.forUser(version: Linkage.version) else { return try body() }
    let measuredBefore = store.load()
    defer { store.save(measuredBefore: measuredBefore) }
    return try body()
}
