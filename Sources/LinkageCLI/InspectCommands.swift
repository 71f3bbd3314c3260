import ArgumentParser
import Foundation
import LinkageHost
import LinkageKit
import LinkageRegistry

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load every dataset and report every problem, as path:line:col: error|warning: message.",
        discussion: """
            Checks YAML syntax, unknown kinds and relations, duplicate ids, references to ids that \
            exist nowhere, malformed SDG codes (SDG-9.z, SDG-18, SDG-5b), nodes without label or \
            citation, derived links without their rule, and reports the data-quality findings \
            curators recorded (warnings). Every stored derived figure (sums of budgets, shares, \
            counts, *_check verdicts) is recomputed from the data. With --sources, every quote in \
            a citation is checked to occur in its seed document, and every Chinese label to be \
            written there, at its quote.

            Examples:
              linkage validate
              linkage validate --sources ../shared/seeds
              linkage validate --datasets /path/to/datasets --errors-only

            Exit status: 0 no errors (warnings allowed), 1 errors, 2 usage error.
            """)

    @OptionGroup var dataset: DatasetOptions

    @Option(help: ArgumentHelp("Folder of the seed documents; checks that every quote occurs in its source and every Chinese label at its quote.", valueName: "dir"))
    var sources: String?

    @Flag(help: "Print errors only, not warnings and notes.")
    var errorsOnly = false

    func run() throws {
        let root = try dataset.resolveDatasets()
        let sourcesURL = sources.map { URL(fileURLWithPath: $0).standardizedFileURL }
        if let sourcesURL, !FileManager.default.fileExists(atPath: sourcesURL.path) {
            throw usageError("no such folder: \(sources!)")
        }
        let result = DatasetLoader.load(from: root, options: LoadOptions(sourcesDirectory: sourcesURL))
        KeptUntilExit.keep(result)
        for diagnostic in result.diagnostics where !errorsOnly || diagnostic.severity == .error {
            Console.out(diagnostic.description)
        }
        let graph = result.graph
        let summary = "\(graph.datasets.count) datasets, \(graph.nodes.count) nodes, \(graph.edges.count) links: "
            + "\(result.errors.count) error\(result.errors.count == 1 ? "" : "s"), "
            + "\(result.warnings.count) warning\(result.warnings.count == 1 ? "" : "s")"
            + (sourcesURL == nil ? " (quotes and labels not checked: pass --sources DIR)" : " (quotes checked)")
        let checks = result.selfChecks
        var labels = "labels: \(checks.labelsByTemplate) by their kind's template, "
            + "\(checks.labelsDeclaredNotVerbatim) declared not verbatim (label_zh_from), "
            + "\(checks.labelsFromOtherSources) cite no seed"
        if sourcesURL != nil { labels = "labels: \(checks.labelsAtCitation) checked at their citation, " + labels.dropFirst("labels: ".count) }
        Console.error(summary)
        let figures = "\(checks.figuresRecomputed) stored figures recomputed"
            + (sourcesURL == nil ? "" : ", \(checks.figuresAtCitation) printed figures found at their citation")
        Console.error("self-checks: \(figures); \(labels)")
        if result.hasErrors { throw CommandFailure(status: .dataErrors, message: nil) }
    }
}

struct Datasets: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the loaded datasets, their sources, and their nodes and links per kind.",
        discussion: """
            Examples:
              linkage datasets
              linkage datasets --kinds          also count nodes per kind and links per relation
            """)

    @OptionGroup var dataset: DatasetOptions
    @Flag(help: "Count nodes per kind and links per relation for each dataset.")
    var kinds = false

    func run() throws {
        let graph = try dataset.loadGraph()
        for info in graph.datasets {
            let nodes = graph.nodes(inDataset: info.name)
            let edges = graph.edges(inDataset: info.name)
            Console.out("\(info.name): \(info.title.en) / \(info.title.zh)")
            Console.out("  \(nodes.count) nodes, \(edges.count) links (\(edges.filter(\.isDeclared).count) declared, \(edges.filter { !$0.isDeclared }.count) derived)")
            for source in info.sources { Console.out("  source \(source.id): \(source.locatedReference())") }
            if kinds {
                for (kind, count) in Dictionary(grouping: nodes, by: \.kind).mapValues(\.count).sorted(by: { $0.key < $1.key }) {
                    Console.out("    node  \(kind.rawValue): \(count)")
                }
                for (relation, count) in Dictionary(grouping: edges, by: \.relation).mapValues(\.count).sorted(by: { $0.key < $1.key }) {
                    Console.out("    link  \(relation.rawValue): \(count)")
                }
            }
        }
        Console.out("total: \(graph.nodes.count) nodes, \(graph.edges.count) links in \(graph.datasets.count) datasets")
        if !graph.vocabulary.plans.isEmpty {
            Console.out("plans: " + graph.vocabulary.plans.map { "\($0.id) (\($0.label.en))" }.joined(separator: ", "))
        }
    }
}

