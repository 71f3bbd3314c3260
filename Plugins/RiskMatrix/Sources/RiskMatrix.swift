import LinkageKit

/// The analysis this plugin registers.
public let analysis: any AnalysisPlugin = RiskMatrixAnalysis()

/// The risk register and risk matrix of the plans: every risk with its likelihood, impact,
/// level (from an explicit level table), owner and mitigations; a heat map per document; and
/// the exposure of plan elements, budgets and SDG targets to each risk level, always derived.
public struct RiskMatrixAnalysis: AnalysisPlugin {
    public init() {}

    public var descriptor: AnalysisDescriptor {
        AnalysisDescriptor(
            id: "risk-matrix",
            title: strings("analysis.title"),
            summary: strings("analysis.summary"),
            options: [
                AnalysisOption(name: "plan", summary: "Plans whose risks and exposure are reported (comma-separated), or all: every risk, and every plan a risk bears on or whose dataset states risks.", type: .text, defaultValue: "all"),
                AnalysisOption(name: "scale", summary: "Size of the matrix: the built-in 3×3 (low/medium/high, OP-23's scale) or 5×5 table.", type: .choice(["3", "5"]), defaultValue: "3"),
                AnalysisOption(name: "levels", summary: "A level-table file (YAML, format of Plugins/RiskMatrix/levels/*.yaml) replacing the built-in table: axes, levels, colours and the level of every cell.", type: .text),
                AnalysisOption(name: "attribution", summary: "Risks with no bears-on link: plan-wide (bear on every element of their dataset's plans, derived) or declared (no exposure).", type: .choice(Attribution.allCases.map(\.rawValue)), defaultValue: "plan-wide"),
            ],
            examples: [
                "linkage run risk-matrix",
                "linkage run risk-matrix --set plan=op23 --set scale=5",
                "linkage run risk-matrix --set levels=Plugins/RiskMatrix/levels/risk-levels-5x5.yaml",
                "linkage run risk-matrix --set attribution=declared",
            ])
    }

    public func run(_ context: AnalysisContext) throws -> AnalysisResult {
        let graph = context.graph
        let scale = try Self.scale(from: context.options)
        let attributionValue = context.options.string("attribution", default: Attribution.planWide.rawValue)
        guard let attribution = Attribution(rawValue: attributionValue) else {
            throw AnalysisOptionError(option: "attribution", "expected one of \(Attribution.allCases.map(\.rawValue).joined(separator: ", ")), got '\(attributionValue)'")
        }
        let planOption = context.options.string("plan", default: "all")
        let allRisks = graph.nodes(withRole: .risk)

        // A risk belongs to a plan when the plan is declared by the risk's own dataset, or when a
        // bears-on link of the data reaches one of the plan's elements (or a node they are part of).
        func belongs(_ risk: Node, to plan: ResolvedPlan) -> Bool {
            if plan.spec.declaredBy == risk.dataset { return true }
            let targets = Set(graph.outgoing(risk.id, relation: "bears-on").map(\.target))
            return !targets.isEmpty && plan.elements.contains { element in
                targets.contains(element.id) || graph.ancestors(of: element.id).contains(where: targets.contains)
            }
        }

        context.progress("reading plans and risks")
        let requested = try context.plans("plan")
        let plans: [ResolvedPlan]
        let risks: [Node]
        var plansWithoutRisks: [ResolvedPlan] = []
        if planOption == "all" {
            plans = requested.filter { plan in allRisks.contains { belongs($0, to: plan) } }
            risks = allRisks
        } else {
            plans = requested
            plansWithoutRisks = requested.filter { plan in !allRisks.contains { belongs($0, to: plan) } }
            risks = allRisks.filter { risk in requested.contains { belongs(risk, to: $0) } }
        }

        var notes = RegisterNotes()
        let entries = try RiskRegisterReader.read(graph, risks: risks, scale: scale, notes: &notes)
        var exposures: [PlanExposure] = []
        for plan in plans {
            context.progress("exposure of plan \(plan.id)")
            exposures.append(PlanExposure.compute(graph, plan: plan, entries: entries, attribution: attribution))
        }

        context.progress("writing the register, the matrix and the exposure tables")
        let report = RiskReport(graph: graph, scale: scale, attribution: attribution, entries: entries, exposures: exposures,
                                plansWithoutRisks: plansWithoutRisks, notes: notes)
        return report.result()
    }

    /// The level table: a file given with `levels=`, else the built-in table of `scale`.
    static func scale(from options: AnalysisOptions) throws -> RiskScale {
        var requestedSize: Int?
        if let value = options["scale"] {
            guard let size = Int(value), RiskScale.builtIn(size: size) != nil else {
                throw AnalysisOptionError(option: "scale", "expected 3 or 5, got '\(value)'")
            }
            requestedSize = size
        }
        guard let path = options["levels"], !path.isEmpty else {
            return RiskScale.builtIn(size: requestedSize ?? 3)!
        }
        let table: RiskScale
        do {
            table = try RiskScale.load(file: path)
        } catch let error as RiskScale.DefinitionError {
            throw AnalysisOptionError(option: "levels", "\(path): \(error)")
        }
        if let requestedSize, requestedSize != table.size {
            throw AnalysisOptionError(option: "scale", "scale=\(requestedSize) but the level file \(path) is \(table.sizeName); give one of them, or make them agree")
        }
        return table
    }
}
