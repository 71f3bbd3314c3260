import Foundation
import LinkageKit

/// Escaping for the two kinds of text DOT carries.
public enum DOTText {
    /// A double-quoted DOT string (an escString) whose *rendered* text is exactly `text`.
    ///
    /// Inside quotes DOT only unescapes `\"`; Graphviz then reads the label as an escString, in
    /// which a backslash introduces `\n`, `\l`, `\r`, `\N`, `\G`… So every backslash is doubled
    /// and quotes are escaped; a newline in the text becomes `\n` (a centred line break).
    /// Graphviz also decodes HTML entities in plain labels and tooltips (`&amp;` is drawn `&`), so
    /// every `&` is written `&amp;`. Control and bidi characters become visible `\u{…}` escapes.
    public static func quoted(_ text: String) -> String { escaped(text, newline: "\\n", ampersand: "&amp;") }

    /// A tooltip (or any attribute Graphviz expands twice): as `quoted`, but Graphviz unescapes
    /// a tooltip's backslashes once more before it substitutes `\N`, `\G`… (a tooltip `\\G`
    /// would show the graph's name), so every backslash is written four times.
    public static func tooltip(_ text: String) -> String { escaped(text, newline: "\\n", ampersand: "&amp;", backslash: "\\\\\\\\") }

    public enum LineAlignment: String { case left = "\\l", centre = "\\n", right = "\\r" }

    /// Several lines as one quoted label, each line ended by the escape that aligns it
    /// (`\l` left, `\n` centred, `\r` right).
    public static func quoted(lines: [String], align: LineAlignment) -> String {
        "\"" + lines.map { line in String(quoted(line).dropFirst().dropLast()) + align.rawValue }.joined() + "\""
    }

    /// A plain identifier or attribute value that needs no label processing (ids, colours):
    /// quoted with `"` and `\` escaped only.
    /// Graphviz writes names into SVG `<title>` without escaping what looks like an entity
    /// (`&;`, `&x;` would make the SVG ill-formed), so `&` is written `&amp;` here too.
    public static func identifier(_ text: String) -> String { escaped(text, newline: " ", ampersand: "&amp;") }

    /// Quotes `text` for DOT: backslashes doubled, quotes escaped, newlines replaced.
    private static func escaped(_ text: String, newline: String, ampersand: String, backslash: String = "\\\\") -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in normalized(text).unicodeScalars {
            switch scalar {
            case "\\": out += backslash
            case "\"": out += "\\\""
            case "\n": out += newline
            case "&": out += ampersand
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Text inside an HTML-like label: XML-escaped, newlines as `<br/>`. Graphviz applies its
    /// escString substitutions (`\N` = node name…) to HTML text too, after decoding entities,
    /// so a backslash is doubled as well.
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in normalized(text).unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n": out += "<br/>"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// An HTML attribute value (tooltips, hrefs in HTML labels): XML-escaped, quoted.
    public static func htmlAttribute(_ text: String) -> String {
        "\"" + html(text).replacingOccurrences(of: "<br/>", with: "&#10;") + "\""
    }

    /// A URL from the data as a DOT `URL` attribute, or nil when it must not become a link.
    ///
    /// Graphviz writes `URL` into SVG `xlink:href` without escaping quotes, so only a well-formed
    /// `http`/`https` URL with a host, made of the characters RFC 3986 allows (no quote, space,
    /// angle bracket, backslash or control character), becomes a link; anything else
    /// (`javascript:`, `data:`, a quote that would leave the attribute) is not linked. `&` is
    /// written `&amp;`, as in every DOT string.
    public static func linkURL(_ url: String) -> String? {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&()*+,;=%".unicodeScalars)
        guard url.unicodeScalars.allSatisfy(allowed.contains),
              let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return nil }
        return quoted(url)
    }

    /// Control characters and bidirectional controls cannot be shown in a label, and would make
    /// it read differently from what it holds: they are written as visible `\u{…}` escapes (the
    /// policy every text output shares, InertText); a tab becomes a space; newlines stay.
    public static func normalized(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\t" {
                out.append(" ")
            } else if InertText.isDisplayControl(scalar) {
                out.append(contentsOf: InertText.escape(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
