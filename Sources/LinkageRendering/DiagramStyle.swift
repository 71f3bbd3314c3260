import Foundation
import LinkageKit

/// How diagrams look: fonts, colours by role and kind, line styles by relation and provenance.
/// Colours are fixed per kind (not per diagram), so a kind looks the same in every diagram.
public struct DiagramStyle: Sendable {
    /// A CJK font installed by the setup script (fonts-noto-cjk); it also covers Latin text,
    /// so Chinese and English labels are measured and drawn with the same font.
    public var fontName = "Noto Sans CJK SC"
    public var nodeFontSize = 11.0
    public var edgeFontSize = 9.0
    public var titleFontSize = 18.0
    /// Label wrap width in display columns (a CJK character counts two).
    public var wrapWidth = 34
    public var maxLabelLines = 4
    /// Draw groups (an objective and its outputs, a goal and its targets) as boxes, with
    /// Graphviz clusters. Graphviz 2.42's dot layout leaks a few KiB per cluster on every
    /// render (an upstream bug, see docs/graphviz-memory.md); a process that renders without
    /// end (a server) should turn this off, which keeps memory flat: groups are then shown by
    /// colour and position only.
    public var groupsAsClusters = true

    public init() {}

    public struct NodeColours: Sendable, Equatable {
        public var fill: String
        public var border: String
        public var text: String
    }

    /// Base colours per role: light fills with a darker border, readable in print and greyscale.
    static let rolePalettes: [NodeRole: [(fill: String, border: String)]] = [
        .planElement: [("#DCE9FB", "#1A5FB4"), ("#D7EEF4", "#0B6A83")],
        .planStructure: [("#EEF0F2", "#4A5058"), ("#E7E3F1", "#5B4A8B"), ("#F2ECE4", "#6E5A3E")],
        .reference: [("#FFF4CE", "#9A6700"), ("#FDEBD0", "#A04D00")],
        .mandate: [("#FBE3E1", "#A4262C"), ("#F8E0EC", "#9B1B5A"), ("#FCEBDD", "#A0481C"), ("#F3E5F5", "#7B1FA2")],
        .scope: [("#FFFFFF", "#3C4043")],
        .risk: [("#FDE2E2", "#B3261E"), ("#FCE8D8", "#B2451C")],
        .mitigation: [("#E3F3E6", "#1E7B34"), ("#E0F2EE", "#00695C")],
        .indicator: [("#EFE5FA", "#6F2DA8"), ("#E8EAF6", "#3949AB")],
        .budget: [("#DFF3F1", "#00695C")],
        .initiative: [("#FFEFD9", "#B35C00"), ("#F7EED9", "#8A6200")],
        .other: [("#F5F5F5", "#616161")],
    ]

    /// Kinds whose colour is fixed here, so that kinds readers compare side by side (PP against
    /// WTDC resolutions) are told apart at a glance; other kinds take their role's palette.
    static let kindColours: [NodeKind: (fill: String, border: String)] = [
        .ppResolution: ("#FCE3CF", "#B24A00"),
        .ppDecision: ("#FBD5D5", "#A4262C"),
        .wtdcResolution: ("#E9E0F5", "#5B2C9A"),
        .ituDRecommendation: ("#D9F0EC", "#00695C"),
        .wsisActionLine: ("#FFF1CC", "#946200"),
    ]

    /// Colours of a node: the colour its data prescribes (an SDG goal's official colour; its
    /// targets a light tint of it), else the palette colour of its role, chosen per kind.
    public func colours(for node: ViewNode) -> NodeColours {
        if let prescribed = node.colour, let rgb = RGB(hex: prescribed) {
            if node.kind == .sdgGoal {
                return NodeColours(fill: rgb.hex, border: rgb.darkened(0.25).hex, text: rgb.readableText)
            }
            let tint = rgb.tinted(0.80)
            return NodeColours(fill: tint.hex, border: rgb.hex, text: "#1F1F1F")
        }
        if let fixed = Self.kindColours[node.kind] {
            return NodeColours(fill: fixed.fill, border: fixed.border, text: "#1F1F1F")
        }
        let palette = Self.rolePalettes[node.role] ?? Self.rolePalettes[.other]!
        let choice = palette[Int(Self.stableHash(node.kind.rawValue) % UInt64(palette.count))]
        return NodeColours(fill: choice.fill, border: choice.border, text: "#1F1F1F")
    }

    /// Line colour per relation, so that one kind of link reads the same everywhere.
    public func edgeColour(_ relation: RelationKind) -> String {
        switch relation.rawValue {
        case "advances-sdg": "#2B5797"
        case "supports-wsis": "#B06D00"
        case "implements": "#A4262C"
        case "maps-to-sdg": "#6B7A8F"
        case "part-of": "#9AA0A6"
        case "contributes-to": "#5F6368"
        case "mentions": "#BDBDBD"
        case "mitigates": "#1E7B34"
        case "bears-on": "#B3261E"
        default:
            ["#455A64", "#6D4C41", "#00796B", "#5E35B1", "#827717"][Int(Self.stableHash(relation.rawValue) % 5)]
        }
    }

    /// FNV-1a: stable across runs and platforms (Swift's Hasher is seeded per process).
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

/// An sRGB colour, for tints and text contrast.
struct RGB: Equatable {
    var r: Double, g: Double, b: Double

    init(r: Double, g: Double, b: Double) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// `#RRGGBB` (or `RRGGBB`): six hex digits and nothing else (`UInt32(_:radix:)` alone would
    /// take a sign).
    init?(hex: String) {
        var text = Substring(hex)
        if text.hasPrefix("#") { text.removeFirst() }
        guard text.utf8.count == 6, text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 70) || ($0 >= 97 && $0 <= 102) }),
              let value = UInt32(text, radix: 16) else { return nil }
        r = Double((value >> 16) & 0xFF) / 255
        g = Double((value >> 8) & 0xFF) / 255
        b = Double(value & 0xFF) / 255
    }

    /// A colour from data (a node's, a line's, a grid cell's, a legend swatch's) as Graphviz gets
    /// it: `#RRGGBB`, or nil for anything else, which is then drawn in the renderer's own colour.
    /// Graphviz reads a colour attribute as a colour list (`red:blue;0.3` is a gradient), and
    /// some lists crash it while it draws (`findStopColor`, found by scripts/fuzz-escaping.sh),
    /// so no text from data reaches a colour attribute unchecked.
    static func fromData(_ text: String?) -> String? { text.flatMap(RGB.init(hex:))?.hex }

    var hex: String {
        func byte(_ x: Double) -> String {
            let v = Int((min(max(x, 0), 1) * 255).rounded())
            let digits = String(v, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }
        return "#" + byte(r) + byte(g) + byte(b)
    }

    /// Mixed with white: 0 keeps the colour, 1 is white.
    func tinted(_ amount: Double) -> RGB { RGB(r: r + (1 - r) * amount, g: g + (1 - g) * amount, b: b + (1 - b) * amount) }
    func darkened(_ amount: Double) -> RGB { RGB(r: r * (1 - amount), g: g * (1 - amount), b: b * (1 - amount)) }

    /// WCAG relative luminance.
    var luminance: Double {
        func channel(_ c: Double) -> Double { c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    /// White text, as the UN's SDG icons use, where it contrasts enough with the colour
    /// (WCAG 3:1, bold label text); otherwise near-black (on SDG 2, 6, 7, 11 and similar).
    var readableText: String {
        let contrastWhite = 1.05 / (luminance + 0.05)
        return contrastWhite >= 3.0 ? "#FFFFFF" : "#111111"
    }
}
