import Foundation
import LinkageKit
import Plot

/// The index of `linkage all`: what was loaded, and every report and diagram, in Markdown (for
/// the repository) and HTML (for a browser, where SVG tooltips and links work).
struct IndexPage {
    let graph: LinkageGraph
    let runs: [AnalysisRun]

    var datasetRows: [(name: String, title: String, nodes: Int, edges: Int)] {
        graph.datasets.map { info in
            (info.name, info.title.en, graph.nodes(inDataset: info.name).count, graph.edges(inDataset: info.name).count)
        }
    }

    func status(_ run: AnalysisRun) -> String {
        switch run.status {
        case .succeeded: "ok"
        case .partiallyFailed: "some diagrams failed"
        case .failed: "failed"
        }
    }

    func markdown() -> String {
        var out = "# Linkage analyses\n\n"
        out += "Produced by `linkage all` from the bundled datasets (\(graph.nodes.count) nodes, \(graph.edges.count) links). "
        out += "Regenerate with `swift run linkage all`. Open [index.html](index.html) in a browser for tooltips and links in the diagrams.\n\n"
        out += "## Analyses\n\n"
        for run in runs {
            out += "### \(run.title) (`\(run.analysisID)`)\n\n"
            if run.status != .succeeded {
                out += "**\(status(run))**: " + run.problems.joined(separator: "; ") + "\n\n"
            }
            guard run.status != .failed else { continue }
            out += "[Report](\(run.analysisID)/report.md) · [result.json](\(run.analysisID)/result.json)"
            for table in run.result?.tables ?? [] { out += " · [\(table.id).csv](\(run.analysisID)/\(table.id).csv)" }
            out += "\n\n"
            for (view, files) in run.diagrams {
                out += "- \(view.title.en): " + files.map { "[\($0)](\(run.analysisID)/\($0))" }.joined(separator: " · ") + "\n"
            }
            out += "\n"
        }
        out += "## Datasets\n\n| Dataset | Title | Nodes | Links |\n|---|---|---:|---:|\n"
        for row in datasetRows { out += "| `\(row.name)` | \(row.title) | \(row.nodes) | \(row.edges) |\n" }
        return out + "\n"
    }

    func html() -> String {
        let page = HTML(
            .lang(.english),
            .head(
                .encoding(.utf8),
                .title("Linkage analyses"),
                .style("""
                    body { font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; margin: 2em auto; max-width: 70em; color: #1f1f1f; }
                    table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; }
                    td.n { text-align: right; } .failed { color: #a4262c; font-weight: bold; }
                    """)
            ),
            .body(
                .h1("Linkage analyses"),
                .p(.text("Produced by linkage all from the bundled datasets (\(graph.nodes.count) nodes, \(graph.edges.count) links).")),
                .forEach(runs, section),
                .h2("Datasets"),
                datasetTable()
            )
        )
        return page.render(indentedBy: Indentation.Kind.spaces(2)) + "\n"
    }

    private func section(_ run: AnalysisRun) -> Plot.Node<HTML.BodyContext> {
        var parts: [Plot.Node<HTML.BodyContext>] = [.h2(.text("\(run.title) "), .code(.text(run.analysisID)))]
        if run.status != .succeeded {
            parts.append(.p(.class("failed"), .text("\(status(run)): " + run.problems.joined(separator: "; "))))
        }
        if run.status != .failed {
            var links: [Plot.Node<HTML.BodyContext>] = [
                .a(.href("\(run.analysisID)/report.md"), .text("Report")), .text(" · "),
                .a(.href("\(run.analysisID)/result.json"), .text("result.json")),
            ]
            for table in run.result?.tables ?? [] {
                links.append(.text(" · "))
                links.append(.a(.href("\(run.analysisID)/\(table.id).csv"), .text("\(table.id).csv")))
            }
            parts.append(.p(.group(links)))
            parts.append(.ul(.forEach(run.diagrams) { diagram in diagramItem(run.analysisID, diagram.view, diagram.files) }))
        }
        return .div(.group(parts))
    }

    private func diagramItem(_ folder: String, _ view: ViewSpec, _ files: [String]) -> Plot.Node<HTML.ListContext> {
        var items: [Plot.Node<HTML.BodyContext>] = [.text(view.title.en + ": ")]
        for file in files {
            items.append(.a(.href("\(folder)/\(file)"), .text(file)))
            items.append(.text(" "))
        }
        return .li(.group(items))
    }

    private func datasetTable() -> Plot.Node<HTML.BodyContext> {
        var rows: [Plot.Node<HTML.TableContext>] = [.tr(.th("Dataset"), .th("Title"), .th("Nodes"), .th("Links"))]
        for row in datasetRows {
            rows.append(.tr(.td(.code(.text(row.name))), .td(.text(row.title)), .td(.class("n"), .text(String(row.nodes))),
                            .td(.class("n"), .text(String(row.edges)))))
        }
        return .table(.group(rows))
    }
}
