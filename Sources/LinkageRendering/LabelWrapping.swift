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
    /// otherwise such a word (a long URL, a long code) is cut without one: after its last slash
    /// or hyphen that fits, else hard.
    public static func wrap(_ text: String, width: Double, maxLines: Int = .max, hyphenate: Bool = false,
                            measure: (Unicode.Scalar) -> Double) -> [String] {
        prepare(text, measure: measure).wrap(width: width, maxLines: maxLines, hyphenate: hyphenate)
    }

    /// Text split into words and measured once, to be wrapped at any width (layouts try several).
    public static func prepare(_ text: String, measure: (Unicode.Scalar) -> Double) -> PreparedText {
        prepare(split(text), measure: measure)
    }

    /// Text split into paragraphs of words, not measured yet: the same at every size, so that a
    /// text measured at several sizes is split once (`PreparedTextCache`).
    struct SplitText: Sendable {
        var paragraphs: [[(scalars: [Unicode.Scalar], leadingSpace: Bool)]]
    }

    static func split(_ text: String) -> SplitText {
        SplitText(paragraphs: text.split(separator: "\n", omittingEmptySubsequences: false).map { paragraph in
            tokens(paragraph).map { token in (token.text, token.leadingSpace) }
        })
    }

    /// Split text measured.
    static func prepare(_ split: SplitText, measure: (Unicode.Scalar) -> Double) -> PreparedText {
        let paragraphs = split.paragraphs.map { words in
            words.map { word in
                let widths = word.scalars.map(measure)
                return PreparedText.Word(scalars: word.scalars, widths: widths, width: widths.reduce(0, +), leadingSpace: word.leadingSpace)
            }
        }
        return PreparedText(paragraphs: paragraphs, space: measure(" "), hyphen: measure("-"), ellipsis: measure("…"), letter: measure("n"))
    }

    /// Words with their leading space for Latin text; single characters for CJK text, with
    /// closing punctuation glued to the character before it.
    static func tokens(_ text: Substring) -> [Token] {
        var result: [Token] = []
        var current: [Unicode.Scalar] = []
        var currentSpace = false
        // Opening punctuation waits for the character after it: never alone at a line's end.
        var opening: [Unicode.Scalar] = []
        func flush() {
            if !current.isEmpty { result.append(Token(text: current, leadingSpace: currentSpace)) }
            current = []
            currentSpace = false
        }
        for scalar in text.unicodeScalars {
            if scalar == " " {
                flush()
                if !opening.isEmpty {
                    result.append(Token(text: opening, leadingSpace: true))
                    opening = []
                }
                currentSpace = true
            } else if isWide(scalar) && isOpeningWide(scalar) {
                if !current.isEmpty { let space = currentSpace; flush(); currentSpace = space }
                opening.append(scalar)
            } else if isWide(scalar) && !isClosing(scalar) {
                let space = currentSpace
                if !current.isEmpty { flush() }
                var glyph = opening
                glyph.append(scalar)
                opening = []
                result.append(Token(text: glyph, leadingSpace: space))
                currentSpace = false
            } else if isClosing(scalar), current.isEmpty, !currentSpace, opening.isEmpty, !result.isEmpty {
                result[result.count - 1].text.append(scalar)
            } else if scalar == "·", current.isEmpty, currentSpace, opening.isEmpty, !result.isEmpty {
                // A list's separator stays at the end of the line with the item before it
                // ("1 · 3 ·" then "5 · 17"), never starting a line ("· 17").
                result[result.count - 1].text += [" ", scalar]
                currentSpace = false
            } else {
                if !opening.isEmpty {
                    current.append(contentsOf: opening)
                    opening = []
                }
                current.append(scalar)
            }
        }
        flush()
        if !opening.isEmpty { result.append(Token(text: opening, leadingSpace: false)) }
        return result
    }

    // The two classes as switches rather than sets: every character of every label is tested,
    // and hashing each was most of splitting a text (issue 9).

    /// （ 《 「 『 “ ‘ 【 〔
    static func isOpeningWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0xFF08, 0x300A, 0x300C, 0x300E, 0x201C, 0x2018, 0x3010, 0x3014: true
        default: false
        }
    }

    /// ， 。 、 ； ： ） 》 」 』 ！ ？ and , . ; : )
    static func isClosing(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF09, 0x300B, 0x300D, 0x300F, 0xFF01, 0xFF1F,
             0x2C, 0x2E, 0x3B, 0x3A, 0x29: true
        default: false
        }
    }

    struct Token {
        var text: [Unicode.Scalar]
        var leadingSpace: Bool
    }

}

