/// Checks a result that came from outside the build (an external analysis) before the host
/// writes or draws anything from it: every node id it names exists in the graph, views are well
/// formed (links join nodes of the view, groups and ranks hold nodes of the view, a matrix has a
/// cell for every row and column), ids make safe and distinct file names, colours are `#RRGGBB`,
/// links are http(s) only, and no link the graph does not declare is drawn as declared.
///
/// Built-in analyses are not checked: the compiler and their tests hold them to the same rules.
public struct ResultValidator: Sendable {
    public let graph: LinkageGraph

    /// Bounds that keep one analysis from making the host draw for hours.
    public static let maximumViews = 200
    public static let maximumViewNodes = 5_000
    public static let maximumViewEdges = 20_000

    public init(graph: LinkageGraph) { self.graph = graph }

    /// Every problem, in document order.
    public func problems(in result: AnalysisResult) -> [ResultProblem] {
        var problems: [ResultProblem] = []
        func report(_ path: String, _ message: String) { problems.append(ResultProblem(path: path, message: message)) }
        func checkID(_ id: NodeID, _ path: String) {
            if !graph.contains(id) { report(path, "no node has the id '\(id)'\(graph.idHint(for: id.rawValue))") }
        }
        func checkColour(_ colour: String?, _ path: String) {
            guard let colour else { return }
            let digits = colour.dropFirst()
            if !(colour.hasPrefix("#") && digits.count == 6 && digits.allSatisfy(\.isHexDigit)) {
                report(path, "expected a colour as #RRGGBB, got '\(colour)'")
            }
        }
        func checkURL(_ url: String?, _ path: String) {
            guard let url else { return }
            let lower = url.lowercased()
            if !(lower.hasPrefix("https://") || lower.hasPrefix("http://")) || url.contains(where: { $0.isWhitespace || $0 == "\"" }) {
                report(path, "only http(s) addresses without spaces or quotes are allowed, got '\(url)'")
            }
        }
        func checkFileName(_ id: String, _ path: String, _ seen: inout Set<String>, _ what: String) {
            if id.isEmpty || id != ViewSpec.fileSafe(id) || id.hasPrefix(".") {
                report(path, "'\(id)' is not a safe file name: use ASCII letters, digits, '.', '-' and '_' (for example '\(ViewSpec.fileSafe(id).isEmpty ? "my-\(what)" : ViewSpec.fileSafe(id))')")
            }
            if !seen.insert(id).inserted { report(path, "two \(what)s have the id '\(id)'") }
        }

        for (i, finding) in result.findings.enumerated() {
            if finding.code.isEmpty { report("findings[\(i)].code", "a finding needs a short code (like no-sdg-link)") }
            for (j, id) in finding.ids.enumerated() { checkID(id, "findings[\(i)].ids[\(j)]") }
        }

        var tableIDs = Set<String>()
        for (i, table) in result.tables.enumerated() {
            let path = "tables[\(i)]"
            checkFileName(table.id, "\(path).id", &tableIDs, "table")
            if ["report", "result"].contains(table.id) { report("\(path).id", "'\(table.id)' is reserved for the report; choose another id") }
            if table.columns.isEmpty { report("\(path).columns", "a table needs at least one column") }
            var columnIDs = Set<String>()
            for (j, column) in table.columns.enumerated() where !columnIDs.insert(column.id).inserted {
                report("\(path).columns[\(j)]", "two columns have the id '\(column.id)'")
            }
            for (r, row) in table.rows.enumerated() {
                if row.count != table.columns.count {
                    report("\(path).rows[\(r)]", "has \(row.count) cell\(row.count == 1 ? "" : "s") for \(table.columns.count) column\(table.columns.count == 1 ? "" : "s")")
                }
                for (k, cell) in row.enumerated() {
                    if case .id(let id) = cell { checkID(id, "\(path).rows[\(r)][\(k)].id") }
                }
            }
        }

        if result.views.count > Self.maximumViews {
            report("views", "\(result.views.count) views; at most \(Self.maximumViews) are drawn per analysis")
        }
        var viewIDs = Set<String>()
        for (i, view) in result.views.enumerated() {
            let path = "views[\(i)]"
            checkFileName(view.id, "\(path).id", &viewIDs, "view")
            switch view.diagram {
            case .network(let network):
                let base = "\(path).network"
                if network.nodes.isEmpty { report("\(base).nodes", "a network view needs at least one node") }
                if network.nodes.count > Self.maximumViewNodes {
                    report("\(base).nodes", "\(network.nodes.count) nodes; at most \(Self.maximumViewNodes) are drawn")
                }
                if network.edges.count > Self.maximumViewEdges {
                    report("\(base).edges", "\(network.edges.count) links; at most \(Self.maximumViewEdges) are drawn")
                }
                var shown = Set<NodeID>()
                for (j, node) in network.nodes.enumerated() {
                    checkID(node.id, "\(base).nodes[\(j)].id")
                    if !shown.insert(node.id).inserted { report("\(base).nodes[\(j)].id", "'\(node.id)' appears twice in the view") }
                    checkColour(node.colour, "\(base).nodes[\(j)].colour")
                    checkURL(node.url, "\(base).nodes[\(j)].url")
                    if let lines = node.maxLabelLines, lines < 1 { report("\(base).nodes[\(j)].max_label_lines", "expected 1 or more") }
                }
                for (j, edge) in network.edges.enumerated() {
                    for (end, id) in [("source", edge.source), ("target", edge.target)] where !shown.contains(id) {
                        report("\(base).edges[\(j)].\(end)", "'\(id)' is not a node of this view\(graph.contains(id) ? "" : graph.idHint(for: id.rawValue))")
                    }
                    if edge.declared && !standsOnDeclaredLinks(edge) {
                        report("\(base).edges[\(j)].declared",
                               "\(edge.source) -[\(edge.relation)]-> \(edge.target) is not a link a document declares (nor one to a part of \(edge.target)); draw it as derived (declared: false) and say in its tooltip how it was derived")
                    }
                    if let weight = edge.weight, weight < 1 { report("\(base).edges[\(j)].weight", "expected 1 or more") }
                }
                var groupIDs = Set<String>()
                for (j, group) in network.groups.enumerated() {
                    if !groupIDs.insert(group.id).inserted { report("\(base).groups[\(j)].id", "two groups have the id '\(group.id)'") }
                    checkColour(group.colour, "\(base).groups[\(j)].colour")
                    for (k, member) in group.members.enumerated() where !shown.contains(member) {
                        report("\(base).groups[\(j)].members[\(k)]", "'\(member)' is not a node of this view")
                    }
                }
                for (j, rank) in network.ranks.enumerated() {
                    for (k, id) in rank.enumerated() where !shown.contains(id) {
                        report("\(base).ranks[\(j)][\(k)]", "'\(id)' is not a node of this view")
                    }
                }
            case .matrix(let matrix):
                let base = "\(path).matrix"
                if matrix.rows.isEmpty || matrix.columns.isEmpty { report(base, "a matrix needs at least one row and one column") }
                if matrix.cells.count != matrix.rows.count {
                    report("\(base).cells", "has \(matrix.cells.count) rows of cells for \(matrix.rows.count) rows")
                }
                for (r, row) in matrix.cells.enumerated() {
                    if row.count != matrix.columns.count {
                        report("\(base).cells[\(r)]", "has \(row.count) cells for \(matrix.columns.count) columns")
                    }
                    for (k, cell) in row.enumerated() { checkColour(cell.colour, "\(base).cells[\(r)][\(k)].colour") }
                }
                for (axis, entries) in [("rows", matrix.rows), ("columns", matrix.columns)] {
                    for (j, entry) in entries.enumerated() {
                        checkColour(entry.colour, "\(base).\(axis)[\(j)].colour")
                        checkURL(entry.url, "\(base).\(axis)[\(j)].url")
                    }
                }
                for (j, entry) in matrix.legend.enumerated() { checkColour(entry.colour, "\(base).legend[\(j)].colour") }
            }
        }
        return problems
    }

    /// A link may be drawn as declared when a document declares it, or declares the same
    /// relation from the same source to a part of its target (a target of an SDG goal, a
    /// sub-line of an action line): the diagram then sums declared links up to the whole, as the
    /// built-in diagrams do. Anything else an analysis concluded itself is drawn derived.
    public func standsOnDeclaredLinks(_ edge: ViewEdge) -> Bool {
        if graph.edge(EdgeKey(source: edge.source, relation: edge.relation, target: edge.target))?.isDeclared == true { return true }
        return graph.outgoing(edge.source, relation: edge.relation).contains { link in
            link.isDeclared && graph.ancestors(of: link.target).contains(edge.target)
        }
    }
}
