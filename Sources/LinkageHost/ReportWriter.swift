import Foundation
import LinkageKit

/// Turns an analysis result into the files people read and reuse: a Markdown report
/// (headline figures first, then findings, then tables), one CSV per table and a JSON result.
/// Nothing in them depends on time or machine, so reruns are byte-identical.
public struct ReportWriter: Sendable {
    public var language: Language

    public init(language: Language = .en) { self.language = language }

    /// Tables longer than this show only their first rows in the Markdown report.
    static let maximumReportRows = 60
    static let rowsShownWhenLong = 30

    /// Every text from an analysis or the data goes through `MarkdownText`: it is shown as
    /// written and never becomes HTML, a link or formatting. The writer's own sentences come
    /// from its catalogue (`Strings/`), in the report's language; they hold no Markdown.
    /// `otherLanguage` names the same report in the other language, when there is one. A text an
    /// external analysis gives in one language only is shown in that language.
    public func markdown(descriptor: AnalysisDescriptor, options: AnalysisOptions, result: AnalysisResult,
                         diagrams: [(view: ViewSpec, files: [String])], failures: [String], otherLanguage: String? = nil) -> String {
        func say(_ key: String, _ values: [String: any CatalogueValue] = [:]) -> String { strings(key, values)[language] }
        var out = "# \(inline(descriptor.localizedTitle.preferring(language)))\n\n\(inline(descriptor.localizedSummary.preferring(language)))\n\n"
        out += "_" + say("report.produced-by", ["command": MarkdownText.code(commandLine(descriptor, options))]) + "_\n\n"
        if let otherLanguage {
            out += say("report.other-language", ["link": MarkdownText.link(say("report.other-language.link"), to: otherLanguage)]) + "\n\n"
        }
        if !result.headline.isEmpty {
            out += "## \(say("section.headline"))\n\n| \(say("headline.figure")) | \(say("headline.value")) |\n|---|---:|\n"
            for figure in result.headline {
                out += "| \(cell(figure.label.preferring(language)))\(figure.note.map { " <br><sub>\(cell($0.preferring(language)))</sub>" } ?? "") | \(cell(figure.value)) |\n"
            }
            out += "\n"
        }
        if !failures.isEmpty {
            out += "## \(say("section.rendering-problems"))\n\n" + failures.map { "- \(inline($0))\n" }.joined() + "\n"
        }
        out += "## \(say("section.findings"))\n\n"
        if result.findings.isEmpty {
            out += say("findings.none") + "\n\n"
        } else {
            let counts = Finding.Severity.allCases.compactMap { severity -> LocalizedText? in
                let n = result.findings.filter { $0.severity == severity }.count
                guard n > 0 else { return nil }
                return switch severity {
                case .error: strings("findings.error", ["count": n])
                case .warning: strings("findings.warning", ["count": n])
                case .info: strings("findings.info", ["count": n])
                }
            }
            out += say("findings.counts", ["counts": CatalogueList(counts)]) + "\n\n"
            for finding in result.findings {
                let ids = finding.ids.isEmpty ? "" : " (" + finding.ids.map { MarkdownText.code($0.rawValue) }.joined(separator: ", ") + ")"
                out += "- **\(severityName(finding.severity))** \(MarkdownText.code(finding.code)): \(inline(finding.message.preferring(language)))\(ids)\n"
            }
            out += "\n"
        }
        if !result.tables.isEmpty {
            out += "## \(say("section.tables"))\n\n"
            for table in result.tables {
                out += "### \(inline(table.title.preferring(language)))\n\n"
                if let caption = table.caption { out += "\(inline(caption.preferring(language)))\n\n" }
                let csv = MarkdownText.link("\(table.id).csv", to: "\(table.id).csv")
                out += "\(csv) · \(say("table.rows", ["count": table.rows.count]))\n\n"
                if table.rows.isEmpty {
                    out += "_\(say("table.no-rows"))_\n\n"
                    continue
                }
                // Long tables stay readable: the report shows the first rows, the CSV has them all.
                let shown = table.rows.count > Self.maximumReportRows ? Array(table.rows.prefix(Self.rowsShownWhenLong)) : table.rows
                out += "| " + table.columns.map { cell($0.title.preferring(language)) }.joined(separator: " | ") + " |\n"
                out += "|" + table.columns.indices.map { i in
                    table.rows.allSatisfy { row in i < row.count && row[i].isNumeric } ? "---:" : "---"
                }.joined(separator: "|") + "|\n"
                for row in shown {
                    out += "| " + row.map { cell($0.description) }.joined(separator: " | ") + " |\n"
                }
                if shown.count < table.rows.count {
                    out += "\n_\(say("table.first-rows", ["shown": shown.count, "total": table.rows.count, "link": csv]))_\n"
                }
                out += "\n"
            }
        }
        if !diagrams.isEmpty {
            out += "## \(say("section.diagrams"))\n\n"
            for (view, allFiles) in diagrams {
                // The report shows the diagrams drawn in its language (others when there are none).
                let own = allFiles.filter { $0.contains(".\(language.rawValue).") }
                let files = own.isEmpty ? allFiles : own
                out += "### \(inline(view.title.preferring(language)))\n\n"
                if let subtitle = view.subtitle { out += "\(inline(subtitle.preferring(language)))\n\n" }
                if let svg = files.first(where: { $0.hasSuffix(".svg") }) ?? files.first(where: { $0.hasSuffix(".png") }) {
                    out += MarkdownText.image(view.title.preferring(language), svg) + "\n\n"
                }
                out += say("diagram.files") + " " + files.map { MarkdownText.link($0, to: $0) }.joined(separator: " · ") + "\n\n"
            }
        }
        if !result.methodNotes.isEmpty {
            out += "## \(say("section.method-notes"))\n\n" + result.methodNotes.map { "- \(inline($0.preferring(language)))\n" }.joined() + "\n"
        }
        return out
    }