/// Text split into words with every character measured: wrapping it again at another width
/// measures nothing again.
public struct PreparedText: Sendable {
    struct Word: Sendable {
        var scalars: [Unicode.Scalar]
        var widths: [Double]
        var width: Double
        var leadingSpace: Bool
    }

    var paragraphs: [[Word]]
    var space: Double
    var hyphen: Double
    var ellipsis: Double
    var letter: Double

    /// The least width that wraps the text without cutting a word anywhere but after a slash
    /// or hyphen (where the wrapper breaks a word too long for its line): the widest piece.
    public var widestWord: Double {
        var widest = 0.0
        for words in paragraphs {
            for word in words {
                var piece = 0.0
                for (scalar, width) in zip(word.scalars, word.widths) {
                    piece += width
                    if scalar == "/" || scalar == "-" {
                        widest = max(widest, piece)
                        piece = 0
                    }
                }
                widest = max(widest, piece)
            }
        }
        return widest
    }

    /// Lines of at most `width`, at most `maxLines` (the last cut with "…").
    public func wrap(width: Double, maxLines: Int = .max, hyphenate: Bool = false) -> [String] {
        wrapCountingSteps(width: width, maxLines: maxLines, hyphenate: hyphenate).lines
    }

    /// `wrap`'s lines, and whether text was left out for the "…".
    func wrapNotingCut(width: Double, maxLines: Int = .max, hyphenate: Bool = false) -> (lines: [String], cut: Bool) {
        let wrapped = wrapCountingSteps(width: width, maxLines: maxLines, hyphenate: hyphenate)
        return (wrapped.lines, wrapped.cut)
    }

    /// Lines of at most `width`, as many as `wrap` makes, as even as they can be: wrapped at
    /// the narrowest width (to half a point) that needs no more lines. A list of targets then
    /// ends "· 10 · 11 · 16 · 17" rather than with "· 17" alone on its last line.
    public func wrapBalanced(width: Double) -> [String] {
        let lines = wrap(width: width)
        guard lines.count > 1 else { return lines }
        var low = 0.0, high = width
        while high - low > 0.5 {
            let middle = (low + high) / 2
            if wrap(width: middle).count <= lines.count { high = middle } else { low = middle }
        }
        return high < width ? wrap(width: high) : lines
    }

    /// The lines, and how many times the wrapper looked at or moved a character: what a test
    /// compares with the text's length to pin that wrapping is linear (without timing it).
    func wrapCountingSteps(width: Double, maxLines: Int = .max, hyphenate: Bool = false) -> (lines: [String], steps: Int, cut: Bool) {
        var wrapper = Wrapper(text: self, width: max(width, 1), maxLines: max(maxLines, 1), hyphenate: hyphenate)
        // Explicit line breaks start new lines; each paragraph wraps on its own (an empty one
        // adds no line).
        var started = false
        for words in paragraphs where !words.isEmpty {
            if started {
                wrapper.newLine()
                wrapper.paragraphStart = wrapper.lines.count
            }
            started = true
            for word in words where !wrapper.truncated { wrapper.add(word) }
            if wrapper.truncated { break }
        }
        let lines = wrapper.finish()
        return (lines, wrapper.steps, wrapper.truncated)
    }

