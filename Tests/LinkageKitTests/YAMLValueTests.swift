import LinkageKit
import Testing

/// The YAML reader plugins use for their own configuration files.
@Suite("YAML values")
struct YAMLValueTests {
    @Test func readsValuesWithTheirLines() throws {
        let value = try YAMLValue.parse("""
            a: plain text # comment
            b: "quoted # not a comment"
            c: [x, 'y z', "w"]
            d:
              - {k: v, n: 2}
              - item
            e:
              f: 1
            """)
        guard case .mapping(let entries, _) = value else { Issue.record("expected a mapping"); return }
        #expect(entries.map(\.key) == ["a", "b", "c", "d", "e"])
        #expect(entries[0].value == .scalar("plain text", line: 1))
        #expect(entries[1].value == .scalar("quoted # not a comment", line: 2))
        #expect(entries[2].value == .sequence([.scalar("x", line: 3), .scalar("y z", line: 3), .scalar("w", line: 3)], line: 3))
        guard case .sequence(let items, _) = entries[3].value, case .mapping(let pairs, _) = items[0] else {
            Issue.record("expected a list of mappings"); return
        }
        #expect(pairs.map(\.key) == ["k", "n"])
        #expect(items[1] == .scalar("item", line: 6))
        #expect(throws: YAMLSyntaxError.self) { try YAMLValue.parse("a: 1\na: 2\n") }
        #expect(throws: YAMLSyntaxError.self) { try YAMLValue.parse("a: 1\n   b: 2\n") }
    }

}
