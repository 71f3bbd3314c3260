import Foundation
@testable import LinkageKit
import LinkageTestSupport
import Testing

/// The loader reads well-formed data files straight from libyaml's events and gives anything
/// else to the tree reader (issue 9). These tests hold the event reader to the tree reader: the
/// same records for every bundled data file, and a file declined whenever the tree reader has
/// something to report, so that no message can differ.
@Suite("Data file event reader")
struct DataFileEventReaderTests {
    /// The records as text, field by field (`dump` walks the boxes and tuples too). Where each
    /// attribute is written is a dictionary, whose order differs between two equal ones: sorted.
    static func text(_ contents: DataFileContents) -> String {
        var out = ""
        dump(contents.defaultDocument, to: &out)
        for node in contents.nodes {
            var record = node.record
            let locations = record.attributeLocations.sorted { $0.key < $1.key }
            record.attributeLocations = [:]
            dump(record, to: &out)
            dump(locations, to: &out)
        }
        dump(contents.links.map(\.record), to: &out)
        dump(contents.quirks, to: &out)
        return out
    }

    /// The first line where two readings differ, with its neighbours (nil when they are equal).
    static func difference(_ read: DataFileContents, _ expected: DataFileContents) -> String? {
        let a = text(read).split(separator: "\n", omittingEmptySubsequences: false)
        let b = text(expected).split(separator: "\n", omittingEmptySubsequences: false)
        guard let i = (0..<min(a.count, b.count)).first(where: { a[$0] != b[$0] }) ?? (a.count == b.count ? nil : min(a.count, b.count)) else {
            return nil
        }
        let context = { (lines: [Substring]) in lines[max(0, i - 3)..<min(lines.count, i + 2)].joined(separator: "\n") }
        return "line \(i + 1): event reader\n\(context(a))\ntree reader\n\(context(b))"
    }

    /// What the tree reader gives: records, and what it reported.
    static func treeReading(_ text: String, file: String) -> (DataFileContents?, [Diagnostic]) {
        let log = DiagnosticLog()
        guard case .node(let tree) = YAMLComposer.compose(text, file: file, log: log) else { return (nil, log.all) }
        return (DataFileReader.read(tree, file: file, log: log), log.all)
    }

    /// Every YAML file of the bundled datasets and of the test fixtures (many of them broken on
    /// purpose): the tree reader's records when it reports nothing, declined when it reports anything.
    @Test func everyFileGivesTheTreeReadersRecordsOrIsLeftToIt() throws {
        var compared = 0, left = 0
        for file in YAMLComposerTests.files {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            let (expected, diagnostics) = Self.treeReading(text, file: file.path)
            let read = DataFileEventReader.read(text, file: file.path)
            if let expected, diagnostics.isEmpty {
                guard let read else {
                    Issue.record("\(file.path): well formed, but the event reader declined it")
                    continue
                }
                #expect(Self.difference(read, expected) == nil, "\(file.path)")
                compared += 1
            } else {
                #expect(read == nil, "\(file.path): the tree reader reports \(diagnostics.map(\.description)), the event reader read it")
                left += 1
            }
        }
        // The bundled datasets' data files (nodes, links, quirks, attributes, targets with notes),
        // and manifests, vocabularies and broken fixtures left to the tree reader.
        #expect(compared > 20)
        #expect(left > 10)
    }

    static let wellFormed = """
        defaults: {doc: plan}
        links:
          - from: A
            relation: advances-sdg
            targets: [SDG-1.1, {id: SDG-1.2, as_written: "1.2", note: "a note"}]
            derived: {rule: r, justification: "why"}
            note: top-level
        nodes:
          - links:
              - relation: part-of
                targets: [B]
                cite: {doc: other, at: "p. 3", quote: "B"}
            id: A
            kind: element
            label: {en: "An element", zh: "要素"}
            description: {zh: "说明", en: "Description"}
            aliases: [a, "α"]
            cite: {at: "line 1"}
            attributes: {budget: 1200, share: 0.5, pilot: true, year: "2024", tags: [x, 2]}
          - id: B
            label: {zh: "乙", en: "B"}
        quirks:
          - cite: {doc: plan, at: "p. 4"}
            finding: "Printed twice."
            reading: "Read once."
            ids: [A]
        """

