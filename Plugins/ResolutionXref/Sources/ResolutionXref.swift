import LinkageKit

/// The analysis this plugin registers.
public let analysis: any AnalysisPlugin = ResolutionXrefAnalysis()

/// Resolution cross-reference: which plan elements implement which PP/WTDC resolution, PP
/// decision or ITU-D recommendation; what nobody cites and why; how good the citations are
/// (repeats, "all WTDC resolutions", doubtful ids, unknown titles, chronology); and which
/// mandates are cited together.
public struct ResolutionXrefAnalysis: AnalysisPlugin {
    public init() {}

    public var descriptor: AnalysisDescriptor {
        AnalysisDescriptor(
            id: "resolution-xref",
            title: strings("analysis.title"),
            summary: strings("analysis.summary"),
            options: [
                AnalysisOption(name: "plan", summary: "Plan ids (comma-separated), or all: every plan whose elements have implements links.",
                               type: .text, defaultValue: "all"),
                AnalysisOption(name: "top", summary: "How many best-ranked mandates per body and plan the most-cited table lists (ties at the cut are kept).",
                               type: .integer(1...50), defaultValue: "5"),
                AnalysisOption(name: "min-weight", summary: "Least number of common citing elements for a co-citation pair to be drawn.",
                               type: .integer(1...50), defaultValue: "2"),
                AnalysisOption(name: "max-pairs", summary: "Most co-citation pairs drawn per plan; above it the least weight is raised until they fit (all pairs stay in the CSV).",
                               type: .integer(5...300), defaultValue: "40"),
            ],
            examples: [
                "linkage run resolution-xref",
                "linkage run resolution-xref --set plan=baap --set top=10",
                "linkage run resolution-xref --set plan=baap --set min-weight=3 --set max-pairs=80",
            ])
    }

    public func run(_ context: AnalysisContext) throws -> AnalysisResult {
        let options = context.options
        let plans = try context.plans("plan", having: [.implements])
        if plans.isEmpty {
            throw AnalysisOptionError(option: "plan", "no plan has implements links; plans: \(context.graph.vocabulary.plans.map(\.id).joined(separator: ", "))")
        }
        context.progress("indexing the citations of \(plans.map(\.id).joined(separator: ", "))")
        let index = CitationIndex(graph: context.graph, plans: plans)

        var part = ReportPart()
        context.progress("traceability")
        let traceability = Traceability(index: index, top: options.integer("top", default: 5))
        part.append(traceability.report())
        context.progress("citation quality")
        part.append(CitationQuality(index: index).report())
        context.progress("co-citation")
        part.append(CoCitation(index: index, minWeight: options.integer("min-weight", default: 2),
                               maxPairs: options.integer("max-pairs", default: 40)).report())
        part.views += ElementMatrix(index: index).views()

        for plan in index.plans where plan.links.isEmpty {
            part.findings.insert(Finding(.warning, code: "no-implements-links", strings("finding.no-implements-links", ["plan": plan.id])), at: 0)
        }
        let severityOrder = part.findings.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity < b.element.severity : a.offset < b.offset
        }.map(\.element)

        return AnalysisResult(
            headline: part.headline, findings: severityOrder, tables: part.tables, views: part.views,
            methodNotes: methodNotes(index) + part.notes)
    }

    func methodNotes(_ index: CitationIndex) -> [LocalizedText] {
        var notes: [LocalizedText] = [
            strings("note.citation"), strings("note.distinct"), strings("note.bodies"), strings("note.scope"), strings("note.co-citation"), strings("note.chronology"), strings("note.uncited"), strings("note.caveats"),
        ]
        for plan in index.plans where plan.allDerived {
            notes.append(strings("note.all-derived", [
                "plan": plan.id, "rules": CatalogueList(plan.rules), "kinds": index.viaKinds(plan) ?? .same("-"),
                "plans": CatalogueList(Set(plan.links.flatMap { index.inheritedFrom($0) }.flatMap { index.plansHolding($0) }).sorted())]))
        }
        return notes
    }
}
