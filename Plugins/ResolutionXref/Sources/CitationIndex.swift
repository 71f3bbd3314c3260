import LinkageKit

/// The body whose text gives the mandate: the Plenipotentiary Conference (resolutions and
/// decisions), the WTDC (resolutions) or the ITU-D study groups (recommendations).
enum MandateBody: String, CaseIterable, Comparable, Sendable {
    case pp = "PP"
    case wtdc = "WTDC"
    case itud = "ITU-D"
    /// A scope node ("all WTDC resolutions"): not a mandate of its own.
    case scope = "scope"
    case other = "other"

    static func of(_ kind: NodeKind, role: NodeRole) -> MandateBody {
        switch kind {
        case .ppResolution, .ppDecision: .pp
        case .wtdcResolution: .wtdc
        case .ituDRecommendation: .itud
        default: role == .scope ? .scope : .other
        }
    }

    var label: LocalizedText {
        switch self {
        case .pp: LocalizedText(zh: "全权代表大会（PP）", en: "Plenipotentiary Conference (PP)")
        case .wtdc: LocalizedText(zh: "世界电信发展大会（WTDC）", en: "World Telecommunication Development Conference (WTDC)")
        case .itud: LocalizedText(zh: "ITU-D建议", en: "ITU-D recommendations")
        case .scope: LocalizedText(zh: "范围节点", en: "scope node")
        case .other: LocalizedText(zh: "其他", en: "other")
        }
    }

    static func < (a: MandateBody, b: MandateBody) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}

/// What the registry says about a mandate's English title. Most registry entries carry only a
/// code label; a few carry a title of some standing, one says it was not found.
enum TitleStatus: String, Sendable {
    case official = "official"
    case asCited = "as-cited"
    case gloss = "gloss"
    case truncated = "truncated"
    case notFound = "not-found"
    case notRecorded = "not-recorded"

    /// Read from the attribute names the registry uses (title_en_official, title_en_as_cited,
    /// title_en_gloss, title_en_truncated, title_en_status).
    static func of(_ node: Node) -> TitleStatus {
        if node.attributes["title_en_official"] != nil { return .official }
        if node.attributes["title_en_as_cited"] != nil { return .asCited }
        if node.attributes["title_en_gloss"] != nil { return .gloss }
        if node.attributes["title_en_truncated"] != nil { return .truncated }
        if node.attributes["title_en_status"] != nil { return .notFound }
        return .notRecorded
    }

    /// A caveat worth a reader's attention (an official title or simply none recorded is not).
    var isCaveat: Bool { self == .asCited || self == .gloss || self == .truncated || self == .notFound }

    var explanation: LocalizedText {
        switch self {
        case .official: strings("title-status.official")
        case .asCited: strings("title-status.as-cited")
        case .gloss: strings("title-status.gloss")
        case .truncated: strings("title-status.truncated")
        case .notFound: strings("title-status.not-found")
        case .notRecorded: strings("title-status.not-recorded")
        }
    }
}

/// The facts the registry (itu-resolutions) records about one mandate that bear on how its
/// citations can be read.
struct RegistryFacts: Sendable {
    /// The registry's `doubtful` attribute: the id is kept as written but probably wrong.
    var doubtful: String?
    var titleStatus: TitleStatus
    /// The `revision` attribute as written ("Rev. Kigali, 2022", "Kigali, 2022").
    var revision: String?
    /// The year of that revision or adoption.
    var year: Int?
    /// True when the text was adopted (created) then, false when an older text was revised.
    var created: Bool
    /// The `new_at` attribute (the conference that created it), if any.
    var newAt: String?
    /// The English title the registry records: the official one, or the one another ITU text
    /// cites (title_en_as_cited). A gloss, a truncated title or "not found" is no title.
    var titleEn: String?
    /// The Chinese title a seed states (title_zh). Never a translation of the English one.
    var titleZh: String?
    /// True when the registry knows the mandate's title in at least one language.
    var hasTitle: Bool { titleEn != nil || titleZh != nil }

    init(_ node: Node) {
        doubtful = node.attributes["doubtful"].flatMap { value -> String? in
            if value.booleanValue == false { return nil }
            return value.description
        }
        titleStatus = TitleStatus.of(node)
        titleEn = (node.attributes["title_en_official"] ?? node.attributes["title_en_as_cited"])?.description
        titleZh = node.attributes["title_zh"]?.description
        revision = node.attributes["revision"]?.description
        newAt = node.attributes["new_at"]?.description
        year = revision.flatMap { Years.all(in: $0).last }
        // "Kigali, 2022" is an adoption; "Rev. Kigali, 2022" a revision of an older text.
        created = newAt != nil || (revision.map { !$0.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("rev") } ?? false)
    }
}

