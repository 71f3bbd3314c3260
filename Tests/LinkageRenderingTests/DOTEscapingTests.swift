import LinkageKit
import LinkageRendering
import PropertyBased
import Testing

/// Any label text must survive DOT generation and a parse by Graphviz unchanged: what Graphviz
/// draws (read back from its xdot output) is exactly the text we asked for.
@Suite("DOT escaping")
struct DOTEscapingTests {
    /// Characters that matter to DOT and HTML-like labels, escString sequences (\N, \G, \l…),
    /// CJK, full-width punctuation and emoji.
    static let alphabet: [String] = [
        "a", "Z", "9", " ", "\"", "\\", "N", "G", "E", "T", "H", "L", "l", "n", "r", "{", "}", "[", "]", ";", ",", "=", "-", ">",
        "<", "&", "'", "|", "#", "%", "/", "可", "持", "续", "（", "）", "、", "。", "é", "ß", "😀", "∑", "→",
        // Entity references: Graphviz decodes them in plain labels and in HTML text.
        "&amp;", "&lt;", "&#92;", "&#x41;", "&nbsp;",
    ]

    static let labels = Gen.element(of: alphabet).map { $0 ?? "" }.array(of: 1...24).map { $0.joined() }

    @Test func quotedLabelsSurviveUnchanged() async throws {
        await propertyCheck(count: 150, input: Self.labels) { text in
            let dot = "digraph { x [label=\(DOTText.quoted(text)), fontname=\"Noto Sans CJK SC\"] }"
            let drawn = try Graphviz.shared.drawnLabels(dot: dot)
            #expect(drawn["x"]?.joined() == text, "DOT: \(dot)")
        }
    }

    @Test func htmlLabelsSurviveUnchanged() async throws {
        await propertyCheck(count: 150, input: Self.labels) { text in
            let dot = "digraph { x [label=<\(DOTText.html(text))>, fontname=\"Noto Sans CJK SC\"] }"
            let drawn = try Graphviz.shared.drawnLabels(dot: dot)
            #expect(drawn["x"]?.joined() == text, "DOT: \(dot)")
        }
    }

    /// Inputs a property run once found hard (a backslash before a quote).
    @Test(arguments: ["\\\"#", "\"#", "\\", "\\N", "a\\\\b", "<b>&amp;</b>"])
    func trickyLabelsSurviveUnchanged(_ text: String) throws {
        #expect(try Graphviz.shared.drawnLabels(dot: "digraph t { x [label=\(DOTText.quoted(text))] }")["x"]?.joined() == text)
        #expect(try Graphviz.shared.drawnLabels(dot: "digraph t { x [label=<\(DOTText.html(text))>] }")["x"]?.joined() == text)
    }

    @Test func newlinesBecomeLineBreaks() throws {
        let dot = "digraph { x [label=\(DOTText.quoted("first\nsecond \\N"))] }"
        #expect(try Graphviz.shared.drawnLabels(dot: dot)["x"] == ["first", "second \\N"])
        let html = "digraph { x [label=<\(DOTText.html("一\n<二>"))>] }"
        #expect(try Graphviz.shared.drawnLabels(dot: html)["x"] == ["一", "<二>"])
    }

    @Test func escapingExamples() {
        #expect(DOTText.quoted(#"say "hi" \N"#) == #""say \"hi\" \\N""#)
        #expect(DOTText.quoted("R&D &amp;") == "\"R&amp;D &amp;amp;\"")
        #expect(DOTText.html("a<b & \"c\" \\N") == "a&lt;b &amp; &quot;c&quot; \\\\N")
        #expect(DOTText.quoted("tab\there") == "\"tab here\"")
    }

    @Test func generatedDiagramsParseAndRender() throws {
        for language in Language.allCases {
            for view in [SampleViews.network, SampleViews.matrix] {
                let builder = DOTBuilder(language: language)
                let dot = builder.dot(for: view)
                let rendered = try Graphviz.shared.render(dot: dot, engine: builder.engine(for: view, requested: .dot), format: .svg)
                let svg = String(decoding: rendered.data, as: UTF8.self)
                #expect(rendered.warnings.isEmpty, "\(rendered.warnings)")
                if case .network = view.diagram {
                    // Tooltips carry the full label, SDG nodes link to their UN URI.
                    #expect(svg.contains("xlink:href=\"http://metadata.un.org/sdg/9.c\""))
                    #expect(svg.contains(language == .en ? "Products and services on telecommunication/ICT infrastructure and services, including broadband and broadcasting"
                                                         : "关于电信/信息通信技术（ICT）基础设施及服务的产品和服务，包括宽带和广播"))
                    #expect(svg.contains("stroke-dasharray"), "derived links are dashed")
                    #expect(svg.contains("#fd6925") || svg.contains("#FD6925"), "official SDG 9 colour")
                }
            }
        }
    }
}

