import LinkageKit
import OrderedCollections

/// Builds small graphs in code for unit tests of analyses: every figure they produce can be
/// computed by hand from the few lines that build the graph.
public struct FixtureGraph {
    public var vocabulary = Vocabulary()
    public var nodes: [Node] = []
    public var edges: [Edge] = []
    public let document = SourceDocument(id: "doc", file: "fixture.txt", title: LocalizedText(zh: "测试", en: "Fixture"))

    public init() {
        for (kind, role) in [
            (NodeKind.sdgGoal, NodeRole.reference), (.sdgTarget, .reference), (.sdgIndicator, .reference), (.sdgScope, .scope),
            (.wsisActionLine, .reference), (.wsisScope, .scope), (.ppResolution, .mandate), (.wtdcResolution, .mandate),
            (.ppDecision, .mandate), (.ituDRecommendation, .mandate), (.resolutionScope, .scope),
        ] {
            declare(kind, role: role)
        }
        for relation in [RelationKind.partOf, .contributesTo, .implements, .advancesSDG, .supportsWSIS, .mapsToSDG, .mentions,
                         "continues", "restates", "measured-by", "mitigates", "bears-on", "funds", "aligned-with", "delivers"] {
            vocabulary.add(RelationSpec(relation: relation, label: LocalizedText(zh: relation.rawValue, en: relation.rawValue),
                                        from: [.any], to: [.any], declaredBy: "fixture"))
        }
    }

    public mutating func declare(_ kind: NodeKind, role: NodeRole) {
        vocabulary.add(NodeKindSpec(kind: kind, label: LocalizedText(zh: kind.rawValue, en: kind.rawValue), role: role,
                                    idPattern: ".*", declaredBy: "fixture"))
    }

    public mutating func plan(_ id: String, elements: [NodeKind], groups: NodeKind? = nil) {
        vocabulary.add(PlanSpec(id: id, label: LocalizedText(zh: id, en: id), elements: elements, groups: groups, declaredBy: "fixture"))
    }

    @discardableResult
    public mutating func node(_ id: NodeID, _ kind: NodeKind, _ label: String? = nil,
                              attributes: OrderedDictionary<String, AttributeValue> = [:], dataset: String = "fixture") -> NodeID {
        let text = label ?? id.rawValue
        nodes.append(Node(id: id, kind: kind, label: LocalizedText(zh: text, en: text), attributes: attributes,
                          citation: Citation(document: document, section: id.rawValue), dataset: dataset))
        return id
    }

    public mutating func link(_ source: NodeID, _ relation: RelationKind, _ targets: [NodeID], derivedBy rule: String? = nil,
                              dataset: String = "fixture", occurrences: Int = 1) {
        for target in targets {
            let provenance: Provenance = rule.map {
                .derived(Derivation(rule: $0, justification: "fixture rule"))
            } ?? .declared(Citation(document: document, section: "\(source)"))
            edges.append(Edge(source: source, relation: relation, target: target, provenance: provenance, dataset: dataset,
                              occurrences: occurrences))
        }
    }

    /// SDG goals with their official colours and the given targets (`"9.c"`), linked part-of.
    public mutating func sdg(goals: [Int], targets: [String] = []) {
        let colours = ["#E5243B", "#DDA63A", "#4C9F38", "#C5192D", "#FF3A21", "#26BDE2", "#FCC30B", "#A21942", "#FD6925",
                       "#DD1367", "#FD9D24", "#BF8B2E", "#3F7E44", "#0A97D9", "#56C02B", "#00689D", "#19486A"]
        for goal in goals {
            node(NodeID("SDG-\(goal)"), .sdgGoal, "Goal \(goal)",
                 attributes: ["colour": .string(colours[goal - 1]), "uri": .string("http://metadata.un.org/sdg/\(goal)")])
        }
        for target in targets {
            let goal = target.split(separator: ".")[0]
            node(NodeID("SDG-\(target)"), .sdgTarget, "Target \(target)",
                 attributes: ["uri": .string("http://metadata.un.org/sdg/\(target)")])
            link(NodeID("SDG-\(target)"), .partOf, [NodeID("SDG-\(goal)")])
        }
    }

    public func build() -> LinkageGraph { LinkageGraph(nodes: nodes, edges: edges, vocabulary: vocabulary) }
}
