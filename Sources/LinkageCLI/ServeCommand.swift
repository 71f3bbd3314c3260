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

            When a file under the datasets folder changes (it is checked twice a second), the \
            server loads and validates the data again and serves the new graph; while the data has errors it keeps the last good \
            graph and shows the errors (path:line:col) on every page. Ctrl-C stops it.

            Examples:
              linkage serve                               then open http://127.0.0.1:8080/
              linkage serve --port 9000 --open
              linkage serve --datasets ~/linkage-datasets --port 0     (any free port; printed)
              curl 'http://127.0.0.1:8080/node/BAAP-OUT-2.1/diagram.svg?depth=2&lang=zh' -o out.svg
            """)

    @OptionGroup var dataset: DatasetOptions
    @Option(help: ArgumentHelp("Port to listen on (0: any free port).", valueName: "port"))
    var port: Int = 8080
    @Option(help: ArgumentHelp(
        "Address to listen on.",
        discussion: "127.0.0.1 (the default) is reachable from this machine only; 0.0.0.0 makes the explorer reachable from the network, without authentication.",
        valueName: "host"))
    var host: String = "127.0.0.1"
    @Flag(help: "Open the start page in the default browser (xdg-open).")
    var open = false
    @Flag(name: .customLong("no-access-log"), help: "Do not log each request on standard error.")
    var noAccessLog = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
    }

    func run() throws {
        let root = try dataset.resolveDatasets()
        let configuration = ExplorerServer.Configuration(host: host, port: port, datasets: root, accessLog: !noAccessLog)
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

private func openInBrowser(_ url: URL) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["xdg-open", url.absoluteString]
    do { try process.run() } catch { Console.error("warning: cannot open a browser (\(error)); open \(url.absoluteString)") }
}
