import Foundation

/// Strings that try to become active content, break out of quoting, drive a terminal, reorder
/// text, trigger a spreadsheet formula or exhaust a buffer. Every output format's escaping
/// routine is tested with all of them, and the hostile-dataset test puts them into a copy of
/// the datasets and runs the real command line over it.
///
/// Invalid surrogates are not here: a Swift string cannot hold one (invalid UTF-8 in a data file
/// is the loader's to report).
public enum HostileCorpus {
    /// 16 KiB and more in one word and in words: longer than Graphviz's and many parsers' buffers.
    public static let long = String(repeating: "A", count: 16 * 1024 + 7)
    public static let longWords = String(repeating: "<b>word</b> ", count: 1_500)

    public static let strings: [String] = [
        // Markup and script.
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "\"><script>alert(1)</script>",
        "' onmouseover='alert(1)' x='",
        "\" onmouseover=\"alert(1)\" x=\"",
        "<a href=\"javascript:alert(1)\">link</a>",
        "<iframe src=\"data:text/html,<script>alert(1)</script>\"></iframe>",
        "<!-- c --> <![CDATA[ ]]> <?xml x?> <!DOCTYPE x>",
        "</title></style></textarea><script>alert(1)</script>",
        // Markdown.
        "[click](javascript:alert(1)) ![img](javascript:alert(1)) <javascript:alert(1)>",
        "[x]: javascript:alert(1)",
        "| a | b | `code` *em* _em_ __strong__ ~~gone~~ $x^2$ \\| \\",
        "# heading\n- item\n> quote\n1. first\n    indented code\n---\n===",
        "12. not a list",
        // URLs as values (also given as `uri`).
        "javascript:alert(document.domain)",
        " JaVaScRiPt:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "http://x.example/\" onmouseover=\"alert(1)",
        // Entities: shown as written, never decoded.
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x3C;b&#x3E; &#60;i&#62; &nbsp;",
        // Terminal and display controls.
        "\u{1B}[31mred\u{1B}[0m \u{1B}]0;title\u{07} \u{1B}[2J\u{1B}[H",
        "DEL\u{7F} BS\u{08} BEL\u{07} CR\rnew start",
        "\u{9B}31mC1 CSI \u{85}NEL",
        "safe\u{202E}txt.exe \u{2066}isolate\u{2069} \u{200F}rlm \u{202B}rle\u{202C} \u{2028}ls",
        // Formulas (OWASP CSV injection).
        "=HYPERLINK(\"http://x.example\",\"click\")",
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1,1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        // Graphviz escString sequences and template syntax.
        "\\N \\G \\E \\T \\H \\L \\l \\n \\r {{x}} ${x} %s",
        // Chinese with markup.
        "可持续发展目标<script>alert('中文')</script>",
        // NUL.
        "NUL\u{0}after",
        long,
        longWords,
    ]

    /// Whether `text` holds a character no text output may carry raw: C0 controls other than
    /// newline and tab, DEL, C1 controls, bidirectional controls, line/paragraph separators.
    public static func holdsControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x0A, 0x09: false
            case 0x00...0x1F, 0x7F...0x9F: true
            case 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
            default: false
            }
        }
    }
}

/// A copy of the bundled datasets with the hostile corpus in it: labels, descriptions,
/// attributes, uri attributes of SDG goals and targets (which diagrams link), and node ids where
/// the format allows them (a dataset `hostile` with its own plan, so every analysis draws it).
public enum HostileDatasets {
    /// Ids the `hostile` dataset uses beside HX-1…: two that differ only in a character a file
    /// name cannot hold, and one with markup.
    public static let slashID = "HX-Z/1", underscoreID = "HX-Z_1", markupID = "HX-<i>\"x\"&'</i>"

    /// The hostile uris, by SDG node.
    public static let uris: [String: String] = [
        "SDG-9": "javascript:alert(document.domain)",
        "SDG-9.c": "http://x.example/\" onmouseover=\"alert(1)",
        "SDG-4": "data:text/html,<script>alert(1)</script>",
        "SDG-17": " JaVaScRiPt:alert(1)",
        "SDG-5": "http://x.example/<script>alert(1)</script>",
        "SDG-1.1": "vbscript:msgbox(1)",
    ]

