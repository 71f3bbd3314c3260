import Foundation
import LinkageKit
import LinkageRendering

/// `report.html` (English) and `report.zh.html` (Chinese): the report of one analysis as one
/// self-contained page: headline figures, findings grouped by severity, every table (sortable
/// and filterable by a few lines of script; plain tables without it), the diagrams inline as SVG
/// with their tooltips and links, and the method notes. Inline style only, no external request;
/// print style for A4 with no figure split across pages.
///
/// The page is built from a Mustache template (`HTMLTemplates.report`) that escapes every value.
public struct HTMLReport: Sendable {
    public var language: Language

    public init(language: Language) { self.language = language }

    /// Tables longer than this show their first rows only (the CSV and the workbook have all).
    static let maximumRows = 1_000

    /// The file name of the report in `language`.
    public static func fileName(_ language: Language) -> String { language == .en ? "report.html" : "report.\(language.rawValue).html" }

    /// The page's Content-Security-Policy: nothing may be loaded, only the table script runs.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-\(tableScriptSHA256)'"

    /// Base64 of the SHA-256 of `HTMLTemplates.tableScript` (the CSP names it); a test recomputes it.
    static let tableScriptSHA256 = "GycDBaWqj6+ssX4UYnBTWlcUz491VMN+LP7V2Jifg6c="

    /// - Parameters:
    ///   - svgs: the SVG files already rendered, by file name; those in this report's language are inlined.
    ///   - workbook: the workbook's file name, when one was written.
    ///   - otherLanguage: the file name of the report in the other language, when one is written.
    public func html(descriptor: AnalysisDescriptor, options: AnalysisOptions, result: AnalysisResult,
                     diagrams: [(view: ViewSpec, files: [String])], svgs: [String: Data], problems: [String],
                     workbook: String?, otherLanguage: String?) -> String {
        let words = ReportWords(language: language)
        var context: [String: Any] = [
            "lang": language == .zh ? "zh-Hans" : "en",
            "csp": Self.contentSecurityPolicy,
            "title": descriptor.localizedTitle.preferring(language),
            "summary": descriptor.localizedSummary.preferring(language),
            "command": ReportWriter().commandLine(descriptor, options),
            "words": Self.words(words),
        ]
        if let otherLanguage {
            context["otherLanguage"] = ["href": RelativeURL.encode(otherLanguage), "label": words["otherLanguage"],
                                        "lang": language == .zh ? "en" : "zh-Hans"]
        }
        if let workbook { context["workbook"] = ["href": RelativeURL.encode(workbook), "name": workbook] }

        var toc: [[String: Any]] = []
        func section(_ id: String, _ title: String) { toc.append(["id": id, "title": title]) }

        if !result.headline.isEmpty {
            section("headline", words["headline"])
            context["hasHeadline"] = true
            context["headline"] = result.headline.map { figure -> [String: Any] in
                // A long value (a list of ids) in the figure's large type would fill the page.
                var item: [String: Any] = ["label": figure.label[language], "value": figure.value, "long": figure.value.count > 20]
                if let note = figure.note?[language], !note.isEmpty { item["note"] = note }
                return item
            }
        }
        if !problems.isEmpty {
            context["hasProblems"] = true
            context["problems"] = problems
        }
        section("findings", words["findings"])
        context["severities"] = Finding.Severity.allCases.compactMap { severity -> [String: Any]? in
            let findings = result.findings.filter { $0.severity == severity }
            guard !findings.isEmpty else { return nil }
            return [
                "severity": severity.rawValue, "title": words.severity(severity), "count": findings.count,
                "findings": findings.map { finding -> [String: Any] in
                    ["code": finding.code, "segments": Self.segments(finding.message[language]),
                     "hasIDs": !finding.ids.isEmpty, "ids": finding.ids.map(\.rawValue)]
                },
            ]
        }
        if !result.tables.isEmpty {
            section("tables", words["tables"])
            context["hasTables"] = true
            context["tables"] = result.tables.map { table(in: $0, words: words) }
        }
        let drawn = diagrams.compactMap { diagram(in: $0.view, files: $0.files, svgs: svgs) }
        if !drawn.isEmpty {
            section("diagrams", words["diagrams"])
            context["hasDiagrams"] = true
            context["diagrams"] = drawn
        }
        if !result.methodNotes.isEmpty {
            section("method", words["method"])
            context["hasNotes"] = true
            context["notes"] = result.methodNotes.map { ["segments": Self.segments($0[language])] }
        }
        context["toc"] = toc
        return HTMLTemplates.render(context, template: "report")
    }

    static func words(_ words: ReportWords) -> [String: String] {
        var all: [String: String] = [:]
        for key in ReportWords.catalogue.keys { all[key] = words[key] }
        return all
    }

    private func table(in table: ResultTable, words: ReportWords) -> [String: Any] {
        let numeric = table.columns.indices.map { i in
            !table.rows.isEmpty && table.rows.allSatisfy { row in i >= row.count || row[i].isNumeric || row[i] == .empty }
                && table.rows.contains { row in i < row.count && row[i].isNumeric }
        }
        let shown = table.rows.prefix(Self.maximumRows)
        var item: [String: Any] = [
            "id": table.id, "title": table.title[language], "csv": "\(table.id).csv", "rowCount": words.rowCount(table.rows.count),
            "hasRows": !table.rows.isEmpty,
            "columns": table.columns.enumerated().map { i, column -> [String: Any] in ["title": column.title[language], "numeric": numeric[i]] },
            "rows": Self.tableRows(shown, numeric: numeric),
        ]
        if let caption = table.caption?[language], !caption.isEmpty { item["caption"] = caption }
        if shown.count < table.rows.count { item["truncated"] = ["note": words.firstRows(shown: shown.count, total: table.rows.count)] }
        return item
    }