    /// Greedy line filling over measured words: linear in the length of the text.
    private struct Wrapper {
        let text: PreparedText
        let width: Double
        let maxLines: Int
        let hyphenate: Bool
        var lines: [(scalars: [Unicode.Scalar], widths: [Double])] = []
        var current: [Unicode.Scalar] = []
        var currentWidths: [Double] = []
        var currentWidth = 0.0
        /// Text was left out after the last line.
        var truncated = false
        /// Characters looked at or moved, every loop counted (`wrapCountingSteps`).
        var steps = 0
        /// The line the last paragraph starts on.
        var paragraphStart = 0

        init(text: PreparedText, width: Double, maxLines: Int, hyphenate: Bool) {
            self.text = text
            self.width = width
            self.maxLines = maxLines
            self.hyphenate = hyphenate
        }

        private mutating func append(_ scalar: Unicode.Scalar, _ w: Double) {
            steps += 1
            current.append(scalar)
            currentWidths.append(w)
            currentWidth += w
        }

        private mutating func trimTrailingSpaces() {
            while current.last == " " {
                steps += 1
                current.removeLast()
                currentWidth -= currentWidths.removeLast()
            }
        }

        /// Ends the current line because more text follows; on the last allowed line that text
        /// is cut instead.
        mutating func newLine() {
            trimTrailingSpaces()
            lines.append((current, currentWidths))
            current = []
            currentWidths = []
            currentWidth = 0
            if lines.count >= maxLines { truncated = true }
        }

