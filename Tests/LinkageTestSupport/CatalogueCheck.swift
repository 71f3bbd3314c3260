import Foundation
import LinkageKit

/// Checks a string catalogue against the code that uses it: every key in both languages with
/// the same placeholders, every key the code uses catalogued, every entry used.
///
/// The code's keys are read from its source: every string literal that is a key of the
/// catalogue counts as a use. Keys are literals in the code (never built at run time), so that
/// this scan sees all of them: a `strings(` call with anything else as its key is reported,
/// except a choice between literals (`strings(all ? "a" : "b"`) and a helper whose parameter is
/// named `key` (its callers pass literals).
public enum CatalogueCheck {
    public static func problems(_ catalogue: StringCatalogue, sources folder: URL, exceptFolder excluded: String = "Strings") -> [String] {
        var used = Set<String>()
        var problems: [String] = []
        let files = (FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { $0.pathExtension == "swift" && !$0.pathComponents.contains(excluded) }
            .sorted { $0.path < $1.path }
        if files.isEmpty { problems.append("\(folder.path): no Swift sources") }
        let literalKey = try! NSRegularExpression(pattern: #""([A-Za-z0-9_.\-]+)""#)
        let called = try! NSRegularExpression(pattern: #"\bstrings\(\s*"([^"\\]+)""#)
        let anyCall = try! NSRegularExpression(pattern: #"\bstrings\(\s*(?!"|key\b|[^,()"]*\?\s*")"#)
        let known = Set(catalogue.english.keys).union(catalogue.chinese.keys)
        for file in files {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            let range = NSRange(text.startIndex..., in: text)
            for match in literalKey.matches(in: text, range: range) {
                let literal = String(text[Range(match.range(at: 1), in: text)!])
                if known.contains(literal) { used.insert(literal) }
            }
            for match in called.matches(in: text, range: range) {
                used.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
            for match in anyCall.matches(in: text, range: range) {
                let line = text[..<Range(match.range, in: text)!.lowerBound].filter { $0 == "\n" }.count + 1
                problems.append("\(file.lastPathComponent):\(line): a catalogue key must be a string literal")
            }
        }
        return problems + catalogue.problems(usedKeys: used)
    }
}
