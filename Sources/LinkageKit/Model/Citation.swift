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
public struct Citation: Hashable, Sendable, Codable {
    public var document: SourceDocument
    /// Section, table or paragraph, as a reader would look it up ("输出成果2.1 §3", "table 1").
    public var section: String
    /// The words of the source, verbatim, when the curator recorded them.
    public var quote: String?

    public init(document: SourceDocument, section: String, quote: String? = nil) {
        self.document = document
        self.section = section
        self.quote = quote
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
