/// A diagram an analysis asks the host to render. Views describe *what* to show (nodes, links,
/// groups, cells) in the graph's own terms; the rendering module decides how it looks in
/// Graphviz (colours by kind, legend, fonts), so the kit knows nothing of Graphviz.
public struct ViewSpec: Sendable, Hashable {
    /// File-name-safe id (`priority-sdg-baap`): the diagram is written as `<id>.svg`.
    public var id: String
    public var title: LocalizedText
    /// A line under the title (what the diagram shows).
    public var subtitle: LocalizedText?
    /// The caption under the figure: how to read it and, for a figure built on derived links,
    /// what they are inherited from and by which rule. Written beside the figure
    /// (`<view>.caption.txt`) when the figure is drawn without its legend.
    public var caption: LocalizedText?
    public var diagram: Diagram

    public init(id: String, title: LocalizedText, subtitle: LocalizedText? = nil, caption: LocalizedText? = nil, diagram: Diagram) {
        self.id = id
        self.title = title
        self.subtitle = subtitle
        self.caption = caption
        self.diagram = diagram
    }

    /// Text as a file name, one-to-one: ASCII letters, digits, '.', '-' and '_' kept, every
    /// other byte of its UTF-8 written `~XX` in hex (`~` itself too). Ids like `SQ22-Q1/1` hold a
    /// slash; `Z/1` becomes `Z~2F1` and `Z_1` stays `Z_1`, so two ids never share a file.
    public static func fileSafe(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_") {
                out.append(c)
            } else {
                out += "~" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    public enum Diagram: Sendable, Hashable {
        case network(NetworkView)
        case matrix(MatrixView)
    }
}

/// Nodes and links laid out left to right, optionally grouped in boxes (clusters).
///
/// Order is meaning: nodes and groups are drawn in the order given here (the builders give
/// document order: plans as their documents number them, SDG goals 1–17, targets in UN order).
public struct NetworkView: Sendable, Hashable {
    public var nodes: [ViewNode]
    public var edges: [ViewEdge]
    /// Boxes drawn around nodes (an objective around its outputs, a goal around its targets).
    public var groups: [ViewGroup]
    /// Columns, left to right: nodes of the same rank line up (plan elements, then SDG goals...).
    /// Without ranks, columns follow the links (a part-of parent left of its parts).
    public var ranks: [[NodeID]]
    public var layout: Layout
    /// What line colours mean when edges carry their own colour (`ViewEdge.colour`), for the
    /// legend ("in the colour of the goal").
    public var lineColourKey: LocalizedText?

    public enum Layout: String, Sendable, Hashable {
        /// Left to right in layers: plans on the left, what they link to on the right.
        case flow
        /// Force-directed, for undirected networks where clusters of nodes matter (co-citation).
        case spring
    }

    public init(nodes: [ViewNode] = [], edges: [ViewEdge] = [], groups: [ViewGroup] = [], ranks: [[NodeID]] = [],
                layout: Layout = .flow, lineColourKey: LocalizedText? = nil) {
        self.lineColourKey = lineColourKey
        self.nodes = nodes
        self.edges = edges
        self.groups = groups
        self.ranks = ranks
        self.layout = layout
    }
}

public struct ViewNode: Sendable, Hashable {
    public var id: NodeID
    public var kind: NodeKind
    public var kindLabel: LocalizedText
    public var role: NodeRole
    /// The text in the box; the renderer wraps it and keeps the full label for the tooltip.
    public var label: LocalizedText
    /// A short code shown before the label (`2.1`, `SDG 9.c`); nil to show none.
    public var code: String?
    /// Full text for the tooltip (defaults to the label).
    public var tooltip: LocalizedText?
    /// A link the node opens in SVG (the UN SDG KOS URI of an SDG node).
    public var url: String?
    /// A colour the data prescribes (official SDG colour), as `#RRGGBB`; nil to colour by kind.
    public var colour: String?
    /// Drawn emphasised (the focus of a neighbourhood).
    public var emphasised: Bool
    /// At most this many lines of label text under the code (nil: the renderer's default).
    /// Large views keep reference nodes to one line; the tooltip always has the full text.
    public var maxLabelLines: Int?
    /// Text under the label that is always shown in full, never cut (the targets an element
    /// reaches in a goal box, the goals an element reaches).
    public var details: LocalizedText?

    public init(id: NodeID, kind: NodeKind, kindLabel: LocalizedText, role: NodeRole, label: LocalizedText,
                code: String? = nil, tooltip: LocalizedText? = nil, url: String? = nil, colour: String? = nil,
                emphasised: Bool = false, maxLabelLines: Int? = nil, details: LocalizedText? = nil) {
        self.maxLabelLines = maxLabelLines
        self.details = details
        self.id = id
        self.kind = kind
        self.kindLabel = kindLabel
        self.role = role
        self.label = label
        self.code = code
        self.tooltip = tooltip
        self.url = url
        self.colour = colour
        self.emphasised = emphasised
    }
}

public struct ViewEdge: Sendable, Hashable {
    public var source: NodeID
    public var target: NodeID
    public var relation: RelationKind
    public var relationLabel: LocalizedText
    /// Declared links are drawn solid, derived ones dashed (and say so in their tooltip).
    public var declared: Bool
    /// Tooltip text: the citation, or the rule and path of a derived link.
    public var tooltip: String?
    /// Line thickness weight (co-citation counts); nil for 1.
    public var weight: Int?
    /// A short text on the line (a count); nil for none.
    public var label: String?
    /// False for symmetric relations (co-citation): drawn without an arrowhead.
    public var directed: Bool
    /// A colour for this line instead of its relation's (`#RRGGBB`: the colour of the SDG goal it
    /// leads to); the view's `lineColourKey` says what such colours mean.
    public var colour: String?

