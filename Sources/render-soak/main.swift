// render-soak: renders diagrams again and again in process and reports how much resident
// memory grew. Used by the memory test (in a process of its own, so that other tests do not
// add noise) and by hand:  render-soak COUNT FILE.dot[:engine] ... VIEW.json[:boxes] ...
// A DOT file is rendered from its text (`Graphviz.render(dot:)`); a view (ViewSpec JSON, as
// the view cache stores it) is laid out once and its page rendered as the workbench renders
// figures, from their statements without parsing DOT (`DiagramRenderer.render`); `:boxes`
// draws its groups as plain boxes instead of clusters.
// Each round renders every file as SVG, every tenth round as PNG, and every fiftieth round
// also a DOT source that fails to parse. The first 200 rounds warm up caches (fonts, cairo).
import Foundation
import LinkageKit
import LinkageRendering

func residentKiB() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    return (Int(text.split(separator: " ")[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2, let count = Int(arguments[0]) else {
    FileHandle.standardError.write(Data("usage: render-soak COUNT FILE.dot[:engine] ...\n".utf8))
    exit(2)
}
var loaded: [(String, LayoutEngine)] = []
var pages: [(DiagramRenderer, LaidOutPage)] = []
for argument in arguments.dropFirst() {
    let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
    guard let data = FileManager.default.contents(atPath: parts[0]) else {
        FileHandle.standardError.write(Data("render-soak: cannot read \(parts[0])\n".utf8))
        exit(2)
    }
    if parts[0].hasSuffix(".json") {
        var style = DiagramStyle()
        style.groupsAsClusters = parts.count < 2 || parts[1] != "boxes"
        let renderer = DiagramRenderer(language: .zh, options: FigureOptions(page: .none), style: style)
        guard let view = try? JSONDecoder().decode(ViewSpec.self, from: data), let page = try? renderer.layout(view).pages.first else {
            FileHandle.standardError.write(Data("render-soak: \(parts[0]) is not a view that lays out\n".utf8))
            exit(2)
        }
        pages.append((renderer, page))
    } else {
        loaded.append((String(decoding: data, as: UTF8.self), parts.count > 1 ? LayoutEngine(rawValue: parts[1]) ?? .dot : .dot))
    }
}

let sources = loaded
let figures = pages

func round(_ i: Int) throws {
    if i % 50 == 0 { _ = try? Graphviz.shared.render(dot: "digraph bad { a -> }", engine: "dot", format: "svg") }
    let format: OutputFormat = i % 10 == 0 ? .png : .svg
    for (dot, engine) in sources {
        _ = try Graphviz.shared.render(dot: dot, engine: engine, format: format)
    }
    for (renderer, page) in figures {
        _ = try renderer.render(page, format: format)
    }
}

do {
    for i in 0..<200 { try round(i) }
    let before = residentKiB()
    for i in 0..<count { try round(i) }
    print("renders=\(count * (sources.count + figures.count)) growth_kib=\(residentKiB() - before)")
} catch {
    FileHandle.standardError.write(Data("render-soak: \(error)\n".utf8))
    exit(1)
}
