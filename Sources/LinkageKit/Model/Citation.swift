/// A document a dataset is curated from, as its manifest lists it.
public struct SourceDocument: Hashable, Sendable, Codable {
    /// The id the dataset's files use in `cite: {doc: ...}` (unique within the dataset).
    public var id: String
    /// File name of a seed document (in the shared seeds folder), when the source is one.
    public var file: String?
    /// Public address of the source, when it has one.
    public var url: String?
    public var title: LocalizedText
    /// The short name a reader looks the document up by, with its symbol ("Kigali Action Plan
    /// (WTDC-22)"), when the manifest gives one. Not part of the JSON forms (they carry `file`).
    public var name: LocalizedText? = nil

    enum CodingKeys: String, CodingKey { case id, file, url, title }

    public init(id: String, file: String? = nil, url: String? = nil, title: LocalizedText, name: LocalizedText? = nil) {
        self.id = id
        self.file = file
        self.url = url
        self.title = title
        self.name = name
    }

    /// How a reader names the document in reports and tables: its name, `Kigali Action Plan
    /// (WTDC-22)`; without a name, the address, else the title, else the file name. Seed file
    /// names mean nothing to an outside reader; they stay in the machine-readable outputs
    /// (result.json, exports) and in `locatedReference`.
    public var reference: String { reference(in: .en) }

    public func reference(in language: Language) -> String {
        if let name = name?.preferring(language), !name.isEmpty { return name }
        if let url { return url }
        let title = title[language]
        return title.isEmpty ? file ?? id : title
    }

    /// The name with the file name (or address) as locator, for curators at a terminal (`show`):
    /// `Kigali Action Plan (WTDC-22) [000_69af2d581fc507c2.txt]`.
    public func locatedReference(in language: Language = .en) -> String {
        guard let name = name?.preferring(language), !name.isEmpty else { return file ?? url ?? title[language] }
        guard let locator = file ?? url else { return name }
        return "\(name) [\(locator)]"
    }
}

/// Where a source states a fact: the document, the place in it, and optionally the exact words.
///
/// The fields live in one shared, immutable box. A link inherits its node's or its group's
/// citation and every node and link is copied several times while a graph is built: inline,
/// the citation's nine strings made each copy of a link a dozen reference-count operations and
/// 150 bytes (issue 9); boxed, a copy is one reference and the links of a group share one box.
public struct Citation: Hashable, Sendable, Codable {
    private final class Storage: Sendable {
        let document: SourceDocument
        let section: String
        let quote: String?

        init(document: SourceDocument, section: String, quote: String?) {
            self.document = document
            self.section = section
            self.quote = quote
        }
    }

    private var storage: Storage

    public var document: SourceDocument {
        get { storage.document }
        set { storage = Storage(document: newValue, section: storage.section, quote: storage.quote) }
    }

    /// Section, table or paragraph, as a reader would look it up ("输出成果2.1 §3", "table 1").
    public var section: String {
        get { storage.section }
        set { storage = Storage(document: storage.document, section: newValue, quote: storage.quote) }
    }

    /// The words of the source, verbatim, when the curator recorded them.
    public var quote: String? {
        get { storage.quote }
        set { storage = Storage(document: storage.document, section: storage.section, quote: newValue) }
    }

    public init(document: SourceDocument, section: String, quote: String? = nil) {
        storage = Storage(document: document, section: section, quote: quote)
    }

    // Equality, hashing and coding as the compiler synthesised them for the three fields.
    enum CodingKeys: String, CodingKey { case document, section, quote }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(document: try container.decode(SourceDocument.self, forKey: .document),
                  section: try container.decode(String.self, forKey: .section),
                  quote: try container.decodeIfPresent(String.self, forKey: .quote))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(document, forKey: .document)
        try container.encode(section, forKey: .section)
        try container.encodeIfPresent(quote, forKey: .quote)
    }

    public static func == (a: Citation, b: Citation) -> Bool {
        a.storage === b.storage || (a.document == b.document && a.section == b.section && a.quote == b.quote)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(document)
        hasher.combine(section)
        hasher.combine(quote)
    }

    /// `name §section`, the form used in reports and tables.
    public var reference: String { reference(in: .en) }

    public func reference(in language: Language) -> String {
        Self.join(document.reference(in: language), section)
    }

    /// `name [file] §section`, for curators at a terminal (`show`).
    public var locatedReference: String { Self.join(document.locatedReference(), section) }

    private static func join(_ document: String, _ section: String) -> String {
        section.hasPrefix("§") ? "\(document) \(section)" : "\(document) §\(section)"
    }
}