@Suite("Hostile text in diagrams")
struct HostileDiagramTextTests {
    /// Graphviz's scanner refuses quoted strings over 16 KiB; DOT joins `"a" + "b"`.
    @Test(arguments: [16_383, 16_384, 40_000, 100_000])
    func longStringsAreReadBack(_ length: Int) throws {
        let text = String(repeating: "长\\\"x ", count: length / 5)
        let dot = "digraph t { x [label=\(DOTText.quoted(text)), tooltip=\(DOTText.quoted(text))] }"
        #expect(dot.utf8.count > 16_384 || length < 16_384)
        try Graphviz.shared.parse(dot: dot)
        #expect(try Graphviz.shared.drawnLabels(dot: dot)["x"]?.joined() == text)
    }

    /// A URL from data becomes a link only when it is http or https and well formed; nothing in
    /// it can leave the attribute.
    @Test(arguments: [
        "javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x", "file:///etc/passwd",
        "http://x.example/\" onmouseover=\"alert(1)", "http://x.example/<script>", "http://x.example/a b", "http://x.example/\\N",
        "http://x.example/\u{202E}", "http://x.example/\u{1B}[31m", "http://user@x.example/", "http://", "https:///path", "//x.example/",
        "http://x.example/%zz", "http://x.example:80a/", " http://x.example/", "http://x.example/\n",
    ])
    func unsafeURLsAreNotLinks(_ url: String) {
        #expect(DOTText.link(url) == nil, "\(url)")
    }

    @Test(arguments: ["http://metadata.un.org/sdg/9.c", "https://www.itu.int/md/D18-TDAG-C-0001/en?x=1&y=2#p", "HTTPS://X.EXAMPLE:8080/a%20b"])
    func wellFormedURLsAreLinks(_ url: String) {
        #expect(DOTText.link(url) == DOTText.identifier(url))
    }

    @Test func hostileURLsInAViewNeverReachTheSVG() throws {
        var view = SampleViews.network
        guard case .network(var network) = view.diagram else { return }
        network.nodes[0].url = "javascript:alert(1)"
        network.nodes[1].url = "http://x.example/\" onmouseover=\"alert(1)"
        network.nodes[2].label = LocalizedText(zh: "<script>alert(1)</script>", en: "<script>alert(1)</script>\"><img src=x onerror=alert(1)>")
        view.diagram = .network(network)
        for language in Language.allCases {
            let renderer = DiagramRenderer(language: language)
            let svg = String(decoding: try renderer.render(try renderer.layout(view).pages[0], format: .svg).data, as: UTF8.self)
            #expect(!svg.contains("javascript:"))
            #expect(!svg.contains("onmouseover"))
            #expect(!svg.contains("<script"))
            #expect(!svg.contains("<img"))
        }
    }

    /// Wrapping is linear in the label's length: a 1 MiB word wraps at once, cut to its lines.
    @Test func aOneMebibyteWordWraps() {
        let word = String(repeating: "x", count: 1 << 20)
        let lines = LabelWrapping.wrap(word, width: 34, maxLines: 4)
        #expect(lines.count == 4)
        #expect(lines.last?.hasSuffix("…") == true)
        let all = LabelWrapping.wrap(String(repeating: "y", count: 1 << 16), width: 32)
        #expect(all.count == 2048 && all.allSatisfy { $0.count == 32 })
    }

    @Test func hyphenationLeavesNoSingleLetter() {
        let measure: (Unicode.Scalar) -> Double = { _ in 1 }
        for width in 3...12 {
            for word in ["infrastructure", "well-being", "consumption", "growth", "Quality"] {
                let lines = LabelWrapping.wrap(word, width: Double(width), hyphenate: true, measure: measure)
                #expect(lines.joined().replacingOccurrences(of: "-", with: "") == word.replacingOccurrences(of: "-", with: ""), "\(word) at \(width)")
                #expect(lines.allSatisfy { $0.count <= width }, "\(lines)")
                #expect(lines.allSatisfy { $0.replacingOccurrences(of: "-", with: "").count >= 2 }, "\(word) at \(width): \(lines)")
            }
        }
    }
}

