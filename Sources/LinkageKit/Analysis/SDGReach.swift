/// One way a plan element reaches an SDG goal, target, indicator or "all SDGs", and the links it
/// goes through. The one answer every analysis gives to "which SDG targets does this element
/// reach, and how", so that sdg-mapping, wsis-action-lines and risk-matrix agree.
public struct SDGReach: Sendable, Hashable {
    /// The element.
    public var element: NodeID
    /// The SDG node the last link names (a goal, target, indicator or SDG-ALL).
    public var sdg: NodeID
    public var position: SDGPosition
    /// The links walked: the element's own `advances-sdg` link, or a `continues` link and the
    /// `advances-sdg` link of what the element continues.
    public var steps: [Edge]

    /// Every step is stated by a document.
    public var isDeclared: Bool { steps.allSatisfy(\.isDeclared) }
    /// Through something the element continues (an OP-23 theme continues a BAAP output).
    public var isContinued: Bool { steps.count > 1 }
    /// The target reached: the target linked, or the target of the indicator linked.
    public var target: NodeID? { position.level == .target || position.level == .indicator ? position.target : nil }
    public var goal: NodeID? { position.goal }

    /// The rules behind the derived steps, in order.
    public var derivedRules: [String] {
        steps.compactMap { edge in if case .derived(let d) = edge.provenance { d.rule } else { nil } }
    }

    /// `continues (derived: rule) → advances-sdg (declared)`
    public var routeText: String {
        steps.map { edge in
            if case .derived(let d) = edge.provenance { "\(edge.relation) (derived: \(d.rule))" } else { "\(edge.relation) (declared)" }
        }.joined(separator: " → ")
    }

    /// The basis in one line: the citation or rule of an own link; for a continued reach, both
    /// links and where each comes from.
    public var basisText: String {
        guard isContinued else { return ProvenanceText.oneLine(steps[0]) }
        return steps.map { "\($0.source) -[\($0.relation)]-> \($0.target) (\(ProvenanceText.oneLine($0)))" }.joined(separator: "; then ")
    }
}

extension LinkageGraph {
    /// What `element` reaches in the SDG framework: its own `advances-sdg` links, and the
    /// `advances-sdg` links of each node it `continues` (an OP-23 theme inherits the SDGs the
    /// BAAP states for the output it continues). Links to nodes outside the SDG framework are
    /// left out. Ordered by SDG node, then route.
    public func sdgReach(of element: NodeID) -> [SDGReach] {
        var reaches: [SDGReach] = []
        for edge in outgoing(element, relation: .advancesSDG) {
            guard let position = sdgPosition(edge.target) else { continue }
            reaches.append(SDGReach(element: element, sdg: edge.target, position: position, steps: [edge]))
        }
        for step in outgoing(element, relation: .continues) {
            for edge in outgoing(step.target, relation: .advancesSDG) {
                guard let position = sdgPosition(edge.target) else { continue }
                reaches.append(SDGReach(element: element, sdg: edge.target, position: position, steps: [step, edge]))
            }
        }
        return reaches.sorted { a, b in a.sdg != b.sdg ? a.sdg < b.sdg : a.steps.map(\.key).lexicographicallyPrecedes(b.steps.map(\.key)) }
    }

    /// Whether any element of `plan` reaches an SDG node.
    public func reachesSDGs(_ plan: ResolvedPlan) -> Bool { plan.elements.contains { !sdgReach(of: $0.id).isEmpty } }
}
