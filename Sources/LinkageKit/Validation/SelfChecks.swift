import Foundation
import OrderedCollections

/// What the self-checks of a dataset covered, for `validate`'s summary line: a check that found
/// nothing should still say how much it looked at.
public struct SelfCheckCounts: Sendable, Hashable {
    /// Chinese labels found at their citation in a seed document (`--sources`).
    public var labelsAtCitation = 0
    /// Chinese labels compared with their kind's `label_zh_template`.
    public var labelsByTemplate = 0
    /// Chinese labels a node declares not to be its citation's words (`label_zh_from`).
    public var labelsDeclaredNotVerbatim = 0
    /// Chinese labels of nodes citing a source that is not a seed (a web page): not checkable here.
    public var labelsFromOtherSources = 0
    /// Stored sums, shares, counts and checks recomputed from the data.
    public var figuresRecomputed = 0
    /// Amounts and printed shares found at their citation in a seed document (`--sources`).
    public var figuresAtCitation = 0

    public init() {}
}

/// A seed document in the form labels are looked up in: `[bookmark: …]` markers (residue of the
/// Word extraction) and all whitespace removed. Whitespace is dropped, not collapsed, because
/// the extraction breaks table cells and headings over lines in the middle of a word
/// ("网络和数字基础 / 设施"), and a label is never told apart by its spaces. Searched as UTF-8
/// bytes with memchr/memcmp: a UTF-8 match is a match of whole characters, and the loader checks
/// hundreds of labels against documents of 80,000 characters.
struct CompactText {
    let bytes: [UInt8]

    init(_ text: String) { bytes = Array(Self.compact(text).utf8) }
    /// Text already in the form to search (for figures: whitespace collapsed, not removed).
    init(bytes: [UInt8]) { self.bytes = bytes }

    static func compact(_ text: String) -> String { clean(text, whitespace: .remove) }

    enum Whitespace { case remove, collapse }

    /// The text without `[bookmark: …]` markers, its whitespace runs removed or collapsed to one
    /// space (and trimmed), in one pass over the UTF-8 bytes: the seeds hold hundreds of markers.
    static func clean(_ text: String, whitespace: Whitespace) -> String {
        let marker = Array("[bookmark:".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        var text = text
        text.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte == UInt8(ascii: "["), i + marker.count <= bytes.count,
                   (0..<marker.count).allSatisfy({ bytes[i + $0] == marker[$0] }),
                   let close = (i..<bytes.count).first(where: { bytes[$0] == UInt8(ascii: "]") }) {
                    i = close + 1
                    continue
                }
                // Whitespace: ASCII blanks, and the Unicode spaces of the extraction (U+00A0,
                // U+3000 …), decoded only for non-ASCII bytes.
                var length = 1
                var isSpace = false
                if byte < 0x80 {
                    isSpace = byte == 0x20 || (0x09...0x0D).contains(byte)
                } else {
                    length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                    let end = min(i + length, bytes.count)
                    if let scalar = String(decoding: bytes[i..<end], as: UTF8.self).unicodeScalars.first {
                        isSpace = scalar.properties.isWhitespace
                    }
                }
                if isSpace {
                    pendingSpace = !out.isEmpty
                } else {
                    if pendingSpace, whitespace == .collapse { out.append(UInt8(ascii: " ")) }
                    pendingSpace = false
                    out.append(contentsOf: bytes[i..<min(i + length, bytes.count)])
                }
                i += length
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Byte offsets of every occurrence of `needle`.
    func occurrences(of needle: [UInt8]) -> [Int] {
        guard !needle.isEmpty, needle.count <= bytes.count else { return [] }
        var found: [Int] = []
        bytes.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin in
                var offset = 0
                while let position = ByteSearch.firstOffset(of: pin, in: hay, from: offset) {
                    found.append(position)
                    offset = position + 1
                }
            }
        }
        return found
    }

    /// What "near its citation" means for a label: the label occurs where it overlaps an
    /// occurrence of the citation's quote, or touches one, separated from it by at most
    /// `LabelCheck.maxGap` punctuation marks or symbols (the "：" after "AFR1", the "–" of a
    /// list item). The quote locates the place; the label must be written right there.
    func isNear(label: String, quote: String) -> Bool {
        let quoteBytes = Array(quote.utf8), labelBytes = Array(label.utf8)
        let quoteStarts = occurrences(of: quoteBytes)
        guard !quoteStarts.isEmpty else { return false }
        for x in occurrences(of: labelBytes) {
            let y = x + labelBytes.count
            for a in quoteStarts {
                let b = a + quoteBytes.count
                if x < b && a < y { return true }
                let gap = y <= a ? y..<a : b..<x
                // A punctuation mark is at most 4 bytes in UTF-8.
                guard gap.count <= 4 * LabelCheck.maxGap else { continue }
                let between = String(decoding: bytes[gap], as: UTF8.self).unicodeScalars
                if between.count <= LabelCheck.maxGap, between.allSatisfy(Self.isPunctuationOrSymbol) { return true }
            }
        }
        return false
    }

