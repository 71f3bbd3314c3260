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
            title: "Resolution cross-reference",
            summary: "Which plan elements implement which resolution, decision or recommendation, which mandates no element cites and why, how sound the citations are, and which mandates are cited together.",
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
            part.findings.insert(Finding(.warning, code: "no-implements-links",
                                         "Plan \(plan.id) has no implements links: there is nothing to cross-reference."), at: 0)
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
            "A citation is an implements link from a plan element (a BAAP output, a KAP priority or enabler) to a resolution, decision or recommendation: declared when the plan's text states it, derived when a rule infers it. Background mentions (relation mentions) are never counted; they are listed apart in mentions.",
            "Counts are of distinct elements: an element whose list names a mandate twice (Edge.occurrences > 1) counts once; the repetition is reported in citation-issues.",
            "Bodies: PP = PP resolutions and PP decisions; WTDC = WTDC resolutions; ITU-D = ITU-D recommendations. Rankings use competition ranks (ties share a rank) and leave out ids the registry marks doubtful.",
            "Scope nodes (WTDC-RES-ALL, \"all WTDC resolutions\") are counted as one scope citation of the element, never expanded into individual resolutions, and take no part in rankings or co-citation. An element citing only a scope is reported as \"scope only\".",
            "Co-citation: two mandates are cited together when one element implements both; the weight is the number of such elements. Each plan is counted on its own. The diagram draws only the heaviest pairs (see its subtitle); every pair is in co-citation.csv.",
            "Chronology: a plan's first year is read from its label (or its dataset's name); a mandate's year from the registry's revision attribute (\"Kigali, 2022\" = adopted then, \"Rev. Kigali, 2022\" = revised then). A plan starting in or before that year was drawn up before the text existed (or in its earlier form). Years only: a plan text amended after its adoption (seed 002 is a proposal to amend the BAAP) may know a revision of its first year.",
            "Cited by no element means: by no element of the plans chosen with the plan option. The registry also holds ids that only a reference table, a conference's list of its outputs or a background passage names; the uncited-mandates table says which.",
            "Registry caveats come from the itu-resolutions attributes: doubtful (the id is kept as written but probably wrong), title_en_status (not found), title_en_truncated, title_en_gloss (unverified) and title_en_as_cited. Most entries carry only a code label: no title is invented.",
        ]
        for plan in index.plans where plan.allDerived {
            notes.append("Every mandate link of \(plan.id) is derived (rules: \(plan.rules.joined(separator: ", "))): it passes through nodes of kinds \(index.viaKinds(plan)?.en ?? "-") and inherits the citations of \(Set(plan.links.flatMap { index.inheritedFrom($0) }.flatMap { index.plansHolding($0) }).sorted().joined(separator: ", ")). The via and inherited_from columns say through which; the grid marks its counts with *. A \(plan.id) element with no such path shows no mandate, which is not a statement of the plan.")
        }
        return notes
    }
}
