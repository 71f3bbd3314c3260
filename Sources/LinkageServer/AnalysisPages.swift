import Foundation
import LinkageHost
import LinkageKit
import LinkageRendering

extension Explorer {
    func analysesPage() -> String {
        let rows: [[String: Any]] = analyses.map { plugin in
            let d = plugin.descriptor
            var row: [String: Any] = ["id": d.id, "title": d.title, "summary": d.summary, "href": "/analysis/" + DOTText.pathSegment(d.id)]
            if let program = plugin as? ExternalAnalysis {
                row["external"] = SourceLocation.displayPath(program.executable.path)
            } else if let program = plugin as? UnavailableAnalysis {
                row["external"] = SourceLocation.displayPath(program.executable.path)
                row["unusable"] = true
            }
            return row
        }
        return Templates.render("analyses", ["analyses": rows])
    }

    func plugin(_ segment: String) throws(ServerError) -> any AnalysisPlugin {
        let id = segment.removingPercentEncoding ?? segment
        if let plugin = analyses.first(where: { $0.descriptor.id == id }) { return plugin }
        let ids = analyses.map(\.descriptor.id)
        throw ServerError(status: 404, "no analysis '\(id)'\(Suggestion.hint(for: id, in: ids)); analyses: \(ids.joined(separator: ", "))")
    }

    /// The options given in the query, as `--set name=value` assignments (empty fields are left
    /// out: the analysis's default applies).
    func assignments(_ plugin: any AnalysisPlugin, _ query: QueryParameters) -> [(String, String)] {
        plugin.descriptor.options.compactMap { option in
            guard let value = query[option.name], !value.isEmpty else { return nil }
            return (option.name, value)
        }
    }

    /// Runs an analysis on the snapshot's graph (or takes its result from the cache); option
    /// errors are 400s with the CLI's message, a misbehaving external program a 502 with the
    /// CLI's message (timeout, exit status, invalid result…).
    func run(_ plugin: any AnalysisPlugin, _ assignments: [(String, String)], snapshot: GraphStore.Snapshot) async throws -> AnalysisResult {
        let id = plugin.descriptor.id
        do {
            let options = try AnalysisOptions.parse(assignments.map { "\($0.0)=\($0.1)" }, for: plugin.descriptor)
            let graph = snapshot.graph
            let key = "\(snapshot.generation)|\(id)|\(QueryParameters.encode(assignments))"
            let isExternal = plugin is ExternalAnalysis || plugin is UnavailableAnalysis
            return try await runs.result(for: key, external: isExternal) {
                try plugin.run(AnalysisContext(graph: graph, options: options))
            }
        } catch let error as AnalysisOptionError {
            throw ServerError(status: 400, "\(id): \(error)")
        } catch let error as ExternalAnalysisFailure {
            throw ServerError(status: 502, error.problems.map { "\(id): \($0)" }.joined(separator: "\n"))
        } catch let error as ServerError {
            throw error
        } catch {
            throw ServerError(status: 500, "\(id) failed: \(error)")
        }
    }

    /// How an analysis's figures are drawn, from the query: `lang` (en, zh), `page` (a page
    /// size; `none`, the default, is one figure at screen size) and, for one diagram file,
    /// `part` (which page of a figure split over several).
    struct FigureChoice {
        var language = Language.en
        var page = PageSize.none
        var part = 1

