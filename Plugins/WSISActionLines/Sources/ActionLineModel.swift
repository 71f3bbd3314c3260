import LinkageKit

/// The relation the Strategic Plan 2020–2023 dataset uses from a printed count to the action line
/// (or SDG goal) it counts. Declared by the itu-sp-2020-2023 manifest, not by the kit.
let countsForRelation: RelationKind = "sp20-counts-for"

/// The WSIS action lines of the graph, in the order of the Geneva Plan of Action: C1 … C11, each
/// main line followed by its sub-lines (the C7 e-… lines are `part-of` WSIS-C7), plus the scope
/// nodes (WSIS-ALL) that stand for a stated "all action lines".
struct ActionLineCatalog {
    /// Every action line, main lines in Geneva order, each followed by its sub-lines.
    let lines: [Node]
    /// Lines that are not part of another line (C1 … C11).
    let mainLines: [Node]
    /// Scope nodes ("all action lines"), in id order.
    let scopes: [Node]
    private let subLinesByLine: [NodeID: [NodeID]]
    private let parentByLine: [NodeID: NodeID]

    init(graph: LinkageGraph) {
        let all = graph.nodes(ofKind: .wsisActionLine)
        let ids = Set(all.map(\.id))
        var parentByLine: [NodeID: NodeID] = [:]
        for line in all {
            if let parent = graph.parent(of: line.id), ids.contains(parent) { parentByLine[line.id] = parent }
        }
        // The dataset numbers the lines in Geneva order (attribute geneva_order); files and ids sort
        // naturally, which would put e-agriculture first among the C7 sub-lines.
        func genevaOrder(_ a: Node, _ b: Node) -> Bool {
            let x = a.attributes["geneva_order"]?.integerValue ?? Int.max
            let y = b.attributes["geneva_order"]?.integerValue ?? Int.max
            return x != y ? x < y : a.id < b.id
        }
        let main = all.filter { parentByLine[$0.id] == nil }.sorted(by: genevaOrder)
        var subLines: [NodeID: [NodeID]] = [:]
        var ordered: [Node] = []
        for line in main {
            ordered.append(line)
            let children = all.filter { parentByLine[$0.id] == line.id }.sorted(by: genevaOrder)
            subLines[line.id] = children.map(\.id)
            ordered += children
        }
        // Lines under a sub-line (none in the data) still appear, after everything else.
        ordered += all.filter { line in !ordered.contains { $0.id == line.id } }.sorted(by: genevaOrder)
        self.lines = ordered
        self.mainLines = main
        self.scopes = graph.nodes(ofKind: .wsisScope)
        self.subLinesByLine = subLines
        self.parentByLine = parentByLine
    }

    /// The sub-lines of a line (the eight C7 e-… lines of WSIS-C7), in Geneva order.
    func subLines(of line: NodeID) -> [NodeID] { subLinesByLine[line] ?? [] }

    /// The main line a sub-line is part of.
    func parent(of line: NodeID) -> NodeID? { parentByLine[line] }

    func isScope(_ id: NodeID) -> Bool { scopes.contains { $0.id == id } }

    /// Position of a line in Geneva order (scope nodes after every line), for sorting.
    func order(of id: NodeID) -> Int {
        if let index = lines.firstIndex(where: { $0.id == id }) { return index }
        if let index = scopes.firstIndex(where: { $0.id == id }) { return lines.count + index }
        return Int.max
    }
}

/// One row of the WSIS-SDG matrix: an action line mapped to an SDG goal (the whole goal) or to a
/// target, with the goal the target belongs to.
struct MatrixRow: Hashable {
    var line: NodeID
    var sdg: NodeID
    var goal: NodeID
    /// Nil for a goal-level row.
    var target: NodeID?
    var declared: Bool
}

/// The WSIS-SDG matrix as the graph holds it (`maps-to-sdg` links from action lines).
struct SDGMatrix {
    private let rowsByLine: [NodeID: [MatrixRow]]

    init(graph: LinkageGraph) {
        var rows: [NodeID: [MatrixRow]] = [:]
        for edge in graph.edges(relation: .mapsToSDG) {
            guard let position = graph.sdgPosition(edge.target), let goal = position.goal else { continue }
            // An indicator row (the vocabulary allows none) would count as its target.
            rows[edge.source, default: []].append(
                MatrixRow(line: edge.source, sdg: edge.target, goal: goal, target: position.target, declared: edge.isDeclared))
        }
        rowsByLine = rows
    }

    /// The matrix rows of one line, in (goal, target) id order.
    func rows(of line: NodeID) -> [MatrixRow] { rowsByLine[line] ?? [] }
}

/// How a plan element is linked to one action line (or to WSIS-ALL).
struct LineLink: Hashable {
    var element: NodeID
    var line: NodeID
    var declared: Bool
}

/// The `supports-wsis` links of a plan's elements.
struct PlanLineLinks {
    let plan: ResolvedPlan
    /// Links per element, in line (Geneva) order.
    let linksByElement: [NodeID: [LineLink]]

    init(plan: ResolvedPlan, graph: LinkageGraph, catalog: ActionLineCatalog) {
        self.plan = plan
        var links: [NodeID: [LineLink]] = [:]
        for element in plan.elements {
            links[element.id] = graph.outgoing(element.id, relation: .supportsWSIS)
                .map { LineLink(element: element.id, line: $0.target, declared: $0.isDeclared) }
                .sorted { catalog.order(of: $0.line) < catalog.order(of: $1.line) }
        }
        linksByElement = links
    }

    func links(of element: NodeID) -> [LineLink] { linksByElement[element] ?? [] }

    /// Every link of the plan, elements in id order.
    var allLinks: [LineLink] { plan.elements.flatMap { links(of: $0.id) } }

    /// Elements linked straight to `line` (not through WSIS-ALL or a parent line), in id order.
    func elements(linkedTo line: NodeID) -> [LineLink] { allLinks.filter { $0.line == line } }
}

/// Text helpers shared by the parts of the analysis.
enum Describe {
    static func ids(_ ids: [NodeID]) -> String { ids.map(\.rawValue).joined(separator: " ") }

    /// `declared`, `derived` or `declared+derived` for a set of links.
    static func provenance(_ declaredFlags: [Bool]) -> String {
        let declared = declaredFlags.contains(true), derived = declaredFlags.contains(false)
        switch (declared, derived) {
        case (true, true): return "declared+derived"
        case (true, false): return "declared"
        case (false, true): return "derived"
        case (false, false): return ""
        }
    }

    static func plural(_ n: Int, _ word: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? word : (plural ?? word + "s"))"
    }

    /// A plan id as a column-name part (`sp20-outputs` -> `sp20_outputs`).
    static func snake(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber ? Character($0.lowercased()) : "_" })
    }
}
