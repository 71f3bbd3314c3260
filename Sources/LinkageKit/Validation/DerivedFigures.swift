import Foundation
import OrderedCollections

/// Stored figures a dataset derives from its own data — sums of budgets, shares, counts, and the
/// `*_check` verdicts comparing them with what a document prints — recomputed on every load.
/// A curator writes them so a reader sees the arithmetic next to the figures; the loader makes
/// sure they stay true when a figure is edited. One rule per kind of figure, named by the
/// attribute it recomputes; docs/dataset-format.md lists them.
///
/// Every attribute whose name marks it as derived (`*_check`, `*_computed`, `*_sum`, `*_sum_*`,
/// `count_listed_*`) must have a rule: a derived figure nothing recomputes would look checked
/// without being so.
enum DerivedFigures {
    /// The recomputed value of one attribute, with the operands that explain it.
    enum Outcome {
        /// A figure, compared with the stored one after rounding to `decimals`.
        case number(Double, decimals: Int, because: String)
        /// A `*_check`: whether the compared figures agree.
        case verdict(Bool, because: String)
        /// The operands are missing (reported: a figure that cannot be recomputed is not checked).
        case cannot(String)
    }

    struct Rule: Sendable {
        let attribute: String
        /// How the figure is computed, in words (for the message and the documentation).
        let rule: String
        let recompute: @Sendable (Context, Node) -> Outcome
    }

    /// Whether an attribute name says its value is derived from other data.
    static func isDerived(_ name: String) -> Bool {
        name.hasSuffix("_check") || name.hasSuffix("_computed") || name.hasSuffix("_sum") || name.contains("_sum_")
            || name.hasPrefix("count_listed_")
    }

    /// The nodes and links the rules read.
    struct Context {
        let nodes: [NodeID: Node]
        let order: [NodeID]
        /// part-of links, by the containing node, in dataset order.
        let parts: [NodeID: [NodeID]]
        let containers: [NodeID: [NodeID]]
        /// The budgeted nodes by (dataset, `op23_code`) and by (dataset, `code_printed`), in
        /// `order`: a theme finds its line and a line its themes in one lookup, not by reading
        /// every node (issue 9: that scan, once per figure, was 40 % of validating a large plan).
        let budgetedByCode: [CodeKey: [NodeID]]
        let budgetedByPrintedCode: [CodeKey: [NodeID]]

        struct CodeKey: Hashable {
            let dataset: String
            let code: String
        }

        init(nodes: [NodeID: Node], order: [NodeID], edges: [Edge]) {
            self.nodes = nodes
            self.order = order
            var parts: [NodeID: [NodeID]] = [:], containers: [NodeID: [NodeID]] = [:]
            for edge in edges where edge.relation == .partOf && edge.isDeclared {
                parts[edge.target, default: []].append(edge.source)
                containers[edge.source, default: []].append(edge.target)
            }
            self.parts = parts
            self.containers = containers
            var byCode: [CodeKey: [NodeID]] = [:], byPrintedCode: [CodeKey: [NodeID]] = [:]
            for id in order {
                guard let node = nodes[id], node[attribute: "budget_chf"]?.numericValue != nil else { continue }
                if let code = node[attribute: "op23_code"]?.description {
                    byCode[CodeKey(dataset: node.dataset, code: code), default: []].append(id)
                }
                if let code = node[attribute: "code_printed"]?.description {
                    byPrintedCode[CodeKey(dataset: node.dataset, code: code), default: []].append(id)
                }
            }
            budgetedByCode = byCode
            budgetedByPrintedCode = byPrintedCode
        }

        func budget(_ id: NodeID) -> Double? { nodes[id]?[attribute: "budget_chf"]?.numericValue }

        /// The parts of a node that carry a budget.
        func budgetedParts(of node: Node) -> [Node] {
            (parts[node.id] ?? []).compactMap { nodes[$0] }.filter { $0[attribute: "budget_chf"]?.numericValue != nil }
        }