@Suite("Label wrapping")
struct LabelWrappingTests {
    @Test func wrapsLatinAtSpaces() {
        #expect(LabelWrapping.wrap("Telecommunication and ICT infrastructure and services", width: 20)
            == ["Telecommunication", "and ICT", "infrastructure and", "services"])
    }

    @Test func wrapsChineseByWidthKeepingPunctuation() {
        let lines = LabelWrapping.wrap("关于电信/信息通信技术（ICT）基础设施及服务的产品和服务，包括宽带", width: 16)
        #expect(lines.allSatisfy { LabelWrapping.displayWidth($0) <= 16 })
        #expect(!lines.contains { $0.hasPrefix("，") || $0.hasPrefix("）") })
        #expect(lines.joined() == "关于电信/信息通信技术（ICT）基础设施及服务的产品和服务，包括宽带")
    }

    /// A word longer than a line (no hyphenation) breaks after its last slash or hyphen that
    /// fits, not one letter past it; on the last line allowed it keeps as much as fits.
    @Test func aLongWordBreaksAfterItsSlash() {
        #expect(LabelWrapping.wrap("Telecommunication/ICT innovation", width: 20) == ["Telecommunication/", "ICT innovation"])
        #expect(LabelWrapping.wrap("OP23-TH-P2-INNOVATION", width: 12) == ["OP23-TH-P2-", "INNOVATION"])
        #expect(LabelWrapping.wrap("Telecommunication/ICT innovation", width: 20, maxLines: 1) == ["Telecommunication/I…"])
        #expect(LabelWrapping.wrap("Telecommunications", width: 10) == ["Telecommun", "ications"])
    }

    /// On the last line allowed, a word that does not fit what is left of a line less than half
    /// full is cut into it; a fuller line ends before the word, as every line does.
    @Test func theLastLineTakesPartOfAWordWhenItIsLessThanHalfFull() {
        // "BAAP-OUT-2.1" is 12 of 30 columns: the name starts on the same line.
        #expect(LabelWrapping.wrap("BAAP-OUT-2.1 Telecommunication/ICT infrastructure", width: 30, maxLines: 1)
            == ["BAAP-OUT-2.1 Telecommunicatio…"])
        // 17 of 30: the line ends before the word that does not fit.
        #expect(LabelWrapping.wrap("BAAP-OUT-1.1 Final report of the World", width: 30, maxLines: 1) == ["BAAP-OUT-1.1 Final report of…"])
        // Lines before the last end before the word, however short.
        #expect(LabelWrapping.wrap("BAAP-OUT-2.1 Telecommunication/ICT infrastructure", width: 30, maxLines: 2)
            == ["BAAP-OUT-2.1", "Telecommunication/ICT…"])
        // Nothing is cut when everything fits.
        #expect(LabelWrapping.wrap("KAP-P1 Affordable", width: 30, maxLines: 1) == ["KAP-P1 Affordable"])
    }

    /// A Chinese character alone on a paragraph's last line takes the one before it along.
    @Test func aChineseCharacterIsNotLeftAloneOnTheLastLine() {
        #expect(LabelWrapping.wrap("可持续城市和社区", width: 14) == ["可持续城市和", "社区"])
        #expect(LabelWrapping.wrap("可持续城市和社区。", width: 14) == ["可持续城市和", "社区。"])
        // Not across paragraphs, and not when the line before would keep one character.
        #expect(LabelWrapping.wrap("应急通信\n区", width: 14) == ["应急通信", "区"])
        #expect(LabelWrapping.wrap("社区", width: 2) == ["社", "区"])
        // Latin text is left as it is.
        #expect(LabelWrapping.wrap("Sustainable cities a", width: 18) == ["Sustainable cities", "a"])
    }

    /// A list's separator ends a line with the item before it; a balanced wrap keeps the number
    /// of lines and evens them out.
    @Test func listsBreakAfterTheirSeparatorsAndBalance() {
        #expect(LabelWrapping.wrap("1 · 2 · 3 · 4", width: 10) == ["1 · 2 ·", "3 · 4"])
        let columns = { (scalar: Unicode.Scalar) -> Double in LabelWrapping.isWide(scalar) ? 2 : 1 }
        let letters = LabelWrapping.prepare("a b c d e f g h", measure: columns)
        #expect(letters.wrap(width: 12) == ["a b c d e f", "g h"])
        #expect(letters.wrapBalanced(width: 12) == ["a b c d", "e f g h"])
        #expect(letters.wrapBalanced(width: 20) == ["a b c d e f g h"])
        let goals = LabelWrapping.prepare("→ SDG 1 · 3 · 5 · 8 · 9 · 10 · 11 · 16 · 17", measure: columns)
        let balanced = goals.wrapBalanced(width: 36)
        #expect(balanced.count == goals.wrap(width: 36).count && balanced.count == 2)
        #expect(balanced.allSatisfy { !$0.hasPrefix("·") && LabelWrapping.displayWidth($0) <= 36 }, "\(balanced)")
        #expect(balanced[1].count > 10, "\(balanced)")
    }

    @Test func cutsWithAnEllipsis() {
        let lines = LabelWrapping.wrap("one two three four five six seven eight", width: 9, maxLines: 2)
        #expect(lines.count == 2)
        #expect(lines[1].hasSuffix("…"))
    }

    @Test func neverLosesTextWhenNotCut() async {
        let gen = Gen.element(of: ["word", " ", "可持续", "，", "ICT", "a-very-long-token-without-spaces", "（发展）"]).map { $0 ?? "" }.array(of: 1...20).map { $0.joined() }
        await propertyCheck(count: 200, input: gen, Gen.int(in: 6...40)) { text, width in
            let lines = LabelWrapping.wrap(text, width: width)
            #expect(lines.allSatisfy { LabelWrapping.displayWidth($0) <= width })
            #expect(lines.joined().filter { $0 != " " } == text.filter { $0 != " " })
        }
    }
}
