import Foundation
import LinkageKit

/// Paths of the repository, for tests that work on the real datasets and fixtures.
public enum Repository {
    /// The repository root (this file is Tests/LinkageTestSupport/Repository.swift).
    public static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().standardizedFileURL

    public static var datasets: URL { root.appendingPathComponent("datasets") }
    public static var graphs: URL { root.appendingPathComponent("graphs") }
    public static var fixtures: URL { root.appendingPathComponent("Tests/Fixtures") }
    public static func fixture(_ name: String) -> URL { fixtures.appendingPathComponent(name) }

    /// The seed documents, when this machine has them ($LINKAGE_SOURCES or ../shared/seeds).
    public static var seeds: URL? {
        if let path = ProcessInfo.processInfo.environment["LINKAGE_SOURCES"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let sibling = root.deletingLastPathComponent().appendingPathComponent("shared/seeds")
        return FileManager.default.fileExists(atPath: sibling.path) ? sibling : nil
    }

    /// The `linkage` executable built alongside the tests.
    /// `$LINKAGE_EXECUTABLE` runs the command-line tests against another build (an older one,
    /// to see a regression test fail).
    public static var linkageExecutable: URL {
        if let path = ProcessInfo.processInfo.environment["LINKAGE_EXECUTABLE"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("linkage"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("linkage"),
            root.appendingPathComponent(".build/debug/linkage"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }

    /// The real datasets, loaded once per test process.
    public static let loaded: LoadResult = DatasetLoader.load(from: datasets, options: LoadOptions(sourcesDirectory: seeds))
}

/// The result of running the `linkage` executable.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var stdoutData: Data

    public init(status: Int32, stdout: String, stderr: String, stdoutData: Data) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutData = stdoutData
    }
}

/// The view cache `linkage render` uses in the tests: a folder of the test process's own, so
/// that no test reads or writes the user's ~/.cache (a test may give its own in `environment`).
public let testViewCache: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("linkage-test-cache-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

/// The environment tests run `linkage` in: the test process's, without `LINKAGE_DATASETS`, with
/// the caches (views, text measurements) in `testViewCache`, never the user's ~/.cache; then
/// `extra`.
public func linkageEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "LINKAGE_DATASETS")
    env["LINKAGE_CACHE_DIR"] = testViewCache.path
    for (key, value) in extra { env[key] = value }
    return env
}

/// Runs `linkage` with arguments in a working directory, as a user would.
public func runLinkage(_ arguments: [String], in directory: URL = Repository.root, environment: [String: String] = [:])
    throws -> CommandResult
{
    try runProgram(Repository.linkageExecutable, arguments, in: directory, environment: linkageEnvironment(environment))
}

/// Runs a program (linkage or any other) and collects its output.
public func runProgram(_ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String]? = nil)
    throws -> CommandResult
{
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    if let environment { process.environment = environment }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes while the process runs, so that large outputs cannot block it.
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
        outData = out.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    group.wait()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self), stdoutData: outData)
}

/// A fresh temporary folder, removed by the caller with `try? FileManager.default.removeItem`.
public func makeTemporaryDirectory(_ name: String = "linkage-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Copies a folder tree.
public func copyDirectory(_ source: URL, to destination: URL) throws {
    try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: source, to: destination)
}

/// Every regular file below a folder, as sorted relative paths (dot files skipped).
public func relativeFiles(in directory: URL) -> [String] {
    guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
    var files: [String] = []
    let base = directory.standardizedFileURL.path
    for case let url as URL in enumerator {
        guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
        let path = url.standardizedFileURL.path
        files.append(String(path.dropFirst(base.count + 1)))
    }
    return files.sorted()
}
