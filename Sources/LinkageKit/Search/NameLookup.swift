/// Finding a dataset or a plan by the name a person types: exact, else the one name that
/// differs only in case; otherwise a suggestion that also knows the short and long names of
/// the same thing (`kap` → dataset `kap-2023-2027`; `kap-2023-2027` → plan `kap`).
extension LinkageGraph {
    /// The dataset of that name, or of that name in another case.
    public func dataset(named name: String) -> DatasetInfo? {
        if let exact = dataset(name) { return exact }
        let matches = datasets.filter { $0.name.lowercased() == name.lowercased() }
        return matches.count == 1 ? matches[0] : nil
    }

    /// ` (did you mean 'kap-2023-2027'?)` for `kap`, or an empty string.
    public func datasetHint(for name: String) -> String {
        let word = name.lowercased()
        let names = datasets.map(\.name)
        // The dataset that declares a plan of that id, or whose name starts with the word.
        if let plan = vocabulary.plans.first(where: { $0.id.lowercased() == word }), names.contains(plan.declaredBy) {
            return " (did you mean '\(plan.declaredBy)'? it declares the plan '\(plan.id)')"
        }
        let prefixed = names.filter { $0.lowercased().hasPrefix(word) }
        if prefixed.count == 1 { return " (did you mean '\(prefixed[0])'?)" }
        if prefixed.count > 1 { return " (did you mean one of \(prefixed.map { "'\($0)'" }.joined(separator: ", "))?)" }
        return Suggestion.hint(for: name, in: names)
    }

    /// The plan of that id, or of that id in another case (`KAP` → `kap`).
    public func plan(named id: String) -> PlanSpec? {
        if let exact = vocabulary.plan(id) { return exact }
        let matches = vocabulary.plans.filter { $0.id.lowercased() == id.lowercased() }
        return matches.count == 1 ? matches[0] : nil
    }

    /// ` (did you mean 'kap'? the plan of dataset kap-2023-2027)` for `kap-2023-2027`, or an
    /// edit-distance suggestion, or an empty string.
    public func planHint(for id: String) -> String {
        let word = id.lowercased()
        let plans = vocabulary.plans
        let byDataset = plans.filter { $0.declaredBy.lowercased() == word }
        if byDataset.count == 1 { return " (did you mean '\(byDataset[0].id)'? the plan of dataset \(byDataset[0].declaredBy))" }
        let prefixed = plans.filter { $0.id.lowercased().hasPrefix(word) || word.hasPrefix($0.id.lowercased() + "-") }
        if prefixed.count == 1 { return " (did you mean '\(prefixed[0].id)'?)" }
        return Suggestion.hint(for: id, in: plans.map(\.id))
    }

    /// The node kind of that name, or of that name in another case.
    public func kind(named name: String) -> NodeKind? {
        if vocabulary.spec(NodeKind(name)) != nil { return NodeKind(name) }
        let matches = vocabulary.kinds.keys.filter { $0.rawValue.lowercased() == name.lowercased() }
        return matches.count == 1 ? matches.first : nil
    }

    public func kindHint(for name: String) -> String {
        let word = name.lowercased()
        let kinds = vocabulary.kinds.keys.map(\.rawValue).sorted()
        let prefixed = kinds.filter { $0.hasPrefix(word) }
        if prefixed.count == 1 { return " (did you mean '\(prefixed[0])'?)" }
        if prefixed.count > 1, prefixed.count <= 6 { return " (did you mean one of \(prefixed.map { "'\($0)'" }.joined(separator: ", "))?)" }
        return Suggestion.hint(for: name, in: kinds)
    }
}
