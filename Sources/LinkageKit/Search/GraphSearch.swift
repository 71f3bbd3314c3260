import Foundation

/// Finds nodes by what a person remembers of them: an id (`SDG-9.c`, `sdg 9c`, `baap-out-2.1`),
/// a word of an English label (`broadband`), a few characters of a Chinese label (`应急通信`),
/// an alias, an attribute value (a number, an owner). Results are ranked: exact ids first, then
/// id prefixes, labels that equal or start with the text, labels and attributes that contain it,
/// and last, near misses (an id or a label word one or two letters off, as `show` suggests).
/// Used by `linkage search` and meant for the web explorer's search box.
public struct GraphSearch: Sendable {
    public let graph: LinkageGraph

    public init(graph: LinkageGraph) { self.graph = graph }

    /// How a node matched, best first.
    public enum Match: Int, Sendable, Comparable, CaseIterable {
        case id = 0, idWithoutPunctuation, alias, idPrefix, labelEquals, labelStarts, idContains, labelContains,
             labelWords, attribute, description, nearID, nearLabelWord

        public static func < (a: Match, b: Match) -> Bool { a.rawValue < b.rawValue }

        /// A few words for listings.
        public var explanation: String {
            switch self {
            case .id: "id"
            case .idWithoutPunctuation: "id (ignoring case and punctuation)"
            case .alias: "alias"
            case .idPrefix: "id starts with it"
            case .labelEquals: "label"
            case .labelStarts: "label starts with it"
            case .idContains: "id contains it"
            case .labelContains: "label contains it"
            case .labelWords: "label has every word"
            case .attribute: "attribute"
            case .description: "description"
            case .nearID: "id, one or two letters off"
            case .nearLabelWord: "label word, one letter off"
            }
        }
    }

    public struct Hit: Sendable {
        public var node: Node
        public var match: Match
        /// Where it matched: `label (zh)`, `attribute owner`, `alias`…
        public var field: String
        /// The matched text (the label, the attribute's value).
        public var text: String
    }

    /// The best matches for `query`, optionally of some kinds only, at most `limit`.
    public func search(_ query: String, kinds: Set<NodeKind>? = nil, limit: Int = 20) -> [Hit] {
        let text = Self.folded(query)
        guard !text.isEmpty else { return [] }
        let compact = Self.compact(query)
        let words = text.split(separator: " ").map(String.init)
        var hits: [Hit] = []
        for node in graph.nodes where kinds?.contains(node.kind) ?? true {
            if let hit = best(node, text: text, compact: compact, words: words) { hits.append(hit) }
        }
        // Near misses only when nothing matched better, so that a typo still finds something
        // but never crowds out real matches.
        if hits.isEmpty {
            for node in graph.nodes where kinds?.contains(node.kind) ?? true {
                if let hit = near(node, query: query, words: words) { hits.append(hit) }
            }
        }
        hits.sort { a, b in
            if a.match != b.match { return a.match < b.match }
            // Shorter ids and labels are closer to what was typed.
            if a.match == .idPrefix || a.match == .idContains, a.node.id.rawValue.count != b.node.id.rawValue.count {
                return a.node.id.rawValue.count < b.node.id.rawValue.count
            }
            return a.node.id < b.node.id
        }
        return Array(hits.prefix(max(limit, 0)))
    }

    private func best(_ node: Node, text: String, compact: String, words: [String]) -> Hit? {
        let id = node.id.rawValue
        let foldedID = Self.folded(id)
        func hit(_ match: Match, _ field: String, _ value: String) -> Hit { Hit(node: node, match: match, field: field, text: value) }
        if foldedID == text { return hit(.id, "id", id) }
        if !compact.isEmpty, Self.compact(id) == compact { return hit(.idWithoutPunctuation, "id", id) }
        if let alias = node.aliases.first(where: { Self.folded($0) == text }) { return hit(.alias, "alias", alias) }
        if foldedID.hasPrefix(text) || (!compact.isEmpty && compact.count >= 3 && Self.compact(id).hasPrefix(compact)) {
            return hit(.idPrefix, "id", id)
        }
        let labels: [(String, String)] = [("label (en)", node.label.en), ("label (zh)", node.label.zh)]
        for (field, label) in labels where Self.folded(label) == text { return hit(.labelEquals, field, label) }
        for (field, label) in labels where Self.folded(label).hasPrefix(text) { return hit(.labelStarts, field, label) }
        if text.count >= 2, foldedID.contains(text) { return hit(.idContains, "id", id) }
        // Substring matching covers Chinese, which has no spaces between words.
        for (field, label) in labels where Self.folded(label).contains(text) { return hit(.labelContains, field, label) }
        if words.count > 1 {
            for (field, label) in labels {
                let folded = Self.folded(label)
                if words.allSatisfy({ folded.contains($0) }) { return hit(.labelWords, field, label) }
            }
        }
        for (name, value) in node.attributes {
            let rendered = value.description
            if Self.folded(rendered) == text || (text.count >= 3 && Self.folded(rendered).contains(text)) {
                return hit(.attribute, "attribute \(name)", rendered)
            }
        }
        if let description = node.description, text.count >= 3 {
            for (field, value) in [("description (en)", description.en), ("description (zh)", description.zh)]
            where Self.folded(value).contains(text) {
                return hit(.description, field, value)
            }
        }
        return nil
    }

    private func near(_ node: Node, query: String, words: [String]) -> Hit? {
        if Suggestion.closestID(to: query.trimmingCharacters(in: .whitespaces), in: [node.id.rawValue]) != nil {
            return Hit(node: node, match: .nearID, field: "id", text: node.id.rawValue)
        }
        // Each typed word of five letters or more is a label word one letter off (two for
        // words of nine or more): `broadbnd` finds "broadband".
        let long = words.filter { $0.count >= 5 }
        guard !long.isEmpty else { return nil }
        let labelWords = Self.folded(node.label.en).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        let allNear = long.allSatisfy { word in
            labelWords.contains { candidate in
                abs(candidate.count - word.count) <= 2 && Suggestion.distance(word, candidate) <= (word.count >= 9 ? 2 : 1)
            }
        }
        return allNear ? Hit(node: node, match: .nearLabelWord, field: "label (en)", text: node.label.en) : nil
    }

    /// Lower case, full-width forms folded to ASCII, runs of whitespace as one space.
    static func folded(_ text: String) -> String {
        var width = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if (0xFF01...0xFF5E).contains(scalar.value), let ascii = Unicode.Scalar(scalar.value - 0xFEE0) {
                width.append(ascii)  // full-width Ｓ Ｄ Ｇ ９ typed by a Chinese input method
            } else {
                width.append(scalar == "\u{3000}" ? " " : scalar)
            }
        }
        return String(width).lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Letters and digits only: `SDG-9.c`, `sdg 9c` and `SDG9C` are all `sdg9c`.
    static func compact(_ text: String) -> String {
        folded(text).filter { $0.isLetter || $0.isNumber }
    }
}