        /// The node a budgeted node is part of that has a budget itself (a line's total).
        func budgetedContainer(of node: Node) -> Node? {
            (containers[node.id] ?? []).compactMap { nodes[$0] }.first { $0[attribute: "budget_chf"]?.numericValue != nil }
        }

        /// The themes of a budget line: the nodes of its dataset whose `op23_code` is the line's
        /// printed code (`code_printed`). OP-23 ties a theme to its row of table 1 only by this code
        /// (theme rows and budget rows link to the KAP priority, which a joint row such as
        /// P5/E6/E7 splits over three nodes).
        func themes(of line: Node) -> [Node] {
            guard let code = line[attribute: "code_printed"]?.description else { return [] }
            return (budgetedByCode[CodeKey(dataset: line.dataset, code: code)] ?? []).filter { $0 != line.id }.compactMap { nodes[$0] }
        }

        /// The budget line a theme belongs to (the reverse of `themes(of:)`).
        func line(of theme: Node) -> Node? {
            guard let code = theme[attribute: "op23_code"]?.description else { return nil }
            return (budgetedByPrintedCode[CodeKey(dataset: theme.dataset, code: code)] ?? []).first { $0 != theme.id }.flatMap { nodes[$0] }
        }
    }

    // MARK: The rules

    static let rules: [String: Rule] = Dictionary(uniqueKeysWithValues: all.map { ($0.attribute, $0) })

    static let all: [Rule] = [
        Rule(attribute: "lines_sum_chf", rule: "the sum of budget_chf of the nodes part-of it") { context, node in
            sum(context.budgetedParts(of: node), "budget_chf", what: "its parts")
        },
        Rule(attribute: "sum_check", rule: "agrees when the budget_chf of its parts add up to its budget_chf") { context, node in
            compareSum(context.budgetedParts(of: node), with: node, what: "its parts")
        },
        Rule(attribute: "share_percent_printed_sum", rule: "the sum of share_percent_printed of the nodes part-of it, to 1 decimal") { context, node in
            sum(context.budgetedParts(of: node), "share_percent_printed", what: "its parts", decimals: 1)
        },
        Rule(attribute: "share_percent_computed", rule: "budget_chf / budget_chf of the node it is part of × 100, to 2 decimals") { context, node in
            share(of: node, in: context.budgetedContainer(of: node), decimals: 2, what: "the node it is part of")
        },
        Rule(attribute: "share_check", rule: "agrees when budget_chf / budget_chf of the node it is part of × 100, to 1 decimal, equals share_percent_printed") { context, node in
            shareCheck(of: node, in: context.budgetedContainer(of: node), printed: "share_percent_printed", what: "the node it is part of")
        },
        Rule(attribute: "themes_sum_chf", rule: "the sum of budget_chf of its themes (the nodes whose op23_code is its code_printed)") { context, node in
            sum(context.themes(of: node), "budget_chf", what: "its themes")
        },
        Rule(attribute: "themes_sum_check", rule: "agrees when the budget_chf of its themes add up to its budget_chf") { context, node in
            compareSum(context.themes(of: node), with: node, what: "its themes")
        },
        Rule(attribute: "theme_share_percent_of_total_printed_sum",
             rule: "the sum of share_percent_of_total_printed of its themes (of a total: the themes of its parts), to 1 decimal") { context, node in
            let themes = node[attribute: "code_printed"] != nil
                ? context.themes(of: node) : context.budgetedParts(of: node).flatMap { context.themes(of: $0) }
            return sum(themes, "share_percent_of_total_printed", what: "its themes", decimals: 1)
        },
        Rule(attribute: "section_total_row_check",
             rule: "agrees when section_total_row_budget_chf_printed equals budget_chf and section_total_row_share_percent_printed equals share_percent_printed") { _, node in
            guard let printedBudget = node[attribute: "section_total_row_budget_chf_printed"]?.numericValue,
                  let budget = node[attribute: "budget_chf"]?.numericValue else {
                return .cannot("it needs section_total_row_budget_chf_printed and budget_chf")
            }
            var agrees = printedBudget == budget
            var because = "section total row \(format(printedBudget)) CHF, budget_chf \(format(budget))"
            if let printedShare = node[attribute: "section_total_row_share_percent_printed"]?.numericValue {
                guard let share = node[attribute: "share_percent_printed"]?.numericValue else {
                    return .cannot("it needs share_percent_printed to compare section_total_row_share_percent_printed with")
                }
                agrees = agrees && abs(printedShare - share) < 1e-9
                because += "; section total row \(format(printedShare))%, share_percent_printed \(format(share))%"
            }
            return .verdict(agrees, because: because)
        },
        Rule(attribute: "share_percent_of_priority_computed", rule: "budget_chf / budget_chf of its budget line × 100, to 2 decimals") { context, node in
            share(of: node, in: context.line(of: node), decimals: 2, what: "its budget line")
        },
        Rule(attribute: "share_percent_of_priority_check",
             rule: "agrees when budget_chf / budget_chf of its budget line × 100, to 1 decimal, equals share_percent_of_priority_printed") { context, node in
            shareCheck(of: node, in: context.line(of: node), printed: "share_percent_of_priority_printed", what: "its budget line")
        },
        Rule(attribute: "share_percent_of_total_computed", rule: "budget_chf / budget_chf of the total its budget line is part of × 100, to 2 decimals") { context, node in
            share(of: node, in: context.line(of: node).flatMap(context.budgetedContainer), decimals: 2, what: "the total of its budget line")
        },
        Rule(attribute: "share_percent_of_total_check",
             rule: "agrees when budget_chf / budget_chf of the total its budget line is part of × 100, to 1 decimal, equals share_percent_of_total_printed") { context, node in
            shareCheck(of: node, in: context.line(of: node).flatMap(context.budgetedContainer),
                       printed: "share_percent_of_total_printed", what: "the total of its budget line")
        },
        Rule(attribute: "count_listed_initiatives", rule: "the number of nodes part-of it") { context, node in
            let parts = context.parts[node.id] ?? []
            return .number(Double(parts.count), decimals: 0, because: "\(parts.count) nodes are part of it")
        },
    ]

