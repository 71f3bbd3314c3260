import Foundation

/// Reads codes the way people type them in a mapping spreadsheet — `9.c, 17.6`, `5b; 9a`,
/// `SDG 9`, `C7 e-health`, `WTDC Res. 37`, `PP Res. 139`, `PP第139号决议` — into canonical ids,
/// checking each against the graph. A code not written in canonical form keeps what was written
/// (`asWritten`), as the curated datasets do, so the validator still shows the source's spelling.
/// Problems are worded like the validator's (`goal 9 has no target 9.z (its targets: 9.1 … 9.c)`).
public struct LooseCodeReader: Sendable {
    public let graph: LinkageGraph

    public init(graph: LinkageGraph) { self.graph = graph }

    /// The columns of a plan mapping that hold codes, with the relation each states.
    public enum Column: String, Sendable, CaseIterable {
        case sdg, wsis, mandates

        public var relation: RelationKind {
            switch self {
            case .sdg: .advancesSDG
            case .wsis: .supportsWSIS
            case .mandates: .implements
            }
        }
    }

    public struct Reading: Sendable, Hashable {
        public var id: NodeID
        /// The token as written, when it is not the canonical id or its plain code (`9.c`, `C2`).
        public var asWritten: String?
    }

    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Splits a cell into tokens: commas, semicolons, Chinese list marks, line breaks and `|`
    /// separate codes, and so do brackets except in the mandates column (`Res. 37 (WTDC)`);
    /// spaces do not (`C7 e-health`, `WTDC Res. 37` are one code each).
    public static func tokens(_ text: String, column: Column = .sdg) -> [String] {
        let separators: Set<Character> = [",", ";", "，", "；", "、", "|", "\n", "\r", "\r\n"]
        let brackets: Set<Character> = ["(", ")", "（", "）", "[", "]"]
        var tokens: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if column == .mandates {
                // Brackets hold a note on the mandate ("Res. 37 (Rev. Kigali, 2022)"): kept whole.
                if character == "(" || character == "（" { depth += 1 }
                if character == ")" || character == "）" { depth = max(depth - 1, 0) }
                if depth == 0, separators.contains(character) {
                    tokens.append(current)
                    current = ""
                    continue
                }
            } else if separators.contains(character) || brackets.contains(character) {
                tokens.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        tokens.append(current)
        return tokens.map { $0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: ".。"))) }.filter { !$0.isEmpty }
    }

    /// Reads every code of a cell. The result holds one entry per token: the reading or the
    /// problem, in the order written. In the mandates column a bare number continues the
    /// assembly and type of the code before it (`WTDC Res. 37, 45`).
    public func read(_ text: String, column: Column) -> [(token: String, result: Result<Reading, Problem>)] {
        var results: [(String, Result<Reading, Problem>)] = []
        var previousMandate: (body: String, type: String)?
        for token in Self.tokens(text, column: column) {
            switch column {
            case .sdg:
                results.append((token, sdg(token)))
            case .wsis:
                results.append((token, wsis(token)))
            case .mandates:
                let result = mandate(token, continuing: previousMandate)
                if case .success(let reading) = result {
                    let parts = reading.id.rawValue.split(separator: "-")
                    if parts.count >= 3 { previousMandate = (parts.dropLast().dropLast().joined(separator: "-"), String(parts[parts.count - 2])) }
                }
                results.append((token, result))
            }
        }
        return results
    }

    // MARK: SDGs

    /// `9`, `9.c`, `9.c.1`, `SDG-9.c`, `SDG 9`, `Goal 9`, `目标9`, `9c`, `9.C`, `all`.
    public func sdg(_ token: String) -> Result<Reading, Problem> {
        let trimmed = token.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        if ["all", "all sdgs", "all goals", "sdg-all", "所有可持续发展目标", "全部可持续发展目标"].contains(lower) {
            return found("SDG-ALL", written: trimmed, canonical: ["SDG-ALL", "all"])
        }
        var body = lower
        for prefix in ["可持续发展目标", "sdgs", "sdg", "goal", "target", "indicator", "目标", "指标", "具体目标"] where body.hasPrefix(prefix) {
            body = String(body.dropFirst(prefix.count))
            break
        }
        body = body.trimmingCharacters(in: CharacterSet(charactersIn: " -:#：第"))
        body = body.replacingOccurrences(of: " ", with: "")
        // goal, then an optional target (digits or one letter, with or without a dot), then an
        // optional indicator.
        guard let match = body.wholeMatch(of: /([0-9]{1,3})(?:\.?([0-9]{1,2}|[a-z]))?(?:\.([0-9]{1,2}))?/) else {
            return .failure(Problem(message: "'\(trimmed)' is not an SDG code (write a goal 9, a target 9.c or an indicator 9.c.1)"))
        }
        guard let goal = Int(match.1), (1...17).contains(goal) else {
            let written = trimmed == String(match.1) ? "" : " ('\(trimmed)')"
            return .failure(Problem(message: "there are 17 SDGs; goal \(match.1) does not exist\(written)"))
        }
        guard let target = match.2.map(String.init) else {
            return found("SDG-\(goal)", written: trimmed, canonical: ["\(goal)", "SDG-\(goal)"])
        }
        let targetID = "SDG-\(goal).\(target)"
        guard graph.contains(NodeID(targetID)) else {
            let targets = graph.children(of: NodeID("SDG-\(goal)")).filter { graph.node($0)?.kind == .sdgTarget }
                .map { $0.rawValue.replacingOccurrences(of: "SDG-", with: "") }
            let range = targets.isEmpty ? "" : " (its targets: \(targets.first!) … \(targets.last!))"
            return .failure(Problem(message: "goal \(goal) has no target \(goal).\(target)\(range)"))
        }
        guard let indicator = match.3.map(String.init) else {
            return found(targetID, written: trimmed, canonical: ["\(goal).\(target)", targetID])
        }
        let indicatorID = "\(targetID).\(indicator)"
        guard graph.contains(NodeID(indicatorID)) else {
            let indicators = graph.children(of: NodeID(targetID)).filter { graph.node($0)?.kind == .sdgIndicator }
                .map { $0.rawValue.replacingOccurrences(of: "SDG-", with: "") }
            let list = indicators.isEmpty ? "" : " (its indicators: \(indicators.joined(separator: ", ")))"
            return .failure(Problem(message: "target \(goal).\(target) has no indicator \(goal).\(target).\(indicator)\(list)"))
        }
        return found(indicatorID, written: trimmed, canonical: ["\(goal).\(target).\(indicator)", indicatorID])
    }

    // MARK: WSIS action lines

    /// `C2`, `WSIS-C2`, `c2`, `C 2`, `AL C2`, `C7 e-health`, `C7.e-health`, `e-health`, `all`.
    public func wsis(_ token: String) -> Result<Reading, Problem> {
        let trimmed = token.trimmingCharacters(in: .whitespaces)
        var lower = trimmed.lowercased()
        if ["all", "all action lines", "wsis-all", "所有行动方面", "所有行动方针"].contains(lower) {
            return found("WSIS-ALL", written: trimmed, canonical: ["WSIS-ALL", "all"])
        }
        for prefix in ["wsis action line", "wsis", "action line", "al", "行动方面", "行动方针"] where lower.hasPrefix(prefix) {
            lower = String(lower.dropFirst(prefix.count))
            break
        }
        lower = lower.trimmingCharacters(in: CharacterSet(charactersIn: " -:："))
        let sublines = graph.children(of: "WSIS-C7").map { String($0.rawValue.dropFirst("WSIS-C7.".count)) }
        // A C7 sub-line named alone ("e-health", "ehealth").
        if let subline = matchSubline(lower, in: sublines) {
            return found("WSIS-C7.\(subline)", written: trimmed, canonical: [])
        }
        guard let match = lower.wholeMatch(of: /c\s*([0-9]{1,2})(?:[\s.:\-–]+(.+))?/) else {
            return .failure(Problem(message: "'\(trimmed)' is not a WSIS action line (write C1 … C11, or C7 e-health for a C7 sub-line)"))
        }
        guard let number = Int(match.1), (1...11).contains(number) else {
            let written = trimmed == "C\(match.1)" ? "" : " ('\(trimmed)')"
            return .failure(Problem(message: "there are 11 WSIS action lines (C1 … C11); C\(match.1) does not exist\(written)"))
        }
        guard let rest = match.2.map({ String($0).trimmingCharacters(in: .whitespaces) }), !rest.isEmpty else {
            return found("WSIS-C\(number)", written: trimmed, canonical: ["C\(number)", "WSIS-C\(number)"])
        }
        // "C7 e-health": a sub-line; "C2 Information and communication infrastructure": the
        // line's name after its code is accepted as written.
        if let subline = matchSubline(rest, in: sublines) {
            guard number == 7 else {
                return .failure(Problem(message: "only C7 has sub-lines; '\(trimmed)' names \(subline) under C\(number) (write C7 \(subline))"))
            }
            return found("WSIS-C7.\(subline)", written: trimmed, canonical: ["C7.\(subline)", "WSIS-C7.\(subline)"])
        }
        if number == 7, rest.hasPrefix("e") || rest.hasPrefix("e-") {
            return .failure(Problem(message: "C7 has no sub-line '\(rest)' (its sub-lines: \(sublines.joined(separator: ", ")))"))
        }
        if let node = graph.node(NodeID("WSIS-C\(number)")), node.label.en.lowercased().hasPrefix(rest.prefix(8)) || node.label.zh.hasPrefix(rest.prefix(4)) {
            return found("WSIS-C\(number)", written: trimmed, canonical: [])
        }
        return .failure(Problem(message: "'\(trimmed)': C\(number) is followed by '\(rest)', which is neither its name nor a C7 sub-line"))
    }

    private func matchSubline(_ text: String, in sublines: [String]) -> String? {
        let squeezed = text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "-", with: "")
        return sublines.first { $0.replacingOccurrences(of: "-", with: "") == squeezed }
    }

    // MARK: Mandates

    /// `WTDC Res. 37`, `WTDC-RES-37`, `Resolution 37 (WTDC)`, `WTDC第37号决议`, `PP Res. 139`,
    /// `PP Dec. 5`, `ITU-D Rec. 15`, `all WTDC resolutions`; a bare `45` after one of them.
    public func mandate(_ token: String, continuing previous: (body: String, type: String)? = nil) -> Result<Reading, Problem> {
        let trimmed = token.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        if ["wtdc-res-all", "all wtdc resolutions", "所有wtdc决议", "wtdc所有决议"].contains(lower) {
            return found("WTDC-RES-ALL", written: trimmed, canonical: ["WTDC-RES-ALL"])
        }
        if graph.contains(NodeID(trimmed.uppercased())), ["PP-", "WTDC-", "ITU-D-"].contains(where: { trimmed.uppercased().hasPrefix($0) }) {
            return found(trimmed.uppercased(), written: trimmed, canonical: [trimmed.uppercased()])
        }
        // Assembly: named anywhere in the token, "(WTDC)" included; "WTDC-22"/"PP-18" name a
        // meeting, not a number.
        var body: String?
        if lower.contains("wtdc") || lower.contains("世界电信发展大会") || lower.contains("world telecommunication development") {
            body = "WTDC"
        } else if lower.contains("itu-d") || lower.contains("itud") || lower.contains("电信发展部门") {
            body = "ITU-D"
        } else if lower.range(of: #"(^|[^a-z])pp([^a-z]|$)"#, options: .regularExpression) != nil || lower.contains("plenipotentiary") || lower.contains("全权") {
            body = "PP"
        }
        var type: String?
        if lower.contains("dec") || lower.contains("决定") {
            type = "DEC"
        } else if lower.range(of: #"(^|[^a-z])rec"#, options: .regularExpression) != nil || lower.contains("建议") {
            type = "REC"
        } else if lower.contains("res") || lower.contains("决议") {
            type = "RES"
        }
        var numberText = lower.replacingOccurrences(of: #"\([^)]*\)|（[^）]*）"#, with: " ", options: .regularExpression)
        numberText = numberText.replacingOccurrences(of: #"(wtdc|pp)-(94|98|02|06|10|14|17|18|22)(?![0-9])"#, with: " ", options: .regularExpression)
        numberText = numberText.replacingOccurrences(of: "itu-d", with: " ")
        guard let numberMatch = numberText.firstMatch(of: /[0-9]+/), let number = Int(numberMatch.0) else {
            return .failure(Problem(message: "'\(trimmed)' has no resolution, decision or recommendation number"))
        }
        if body == nil, type == nil, let previous, numberText.trimmingCharacters(in: .whitespaces) == String(numberMatch.0) {
            body = previous.body
            type = previous.type
        }
        guard let body else {
            return .failure(Problem(message: "'\(trimmed)' does not say which assembly adopted it (write WTDC Res. \(number), PP Res. \(number), PP Dec. \(number) or ITU-D Rec. \(number))"))
        }
        let kind = type ?? (body == "ITU-D" ? "REC" : "RES")
        switch (body, kind) {
        case ("ITU-D", "RES"):
            return .failure(Problem(message: "'\(trimmed)': ITU-D's resolutions are the WTDC's (write WTDC Res. \(number))"))
        case ("WTDC", "DEC"), ("ITU-D", "DEC"):
            return .failure(Problem(message: "'\(trimmed)': decisions are the Plenipotentiary Conference's (write PP Dec. \(number))"))
        case ("PP", "REC"), ("WTDC", "REC"):
            return .failure(Problem(message: "'\(trimmed)': recommendations are ITU-D's (write ITU-D Rec. \(number))"))
        default:
            break
        }
        let id = "\(body)-\(kind)-\(number)"
        guard graph.contains(NodeID(id)) else {
            let what = ["RES": "resolution", "DEC": "decision", "REC": "recommendation"][kind]!
            return .failure(Problem(message: "\(body) \(what) \(number) (\(id)) is not in the itu-resolutions dataset, which lists the mandates the bundled plans cite; check the number, or add it there with its title and source"))
        }
        return found(id, written: trimmed, canonical: [id])
    }

    // MARK: -

    private func found(_ id: String, written: String, canonical: [String]) -> Result<Reading, Problem> {
        guard graph.contains(NodeID(id)) else {
            return .failure(Problem(message: "\(id) is not in the loaded datasets (is the \(id.hasPrefix("SDG") ? "sdg" : id.hasPrefix("WSIS") ? "wsis" : "itu-resolutions") dataset there?)"))
        }
        return .success(Reading(id: NodeID(id), asWritten: canonical.contains(written) ? nil : written))
    }
}