        init(_ query: QueryParameters) throws(ServerError) {
            if let value = query["lang"], !value.isEmpty {
                guard let language = Language(rawValue: value) else { throw ServerError(status: 400, "option 'lang': '\(value)' is not en or zh") }
                self.language = language
            }
            if let value = query["page"], !value.isEmpty {
                guard let page = PageSize(rawValue: value) else {
                    throw ServerError(status: 400, "option 'page': '\(value)' is not one of \(PageSize.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                self.page = page
            }
            part = try NeighbourhoodOptions.part(query)
        }

        /// The query for diagram files (the analysis's own options come first).
        var pairs: [(String, String)] { [("lang", language.rawValue), ("page", page.rawValue)] }
    }

    func analysisRoute(_ snapshot: GraphStore.Snapshot, segments: [String], query: QueryParameters) async throws -> Answer {
        let plugin = try plugin(segments[0])
        let given = assignments(plugin, query)
        let figures = try FigureChoice(query)
        if segments.count == 1 { return await analysisPage(snapshot, plugin, given, run: query["run"] != nil, figures: figures) }
        // /analysis/ID/view/VIEW.svg (.png, .pdf)
        guard segments.count == 3, segments[1] == "view" else {
            throw ServerError(status: 404, "an analysis's diagram is at /analysis/ID/view/VIEW.svg, .png or .pdf")
        }
        let file = segments[2].removingPercentEncoding ?? segments[2]
        guard let dot = file.lastIndex(of: "."), let format = OutputFormat(rawValue: String(file[file.index(after: dot)...])), format != .dot else {
            throw ServerError(status: 404, "an analysis's diagram is at /analysis/ID/view/VIEW.svg, .png or .pdf")
        }
        let viewID = String(file[..<dot])
        let result = try await run(plugin, given, snapshot: snapshot)
        guard let view = result.views.first(where: { $0.id == viewID }) else {
            let ids = result.views.map(\.id)
            throw ServerError(status: 404, "\(plugin.descriptor.id) has no view '\(viewID)'\(Suggestion.hint(for: viewID, in: ids)) with these options")
        }
        let pages = try await analysisDiagram(snapshot, plugin, given, view, figures: figures, format: format)
        let data = try DiagramService.page(pages, part: figures.part, of: view.id)
        return Answer(status: 200, contentType: Self.mediaType(format), body: data)
    }

    /// Every page of one of an analysis's figures in `format`.
    /// `inline`: SVG pages to show in the analysis page, each down to where its drawing ends
    /// (the files to download keep their pages).
    func analysisDiagram(_ snapshot: GraphStore.Snapshot, _ plugin: any AnalysisPlugin, _ given: [(String, String)], _ view: ViewSpec,
                         figures: FigureChoice, format: OutputFormat, inline: Bool = false) async throws -> [Data] {
        try await diagrams.check(view)
        let key = "analysis|\(snapshot.generation)|\(plugin.descriptor.id)|\(QueryParameters.encode(given))|\(view.id)|\(figures.language.rawValue)|\(figures.page.rawValue)|\(format.rawValue)\(inline ? "|inline" : "")"
        let figure = FigureOptions(page: figures.page, nodePageLinks: "/node/")
        let language = figures.language
        return try await diagrams.files(for: key) {
            try DiagramService.draw(view, language: language, options: figure, format: format, croppingToDrawing: inline)
        }
    }

    func analysisPage(_ snapshot: GraphStore.Snapshot, _ plugin: any AnalysisPlugin, _ given: [(String, String)], run: Bool,
                      figures: FigureChoice) async -> Answer {
        let d = plugin.descriptor
        let values = Dictionary(given, uniquingKeysWith: { a, _ in a })
        func choices(_ values: [String], _ current: String) -> [[String: Any]] {
            values.map { ["value": $0, "title": $0, "selected": $0 == current] as [String: Any] }
        }
        var fields: [[String: Any]] = d.options.map { option in
            var field: [String: Any] = ["name": option.name, "summary": option.summary, "type": option.typeDescription]
            let current = values[option.name] ?? option.defaultValue ?? ""
            switch option.type {
            case .choice(let values):
                field["hasChoices"] = true
                field["choices"] = choices(values, current)
            case .integer(let range):
                field["hasChoices"] = true
                field["choices"] = choices(range.map(String.init), current)
            default:
                field["hasChoices"] = false
                field["value"] = values[option.name] ?? ""
                field["placeholder"] = option.defaultValue.map { "default: \($0)" } ?? ""
            }
            return field
        }
        // How to show the result, as `linkage run --lang` and `--page` have it (unless the
        // analysis has options of these names itself).
        let names = Set(d.options.map(\.name))
        if !names.contains("lang") {
            fields.append(["name": "lang", "summary": "Language of the tables, findings and diagrams (labels from the datasets in that language).",
                           "type": "en or zh", "hasChoices": true, "choices": choices(["en", "zh"], figures.language.rawValue)])
        }
        if !names.contains("page") {
            fields.append(["name": "page", "summary": "Page size of the diagrams: none draws each as one figure for the screen; a page size splits a long matrix over pages, each shown and downloadable.",
                           "type": "page size", "hasChoices": true, "choices": choices(PageSize.allCases.map(\.rawValue), figures.page.rawValue)])
        }
        let action = "/analysis/" + DOTText.pathSegment(d.id)
        var context: [String: Any] = ["id": d.id, "title": d.title, "summary": d.summary, "action": action, "fields": fields]
        if run {
            do {
                let result = try await self.run(plugin, given, snapshot: snapshot)
                var shown = resultContext(result, plugin: plugin, given: given, figures: figures)
                // The first diagrams inline, so their nodes are links to their pages; the rest
                // as images loaded when scrolled to (an analysis may draw dozens). A figure
                // split over pages shows every page, each with its downloads.
                if var views = shown["views"] as? [[String: Any]] {
                    for index in views.indices {
                        let view = result.views[index]
                        let inline = index < Self.inlineDiagramLimit
                        // Only a matrix on a page size can have several pages; anything else is one.
                        let canSplit = figures.page != .none && { if case .matrix = view.diagram { true } else { false } }()
                        guard inline || canSplit else { continue }
                        do {
                            let svgs = try await analysisDiagram(snapshot, plugin, given, view, figures: figures, format: .svg, inline: inline)
                            var pages = views[index]["pages"] as? [[String: Any]] ?? []
                            if svgs.count != pages.count { pages = partPages(view, plugin: plugin, given: given, figures: figures, count: svgs.count) }
                            if inline {
                                // Several figures in one page: each one's element ids get its own prefix.
                                for (n, svg) in svgs.enumerated() { pages[n]["svg"] = HTMLReport.inlineSVG(svg, prefix: "\(view.id)-p\(n + 1)") }
                            }
                            views[index]["pages"] = pages
                        } catch let error as ServerError {
                            views[index]["problem"] = error.message
                        } catch {
                            views[index]["problem"] = "the diagram could not be drawn: \(error)"
                        }
                    }
                    shown["views"] = views
                }
                context["result"] = shown
            } catch let error as ServerError {
                return errorPage(snapshot, error)
            } catch {
                return errorPage(snapshot, ServerError(status: 500, "\(error)"))
            }
        }
        return page(snapshot, title: d.title, query: "", body: Templates.render("analysis", context))
    }

    /// The pages of one view for the template: each with its image address and downloads.
    func partPages(_ view: ViewSpec, plugin: any AnalysisPlugin, given: [(String, String)], figures: FigureChoice, count: Int) -> [[String: Any]] {
        let file = "/analysis/" + DOTText.pathSegment(plugin.descriptor.id) + "/view/" + DOTText.pathSegment(view.id)
        let query = QueryParameters.encode(given + figures.pairs)
        return (0..<count).map { index in
            let several = count > 1
            let partQuery = several ? "\(query)&part=\(index + 1)" : query
            let suffix = several ? "-p\(index + 1)" : ""
            var page: [String: Any] = [
                "image": "\(file).svg?\(partQuery)",
                "downloads": ["svg", "png", "pdf"].map { format -> [String: Any] in
                    ["format": format.uppercased(), "href": "\(file).\(format)?\(partQuery)", "file": "\(Self.fileName(view.id))\(suffix).\(format)"]
                },
            ]
            if several { page["part"] = "page \(index + 1) of \(count)" }
            return page
        }
    }

    /// Diagrams drawn into the page itself; later ones are images.
    static let inlineDiagramLimit = 4

    /// Tables are shown up to this many rows (the CSV of `linkage run` has them all).
    static let tableRowLimit = 500

    func resultContext(_ result: AnalysisResult, plugin: any AnalysisPlugin, given: [(String, String)], figures: FigureChoice) -> [String: Any] {
        let language = figures.language
        let views: [[String: Any]] = result.views.map { view in
            ["title": view.title[language], "pages": partPages(view, plugin: plugin, given: given, figures: figures, count: 1)]
        }
        let tables: [[String: Any]] = result.tables.map { table in
            let rows = table.rows.prefix(Self.tableRowLimit).map { row -> [String: Any] in
                ["cells": row.map { value -> [String: Any] in
                    if case .id(let id) = value { return ["text": id.rawValue, "href": Self.nodeHref(id)] }
                    return ["text": value.description]
                }]
            }
            var row: [String: Any] = [
                "title": table.title[language], "columns": table.columns.map { $0.title[language] }, "rows": Array(rows),
                "rowCount": table.rows.count, "truncated": table.rows.count > Self.tableRowLimit, "shown": Self.tableRowLimit,
            ]
            if let caption = table.caption { row["caption"] = caption[language] }
            return row
        }
        return [
            // The note says what a bare value stands for ("×10": ten tied, and which).
            "headline": result.headline.map { figure -> [String: Any] in
                var item: [String: Any] = ["label": figure.label[language], "value": figure.value]
                if let note = figure.note?[language], !note.isEmpty { item["note"] = note }
                return item
            },
            "findings": result.findings.map { finding -> [String: Any] in
                ["severity": finding.severity.rawValue, "message": finding.message[language],
                 "ids": finding.ids.map { ["id": $0.rawValue, "href": Self.nodeHref($0)] }, "hasIds": !finding.ids.isEmpty]
            },
            "hasFindings": !result.findings.isEmpty,
            "views": views, "hasViews": !views.isEmpty, "viewCount": views.count,
            "tables": tables,
            "methodNotes": result.methodNotes.map { $0[language] }, "hasMethodNotes": !result.methodNotes.isEmpty,
        ]
    }
}