    public init(source: NodeID, target: NodeID, relation: RelationKind, relationLabel: LocalizedText, declared: Bool,
                tooltip: String? = nil, weight: Int? = nil, label: String? = nil, directed: Bool = true, colour: String? = nil) {
        self.directed = directed
        self.colour = colour
        self.source = source
        self.target = target
        self.relation = relation
        self.relationLabel = relationLabel
        self.declared = declared
        self.tooltip = tooltip
        self.weight = weight
        self.label = label
    }
}

public struct ViewGroup: Sendable, Hashable {
    /// Unique within the view (usually the id of the node the group stands for).
    public var id: String
    public var label: LocalizedText
    public var members: [NodeID]
    /// Fill colour the data prescribes (an SDG goal's colour), tinted by the renderer.
    public var colour: String?

    public init(id: String, label: LocalizedText, members: [NodeID], colour: String? = nil) {
        self.id = id
        self.label = label
        self.members = members
        self.colour = colour
    }
}

/// A grid: a heat map (plan element × SDG goal) or a risk matrix (likelihood × impact).
public struct MatrixView: Sendable, Hashable {
    public var rowHeader: LocalizedText
    public var columnHeader: LocalizedText
    public var rows: [MatrixAxisEntry]
    public var columns: [MatrixAxisEntry]
    /// cells[row][column]
    public var cells: [[MatrixCell]]
    /// Legend entries: a swatch colour and what it means.
    public var legend: [MatrixLegendEntry]
    /// A note printed under the grid (how to read it, what counts).
    public var footnote: LocalizedText?

    public init(rowHeader: LocalizedText, columnHeader: LocalizedText, rows: [MatrixAxisEntry], columns: [MatrixAxisEntry],
                cells: [[MatrixCell]], legend: [MatrixLegendEntry] = [], footnote: LocalizedText? = nil) {
        self.rowHeader = rowHeader
        self.columnHeader = columnHeader
        self.rows = rows
        self.columns = columns
        self.cells = cells
        self.legend = legend
        self.footnote = footnote
    }
}

public struct MatrixAxisEntry: Sendable, Hashable {
    public var label: LocalizedText
    /// Header fill (an SDG goal's official colour), or nil.
    public var colour: String?
    public var tooltip: String?
    public var url: String?
    /// The block a row belongs to (its objective): a matrix too long for one page is split
    /// between blocks where it can be, and each part names its blocks.
    public var group: LocalizedText?

    public init(label: LocalizedText, colour: String? = nil, tooltip: String? = nil, url: String? = nil, group: LocalizedText? = nil) {
        self.group = group
        self.label = label
        self.colour = colour
        self.tooltip = tooltip
        self.url = url
    }
}

extension MatrixAxisEntry {
    /// A row or column for an SDG goal: "SDG 9" (with its short title when asked), in the goal's
    /// official colour, linking to its UN page.
    public static func sdgGoal(_ goal: Node, withTitle: Bool = false) -> MatrixAxisEntry {
        let number = goal.id.rawValue.dropFirst(4)
        return MatrixAxisEntry(
            label: withTitle ? LocalizedText(zh: "目标\(number)\n\(goal.label.zh)", en: "SDG \(number)\n\(goal.label.en)")
                             : LocalizedText(zh: "目标\(number)", en: "SDG \(number)"),
            colour: goal.attributes["colour"]?.stringValue, tooltip: "\(goal.id) \(goal.label.en)",
            url: goal.attributes["uri"]?.stringValue)
    }
}

public struct MatrixCell: Sendable, Hashable {
    /// The text written in the cell (a count, a level, risk ids). Never colour alone.
    public var text: LocalizedText
    /// Fill colour as `#RRGGBB`; nil for none.
    public var colour: String?
    public var tooltip: String?

    public init(text: LocalizedText, colour: String? = nil, tooltip: String? = nil) {
        self.text = text
        self.colour = colour
        self.tooltip = tooltip
    }

    public init(_ text: String, colour: String? = nil, tooltip: String? = nil) {
        self.init(text: LocalizedText(zh: text, en: text), colour: colour, tooltip: tooltip)
    }
}

public struct MatrixLegendEntry: Sendable, Hashable {
    public var colour: String
    public var label: LocalizedText

    public init(colour: String, label: LocalizedText) {
        self.colour = colour
        self.label = label
    }
}

/// Colour arithmetic for views that prescribe colours (heat maps): tints of an official colour.
public enum ColourScale {
    /// `hex` mixed with white: `strength` 1 keeps the colour, 0 gives white.
    public static func tint(_ hex: String, strength: Double) -> String {
        var text = hex
        if text.hasPrefix("#") { text.removeFirst() }
        guard text.count == 6, let value = UInt32(text, radix: 16) else { return hex }
        let s = min(max(strength, 0), 1)
        func channel(_ shift: UInt32) -> String {
            let c = Double((value >> shift) & 0xFF)
            let mixed = Int((255 - (255 - c) * s).rounded())
            let digits = String(mixed, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }
        return "#" + channel(16) + channel(8) + channel(0)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
