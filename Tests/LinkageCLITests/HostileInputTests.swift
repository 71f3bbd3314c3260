import Foundation
import LinkageTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Broken and hostile dataset folders through the real command line (the input side of issue
/// 8). Each case damages a copy of the valid mini datasets in one way; `validate` must exit 1
/// with the expected diagnostic, every error line must have the compiler's
/// `path:line:col: error: message` form, and `all -o DIR` must exit 1 without creating DIR.
/// Nothing may hang or crash: a FIFO or a file outside the datasets folder that were opened
/// would block or show up in the output.
@Suite("Hostile input")
struct HostileInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// Damages the datasets folder (`datasets/` holds `vocabulary.yaml`, `plan/`, `reference/`).
        var damage: @Sendable (URL) throws -> Void
        /// A line of `validate`'s output must hold all of these.
        var expected: [String]
        /// The damage leaves every data file listed in its manifest (so no `unlisted-file` warning).
        var listsItsFiles = true
        var testDescription: String { name }
    }

    static let aliasBomb = """
        defaults: {doc: doc}
        nodes:
          - id: PLAN-OBJ-1
            kind: plan-objective
            label: {zh: 基础设施, en: Infrastructure}
            cite: {at: "§1"}
            attributes:
              a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]
              b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
              c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
              d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
              e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
              f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
              g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
              h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
              i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
              j: [*i, *i, *i, *i, *i, *i, *i, *i, *i, *i]

        """

    static func file(_ datasets: URL, _ path: String) -> URL { datasets.appendingPathComponent(path) }
    static func write(_ text: String, _ datasets: URL, _ path: String) throws {
        try text.write(to: file(datasets, path), atomically: true, encoding: .utf8)
    }
    static func edit(_ datasets: URL, _ path: String, _ change: (String) -> String) throws {
        let url = file(datasets, path)
        try change(try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
    }
    /// Adds `name` to the files the plan dataset's manifest lists.
    static func list(_ name: String, _ datasets: URL) throws {
        try edit(datasets, "plan/manifest.yaml") { $0.replacingOccurrences(of: "files: [plan.yaml]", with: "files: [plan.yaml, '\(name)']") }
    }
    static func appendNode(_ yaml: String, _ datasets: URL) throws {
        try edit(datasets, "plan/plan.yaml") { $0.replacingOccurrences(of: "nodes:\n", with: "nodes:\n" + yaml) }
    }

    static let cases: [Case] = [
        Case(name: "empty manifest", damage: { try write("", $0, "plan/manifest.yaml") },
             expected: ["plan/manifest.yaml:1:1: error: manifest.yaml is empty"]),
        Case(name: "comment-only manifest", damage: { try write("# a manifest\n# to be written\n", $0, "plan/manifest.yaml") },
             expected: ["plan/manifest.yaml:1:1: error: manifest.yaml is empty"]),
        Case(name: "empty vocabulary", damage: { try write("   \n", $0, "vocabulary.yaml") },
             expected: ["vocabulary.yaml:1:1: error: vocabulary.yaml is empty"]),
        Case(name: "all data files empty", damage: { try write("# nothing yet\n", $0, "plan/plan.yaml") },
             expected: ["plan/manifest.yaml:1:1: error: dataset 'plan' defines nothing"]),
        Case(name: "manifest without files", damage: { datasets in
                 try edit(datasets, "plan/manifest.yaml") { $0.replacingOccurrences(of: "files: [plan.yaml]\n", with: "") }
             }, expected: ["plan/manifest.yaml:1:1: error: the manifest is missing 'files'"], listsItsFiles: false),
        Case(name: "a path with ..", damage: { datasets in
                 try "nodes: [oops\n".write(to: datasets.deletingLastPathComponent().appendingPathComponent("outside.yaml"),
                                           atomically: true, encoding: .utf8)
                 try list("../../outside.yaml", datasets)
             }, expected: ["plan/manifest.yaml:8:20: error: '../../outside.yaml' leaves the dataset folder", "[outside-dataset]"]),
        Case(name: "an absolute path", damage: { try list("/etc/passwd", $0) },
             expected: ["plan/manifest.yaml:8:20: error: '/etc/passwd' is an absolute path"]),
        Case(name: "a symbolic link out of the folder", damage: { datasets in
                 try "nodes: [oops\n".write(to: datasets.deletingLastPathComponent().appendingPathComponent("outside.yaml"),
                                           atomically: true, encoding: .utf8)
                 try FileManager.default.createSymbolicLink(atPath: file(datasets, "plan/linked.yaml").path,
                                                            withDestinationPath: "../../outside.yaml")
                 try list("linked.yaml", datasets)
             }, expected: ["plan/manifest.yaml:8:20: error: 'linked.yaml' is a symbolic link to", "outside the dataset folder"]),
        Case(name: "a seed file outside the sources folder", damage: { datasets in
                 try edit(datasets, "plan/manifest.yaml") { $0.replacingOccurrences(of: "file: test-plan.txt", with: "file: ../../../etc/passwd") }
             }, expected: ["plan/manifest.yaml:5:11: error: source file '../../../etc/passwd' must be a file name in the sources folder"]),
        Case(name: "a FIFO", damage: { datasets in
                 #expect(mkfifo(file(datasets, "plan/fifo.yaml").path, 0o600) == 0)
                 try list("fifo.yaml", datasets)
             }, expected: ["plan/manifest.yaml:8:20: error: cannot read", "fifo.yaml': it is a FIFO, not a regular file"]),
        Case(name: "a folder", damage: { datasets in
                 try FileManager.default.createDirectory(at: file(datasets, "plan/folder.yaml"), withIntermediateDirectories: false)
                 try list("folder.yaml", datasets)
             }, expected: ["plan/manifest.yaml:8:20: error: cannot read", "folder.yaml': it is a folder, not a regular file"]),
        Case(name: "a symbolic link loop", damage: { datasets in
                 try FileManager.default.createSymbolicLink(atPath: file(datasets, "plan/loop.yaml").path, withDestinationPath: "loop.yaml")
                 try list("loop.yaml", datasets)
             }, expected: ["plan/manifest.yaml:8:20: error: cannot read", "loop.yaml': too many levels of symbolic links"]),
        Case(name: "a file over the size limit", damage: { datasets in
                 try write("nodes: []\n" + String(repeating: "# padding padding padding padding padding padding padding\n", count: 80_000),
                           datasets, "plan/plan.yaml")
             }, expected: ["plan/manifest.yaml:8:9: error: '", "plan.yaml' is 4640010 bytes; the limit for a YAML file is 4194304 bytes"]),
        Case(name: "an alias bomb", damage: { try write(aliasBomb, $0, "plan/plan.yaml") },
             expected: ["plan/plan.yaml:9:14: error: YAML alias '*a' is not allowed in dataset files (and 89 more in this file)", "[yaml-alias]"]),
        Case(name: "deep nesting", damage: { datasets in
                 try write("nodes:\n  " + String(repeating: "- ", count: 200) + "x\n", datasets, "plan/plan.yaml")
             }, expected: ["plan/plan.yaml:2:", "error: lists and mappings are nested more than 64 deep here (the limit) [too-deep]"]),
        // libyaml's own limit (1,000 levels) meets flow lists first, while it scans ahead.
        Case(name: "deep flow nesting", damage: { datasets in
                 try write("nodes: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n", datasets, "plan/plan.yaml")
             }, expected: ["plan/plan.yaml:1:9: error: YAML syntax error:", "Maximum nesting level reached"]),
        Case(name: "invalid UTF-8", damage: { datasets in
                 var bytes = Array("defaults:\n  doc: doc\nnodes: [\"ab".utf8)
                 bytes += [0xFF, 0xFE]
                 bytes += Array("\"]\n".utf8)
                 try Data(bytes).write(to: file(datasets, "plan/plan.yaml"))
             }, expected: ["plan/plan.yaml:3:12: error: 'datasets/plan/plan.yaml' is not UTF-8 text: the first invalid byte is here"]),
        Case(name: "a NUL byte", damage: { datasets in
                 try write("defaults:\n  doc: doc\nnodes: [\"ab\u{0}\"]\n", datasets, "plan/plan.yaml")
             }, expected: ["plan/plan.yaml:3:12: error: YAML syntax error: control characters are not allowed (U+0000)"]),
        Case(name: "a duplicate key", damage: { datasets in
                 try edit(datasets, "plan/plan.yaml") { $0.replacingOccurrences(of: "    cite: {at: \"§1\"}\n", with: "    cite: {at: \"§1\"}\n    kind: plan-output\n") }
             }, expected: ["plan/plan.yaml:5:5: error: YAML syntax error: key 'kind' is written twice in this mapping (the first is here)"]),
        Case(name: "a catastrophic id_pattern", damage: { datasets in
                 try edit(datasets, "plan/manifest.yaml") { $0.replacingOccurrences(of: "'PLAN-OBJ-[0-9]'", with: "'PLAN-OBJ-[0-9]|X-(A+)+B'") }
                 try appendNode("  - {id: X-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACB, kind: plan-objective, label: {zh: x, en: x}, cite: {at: x}}\n", datasets)
             }, expected: ["plan/plan.yaml:4:10: error: id 'X-AAAA", "cannot be checked against the id_pattern of kind plan-objective within 100000 steps", "[pattern-too-complex]"]),
        Case(name: "an invalid id_pattern", damage: { datasets in
                 try edit(datasets, "plan/manifest.yaml") { $0.replacingOccurrences(of: "'PLAN-OBJ-[0-9]'", with: "'PLAN-OBJ-([0-9]'") }
             }, expected: ["plan/manifest.yaml:13:17: error: id_pattern of kind 'plan-objective' is not a valid regular expression: missing closing parenthesis at character 16"]),
        Case(name: "a 1 MiB label", damage: { datasets in
                 try edit(datasets, "plan/plan.yaml") { $0.replacingOccurrences(of: "en: Infrastructure", with: "en: " + String(repeating: "x", count: 1 << 20)) }
             }, expected: ["plan/plan.yaml:6:27: error: label of PLAN-OBJ-1.en is 1048576 characters long; the limit is 1000", "[too-long]"]),
        Case(name: "a 1 MiB attribute", damage: { datasets in
                 try appendNode("  - {id: PLAN-OBJ-7, kind: plan-objective, label: {zh: x, en: x}, cite: {at: x}, attributes: {note: \(String(repeating: "y", count: 1 << 20))}}\n", datasets)
             }, expected: ["plan/plan.yaml:4:101: error: attribute 'note' is 1048576 characters long; the limit is 20000"]),
        Case(name: "an infinite attribute", damage: { datasets in
                 try appendNode("  - {id: PLAN-OBJ-7, kind: plan-objective, label: {zh: x, en: x}, cite: {at: x}, attributes: {budget: .inf}}\n", datasets)
             }, expected: ["plan/plan.yaml:4:103: error: attribute 'budget' is not a finite number ('.inf')", "[non-finite]"]),
        Case(name: "a NaN attribute", damage: { datasets in
                 try appendNode("  - {id: PLAN-OBJ-7, kind: plan-objective, label: {zh: x, en: x}, cite: {at: x}, attributes: {share: [1, .NaN]}}\n", datasets)
             }, expected: ["plan/plan.yaml:4:106: error: attribute 'share' is not a finite number ('.NaN')"]),
        Case(name: "an overflowing number", damage: { datasets in
                 try appendNode("  - {id: PLAN-OBJ-7, kind: plan-objective, label: {zh: x, en: x}, cite: {at: x}, attributes: {budget: 1e999}}\n", datasets)
             }, expected: ["plan/plan.yaml:4:103: error: attribute 'budget' is not a finite number ('1e999')"]),
        Case(name: "a part-of cycle", damage: { datasets in
                 try appendNode("  - {id: PLAN-OBJ-8, kind: plan-objective, label: {zh: x, en: x}, cite: {at: x}, links: [{relation: part-of, targets: [PLAN-OBJ-9]}]}\n"
                                + "  - {id: PLAN-OBJ-9, kind: plan-objective, label: {zh: y, en: y}, cite: {at: y}, links: [{relation: part-of, targets: [PLAN-OBJ-8]}]}\n", datasets)
             }, expected: ["plan/plan.yaml:5:", "error: part-of cycle: PLAN-OBJ-8 → PLAN-OBJ-9 → PLAN-OBJ-8 (a part cannot contain itself) [part-of-cycle]"]),
        Case(name: "a requires cycle", damage: { datasets in
                 try edit(datasets, "reference/manifest.yaml") { $0.replacingOccurrences(of: "files:", with: "requires: [plan]\nfiles:") }
             }, expected: ["manifest.yaml:", "error: datasets require each other in a cycle: plan → reference → plan", "[requires-cycle]"]),
        // Found by scripts/fuzz-loader.sh: a diagnostic quoting a key with a line break took two lines.
        Case(name: "a key with a line break", damage: { datasets in
                 try appendNode("  - {id: PLAN-OBJ-7, kind: plan-objective, label: {zh: x, en: x}, cite: {at: x}, \"bad\\nkey\": 1}\n", datasets)
             }, expected: ["plan/plan.yaml:4:", "error: unknown key 'bad\\u{A}key' in a node"]),
        // Each unknown id got a "did you mean" hint computed against every id: 60,000 of them
        // among 20,000 ids (a 2 MB file) took more than 10 minutes. Only the first 200 get one now.
        Case(name: "many unknown references", damage: { datasets in
                 try edit(datasets, "plan/manifest.yaml") {
                     $0.replacingOccurrences(of: "kinds:\n", with: "kinds:\n  - {id: bulk, label: {zh: x, en: x}, role: other, id_pattern: 'N-[0-9]+'}\n")
                 }
                 let nodes = (0..<20_000).map { "  - {id: N-\($0), kind: bulk, label: {zh: x, en: x}, cite: {at: x}}\n" }.joined()
                 let targets = (0..<60_000).map { "U-\($0)" }.joined(separator: ", ")
                 try write("defaults: {doc: doc}\nnodes:\n\(nodes)links:\n  - {from: N-1, relation: mentions, cite: {at: x}, targets: [\(targets)]}\n",
                           datasets, "plan/plan.yaml")
             }, expected: ["plan/plan.yaml:20004:", "error: unknown id 'U-59999' (mentions link of N-1): no dataset defines it [unknown-id]"]),
        Case(name: "an id with a line break", damage: { datasets in
                 try appendNode("  - {id: \"PLAN-OBJ-7\\nX\", kind: plan-objective, label: {zh: x, en: x}, cite: {at: x}}\n", datasets)
             }, expected: ["plan/plan.yaml:4:10: error: id 'PLAN-OBJ-7\\u{A}X' holds a line break", "[malformed-id]"]),
        Case(name: "an id with a bidi override", damage: { datasets in
                 try appendNode("  - {id: \"PLAN-OBJ-\\u202E7\", kind: plan-objective, label: {zh: x, en: x}, cite: {at: x}}\n", datasets)
             }, expected: ["plan/plan.yaml:4:10: error: id 'PLAN-OBJ-\\u{202E}7' holds the invisible character \\u{202E}"]),
    ]

    static func datasetsCopy() throws -> (work: URL, datasets: URL) {
        let work = try makeTemporaryDirectory("hostile-input")
        let datasets = work.appendingPathComponent("datasets")
        try copyDirectory(Repository.fixture("valid-mini"), to: datasets)
        return (work, datasets)
    }

    /// `path:line:col: error: message [check]`.
    nonisolated(unsafe) static let errorLine = #/^[^\s:][^:]*:[0-9]+:[0-9]+: error: .+ \[[a-z-]+\]$/#

    @Test(arguments: cases)
    func isAPositionedErrorAndWritesNothing(_ hostile: Case) throws {
        let (work, datasets) = try Self.datasetsCopy()
        defer { try? FileManager.default.removeItem(at: work) }
        try hostile.damage(datasets)

        let validate = try runLinkage(["validate", "--datasets", "datasets"], in: work)
        #expect(validate.status == 1, "\(hostile.name): validate exits 1\n\(validate.stdout)\(validate.stderr)")
        let lines = validate.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { line in hostile.expected.allSatisfy(line.contains) },
                "\(hostile.name): expected a line with \(hostile.expected), got:\n\(validate.stdout.prefix(4000))")
        let errors = lines.filter { $0.contains(": error: ") }
        #expect(!errors.isEmpty)
        for line in errors {
            #expect(line.wholeMatch(of: Self.errorLine) != nil, "\(hostile.name): not path:line:col: error: …: \(line.prefix(300))")
        }
        #expect(!validate.stdout.contains("oops") && !validate.stdout.contains("root:"), "a file outside was read")
        // A listed file is never "not listed", even one that cannot be read (a symbolic-link loop).
        #expect(!hostile.listsItsFiles || !validate.stdout.contains("[unlisted-file]"), "\(hostile.name): a listed file was called unlisted:\n\(validate.stdout.prefix(2000))")

        let all = try runLinkage(["all", "--datasets", "datasets", "-o", "out"], in: work)
        #expect(all.status == 1, "\(hostile.name): all exits 1\n\(all.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("out").path), "\(hostile.name): all wrote out/")
    }

    /// A YAML file the manifest does not list is named in a warning; validate still succeeds.
    @Test func anUnlistedYAMLFileIsNamedInAWarning() throws {
        let (work, datasets) = try Self.datasetsCopy()
        defer { try? FileManager.default.removeItem(at: work) }
        try "nodes: []\n".write(to: datasets.appendingPathComponent("plan/draft.yaml"), atomically: true, encoding: .utf8)
        try "notes\n".write(to: datasets.appendingPathComponent("plan/notes.txt"), atomically: true, encoding: .utf8)
        let validate = try runLinkage(["validate", "--datasets", "datasets"], in: work)
        #expect(validate.status == 0, "\(validate.stdout)")
        #expect(validate.stdout.contains(
            "datasets/plan/draft.yaml:1:1: warning: 'draft.yaml' is in the folder of dataset plan but not listed under files in its manifest, so it is not loaded [unlisted-file]"),
            "\(validate.stdout)")
        #expect(!validate.stdout.contains("notes.txt"))
    }

    /// One empty data file beside others is a warning, not an error.
    @Test func oneEmptyDataFileIsAWarning() throws {
        let (work, datasets) = try Self.datasetsCopy()
        defer { try? FileManager.default.removeItem(at: work) }
        try "# later\n".write(to: datasets.appendingPathComponent("plan/later.yaml"), atomically: true, encoding: .utf8)
        try Self.list("later.yaml", datasets)
        let validate = try runLinkage(["validate", "--datasets", "datasets"], in: work)
        #expect(validate.status == 0, "\(validate.stdout)")
        #expect(validate.stdout.contains("datasets/plan/later.yaml:1:1: warning: 'later.yaml' is empty (no nodes, links or quirks) [empty-file]"))
    }

    /// A symbolic link that stays inside the dataset folder is an ordinary file.
    @Test func aSymbolicLinkInsideTheFolderIsRead() throws {
        let (work, datasets) = try Self.datasetsCopy()
        defer { try? FileManager.default.removeItem(at: work) }
        let plan = datasets.appendingPathComponent("plan")
        try FileManager.default.moveItem(at: plan.appendingPathComponent("plan.yaml"), to: plan.appendingPathComponent("real.yaml"))
        try FileManager.default.createSymbolicLink(atPath: plan.appendingPathComponent("plan.yaml").path, withDestinationPath: "real.yaml")
        let validate = try runLinkage(["validate", "--datasets", "datasets"], in: work)
        #expect(validate.status == 0, "\(validate.stdout)")
        #expect((validate.stdout + validate.stderr).contains("19 nodes"), "\(validate.stderr)")
        #expect(!validate.stdout.contains("real.yaml"), "the file a listed link points to is not 'unlisted'")
    }
}
