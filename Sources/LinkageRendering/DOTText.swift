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

    public enum LineAlignment: String, Sendable { case left = "\\l", centre = "\\n", right = "\\r" }

    /// Several lines as one quoted label, each line ended by the escape that aligns it
    /// (`\l` left, `\n` centred, `\r` right).
    public static func quoted(lines: [String], align: LineAlignment) -> String {
        var body = ""
        for line in lines {
            body += escapedBody(line, newline: "\\n", ampersand: "&amp;")
            body += align.rawValue
        }
        return chunked(body)
    }

    /// A plain identifier or attribute value that needs no label processing (ids, colours):
    /// quoted with `"` and `\` escaped only.
    /// Graphviz writes names into SVG `<title>` without escaping what looks like an entity
    /// (`&;`, `&x;` would make the SVG ill-formed), so `&` is written `&amp;` here too.
    public static func identifier(_ text: String) -> String { escaped(text, newline: " ", ampersand: "&amp;") }

    /// The name of a graph, cluster or node as Graphviz gets it: `identifier`, with a name
    /// longer than `maxNameBytes` shortened to its start, "…" and a hash of the whole (so names
    /// stay distinct and the output deterministic). Graphviz 2.42 puts names into its warnings
    /// ("node '%s', graph '%s' size too small for label") and, with an error function installed
    /// (which `Graphviz` needs to report them), formats a message of 1,024 bytes or more twice
    /// from one `va_list`, reading garbage: a 3,000-character view id crashed it (SIGSEGV in
    /// vsnprintf, found by scripts/fuzz-escaping.sh). Short names keep every such message under
    /// that size; the SVG `<title>` shows the shortened name, tooltips keep the whole text.
    public static func name(_ text: String) -> String {
        // Measured as written: escapes (`\u{14}` for a control character, `&amp;`) are what
        // Graphviz stores and prints.
        let whole = identifier(text)
        guard whole.utf8.count > maxNameBytes + 2 else { return whole }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, 64 bits
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        var start = String.UnicodeScalarView()
        var written = 0
        for scalar in text.unicodeScalars {
            let size = identifier(String(scalar)).utf8.count - 2
            if written + size > maxNameBytes / 2 { break }
            start.append(scalar)
            written += size
        }
        let digits = String(hash, radix: 16)
        return identifier(String(start) + "…" + String(repeating: "0", count: 16 - digits.count) + digits)
    }

    /// Bytes of a name Graphviz gets whole (the bundled data's longest id has 30).
    static let maxNameBytes = 200

    /// Quotes `text` for DOT: backslashes doubled, quotes escaped, newlines replaced.
    private static func escaped(_ text: String, newline: String, ampersand: String, backslash: String = "\\\\") -> String {
        chunked(escapedBody(text, newline: newline, ampersand: ampersand, backslash: backslash))
    }

    private static func escapedBody(_ text: String, newline: String, ampersand: String, backslash: String = "\\\\") -> String {
        switch escaping(text) {
        case .none:
            // Most texts hold nothing to escape or normalise: they are written as they are.
            return text
        case .asciiOnly:
            return replacingASCII(text, newline: newline, ampersand: ampersand, backslash: backslash)
        case .characters:
            guard text.unicodeScalars.contains(where: needsEscaping) else { return text }
            // `normalized` leaves only ASCII to replace (its `\u{…}` escapes among it).
            return replacingASCII(normalized(text), newline: newline, ampersand: ampersand, backslash: backslash)
        }
    }

    /// Backslashes, quotes, line breaks and ampersands replaced byte by byte, tabs made spaces
    /// (as `normalized` does), every other byte copied as it is.
    private static func replacingASCII(_ text: String, newline: String, ampersand: String, backslash: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): out.append(contentsOf: backslash.utf8)
                case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\n"): out.append(contentsOf: newline.utf8)
                case UInt8(ascii: "&"): out.append(contentsOf: ampersand.utf8)
                case UInt8(ascii: "\t"): out.append(UInt8(ascii: " "))
                default: out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    private enum Escaping { case none, asciiOnly, characters }

    /// What `escapedBody` must do with `text`, read from its UTF-8 bytes (labels pass here once
    /// per figure). `none`: `needsEscaping` holds for no character. `asciiOnly`: only for
    /// backslashes, quotes, ampersands, line breaks and tabs. `characters`: the text holds
    /// another ASCII control, or a character led by a byte the other characters `needsEscaping`
    /// holds for start with (U+0080…U+009F: C2; U+061C: D8; U+200E…U+2069: E2); it is then
    /// checked character by character.
    private static func escaping(_ text: String) -> Escaping {
        var text = text
        return text.withUTF8 { bytes in
            var result = Escaping.none
            for byte in bytes {
                if byte < 0x80 {
                    switch byte {
                    case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "&"), UInt8(ascii: "\n"), UInt8(ascii: "\t"):
                        result = .asciiOnly
                    case 0x00..<0x20, 0x7F:
                        return .characters
                    default:
                        continue
                    }
                } else if byte == 0xC2 || byte == 0xD8 || byte == 0xE2 {
                    return .characters
                }
            }
            return result
        }
    }

    /// What `escapedBody` changes: the characters it escapes and those `normalized` replaces.
    private static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\\", "\"", "\n", "&", "\t": true
        default: InertText.isDisplayControl(scalar)
        }
    }

    /// Graphviz's scanner refuses a quoted string longer than 16,384 bytes ("scanning a quoted
    /// string (missing endquote? longer than 16384?)"). DOT joins quoted strings written
    /// `"..." + "..."`, so a long body is written as pieces of at most `pieceBytes`, never
    /// splitting an escape sequence (a backslash and the character after it).
    static let pieceBytes = 8_000

    private static func chunked(_ body: String) -> String {
        guard body.utf8.count > pieceBytes else { return "\"" + body + "\"" }
        var out = "\""
        out.reserveCapacity(body.utf8.count + body.utf8.count / pieceBytes * 5 + 2)
        var bytes = 0
        var afterBackslash = false
        for scalar in body.unicodeScalars {
            let size = UTF8.width(scalar)
            if bytes + size > pieceBytes && !afterBackslash {
                out += "\" + \""
                bytes = 0
            }
            out.unicodeScalars.append(scalar)
            bytes += size
            afterBackslash = !afterBackslash && scalar == "\\"
        }
        return out + "\""
    }

    /// Appends the value Graphviz's lexer (lib/cgraph/scan.l) makes of one token this file
    /// writes: a bare word or number as it is; a quoted string, or several joined by ` + `, read
    /// as Graphviz 2.43 reads it: `\"` is `"`, a backslash and the character after it are kept
    /// as a pair (so `\\` before the closing quote is two backslashes, and `\n` stays two bytes:
    /// Graphviz reads escStrings later, on the value), every other byte is kept. False, with
    /// `out` partly written, for anything this does not model: a raw newline (the lexer drops a
    /// backslash-newline) or NUL, a piece longer than the lexer takes, a keyword or a word it
    /// would split, text that is not one token.
    static func appendLexedValue(of token: String, to out: inout [UInt8]) -> Bool {
        var token = token
        return token.withUTF8 { bytes in
            guard let first = bytes.first else { return false }
            guard first == UInt8(ascii: "\"") else {
                guard isBareToken(bytes) else { return false }
                out.append(contentsOf: bytes)
                return true
            }
            var i = 0
            while true {
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return false }
                i += 1
                let start = i
                while true {
                    guard i < bytes.count else { return false }
                    // The bytes up to the next quote, backslash, newline or NUL, in one append.
                    var end = i
                    while end < bytes.count {
                        let byte = bytes[end]
                        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\n") || byte == 0 { break }
                        end += 1
                    }
                    if end > i {
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<end]))
                        i = end
                        continue
                    }
                    let byte = bytes[i]
                    if byte == UInt8(ascii: "\"") { break }
                    if byte == 0 || byte == UInt8(ascii: "\n") { return false }
                    if byte == UInt8(ascii: "\\"), i + 1 < bytes.count {
                        let next = bytes[i + 1]
                        if next == 0 || next == UInt8(ascii: "\n") { return false }
                        if next == UInt8(ascii: "\"") {
                            out.append(next)
                        } else {
                            out.append(byte)
                            out.append(next)
                        }
                        i += 2
                    } else {
                        out.append(byte)
                        i += 1
                    }
                }
                guard i - start <= maximumLexedPiece else { return false }
                i += 1  // the closing quote
                if i == bytes.count { return true }
                // ` + "`: the next piece.
                guard i + 3 < bytes.count, bytes[i] == UInt8(ascii: " "), bytes[i + 1] == UInt8(ascii: "+"),
                      bytes[i + 2] == UInt8(ascii: " ") else { return false }
                i += 3
            }
        }
    }

    /// The longest quoted piece Graphviz's lexer reads (16,384 bytes; `chunked` writes 8,000).
    static let maximumLexedPiece = 16_000

    /// A word (`[A-Za-z_][A-Za-z_0-9]*`, not a DOT keyword) or a number (`-?digits[.digits]`),
    /// which Graphviz's lexer reads as one token, unchanged.
    private static func isBareToken(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_") }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        if isLetter(bytes[0]) {
            guard bytes.allSatisfy({ isLetter($0) || isDigit($0) }) else { return false }
            // Keywords have 4 to 8 letters and start with one of these: most words are not looked up.
            guard (4...8).contains(bytes.count), "negds".utf8.contains(bytes[0] | 0x20) else { return true }
            let word = String(decoding: bytes, as: UTF8.self).lowercased()
            return !["node", "edge", "graph", "digraph", "subgraph", "strict"].contains(word)
        }
        var digits = bytes[...]
        if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        let parts = digits.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(isDigit) else { return false }
        return parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy(isDigit))
    }

    /// A link target from data, ready for a `URL` attribute, or nil when it must not become a
    /// link: only `http` and `https` URLs with a host, made only of the characters RFC 3986
    /// allows (so no quote, space, backslash, angle bracket or control character can leave the
    /// attribute or the SVG `xlink:href` Graphviz writes), and at most 2,000 characters. Every
    /// URL the renderer writes goes through here; anything else is shown as text only.
    public static func link(_ url: String?) -> String? {
        guard let url, !url.isEmpty, url.utf8.count <= 2_000, onlyURLCharacters(url) else { return nil }
        let lower = url.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = url.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = url.dropFirst(7)
        } else {
            return nil
        }
        // The authority: a host (letters, digits, dots, hyphens; an optional port), no user info.
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostAndPort = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let host = hostAndPort.first, !host.isEmpty, !authority.contains("@"),
              host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }),
              hostAndPort.count == 1 || (hostAndPort[1].allSatisfy { $0.isASCII && $0.isNumber } && !hostAndPort[1].isEmpty)
        else { return nil }
        return identifier(url)
    }

    /// A path on the same site (`/node/SDG-9.c`), ready for a `URL` attribute, or nil: it must
    /// start with exactly one `/` (`//host` would leave the site), hold only RFC 3986 characters
    /// with well-formed percent escapes, and be at most 2,000 characters. Only the renderer's own
    /// node-page links use it; URLs from data go through `link`.
    public static func sitePath(_ path: String?) -> String? {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), path.utf8.count <= 2_000, onlyURLCharacters(path) else { return nil }
        return identifier(path)
    }

    /// A node id as one path segment: every byte outside RFC 3986's unreserved set
    /// percent-encoded (`HX-Z/1` → `HX-Z%2F1`), so the id can never end the path or add a query.
    public static func pathSegment(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// Whether `text` holds only the unreserved and reserved characters of RFC 3986, every
    /// percent sign followed by exactly two hex digits. All of them are ASCII, so the UTF-8
    /// bytes are tested against an `ASCIISet` (hashing every character of every box's link
    /// was a fifth of writing a diagram's DOT; issue 9).
    private static func onlyURLCharacters(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            func isHex(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte) }
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte == UInt8(ascii: "%") {
                    guard i + 2 < bytes.count, isHex(bytes[i + 1]), isHex(bytes[i + 2]) else { return false }
                    i += 3
                    continue
                }
                guard urlCharacters.contains(byte) else { return false }
                i += 1
            }
            return true
        }
    }

    /// Unreserved and reserved characters of RFC 3986 (percent signs are checked apart).
    private static let urlCharacters: ASCIISet = {
        var set = ASCIISet("-._~:/?#[]@!$&'()*+,;=".unicodeScalars)
        for (first, last) in [(UInt8(ascii: "a"), UInt8(ascii: "z")), (UInt8(ascii: "A"), UInt8(ascii: "Z")), (UInt8(ascii: "0"), UInt8(ascii: "9"))] {
            for byte in first...last { set.insert(byte) }
        }
        return set
    }()

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

    /// Control characters and bidirectional controls cannot be shown in a label, and would make
    /// it read differently from what it holds: they are written as visible `\u{…}` escapes (the
    /// policy every text output shares, InertText); a tab becomes a space; newlines stay.
    public static func normalized(_ text: String) -> String {
        if !text.unicodeScalars.contains(where: { $0 == "\t" || InertText.isDisplayControl($0) }) { return text }
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


private extension String {
    func leftPadded(to length: Int) -> String { count >= length ? self : String(repeating: "0", count: length - count) + self }
}
