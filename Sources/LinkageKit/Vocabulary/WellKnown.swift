// Names of the kinds and relations the workbench itself relies on. They are declared, like all
// others, in datasets/vocabulary.yaml and the reference datasets' manifests; a test checks that
// every name here is declared there.

extension NodeKind {
    public static let sdgGoal: NodeKind = "sdg-goal"
    public static let sdgTarget: NodeKind = "sdg-target"
    public static let sdgIndicator: NodeKind = "sdg-indicator"
    public static let sdgScope: NodeKind = "sdg-scope"
    public static let wsisActionLine: NodeKind = "wsis-action-line"
    public static let wsisScope: NodeKind = "wsis-scope"
    public static let ppResolution: NodeKind = "pp-resolution"
    public static let wtdcResolution: NodeKind = "wtdc-resolution"
    public static let ppDecision: NodeKind = "pp-decision"
    public static let ituDRecommendation: NodeKind = "itu-d-recommendation"
    public static let resolutionScope: NodeKind = "resolution-scope"
}

extension RelationKind {
    /// Child to parent: a target is part of its goal, an output part of its objective.
    public static let partOf: RelationKind = "part-of"
    /// An output contributes to an outcome.
    public static let contributesTo: RelationKind = "contributes-to"
    /// A plan element implements a resolution, decision or recommendation (its mandate).
    public static let implements: RelationKind = "implements"
    /// A plan element advances an SDG goal, target or indicator.
    public static let advancesSDG: RelationKind = "advances-sdg"
    /// A plan element supports a WSIS action line.
    public static let supportsWSIS: RelationKind = "supports-wsis"
    /// A WSIS action line maps to an SDG goal or target (the WSIS-SDG matrix).
    public static let mapsToSDG: RelationKind = "maps-to-sdg"
    /// Text that names something in passing (background), not a stated linkage.
    public static let mentions: RelationKind = "mentions"
    /// X continues Y of an earlier plan or study period (an OP-23 theme continues a BAAP output).
    public static let continues: RelationKind = "continues"
}
