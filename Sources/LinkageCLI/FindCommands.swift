import ArgumentParser
import Foundation
import LinkageKit
import LinkageRegistry

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find nodes by id, Chinese or English label, alias or attribute value; best matches first.",
        discussion: """
            Matches, in this order: the id (also ignoring case and punctuation: `sdg 9c` finds \
            SDG-9.c), an alias, ids that start with the text, labels that equal or start with it, \
            ids and labels that contain it (Chinese is matched as a substring: 应急通信), labels \
            that have every word, attribute values, descriptions. When nothing matches, near \
            misses: an id one or two letters off with the same numbers, a label word one letter \
            off (`broadbnd`).

            Examples:
              linkage search broadband
              linkage search 应急通信
              linkage search "sdg 9c"
              linkage search emergency --kind baap-output,kap-outcome
              linkage search 37 --kind wtdc-resolution --limit 5
            """)

    @OptionGroup var dataset: DatasetOptions
    @Argument(help: "What to look for.")
    var text: [String]
    @Option(help: ArgumentHelp("Only nodes of these kinds (comma-separated; `linkage list --kinds` lists them).", valueName: "kinds"))
    var kind: String?
    @Option(help: "At most this many results.")
    var limit: Int = 20

    func validate() throws {
        if text.joined().trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("give the text to look for") }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let graph = try dataset.loadGraph()
        let kinds = try kind.map { try parseKinds($0, graph: graph) }
        let query = text.joined(separator: " ")
        let hits = GraphSearch(graph: graph).search(query, kinds: kinds, limit: limit + 1)
        if hits.isEmpty {
            Console.error("nothing matches '\(query)'\(kind.map { " among \($0)" } ?? "")")
            return
        }
        let idWidth = min(hits.map(\.node.id.rawValue.count).max() ?? 0, 28)
        let indent = String(repeating: " ", count: idWidth + 2)
        for hit in hits.prefix(limit) {
            let id = hit.node.id.rawValue.padding(toLength: max(idWidth, hit.node.id.rawValue.count), withPad: " ", startingAt: 0)
            print("\(id)  \(TerminalText.safe(TerminalText.short(hit.node.label.en, limit: 90)))  [\(hit.node.kind)]")
            if hit.node.label.zh != hit.node.label.en {
                print(indent + TerminalText.safe(TerminalText.short(hit.node.label.zh, limit: 60)))
            }
            if !["id", "label (en)", "label (zh)"].contains(hit.field) || hit.match >= .nearID {
                print(indent + "matched \(hit.match.explanation) (\(hit.field)): \(TerminalText.safe(TerminalText.short(hit.text)))")
            }
        }
        if hits.count > limit { Console.error("(more results: --limit \(limit * 2))") }
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the nodes of a kind or of a dataset, in id order; or the kinds.",
        discussion: """
            Examples:
              linkage list --kinds                              every kind, with its role and count
              linkage list --kind wsis-action-line
              linkage list --dataset kap-2023-2027
              linkage list --dataset baap-2018-2021 --kind baap-output
            """)

    @OptionGroup var dataset: DatasetOptions
    @Option(help: ArgumentHelp("Only nodes of these kinds (comma-separated).", valueName: "kinds"))
    var kind: String?
    @Option(name: .customLong("dataset"), help: ArgumentHelp("Only nodes of this dataset.", valueName: "name"))
    var datasetName: String?
    @Flag(help: "List the kinds instead: id, role, number of nodes, label.")
    var kinds = false

    func validate() throws {
        if !kinds && kind == nil && datasetName == nil {
            throw ValidationError("say what to list: --kind KIND, --dataset NAME, or --kinds")
        }
    }

    func run() throws {
        let graph = try dataset.loadGraph()
        if kinds {
            for spec in graph.vocabulary.sortedKinds {
                let count = graph.nodes(ofKind: spec.kind).count
                print("\(spec.kind.rawValue)  [\(spec.role.rawValue), \(spec.declaredBy)]  \(count) nodes  \(spec.label.en) / \(spec.label.zh)")
            }
            return
        }
        var nodes = graph.nodes
        if let name = datasetName {
            guard let info = graph.dataset(named: name) else {
                throw usageError("no dataset '\(name)'\(graph.datasetHint(for: name)); datasets: \(graph.datasets.map(\.name).joined(separator: ", "))")
            }
            nodes = graph.nodes(inDataset: info.name)
        }
        if let kind {
            let wanted = try parseKinds(kind, graph: graph)
            nodes = nodes.filter { wanted.contains($0.kind) }
        }
        let width = min(nodes.map(\.id.rawValue.count).max() ?? 0, 28)
        for node in nodes {
            print("\(node.id.rawValue.padding(toLength: max(width, node.id.rawValue.count), withPad: " ", startingAt: 0))  "
                  + "\(TerminalText.safe(TerminalText.short(node.label.en, limit: 80))) / \(TerminalText.safe(TerminalText.short(node.label.zh, limit: 40)))")
        }
        Console.error("\(nodes.count) node\(nodes.count == 1 ? "" : "s")")
    }
}