/// Four-digit years in a text (1900…2099), in the order written.
enum Years {
    static func all(in text: String) -> [Int] {
        var years: [Int] = []
        var digits = ""
        for character in text + " " {
            if character.isASCII && character.isNumber {
                digits.append(character)
            } else {
                if digits.count == 4, let year = Int(digits), (1900...2099).contains(year) { years.append(year) }
                digits = ""
            }
        }
        return years
    }

    /// The first year of a plan's period, read from its English label ("… 2018–2021") or else
    /// from the name of the dataset that declares it (`baap-2018-2021`).
    static func start(of plan: PlanSpec) -> Int? {
        Years.all(in: plan.label.en).first ?? Years.all(in: plan.declaredBy).first
    }
}

/// One `implements` link from an element of a plan to a mandate or a scope node.
struct CitationLink: Sendable {
    let plan: String
    let element: NodeID
    let mandate: NodeID
    let edge: Edge
    let isScope: Bool

    var isDeclared: Bool { edge.isDeclared }
    /// How many times the element's list names the mandate (2 when the document repeats it).
    var occurrences: Int { edge.occurrences }

    /// For a derived link: the nodes each path passes through (the OP-23 theme and the BAAP
    /// output a KAP priority inherits the citation from), one list per path.
    var intermediatePaths: [[NodeID]] {
        guard case .derived(let derivation) = edge.provenance else { return [] }
        return derivation.paths.map { path in
            var current = element
            var passed: [NodeID] = []
            for step in path {
                current = step.source == current ? step.target : step.source
                if current != mandate { passed.append(current) }
            }
            return passed
        }
    }

    var rule: String? {
        if case .derived(let derivation) = edge.provenance { return derivation.rule }
        return nil
    }
}

/// Everything one plan cites: its `implements` links (declared or derived), by element and by
/// mandate, and the background `mentions` of mandates by the plan's nodes (never counted).
struct PlanCitations: Sendable {
    let plan: ResolvedPlan
    let links: [CitationLink]
    let mentions: [Edge]
    let startYear: Int?
    private let linksByElement: [NodeID: [CitationLink]]
    private let linksByMandate: [NodeID: [CitationLink]]

    init(plan: ResolvedPlan, graph: LinkageGraph) {
        self.plan = plan
        var links: [CitationLink] = []
        var mentions: [Edge] = []
        for element in plan.elements {
            for edge in graph.outgoing(element.id, relation: .implements) {
                let role = graph.role(of: edge.target)
                guard role == .mandate || role == .scope else { continue }
                links.append(CitationLink(plan: plan.id, element: element.id, mandate: edge.target, edge: edge,
                                          isScope: role == .scope))
            }
        }
        // Mentions: from the plan's elements, its groups, and whatever else is part of a group
        // (BAAP outcome 1.3, part of objective 1, names resolutions in its indicators).
        let elementIDs = Set(plan.elements.map(\.id))
        func belongs(_ id: NodeID) -> Bool {
            if elementIDs.contains(id) { return true }
            guard let groupKind = plan.spec.groups else { return false }
            return ([id] + graph.ancestors(of: id)).contains { graph.node($0)?.kind == groupKind }
        }
        for edge in graph.edges(relation: .mentions) where graph.role(of: edge.target) == .mandate && belongs(edge.source) {
            mentions.append(edge)
        }
        self.links = links
        self.mentions = mentions
        startYear = Years.start(of: plan.spec)
        linksByElement = Dictionary(grouping: links, by: \.element)
        linksByMandate = Dictionary(grouping: links, by: \.mandate)
    }

    var id: String { plan.id }

    func links(of element: NodeID) -> [CitationLink] { linksByElement[element] ?? [] }
    func links(to mandate: NodeID) -> [CitationLink] { linksByMandate[mandate] ?? [] }

    /// Elements citing a mandate, in id order (an element listing it twice counts once).
    func elements(citing mandate: NodeID) -> [NodeID] { links(to: mandate).map(\.element).sorted() }

    /// Mandates (not scopes) an element cites, in id order.
    func mandates(citedBy element: NodeID) -> [NodeID] {
        links(of: element).filter { !$0.isScope }.map(\.mandate).sorted()
    }

    var citedMandates: [NodeID] { linksByMandate.keys.sorted() }

    /// True when the plan states none of its links: every one is derived by a rule.
    var allDerived: Bool { !links.isEmpty && links.allSatisfy { !$0.isDeclared } }

    /// The rules that derived the plan's links, in name order.
    var rules: [String] { Set(links.compactMap(\.rule)).sorted() }
}

/// The shared index every part of the analysis reads: the plans, the registry's mandates and
/// scope nodes, and what the registry says about each.
struct CitationIndex: Sendable {
    let graph: LinkageGraph
    let plans: [PlanCitations]
    /// Nodes of role mandate, in id order.
    let mandates: [Node]
    /// Scope nodes that an `implements` link can point at (WTDC-RES-ALL), in id order.
    let scopes: [Node]
    let facts: [NodeID: RegistryFacts]

