import Foundation
import LinkageKit
import Plot

/// The index of an output folder: what was loaded, and every report and diagram, in Markdown
/// (for the repository) and HTML (for a browser, where SVG tooltips and links work).
///
/// It is written from what the analysis folders hold (their manifests), not from what a run
/// meant to write: after a failed analysis it links the earlier outputs still in its folder and
/// says they are earlier ones, so the index and the folders always agree.
///
/// Text goes through `MarkdownText` and `HTMLText`. Plot builds the page, but its own text
/// escaping keeps anything that looks like an entity (`&amp;` would be shown as `&`), so text is
/// escaped here and handed to Plot as raw HTML.
struct IndexPage {
    struct Entry {
        var id: String
        var title: String
        var status: String
        var problems: [String]
        /// What the analysis folder holds, when it holds linkage's outputs.
        var folder: FolderManifest?

        var succeeded: Bool { status == AnalysisRun.Status.succeeded.rawValue }
        /// The folder holds an earlier run's outputs (this run failed or could not write).
        var fromEarlierRun: Bool {
            folder != nil && (status == AnalysisRun.Status.failed.rawValue || status == AnalysisRun.Status.notWritten.rawValue)
        }
    }

    let graph: LinkageGraph
    let entries: [Entry]

    var datasetRows: [(name: String, title: String, nodes: Int, edges: Int)] {
        graph.datasets.map { info in
            (info.name, info.title.en, graph.nodes(inDataset: info.name).count, graph.edges(inDataset: info.name).count)
        }
    }

    private func statusLine(_ entry: Entry) -> String {
        var line = "\(entry.status): " + entry.problems.joined(separator: "; ")
        if entry.fromEarlierRun { line += ". The files below are from an earlier run." }
        return line
    }

    func markdown() -> String {
        var out = "# Linkage analyses\n\n"
        out += "Produced by `linkage all` from the bundled datasets (\(graph.nodes.count) nodes, \(graph.edges.count) links). "
        out += "Regenerate with `swift run linkage all`. Open [index.html](index.html) in a browser for tooltips and links in the diagrams.\n\n"
        out += "## Analyses\n\n"
        for entry in entries {
            out += "### \(MarkdownText.inline(entry.title)) (\(MarkdownText.code(entry.id)))\n\n"
            if !entry.succeeded {
                out += "**\(MarkdownText.inline(entry.status))**: " + MarkdownText.inline(entry.problems.joined(separator: "; "))
                    + (entry.fromEarlierRun ? ". The files below are from an earlier run." : "") + "\n\n"
            }
            guard let folder = entry.folder else { continue }
            var links = reports(folder).map { MarkdownText.link($0.text, to: "\(entry.id)/\($0.file)") }
                + [MarkdownText.link("result.json", to: "\(entry.id)/result.json")]
            for table in folder.tables { links.append(MarkdownText.link("\(table).csv", to: "\(entry.id)/\(table).csv")) }
            out += links.joined(separator: " · ") + "\n\n"
            for diagram in folder.diagrams {
                out += "- \(MarkdownText.inline(diagram.title)): " + diagram.files.map { MarkdownText.link($0, to: "\(entry.id)/\($0)") }.joined(separator: " · ") + "\n"
            }
            out += "\n"
        }
        out += "## Datasets\n\n| Dataset | Title | Nodes | Links |\n|---|---|---:|---:|\n"
        for row in datasetRows {
            out += "| \(MarkdownText.code(row.name)) | \(MarkdownText.cell(row.title)) | \(row.nodes) | \(row.edges) |\n"
        }
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
                .forEach(entries, section),
                .h2("Datasets"),
                datasetTable()
            )
        )
        return page.render(indentedBy: Indentation.Kind.spaces(2)) + "\n"
    }

    private func text<Context>(_ value: String) -> Plot.Node<Context> { .raw(HTMLText.escape(value)) }

    private func link(_ label: String, _ path: String) -> Plot.Node<HTML.BodyContext> {
        .a(.href(HTMLText.href(path)), .raw(HTMLText.escape(label)))
    }

    /// The reports a folder holds, English first (`--lang` chooses which are written).
    private func reports(_ folder: FolderManifest) -> [(text: String, file: String)] {
        [(text: "Report", file: ReportWriter.fileName(.en)), (text: "报告（中文）", file: ReportWriter.fileName(.zh))]
            .filter { folder.files.contains($0.file) }
    }

    private func section(_ entry: Entry) -> Plot.Node<HTML.BodyContext> {
        var parts: [Plot.Node<HTML.BodyContext>] = [.h2(text("\(entry.title) "), .code(text(entry.id)))]
        if !entry.succeeded {
            parts.append(.p(.class("failed"), text(statusLine(entry))))
        }
        if let folder = entry.folder {
            var links: [Plot.Node<HTML.BodyContext>] = reports(folder).flatMap { [link($0.text, "\(entry.id)/\($0.file)"), .text(" · ")] }
                + [link("result.json", "\(entry.id)/result.json")]
            for table in folder.tables {
                links.append(.text(" · "))
                links.append(link("\(table).csv", "\(entry.id)/\(table).csv"))
            }
            parts.append(.p(.group(links)))
            parts.append(.ul(.forEach(folder.diagrams) { diagram in diagramItem(entry.id, diagram) }))
        }
        return .div(.group(parts))
    }

    private func diagramItem(_ folder: String, _ diagram: FolderManifest.Diagram) -> Plot.Node<HTML.ListContext> {
        var items: [Plot.Node<HTML.BodyContext>] = [text(diagram.title + ": ")]
        for file in diagram.files {
            items.append(link(file, "\(folder)/\(file)"))
            items.append(.text(" "))
        }
        return .li(.group(items))
    }

    private func datasetTable() -> Plot.Node<HTML.BodyContext> {
        var rows: [Plot.Node<HTML.TableContext>] = [.tr(.th("Dataset"), .th("Title"), .th("Nodes"), .th("Links"))]
        for row in datasetRows {
            rows.append(.tr(.td(.code(text(row.name))), .td(text(row.title)), .td(.class("n"), .text(String(row.nodes))),
                            .td(.class("n"), .text(String(row.edges)))))
        }
        return .table(.group(rows))
    }
}
