/// Characters that change how the text around them is displayed or interpreted rather than
/// being shown: C0 controls (ESC starts terminal escape sequences, CR returns to the start of the
/// line), DEL, C1 controls (U+0080–U+009F; U+009B is a one-byte CSI in some terminals), the
/// bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069: a right-to-left
/// override makes "exe.txt" display as "txt.exe"), the invisible direction marks (U+200E, U+200F,
/// U+061C) and the Unicode line and paragraph separators (U+2028, U+2029).
///
/// Data may hold any of them (a copy from a PDF, or a hostile edit). Every text output shows them
/// as a visible escape such as `\u{1B}` instead, so they are seen and do nothing. The one policy
/// lives here; each output format calls it from its own escaping routine.
public enum InertText {
    /// Whether `scalar` is a character this policy shows as an escape. Newline and tab are not
    /// included: each format decides what a line break or tab becomes.
    public static func isDisplayControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x08, 0x0B...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// `\u{1B}`: the Swift-style escape a reader recognises, in upper-case hex.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }

    /// `text` with every display control written as `\u{…}`. Newlines and tabs are kept unless
    /// `escapingLineBreaks` is set, in which case they are written `\u{A}` and `\u{9}` as well.
    public static func visible(_ text: String, escapingLineBreaks: Bool = false) -> String {
        guard mayHoldDisplayControl(text),
              text.unicodeScalars.contains(where: { isDisplayControl($0) || (escapingLineBreaks && ($0 == "\n" || $0 == "\t")) })
        else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if isDisplayControl(scalar) || (escapingLineBreaks && (scalar == "\n" || scalar == "\t")) {
                out += escape(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether `text` holds nothing this policy would escape.
    public static func isInert(_ text: String) -> Bool { !mayHoldDisplayControl(text) || !text.unicodeScalars.contains(where: isDisplayControl) }

    /// False when `text` holds no display control, newline or tab, read from its UTF-8 bytes:
    /// none below 0x20, no DEL, no C1 control (C2 80–9F), no U+061C (D8 9C), none of the marks
    /// and separators at U+200E–U+202E and U+2066–U+2069 (E2 80 8E/8F/A8–AE, E2 81 A6–A9).
    /// Every report cell is tested; decoding each one was most of the test (issue 9).
    static func mayHoldDisplayControl(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            let count = bytes.count
            for i in 0..<count {
                let byte = bytes[i]
                if byte < 0x20 || byte == 0x7F { return true }
                guard byte >= 0xC2, i + 1 < count else { continue }
                let next = bytes[i + 1]
                switch byte {
                case 0xC2: if next <= 0x9F { return true }
                case 0xD8: if next == 0x9C { return true }
                case 0xE2:
                    guard i + 2 < count else { continue }
                    let third = bytes[i + 2]
                    if next == 0x80 && (third == 0x8E || third == 0x8F || (0xA8...0xAE).contains(third)) { return true }
                    if next == 0x81 && (0xA6...0xA9).contains(third) { return true }
                default: break
                }
            }
            return false
        }
    }
}
