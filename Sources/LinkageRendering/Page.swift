/// The page a figure is laid out for. On a page, the figure is laid out for it, not scaled to
/// it: label wrapping, the number of label lines, font sizes and the orientation are chosen so
/// that everything fits at full size and no text is smaller than `minimumFontSize`.
public enum PageSize: String, CaseIterable, Sendable {
    /// A4 in the orientation that gives the larger text (portrait on a tie).
    case auto
    case a4
    case a4Landscape = "a4-landscape"
    case letter
    /// 16:9, 13.333 × 7.5 in, as presentation software uses.
    case slide
    /// No page: the figure takes the size its content needs, at screen font sizes.
    case none

    /// No text on a page is smaller than this (points).
    public static let minimumFontSize = 7.0

    /// Width and height in points, or nil for `none`; `auto` is A4 portrait (landscape is tried too).
    var size: (width: Double, height: Double)? {
        switch self {
        case .auto, .a4: (595.28, 841.89)
        case .a4Landscape: (841.89, 595.28)
        case .letter: (612, 792)
        case .slide: (960, 540)
        case .none: nil
        }
    }

    /// The pages to try: both A4 orientations for `auto`, else the page itself.
    var candidates: [PageSize] { self == .auto ? [.a4, .a4Landscape] : [self] }

    /// White space around the figure: about 1 cm on paper.
    var margin: Double { self == .none ? 12 : 28 }
}

/// How a figure is drawn, beyond its content.
public struct FigureOptions: Sendable, Hashable {
    public var page: PageSize
    /// Resolution of PNG output (dots per inch). 192 is twice the screen's 96: sharp in print and
    /// on high-density screens.
    public var dpi: Int
    /// Draw the title and subtitle at the top.
    public var showTitle: Bool
    /// Draw the legend and the caption at the bottom; without them, the caption goes to a side
    /// file (`<view>.caption.txt`).
    public var showLegend: Bool
    /// A Graphviz engine to lay the network out with instead of the workbench's own
    /// document-order layout (order is then Graphviz's).
    public var engine: LayoutEngine?
    /// A path on the same site (`/node/`) that every node box of a network links to, followed by
    /// the node's percent-encoded id, opening in the same window (`linkage serve`: a user walks
    /// the graph by clicking). Nil for files, where only a node's own http(s) URI is a link.
    /// Must start with one `/` and hold only URL characters; anything else is ignored.
    public var nodePageLinks: String?

    public static let defaultDPI = 192

    public init(page: PageSize = .auto, dpi: Int = FigureOptions.defaultDPI, showTitle: Bool = true, showLegend: Bool = true,
                engine: LayoutEngine? = nil, nodePageLinks: String? = nil) {
        self.page = page
        self.dpi = dpi
        self.showTitle = showTitle
        self.showLegend = showLegend
        self.engine = engine
        self.nodePageLinks = nodePageLinks
    }

    /// Whether the caption has to be written beside the figure because the figure leaves it out.
    public var needsCaptionFile: Bool { !showTitle || !showLegend }
}

/// Font sizes of the parts of a figure, in points.
struct FontSizes: Hashable {
    var title: Double
    var subtitle: Double
    var legend: Double
    var caption: Double

    static func forPage(_ page: PageSize) -> FontSizes {
        page == .none ? FontSizes(title: 16, subtitle: 10, legend: 9, caption: 9)
                      : FontSizes(title: 12, subtitle: 8.5, legend: 7.5, caption: 7.5)
    }
}
