import Foundation
import Yams

/// The fixed sentences of an analysis (headline labels, findings, table titles and column
/// headers, view titles, method notes), one table per language, looked up by key and filled
/// with values.
///
/// Templates name their values in braces: `"{plan}: {linked} of {total} elements"`. A value
/// may differ by language (a plan's Chinese and English name: pass a `LocalizedText`). English
/// plurals are chosen in the template: `{depth} {depth:step|steps}` writes "1 step", "2 steps".
/// Chinese templates simply leave the choice out; the values printed must be the same in
/// both languages (`problems(usedKeys:)` checks that, and a test of every analysis runs it).
///
/// Plugins keep their catalogue in Swift source, one file per language
/// (`Sources/Strings/en.swift`, `zh.swift`), so that it is compiled in: the statically linked
/// program needs no resource bundles, and a catalogue can never be missing at run time. An
/// analysis that keeps its sentences in files (YAML, one `key: template` map per language)
/// loads them with `init(yamlEnglish:yamlChinese:)`.
public struct StringCatalogue: Sendable {
    public let english: [String: String]
    public let chinese: [String: String]

    public init(en: [String: String], zh: [String: String]) {
        english = en
        chinese = zh
    }

    public func templates(_ language: Language) -> [String: String] {
        language == .en ? english : chinese
    }

    /// The text of `key` in both languages, its placeholders replaced by `values`.
    /// A key missing from a language, or a placeholder without a value, is a programming error:
    /// debug builds stop; release builds show the key or the placeholder, never an empty text.
    public func callAsFunction(_ key: String, _ values: [String: any CatalogueValue] = [:]) -> LocalizedText {
        LocalizedText(zh: fill(key, .zh, values), en: fill(key, .en, values))
    }

    private func fill(_ key: String, _ language: Language, _ values: [String: any CatalogueValue]) -> String {
        guard let template = templates(language)[key] else {
            assertionFailure("string catalogue: no \(language.rawValue) text for '\(key)'")
            return "⟦\(key)⟧"
        }
        return Self.fill(template, language: language) { name in
            guard let value = values[name] else {
                assertionFailure("string catalogue: '\(key)' needs a value for {\(name)}")
                return nil
            }
            return value
        }
    }

    /// Replaces `{name}` with the value's text and `{name:one|other}` with `one` when the
    /// value is the integer 1, else `other`. Braces around anything else stay as written.
    static func fill(_ template: String, language: Language, value: (String) -> (any CatalogueValue)?) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}"),
                  let placeholder = Placeholder(rest[rest.index(after: open)..<close]) else {
                out.append("{")
                rest = rest[rest.index(after: open)...]
                continue
            }
            if let found = value(placeholder.name) {
                if let (one, other) = placeholder.plural {
                    out += (found as? Int) == 1 ? one : other
                } else {
                    out += found.text(in: language)
                }
            } else {
                out += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// The names of the values a template prints (`{name}`; a plural choice `{name:one|other}`
    /// prints none).
    public static func placeholders(in template: String) -> Set<String> {
        var names = Set<String>()
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            if let placeholder = Placeholder(rest[rest.index(after: open)..<close]) {
                // A plural choice prints no value: English grammar, which Chinese does without.
                if placeholder.plural == nil { names.insert(placeholder.name) }
                rest = rest[rest.index(after: close)...]
            } else {
                rest = rest[rest.index(after: open)...]
            }
        }
        return names
    }

    /// What is wrong with the catalogue, one line each (empty when nothing): a key missing in
    /// one language, an empty text, placeholders that differ between the languages, and,
    /// given the keys the code uses, keys used but not catalogued and entries nothing uses.
    public func problems(usedKeys: Set<String>? = nil) -> [String] {
        var problems: [String] = []
        for key in Set(english.keys).union(chinese.keys).sorted() {
            guard let en = english[key] else { problems.append("\(key): no English text"); continue }
            guard let zh = chinese[key] else { problems.append("\(key): no Chinese text"); continue }
            if en.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("\(key): the English text is empty") }
            if zh.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("\(key): the Chinese text is empty") }
            let enNames = Self.placeholders(in: en), zhNames = Self.placeholders(in: zh)
            if enNames != zhNames {
                problems.append("\(key): placeholders differ: English {\(enNames.sorted().joined(separator: "}, {"))}, Chinese {\(zhNames.sorted().joined(separator: "}, {"))}")
            }
        }
        if let usedKeys {
            let known = Set(english.keys).union(chinese.keys)
            for key in usedKeys.subtracting(known).sorted() { problems.append("\(key): used but in neither language") }
            for key in known.subtracting(usedKeys).sorted() { problems.append("\(key): in the catalogue but never used") }
        }
        return problems
    }
}

extension StringCatalogue {
    /// A catalogue from two YAML documents, each a map of key to template (for analyses that
    /// keep their sentences in files).
    public init(yamlEnglish: String, yamlChinese: String) throws {
        self.init(en: try Self.map(yamlEnglish), zh: try Self.map(yamlChinese))
    }

    private static func map(_ yaml: String) throws -> [String: String] {
        guard !yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return [:] }
        guard let map = try Yams.load(yaml: yaml) as? [String: Any] else {
            throw CatalogueError(message: "a string catalogue is a map of key: text")
        }
        var texts: [String: String] = [:]
        for (key, value) in map {
            guard let text = value as? String else { throw CatalogueError(message: "\(key): the text must be a string") }
            texts[key] = text
        }
        return texts
    }
}

public struct CatalogueError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// `{name}` or `{name:one|other}`; names are ASCII letters, digits and `_`.
private struct Placeholder {
    var name: String
    var plural: (String, String)?

    init?(_ body: Substring) {
        let parts = body.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts[0]
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") })
        else { return nil }
        self.name = String(name)
        if parts.count == 2 {
            let forms = parts[1].split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            guard forms.count == 2, !forms.contains(where: { $0.contains("{") }) else { return nil }
            plural = (String(forms[0]), String(forms[1]))
        }
    }
}

/// A value put into a catalogue template: the same in both languages (numbers, ids, codes) or
/// one per language (`LocalizedText`, `CatalogueList`).
public protocol CatalogueValue: Sendable {
    func text(in language: Language) -> String
}

extension String: CatalogueValue { public func text(in language: Language) -> String { self } }
extension Substring: CatalogueValue { public func text(in language: Language) -> String { String(self) } }
extension Int: CatalogueValue { public func text(in language: Language) -> String { String(self) } }
extension NodeID: CatalogueValue { public func text(in language: Language) -> String { rawValue } }
extension LocalizedText: CatalogueValue { public func text(in language: Language) -> String { self[language] } }

/// Several values as a list: "a, b, c" in English, "a、b、c" in Chinese.
public struct CatalogueList: CatalogueValue {
    public var items: [LocalizedText]
    public init(_ items: [LocalizedText]) { self.items = items }
    public init(_ items: [String]) { self.items = items.map(LocalizedText.same) }
    public func text(in language: Language) -> String {
        items.map { $0[language] }.joined(separator: language == .zh ? "、" : ", ")
    }

    /// The list in both languages, for a text that is only a list (a note listing ids).
    public var text: LocalizedText { LocalizedText(zh: text(in: .zh), en: text(in: .en)) }
}