    // MARK: Arithmetic

    static func sum(_ nodes: [Node], _ attribute: String, what: String, decimals: Int = 0) -> Outcome {
        guard !nodes.isEmpty else { return .cannot("\(what): none found") }
        var total = 0.0
        var terms: [String] = []
        for node in nodes {
            guard let value = node[attribute: attribute]?.numericValue else {
                return .cannot("\(node.id) has no \(attribute)")
            }
            total += value
            terms.append("\(node.id) \(format(value))")
        }
        return .number(total, decimals: decimals, because: "\(attribute) of \(what): \(terms.joined(separator: " + "))")
    }

    static func compareSum(_ parts: [Node], with node: Node, what: String) -> Outcome {
        guard let budget = node[attribute: "budget_chf"]?.numericValue else { return .cannot("it has no budget_chf") }
        guard case .number(let total, _, let because) = sum(parts, "budget_chf", what: what) else {
            return sum(parts, "budget_chf", what: what)
        }
        return .verdict(total == budget, because: "\(because) = \(format(total)); budget_chf is \(format(budget))")
    }

    static func share(of node: Node, in whole: Node?, decimals: Int, what: String) -> Outcome {
        guard let part = node[attribute: "budget_chf"]?.numericValue else { return .cannot("it has no budget_chf") }
        guard let whole, let total = whole[attribute: "budget_chf"]?.numericValue, total != 0 else {
            return .cannot("\(what) was not found, or has no budget_chf")
        }
        let value = percent(part, of: total, decimals: decimals)
        return .number(value, decimals: decimals,
                       because: "\(format(part)) / \(format(total)) (\(whole.id)) × 100 = \(format(part / total * 100))")
    }

