import LinkageKit
@testable import LinkageRendering
import Testing

/// Wrapping is linear in the length of the label (issue 8: a 1 MiB single-word label once made
/// `linkage all` take 486 s). Pinned by counting, not timing: the text is measured once per
/// character, and the wrapper looks at or moves each character a bounded number of times, at
/// every length, with and without hyphenation and a line limit. (The time is in the
/// benchmarks: WrapLabel10KiB, WrapLabel100KiB, WrapLabel1MiB.)
@Suite("Label wrapping is linear")
struct LabelWrappingLinearityTests {
    /// Labels of `length` characters: one word, words, Chinese, a word with hyphens and slashes.
    static func labels(_ length: Int) -> [String: String] {
        func repeated(_ unit: String) -> String {
            String(String(repeating: unit, count: length / unit.count + 1).prefix(length))
        }
        return ["one word": repeated("x"), "words": repeated("lorem ipsum "), "Chinese": repeated("可持续发展，"),
                "hyphens": repeated("a-b/c"), "mixed": repeated("ICT（信息通信技术）and broadband ")]
    }

    @Test(arguments: [1_000, 10_000, 100_000])
    func everyCharacterIsMeasuredOnce(_ length: Int) {
        for (name, label) in Self.labels(length) {
            var calls = 0
            _ = LabelWrapping.prepare(label) { _ in calls += 1; return 1 }
            // Each character once (spaces between words are measured once, as the space), and
            // the four the wrapper needs (space, hyphen, ellipsis, n).
            let characters = label.unicodeScalars.count { $0 != " " }
            #expect(calls == characters + 4, "\(name): \(calls) measurements for \(characters) characters")
        }
    }

    @Test(arguments: [1_000, 10_000, 100_000])
    func theWrapperLooksAtEachCharacterAFewTimes(_ length: Int) {
        for (name, label) in Self.labels(length) {
            let prepared = LabelWrapping.prepare(label) { LabelWrapping.isWide($0) ? 2 : 1 }
            let characters = label.unicodeScalars.count
            for (width, maxLines, hyphenate) in [(34.0, Int.max, false), (34, Int.max, true), (7, Int.max, true), (34, 4, false), (2, 3, true)] {
                let (lines, steps, _) = prepared.wrapCountingSteps(width: width, maxLines: maxLines, hyphenate: hyphenate)
                #expect(!lines.isEmpty)
                // Looked at once, appended once, searched once for a hyphen to break at, written
                // out once, and a hyphen per line: at most 8 steps a character at any length (a
                // quadratic wrapper takes about `characters × width` or `characters²`).
                #expect(steps <= 8 * characters + 64, "\(name), width \(width), \(maxLines) lines, hyphenate \(hyphenate): \(steps) steps for \(characters) characters")
            }
        }
    }
}
