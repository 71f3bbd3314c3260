/// Wraps label text for diagram boxes. Widths are in display columns: CJK characters take two,
/// so a Chinese and an English label of the same width look alike.
public enum LabelWrapping {
    public static func displayWidth(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    public static func displayWidth(_ text: String) -> Int { text.unicodeScalars.reduce(0) { $0 + displayWidth($1) } }

    /// Breaks `text` into lines of at most `width` columns: at spaces for Latin text, between
    /// any two characters for CJK text (never before closing punctuation). At most `maxLines`;
    /// when cut, the last line ends with "…".
    public static func wrap(_ text: String, width: Int, maxLines: Int = .max) -> [String] {
        // Explicit line breaks start new lines; each paragraph wraps on its own.
        if text.contains("\n") {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { wrapParagraph(String($0), width: width) }
            return cut(lines, width: width, maxLines: maxLines)
        }
        return cut(wrapParagraph(text, width: width), width: width, maxLines: maxLines)
    }

    private static func cut(_ lines: [String], width: Int, maxLines: Int) -> [String] {
        guard lines.count > maxLines else { return lines }
        var kept = Array(lines.prefix(maxLines))
        var last = kept[maxLines - 1]
        while displayWidth(last) + 1 > width, !last.isEmpty { last.removeLast() }
        kept[maxLines - 1] = last.trimmingTrailingSpaces() + "…"
        return kept
    }

    private static func wrapParagraph(_ text: String, width: Int) -> [String] {
        let words = tokens(text)
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for word in words {
            let trimmed = current.isEmpty ? word.drop { $0 == " " }.description : word
            let w = displayWidth(trimmed)
            if currentWidth + w > width, !current.isEmpty {
                lines.append(current.trimmingTrailingSpaces())
                current = String(word.drop { $0 == " " })
                currentWidth = displayWidth(current)
            } else {
                current += trimmed
                currentWidth += w
            }
            // A single token longer than a line (a long URL, a long code) is cut hard.
            while currentWidth > width {
                let (head, tail) = split(current, at: width)
                lines.append(head)
                current = tail
                currentWidth = displayWidth(current)
            }
        }
        if !current.isEmpty { lines.append(current.trimmingTrailingSpaces()) }
        return lines
    }

    /// Words with their leading space for Latin text; single characters for CJK, with closing
    /// punctuation glued to the character before it.
    static func tokens(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        let closing: Set<Character> = ["，", "。", "、", "；", "：", "）", "》", "」", "』", "！", "？", ",", ".", ";", ":", ")"]
        for character in text.replacingOccurrences(of: "\n", with: " ") {
            let isWide = character.unicodeScalars.first.map { displayWidth($0) == 2 } ?? false
            if character == " " {
                if !current.isEmpty { result.append(current) }
                current = " "
            } else if isWide && !closing.contains(character) {
                if !current.isEmpty && current != " " { result.append(current); current = "" }
                current += String(character)
                result.append(current)
                current = ""
            } else if closing.contains(character), current.isEmpty, !result.isEmpty {
                result[result.count - 1] += String(character)
            } else {
                current += String(character)
            }
        }
        if !current.isEmpty && current != " " { result.append(current) }
        return result
    }

    private static func split(_ text: String, at width: Int) -> (String, String) {
        var head = ""
        var w = 0
        var index = text.startIndex
        while index < text.endIndex {
            let cw = text[index].unicodeScalars.reduce(0) { $0 + displayWidth($1) }
            if w + cw > width { break }
            head.append(text[index])
            w += cw
            index = text.index(after: index)
        }
        return (head, String(text[index...]))
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
