import Foundation
import LinkageKit
import LinkageRendering
import Testing

/// `FigureOptions.nodePageLinks` (the explorer of `linkage serve`): every node box links to its
/// page on the same site, opening in the same window; nothing else changes, and a link made of
/// an id can never leave the path or the attribute.
@Suite("Node page links")
struct NodePageLinkTests {
    @Test(arguments: [
        ("SDG-9.c", "SDG-9.c"), ("HX-Z/1", "HX-Z%2F1"), ("a b?c#d&e", "a%20b%3Fc%23d%26e"), ("..", ".."),
        ("HX-<i>\"x\"&'</i>", "HX-%3Ci%3E%22x%22%26%27%3C%2Fi%3E"), ("应急", "%E5%BA%94%E6%80%A5"), ("javascript:x", "javascript%3Ax"),
    ])
    func idsBecomeOnePathSegment(_ id: String, _ expected: String) {
        #expect(DOTText.pathSegment(id) == expected)
        #expect(DOTText.sitePath("/node/" + DOTText.pathSegment(id)) != nil)
    }

    @Test(arguments: ["//x.example/", "http://x.example/", "javascript:alert(1)", "node/x", "/a b", "/a\"b", "/%zz", "/\u{202E}", ""])
    func onlySitePathsAreSiteLinks(_ path: String) {
        #expect(DOTText.sitePath(path) == nil, "\(path)")
    }

    @Test func nodeBoxesLinkToTheirPagesInTheSameWindow() throws {
        let view = SampleViews.network
        guard case .network(let network) = view.diagram else { return }
        let renderer = DiagramRenderer(language: .en, options: FigureOptions(page: .none, nodePageLinks: "/node/"))
        let laidOut = try renderer.layout(view)
        let svg = String(decoding: try renderer.render(laidOut.pages[0], format: .svg).data, as: UTF8.self)
        for node in network.nodes {
            #expect(svg.contains("xlink:href=\"/node/\(DOTText.pathSegment(node.id.rawValue))\""), "\(node.id)")
        }
        #expect(svg.contains("target=\"_top\""))
        // Without the option, files keep only the data's own http(s) links.
        let plain = DiagramRenderer(language: .en, options: FigureOptions(page: .none))
        let file = String(decoding: try plain.render(try plain.layout(view).pages[0], format: .svg).data, as: UTF8.self)
        #expect(!file.contains("xlink:href=\"/node/"))
    }
}