    /// Keys in any order (the file's own links written before its nodes, a node's links before
    /// its id), every kind of field: the same records as the tree reader's, in its order.
    @Test func aFileWithEveryFieldGivesTheSameRecords() throws {
        let (expected, diagnostics) = Self.treeReading(Self.wellFormed, file: "t.yaml")
        #expect(diagnostics.isEmpty)
        let read = try #require(DataFileEventReader.read(Self.wellFormed, file: "t.yaml"))
        #expect(Self.difference(read, try #require(expected)) == nil)
        #expect(read.links.map { $0.from.0 } == ["A", "A"])
        #expect(read.links.map { $0.relation.0 } == ["part-of", "advances-sdg"])
    }

    /// Each of these has something the tree reader reports; the event reader must give it back.
    @Test(arguments: [
        ("unknown key", "nodes:\n  - id: A\n    lable: {zh: 甲, en: A}\n"),
        ("key written twice", "nodes:\n  - id: A\n    id: B\n"),
        ("blank id", "nodes:\n  - id: ' '\n"),
        ("no id", "nodes:\n  - kind: x\n"),
        ("id too long", "nodes:\n  - id: \(String(repeating: "x", count: InputLimits.maxIDCharacters + 1))\n"),
        ("label without en", "nodes:\n  - id: A\n    label: {zh: 甲}\n"),
        ("label too long", "nodes:\n  - id: A\n    label: {zh: 甲, en: \(String(repeating: "y", count: InputLimits.maxLabelCharacters + 1))}\n"),
        ("alias", "defaults: &d {doc: plan}\nnodes:\n  - id: A\n    cite: *d\n"),
        ("second document", "nodes:\n  - id: A\n---\nnodes: []\n"),
        ("syntax error", "nodes:\n  - id: [A\n"),
        ("nodes not a list", "nodes: {id: A}\n"),
        ("from inside a node", "nodes:\n  - id: A\n    links:\n      - from: B\n        relation: r\n        targets: [C]\n"),
        ("group without from", "links:\n  - relation: r\n    targets: [C]\n"),
        ("derived without rule", "links:\n  - from: A\n    relation: r\n    targets: [C]\n    derived: {justification: why}\n"),
        ("derived without justification", "links:\n  - from: A\n    relation: r\n    targets: [C]\n    derived: {rule: x}\n"),
        ("target a list", "links:\n  - from: A\n    relation: r\n    targets: [[C]]\n"),
        ("attribute without value", "nodes:\n  - id: A\n    attributes: {budget: }\n"),
        ("attribute infinite", "nodes:\n  - id: A\n    attributes: {budget: .inf}\n"),
        ("quirk without finding", "quirks:\n  - cite: {at: p. 1}\n"),
        ("a root that is a list", "- id: A\n"),
        ("empty", "# only a comment\n"),
        ("too deep", String(repeating: "[", count: InputLimits.maxNestingDepth + 2) + String(repeating: "]", count: InputLimits.maxNestingDepth + 2) + "\n"),
    ])
    func whatTheTreeReaderReportsIsLeftToIt(_ name: String, _ text: String) {
        let (records, diagnostics) = Self.treeReading(text, file: "t.yaml")
        #expect(!diagnostics.isEmpty || records == nil, "\(name): the tree reader reports nothing")
        #expect(DataFileEventReader.read(text, file: "t.yaml") == nil, "\(name): the event reader did not decline")
    }

    /// An explicit tag is valid, but changes how Yams resolves a scalar: left to the tree reader,
    /// which reads it as before.
    @Test func anExplicitTagIsLeftToTheTreeReader() {
        let text = "nodes:\n  - id: !!str A\n"
        #expect(Self.treeReading(text, file: "t.yaml").1.isEmpty)
        #expect(DataFileEventReader.read(text, file: "t.yaml") == nil)
    }
}