    func severityName(_ severity: Finding.Severity) -> String {
        switch severity {
        case .error: strings("severity.error")[language]
        case .warning: strings("severity.warning")[language]
        case .info: strings("severity.info")[language]
        }
    }

    /// The report's file name in a language: `report.md` (English), `report.zh.md` (Chinese).
    public static func fileName(_ language: Language) -> String {
        language == .en ? "report.md" : "report.\(language.rawValue).md"
    }

    public func csv(_ table: ResultTable, byteOrderMark: Bool = false) -> Data {
        CSVEncoding.encode(header: table.columns.map(\.id), rows: table.rows.map { $0.map(\.description) }, byteOrderMark: byteOrderMark)
    }

    /// `result.json`: the result in the same JSON form external analyses write (one schema,
    /// docs/schema/analysis-protocol.schema.json, for both), with what produced it and the
    /// diagram files added.
    public func json(descriptor: AnalysisDescriptor, options: AnalysisOptions, result: AnalysisResult,
                     diagrams: [(view: ViewSpec, files: [String])]) throws -> Data {
        try result.jsonData(provenance: ResultProvenance(descriptor: descriptor, options: options,
                                                         diagrams: diagrams.map { (id: $0.view.id, files: $0.files) }))
    }

    func commandLine(_ descriptor: AnalysisDescriptor, _ options: AnalysisOptions) -> String {
        (["linkage run \(descriptor.id)"] + options.values.keys.sorted().map { "--set \($0)=\(options.values[$0]!)" })
            .joined(separator: " ")
    }

    func cell(_ text: String) -> String { MarkdownText.cell(text) }
    func inline(_ text: String) -> String { MarkdownText.inline(text) }
}

extension TableValue {
    var isNumeric: Bool {
        switch self {
        case .integer, .decimal: true
        default: false
        }
    }
}

/// Deterministic JSON: sorted keys, pretty printed, slashes unescaped, final newline.
/// JSON has no infinity or NaN: a non-finite number is written as the string "Infinity",
/// "-Infinity" or "NaN" (the names JavaScript and Python give them), so that one odd value
/// cannot make a whole export fail. Strings are JSON-escaped by the encoder (control
/// characters as \u escapes), so they round-trip exactly.
public enum JSONOutput {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}

