import CSV
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LinkageHost
import LinkageKit
import LinkageRendering
import LinkageTestSupport
import Testing

/// Each output format's one escaping routine, with the whole hostile corpus: the text comes
/// back exactly as shown (control and bidi characters as `\u{…}`), and never as markup.
@Suite("Escaping, per output format")
struct EscapingTests {
    static let corpus = HostileCorpus.strings

    /// What a reader should see of `text` on one line.
    static func shownOnOneLine(_ text: String) -> String { InertText.visible(text).replacingOccurrences(of: "\n", with: " ") }

    static func cmark(_ markdown: String, to format: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cmark-gfm", "--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink", "--to", format]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        DispatchQueue.global().async {
            input.fileHandleForWriting.write(Data(markdown.utf8))
            try? input.fileHandleForWriting.close()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func markdownShowsEveryStringAsTextAndMakesNoHTML() throws {
        for text in Self.corpus {
            let escaped = MarkdownText.inline(text)
            let html = try Self.cmark(escaped, to: "html")
            #expect(html.hasPrefix("<p>") && html.hasSuffix("</p>\n"), "\(text.prefix(60)) → \(html.prefix(200))")
            #expect(!html.dropFirst(3).dropLast(5).contains("<"), "\(text.prefix(60)) made markup: \(html.prefix(200))")
            let plain = try Self.cmark(escaped, to: "plaintext")
            let expected = Self.shownOnOneLine(text)
            #expect(plain.trimmingCharacters(in: .newlines) == expected.replacingOccurrences(of: " +$", with: "", options: .regularExpression),
                    "\(text.prefix(60)) reads \(plain.prefix(120))")
        }
    }

    @Test func markdownTableCellsCodeAndLinksStayInPlace() throws {
        for text in Self.corpus {
            let table = "| a | b |\n|---|---|\n| \(MarkdownText.cell(text)) | \(MarkdownText.code(text)) |\n"
            let html = try Self.cmark(table, to: "html")
            #expect(html.components(separatedBy: "<td>").count == 3, "\(text.prefix(60)) split the row: \(html.prefix(300))")
            let tags = Set(html.matches(of: /<\/?([a-z0-9]+)/).map { String($0.1) })
            #expect(tags.isSubset(of: ["table", "thead", "tbody", "tr", "th", "td", "code", "br"]), "\(text.prefix(60)): \(tags)")
            let link = try Self.cmark(MarkdownText.link(text, to: "a b/\(text).svg"), to: "html")
            #expect(link.hasPrefix("<p><a href=\"a%20b/") && link.hasSuffix("</a></p>\n"), "\(link.prefix(200))")
            #expect(link.components(separatedBy: "<").count == 5, "\(text.prefix(60)) made markup in a link: \(link.prefix(300))")
        }
    }

    /// HTML: the text an HTML parser reads back is what was asked for.
    @Test func htmlShowsEveryStringAsText() throws {
        for text in Self.corpus {
            let page = "<html><body><p title=\"\(HTMLText.escape(text))\">\(HTMLText.escape(text))</p></body></html>"
            let document = try XMLDocument(xmlString: page, options: [])
            let p = try #require(try document.nodes(forXPath: "//p").first as? XMLElement)
            #expect(p.children?.count ?? 0 <= 1, "\(text.prefix(60)) made elements")
            let shown = InertText.visible(text)
            #expect(p.stringValue == shown)
            #expect(p.attribute(forName: "title")?.stringValue == shown.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " "))
        }
        #expect(HTMLText.href("a/javascript:x y.svg") == "a/javascript%3Ax%20y.svg")
    }

    /// CSV: every cell reads back as written, with a ' before anything a spreadsheet would
    /// run; plain numbers are left alone.
    @Test func csvReadsBackAndNeverStartsAFormula() throws {
        let data = CSVEncoding.encode(header: ["value"], rows: Self.corpus.map { [$0] } + [["-12"], ["+3.5"], ["-"]], byteOrderMark: true)
        #expect(data.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        let reader = try CSVReader(stream: InputStream(data: data.dropFirst(3)), hasHeaderRow: true)
        var cells: [String] = []
        while let row = reader.next() { cells.append(row[0]) }
        #expect(cells.count == Self.corpus.count + 3)
        for (cell, text) in zip(cells, Self.corpus + ["-12", "+3.5", "-"]) {
            #expect(cell == CSVEncoding.neutralised(text))
            if let first = text.unicodeScalars.first, "=+-@\t\r\0".unicodeScalars.contains(first), !["-12", "+3.5"].contains(text) {
                #expect(cell == "'" + text)
            } else {
                #expect(cell == text)
            }
        }
    }

