/// Characters an id may not hold: whitespace (including newline and tab), control characters
/// and invisible format characters (zero-width spaces, bidi overrides).
///
/// Why refuse rather than carry them: ids are codes people type and search (`BAAP-OUT-2.1`);
/// an id holding a newline or a right-to-left override is a copy-paste accident or a hostile
/// edit, two ids that look the same would be different nodes, and XML 1.0 (GraphML) cannot
/// carry most control characters at all. Labels and other texts may hold them; every output
/// shows them inert (`InertText`).
enum IDCharacters {
    static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        // Visible ASCII, nearly every character of every id, without the Unicode tables.
        if (0x21...0x7E).contains(scalar.value) { return false }
        if InertText.isDisplayControl(scalar) || scalar.properties.isWhitespace { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator: return true
        default: return false
        }
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case " ": "a space"
        case "\n": "a line break"
        case "\t": "a tab"
        default: "the invisible character \(InertText.escape(scalar))"
        }
    }
}