    /// The rows of a table as HTML, every cell's text escaped with `HTMLText.escape` (the
    /// templates' escaping): what the template wrote cell by cell, without a template lookup
    /// per cell. One `<tr>` per row, each followed by a line break; numeric columns `class="n"`.
    static func tableRows<Rows: Sequence>(_ rows: Rows, numeric: [Bool]) -> String where Rows.Element == [TableValue] {
        var out = ""
        for row in rows {
            out += "<tr>"
            for (i, value) in row.enumerated() {
                out += i < numeric.count && numeric[i] ? "<td class=\"n\">" : "<td>"
                out += HTMLText.escape(value.description)
                out += "</td>"
            }
            out += "</tr>\n"
        }
        return out
    }

    private func diagram(in view: ViewSpec, files: [String], svgs: [String: Data]) -> [String: Any]? {
        let mine = files.filter { $0.contains(".\(language.rawValue).") }
        guard !mine.isEmpty else { return nil }
        let pages = mine.filter { $0.hasSuffix(".svg") }.compactMap { name -> [String: Any]? in
            guard let data = svgs[name] else { return nil }
            return ["svg": Self.inlineSVG(data, prefix: name)]
        }
        var item: [String: Any] = ["id": view.id, "title": view.title[language], "pages": pages, "files": mine]
        if let subtitle = view.subtitle?[language], !subtitle.isEmpty { item["subtitle"] = subtitle }
        return item
    }

    /// An SVG file the renderer wrote, ready to stand inside HTML: without its XML declaration,
    /// doctype and comments, and with its element ids made unique in the page (several diagrams
    /// of one page would otherwise share `graph0`, `node1` …).
    ///
    /// Works on the UTF-8 bytes: Foundation's `replacingOccurrences` and `trimmingCharacters`
    /// (NSString underneath on Linux) took a quarter of `run sdg-mapping` on a 1,000-element plan,
    /// whose report holds 2,000 diagrams.
    public static func inlineSVG(_ svg: Data, prefix: String) -> String {
        let idPrefix = Array((prefix.replacingOccurrences(of: ".", with: "-") + "-").utf8)
        return svg.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> String in
            guard let base = raw.baseAddress, let start = find("<svg", in: raw, from: 0) else { return "" }
            // Graphviz ends its SVG with a line break; what follows `</svg>` is only ASCII space.
            var end = raw.count
            while end > start, raw[end - 1] == 0x20 || (0x09...0x0D).contains(raw[end - 1]) { end -= 1 }
            let body = UnsafeRawBufferPointer(rebasing: raw[..<end])
            var out: [UInt8] = []
            out.reserveCapacity(end - start + 4096)
            // Copied in runs between the ids (`find` locates them): a byte-by-byte copy was a
            // tenth of the report's time for 2,000 diagrams.
            var copied = start
            while let id = find(" id=\"", in: body, from: copied) {
                let valueStart = id + 5
                out.append(contentsOf: UnsafeRawBufferPointer(start: base + copied, count: valueStart - copied))
                out.append(contentsOf: idPrefix)
                copied = valueStart
            }
            out.append(contentsOf: UnsafeRawBufferPointer(start: base + copied, count: end - copied))
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The offset of the first `pattern` in `bytes` at or after `offset`: memchr to each
    /// occurrence of its first byte, then a comparison (glibc's memmem is not visible to Swift).
    private static func find(_ pattern: StaticString, in bytes: UnsafeRawBufferPointer, from offset: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        return pattern.withUTF8Buffer { needle -> Int? in
            var position = offset
            while bytes.count - position >= needle.count {
                guard let hit = memchr(base + position, Int32(needle[0]), bytes.count - position - needle.count + 1) else { return nil }
                let candidate = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(hit, needle.baseAddress!, needle.count) == 0 { return candidate }
                position = candidate + 1
            }
            return nil
        }
    }

    /// A text as runs of plain text and links: only well-formed http(s) URLs (`DOTText.link`,
    /// the rule diagrams use) become links; everything else, other schemes included, stays text.
    static func segments(_ text: String) -> [[String: Any]] {
        var segments: [[String: Any]] = []
        var plain = ""
        var rest = Substring(text)
        while let range = rest.range(of: "http", options: .caseInsensitive) {
            plain += rest[..<range.lowerBound]
            let candidate = rest[range.lowerBound...].prefix { $0.isASCII && !$0.isWhitespace && !"<>\"`{}|\\^".contains($0) }
            // Punctuation that ends a sentence or closes a bracket is not part of the address.
            var url = String(candidate)
            while let last = url.last, ".,;:!?')]".contains(last) { url.removeLast() }
            if DOTText.link(url) != nil {
                if !plain.isEmpty { segments.append(["text": plain, "isLink": false]) }
                plain = ""
                segments.append(["text": url, "url": url, "isLink": true])
                rest = rest[rest.index(range.lowerBound, offsetBy: url.count)...]
            } else {
                plain += rest[range]
                rest = rest[range.upperBound...]
            }
        }
        plain += rest
        if !plain.isEmpty { segments.append(["text": plain, "isLink": false]) }
        return segments
    }
}