    static func isPunctuationOrSymbol(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            true
        default:
            false
        }
    }
}

enum LabelCheck {
    /// The most punctuation marks allowed between a label and its quote (see `CompactText.isNear`).
    static let maxGap = 3
    /// The node attribute that declares a Chinese label is not its citation's words, and says
    /// where it comes from instead (a curators' translation, a shortened title, ...).
    static let declaredAttribute = "label_zh_from"

    /// The label a kind's template gives a node, or the name of the attribute it lacks.
    static func expand(_ template: String, with attributes: OrderedDictionary<String, AttributeValue>) -> Result<String, MissingAttribute> {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            guard let value = attributes[name] else { return .failure(MissingAttribute(name: name)) }
            out += value.description
            rest = rest[rest.index(after: close)...]
        }
        return .success(out + rest)
    }

    struct MissingAttribute: Error { let name: String }
}

/// Amounts and shares a node stores as printed are looked up where its citation points, so a
/// budget edited in the data (and every sum edited along with it) no longer matches the seed.
///
/// The place: an occurrence of the citation's quote in the seed text with whitespace runs
/// collapsed (`QuoteMatcher.normalize`). From the start of that occurrence, the first amount
/// written with thousands separators ("519,000") is the node's `budget_chf`, and the
/// percentages printed right after it ("12.4%", or "24.5% 3.0%") are, in order, the node's
/// `share_percent_printed`, `share_percent_of_priority_printed` and `share_percent_of_total_printed`
/// (those it has) — a row of table 1 or of an impact-framework table of OP-23 reads so. Where the
/// quote occurs more than once, one occurrence must read so.
enum PrintedFigures {
    static let shareAttributes = ["share_percent_printed", "share_percent_of_priority_printed", "share_percent_of_total_printed"]

    struct Reading: Equatable {
        var amount: Double
        var shares: [Double]
    }

    /// The amount and shares printed from `start` on, or nil when no amount follows.
    static func reading(in text: [UInt8], from start: Int) -> Reading? {
        var i = start
        while i < text.count {
            guard isDigit(text[i]), i == 0 || !(isDigit(text[i - 1]) || text[i - 1] == UInt8(ascii: ",") || text[i - 1] == UInt8(ascii: ".")) else {
                i += 1
                continue
            }
            var end = i
            while end < text.count, isDigit(text[end]) || text[end] == UInt8(ascii: ",") { end += 1 }
            var run = String(decoding: text[i..<end], as: UTF8.self)
            while run.hasSuffix(",") { run.removeLast() }  // a comma ending a sentence
            let groups = run.split(separator: ",", omittingEmptySubsequences: false)
            let grouped = groups.count > 1 && (1...3).contains(groups[0].count) && groups.dropFirst().allSatisfy { $0.count == 3 }
            let followedByDecimal = end < text.count && text[end] == UInt8(ascii: ".")
            guard grouped, !followedByDecimal, let amount = Double(groups.joined()) else {
                i = end
                continue
            }
            return Reading(amount: amount, shares: shares(in: text, from: i + run.utf8.count))
        }
        return nil
    }

    /// Percentages separated only by spaces, from `start` on ("␠12.4%␠3.0%").
    static func shares(in text: [UInt8], from start: Int) -> [Double] {
        var found: [Double] = []
        var i = start
        while true {
            var j = i
            while j < text.count, text[j] == UInt8(ascii: " ") { j += 1 }
            let numberStart = j
            while j < text.count, isDigit(text[j]) || text[j] == UInt8(ascii: ".") { j += 1 }
            guard j > numberStart, j < text.count, text[j] == UInt8(ascii: "%"),
                  let value = Double(String(decoding: text[numberStart..<j], as: UTF8.self)) else { return found }
            found.append(value)
            i = j + 1
        }
    }

    /// Digits, separators and "%" are ASCII; no byte of a multi-byte UTF-8 character is one.
    static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    /// "519,000" for 519000: how the seeds print amounts.
    static func printed(_ amount: Double) -> String {
        guard amount == amount.rounded(), abs(amount) < 1e15 else { return AttributeValue.format(amount) }
        var digits = String(Int(abs(amount)))
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return (amount < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    static func printed(shares: [Double]) -> String {
        shares.isEmpty ? "no percentage" : shares.map { String(format: "%.1f%%", $0) }.joined(separator: " ")
    }
}
