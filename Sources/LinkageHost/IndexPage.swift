import Foundation
import LinkageKit

/// The index of an output folder: what was loaded, and every report and diagram, in Markdown
/// (for the repository) and HTML (for a browser, where SVG tooltips and links work).
///
/// It is written from what the analysis folders hold (their manifests), not from what a run
/// meant to write: after a failed analysis it links the earlier outputs still in its folder and
/// says they are earlier ones, so the index and the folders always agree.
///
/// Markdown text goes through `MarkdownText`; the HTML page is a Mustache template
/// (`HTMLTemplates.index`) that escapes every value with `HTMLText.escape`.
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

    /// The Markdown reports a folder holds, English first (`--lang` chooses which are written).
    private func reports(_ folder: FolderManifest) -> [(text: String, file: String)] {
        [(text: "Report", file: ReportWriter.fileName(.en)), (text: "报告（中文）", file: ReportWriter.fileName(.zh))]
            .filter { folder.files.contains($0.file) }
    }

    /// The landing page: per analysis its headline figures, a thumbnail of each diagram (the
    /// SVG itself in an `<img>`, which runs no script and loads nothing), and links to the HTML
    /// report, the workbook, the CSVs and every diagram file. Works from `file://`.
    func html() -> String {
        let words = ReportWords(language: .en)
        var wordList: [String: String] = [:]
        for key in ["title", "produced", "nodes", "links", "datasets", "dataset", "datasetTitle", "nodeCount", "linkCount", "tables", "diagramFiles"] {
            wordList[key] = words["index.\(key)"]
        }
        let context: [String: Any] = [
            "words": wordList,
            "nodes": graph.nodes.count, "edges": graph.edges.count,
            "entries": entries.map { entry(in: $0, words: words) },
            "datasets": datasetRows.map { ["name": $0.name, "title": $0.title, "nodes": $0.nodes, "edges": $0.edges] as [String: Any] },
        ]
        return HTMLTemplates.render(context, template: "index")
    }

    private func entry(in entry: Entry, words: ReportWords) -> [String: Any] {
        var item: [String: Any] = ["id": entry.id, "title": entry.title]
        if !entry.succeeded { item["problem"] = statusLine(entry) }
        guard let folder = entry.folder else { return item }
        func href(_ file: String) -> String { RelativeURL.encode("\(entry.id)/\(file)") }
        var links: [[String: String]] = []
        for (file, key) in [(HTMLReport.fileName(.en), "index.report"), (HTMLReport.fileName(.zh), "index.reportZh")] where folder.files.contains(file) {
            links.append(["href": href(file), "label": words[key]])
        }
        let workbook = ReportWorkbook.fileName(entry.id)
        if folder.files.contains(workbook) { links.append(["href": href(workbook), "label": workbook]) }
        for file in [ReportWriter.fileName(.en), ReportWriter.fileName(.zh)] where folder.files.contains(file) {
            links.append(["href": href(file), "label": file])
        }
        links.append(["href": href("result.json"), "label": "result.json"])
        item["hasFolder"] = true
        item["links"] = links
        if let summary = folder.summary { item["summary"] = summary }
        if let headline = folder.headline, !headline.isEmpty {
            item["hasHeadline"] = true
            item["headline"] = headline.map { ["label": $0.label.en, "value": $0.value, "long": $0.value.count > 20] as [String: Any] }
        }
        // One thumbnail per diagram (its first page, English when drawn in English).
        item["thumbnails"] = folder.diagrams.compactMap { diagram -> [String: String]? in
            let svgs = diagram.files.filter { $0.hasSuffix(".svg") }
            guard let first = svgs.first(where: { $0.contains(".en.") }) ?? svgs.first else { return nil }
            return ["href": href(first), "src": href(first), "title": diagram.title]
        }
        item["hasTables"] = !folder.tables.isEmpty
        item["tables"] = folder.tables.map { ["href": href("\($0).csv"), "label": "\($0).csv"] }
        item["hasDiagrams"] = !folder.diagrams.isEmpty
        item["diagrams"] = folder.diagrams.map { diagram -> [String: Any] in
            ["title": diagram.title, "files": diagram.files.map { ["href": href($0), "label": $0] }]
        }
        return item
    }
}
