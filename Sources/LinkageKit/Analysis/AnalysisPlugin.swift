/// An analysis the host can run against the graph. A plugin is a target under `Plugins/` that
/// depends only on LinkageKit and exposes `public let analysis: any AnalysisPlugin`.
///
/// A plugin knows nothing of the command line or of Graphviz: it reads the graph and returns a
/// result (headline figures, findings, tables, diagram views); the host writes reports and
/// renders the views.
public protocol AnalysisPlugin: Sendable {
    var descriptor: AnalysisDescriptor { get }
    func run(_ context: AnalysisContext) throws -> AnalysisResult
}

/// What an analysis is and which options it takes; `linkage analyses` lists these.
public struct AnalysisDescriptor: Sendable {
    /// Stable id used on the command line and as the output folder name (`sdg-mapping`).
    public var id: String
    public var title: String
    /// One line: the question the analysis answers.
    public var summary: String
    public var options: [AnalysisOption]
    /// Example invocations for `--help`-style listings.
    public var examples: [String]

    /// The title and summary in both languages, for reports; `title` and `summary` are their
    /// English (the command line's language).
    public var localizedTitle: LocalizedText
    public var localizedSummary: LocalizedText

    /// An analysis whose title and summary are in English only (an external analysis that gives
    /// no Chinese): reports in Chinese show them as they are.
    public init(id: String, title: String, summary: String, options: [AnalysisOption] = [], examples: [String] = []) {
        self.init(id: id, title: .same(title), summary: .same(summary), options: options, examples: examples)
    }

    public init(id: String, title: LocalizedText, summary: LocalizedText, options: [AnalysisOption] = [], examples: [String] = []) {
        self.id = id
        self.title = title.en
        self.summary = summary.en
        localizedTitle = title
        localizedSummary = summary
        self.options = options
        self.examples = examples
    }

    public func option(_ name: String) -> AnalysisOption? { options.first { $0.name == name } }
}

/// One option of an analysis, given on the command line as `--set name=value`.
public struct AnalysisOption: Sendable {
    public enum ValueType: Sendable, Equatable {
        case text
        case integer(ClosedRange<Int>)
        /// A node id of the graph.
        case nodeID
        /// A comma-separated list of node ids, relations or words.
        case list
        case choice([String])
    }

    public var name: String
    public var summary: String
    public var type: ValueType
    /// The value used when the option is not given (shown in listings); nil means "see summary".
    public var defaultValue: String?

    public init(name: String, summary: String, type: ValueType, defaultValue: String? = nil) {
        self.name = name
        self.summary = summary
        self.type = type
        self.defaultValue = defaultValue
    }

    public var typeDescription: String {
        switch type {
        case .text: "text"
        case .integer(let range): "integer \(range.lowerBound)…\(range.upperBound)"
        case .nodeID: "node id"
        case .list: "comma-separated list"
        case .choice(let values): values.joined(separator: "|")
        }
    }
}

/// A wrong option value or combination; the host reports it as a usage error.
public struct AnalysisOptionError: Error, Sendable, CustomStringConvertible {
    public var option: String
    public var message: String
    public init(option: String, _ message: String) {
        self.option = option
        self.message = message
    }
    public var description: String { "option '\(option)': \(message)" }
}

/// Options as given, checked against the descriptor by `AnalysisOptions.parse`.
public struct AnalysisOptions: Sendable {
    public private(set) var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    /// Parses `name=value` assignments, rejecting unknown names and ill-typed values.
    public static func parse(_ assignments: [String], for descriptor: AnalysisDescriptor) throws -> AnalysisOptions {
        var values: [String: String] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw AnalysisOptionError(option: assignment, "write options as name=value (for example depth=2)")
            }
            let name = String(assignment[..<equals]).trimmingCharacters(in: .whitespaces)
            let value = String(assignment[assignment.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            guard let option = descriptor.option(name) else {
                let known = descriptor.options.map(\.name)
                let hint = Suggestion.closest(to: name, in: known).map { " (did you mean '\($0)'?)" } ?? ""
                throw AnalysisOptionError(
                    option: name,
                    "\(descriptor.id) has no such option\(hint); its options: \(known.isEmpty ? "none" : known.joined(separator: ", "))")
            }
            switch option.type {
            case .integer(let range):
                guard let n = Int(value), range.contains(n) else {
                    throw AnalysisOptionError(option: name, "expected an integer in \(range.lowerBound)…\(range.upperBound), got '\(value)'")
                }
            case .choice(let allowed):
                guard allowed.contains(value) else {
                    throw AnalysisOptionError(option: name, "expected one of \(allowed.joined(separator: ", ")), got '\(value)'")
                }
            case .text, .nodeID, .list:
                break
            }
            values[name] = value
        }
        return AnalysisOptions(values)
    }

    public subscript(name: String) -> String? { values[name] }

    public func integer(_ name: String, default fallback: Int) -> Int { values[name].flatMap(Int.init) ?? fallback }
    public func string(_ name: String, default fallback: String) -> String { values[name] ?? fallback }

    /// A comma-separated option as a list, trimmed, empty entries dropped.
    public func list(_ name: String) -> [String]? {
        values[name].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }
}

/// What an analysis gets: the graph, the options, and a way to report progress.
public struct AnalysisContext: Sendable {
    public let graph: LinkageGraph
    public let options: AnalysisOptions
    public let progress: @Sendable (String) -> Void

    public init(graph: LinkageGraph, options: AnalysisOptions = AnalysisOptions(), progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.graph = graph
        self.options = options
        self.progress = progress
    }

    /// The node of an id option, or an option error naming the closest existing id.
    public func requireNode(_ option: String, _ id: String) throws -> Node {
        if let node = graph.node(NodeID(id)) { return node }
        throw AnalysisOptionError(option: option, "no node has the id '\(id)'\(graph.idHint(for: id))")
    }

    /// A plan declared by a dataset (its id in any case: `KAP` is `kap`), or an option error
    /// suggesting the plan meant (`kap-2023-2027` → `kap`) and listing the plans.
    public func requirePlan(_ option: String, _ id: String) throws -> PlanSpec {
        if let plan = graph.plan(named: id) { return plan }
        throw AnalysisOptionError(
            option: option,
            "no plan '\(id)'\(graph.planHint(for: id)); plans: \(graph.vocabulary.plans.map(\.id).joined(separator: ", "))")
    }

    /// Relation names from an option, each checked against the vocabulary.
    public func requireRelations(_ option: String, _ names: [String]) throws -> [RelationKind] {
        try names.map { name in
            let relation = RelationKind(name)
            guard graph.vocabulary.spec(relation) != nil else {
                let known = graph.vocabulary.sortedRelations.map(\.relation.rawValue)
                let hint = Suggestion.closest(to: name, in: known).map { " (did you mean '\($0)'?)" } ?? ""
                throw AnalysisOptionError(option: option, "unknown relation '\(name)'\(hint)")
            }
            return relation
        }
    }
}
