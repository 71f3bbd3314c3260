import Foundation
import LinkageKit

// One escaping routine per text format the host writes. Each one makes data *text* in that
// format: it is shown as written (control and bidi characters as visible `\u{…}` escapes, see
// InertText) and can never become markup, a link or a script. The same hostile corpus tests
// all of them (Tests/LinkageTestSupport/HostileCorpus.swift).

/// Markdown (CommonMark with GitHub's extensions: tables, strikethrough, autolinks, math).
public enum MarkdownText {
    /// ASCII punctuation that starts inline Markdown or HTML anywhere in a line: backslash
    /// escapes, code spans, emphasis, strikethrough, links and images (`[`), raw HTML and
    /// autolinks (`<`), entities (`&`), table cells (`|`) and GitHub math (`$`); `_` too, unless
    /// it stands inside a word. GitHub also links bare `http://…` and `www.…`; the `:` and `.`
    /// that make them are escaped, so no URL from the data becomes a link in a report. CommonMark lets
    /// any ASCII punctuation be escaped with a backslash, so `\<script>` reads `<script>`.
    static let inlineSpecials: Set<Unicode.Scalar> = ["\\", "`", "*", "~", "[", "]", "<", ">", "&", "|", "$", "!"]
    /// Characters that start a block (heading, list, quote, thematic break, setext underline)
    /// when they begin a line.
    static let blockStarters: Set<Unicode.Scalar> = ["#", "-", "+", "=", ">"]
    /// The two sets as bit masks over ASCII: looked up for every character of every report cell,
    /// where hashing each one was a fifth of the escaping (issue 9).
    private static let inlineSpecialBits = ASCIISet(inlineSpecials)
    private static let blockStarterBits = ASCIISet(blockStarters)

    /// Text inside a paragraph, list item, heading, image description or link text, on one
    /// line: line breaks become spaces.
    public static func inline(_ text: String) -> String { escape(text, lineBreak: " ") }

    /// Text in a table cell: as `inline`, with line breaks as `<br>` (the one tag the reports
    /// themselves write).
    public static func cell(_ text: String) -> String { escape(text, lineBreak: "<br>") }