    /// CSV quoting by byte (RFC 4180): a quote, comma, CR or LF anywhere, even followed by a
    /// combining mark (one character with it in Swift), quotes the field and doubles its quotes;
    /// anything else is written as it is. Rows end in LF, the file too.
    @Test func csvQuotesFieldsByByte() throws {
        let fields = ["plain", "a,b", "say \"hi\"", "line\nbreak", "cr\rlf", "crlf\r\n", "\"\u{301}", ",\u{301}", "目标，中文", ""]
        let data = CSVEncoding.encode(header: ["a", "b"], rows: fields.map { [$0, "x"] })
        let expected = "a,b\n" + fields.map { field -> String in
            let quoted = field.utf8.contains { [0x22, 0x2C, 0x0D, 0x0A].contains($0) }
            return (quoted ? "\"" + String(String.UnicodeScalarView(field.unicodeScalars.flatMap { $0 == "\"" ? ["\"", "\""] : [$0] })) + "\"" : field) + ",x\n"
        }.joined()
        #expect(data == Data(expected.utf8))
        let reader = try CSVReader(stream: InputStream(data: data), hasHeaderRow: true)
        var read: [String] = []
        while let row = reader.next() { read.append(row[0]) }
        #expect(read.count == fields.count)
        #expect(Array(read.prefix(6)) == Array(fields.prefix(6)))
    }

    /// JSON: strings round-trip exactly; a non-finite number does not make the export fail.
    @Test func jsonRoundTripsAndWritesNonFiniteNumbersAsStrings() throws {
        let data = try JSONOutput.encode(Self.corpus)
        #expect(try JSONDecoder().decode([String].self, from: data) == Self.corpus)
        var graph = FixtureGraph()
        graph.node("SDG-9", .sdgGoal, "Industry", attributes: ["share": .number(.infinity), "low": .number(-.infinity), "odd": .number(.nan)])
        let records = GraphExport.nodeRecords(graph.build().nodes)
        let json = try JSONOutput.encode(records)
        let parsed = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
        let attributes = try #require(parsed.first?["attributes"] as? [String: Any])
        #expect(attributes["share"] as? String == "Infinity")
        #expect(attributes["low"] as? String == "-Infinity")
        #expect(attributes["odd"] as? String == "NaN")
    }

    /// GraphML: ids with newlines, tabs and carriage returns come back exactly; an id XML cannot
    /// carry is refused, naming it; labels show such characters as escapes.
    @Test func graphMLKeepsIdsExactlyOrRefusesThem() throws {
        var graph = FixtureGraph()
        let ids = ["SDG-1", "A\nB", "A\tB", "A\rB", "A B", "<&\"'>"]
        for (i, id) in ids.enumerated() {
            graph.node(NodeID(id), .sdgGoal, Self.corpus[i % Self.corpus.count] + " \u{1B}[2J")
        }
        graph.link(NodeID("A\nB"), .partOf, [NodeID("A\rB")])
        let built = graph.build()
        let text = try GraphML.document(nodes: built.nodes, edges: built.edges)
        let document = try XMLDocument(xmlString: text, options: [])
        let read = try document.nodes(forXPath: "//*[local-name()='node']/@id").map { $0.stringValue ?? "" }
        #expect(Set(read) == Set(ids))
        #expect(try document.nodes(forXPath: "//*[local-name()='edge']/@source").map(\.stringValue) == ["A\nB"])
        #expect(try document.nodes(forXPath: "//*[local-name()='edge']/@target").map(\.stringValue) == ["A\rB"])
        let labels = try document.nodes(forXPath: "//*[local-name()='data'][@key='n_label_en']").map { $0.stringValue ?? "" }
        #expect(labels.contains { $0.hasPrefix("<script>alert(1)</script>") })
        #expect(labels.allSatisfy { $0.hasSuffix(" \\u{1B}[2J") })

        var bad = FixtureGraph()
        bad.node(NodeID("A\u{1B}B"), .sdgGoal, "x")
        #expect {
            _ = try GraphML.document(nodes: bad.build().nodes, edges: [])
        } throws: { error in
            "\(error)".contains("the id 'A\\u{1B}B' holds \\u{1B}, which XML 1.0 (and so GraphML) cannot carry")
        }
    }

    /// The terminal: nothing from the corpus reaches it raw.
    @Test func terminalTextIsInert() {
        for text in Self.corpus {
            let shown = InertText.visible(text)
            #expect(!HostileCorpus.holdsControlCharacters(shown))
            #expect(shown.replacingOccurrences(of: #"\\u\{[0-9A-F]+\}"#, with: "", options: .regularExpression)
                == String(String.UnicodeScalarView(text.unicodeScalars.filter { !InertText.isDisplayControl($0) })))
        }
    }

    /// DOT (and so SVG and the DOT files): every label parses, is drawn as its text, and links
    /// only http(s) URLs.
    @Test func dotLabelsAreDrawnAsTextAndOnlyHTTPURLsLink() throws {
        for text in Self.corpus {
            let dot = "digraph { x [label=\(DOTText.quoted(text)), tooltip=\(DOTText.quoted(text))] }"
            let drawn = try Graphviz.shared.drawnLabels(dot: dot)
            #expect(drawn["x"]?.joined(separator: "\n") == DOTText.normalized(text), "\(text.prefix(60))")
            #expect(DOTText.link(text) == nil, "\(text.prefix(60)) would be linked")
        }
        #expect(DOTText.link("http://metadata.un.org/sdg/9.c") == "\"http://metadata.un.org/sdg/9.c\"")
        #expect(DOTText.link("https://x.example/a?b=1&c=2") == "\"https://x.example/a?b=1&amp;c=2\"")
        for url in HostileDatasets.uris.values { #expect(DOTText.link(url) == nil, "\(url)") }
    }
}
