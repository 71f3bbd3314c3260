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
    ///   - drawnShares: for an SVG page whose drawing ends well above its bottom, the share of its
    ///     height the drawing takes (`DiagramFiles.drawnShares`): only that much is shown.
    ///   - workbook: the workbook's file name, when one was written.
    ///   - otherLanguage: the file name of the report in the other language, when one is written.
    public func html(descriptor: AnalysisDescriptor, options: AnalysisOptions, result: AnalysisResult,
                     diagrams: [(view: ViewSpec, files: [String])], svgs: [String: Data], drawnShares: [String: Double] = [:],
                     problems: [String], workbook: String?, otherLanguage: String?) -> String {
        String(decoding: htmlData(descriptor: descriptor, options: options, result: result, diagrams: diagrams, svgs: svgs,
                                  drawnShares: drawnShares, problems: problems, workbook: workbook, otherLanguage: otherLanguage),
               as: UTF8.self)
    }

    /// The page as UTF-8 (`html`'s text). The template is rendered with a placeholder for each
    /// inline diagram, and the diagrams are copied into the page once, at the end: through the
    /// template engine, the 2,000 diagrams of a 1,000-element plan (30 MB) were copied once per
    /// nested section, two thirds of the report's time (issue 9).
    public func htmlData(descriptor: AnalysisDescriptor, options: AnalysisOptions, result: AnalysisResult,
                         diagrams: [(view: ViewSpec, files: [String])], svgs: [String: Data], drawnShares: [String: Double] = [:],
                         problems: [String], workbook: String?, otherLanguage: String?) -> Data {
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
        var inline: [InlineSVG] = []
        let drawn = diagrams.compactMap { diagram(in: $0.view, files: $0.files, svgs: svgs, drawnShares: drawnShares, inline: &inline) }
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
        return Self.splice(HTMLTemplates.render(context, template: "report"), inline)
    }

    /// A diagram to inline: the SVG file and the prefix of its element ids.
    struct InlineSVG {
        var svg: Data
        var prefix: String
        var drawnShare: Double? = nil
    }

    /// The placeholder of inline diagram `index`: NUL, the index, NUL. No other NUL can be in a
    /// rendered page: every value is escaped with `HTMLText.escape`, which writes a NUL as the
    /// visible `\u{0}`, and the templates' literal text holds none.
    static func placeholder(_ index: Int) -> String { "\u{0}\(index)\u{0}" }

    /// `page` with each placeholder replaced by its diagram (`inlineSVG`), in one pass.
    static func splice(_ page: String, _ inline: [InlineSVG]) -> Data {
        var page = page
        return page.withUTF8 { utf8 -> Data in
            let bytes = UnsafeRawBufferPointer(utf8)
            guard let base = bytes.baseAddress else { return Data() }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + inline.reduce(0) { $0 + $1.svg.count + $1.svg.count / 16 })
            var copied = 0
            while let open = memchr(base + copied, 0, bytes.count - copied) {
                let start = base.distance(to: UnsafeRawPointer(open))
                guard let close = memchr(base + start + 1, 0, bytes.count - start - 1) else { break }
                let end = base.distance(to: UnsafeRawPointer(close))
                guard let index = Int(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(start + 1)..<end]), as: UTF8.self)),
                      inline.indices.contains(index)
                else { preconditionFailure("a NUL in a rendered page that is not a diagram's placeholder") }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copied..<start]))
                appendInlineSVG(inline[index].svg, prefix: inline[index].prefix, drawnShare: inline[index].drawnShare, to: &out)
                copied = end + 1
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copied...]))
            return Data(out)
        }
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

    /// `inline`: the diagrams to inline; each page's `svg` is the placeholder of the one it adds.
    private func diagram(in view: ViewSpec, files: [String], svgs: [String: Data], drawnShares: [String: Double],
                         inline: inout [InlineSVG]) -> [String: Any]? {
        let mine = files.filter { $0.contains(".\(language.rawValue).") }
        guard !mine.isEmpty else { return nil }
        var pages: [[String: Any]] = []
        for name in mine where name.hasSuffix(".svg") {
            guard let data = svgs[name] else { continue }
            pages.append(["svg": Self.placeholder(inline.count)])
            inline.append(InlineSVG(svg: data, prefix: name, drawnShare: drawnShares[name]))
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
    /// `drawnShare`: the share of the page's height its drawing takes; the blank below it is
    /// left out (the file keeps its page).
    public static func inlineSVG(_ svg: Data, prefix: String, drawnShare: Double? = nil) -> String {
        var out: [UInt8] = []
        appendInlineSVG(svg, prefix: prefix, drawnShare: drawnShare, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The SVG root tag `tag` (`<svg width=".." height="595pt" viewBox="0.00 0.00 842.00 595.00" …`)
    /// with its height and its view box's height cut to `share`: the drawing keeps its size and
    /// place, and the page below it is not shown. Nil when the tag is not of that form.
    static func croppedRootTag(_ tag: String, share: Double) -> String? {
        let quote: Character = "\""
        guard share > 0, share < 1,
              let height = tag.range(of: " height=\""), let heightEnd = tag[height.upperBound...].firstIndex(of: quote),
              let box = tag.range(of: " viewBox=\""), let boxEnd = tag[box.upperBound...].firstIndex(of: quote),
              heightEnd < box.lowerBound
        else { return nil }
        let heightText = tag[height.upperBound..<heightEnd]
        let number = heightText.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let values = tag[box.upperBound..<boxEnd].split(separator: " ").compactMap { Double($0) }
        guard let pageHeight = Double(number), values.count == 4 else { return nil }
        func text(_ value: Double) -> String { String(format: "%.2f", value) }
        let newBox = [values[0], values[1], values[2], values[3] * share].map(text).joined(separator: " ")
        var out = String(tag[..<height.upperBound])
        out += text(pageHeight * share)
        out += heightText.dropFirst(number.count)
        out += tag[heightEnd..<box.upperBound]
        out += newBox
        out += tag[boxEnd...]
        return out
    }

    /// `svg` with its root tag cut to `drawnShare` of its height (`croppedRootTag`), for a page
    /// that shows it; as it is when its root is not of that form.
    public static func croppedSVG(_ svg: Data, drawnShare: Double) -> Data {
        svg.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Data in
            guard let start = find("<svg", in: raw, from: 0), let root = croppedRoot(in: raw, at: start, share: drawnShare) else { return svg }
            var out = Data(raw[..<start])
            out.append(contentsOf: Array(root.tag.utf8))
            out.append(contentsOf: raw[root.end...])
            return out
        }
    }

    /// The root tag starting at `start` in `bytes`, cropped (`croppedRootTag`) and without its
    /// closing `>`, and the offset of that `>`; nil when it cannot be cropped.
    private static func croppedRoot(in bytes: UnsafeRawBufferPointer, at start: Int, share: Double) -> (tag: String, end: Int)? {
        guard let close = find(">", in: bytes, from: start),
              let tag = croppedRootTag(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<close]), as: UTF8.self), share: share)
        else { return nil }
        return (tag, close)
    }

    /// `inlineSVG`'s text, appended to `out` as UTF-8.
    static func appendInlineSVG(_ svg: Data, prefix: String, drawnShare: Double? = nil, to out: inout [UInt8]) {
        let idPrefix = Array((prefix.replacingOccurrences(of: ".", with: "-") + "-").utf8)
        svg.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress, let start = find("<svg", in: raw, from: 0) else { return }
            // Graphviz ends its SVG with a line break; what follows `</svg>` is only ASCII space.
            var end = raw.count
            while end > start, raw[end - 1] == 0x20 || (0x09...0x0D).contains(raw[end - 1]) { end -= 1 }
            let body = UnsafeRawBufferPointer(rebasing: raw[..<end])
            // (Reserved only for a diagram alone: an exact reservation per diagram appended to
            // a page would copy the page each time.)
            if out.isEmpty { out.reserveCapacity(end - start + 4096) }
            // Copied in runs between the ids (`find` locates them): a byte-by-byte copy was a
            // tenth of the report's time for 2,000 diagrams.
            var copied = start
            if let drawnShare, let root = croppedRoot(in: body, at: start, share: drawnShare) {
                out.append(contentsOf: Array(root.tag.utf8))
                copied = root.end
            }
            while let id = find(" id=\"", in: body, from: copied) {
                let valueStart = id + 5
                out.append(contentsOf: UnsafeRawBufferPointer(start: base + copied, count: valueStart - copied))
                out.append(contentsOf: idPrefix)
                copied = valueStart
            }
            out.append(contentsOf: UnsafeRawBufferPointer(start: base + copied, count: end - copied))
        }
    }

    /// The offset of the first `pattern` in `bytes` at or after `offset`.
    private static func find(_ pattern: StaticString, in bytes: UnsafeRawBufferPointer, from offset: Int) -> Int? {
        pattern.withUTF8Buffer { ByteSearch.firstOffset(of: UnsafeRawBufferPointer($0), in: bytes, from: offset) }
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
