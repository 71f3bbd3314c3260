import Foundation
import LinkageKit
import LinkageRendering

extension Explorer {
    func analysesPage() -> String {
        let rows: [[String: Any]] = analyses.map { plugin in
            let d = plugin.descriptor
            return ["id": d.id, "title": d.title, "summary": d.summary, "href": "/analysis/" + DOTText.pathSegment(d.id)]
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

    /// Runs an analysis on the snapshot's graph; option errors are 400s with the CLI's message.
    func run(_ plugin: any AnalysisPlugin, _ assignments: [(String, String)], graph: LinkageGraph) throws -> AnalysisResult {
        do {
            let options = try AnalysisOptions.parse(assignments.map { "\($0.0)=\($0.1)" }, for: plugin.descriptor)
            return try plugin.run(AnalysisContext(graph: graph, options: options))
        } catch let error as AnalysisOptionError {
            throw ServerError(status: 400, "\(plugin.descriptor.id): \(error)")
        } catch let error as ServerError {
            throw error
        } catch {
            throw ServerError(status: 500, "\(plugin.descriptor.id) failed: \(error)")
        }
    }

    func analysisRoute(_ snapshot: GraphStore.Snapshot, segments: [String], query: QueryParameters) async throws -> Answer {
        let plugin = try plugin(segments[0])
        let given = assignments(plugin, query)
        let language = try NeighbourhoodOptions(query: QueryParameters([("lang", query["lang"] ?? "en")]), graph: snapshot.graph).language
        if segments.count == 1 { return await analysisPage(snapshot, plugin, given, run: query["run"] != nil, language: language) }
        // /analysis/ID/view/VIEW.svg (.png, .pdf)
        guard segments.count == 3, segments[1] == "view" else {
            throw ServerError(status: 404, "an analysis's diagram is at /analysis/ID/view/VIEW.svg, .png or .pdf")
        }
        let file = segments[2].removingPercentEncoding ?? segments[2]
        guard let dot = file.lastIndex(of: "."), let format = OutputFormat(rawValue: String(file[file.index(after: dot)...])), format != .dot else {
            throw ServerError(status: 404, "an analysis's diagram is at /analysis/ID/view/VIEW.svg, .png or .pdf")
        }
        let viewID = String(file[..<dot])
        let result = try run(plugin, given, graph: snapshot.graph)
        guard let view = result.views.first(where: { $0.id == viewID }) else {
            let ids = result.views.map(\.id)
            throw ServerError(status: 404, "\(plugin.descriptor.id) has no view '\(viewID)'\(Suggestion.hint(for: viewID, in: ids)) with these options")
        }
        let data = try await analysisDiagram(snapshot, plugin, given, view, language: language, format: format)
        return Answer(status: 200, contentType: Self.mediaType(format), body: data)
    }

    func analysisDiagram(_ snapshot: GraphStore.Snapshot, _ plugin: any AnalysisPlugin, _ given: [(String, String)], _ view: ViewSpec,
                         language: Language, format: OutputFormat) async throws -> Data {
        try await diagrams.check(view)
        let key = "analysis|\(snapshot.generation)|\(plugin.descriptor.id)|\(QueryParameters.encode(given))|\(view.id)|\(language.rawValue)|\(format.rawValue)"
        let figure = FigureOptions(page: .none, nodePageLinks: "/node/")
        return try await diagrams.file(for: key) { try DiagramService.draw(view, language: language, options: figure, format: format, page: 0) }
    }

    func analysisPage(_ snapshot: GraphStore.Snapshot, _ plugin: any AnalysisPlugin, _ given: [(String, String)], run: Bool,
                      language: Language) async -> Answer {
        let d = plugin.descriptor
        let values = Dictionary(given, uniquingKeysWith: { a, _ in a })
        let fields: [[String: Any]] = d.options.map { option in
            var field: [String: Any] = ["name": option.name, "summary": option.summary, "type": option.typeDescription]
            let current = values[option.name] ?? option.defaultValue ?? ""
            switch option.type {
            case .choice(let choices):
                field["hasChoices"] = true
                field["choices"] = choices.map { ["value": $0, "title": $0, "selected": $0 == current] as [String: Any] }
            case .integer(let range):
                field["hasChoices"] = true
                field["choices"] = range.map { ["value": String($0), "title": String($0), "selected": String($0) == current] as [String: Any] }
            default:
                field["hasChoices"] = false
                field["value"] = values[option.name] ?? ""
                field["placeholder"] = option.defaultValue.map { "default: \($0)" } ?? ""
            }
            return field
        }
        let action = "/analysis/" + DOTText.pathSegment(d.id)
        var context: [String: Any] = ["id": d.id, "title": d.title, "summary": d.summary, "action": action, "fields": fields]
        if run {
            do {
                let result = try self.run(plugin, given, graph: snapshot.graph)
                var shown = resultContext(result, plugin: plugin, given: given, language: language)
                // The first diagrams inline, so their nodes are links to their pages; the rest
                // as images loaded when scrolled to (an analysis may draw dozens).
                if var views = shown["views"] as? [[String: Any]] {
                    for index in views.indices.prefix(Self.inlineDiagramLimit) {
                        if let svg = try? await analysisDiagram(snapshot, plugin, given, result.views[index], language: language, format: .svg) {
                            views[index]["svg"] = Self.inlineSVG(svg)
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

    /// Diagrams drawn into the page itself; later ones are images.
    static let inlineDiagramLimit = 4

    /// Tables are shown up to this many rows (the CSV of `linkage run` has them all).
    static let tableRowLimit = 500

    func resultContext(_ result: AnalysisResult, plugin: any AnalysisPlugin, given: [(String, String)], language: Language) -> [String: Any] {
        let base = "/analysis/" + DOTText.pathSegment(plugin.descriptor.id) + "/view/"
        let query = QueryParameters.encode(given + [("lang", language.rawValue)])
        let views: [[String: Any]] = result.views.map { view in
            let file = base + DOTText.pathSegment(view.id)
            return [
                "title": view.title[language], "image": "\(file).svg?\(query)",
                "downloads": ["svg", "png", "pdf"].map { ["format": $0.uppercased(), "href": "\(file).\($0)?\(query)"] },
            ]
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
            "headline": result.headline.map { ["label": $0.label[language], "value": $0.value] },
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
