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

    /// False when no byte of `text` can belong to a display control, newline or tab: none
    /// below 0x20, no DEL, and none of the lead bytes of the others (C1 controls: 0xC2; U+061C:
    /// 0xD8; the marks and separators at U+200E–U+2069: 0xE2). A byte test answers most texts
    /// (Chinese included) without decoding them: every report cell is tested (issue 9).
    static func mayHoldDisplayControl(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 }
    }
}
