/// Says in words, for a figure's caption, what the derived links a figure draws are inherited
/// from and by which rule, in the figure's language: a pasted figure must not present another
/// plan's mapping, or a curator's match, as a statement of the plan it shows.
public enum DerivationCaption {
    /// `routes`: how each drawn link came about, as the chain of links from the element (one
    /// link, or a `continues` link then the continued node's link). `plan`: the plan drawn,
    /// named when none of its links is stated by its document. Nil when every link is declared.
    /// `marker`: how the figure marks derived links ("dashed", "marked *").
    public static func describe(routes: [[Edge]], graph: LinkageGraph, plan: LocalizedText? = nil,
                                marker: LocalizedText = LocalizedText(zh: "虚线", en: "dashed")) -> LocalizedText? {
        // Routes alike but for the kind they start from (KAP priorities and enablers) are told once.
        var order: [String] = []
        var patterns: [String: Pattern] = [:]
        var anyDeclared = false
        for route in routes where !route.isEmpty {
            if route.allSatisfy(\.isDeclared) {
                anyDeclared = true
                continue
            }
            let pattern = Pattern(route, graph: graph)
            if var known = patterns[pattern.key] {
                if !known.starts.contains(pattern.starts[0]) { known.starts.append(pattern.starts[0]) }
                if let end = pattern.ends.first, !known.ends.contains(end) { known.ends.append(end) }
                patterns[pattern.key] = known
            } else {
                order.append(pattern.key)
                patterns[pattern.key] = pattern
            }
        }
        guard !order.isEmpty else { return nil }
        let all = !anyDeclared
        var zh = all ? "图中所有联系均为推导所得，非文件陈述（\(marker.zh)）：" : "推导所得、非文件陈述的联系（\(marker.zh)）："
        var en = all ? "Every link shown is derived, not stated by a document (\(marker.en)): " : "Links derived, not stated by a document (\(marker.en)): "
        zh += order.map { patterns[$0]!.text.zh }.joined(separator: "；") + "。"
        en += order.map { patterns[$0]!.text.en }.joined(separator: "; ") + "."
        if let plan, all {
            zh += "\(plan.zh)本身未陈述其中任何联系。"
            en += " The \(plan.en) itself states none of them."
        }
        return LocalizedText(zh: zh, en: en)
    }

    private static func kindName(_ id: NodeID, graph: LinkageGraph) -> LocalizedText {
        guard let node = graph.node(id) else { return LocalizedText(zh: id.rawValue, en: id.rawValue) }
        if node.kind.rawValue.hasPrefix("sdg-") { return LocalizedText(zh: "可持续发展目标", en: "SDG") }
        return graph.vocabulary.spec(node.kind)?.label ?? LocalizedText(zh: node.kind.rawValue, en: node.kind.rawValue)
    }

    /// A route told as kinds: "start → kind → kind → SDG (rule r); the a → b step is itself
    /// derived (rule s)".
    private struct Pattern {
        var starts: [LocalizedText]
        /// The kinds between the start and the end.
        var rest: [LocalizedText]
        var ends: [LocalizedText]
        var rules: [String]
        var innerSteps: [(from: LocalizedText, to: LocalizedText, rule: String)]

        init(_ route: [Edge], graph: LinkageGraph) {
            // The chain of links actually walked: a composed link is replaced by its first path.
            var chain: [EdgeKey] = []
            var rules: [String] = []
            for edge in route {
                if case .derived(let derivation) = edge.provenance, let path = derivation.paths.first, !path.isEmpty {
                    chain += path
                    rules.append(derivation.rule)
                } else {
                    chain.append(edge.key)
                }
            }
            var current = route[0].source
            var rest: [LocalizedText] = []
            var inner: [(LocalizedText, LocalizedText, String)] = []
            for step in chain {
                let next = step.source == current ? step.target : step.source
                if let edge = graph.edge(step), case .derived(let derivation) = edge.provenance, !rules.contains(derivation.rule) {
                    inner.append((kindName(current, graph: graph), kindName(next, graph: graph), derivation.rule))
                }
                rest.append(kindName(next, graph: graph))
                current = next
            }
            starts = [kindName(route[0].source, graph: graph)]
            ends = rest.last.map { [$0] } ?? []
            self.rest = Array(rest.dropLast())
            self.rules = rules
            innerSteps = inner
        }

        var key: String { (rest.map(\.en) + rules + innerSteps.map { $0.rule }).joined(separator: "|") }

        var text: LocalizedText {
            let middleZH = rest.map { " → " + $0.zh }.joined(), middleEN = rest.map { " → " + $0.en }.joined()
            var zh = starts.map(\.zh).joined(separator: "或") + middleZH + " → " + ends.map(\.zh).joined(separator: "或")
            var en = starts.map(\.en).joined(separator: " or ") + middleEN + " → " + ends.map(\.en).joined(separator: " or ")
            if !rules.isEmpty {
                zh += "（规则 " + rules.joined(separator: "、") + "）"
                en += " (rule " + rules.joined(separator: ", ") + ")"
            }
            for step in innerSteps {
                zh += "，其中 \(step.from.zh) → \(step.to.zh) 一步本身也是推导所得（规则 \(step.rule)）"
                en += "; the \(step.from.en) → \(step.to.en) step is itself derived (rule \(step.rule))"
            }
            return LocalizedText(zh: zh, en: en)
        }
    }
}
