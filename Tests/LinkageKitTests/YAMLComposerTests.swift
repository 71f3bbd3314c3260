import Foundation
@testable import LinkageKit
import LinkageTestSupport
import Testing
import Yams

/// The loader composes YAML from libyaml's events itself (issue 9: composing through Yams was
/// the larger part of loading a big plan). These tests hold it to what `Yams.compose` gives:
/// the same tree for every bundled data file, and the same error at the same place for broken
/// text.
@Suite("YAML composer")
struct YAMLComposerTests {
    /// Every YAML file of the bundled datasets and of the test fixtures.
    static let files: [URL] = [Repository.datasets, Repository.fixtures].flatMap { folder -> [URL] in
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        return (enumerator?.allObjects as? [URL] ?? []).filter { ["yaml", "yml"].contains($0.pathExtension) }
    }.sorted { $0.path < $1.path }

    @Test func everyBundledFileComposesAsYamsComposesIt() throws {
        #expect(Self.files.count > 20)
        var compared = 0
        for file in Self.files {
            guard let text = try? String(contentsOf: file, encoding: .utf8),
                  let expected = try? Yams.compose(yaml: text), !text.contains("*") || !text.contains("&")
            else { continue }
            let log = DiagnosticLog()
            guard case .node(let node) = YAMLComposer.compose(text, file: file.path, log: log) else {
                Issue.record("\(file.path): \(log.all.map(\.description))")
                continue
            }
            #expect(Self.difference(node, expected).map { "\(file.path): \($0)" } == nil)
            compared += 1
        }
        #expect(compared > 20)
    }

    /// Broken text: the message and place the two-pass reading (Yams.compose) reported.
    @Test(arguments: [
        "a: [1, 2\nb: 3\n",
        "a: 1\na: 2\n",
        "outer:\n  k: {x: 1, y: 2, x: 3}\n  k: 2\n",
        "b: 1\na: 1\nb: 2\na: 2\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\n---\nb: [\n",
        "a:\n  - x\n b: 2\n",
        "a: \"unterminated\n",
        "a: 1\n\tb: 2\n",
        "a: b: c\n",
        "a: \u{7}\n",
        "x: 1\ny: {a: 1, a: 2}\nz: [\n",
        "- [a, b\n- c\n",
        "? [a, b]\n: 1\n? [a, b]\n: 2\n",
    ])
    func brokenTextIsReportedAsYamsReportedIt(_ text: String) {
        let log = DiagnosticLog()
        let outcome = YAMLComposer.compose(text, file: "t.yaml", log: log)
        let expected = Self.yamsError(text)
        guard case .failed = outcome else {
            Issue.record("composed, but Yams said \(expected.map { "\($0)" } ?? "nothing")")
            return
        }
        #expect(log.all.count == 1)
        #expect(log.all.first.map { "\($0.location!.line):\($0.location!.column): \($0.message)" } == expected)
    }

    /// Keys equal only in text are different keys to YAML (`1` is a number, `'1'` text), as
    /// they were to Yams; the reader then reports them as a duplicate key of the mapping.
    @Test func keysDifferingInTypeAreNotDuplicatesToTheComposer() {
        let log = DiagnosticLog()
        guard case .node(.mapping(let pairs, _)) = YAMLComposer.compose("1: a\n'1': b\n", file: "t.yaml", log: log) else {
            Issue.record("not composed: \(log.all)")
            return
        }
        #expect(pairs.count == 2)
        #expect((try? Yams.compose(yaml: "1: a\n'1': b\n")) != nil)
    }

    @Test func emptyTextAndCommentsAreNoDocument() {
        for text in ["", "# only a comment\n", "\n\n"] {
            guard case .empty = YAMLComposer.compose(text, file: "t.yaml", log: DiagnosticLog()) else {
                Issue.record("\(text.debugDescription) is not empty")
                continue
            }
        }
    }

    // MARK: Reference

    /// How the loader worded Yams's errors before it composed the tree itself.
    static func yamsError(_ text: String) -> String? {
        do {
            _ = try Yams.compose(yaml: text)
            return nil
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                 .composer(let context, let problem, let mark, _):
                return "\(mark.line):\(mark.column): YAML syntax error: \(context.map { "\($0.text) " } ?? "")\(problem)"
            case .reader(let problem, let offset, let value, _):
                let (line, column) = offset.map { InputFiles.position(ofByte: $0, in: text) } ?? (1, 1)
                let character = value >= 0 ? String(format: " (U+%04X)", value) : ""
                return "\(line):\(column): YAML syntax error: \(problem)\(character)"
            case .duplicatedKeysInMapping(let duplicates, let context):
                let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
                return "\(context.mark.line):\(context.mark.column): YAML syntax error: key \(keys) is written twice in this mapping (the first is here)"
            default:
                return "\(error)"
            }
        } catch {
            return "\(error)"
        }
    }

    /// Where two trees differ (kind, text, style, tag, position), or nil.
    static func difference(_ node: YAMLNode, _ yams: Yams.Node, at path: String = "") -> String? {
        guard node.mark.line == yams.mark?.line, node.mark.column == yams.mark?.column else {
            return "\(path): at \(node.mark.line):\(node.mark.column), Yams \(String(describing: yams.mark))"
        }
        switch (node, yams) {
        case (.scalar(let a), .scalar(let b)):
            if a.string != b.string { return "\(path): '\(a.string)' ≠ '\(b.string)'" }
            if a.style != b.style { return "\(path): style \(a.style) ≠ \(b.style)" }
            if node.yams.tag != yams.tag { return "\(path): tag \(node.yams.tag) ≠ \(yams.tag)" }
            return nil
        case (.sequence(let items, _), .sequence(let other)):
            guard items.count == other.count else { return "\(path): \(items.count) items ≠ \(other.count)" }
            for (index, (a, b)) in zip(items, other).enumerated() {
                if let difference = difference(a, b, at: "\(path)[\(index)]") { return difference }
            }
            return nil
        case (.mapping(let pairs, _), .mapping(let other)):
            guard pairs.count == other.count else { return "\(path): \(pairs.count) pairs ≠ \(other.count)" }
            for ((key, value), (otherKey, otherValue)) in zip(pairs, other) {
                if let difference = difference(key, otherKey, at: "\(path)/key") { return difference }
                if let difference = difference(value, otherValue, at: "\(path)/\(key.string ?? "?")") { return difference }
            }
            return nil
        default:
            return "\(path): different kinds"
        }
    }
}
