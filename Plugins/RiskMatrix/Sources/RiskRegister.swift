import Foundation
import LinkageKit

/// Mitigation strategy types as the Strategic Plan types them (风险规避/风险限制/风险转移).
enum MitigationStrategy: String, CaseIterable, Sendable {
    case avoid, limit, transfer

    var label: LocalizedText {
        switch self {
        case .avoid: LocalizedText(zh: "规避", en: "Avoid")
        case .limit: LocalizedText(zh: "限制", en: "Limit")
        case .transfer: LocalizedText(zh: "转移", en: "Transfer")
        }
    }
}

struct Mitigation: Sendable {
    var node: Node
    /// nil when the source does not type it.
    var strategy: MitigationStrategy?
    /// A strategy attribute that is none of avoid/limit/transfer (kept as written, reported).
    var unknownStrategy: String?
    var link: Edge
}

/// One risk as the register shows it: where it sits in the matrix, or why it does not.
struct RegisterEntry: Sendable {
    enum Placement: Sendable, Equatable {
        /// Positions on the matrix axes (1-based) and the level index of that cell.
        case placed(likelihood: Int, impact: Int, level: Int)
        /// Not placed: never read as low. `reason` says why (the dataset marks it unassessed,
        /// a rating is missing, a rating cannot be read on this scale).
        case unassessed(reason: LocalizedText)
    }

    var node: Node
    var likelihoodValue: AttributeValue?
    var impactValue: AttributeValue?
    var placement: Placement
    var mitigations: [Mitigation]
    /// Placed through the table's explicit three-level mapping on a scale of another size.
    var mappedFromThreeLevels: Bool

    var id: NodeID { node.id }
    var owner: String? { node.attributes["owner"]?.description }
    var ownerStatus: String? { node.attributes["owner_status"]?.description }
    var perspective: String? { node.attributes["perspective"]?.description }
    var isPlaced: Bool { if case .placed = placement { true } else { false } }
    var levelIndex: Int? { if case .placed(_, _, let level) = placement { level } else { nil } }

    func count(_ strategy: MitigationStrategy?) -> Int { mitigations.filter { $0.strategy == strategy }.count }
}

/// Things found while reading the risks that the report must mention.
struct RegisterNotes {
    var conflicts: [(NodeID, LocalizedText)] = []
    var unreadable: [(NodeID, String)] = []
    var unknownStrategies: [(NodeID, String)] = []
}

enum RiskRegisterReader {
    /// Reads every risk of `risks` against the scale. Throws when a three-level rating would have
    /// to be placed on a table that gives no three-level mapping: guessing it would invent a rating.
    static func read(_ graph: LinkageGraph, risks: [Node], scale: RiskScale, notes: inout RegisterNotes) throws -> [RegisterEntry] {
        var entries: [RegisterEntry] = []
        var refused: [NodeID] = []
        for risk in risks {
            let mitigations = graph.incoming(risk.id, relation: "mitigates")
                .filter { graph.role(of: $0.source) == .mitigation }
                .compactMap { edge -> Mitigation? in
                    guard let node = graph.node(edge.source) else { return nil }
                    let written = node.attributes["strategy"]?.description.lowercased()
                    let strategy = written.flatMap(MitigationStrategy.init(rawValue:))
                    if let written, strategy == nil { notes.unknownStrategies.append((node.id, written)) }
                    return Mitigation(node: node, strategy: strategy, unknownStrategy: strategy == nil ? written : nil, link: edge)
                }
            let likelihood = risk.attributes["likelihood"] ?? risk.attributes["probability"]
            let impact = risk.attributes["impact"]
            let flag = risk.attributes["assessment"]?.description.lowercased()
            var mapped = false
            let placement: RegisterEntry.Placement
            if flag == "unassessed" {
                if likelihood != nil || impact != nil {
                    notes.conflicts.append((risk.id, strings("conflict.marked-unassessed")))
                }
                placement = .unassessed(reason: strings("unassessed.marked"))
            } else if likelihood == nil || impact == nil {
                let missing = likelihood == nil && impact == nil ? strings("missing.both") : likelihood == nil ? strings("missing.likelihood") : strings("missing.impact")
                if flag == "assessed" {
                    notes.conflicts.append((risk.id, strings("conflict.marked-assessed", ["missing": missing])))
                }
                placement = .unassessed(reason: strings("unassessed.missing", ["missing": missing]))
            } else {
                let l = position(likelihood!, on: scale, risk: risk.id, refused: &refused)
                let i = position(impact!, on: scale, risk: risk.id, refused: &refused)
                if let l, let i {
                    placement = .placed(likelihood: l, impact: i, level: scale.levelRank(likelihood: l, impact: i))
                    mapped = isMappedThreeLevelWord(likelihood!, scale) || isMappedThreeLevelWord(impact!, scale)
                } else {
                    let bad = [l == nil ? "likelihood '\(likelihood!)'" : nil, i == nil ? "impact '\(impact!)'" : nil].compactMap { $0 }
                    notes.unreadable.append((risk.id, bad.joined(separator: " and ")))
                    placement = .unassessed(reason: strings("unassessed.unreadable", ["values": bad.joined(separator: " and "), "scale": scale.sizeName]))
                }
            }
            entries.append(RegisterEntry(node: risk, likelihoodValue: likelihood, impactValue: impact, placement: placement,
                                         mitigations: mitigations.sorted { $0.node.id < $1.node.id }, mappedFromThreeLevels: mapped))
        }
        if !refused.isEmpty {
            throw AnalysisOptionError(
                option: "levels",
                "the table '\(scale.origin)' (\(scale.sizeName)) gives no three_level_positions, so the three-level ratings (low/medium/high) of \(refused.map(\.rawValue).joined(separator: ", ")) cannot be placed on it without inventing a rating; add a line such as 'three_level_positions: {low: 2, medium: 3, high: 4}' to say where they sit, or use scale=3")
        }
        return entries
    }

    /// True when the value is a three-level word placed through the mapping on a scale whose size is not 3.
    private static func isMappedThreeLevelWord(_ value: AttributeValue, _ scale: RiskScale) -> Bool {
        guard scale.size != 3, let word = value.stringValue?.lowercased().trimmingCharacters(in: .whitespaces) else { return false }
        return RiskScale.threeLevelWords.contains(word)
    }

    /// The axis position of a rating: a three-level word through the table's mapping, or a whole
    /// number 1…size given on the table's own scale. nil when it cannot be read.
    static func position(_ value: AttributeValue, on scale: RiskScale, risk: NodeID, refused: inout [NodeID]) -> Int? {
        if let n = value.integerValue ?? value.stringValue.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
            return (1...scale.size).contains(n) ? n : nil
        }
        guard let word = value.stringValue?.lowercased().trimmingCharacters(in: .whitespaces) else { return nil }
        guard RiskScale.threeLevelWords.contains(word) else { return nil }
        guard let position = scale.position(ofThreeLevelWord: word) else {
            if !refused.contains(risk) { refused.append(risk) }
            return nil
        }
        return position
    }
}
