import Foundation
import LinkageTestSupport
import Testing

/// `linkage serve` as a user starts it: the real executable, its address on standard error,
/// `--open`, and a clean stop on SIGTERM. (Pages, diagrams and live data are tested through the
/// server library in LinkageServerTests.)
@Suite("linkage serve command", .serialized)
struct ServeCommandTests {
    /// `linkage serve` on the bundled datasets on a free port, started in `folder`, its standard
    /// error going to `folder/stderr.txt` (read while it runs); external analyses from the
    /// environment left out.
    func startServe(in folder: URL, _ arguments: [String] = [], environment changes: [String: String] = [:]) throws
        -> (process: Process, log: URL)
    {
        let process = Process()
        process.executableURL = Repository.linkageExecutable
        process.arguments = ["serve", "--port", "0", "--no-access-log", "--datasets", Repository.datasets.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "LINKAGE_ANALYSES")
        environment.merge(changes) { _, new in new }
        process.environment = environment
        process.currentDirectoryURL = folder
        let log = folder.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, log)
    }

    /// `--open` hands the server's address to the browser named by $BROWSER (here a script in
    /// the test's folder that writes down what it was given); the address it gets is the one the
    /// server prints and answers on.
    @Test func openHandsTheAddressToTheBrowser() throws {
        let folder = try makeTemporaryDirectory("serve-open")
        defer { try? FileManager.default.removeItem(at: folder) }
        let opened = folder.appendingPathComponent("opened.txt")
        let browser = folder.appendingPathComponent("browser")
        // Written to a temporary name and renamed, so the test never reads half a line.
        try """
            #!/bin/sh
            printf '%s\\n' "$@" > '\(opened.path).tmp' && mv '\(opened.path).tmp' '\(opened.path)'
            """.write(to: browser, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: browser.path)

        let (process, log) = try startServe(in: folder, ["--open"], environment: ["BROWSER": browser.path])
        defer { if process.isRunning { process.terminate() } }

        // Not a timing: a debug build on a busy machine may take many seconds to start.
        let deadline = Date().addingTimeInterval(90)
        while !FileManager.default.fileExists(atPath: opened.path) && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let lines = (try? String(contentsOf: opened, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
        #expect(lines.count == 1, "the browser was given \(lines)")
        let address = try #require(lines.first)
        #expect(address.range(of: #"^http://127\.0\.0\.1:\d+/$"#, options: .regularExpression) != nil, "\(address)")
        // The address answers: the start page of this server.
        let start = try String(contentsOf: try #require(URL(string: address)), encoding: .utf8)
        #expect(start.contains("<h1>Linkage graph</h1>"))

        process.terminate()
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "\(stderr)")
        #expect(stderr.contains("linkage serve: \(address) (datasets: "), "\(stderr)")
        #expect(stderr.contains("linkage serve: stopped"))
        #expect(!stderr.contains("cannot open a browser"))
    }

    /// Without $BROWSER and xdg-open, --open says where to go instead of failing.
    @Test func openWithoutABrowserSaysWhereToGo() throws {
        let folder = try makeTemporaryDirectory("serve-open-none")
        defer { try? FileManager.default.removeItem(at: folder) }
        // A PATH with no xdg-open on it (the test's empty folder).
        let (process, log) = try startServe(in: folder, ["--open"], environment: [
            "BROWSER": folder.appendingPathComponent("no-such-browser").path, "PATH": folder.path,
        ])
        defer { if process.isRunning { process.terminate() } }
        let deadline = Date().addingTimeInterval(90)
        var text = ""
        while Date() < deadline && process.isRunning {
            text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if text.contains("cannot open a browser") { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        process.waitUntilExit()
        text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(text.contains("warning: cannot open a browser (\(folder.path)/no-such-browser: not found; xdg-open: not found); open http://127.0.0.1:"), "\(text)")
        #expect(process.terminationStatus == 0, "\(text)")
    }

    /// Headless Chromium (Debian's `chromium`) on `linkage serve` as a user starts it: start
    /// page, a search typed in Chinese, a click on a result, a click on a neighbour in the SVG
    /// diagram landing on its page; no console errors. Screenshots go to a folder the test
    /// creates and removes; set LINKAGE_SCREENSHOTS=DIR (a folder of yours) to keep them for
    /// people to look at.
    ///
    /// The server runs as its own process, not inside the test runner: there, on two cores, tests
    /// that wait for programs (this one waits for the walk) could hold both of the threads Swift
    /// concurrency runs on, the server's handlers waited behind them, and the browser's page
    /// load timed out now and then (and cancelling the server with a connection still queued
    /// then crashed the test process in NIO).
    @Test func aBrowserWalksFromSearchThroughTheDiagram() throws {
        let folder = try makeTemporaryDirectory("serve-walk")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (process, log) = try startServe(in: folder)
        defer { if process.isRunning { process.terminate() } }

        // The address the server prints; not a timing: a debug build on a busy machine may take
        // many seconds to start.
        let deadline = Date().addingTimeInterval(90)
        var address: String?
        while address == nil && Date() < deadline && process.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            address = text.firstMatch(of: #/linkage serve: (http://127\.0\.0\.1:\d+/) /#).map { String($0.output.1) }
            if address == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        let base = try #require(address, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")

        let kept = ProcessInfo.processInfo.environment["LINKAGE_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }
        let screenshots = kept ?? folder.appendingPathComponent("screenshots")
        let walk = try runProgram(URL(fileURLWithPath: "/usr/bin/env"),
                                  ["python3", Repository.root.appendingPathComponent("Tests/Tools/browser_walk.py").path,
                                   base, "灾害风险的减少和应急通信", "BAAP-OUT-2.3", screenshots.path], in: folder)
        #expect(walk.status == 0, "\(walk.stdout)\(walk.stderr)")
        #expect(walk.stdout.contains("\"ok\": true"))
        for name in ["start", "search", "node", "neighbour"] {
            #expect(FileManager.default.fileExists(atPath: screenshots.appendingPathComponent("\(name).png").path))
        }
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }
}
