/// The two languages every label is kept in: Chinese (from the source documents) and English
/// (written by the curators).
public enum Language: String, CaseIterable, Sendable, Codable {
    case zh, en
}

/// A text in Chinese and English.
public struct LocalizedText: Hashable, Sendable, Codable {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    public subscript(language: Language) -> String {
        switch language {
        case .zh: zh
        case .en: en
        }
    }

    /// The same text in both languages: codes, numbers and ids, which read the same in either.
    public static func same(_ text: String) -> LocalizedText { LocalizedText(zh: text, en: text) }

    /// The text in `language`, falling back to the other language when that one is empty.
    public func preferring(_ language: Language) -> String {
        let text = self[language]
        return text.isEmpty ? self[language == .zh ? .en : .zh] : text
    }
}
