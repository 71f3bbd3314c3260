/// What a kind of node is for. Analyses and diagrams treat nodes by role where they do not care
/// about the exact kind (a diagram colours every mandate alike, every plan element alike).
public enum NodeRole: String, CaseIterable, Sendable, Codable {
    /// Elements of a plan that link outwards to SDGs, action lines and mandates (outputs, priorities).
    case planElement = "plan-element"
    /// The structure a plan groups its elements by (objectives, outcomes, themes, categories).
    case planStructure = "plan-structure"
    /// Public reference frameworks (SDG goals, targets and indicators; WSIS action lines).
    case reference
    /// Texts that give a mandate (resolutions, decisions, recommendations).
    case mandate
    /// A stated "all of them" (all SDGs, all action lines, all WTDC resolutions), kept as one node.
    case scope
    case risk
    case mitigation
    /// Measures of performance (KPIs, strategic targets).
    case indicator
    case budget
    /// Regional initiatives, study questions and other vehicles of implementation.
    case initiative
    case other
}

/// A declared node kind.
public struct NodeKindSpec: Sendable {
    public var kind: NodeKind
    public var label: LocalizedText
    public var role: NodeRole
    /// Every id of this kind must match this pattern (whole-id match).
    public var idPattern: String
    public var description: String?
    /// How the Chinese label of every node of this kind is composed, when it is a code label
    /// rather than the words of a source ("全权代表大会第{number}号决议": `{name}` stands for the
    /// node's attribute `name`). Such labels are checked against the template, not the seed.
    public var labelZhTemplate: String?
    /// The dataset that declares the kind (`vocabulary` for the shared file).
    public var declaredBy: String
    public var location: SourceLocation?

    public init(
        kind: NodeKind, label: LocalizedText, role: NodeRole, idPattern: String, description: String? = nil,
        labelZhTemplate: String? = nil, declaredBy: String, location: SourceLocation? = nil
    ) {
        self.kind = kind
        self.label = label
        self.role = role
        self.idPattern = idPattern
        self.description = description
        self.labelZhTemplate = labelZhTemplate
        self.declaredBy = declaredBy
        self.location = location
    }
}

/// Which node kinds may stand at one end of a relation.
public enum KindMatcher: Hashable, Sendable, CustomStringConvertible {
    case any
    case kind(NodeKind)
    case role(NodeRole)

    public func matches(_ kind: NodeKind, role: NodeRole) -> Bool {
        switch self {
        case .any: true
        case .kind(let k): k == kind
        case .role(let r): r == role
        }
    }

    public var description: String {
        switch self {
        case .any: "*"
        case .kind(let k): k.rawValue
        case .role(let r): "role:\(r.rawValue)"
        }
    }
}

/// A declared relation with the kinds allowed at each end.
public struct RelationSpec: Sendable {
    public var relation: RelationKind
    public var label: LocalizedText
    public var from: [KindMatcher]
    public var to: [KindMatcher]
    public var description: String?
    public var declaredBy: String
    public var location: SourceLocation?

    public init(
        relation: RelationKind, label: LocalizedText, from: [KindMatcher], to: [KindMatcher],
        description: String? = nil, declaredBy: String, location: SourceLocation? = nil
    ) {
        self.relation = relation
        self.label = label
        self.from = from
        self.to = to
        self.description = description
        self.declaredBy = declaredBy
        self.location = location
    }
}

/// A plan the analyses can work on: which kinds are its elements, and how they are grouped.
public struct PlanSpec: Sendable, Hashable {
    public var id: String
    public var label: LocalizedText
    /// Kinds whose nodes are the plan's elements (BAAP outputs; KAP priorities and enablers).
    public var elements: [NodeKind]
    /// The kind elements are grouped under through `part-of` (BAAP objectives), if any.
    public var groups: NodeKind?
    public var description: String?
    public var declaredBy: String

    public init(
        id: String, label: LocalizedText, elements: [NodeKind], groups: NodeKind? = nil,
        description: String? = nil, declaredBy: String
    ) {
        self.id = id
        self.label = label
        self.elements = elements
        self.groups = groups
        self.description = description
        self.declaredBy = declaredBy
    }
}

/// One step of a composition rule's path.
public struct PathStep: Hashable, Sendable, CustomStringConvertible {
    public enum Direction: String, Sendable, Codable { case outgoing, incoming }
    public var relation: RelationKind
    public var direction: Direction

    public init(_ relation: RelationKind, _ direction: Direction = .outgoing) {
        self.relation = relation
        self.direction = direction
    }

    public var description: String { direction == .outgoing ? "-[\(relation)]->" : "<-[\(relation)]-" }
}

/// A named derivation: wherever the path can be walked from a start node, the rule adds a
/// derived link `start -[produces]-> end` that records every path it came through.
public struct CompositionRule: Sendable {
    public var id: String
    public var label: LocalizedText
    /// Why following this path justifies the link; printed with every derived link.
    public var justification: String
    /// Start only from nodes of these kinds (all kinds when empty).
    public var startKinds: [NodeKind]
    public var path: [PathStep]
    public var produces: RelationKind
    /// Keep only ends of these kinds (all kinds when empty).
    public var endKinds: [NodeKind]
    public var declaredBy: String
    public var location: SourceLocation?

    public init(
        id: String, label: LocalizedText, justification: String, startKinds: [NodeKind], path: [PathStep],
        produces: RelationKind, endKinds: [NodeKind] = [], declaredBy: String, location: SourceLocation? = nil
    ) {
        self.id = id
        self.label = label
        self.justification = justification
        self.startKinds = startKinds
        self.path = path
        self.produces = produces
        self.endKinds = endKinds
        self.declaredBy = declaredBy
        self.location = location
    }
}

/// Every kind, relation, plan and rule known to a loaded graph.
public struct Vocabulary: Sendable {
    public private(set) var kinds: [NodeKind: NodeKindSpec] = [:]
    public private(set) var relations: [RelationKind: RelationSpec] = [:]
    public private(set) var plans: [PlanSpec] = []
    public private(set) var rules: [CompositionRule] = []

    public init() {}

    public var sortedKinds: [NodeKindSpec] { kinds.values.sorted { $0.kind < $1.kind } }
    public var sortedRelations: [RelationSpec] { relations.values.sorted { $0.relation < $1.relation } }

    public func spec(_ kind: NodeKind) -> NodeKindSpec? { kinds[kind] }
    public func spec(_ relation: RelationKind) -> RelationSpec? { relations[relation] }
    public func role(of kind: NodeKind) -> NodeRole { kinds[kind]?.role ?? .other }
    public func plan(_ id: String) -> PlanSpec? { plans.first { $0.id == id } }

    /// Adds a kind; returns the earlier declaration when the kind is already declared.
    @discardableResult
    public mutating func add(_ spec: NodeKindSpec) -> NodeKindSpec? {
        if let existing = kinds[spec.kind] { return existing }
        kinds[spec.kind] = spec
        return nil
    }

    @discardableResult
    public mutating func add(_ spec: RelationSpec) -> RelationSpec? {
        if let existing = relations[spec.relation] { return existing }
        relations[spec.relation] = spec
        return nil
    }

    public mutating func add(_ plan: PlanSpec) { plans.append(plan) }
    public mutating func add(_ rule: CompositionRule) { rules.append(rule) }
}