    /// A code span (ids, check names): its content is literal in Markdown, so it is fenced
    /// with more backticks than it holds in a row; line breaks and controls become `\u{…}`.
    public static func code(_ text: String) -> String {
        let content = InertText.visible(text, escapingLineBreaks: true).replacingOccurrences(of: "|", with: "\\|")
        var longest = 0, run = 0
        for character in content {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padded = content.hasPrefix("`") || content.hasSuffix("`") || content.hasPrefix(" ") ? " \(content) " : content
        return fence + padded + fence
    }

    /// A link to a file the tool wrote, by a relative path (never a scheme): the path is
    /// percent-encoded, the text escaped.
    public static func link(_ text: String, to relativePath: String) -> String {
        "[\(inline(text))](\(RelativeURL.encode(relativePath)))"
    }

    /// An image of a file the tool wrote.
    public static func image(_ description: String, _ relativePath: String) -> String {
        "!" + link(description, to: relativePath)
    }

    private static func escape(_ text: String, lineBreak: String) -> String {
        var visible = InertText.visible(text)
        guard visible.withUTF8(mayNeedEscaping) else { return visible }
        let scalars = Array(visible.unicodeScalars)
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var atStart = true
        for (i, scalar) in scalars.enumerated() {
            if scalar == "\n" {
                // Mid-line in both cases (a space, or a tag inside a table cell): no new block.
                out += lineBreak
                continue
            }
            if atStart {
                atStart = false
                // Leading blanks would make an indented code block; a block starter a heading,
                // list, quote or rule.
                if scalar == " " || scalar == "\t" { out += scalar == " " ? "&#32;" : "&#9;"; atStart = true; continue }
                if blockStarterBits.contains(scalar) { out += "\\"; out.unicodeScalars.append(scalar); continue }
            }
            if inlineSpecialBits.contains(scalar) {
                out += "\\"
            } else if scalar == ":" && i + 2 < scalars.count && scalars[i + 1] == "/" && scalars[i + 2] == "/" {
                // GitHub links bare URLs (`http://…`): an escaped colon keeps them text.
                out += "\\"
            } else if scalar == "." && i >= 3 && scalars[(i - 3)..<i].allSatisfy({ $0 == "w" || $0 == "W" })
                        && (i == 3 || !isWordCharacter(scalars[i - 4])) {
                // …and `www.` names (only `w` and `W` lowercase to `w`: the same test as
                // lowercasing the three, without making a string for every full stop).
                out += "\\"
            } else if scalar == "_" && !(i > 0 && isWordCharacter(scalars[i - 1]) && i + 1 < scalars.count && isWordCharacter(scalars[i + 1])) {
                // An underscore inside a word (file_name) can neither open nor close emphasis.
                out += "\\"
            }
            out.unicodeScalars.append(scalar)
        }
        // "1. text" or "1) text" at the start would be an ordered list.
        if let dot = out.firstIndex(where: { !$0.isASCII || !$0.isNumber }), dot != out.startIndex,
           out[dot] == "." || out[dot] == ")" {
            out.insert("\\", at: dot)
        }
        return out
    }

    /// False when `escape` would return the text as it is: no line break, nothing it escapes
    /// anywhere (`inlineSpecials`, `_`, `://`, `www.`), no blank or block starter first, and no
    /// leading number ending in `.` or `)`. Every trigger is ASCII, so a byte test answers most
    /// report cells without decoding them (issue 9); it errs towards true.
    private static func mayNeedEscaping(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first else { return false }
        if first == 0x20 || first == 0x09 || blockStarterBits.contains(first) { return true }
        if (0x30...0x39).contains(first), let end = bytes.firstIndex(where: { !(0x30...0x39).contains($0) }),
           bytes[end] == 0x2E || bytes[end] == 0x29 {
            return true
        }
        let w = { (i: Int) in bytes[i] == 0x77 || bytes[i] == 0x57 }
        for (i, byte) in bytes.enumerated() {
            switch byte {
            case 0x0A, 0x5F: return true
            case 0x3A: if i + 2 < bytes.count && bytes[i + 1] == 0x2F && bytes[i + 2] == 0x2F { return true }
            case 0x2E: if i >= 3 && w(i - 1) && w(i - 2) && w(i - 3) { return true }
            default: if inlineSpecialBits.contains(byte) { return true }
            }
        }
        return false
    }

    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}

/// HTML text and attribute values (index.html).
public enum HTMLText {
    /// Text content or a quoted attribute value: `& < > " '` as entities, controls visible.
    /// Entities already in the data stay text (`&amp;` is shown as written).
    public static func escape(_ text: String) -> String {
        var visible = InertText.visible(text)
        // The five are ASCII, so they are replaced byte by byte (appending the rest scalar by
        // scalar to a String was most of writing a report's tables; issue 9). Most texts hold
        // none of them and are returned as they are.
        let escaped = visible.withUTF8 { bytes -> String? in
            guard let first = bytes.firstIndex(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            out.append(contentsOf: bytes[..<first])
            for byte in bytes[first...] {
                switch byte {
                case 0x26: out.append(contentsOf: "&amp;".utf8)
                case 0x3C: out.append(contentsOf: "&lt;".utf8)
                case 0x3E: out.append(contentsOf: "&gt;".utf8)
                case 0x22: out.append(contentsOf: "&quot;".utf8)
                case 0x27: out.append(contentsOf: "&#39;".utf8)
                default: out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return escaped ?? visible
    }

    /// An `href` to a file the tool wrote, by a relative path: percent-encoded, so it can
    /// never name a scheme (`javascript:` would become `javascript%3A`), then escaped.
    public static func href(_ relativePath: String) -> String { escape(RelativeURL.encode(relativePath)) }
}

/// Relative URLs of files the tool wrote.
public enum RelativeURL {
    /// Every byte outside the unreserved set and `/` percent-encoded; a `:` is encoded too, so
    /// that no path can be read as a scheme.
    public static func encode(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~/".contains(c)) {
                out.append(c)
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
