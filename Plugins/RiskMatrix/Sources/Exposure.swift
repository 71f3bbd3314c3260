import LinkageKit

/// How exposure is attributed when the data does not say which element a risk bears on.
enum Attribution: String, CaseIterable, Sendable {
    /// A risk with no `bears-on` link bears on every element of the plans its own dataset
    /// declares (rule `risk-bears-on-plan-wide`): derived, and said so on every row.
    case planWide = "plan-wide"
    /// Only `bears-on` links in the data; risks without them have no exposure.
    case declared
}

/// A risk bearing on one plan element, and why the analysis says so.
struct ExposureLink: Sendable {
    enum Basis: Sendable {
        /// A `bears-on` link of the data (declared by a source, or derived by a dataset's rule),
        /// reaching the element itself or a node the element is part of.
        case link(Edge)
        /// This analysis's plan-wide rule.
        case planWide
    }

    var risk: NodeID
    var element: NodeID
    var basis: Basis

    var isDeclared: Bool {
        if case .link(let edge) = basis { return edge.isDeclared }
        return false
    }

    var rule: String? {
        switch basis {
        case .planWide: PlanExposure.planWideRule
        case .link(let edge):
            if case .derived(let derivation) = edge.provenance { derivation.rule } else { nil }
        }
    }
}

/// The exposure of one plan: which risks bear on which of its elements, their budgets, and the
/// SDG nodes reached from the exposed elements.
struct PlanExposure: Sendable {
    static let planWideRule = "risk-bears-on-plan-wide"

    var plan: ResolvedPlan
    var links: [ExposureLink]
    /// Budget (CHF) of each element that has one.
    var budgets: [NodeID: Int]
    /// Budget lines that fund several elements at once: not split, not counted per element.
    var sharedBudgetLines: [NodeID]
    /// Budget totals stated in the plan's dataset (a node the budget lines are part of).
    var statedTotals: [Node]
    var reaches: [SDGReach]

    var hasBudget: Bool { !budgets.isEmpty }
    var budgetSum: Int { budgets.values.reduce(0, +) }
    var exposedElements: [NodeID] { Set(links.map(\.element)).sorted() }
    func risks(on element: NodeID) -> [NodeID] { Set(links.filter { $0.element == element }.map(\.risk)).sorted() }
    func links(on element: NodeID) -> [ExposureLink] { links.filter { $0.element == element } }

    static func compute(_ graph: LinkageGraph, plan: ResolvedPlan, entries: [RegisterEntry], attribution: Attribution) -> PlanExposure {
        var links: [ExposureLink] = []
        let elementIDs = plan.elements.map(\.id)
        for entry in entries {
            let bearsOn = graph.outgoing(entry.id, relation: "bears-on")
            if !bearsOn.isEmpty {
                for edge in bearsOn {
                    for element in elementIDs where element == edge.target || graph.ancestors(of: element).contains(edge.target) {
                        links.append(ExposureLink(risk: entry.id, element: element, basis: .link(edge)))
                    }
                }
            } else if attribution == .planWide && plan.spec.declaredBy == entry.node.dataset {
                for element in elementIDs { links.append(ExposureLink(risk: entry.id, element: element, basis: .planWide)) }
            }
        }
        links.sort { ($0.element, $0.risk) < ($1.element, $1.risk) }

        // Budgets: the element's own budget_chf; else budget lines that fund it and nothing else.
        var budgets: [NodeID: Int] = [:]
        var shared = Set<NodeID>()
        for element in plan.elements {
            if let own = element.attributes["budget_chf"]?.numericValue {
                budgets[element.id] = Int(own)
                continue
            }
            var sum: Int?
            for funding in graph.incoming(element.id, relation: "funds") where graph.role(of: funding.source) == .budget {
                guard let line = graph.node(funding.source), let amount = line.attributes["budget_chf"]?.numericValue else { continue }
                if graph.outgoing(line.id, relation: "funds").count > 1 {
                    shared.insert(line.id)
                    continue
                }
                sum = (sum ?? 0) + Int(amount)
            }
            if let sum { budgets[element.id] = sum }
        }

        // Stated totals: budget nodes of the plan's dataset that other budget nodes are part of.
        let totals = graph.nodes(inDataset: plan.spec.declaredBy).filter { node in
            graph.vocabulary.role(of: node.kind) == .budget && node.attributes["budget_chf"] != nil
                && graph.outgoing(node.id, relation: .partOf).isEmpty
                && graph.incoming(node.id, relation: .partOf).contains { graph.role(of: $0.source) == .budget }
        }

        // What the exposed elements reach in the SDG framework: the kit's shared answer, the
        // same sdg-mapping and wsis-action-lines give.
        let reaches = Set(links.map(\.element)).sorted().flatMap { graph.sdgReach(of: $0) }
        return PlanExposure(plan: plan, links: links, budgets: budgets, sharedBudgetLines: shared.sorted(),
                            statedTotals: totals, reaches: reaches)
    }

    /// One sentence naming the rule and why it holds for this risk, from the risk's own citation.
    static func planWideJustification(_ risk: Node, plan: ResolvedPlan) -> String {
        "\(risk.id) (cited at \(risk.citation.reference)) has no bears-on link: no source says which element it bears on. Its dataset \(risk.dataset) declares plan \(plan.id); the risk is read as a risk to that plan as a whole, bearing on each of its \(plan.elements.count) elements (derived by this analysis, not stated by the source)."
    }
}