    /// Writes the copy into `folder/datasets` and returns it.
    public static func make(in folder: URL) throws -> URL {
        let datasets = folder.appendingPathComponent("datasets")
        try copyDirectory(Repository.datasets, to: datasets)
        // uri attributes of SDG goals and targets: `uri: http://metadata.un.org/sdg/9` lines.
        for file in ["sdg/goals.yaml", "sdg/targets.yaml"] {
            let url = datasets.appendingPathComponent(file)
            var text = try String(contentsOf: url, encoding: .utf8)
            for (id, uri) in uris {
                let number = id.dropFirst(4)
                text = text.replacingOccurrences(of: "uri: http://metadata.un.org/sdg/\(number)\n", with: "uri: \(yaml(uri))\n")
            }
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        // A BAAP output's labels: drawn in most diagrams.
        let outputs = datasets.appendingPathComponent("baap-2018-2021/outputs.yaml")
        var text = try String(contentsOf: outputs, encoding: .utf8)
        text = text.replacingOccurrences(
            of: "en: Final report of the World Telecommunication Development Conference (WTDC)\n",
            with: "en: \(yaml("Final report <script>alert(1)</script> \u{1B}[31m\u{202E}drow\u{7F}\r=1+1 [x](javascript:alert(1))"))\n")
        text = text.replacingOccurrences(
            of: "zh: 世界电信发展会议（WTDC）的最终报告\n",
            with: "zh: \(yaml("世界电信发展会议<img src=x onerror=alert(1)>\u{1B}]0;t\u{07}的最终报告"))\n")
        try text.write(to: outputs, atomically: true, encoding: .utf8)
        try hostileDataset(in: datasets.appendingPathComponent("hostile"))
        return datasets
    }

    static func hostileDataset(in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let manifest = """
            dataset: hostile
            title: {zh: \(yaml("恶意<script>alert(1)</script>")), en: \(yaml("Hostile <img src=x onerror=alert(1)> \u{1B}[2J"))}
            description: \(yaml("Strings that try to become active content. [x](javascript:alert(1))"))
            sources:
              - id: hx
                url: \(yaml("https://example.org/hostile\" onmouseover=\"alert(1)"))
                title: {zh: \(yaml("来源<b>x</b>")), en: \(yaml("Source <b onmouseover=alert(1)>x</b>"))}
            requires: [sdg, wsis, itu-resolutions]
            files: [nodes.yaml]
            kinds:
              - id: hostile-element
                label: {zh: 恶意元素, en: \(yaml("hostile <i>element</i>"))}
                role: plan-element
                id_pattern: 'HX-.+'
            relations: []
            plans:
              - id: hostile
                label: {zh: \(yaml("恶意计划<script>x</script>")), en: \(yaml("Hostile plan <img src=x onerror=alert(1)>"))}
                elements: [hostile-element]
            rules: []
            notes: \(yaml("Test data. <script>alert(1)</script>"))

            """
        var nodes = "defaults:\n  doc: hx\nnodes:\n"
        var ids = HostileCorpus.strings.indices.map { "HX-\($0 + 1)" }
        ids += [slashID, underscoreID, markupID]
        for (index, id) in ids.enumerated() {
            let text = index < HostileCorpus.strings.count ? HostileCorpus.strings[index] : "id \(id) <script>alert(1)</script>"
            // Labels stay short enough for any label cap; the long strings go into descriptions.
            let label = text.unicodeScalars.count > 200 ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(200))) : text
            nodes += """
                  - id: \(yaml(id))
                    kind: hostile-element
                    label: {zh: \(yaml("恶意 " + label)), en: \(yaml(label))}
                    description: {zh: \(yaml(text)), en: \(yaml(text))}
                    cite: {at: \(yaml("§1 " + label)), quote: \(yaml(label))}
                    attributes:
                      uri: \(yaml(HostileCorpus.strings[index % HostileCorpus.strings.count]))
                      note: \(yaml(text))
                    links:
                      - relation: advances-sdg
                        targets: [SDG-9.c, SDG-4.1]
                      - relation: implements
                        targets: [PP-RES-131]
                      - relation: supports-wsis
                        targets: [WSIS-C2]

                """
        }
        try manifest.write(to: folder.appendingPathComponent("manifest.yaml"), atomically: true, encoding: .utf8)
        try nodes.write(to: folder.appendingPathComponent("nodes.yaml"), atomically: true, encoding: .utf8)
    }

    /// A YAML double-quoted scalar holding exactly `text`.
    public static func yaml(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                let v = scalar.value
                if v < 0x20 || (0x7F...0x9F).contains(v) || (0x2028...0x2029).contains(v) || (0x202A...0x202E).contains(v)
                    || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0xFEFF {
                    out += String(format: "\\u%04X", v)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