struct Views: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every diagram (view) each analysis draws, with the ids `render --view` takes.",
        discussion: """
            Runs each analysis with its default options (or with --set, for one --analysis) and \
            lists its views: id, then title. Options change which views exist (a plan, a focus), \
            so give the same --set to `render`.

            Examples:
              linkage views
              linkage views --analysis sdg-mapping
              linkage views --analysis neighbourhood --set focus=KAP-P1
              then: linkage render --analysis sdg-mapping --view <id> --format png -o diagram.png
            """)

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var external: AnalysesFolderOptions
    @Option(help: ArgumentHelp("Only this analysis.", valueName: "analysis"))
    var analysis: String?
    @Option(name: .customLong("set"), help: ArgumentHelp("An analysis option, name=value (repeatable; with --analysis).", valueName: "name=value"))
    var settings: [String] = []

    func validate() throws {
        if !settings.isEmpty && analysis == nil { throw ValidationError("--set goes with --analysis ID (options differ between analyses)") }
    }

    func run() throws {
        let graph = try dataset.loadGraph()
        let plugins = try analysis.map { [try external.analysis($0, dataset: dataset)] } ?? external.analyses(dataset: dataset)
        var failed = false
        for plugin in plugins {
            let id = plugin.descriptor.id
            let result: AnalysisResult
            do {
                result = try runForViews(plugin, graph: graph, assignments: settings)
            } catch let failure as CommandFailure where analysis == nil {
                Console.error("\(id): \(failure.message ?? "failed")")
                failed = true
                continue
            }
            let optionsText = settings.isEmpty ? "default options" : settings.joined(separator: " ")
            print("\(id) (\(optionsText)): \(result.views.count) view\(result.views.count == 1 ? "" : "s")")
            for view in result.views {
                print("  \(view.id)  \(TerminalText.safe(view.title.en)) / \(TerminalText.safe(view.title.zh))")
            }
            if let first = result.views.first {
                let sets = settings.map { " --set \($0)" }.joined()
                print("  e.g. linkage render --analysis \(id)\(sets) --view \(first.id) --format png -o \(first.id).png")
            }
        }
        if failed { throw CommandFailure(status: .analysisFailed, message: "some analyses failed with their default options") }
    }
}

/// Comma-separated kind names, each checked (any case), with a suggestion for a typo.
func parseKinds(_ text: String, graph: LinkageGraph) throws -> Set<NodeKind> {
    var result = Set<NodeKind>()
    for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
        guard let kind = graph.kind(named: name) else {
            throw usageError("no kind '\(name)'\(graph.kindHint(for: name)); `linkage list --kinds` lists them")
        }
        result.insert(kind)
    }
    return result
}

/// Text from the data shown on a terminal: control characters (escape sequences a hostile label
/// could carry) are shown as `�`, never sent to the terminal.
enum TerminalText {
    static func safe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format && scalar != "\u{200D}"
                ? "\u{FFFD}" : scalar
        }))
    }

    static func short(_ text: String, limit: Int = 100) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.count > limit ? String(line.prefix(limit - 1)) + "…" : line
    }
}