        mutating func add(_ word: Word) {
            let lead = word.leadingSpace && !current.isEmpty ? text.space : 0
            if currentWidth + lead + word.width <= width {
                if lead > 0 { append(" ", lead) }
                for (scalar, w) in zip(word.scalars, word.widths) { append(scalar, w) }
                return
            }
            if word.width <= width {
                // On the last line allowed, a word that does not fit what is left of the line is
                // cut into it (then "…") when the line is less than half full: "BAAP-OUT-2.1
                // Telecommunicat…" tells more than "BAAP-OUT-2.1…". A fuller line ends before it.
                if lines.count + 1 >= maxLines && currentWidth < width / 2 {
                    if lead > 0 { append(" ", lead) }
                    for (scalar, w) in zip(word.scalars, word.widths) {
                        if currentWidth + w > width { break }
                        append(scalar, w)
                    }
                    newLine()
                    return
                }
                newLine()
                guard !truncated else { return }
                for (scalar, w) in zip(word.scalars, word.widths) { append(scalar, w) }
                return
            }
            // A word longer than a line: hyphenated from the current line on when there is
            // room for a few letters, else from a new line; cut without a hyphen when not
            // hyphenating (after a slash or hyphen where there is one).
            if !current.isEmpty {
                if hyphenate && width - currentWidth - lead >= 4 * text.letter {
                    if lead > 0 { append(" ", lead) }
                } else {
                    newLine()
                    guard !truncated else { return }
                }
            }
            let scalars = word.scalars, widths = word.widths
            var start = 0
            while start < scalars.count {
                // As many characters as fit, keeping room for a hyphen unless the rest fits.
                var end = start
                var used = currentWidth
                while end < scalars.count {
                    steps += 1
                    let room = hyphenate && end + 1 < scalars.count ? width - text.hyphen : width
                    if used + widths[end] > room { break }
                    used += widths[end]
                    end += 1
                }
                if end == scalars.count {
                    for k in start..<end { append(scalars[k], widths[k]) }
                    return
                }
                if hyphenate {
                    // A hyphen or slash in the word is the place to break: after it, with no
                    // hyphen added (never at the start of the next line).
                    if scalars[end] == "-" || scalars[end] == "/", used + widths[end] <= width {
                        end += 1
                    } else if let last = scalars[(start + 2)..<max(end, start + 2)].lastIndex(where: { $0 == "-" || $0 == "/" }) {
                        steps += end - last
                        end = last + 1
                    } else {
                        steps += max(end - start - 2, 0)
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
                } else if lines.count + 1 < maxLines {
                    // Cut after the word's last slash or hyphen that fits (`Telecommunication/`
                    // then `ICT`), not in the middle of what follows it (`Telecommunication/I`);
                    // on the last line allowed, where the rest is left out for "…", as much as fits.
                    if let last = scalars[(start + 1)..<end].lastIndex(where: { $0 == "/" || $0 == "-" }) {
                        steps += end - last
                        end = last + 1
                    } else {
                        steps += max(end - start - 1, 0)
                    }
                }
                for k in start..<end { append(scalars[k], widths[k]) }
                if hyphenate, !LabelWrapping.isWide(scalars[end - 1]), scalars[end - 1] != "-", scalars[end - 1] != "/" {
                    append("-", text.hyphen)
                }
                newLine()
                guard !truncated else { return }
                start = end
            }
        }

        /// A Chinese paragraph whose last line is one character ("可持续城市和社" then "区")
        /// takes the character before it onto that line (with the punctuation glued to it),
        /// when the line before keeps two or more and the last still fits: a character alone on
        /// a line reads as a stray. Lines of another paragraph are not touched.
        private mutating func keepLastCharacterCompany() {
            guard lines.count >= 2, lines.count - 1 > paragraphStart else { return }
            let last = lines[lines.count - 1], before = lines[lines.count - 2]
            let l = last.scalars, b = before.scalars
            func isCharacter(_ s: Unicode.Scalar) -> Bool {
                LabelWrapping.isWide(s) && !LabelWrapping.isClosing(s) && !LabelWrapping.isOpeningWide(s)
            }
            guard let first = l.first, isCharacter(first), l.count == 1 || (l.count == 2 && LabelWrapping.isClosing(l[1])) else { return }
            // The character that ends the line before, with closing punctuation after it and
            // opening punctuation before it.
            var k = 1
            if let end = b.last, LabelWrapping.isClosing(end) { k = 2 }
            guard b.count >= k, isCharacter(b[b.count - k]) else { return }
            if b.count > k, LabelWrapping.isOpeningWide(b[b.count - k - 1]) { k += 1 }
            guard b.count - k >= 2 else { return }
            steps += k + l.count
            guard before.widths.suffix(k).reduce(0, +) + last.widths.reduce(0, +) <= width else { return }
            lines[lines.count - 2] = (Array(b.dropLast(k)), Array(before.widths.dropLast(k)))
            lines[lines.count - 1] = (Array(b.suffix(k)) + l, Array(before.widths.suffix(k)) + last.widths)
        }

        mutating func finish() -> [String] {
            func string(_ scalars: [Unicode.Scalar]) -> String {
                // Through UTF-8 bytes: much faster than appending scalars to a String one by one.
                var bytes: [UInt8] = []
                bytes.reserveCapacity(scalars.count * 3)
                steps += scalars.count
                for scalar in scalars { UTF8.encode(scalar) { bytes.append($0) } }
                return String(decoding: bytes, as: UTF8.self)
            }
            if !truncated {
                trimTrailingSpaces()
                if !current.isEmpty || lines.isEmpty { lines.append((current, currentWidths)) }
                keepLastCharacterCompany()
                return lines.map { string($0.scalars) }
            }
            // The last line ends with "…", shortened until both fit.
            var (scalars, widths) = lines[lines.count - 1]
            var total = widths.reduce(0, +)
            steps += widths.count
            while !scalars.isEmpty, total + text.ellipsis > width {
                steps += 1
                scalars.removeLast()
                total -= widths.removeLast()
            }
            while scalars.last == " " || scalars.last == "-" { steps += 1; scalars.removeLast() }
            var result = lines.dropLast().map { string($0.scalars) }
            result.append(string(scalars) + "…")
            return result
        }
    }
}