    init(graph: LinkageGraph, plans: [ResolvedPlan]) {
        self.graph = graph
        self.plans = plans.map { PlanCitations(plan: $0, graph: graph) }
        mandates = graph.nodes(withRole: .mandate)
        let implementsTargets = Set(graph.edges(relation: .implements).map(\.target))
        scopes = graph.nodes(withRole: .scope).filter { $0.kind == .resolutionScope || implementsTargets.contains($0.id) }
        var facts: [NodeID: RegistryFacts] = [:]
        for node in mandates { facts[node.id] = RegistryFacts(node) }
        self.facts = facts
    }

    func body(of id: NodeID) -> MandateBody {
        guard let node = graph.node(id) else { return .other }
        return MandateBody.of(node.kind, role: graph.role(of: id))
    }

    func isDoubtful(_ id: NodeID) -> Bool { facts[id]?.doubtful != nil }

    /// The two label columns every table gives for a node.
    func labels(_ id: NodeID) -> [TableValue] {
        guard let node = graph.node(id) else { return [.empty, .empty] }
        return [.text(node.label.en), .text(node.label.zh)]
    }

    /// A mandate's English and Chinese titles as two table cells; where the registry knows none
    /// in a language, the catalogue's "title not available" in that language. Empty for a scope
    /// node, which has no title to look for.
    func titles(_ id: NodeID) -> [TableValue] {
        guard let facts = facts[id] else { return [.empty, .empty] }
        let missing = strings("title.not-available")
        return [.text(facts.titleEn ?? missing.en), .text(facts.titleZh ?? missing.zh)]
    }

    /// "OP-23 theme OP23-TH-P1-INFRA → BAAP output BAAP-OUT-2.1": the nodes a derived link
    /// passes through, each with its kind's label.
    func describe(path: [NodeID]) -> String {
        path.map { id in
            let kind = graph.node(id).flatMap { graph.vocabulary.spec($0.kind)?.label.en } ?? ""
            return kind.isEmpty ? id.rawValue : "\(kind) \(id)"
        }.joined(separator: " → ")
    }

    /// The via column of a link: empty when declared, else every path it was derived through.
    func via(_ link: CitationLink) -> String {
        link.intermediatePaths.map(describe(path:)).joined(separator: "; ")
    }

    /// The elements whose own citation a derived link inherits: the source of the last step of
    /// each path (the BAAP output whose list names the mandate, for a KAP priority).
    func inheritedFrom(_ link: CitationLink) -> [NodeID] {
        guard case .derived(let derivation) = link.edge.provenance else { return [] }
        return Set(derivation.paths.compactMap { $0.last }.filter { $0.target == link.mandate }.map(\.source)).sorted()
    }

    /// Said of later plans that reach nothing: when their links are all derived from an earlier
    /// plan's citations, they can only reach what that plan cites. Nil when none is derived-only.
    func derivedOnlyCaveat(_ plans: [PlanCitations]) -> LocalizedText? {
        let derivedOnly = plans.filter(\.allDerived)
        guard !derivedOnly.isEmpty else { return nil }
        let sources = Set(derivedOnly.flatMap { plan in plan.links.flatMap { inheritedFrom($0) } }.flatMap { plansHolding($0) }).sorted()
        let plans = CatalogueList(derivedOnly.map(\.id))
        return sources.isEmpty ? strings("caveat.derived-only", ["plans": plans])
            : strings("caveat.derived-only.from", ["plans": plans, "sources": CatalogueList(sources)])
    }

    /// The kinds of node a plan's derived links pass through, in path order ("OP-23 theme, BAAP
    /// output"), in both languages; nil when no link is derived.
    func viaKinds(_ plan: PlanCitations) -> LocalizedText? {
        var kinds: [NodeKind] = []
        for link in plan.links {
            for path in link.intermediatePaths {
                for id in path {
                    if let kind = graph.node(id)?.kind, !kinds.contains(kind) { kinds.append(kind) }
                }
            }
        }
        guard !kinds.isEmpty else { return nil }
        let labels = kinds.map { graph.vocabulary.spec($0)?.label ?? LocalizedText(zh: $0.rawValue, en: $0.rawValue) }
        return LocalizedText(zh: labels.map(\.zh).joined(separator: "、"), en: labels.map(\.en).joined(separator: ", "))
    }

    /// The plans (by id) whose element kinds include the node's kind.
    func plansHolding(_ id: NodeID) -> [String] {
        guard let node = graph.node(id) else { return [] }
        return graph.vocabulary.plans.filter { $0.elements.contains(node.kind) }.map(\.id)
    }
}

extension Array where Element == NodeID {
    var joinedIDs: String { map(\.rawValue).joined(separator: ", ") }
}

/// Provenance of a set of links, as the tables write it.
func provenanceName(declared: Int, derived: Int) -> String {
    switch (declared > 0, derived > 0) {
    case (true, true): "declared+derived"
    case (true, false): "declared"
    case (false, true): "derived"
    case (false, false): "none"
    }
}