struct Analyses: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the analyses, built-in and external, with their summaries and options.",
        discussion: """
            Options are given to `linkage run` as --set name=value. External analyses are \
            programs in any language found in analyses/ next to the datasets, in --analyses \
            folders and in $LINKAGE_ANALYSES (docs/external-analyses.md); one that cannot \
            describe itself is listed with the reason, and the exit status is then 3.

            Examples:
              linkage analyses
              linkage analyses --analyses examples/analyses
            """)

    @OptionGroup var dataset: DatasetOptions
    @OptionGroup var external: AnalysesFolderOptions

    func run() throws {
        var unusable = 0
        for plugin in try external.analyses(dataset: dataset) {
            let d = plugin.descriptor
            if let unavailable = plugin as? UnavailableAnalysis {
                unusable += 1
                Console.out("\(d.id): NOT USABLE (\(SourceLocation.displayPath(unavailable.executable.path)))")
                for problem in unavailable.problems { Console.out("  \(problem)") }
                Console.out("")
                continue
            }
            Console.out("\(d.id): \(d.title)")
            Console.out("  \(d.summary)")
            if let program = plugin as? ExternalAnalysis {
                Console.out("  external: \(SourceLocation.displayPath(program.executable.path))")
            }
            for option in d.options {
                let fallback = option.defaultValue.map { " [default: \($0)]" } ?? ""
                Console.out("  --set \(option.name)=<\(option.typeDescription)>\(fallback)")
                Console.out("      \(option.summary)")
            }
            for example in d.examples { Console.out("  e.g. \(example)") }
            Console.out("")
        }
        if unusable > 0 {
            throw CommandFailure(status: .analysisFailed, message: "\(unusable) external analys\(unusable == 1 ? "is" : "es") could not be used (see above)")
        }
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show one node: kind, labels, attributes, citation, and every incoming and outgoing link.",
        discussion: """
            Declared links show the document and place that state them; derived links show the \
            rule, its justification and every path they were composed through.

            Examples:
              linkage show BAAP-OUT-2.1
              linkage show SDG-9.c
              linkage show KAP-P1 --relation advances-sdg
            """)

    @OptionGroup var dataset: DatasetOptions
    @Argument(help: "The node id (canonical form, e.g. SDG-9.c, WSIS-C2, PP-RES-131, BAAP-OUT-2.1).")
    var id: String
    @Option(help: ArgumentHelp("Show only links of this relation.", valueName: "relation"))
    var relation: String?

    func run() throws {
        let graph = try dataset.loadGraph()
        guard let node = graph.node(NodeID(id)) else {
            throw usageError("no node has the id '\(id)'\(graph.idHint(for: id))")
        }
        Console.out(NodeReport(graph: graph, node: node, relation: relation.map { RelationKind($0) }).text)
    }
}

/// The text of `linkage show`.
struct NodeReport {
    let graph: LinkageGraph
    let node: Node
    let relation: RelationKind?

    var text: String {
        var lines: [String] = []
        let kindLabel = graph.vocabulary.spec(node.kind)?.label.en ?? node.kind.rawValue
        lines.append("\(node.id)  [\(node.kind) – \(kindLabel)]  dataset \(node.dataset)")
        lines.append("  zh: \(node.label.zh)")
        lines.append("  en: \(node.label.en)")
        if let description = node.description {
            lines.append("  description (zh): \(description.zh)")
            lines.append("  description (en): \(description.en)")
        }
        if !node.aliases.isEmpty { lines.append("  aliases: \(node.aliases.joined(separator: ", "))") }
        for (key, value) in node.attributes { lines.append("  \(key): \(value)") }
        lines.append("  source: \(node.citation.locatedReference)" + (node.citation.quote.map { " «\($0)»" } ?? ""))
        let outgoing = graph.outgoing(node.id).filter { relation == nil || $0.relation == relation }
        let incoming = graph.incoming(node.id).filter { relation == nil || $0.relation == relation }
        lines.append("")
        lines.append("outgoing links (\(outgoing.count)):")
        for edge in outgoing { lines.append(contentsOf: describe(edge, other: edge.target, arrow: "->")) }
        lines.append("")
        lines.append("incoming links (\(incoming.count)):")
        for edge in incoming { lines.append(contentsOf: describe(edge, other: edge.source, arrow: "<-")) }
        let notes = graph.qualityNotes.filter { $0.ids.contains(node.id) }
        if !notes.isEmpty {
            lines.append("")
            lines.append("data-quality notes (\(notes.count)):")
            for note in notes {
                lines.append("  \(note.citation.locatedReference)" + (note.citation.quote.map { " «\($0)»" } ?? "") + ": \(note.finding)")
                if let reading = note.reading { lines.append("    read as: \(reading)") }
            }
        }
        return lines.joined(separator: "\n")
    }

    private func describe(_ edge: Edge, other: NodeID, arrow: String) -> [String] {
        let label = graph.node(other)?.label.en ?? ""
        var lines = ["  \(arrow) \(edge.relation) \(arrow == "->" ? "" : "from ")\(other)  \(label)"]
        switch edge.provenance {
        case .declared(let citation):
            lines.append("       declared: \(citation.locatedReference)" + (citation.quote.map { " «\($0)»" } ?? ""))
        case .derived(let derivation):
            lines.append("       DERIVED by rule \(derivation.rule): \(derivation.justification)")
            for path in derivation.paths {
                lines.append("       via: \(ProvenanceText.chain(path, from: edge.source))")
                // A step that is itself derived says by which rule.
                for step in path {
                    if let link = graph.edge(step), case .derived(let inner) = link.provenance {
                        lines.append("            step \(step) is derived by rule \(inner.rule): \(inner.justification)")
                    }
                }
            }
            if let basis = derivation.citation { lines.append("       basis: \(basis.locatedReference)" + (basis.quote.map { " «\($0)»" } ?? "")) }
        }
        if let written = edge.asWritten { lines.append("       written in the source as: \(written)") }
        if let note = edge.note { lines.append("       note: \(note)") }
        return lines
    }
}
