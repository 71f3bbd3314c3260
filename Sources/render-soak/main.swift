// render-soak: renders DOT files again and again in process and reports how much resident
// memory grew. Used by the memory test (in a process of its own, so that other tests do not
// add noise) and by hand:  render-soak COUNT FILE.dot[:engine] ...
// Each round renders every file as SVG, every tenth round as PNG, and every fiftieth round
// also a DOT source that fails to parse. The first 200 rounds warm up caches (fonts, cairo).
import Foundation
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
for argument in arguments.dropFirst() {
    let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
    guard let text = try? String(contentsOfFile: parts[0], encoding: .utf8) else {
        FileHandle.standardError.write(Data("render-soak: cannot read \(parts[0])\n".utf8))
        exit(2)
    }
    loaded.append((text, parts.count > 1 ? LayoutEngine(rawValue: parts[1]) ?? .dot : .dot))
}

let sources = loaded

func round(_ i: Int) throws {
    if i % 50 == 0 { _ = try? Graphviz.shared.render(dot: "digraph bad { a -> }", engine: "dot", format: "svg") }
    for (dot, engine) in sources {
        _ = try Graphviz.shared.render(dot: dot, engine: engine, format: i % 10 == 0 ? .png : .svg)
    }
}

do {
    for i in 0..<200 { try round(i) }
    let before = residentKiB()
    for i in 0..<count { try round(i) }
    print("renders=\(count * sources.count) growth_kib=\(residentKiB() - before)")
} catch {
    FileHandle.standardError.write(Data("render-soak: \(error)\n".utf8))
    exit(1)
}
