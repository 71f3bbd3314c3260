import ArgumentParser
import Foundation
import LinkageKit
import LinkageServer
import Synchronization

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explore the graph in a browser: search, a page per node, neighbourhood diagrams drawn on request, analyses.",
        discussion: """
            Starts a local web server (loopback only unless --host says otherwise) on the same \
            datasets as every other command and prints its address. Pages: / (start), \
            /search?q=TEXT, /node/ID (labels, citation, every link with its provenance, and the \
            node's neighbourhood drawn by the in-process renderer; click a node in the diagram to \
            go to its page), /node/ID/diagram.svg|png|pdf (query: depth, relations, direction, \
            provenance=all|declared|derived, lang=en|zh, engine, page), /analyses and \
            /analysis/ID?OPTION=VALUE&run=1.

            When a file under the datasets folder changes (the kernel says so at once; the folder \
            is also checked every 2 seconds), the server loads and validates the data again and \
            serves the new graph; while the data has errors it keeps the last good \
            graph and shows the errors (path:line:col) on every page. Ctrl-C stops it.

            Examples:
              linkage serve                               then open http://127.0.0.1:8080/
              linkage serve --port 9000 --open
              linkage serve --datasets ~/linkage-datasets --port 0     (any free port; printed)
              curl 'http://127.0.0.1:8080/node/BAAP-OUT-2.1/diagram.svg?depth=2&lang=zh' -o out.svg
            """)

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var analysesFolders: AnalysesFolderOptions
    @OptionGroup var externalTimeout: ExternalTimeoutOption
    @Option(help: ArgumentHelp("Port to listen on (0: any free port).", valueName: "port"))
    var port: Int = 8080
    @Option(help: ArgumentHelp(
        "Address to listen on.",
        discussion: "127.0.0.1 (the default) is reachable from this machine only; 0.0.0.0 makes the explorer reachable from the network, without authentication.",
        valueName: "host"))
    var host: String = "127.0.0.1"
    @Flag(help: "Open the start page in the default browser ($BROWSER, else xdg-open).")
    var open = false
    @Flag(name: .customLong("no-access-log"), help: "Do not log each request on standard error.")
    var noAccessLog = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
    }

    func run() throws {
        let root = try dataset.resolveDatasets()
        // External analyses are asked to describe themselves once, at start (as `linkage all` does).
        let analyses = try analysesFolders.analyses(dataset: dataset, limits: externalTimeout.limits)
        let configuration = ExplorerServer.Configuration(host: host, port: port, datasets: root, accessLog: !noAccessLog,
                                                         analyses: analyses)
        let open = self.open
        let host = self.host
        let outcome = Mutex<(any Error)?>(nil)
        let finished = DispatchSemaphore(value: 0)
        // ParsableCommand is synchronous; the server is async. The main thread waits here while
        // the server runs on Swift's concurrency threads and NIO's event loops.
        Task.detached {
            do {
                try await ExplorerServer.run(configuration) { url in
                    Console.error("linkage serve: \(url.absoluteString) (datasets: \(SourceLocation.displayPath(root.path)); Ctrl-C stops)")
                    if !["127.0.0.1", "localhost", "::1"].contains(host) {
                        Console.error("warning: listening on \(host): anyone who can reach this address can read the datasets")
                    }
                    if open { openInBrowser(url) }
                }
            } catch {
                outcome.withLock { $0 = error }
            }
            finished.signal()
        }
        finished.wait()
        if outcome.withLock({ $0 == nil }) { Console.error("linkage serve: stopped") }
        if let error = outcome.withLock({ $0 }) {
            if let data = error as? DataErrors {
                for message in data.messages.prefix(20) { Console.error(message) }
                throw CommandFailure(status: .dataErrors, message: "the datasets have \(data.messages.count) error\(data.messages.count == 1 ? "" : "s"); run `linkage validate` for the full report")
            }
            throw CommandFailure(status: .usage, message: "cannot serve on \(host):\(port): \(error)")
        }
    }
}

/// Opens `url` the way desktop programs do: each command of `$BROWSER` in turn (separated by
/// ':'; `%s` stands for the URL, else the URL is the last argument), then xdg-open. Commands are
/// run directly, not through a shell, so nothing in them or in the URL is interpreted.
private func openInBrowser(_ url: URL) {
    var commands: [[String]] = []
    if let browser = ProcessInfo.processInfo.environment["BROWSER"] {
        for entry in browser.split(separator: ":") {
            var words = entry.split(separator: " ").map(String.init)
            guard !words.isEmpty else { continue }
            if words.contains(where: { $0.contains("%s") }) {
                words = words.map { $0.replacingOccurrences(of: "%s", with: url.absoluteString) }
            } else {
                words.append(url.absoluteString)
            }
            commands.append(words)
        }
    }
    commands.append(["xdg-open", url.absoluteString])
    var problems: [String] = []
    for command in commands {
        // Found here rather than through /usr/bin/env, so that a missing program moves on to the next.
        guard let program = executable(named: command[0]) else {
            problems.append("\(command[0]): not found")
            continue
        }
        let process = Process()
        process.executableURL = program
        process.arguments = Array(command.dropFirst())
        do {
            try process.run()
            return
        } catch {
            problems.append("\(command[0]): \(error)")
        }
    }
    Console.error("warning: cannot open a browser (\(problems.joined(separator: "; "))); open \(url.absoluteString)")
}

/// `name` itself when it is a path, else the first executable of that name on $PATH.
private func executable(named name: String) -> URL? {
    let fm = FileManager.default
    if name.contains("/") { return fm.isExecutableFile(atPath: name) ? URL(fileURLWithPath: name) : nil }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for folder in path.split(separator: ":") {
        let candidate = "\(folder)/\(name)"
        if fm.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
    }
    return nil
}
