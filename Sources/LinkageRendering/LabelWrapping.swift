/// Wraps label text for diagram boxes, in time linear in the length of the text (a 1 MiB label
/// of one word wraps as fast as a page of words).
///
/// Two measures: display columns (a CJK character counts two, so a Chinese and an English label
/// of the same width look alike), or points as Graphviz draws the text (`TextMetrics`), which
/// the page layouts use to size boxes so that text is never cut.
public enum LabelWrapping {
    public static func displayWidth(_ scalar: Unicode.Scalar) -> Int { isWide(scalar) ? 2 : 1 }

    /// East Asian wide and full-width characters.
    public static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    public static func displayWidth(_ text: String) -> Int { text.unicodeScalars.reduce(0) { $0 + displayWidth($1) } }

    /// Breaks `text` into lines of at most `width` display columns: at spaces for Latin text,
    /// between any two characters for CJK text (never before closing punctuation). At most
    /// `maxLines`; when cut, the last line ends with "…".
    public static func wrap(_ text: String, width: Int, maxLines: Int = .max) -> [String] {
        wrap(text, width: Double(width), maxLines: maxLines) { Double(displayWidth($0)) }
    }

    /// The same, measured by `measure` (the width of one Unicode scalar, in any unit `width` is
    /// in). `hyphenate` breaks a word longer than a line with a hyphen (narrow column headers);
    /// otherwise such a word (a long URL, a long code) is cut hard.
    public static func wrap(_ text: String, width: Double, maxLines: Int = .max, hyphenate: Bool = false,
                            measure: (Unicode.Scalar) -> Double) -> [String] {
        withoutActuallyEscaping(measure) { measure in
            var wrapper = Wrapper(width: max(width, 1), maxLines: max(maxLines, 1), hyphenate: hyphenate, measure: measure)
            // Explicit line breaks start new lines; each paragraph wraps on its own (an empty one
            // adds no line).
            var started = false
            for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let words = tokens(paragraph)
                guard !words.isEmpty else { continue }
                if started { wrapper.newLine() }
                started = true
                for word in words where !wrapper.truncated { wrapper.add(word) }
                if wrapper.truncated { break }
            }
            return wrapper.finish()
        }
    }

    /// Words with their leading space for Latin text; single characters for CJK text, with
    /// closing punctuation glued to the character before it.
    static func tokens(_ text: Substring) -> [Token] {
        var result: [Token] = []
        var current = String.UnicodeScalarView()
        var currentSpace = false
        // Opening punctuation waits for the character after it: never alone at a line's end.
        var opening = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { result.append(Token(text: current, leadingSpace: currentSpace)) }
            current = String.UnicodeScalarView()
            currentSpace = false
        }
        for scalar in text.unicodeScalars {
            if scalar == " " {
                flush()
                if !opening.isEmpty {
                    result.append(Token(text: opening, leadingSpace: true))
                    opening = String.UnicodeScalarView()
                }
                currentSpace = true
            } else if isWide(scalar) && Self.openingWide.contains(scalar) {
                if !current.isEmpty { let space = currentSpace; flush(); currentSpace = space }
                opening.append(scalar)
            } else if isWide(scalar) && !closing.contains(scalar) {
                let space = currentSpace
                if !current.isEmpty { flush() }
                var glyph = opening
                glyph.append(scalar)
                opening = String.UnicodeScalarView()
                result.append(Token(text: glyph, leadingSpace: space))
                currentSpace = false
            } else if closing.contains(scalar), current.isEmpty, !currentSpace, opening.isEmpty, !result.isEmpty {
                result[result.count - 1].text.append(scalar)
            } else {
                if !opening.isEmpty {
                    current.append(contentsOf: opening)
                    opening = String.UnicodeScalarView()
                }
                current.append(scalar)
            }
        }
        flush()
        if !opening.isEmpty { result.append(Token(text: opening, leadingSpace: false)) }
        return result
    }

    static let openingWide: Set<Unicode.Scalar> = ["（", "《", "「", "『", "“", "‘", "【", "〔"]

    static let closing: Set<Unicode.Scalar> = ["，", "。", "、", "；", "：", "）", "》", "」", "』", "！", "？", ",", ".", ";", ":", ")"]

    struct Token {
        var text: String.UnicodeScalarView
        var leadingSpace: Bool
    }

    /// Greedy line filling; every scalar is measured once or twice.
    private struct Wrapper {
        let width: Double
        let maxLines: Int
        let hyphenate: Bool
        let measure: (Unicode.Scalar) -> Double
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var currentWidth = 0.0
        /// Text was left out after the last line.
        var truncated = false

        init(width: Double, maxLines: Int, hyphenate: Bool, measure: @escaping (Unicode.Scalar) -> Double) {
            self.width = width
            self.maxLines = maxLines
            self.hyphenate = hyphenate
            self.measure = measure
        }

        /// Ends the current line because more text follows; on the last allowed line that text
        /// is cut instead.
        mutating func newLine() {
            while current.last == " " { current.removeLast() }
            lines.append(String(current))
            current = String.UnicodeScalarView()
            currentWidth = 0
            if lines.count >= maxLines { truncated = true }
        }

        mutating func add(_ token: Token) {
            var tokenWidth = 0.0
            for scalar in token.text { tokenWidth += measure(scalar) }
            let lead = token.leadingSpace && !current.isEmpty ? measure(" ") : 0
            if currentWidth + lead + tokenWidth <= width {
                if lead > 0 { current.append(" ") }
                current.append(contentsOf: token.text)
                currentWidth += lead + tokenWidth
                return
            }
            if tokenWidth <= width {
                newLine()
                guard !truncated else { return }
                current.append(contentsOf: token.text)
                currentWidth = tokenWidth
                return
            }
            // A word longer than a line: hyphenated from the current line on when there is
            // room for a few letters, else from a new line; cut hard when not hyphenating.
            if !current.isEmpty {
                if hyphenate && width - currentWidth - lead >= 4 * measure("n") {
                    if lead > 0 { current.append(" "); currentWidth += lead }
                } else {
                    newLine()
                    guard !truncated else { return }
                }
            }
            let scalars = Array(token.text)
            let widths = scalars.map(measure)
            let hyphenWidth = hyphenate ? measure("-") : 0
            var start = 0
            while start < scalars.count {
                // As many characters as fit, keeping room for a hyphen unless the rest fits.
                var end = start
                var used = currentWidth
                while end < scalars.count {
                    let room = hyphenate && end + 1 < scalars.count ? width - hyphenWidth : width
                    if used + widths[end] > room { break }
                    used += widths[end]
                    end += 1
                }
                if end == scalars.count {
                    current.append(contentsOf: scalars[start...])
                    currentWidth = used
                    return
                }
                if hyphenate {
                    // A hyphen or slash in the word is the place to break: after it, with no
                    // hyphen added (never at the start of the next line).
                    if scalars[end] == "-" || scalars[end] == "/", used + widths[end] <= width {
                        end += 1
                    } else if let last = scalars[(start + 2)..<max(end, start + 2)].lastIndex(where: { $0 == "-" || $0 == "/" }) {
                        end = last + 1
                    }
                    // Never leave one letter on either side of a hyphen.
                    if scalars.count - end < 2, end - start > 3 { end -= 2 - (scalars.count - end) }
                    if end - start < 2 {
                        if !current.isEmpty {
                            newLine()
                            guard !truncated else { return }
                            continue
                        }
                        end = min(max(end, start + 1), scalars.count)
                    }
                } else if end == start {
                    if !current.isEmpty {
                        newLine()
                        guard !truncated else { return }
                        continue
                    }
                    end = start + 1
                }
                current.append(contentsOf: scalars[start..<end])
                if hyphenate, !isWide(scalars[end - 1]), scalars[end - 1] != "-", scalars[end - 1] != "/" { current.append("-") }
                newLine()
                guard !truncated else { return }
                start = end
            }
        }

        mutating func finish() -> [String] {
            if !truncated {
                while current.last == " " { current.removeLast() }
                if !current.isEmpty || lines.isEmpty { lines.append(String(current)) }
                return lines
            }
            // The last line ends with "…", shortened until both fit.
            var scalars = Array(lines[lines.count - 1].unicodeScalars)
            let ellipsis = measure("…")
            var total = scalars.reduce(0) { $0 + measure($1) }
            while !scalars.isEmpty, total + ellipsis > width { total -= measure(scalars.removeLast()) }
            while scalars.last == " " || scalars.last == "-" { scalars.removeLast() }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            lines[lines.count - 1] = String(view) + "…"
            return lines
        }
    }
}
