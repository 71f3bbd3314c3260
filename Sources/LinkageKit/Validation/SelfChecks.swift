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
/// ("网络和数字基础 / 设施"), and a label is never told apart by its spaces.
struct CompactText {
    let scalars: [Unicode.Scalar]

    init(_ text: String) { scalars = Self.compact(text) }
    /// Text already in the form to search (for figures: whitespace collapsed, not removed).
    init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

    static func compact(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.unicodeScalars.count)
        let marker = Array("[bookmark:".unicodeScalars)
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "[", i + marker.count <= scalars.count, Array(scalars[i..<(i + marker.count)]) == marker,
               let close = scalars[i...].firstIndex(of: "]") {
                i = close + 1
                continue
            }
            if !scalars[i].properties.isWhitespace { out.append(scalars[i]) }
            i += 1
        }
        return out
    }

    /// Start offsets of every occurrence of `needle`.
    func occurrences(of needle: [Unicode.Scalar]) -> [Int] {
        guard !needle.isEmpty, needle.count <= scalars.count else { return [] }
        var found: [Int] = []
        let first = needle[0]
        var i = 0
        while i + needle.count <= scalars.count {
            if scalars[i] == first, scalars[i..<(i + needle.count)].elementsEqual(needle) { found.append(i) }
            i += 1
        }
        return found
    }

    /// What "near its citation" means for a label: the label occurs where it overlaps an
    /// occurrence of the citation's quote, or touches one, separated from it by at most
    /// `LabelCheck.maxGap` punctuation marks or symbols (the "：" after "AFR1", the "–" of a
    /// list item). The quote locates the place; the label must be written right there.
    func isNear(label: [Unicode.Scalar], quote: [Unicode.Scalar]) -> Bool {
        let quoteStarts = occurrences(of: quote)
        guard !quoteStarts.isEmpty else { return false }
        for x in occurrences(of: label) {
            let y = x + label.count
            for a in quoteStarts {
                let b = a + quote.count
                if x < b && a < y { return true }
                let gap = y <= a ? y..<a : b..<x
                if gap.count <= LabelCheck.maxGap, scalars[gap].allSatisfy(Self.isPunctuationOrSymbol) { return true }
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
    static func reading(in text: [Unicode.Scalar], from start: Int) -> Reading? {
        var i = start
        while i < text.count {
            guard isDigit(text[i]), i == 0 || !(isDigit(text[i - 1]) || text[i - 1] == "," || text[i - 1] == ".") else {
                i += 1
                continue
            }
            var end = i
            while end < text.count, isDigit(text[end]) || text[end] == "," { end += 1 }
            var run = String(String.UnicodeScalarView(text[i..<end]))
            while run.hasSuffix(",") { run.removeLast() }  // a comma ending a sentence
            let groups = run.split(separator: ",", omittingEmptySubsequences: false)
            let grouped = groups.count > 1 && (1...3).contains(groups[0].count) && groups.dropFirst().allSatisfy { $0.count == 3 }
            let followedByDecimal = end < text.count && text[end] == "."
            guard grouped, !followedByDecimal, let amount = Double(groups.joined()) else {
                i = end
                continue
            }
            return Reading(amount: amount, shares: shares(in: text, from: i + run.unicodeScalars.count))
        }
        return nil
    }

    /// Percentages separated only by spaces, from `start` on ("␠12.4%␠3.0%").
    static func shares(in text: [Unicode.Scalar], from start: Int) -> [Double] {
        var found: [Double] = []
        var i = start
        while true {
            var j = i
            while j < text.count, text[j] == " " { j += 1 }
            let numberStart = j
            while j < text.count, isDigit(text[j]) || text[j] == "." { j += 1 }
            guard j > numberStart, j < text.count, text[j] == "%",
                  let value = Double(String(String.UnicodeScalarView(text[numberStart..<j]))) else { return found }
            found.append(value)
            i = j + 1
        }
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

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