    static func shareCheck(of node: Node, in whole: Node?, printed attribute: String, what: String) -> Outcome {
        guard let printed = node[attribute: attribute]?.numericValue else { return .cannot("it has no \(attribute)") }
        guard case .number(let value, _, let because) = share(of: node, in: whole, decimals: 1, what: what) else {
            return share(of: node, in: whole, decimals: 1, what: what)
        }
        return .verdict(abs(value - printed) < 1e-9, because: "\(because), \(format(value))% to 1 decimal; \(attribute) is \(format(printed))")
    }

    /// part / whole × 100 rounded half away from zero to `decimals`, exactly for whole-number
    /// amounts (budgets in CHF), so that a share on a rounding boundary is not decided by binary
    /// floating point.
    static func percent(_ part: Double, of whole: Double, decimals: Int) -> Double {
        let scale = (0..<decimals).reduce(1) { acc, _ in acc * 10 }
        if part == part.rounded(), whole == whole.rounded(), part >= 0, whole > 0, part < 1e12, whole < 1e12 {
            let numerator = Int(part) * 100 * scale, denominator = Int(whole)
            let rounded = (2 * numerator + denominator) / (2 * denominator)
            return Double(rounded) / Double(scale)
        }
        return round(part / whole * 100, decimals: decimals)
    }

    static func round(_ value: Double, decimals: Int) -> Double {
        let scale = (0..<decimals).reduce(1.0) { acc, _ in acc * 10 }
        return (value * scale).rounded(.toNearestOrAwayFromZero) / scale
    }

    static func format(_ value: Double) -> String { AttributeValue.format(value) }

    // MARK: Checking

    /// Recomputes every derived attribute of every node; a stored value that differs is an
    /// error at the value. Returns how many figures were recomputed.
    static func check(_ context: Context, attributeLocations: [NodeID: [String: SourceLocation]], log: DiagnosticLog) -> Int {
        var recomputed = 0
        for id in context.order {
            guard let node = context.nodes[id] else { continue }
            for (name, stored) in node.attributes where isDerived(name) {
                let location = attributeLocations[id]?[name] ?? node.location
                guard let rule = rules[name] else {
                    log.error("attribute '\(name)' of \(id) looks derived, but no rule recomputes it (rules: \(all.map(\.attribute).joined(separator: ", "))); see docs/dataset-format.md, \"Derived figures\"",
                              at: location, code: "derived-figure", ids: [id])
                    continue
                }
                switch rule.recompute(context, node) {
                case .cannot(let why):
                    log.error("\(name) of \(id) cannot be recomputed (\(rule.rule)): \(why)", at: location, code: "derived-figure", ids: [id])
                case .number(let value, let decimals, let because):
                    recomputed += 1
                    let expected = round(value, decimals: decimals)
                    guard let written = stored.numericValue else {
                        log.error("\(name) of \(id) must be a number; recomputed it is \(format(expected)) (\(because))",
                                  at: location, code: "derived-figure", ids: [id])
                        continue
                    }
                    if abs(written - expected) > 1e-9 {
                        log.error("\(name) of \(id) is \(format(written)), but recomputed it is \(format(expected)) (\(rule.rule): \(because))",
                                  at: location, code: "derived-figure", ids: [id])
                    }
                case .verdict(let agrees, let because):
                    recomputed += 1
                    let expected = agrees ? "agrees" : "disagrees"
                    guard let written = stored.stringValue, written == "agrees" || written == "disagrees" else {
                        log.error("\(name) of \(id) must be 'agrees' or 'disagrees'; recomputed it is '\(expected)' (\(because))",
                                  at: location, code: "derived-figure", ids: [id])
                        continue
                    }
                    if written != expected {
                        log.error("\(name) of \(id) says '\(written)', but recomputed it \(expected) (\(rule.rule): \(because))",
                                  at: location, code: "derived-figure", ids: [id])
                    }
                }
            }
        }
        return recomputed
    }
}
