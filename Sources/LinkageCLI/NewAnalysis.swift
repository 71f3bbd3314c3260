import ArgumentParser
import Foundation
import LinkageKit

/// `linkage new-analysis NAME [--swift | --python]`: a working analysis to start from, with its
/// test, registered, and its outputs added to graphs/ so that the test command passes at once.
struct NewAnalysis: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-analysis",
        abstract: "Start a new analysis: a built-in Swift plugin, or an external Python program.",
        discussion: """
            --swift (the default) writes Plugins/NAME/Sources/NAME.swift, its sentences in \
            English and Chinese in Plugins/NAME/Sources/Strings/ and \
            Plugins/NAME/Tests/NAMETests.swift and adds "NAME", to analysisPlugins in \
            Package.swift; --python writes analyses/ID (an executable using \
            analyses/linkage_analysis.py, standard library only) and analyses/tests/test_ID.py. \
            Either one works as written: it lists a plan's elements with the SDG goals they reach, \
            as a table, findings and a diagram. Then graphs/ is refreshed (for --swift this builds \
            the workbench first; --no-refresh skips it), so the test command passes right away. \
            Existing files are never overwritten.

            Examples:
              linkage new-analysis BudgetCoverage              Plugins/BudgetCoverage, id budget-coverage
              linkage new-analysis Centrality --python         analyses/centrality
              swift build --build-tests && swift test --skip-build --filter BudgetCoverageTests
              python3 -m unittest discover -s analyses/tests -t analyses
            """)

    @Argument(help: "The analysis name in UpperCamelCase (BudgetCoverage); its id is the kebab-case form (budget-coverage).")
    var name: String
    @Flag(help: "A built-in analysis: a Swift plugin target under Plugins/ (the default).")
    var swift = false
    @Flag(help: "An external analysis: a Python program under analyses/.")
    var python = false
    @Flag(help: "Do not refresh graphs/ (for --swift: do not build).")
    var noRefresh = false

    func validate() throws {
        if swift && python { throw ValidationError("choose one of --swift and --python") }
        guard let first = name.first, first.isASCII, first.isUppercase,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw ValidationError("the name is UpperCamelCase ASCII letters and digits, like BudgetCoverage (got '\(name)')")
        }
    }

    /// `BudgetCoverage` -> `budget-coverage`.
    static func identifier(for name: String) -> String {
        var id = ""
        for (index, character) in name.enumerated() {
            if character.isUppercase && index > 0 { id.append("-") }
            id.append(Character(character.lowercased()))
        }
        return id
    }

    func run() throws {
        guard let root = RepositoryLocator.root() else {
            throw usageError("run new-analysis inside the linkage repository (no datasets/vocabulary.yaml above this folder)")
        }
        let id = Self.identifier(for: name)
        let written = python ? try scaffoldPython(root: root, id: id) : try scaffoldSwift(root: root, id: id)
        for path in written { print("wrote \(path)") }
        if noRefresh {
            print("next: refresh graphs/ (`linkage all`) before running the test command")
            return
        }
        try refreshGraphs(root: root)
        if python {
            print("next: edit analyses/\(id); test it with `python3 -m unittest discover -s analyses/tests -t analyses` or scripts/test.sh")
        } else {
            print("next: edit Plugins/\(name)/Sources/\(name).swift; test it with `swift build --build-tests && swift test --skip-build --filter \(name)Tests`")
        }
    }

    // MARK: Swift

    func scaffoldSwift(root: URL, id: String) throws -> [String] {
        let folder = root.appendingPathComponent("Plugins/\(name)")
        let manifest = root.appendingPathComponent("Package.swift")
        guard !FileManager.default.fileExists(atPath: folder.path) else { throw usageError("Plugins/\(name) already exists") }
        var package = try String(contentsOf: manifest, encoding: .utf8)
        guard let listStart = package.range(of: "let analysisPlugins: [String] = [\n"),
              let listEnd = package.range(of: "]", range: listStart.upperBound..<package.endIndex) else {
            throw CommandFailure(status: .outputFailed, message: "Package.swift has no `let analysisPlugins: [String] = [` list to register the plugin in")
        }
        var names = package[listStart.upperBound..<listEnd.lowerBound].split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\",")) }
            .filter { !$0.isEmpty }
        if names.contains(name) { throw usageError("Package.swift already registers \"\(name)\"") }
        names.append(name)
        names.sort()
        package.replaceSubrange(listStart.upperBound..<listEnd.lowerBound,
                                with: names.map { "    \"\($0)\",\n" }.joined())
        let files = [
            "Plugins/\(name)/Sources/\(name).swift": SwiftTemplate.source(name: name, id: id),
            "Plugins/\(name)/Tests/\(name)Tests.swift": SwiftTemplate.tests(name: name, id: id),
            "Plugins/\(name)/Sources/Strings/Catalogue.swift": SwiftTemplate.catalogue(),
            "Plugins/\(name)/Sources/Strings/en.swift": SwiftTemplate.english(name: name),
            "Plugins/\(name)/Sources/Strings/zh.swift": SwiftTemplate.chinese(name: name),
        ]
        try write(files, root: root)
        try writeFile(Data(package.utf8), to: manifest)
        return files.keys.sorted() + ["Package.swift (registered \"\(name)\" in analysisPlugins)"]
    }

    // MARK: Python

    func scaffoldPython(root: URL, id: String) throws -> [String] {
        let analyses = root.appendingPathComponent("analyses")
        let program = "analyses/\(id)"
        guard !FileManager.default.fileExists(atPath: root.appendingPathComponent(program).path) else {
            throw usageError("\(program) already exists")
        }
        var files = [
            program: PythonTemplate.program(name: name, id: id),
            "analyses/tests/test_\(id.replacingOccurrences(of: "-", with: "_")).py": PythonTemplate.tests(id: id),
        ]
        if !FileManager.default.fileExists(atPath: analyses.appendingPathComponent("tests/__init__.py").path) {
            files["analyses/tests/__init__.py"] = ""
        }
        for path in files.keys where FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) {
            throw usageError("\(path) already exists")
        }
        var written = files.keys.sorted()
        // The helper module sits next to the programs that import it: link the repository's copy.
        let helper = analyses.appendingPathComponent("linkage_analysis.py")
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: helper.path)) == nil
            && !FileManager.default.fileExists(atPath: helper.path) {
            let source = root.appendingPathComponent("examples/analyses/linkage_analysis.py")
            guard FileManager.default.fileExists(atPath: source.path) else {
                throw CommandFailure(status: .outputFailed, message: "examples/analyses/linkage_analysis.py is missing: the helper module the program imports")
            }
            try FileManager.default.createDirectory(at: analyses, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: helper.path, withDestinationPath: "../examples/analyses/linkage_analysis.py")
            written.append("analyses/linkage_analysis.py (a link to examples/analyses/linkage_analysis.py)")
        }
        try write(files, root: root)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root.appendingPathComponent(program).path)
        return written
    }

    // MARK: Helpers

    func write(_ files: [String: String], root: URL) throws {
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            try writeFile(Data(text.utf8), to: root.appendingPathComponent(path))
        }
    }

    func writeFile(_ data: Data, to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw CommandFailure(status: .outputFailed, message: "cannot write \(SourceLocation.displayPath(url.path)): \(error.localizedDescription)")
        }
    }

    /// Brings graphs/ up to date with the new analysis, so the staleness test passes. A Swift
    /// plugin must be compiled first: this builds the workbench (debug, as the test command does)
    /// and runs the fresh `linkage all`.
    func refreshGraphs(root: URL) throws {
        if python {
            print("refreshing graphs/ (linkage all)")
            let all = try All.parse(["--quiet"])
            try all.run()
            return
        }
        print("building the workbench with the new plugin (swift build --product linkage), then refreshing graphs/")
        try runChild("/usr/bin/env", ["swift", "build", "--product", "linkage"], in: root)
        try runChild(root.appendingPathComponent(".build/debug/linkage").path, ["all", "--quiet"], in: root)
    }

    func runChild(_ executable: String, _ arguments: [String], in directory: URL) throws {
        fflush(nil)  // what this command printed comes before what the child prints
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        do {
            try process.run()
        } catch {
            throw CommandFailure(status: .analysisFailed, message: "could not run \(executable): \(error.localizedDescription)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailure(status: .analysisFailed,
                                 message: "`\(([executable] + arguments).joined(separator: " "))` failed (status \(process.terminationStatus)); the new files are written, fix and run `linkage all`")
        }
    }
}
