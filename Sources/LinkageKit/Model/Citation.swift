/// A document a dataset is curated from, as its manifest lists it.
public struct SourceDocument: Hashable, Sendable, Codable {
    /// The id the dataset's files use in `cite: {doc: ...}` (unique within the dataset).
    public var id: String
    /// File name of a seed document (in the shared seeds folder), when the source is one.
    public var file: String?
    /// Public address of the source, when it has one.
    public var url: String?
    public var title: LocalizedText

    public init(id: String, file: String? = nil, url: String? = nil, title: LocalizedText) {
        self.id = id
        self.file = file
        self.url = url
        self.title = title
    }

    /// How a reader finds the document: its file name, else its address, else its title.
    public var reference: String { file ?? url ?? title.en }
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

    /// `file §section`, the form used in exports and reports.
    public var reference: String {
        section.hasPrefix("§") ? "\(document.reference) \(section)" : "\(document.reference) §\(section)"
    }
}
