import Dispatch
import Foundation
import OrderedCollections
import Synchronization

/// What loading the datasets produced: the graph (built from everything that could be read)
/// and every diagnostic, in the order found.
public struct LoadResult: Sendable {
    public let graph: LinkageGraph
    public let diagnostics: [Diagnostic]
    /// How many labels and stored figures the self-checks looked at.
    public var selfChecks = SelfCheckCounts()

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

public struct LoadOptions: Sendable {
    /// The folder holding the seed documents. When set, every `quote` in a citation of a seed
    /// is checked to occur verbatim in that document.
    public var sourcesDirectory: URL?
    /// Dataset folders to leave out (an import checks a sheet against every dataset but the one
    /// it is about to replace).
    public var excludedDatasets: Set<String>

    public init(sourcesDirectory: URL? = nil, excludedDatasets: Set<String> = []) {
        self.sourcesDirectory = sourcesDirectory
        self.excludedDatasets = excludedDatasets
    }
}

/// Loads every dataset under a datasets folder into one graph and validates it.
///
/// Layout: `vocabulary.yaml` (shared kinds and relations) and one folder per dataset holding a
/// `manifest.yaml` and the data files it lists. See docs/dataset-format.md.
public enum DatasetLoader {
    public static let vocabularyFile = "vocabulary.yaml"
    public static let manifestFile = "manifest.yaml"
    /// Folders under the datasets root that are not datasets.
    public static let nonDatasetFolders: Set<String> = ["schema"]

    public static func load(from root: URL, options: LoadOptions = LoadOptions()) -> LoadResult {
        var loader = Assembly(root: root.standardizedFileURL, options: options)
        let result = loader.run()
        // Its tables (every node by id, every link, where each was written) are done with.
        ReleaseLater.inBackground(consume loader)
        return result
    }
}

/// Values computed in parallel (`DispatchQueue.concurrentPerform`, on another thread), taken in
/// order, each as soon as it is ready.
private final class ResultsInOrder<Value: Sendable>: Sendable {
    private let values: Mutex<[Value?]>
    private let ready: [DispatchSemaphore]

    init(count: Int, compute: @escaping @Sendable (Int) -> Value) {
        values = Mutex(Array(repeating: nil, count: count))
        ready = (0..<count).map { _ in DispatchSemaphore(value: 0) }
        DispatchQueue.global().async { [self] in
            DispatchQueue.concurrentPerform(iterations: count) { index in
                let value = compute(index)
                values.withLock { $0[index] = value }
                ready[index].signal()
            }
        }
    }

    /// The value at `index`, once it is ready; taken out, so that the caller holds the only reference.
    func take(_ index: Int) -> Value {
        ready[index].wait()
        return values.withLock { all in
            defer { all[index] = nil }
            return all[index]!
        }
    }
}

/// A value handed to one other thread, or to one iteration of a parallel loop, and touched by
/// that thread only until the hand-back (`ResultsInOrder.take`, the end of `concurrentPerform`),
/// or for good (`ReleaseLater`): the discipline, not the type, keeps it free of races, hence the
/// unchecked conformance. The loader's copies of its assembly share the node table and
/// vocabulary read-only; each has a log of its own.
private final class Unshared<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// Lets go of large values on another thread. Freeing the records and tables of a large load,
/// object by object, took a few percent of `validate` (issue 9) on one core while the other
/// was idle; nothing waits for it. The caller hands over its only reference (`consume`), so the
/// last release, and the freeing, happens there.
enum ReleaseLater {
    static func inBackground<Value>(_ value: sending Value) {
        // Handed to the other thread whole and touched only there.
        let box = Unshared<Value?>(value)
        DispatchQueue.global(qos: .utility).async { box.value = nil }
    }
}

/// One loading run. Phases: vocabulary and manifests, then nodes, then links, quirks, rules.
private struct Assembly {
    let root: URL
    let options: LoadOptions
    /// Where diagnostics go (another one for a while: `diagnostics(of:)`).
    var log = DiagnosticLog()
    /// "Did you mean" hints compare an unknown id with every id; a hostile file with 10⁵ unknown
    /// references would take hours, so only the first ones get a hint.
    var hintBudget = HintBudget()
    var vocabulary = Vocabulary()
    var manifests: [Manifest] = []
    var compiledPatterns: [NodeKind: IDPattern] = [:]
    var nodes: [NodeID: Node] = [:]
    var nodeOrder: [NodeID] = []
    var edges: [Edge] = []
    var qualityNotes: [DataQualityNote] = []
    /// The graph of the stated and curated links the composition rules ran on, and where their
    /// links begin in `edges`: the final graph is this one with those links added, not a second
    /// graph built from scratch.
    var ruleBase: (graph: LinkageGraph, firstDerived: Int)?
    /// Where each node's `label.zh` and attribute values are written, for the self-checks.
    var labelZhLocations: [NodeID: SourceLocation] = [:]
    var attributeLocations: [NodeID: [String: SourceLocation]] = [:]
    var selfChecks = SelfCheckCounts()

    init(root: URL, options: LoadOptions) {
        self.root = root
        self.options = options
    }

    mutating func run() -> LoadResult {
        readVocabularyFile()
        readManifests()
        registerVocabulary()
        // Reading and parsing the listed files is most of loading a large plan, and each file is
        // read on its own: files are parsed in parallel. This thread adds each file's nodes as
        // soon as it and the files before it are parsed (filling a core the parsing leaves idle
        // at its end), into a log of their own: every file's reading diagnostics come first, in
        // manifest order, then the nodes', as if the files were read one after the other.
        let listed = manifests.map { manifest in manifest.files.map { (name: $0.0, location: $0.1, directory: manifest.directory) } }
        let jobs = listed.flatMap { $0 }
        let parsing = ResultsInOrder(count: jobs.count) { index in
            Self.parse(jobs[index].name, listedAt: jobs[index].location, inside: jobs[index].directory)
        }
        let manifestOfJob = zip(manifests, listed).flatMap { manifest, files in files.map { _ in manifest } }
        var results: [ParsedFile] = []
        var files: [(Manifest, String, DataFileContents)] = []
        let nodeDiagnostics = diagnostics { assembly in
            for index in jobs.indices {
                let file = parsing.take(index)
                results.append(file)
                if let contents = file.contents {
                    files.append((manifestOfJob[index], file.path, contents))
                    assembly.addNodes(contents, of: manifestOfJob[index], file: file.path)
                }
            }
        }
        var next = 0
        for (manifest, manifestFiles) in zip(manifests, listed) {
            var readAny = false, definesAnything = false
            for _ in manifestFiles {
                let file = results[next]
                next += 1
                log.append(file.diagnostics)
                readAny = readAny || file.read
                definesAnything = definesAnything || file.definesAnything
            }
            if readAny, !definesAnything {
                log.error("dataset '\(manifest.name)' defines nothing: its files hold no nodes, links or quirks",
                          at: manifest.location, code: "empty-dataset")
            }
        }
        log.append(nodeDiagnostics)
        checkPlans()
        addLinksAndQuirks(of: files)
        // The records are read: not kept while the graph is built (its peak memory).
        ReleaseLater.inBackground((consume results, consume files))
        // The part-of cycle check reads the links as they are now; it runs on another core while
        // the rules build their graph, into a log of its own that comes first, as when it ran first.
        let cycles = ResultsInOrder(count: 1) { [edges, nodeOrder] _ in Self.partOfCycles(edges: edges, starts: nodeOrder) }
        let ruleDiagnostics = diagnostics { $0.applyRules() }
        log.append(cycles.take(0))
        log.append(ruleDiagnostics)
        // The last checks only read nodes and links and write messages and counts: they run on
        // a copy of this assembly, on another core, while this thread builds the final graph.
        // Nothing is reported after them, so their messages keep their place.
        var checker = self
        checker.log = DiagnosticLog()
        checker.ruleBase = nil
        let checks = ResultsInOrder(count: 1) { [checker = Unshared(checker)] _ in
            var checker = checker.value
            checker.verifyQuotes()
            checker.checkLabels()
            checker.checkPrintedFigures()
            checker.selfChecks.figuresRecomputed = DerivedFigures.check(
                DerivedFigures.Context(nodes: checker.nodes, order: checker.nodeOrder, edges: checker.edges),
                attributeLocations: checker.attributeLocations, log: checker.log)
            return (checker.log.all, checker.selfChecks)
        }
        let datasets = manifests.map { m in
            DatasetInfo(name: m.name, title: m.title, sources: m.sources, requires: m.requires.map(\.0),
                        files: m.files.map(\.0), notes: m.notes, directory: m.directory, generatedBy: m.generatedBy)
        }
        let graph: LinkageGraph
        if let (base, firstDerived) = ruleBase {
            let derived = Array(edges[firstDerived...])
            edges = []  // the base graph holds the others; not kept twice while the graph is extended
            ruleBase = nil
            graph = LinkageGraph(adding: derived, to: base, vocabulary: vocabulary, datasets: datasets,
                                 qualityNotes: qualityNotes)
        } else {
            graph = LinkageGraph(nodes: nodeOrder.compactMap { nodes[$0] }, edges: edges, vocabulary: vocabulary,
                                 datasets: datasets, qualityNotes: qualityNotes)
        }
        let (checkDiagnostics, checkCounts) = checks.take(0)
        log.append(checkDiagnostics)
        selfChecks = checkCounts
        var result = LoadResult(graph: graph, diagnostics: log.all)
        result.selfChecks = selfChecks
        return result
    }

    /// What `body` reports, kept apart from the log (the caller puts it where it belongs in
    /// the order of messages, as when the files were read one after the other).
    mutating func diagnostics(of body: (inout Assembly) -> Void) -> [Diagnostic] {
        let kept = log
        log = DiagnosticLog()
        body(&self)
        let reported = log.all
        log = kept
        return reported
    }

    // MARK: Files

    /// What reading one listed file gave: its records, whether it was read and defines anything,
    /// and what was found on the way (diagnostics of its own, merged in order by `run`).
    struct ParsedFile: Sendable {
        var path = ""
        var read = false
        var definesAnything = false
        var contents: DataFileContents?
        var diagnostics: [Diagnostic] = []
    }

    /// Resolves, reads, composes and reads into records one file a manifest lists; touches
    /// nothing of the assembly (it runs beside the other files).
    static func parse(_ fileName: String, listedAt location: SourceLocation, inside directory: String) -> ParsedFile {
        let log = DiagnosticLog()
        var file = ParsedFile()
        read(&file)
        file.diagnostics = log.all
        return file

        func read(_ file: inout ParsedFile) {
            switch InputFiles.resolve(fileName, inside: directory) {
            case .success(let resolved): file.path = resolved
            case .failure(let refusal):
                log.error(refusal.description, at: location, code: "outside-dataset")
                return
            }
            guard let text = readText(file.path, missingAt: location, log: log) else { return }
            file.read = true
            // Well-formed files straight from the parser's events; the rest through the tree,
            // which reports what is wrong (`DataFileEventReader`).
            if let contents = DataFileEventReader.read(text, file: file.path) {
                file.definesAnything = !contents.nodes.isEmpty || !contents.links.isEmpty || !contents.quirks.isEmpty
                file.contents = contents
                return
            }
            switch YAMLReader.compose(text, file: file.path, log: log) {
            case .failed:
                file.definesAnything = true  // reported; "defines nothing" would only repeat it
            case .empty:
                log.warning("'\(fileName)' is empty (no nodes, links or quirks)", at: SourceLocation(file: file.path, line: 1, column: 1),
                            code: "empty-file")
            case .node(let tree):
                let errorsBefore = log.errorCount
                let contents = DataFileReader.read(tree, file: file.path, log: log)
                file.definesAnything = !contents.nodes.isEmpty || !contents.links.isEmpty || !contents.quirks.isEmpty
                    || log.errorCount > errorsBefore
                file.contents = contents
            }
        }
    }

    func readText(_ path: String, missingAt location: SourceLocation?) -> String? {
        Self.readText(path, missingAt: location, log: log)
    }

    /// The text of a YAML file, read under the path and size policy (`InputFiles`). A file that
    /// cannot be read is reported where it is named (`location`), or at its own start.
    static func readText(_ path: String, missingAt location: SourceLocation?, log: DiagnosticLog) -> String? {
        let data: Data
        switch InputFiles.read(path) {
        case .success(let bytes): data = bytes
        case .failure(let refusal):
            log.error(refusal.description, at: location ?? SourceLocation(file: path, line: 1, column: 1), code: "manifest")
            return nil
        }
        switch InputFiles.decode(data) {
        case .success(let text): return text
        case .failure(let place):
            log.error("'\(SourceLocation.displayPath(path))' is not UTF-8 text: the first invalid byte is here",
                      at: SourceLocation(file: path, line: place.line, column: place.column), code: "yaml-syntax")
            return nil
        }
    }

    mutating func readVocabularyFile() {
        let path = root.path + "/" + DatasetLoader.vocabularyFile
        guard FileManager.default.fileExists(atPath: path) else {
            log.error("no \(DatasetLoader.vocabularyFile) in \(SourceLocation.displayPath(root.path)) (is this a datasets folder?)",
                      at: nil, code: "manifest")
            return
        }
        guard let text = readText(path, missingAt: nil) else { return }
        let tree: YAMLNode
        switch YAMLReader.compose(text, file: path, log: log) {
        case .failed: return
        case .empty:
            log.error("\(DatasetLoader.vocabularyFile) is empty: it declares the shared kinds and relations",
                      at: SourceLocation(file: path, line: 1, column: 1), code: "manifest")
            return
        case .node(let node): tree = node
        }
        let reader = YAMLReader(file: path, log: log)
        guard let f = reader.mapping(tree, "the vocabulary", optional: ["kinds", "relations"]) else { return }
        let vocabularyReader = VocabularyReader(reader: reader, declaredBy: "vocabulary")
        for kind in vocabularyReader.kinds(f["kinds"]) { declare(kind) }
        for relation in vocabularyReader.relations(f["relations"]) { declare(relation) }
    }

    mutating func readManifests() {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        for name in entries.sorted() where !name.hasPrefix(".") && !DatasetLoader.nonDatasetFolders.contains(name)
            && !options.excludedDatasets.contains(name) {
            let directory = root.path + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let path = directory + "/" + DatasetLoader.manifestFile
            guard FileManager.default.fileExists(atPath: path) else {
                log.warning("folder '\(name)' has no \(DatasetLoader.manifestFile) and is not loaded",
                            at: SourceLocation(file: directory, line: 1, column: 1), code: "manifest")
                continue
            }
            guard let text = readText(path, missingAt: nil) else { continue }
            let tree: YAMLNode
            switch YAMLReader.compose(text, file: path, log: log) {
            case .failed: continue
            case .empty:
                log.error("\(DatasetLoader.manifestFile) is empty: it must name the dataset, its title, sources and files; dataset folder '\(name)' is not loaded",
                          at: SourceLocation(file: path, line: 1, column: 1), code: "manifest")
                continue
            case .node(let node): tree = node
            }
            guard let manifest = ManifestReader.read(tree, directory: directory, file: path, log: log) else { continue }
            reportUnlistedFiles(of: manifest)
            if manifest.name != name {
                log.error("manifest names the dataset '\(manifest.name)' but its folder is '\(name)'",
                          at: manifest.location, code: "manifest")
            }
            manifests.append(manifest)
        }
        let names = Set(manifests.map(\.name))
        for manifest in manifests {
            for (required, location) in manifest.requires where !names.contains(required) {
                log.error("requires dataset '\(required)', which does not exist\(Suggestion.hint(for: required, in: names.sorted()))",
                          at: location, code: "manifest")
            }
        }
        // `requires` says which datasets one builds on; a cycle means neither is the base.
        var requirements: [String: [(String, SourceLocation)]] = [:]
        for manifest in manifests { requirements[manifest.name] = manifest.requires.filter { names.contains($0.0) } }
        for cycle in Cycles.find(starts: manifests.map(\.name), successors: requirements) {
            log.error("datasets require each other in a cycle: \(cycle.path.joined(separator: " → ")) (requires names the datasets one builds on)",
                      at: cycle.place, code: "requires-cycle")
        }
    }

    /// YAML files in a dataset folder that its manifest does not list are not loaded; a warning
    /// (not an error) says so, because a curator's draft or backup file beside the data is
    /// normal, while silently ignoring it is not.
    func reportUnlistedFiles(of manifest: Manifest) {
        // By resolved path (a listed symbolic link loads the file it points to) and by name (a
        // listed file that cannot be resolved, such as a symbolic-link loop, has its own error).
        let listed = Set(manifest.files.compactMap { InputFiles.realPath(manifest.directory + "/" + $0.0) })
        let listedNames = Set(manifest.files.map(\.0))
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: manifest.directory)) ?? []
        for name in entries.sorted() where (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
            && name != DatasetLoader.manifestFile && !name.hasPrefix(".")
            && !listedNames.contains(name)
            && !listed.contains(InputFiles.realPath(manifest.directory + "/" + name) ?? name) {
            log.warning("'\(name)' is in the folder of dataset \(manifest.name) but not listed under files in its manifest, so it is not loaded",
                        at: SourceLocation(file: manifest.directory + "/" + name, line: 1, column: 1), code: "unlisted-file")
        }
    }

    // MARK: Vocabulary

    mutating func declare(_ kind: NodeKindSpec) {
        if let earlier = vocabulary.add(kind) {
            log.error("kind '\(kind.kind)' is declared twice (first by \(earlier.declaredBy))", at: kind.location,
                      code: "duplicate-declaration")
            if let first = earlier.location { log.note("first declared here", at: first, code: "duplicate-declaration") }
        } else if let pattern = try? IDPattern(kind.idPattern) {
            compiledPatterns[kind.kind] = pattern
        }
    }

    mutating func declare(_ relation: RelationSpec) {
        if let earlier = vocabulary.add(relation) {
            log.error("relation '\(relation.relation)' is declared twice (first by \(earlier.declaredBy))",
                      at: relation.location, code: "duplicate-declaration")
        }
    }

    mutating func registerVocabulary() {
        for manifest in manifests {
            for kind in manifest.kinds { declare(kind) }
            for relation in manifest.relations { declare(relation) }
        }
        // Relation ends may name kinds declared anywhere; check them now that all are known.
        for spec in vocabulary.sortedRelations {
            for case .kind(let kind) in spec.from + spec.to where vocabulary.spec(kind) == nil {
                log.error("relation '\(spec.relation)' names unknown kind '\(kind)'\(kindHint(kind.rawValue))",
                          at: spec.location, code: "unknown-kind")
            }
        }
    }

    func kindHint(_ kind: String) -> String { Suggestion.hint(for: kind, in: vocabulary.kinds.keys.map(\.rawValue)) }
    func relationHint(_ relation: String) -> String {
        Suggestion.hint(for: relation, in: vocabulary.relations.keys.map(\.rawValue))
    }

    mutating func checkPlans() {
        for manifest in manifests {
            for (plan, kindRefs) in manifest.plans {
                var valid = true
                for (kind, location) in kindRefs where vocabulary.spec(NodeKind(kind)) == nil {
                    log.error("plan '\(plan.id)' names unknown kind '\(kind)'\(kindHint(kind))", at: location, code: "unknown-kind")
                    valid = false
                }
                if vocabulary.plan(plan.id) != nil {
                    log.error("plan '\(plan.id)' is declared twice", at: manifest.location, code: "duplicate-declaration")
                    valid = false
                }
                if valid { vocabulary.add(plan) }
            }
        }
    }

    // MARK: Citations

    /// Resolves a written citation against the dataset's sources. `fallbackDocument` is the
    /// file's default; `inherit` supplies what a link inherits from its node.
    func citation(_ raw: RawCite?, manifest: Manifest, fileDefault: (String, SourceLocation)?, inherit: Citation? = nil,
                  missingAt location: SourceLocation, what: @autoclosure () -> String,
                  ids: @autoclosure () -> [NodeID]) -> Citation? {
        // `what` and `ids` are for the messages: composed only when there is one (issue 9).
        guard let raw else {
            if let inherit { return inherit }
            log.error("\(what()) has no citation (add cite: {doc: ..., at: ...})", at: location, code: "missing-citation", ids: ids())
            return nil
        }
        let docID = raw.doc ?? fileDefault?.0 ?? inherit?.document.id
        guard let docID else {
            log.error("\(what()) cites no document (add doc, or defaults: {doc: ...} to the file)", at: raw.location,
                      code: "missing-citation", ids: ids())
            return nil
        }
        guard let document = manifest.sources.first(where: { $0.id == docID }) else {
            log.error("\(what()) cites document '\(docID)', which the manifest of \(manifest.name) does not list\(Suggestion.hint(for: docID, in: manifest.sources.map(\.id)))",
                      at: raw.docLocation ?? fileDefault?.1 ?? raw.location, code: "unknown-document", ids: ids())
            return nil
        }
        guard let section = raw.at ?? (raw.doc == nil ? inherit?.section : nil) else {
            log.error("\(what()) does not say where in \(document.locatedReference()) (add at: section)", at: raw.location,
                      code: "missing-citation", ids: ids())
            return nil
        }
        return Citation(document: document, section: section, quote: raw.quote)
    }

    // MARK: Nodes

    mutating func addNodes(_ contents: DataFileContents, of manifest: Manifest, file: String) {
        for raw in contents.nodes {
            let id = NodeID(raw.id)
            if let existing = nodes[id] {
                log.error("duplicate id '\(raw.id)' (already defined in \(existing.dataset))", at: raw.idLocation,
                          code: "duplicate-id", ids: [id])
                if let first = existing.location { log.note("'\(raw.id)' is first defined here", at: first, code: "duplicate-id", ids: [id]) }
                continue
            }
            var ok = true
            var kind = NodeKind("")
            if let (kindName, kindLocation) = raw.kind {
                kind = NodeKind(kindName)
                if vocabulary.spec(kind) == nil {
                    log.error("unknown kind '\(kindName)' for '\(raw.id)'\(kindHint(kindName))", at: kindLocation,
                              code: "unknown-kind", ids: [id])
                    ok = false
                } else if !checkID(raw.id, kind: kind, at: raw.idLocation) {
                    ok = false
                }
            } else {
                log.error("node '\(raw.id)' has no kind", at: raw.location, code: "schema", ids: [id])
                ok = false
            }
            if raw.label == nil && !raw.labelWritten {
                log.error("node '\(raw.id)' has no label (label: {zh: ..., en: ...})", at: raw.location,
                          code: "missing-label", ids: [id])
                ok = false
            }
            let cite = citation(raw.cite, manifest: manifest, fileDefault: contents.defaultDocument,
                                missingAt: raw.location, what: "node '\(raw.id)'", ids: [id])
            guard ok, !raw.labelWritten || raw.label != nil, let label = raw.label, let cite else { continue }
            nodes[id] = Node(id: id, kind: kind, label: label, description: raw.description, aliases: raw.aliases,
                             attributes: raw.attributes, citation: cite, dataset: manifest.name, location: raw.idLocation)
            nodeOrder.append(id)
            labelZhLocations[id] = raw.labelZhLocation
            attributeLocations[id] = raw.attributeLocations
        }
    }

    /// Checks an id against its kind's pattern, and SDG codes against the UN's numbering.
    func checkID(_ id: String, kind: NodeKind, at location: SourceLocation) -> Bool {
        if id.hasPrefix("SDG-"), [NodeKind.sdgGoal, .sdgTarget, .sdgIndicator].contains(kind),
           case .failure(let error) = SDGCode.parse(id) {
            log.error(error.description, at: location, code: "malformed-sdg-code", ids: [NodeID(id)])
            return false
        }
        if let bad = id.unicodeScalars.first(where: IDCharacters.isRefused) {
            log.error("id '\(InertText.visible(id, escapingLineBreaks: true))' holds \(IDCharacters.describe(bad)); ids are codes without spaces, control or invisible characters",
                      at: location, code: "malformed-id", ids: [NodeID(id)])
            return false
        }
        if let pattern = compiledPatterns[kind] {
            var written: String { vocabulary.spec(kind)?.idPattern ?? "" }  // for the messages only
            switch pattern.match(id) {
            case .matches: break
            case .doesNotMatch:
                log.error("malformed id '\(id)' for kind \(kind): ids of this kind match \(written)", at: location,
                          code: "malformed-id", ids: [NodeID(id)])
                return false
            case .tooComplex:
                log.error("id '\(id)' cannot be checked against the id_pattern of kind \(kind) within \(InputLimits.patternMatchLimit) steps: the pattern \(written) backtracks too much (nested quantifiers such as (A+)+?)",
                          at: location, code: "pattern-too-complex", ids: [NodeID(id)])
                return false
            }
        }
        return true
    }

    /// Reports a reference to an id no dataset defines, as precisely as possible.
    func reportUnknownReference(_ id: String, at location: SourceLocation, context: @autoclosure () -> String) {
        let context = context()
        if id.hasPrefix("SDG-"), id != "SDG-ALL" {
            switch SDGCode.parse(id) {
            case .failure(let error):
                log.error("\(error.description) (\(context))", at: location, code: "malformed-sdg-code", ids: [NodeID(id)])
            case .success(let code):
                var message = "unknown SDG code '\(id)' (\(context))"
                if code.target != nil, nodes[code.goalID] != nil, hintBudget.take() {
                    let existing = nodes.keys.filter { $0.rawValue.hasPrefix(code.goalID.rawValue + ".") }
                        .filter { code.indicator == nil ? $0.rawValue.split(separator: ".").count == 2 : true }
                        .sorted().map(\.rawValue)
                    let shown = existing.prefix(24).map { $0.replacingOccurrences(of: "SDG-", with: "") }
                    if code.indicator == nil {
                        message = "malformed SDG code '\(id)': goal \(code.goal) has no target \(code.goal).\(code.target!) (its targets: \(shown.joined(separator: ", "))) (\(context))"
                    } else {
                        message = "unknown SDG indicator '\(id)' (\(context))"
                    }
                }
                log.error(message, at: location, code: code.indicator == nil ? "malformed-sdg-code" : "unknown-id", ids: [NodeID(id)])
            }
            return
        }
        let hint = hintBudget.take() ? Suggestion.closestID(to: id, in: nodes.keys.map(\.rawValue)).map { " (did you mean '\($0)'?)" } ?? "" : ""
        log.error("unknown id '\(id)' (\(context)): no dataset defines it\(hint)",
                  at: location, code: "unknown-id", ids: [NodeID(id)])
    }

    // MARK: Links

    mutating func addLinks(_ contents: DataFileContents, of manifest: Manifest, file: String) {
        let reachableDatasets = Set([manifest.name] + manifest.requires.map(\.0))
        let idsInFile = Set(contents.nodes.map(\.id))
        // A file's groups use a few relations from a few kinds, and its targets lie in a few
        // datasets: each verdict is looked up once and kept (at 10⁶ links the lookups for every
        // group and target were a good part of resolving: issue 9).
        var specs: [(RelationKind, RelationSpec)] = []
        var sourceVerdicts: [(RelationKind, NodeKind, Bool)] = []
        var lastReachable: (dataset: String, reachable: Bool)?
        for group in contents.links {
            let sourceID = NodeID(group.from.0)
            let relation = RelationKind(group.relation.0)
            func context() -> String { "\(group.relation.0) link of \(group.from.0)" }
            var groupOK = true
            let sourceNode = nodes[sourceID]
            if sourceNode == nil {
                // A link under a node entry whose node failed is already reported there.
                if !idsInFile.contains(group.from.0) {
                    reportUnknownReference(group.from.0, at: group.from.1, context: "source of a \(group.relation.0) link")
                }
                groupOK = false
            }
            guard let spec = specs.first(where: { $0.0 == relation })?.1 ?? vocabulary.spec(relation) else {
                log.error("unknown relation '\(group.relation.0)'\(relationHint(group.relation.0))", at: group.relation.1,
                          code: "unknown-relation", ids: [sourceID])
                continue
            }
            if !specs.contains(where: { $0.0 == relation }) { specs.append((relation, spec)) }
            if group.derivedWithoutRule != nil { continue }  // reported while reading
            func sourceAllowed(_ kind: NodeKind) -> Bool {
                if let known = sourceVerdicts.first(where: { $0.0 == relation && $0.1 == kind }) { return known.2 }
                let allowed = spec.from.contains { $0.matches(kind, role: vocabulary.role(of: kind)) }
                sourceVerdicts.append((relation, kind, allowed))
                return allowed
            }
            let provenance: Provenance
            if let derived = group.derived {
                let basis = group.cite.flatMap {
                    citation($0, manifest: manifest, fileDefault: contents.defaultDocument, missingAt: group.location,
                             what: context(), ids: [sourceID])
                }
                provenance = .derived(Derivation(rule: derived.rule, justification: derived.justification, citation: basis))
            } else {
                guard let cite = citation(group.cite, manifest: manifest, fileDefault: contents.defaultDocument,
                                          inherit: sourceNode?.citation, missingAt: group.location,
                                          what: context(), ids: [sourceID]) else { continue }
                provenance = .declared(cite)
            }
            if let source = sourceNode, !sourceAllowed(source.kind) {
                log.error("'\(group.relation.0)' cannot start at \(source.kind) '\(sourceID)' (allowed: \(spec.from.map(\.description).joined(separator: ", ")))",
                          at: group.relation.1, code: "relation-kinds", ids: [sourceID])
                groupOK = false
            }
            // A target listed twice is found among the few before it; only a long list gets
            // tables (two per list, for lists of one to five, were a tenth of loading: issue 9).
            let groupStart = edges.count
            let longList = group.targets.count > 32
            var seenInList: [String: Int] = [:]
            var edgeIndexInList: [String: Int] = [:]
            var checkedKind: NodeKind?, checkedKindAllowed = false
            for (position, target) in group.targets.enumerated() {
                let targetID = NodeID(target.id)
                let first: Int?
                if longList {
                    first = seenInList[target.id]
                    if first == nil { seenInList[target.id] = position }
                } else {
                    first = group.targets[..<position].firstIndex { $0.id == target.id }
                }
                if let first {
                    log.warning("'\(target.id)' is listed twice in this \(group.relation.0) list of \(group.from.0) (first at line \(group.targets[first].location.line)); the link is kept once",
                                at: target.location, code: "duplicate-in-list", ids: [sourceID, targetID])
                    // This list's links are the end of `edges`, one per target.
                    let index = longList ? edgeIndexInList[target.id] : edges[groupStart...].firstIndex { $0.target == targetID }
                    if let index { edges[index].occurrences += 1 }
                    continue
                }
                guard let targetNode = nodes[targetID] else {
                    reportUnknownReference(target.id, at: target.location, context: context())
                    continue
                }
                // A list's targets are nearly always of one kind: its verdict is kept for the next.
                if targetNode.kind != checkedKind {
                    checkedKind = targetNode.kind
                    checkedKindAllowed = spec.to.contains { $0.matches(targetNode.kind, role: vocabulary.role(of: targetNode.kind)) }
                }
                if !checkedKindAllowed {
                    log.error("'\(group.relation.0)' cannot end at \(targetNode.kind) '\(targetID)' (allowed: \(spec.to.map(\.description).joined(separator: ", ")))",
                              at: target.location, code: "relation-kinds", ids: [sourceID, targetID])
                    continue
                }
                if lastReachable?.dataset != targetNode.dataset {
                    lastReachable = (targetNode.dataset, reachableDatasets.contains(targetNode.dataset))
                }
                if lastReachable?.reachable == false {
                    log.warning("'\(target.id)' belongs to dataset \(targetNode.dataset), which the manifest of \(manifest.name) does not list under requires",
                                at: target.location, code: "manifest", ids: [targetID])
                }
                if let written = target.asWritten, written != target.id {
                    let place: String
                    if case .declared(let c) = provenance { place = c.locatedReference } else { place = "the source" }
                    log.warning("data-quality: \(place) writes '\(written)' for \(target.id)\(target.note.map { "; \($0)" } ?? "")",
                                at: target.location, code: "as-written", ids: [sourceID, targetID])
                }
                guard groupOK else { continue }
                if longList { edgeIndexInList[target.id] = edges.count }
                edges.append(Edge(source: sourceID, relation: relation, target: targetID, provenance: provenance,
                                  dataset: manifest.name, location: target.location, asWritten: target.asWritten,
                                  note: target.note ?? group.note))
            }
        }
    }

    /// Every file's links, then its quirks, file after file. The links of each file are
    /// resolved on their own, in parallel (at 10⁵ links this was a seventh of `validate`, on one
    /// core while the other was idle: issue 9), and appended in file order with their messages,
    /// so edges and messages come out as when the files were taken one after the other.
    mutating func addLinksAndQuirks(of files: [(Manifest, String, DataFileContents)]) {
        let resolved = files.count > 1 ? linksResolvedInParallel(files) : nil
        for (index, (manifest, path, contents)) in files.enumerated() {
            if let resolved {
                log.append(resolved[index].log.all)
                edges += resolved[index].edges
            } else {
                addLinks(contents, of: manifest, file: path)
            }
            addQuirks(contents, of: manifest, file: path)
        }
    }

    /// Each file's links and messages, resolved by a copy of this assembly with a log and links
    /// of its own; only the node table and the vocabulary are shared, and nothing writes them
    /// meanwhile. Nil when a file asked for a "did you mean" hint: hints go to the first unknown
    /// references in file order, under one budget, so then the files are taken one after the
    /// other (the copies have no budget: asking is the signal).
    private func linksResolvedInParallel(_ files: [(Manifest, String, DataFileContents)]) -> [Assembly]? {
        let workers = files.map { _ in
            var copy = self
            copy.log = DiagnosticLog()
            copy.edges = []
            copy.hintBudget = HintBudget(remaining: 0)
            return Unshared(copy)
        }
        // Each iteration touches its own worker only.
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let (manifest, path, contents) = files[index]
            workers[index].value.addLinks(contents, of: manifest, file: path)
        }
        guard workers.allSatisfy({ $0.value.hintBudget.refused == 0 }) else { return nil }
        return workers.map(\.value)
    }

    mutating func addQuirks(_ contents: DataFileContents, of manifest: Manifest, file: String) {
        for quirk in contents.quirks {
            var ids: [NodeID] = []
            for (id, location) in quirk.ids {
                if nodes[NodeID(id)] == nil { reportUnknownReference(id, at: location, context: "quirk") } else { ids.append(NodeID(id)) }
            }
            guard let cite = citation(quirk.cite, manifest: manifest, fileDefault: contents.defaultDocument,
                                      missingAt: quirk.location, what: "a quirk", ids: ids) else { continue }
            qualityNotes.append(DataQualityNote(citation: cite, finding: quirk.finding, reading: quirk.reading, ids: ids,
                                                dataset: manifest.name, location: quirk.location))
            let quoted = cite.quote.map { " «\($0)»" } ?? ""
            log.warning("data-quality: \(cite.locatedReference)\(quoted): \(quirk.finding)\(quirk.reading.map { " Read as: \($0)" } ?? "")",
                        at: quirk.location, code: "data-quality", ids: ids)
        }
    }

    /// The errors for `part-of` cycles among `edges`. A part cannot contain itself: a cycle
    /// would make every walk up the structure (breadcrumbs, plan groups, diagrams' clusters)
    /// ambiguous.
    static func partOfCycles(edges: [Edge], starts: [NodeID]) -> [Diagnostic] {
        let log = DiagnosticLog()
        var parents: [NodeID: [(NodeID, SourceLocation?)]] = [:]
        for edge in edges where edge.relation == .partOf { parents[edge.source, default: []].append((edge.target, edge.location)) }
        for cycle in Cycles.find(starts: starts, successors: parents) {
            log.error("part-of cycle: \(cycle.path.map(\.rawValue).joined(separator: " → ")) (a part cannot contain itself)",
                      at: cycle.place, code: "part-of-cycle", ids: Array(Set(cycle.path)).sorted())
        }
        return log.all
    }

    // MARK: Rules

    mutating func applyRules() {
        var rules: [CompositionRule] = []
        for manifest in manifests {
            for raw in manifest.rules {
                var ok = true
                var path: [PathStep] = []
                for step in raw.path {
                    if vocabulary.spec(RelationKind(step.relation)) == nil {
                        log.error("rule '\(raw.id)' follows unknown relation '\(step.relation)'\(relationHint(step.relation))",
                                  at: step.location, code: "unknown-relation")
                        ok = false
                    }
                    path.append(PathStep(RelationKind(step.relation), step.direction))
                }
                if vocabulary.spec(RelationKind(raw.produces.0)) == nil {
                    log.error("rule '\(raw.id)' produces unknown relation '\(raw.produces.0)'\(relationHint(raw.produces.0))",
                              at: raw.produces.1, code: "unknown-relation")
                    ok = false
                }
                for (kind, location) in raw.startKinds + raw.endKinds where vocabulary.spec(NodeKind(kind)) == nil {
                    log.error("rule '\(raw.id)' names unknown kind '\(kind)'\(kindHint(kind))", at: location, code: "unknown-kind")
                    ok = false
                }
                if rules.contains(where: { $0.id == raw.id }) {
                    log.error("rule '\(raw.id)' is declared twice", at: raw.location, code: "duplicate-declaration")
                    ok = false
                }
                guard ok else { continue }
                let rule = CompositionRule(
                    id: raw.id, label: raw.label, justification: raw.justification,
                    startKinds: raw.startKinds.map { NodeKind($0.0) }, path: path, produces: RelationKind(raw.produces.0),
                    endKinds: raw.endKinds.map { NodeKind($0.0) }, declaredBy: raw.dataset, location: raw.location)
                rules.append(rule)
                vocabulary.add(rule)
            }
        }
        guard !rules.isEmpty else { return }
        // Rules compose the links the datasets state or curate, never each other's output, so
        // their result does not depend on the order they run in.
        let base = LinkageGraph(nodes: Array(nodes.values), edges: edges, vocabulary: vocabulary)
        ruleBase = (base, edges.count)
        for rule in rules {
            edges.append(contentsOf: RuleEngine.apply(rule, to: base))
        }
    }

    // MARK: Quotes

    /// The text of a seed document, or nil when it is not in the sources folder.
    func seedText(_ file: String) -> String? {
        guard let directory = options.sourcesDirectory else { return nil }
        return try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
    }

    func verifyQuotes() {
        guard let directory = options.sourcesDirectory else { return }
        // Searched as UTF-8 bytes (CompactText): Foundation's String search folds character
        // clusters and took most of a validate run.
        var texts: [String: CompactText?] = [:]
        func text(of file: String) -> CompactText? {
            if let cached = texts[file] { return cached }
            let loaded = seedText(file).map { CompactText(bytes: Array(QuoteMatcher.normalize($0).utf8)) }
            texts[file] = loaded
            return loaded
        }
        var checked = Set<String>()
        // An imported dataset quotes its spreadsheet's cells, not a seed document.
        let generated = Set(manifests.filter { $0.generatedBy != nil }.map(\.name))
        func check(_ citation: Citation, at location: SourceLocation?, ids: [NodeID], dataset: String) {
            guard !generated.contains(dataset), let quote = citation.quote, let file = citation.document.file else { return }
            let key = "\(file)\u{0}\(quote)\u{0}\(location?.description ?? "")"
            guard checked.insert(key).inserted else { return }
            guard let source = text(of: file) else {
                log.warning("cannot check quotes: \(file) is not in \(SourceLocation.displayPath(directory.path))", at: location,
                            code: "quote-not-found", ids: ids)
                return
            }
            if source.occurrences(of: Array(QuoteMatcher.normalize(quote).utf8)).isEmpty {
                log.error("quote not found in \(file): «\(quote)»", at: location, code: "quote-not-found", ids: ids)
            }
        }
        for id in nodeOrder { if let node = nodes[id] { check(node.citation, at: node.location, ids: [id], dataset: node.dataset) } }
        for edge in edges {
            if case .declared(let c) = edge.provenance { check(c, at: edge.location, ids: [edge.source, edge.target], dataset: edge.dataset) }
            if case .derived(let d) = edge.provenance, let c = d.citation { check(c, at: edge.location, ids: [edge.source], dataset: edge.dataset) }
        }
        for note in qualityNotes { check(note.citation, at: note.location, ids: note.ids, dataset: note.dataset) }
    }
}

extension Assembly {
    // MARK: Labels

    /// Checks every node's Chinese label: against its kind's `label_zh_template` always, and
    /// with `--sources` against the seed text at its citation (see `CompactText.isNear`). A
    /// node that declares `label_zh_from` says its label is not its citation's words and is
    /// counted, not looked up.
    mutating func checkLabels() {
        let generated = Set(manifests.filter { $0.generatedBy != nil }.map(\.name))
        var texts: [String: CompactText?] = [:]
        for id in nodeOrder {
            guard let node = nodes[id] else { continue }
            let location = labelZhLocations[id] ?? node.location
            if let template = vocabulary.spec(node.kind)?.labelZhTemplate {
                selfChecks.labelsByTemplate += 1
                switch LabelCheck.expand(template, with: node.attributes) {
                case .failure(let missing):
                    log.error("label.zh of \(id) is composed by the label_zh_template of kind \(node.kind) («\(template)»), which needs attribute '\(missing.name)'; the node has none",
                              at: location, code: "label-template", ids: [id])
                case .success(let expected) where expected != node.label.zh:
                    log.error("label.zh of \(id) is «\(node.label.zh)», but the label_zh_template of kind \(node.kind) gives «\(expected)»",
                              at: location, code: "label-template", ids: [id])
                case .success:
                    break
                }
                continue
            }
            if node.attributes[LabelCheck.declaredAttribute] != nil {
                selfChecks.labelsDeclaredNotVerbatim += 1
                continue
            }
            guard let file = node.citation.document.file, !generated.contains(node.dataset) else {
                selfChecks.labelsFromOtherSources += 1
                continue
            }
            guard options.sourcesDirectory != nil else { continue }
            if texts[file] == nil { texts[file] = .some(seedText(file).map(CompactText.init)) }
            guard let seed = texts[file] ?? nil else { continue }  // reported by the quote check
            guard let quote = node.citation.quote else {
                log.warning("label.zh of \(id) is not checked: its citation (\(node.citation.locatedReference)) has no quote to find the place by",
                            at: location, code: "label-not-checked", ids: [id])
                continue
            }
            let quoteText = CompactText.compact(quote)
            guard !seed.occurrences(of: Array(quoteText.utf8)).isEmpty else { continue }  // the quote check reports it
            selfChecks.labelsAtCitation += 1
            if !seed.isNear(label: CompactText.compact(node.label.zh), quote: quoteText) {
                log.error("label.zh «\(node.label.zh)» of \(id) is not what \(file) says at \(node.citation.section) (it is neither in nor next to the quote «\(quote)»); if the label is not the source's words, say where it comes from with attribute \(LabelCheck.declaredAttribute)",
                          at: location, code: "label-not-in-source", ids: [id])
            }
        }
    }
}

extension Assembly {
    // MARK: Printed figures

    /// With `--sources`: every `budget_chf` (and the printed shares beside it) of a node citing
    /// a seed is what the seed prints at the node's quote (see `PrintedFigures`).
    mutating func checkPrintedFigures() {
        guard options.sourcesDirectory != nil else { return }
        let generated = Set(manifests.filter { $0.generatedBy != nil }.map(\.name))
        var texts: [String: CompactText?] = [:]
        for id in nodeOrder {
            guard let node = nodes[id], let amount = node[attribute: "budget_chf"]?.numericValue,
                  let file = node.citation.document.file, let quote = node.citation.quote,
                  !generated.contains(node.dataset) else { continue }
            if texts[file] == nil { texts[file] = .some(seedText(file).map { CompactText(bytes: Array(QuoteMatcher.normalize($0).utf8)) }) }
            guard let seed = texts[file] ?? nil else { continue }
            let starts = seed.occurrences(of: Array(QuoteMatcher.normalize(quote).utf8))
            guard !starts.isEmpty else { continue }  // the quote check reports it
            let shareNames = PrintedFigures.shareAttributes.filter { node[attribute: $0] != nil }
            let stored = PrintedFigures.Reading(amount: amount, shares: shareNames.compactMap { node[attribute: $0]?.numericValue })
            selfChecks.figuresAtCitation += 1 + shareNames.count
            let readings = starts.map { PrintedFigures.reading(in: seed.bytes, from: $0) }
            if readings.contains(where: { $0.map { $0.amount == stored.amount && $0.shares.count >= stored.shares.count
                && zip($0.shares, stored.shares).allSatisfy { abs($0 - $1) < 1e-9 } } ?? false }) { continue }
            // Report at the first stored figure the first reading contradicts.
            let first = readings.first ?? nil
            var attribute = "budget_chf"
            if let first, first.amount == stored.amount,
               let index = zip(first.shares, stored.shares).enumerated().first(where: { abs($0.element.0 - $0.element.1) >= 1e-9 })?.offset
                   ?? (first.shares.count < stored.shares.count ? first.shares.count : nil) {
                attribute = shareNames[index]
            }
            let seen = first.map { "\(PrintedFigures.printed($0.amount)) and \(PrintedFigures.printed(shares: $0.shares))" } ?? "no amount"
            log.error("\(attribute) of \(id) is not what \(file) prints at \(node.citation.section): after the quote «\(quote)» it prints \(seen), the node stores \(PrintedFigures.printed(stored.amount)) and \(PrintedFigures.printed(shares: stored.shares))",
                      at: attributeLocations[id]?[attribute] ?? node.location, code: "figure-not-in-source", ids: [id])
        }
    }
}

final class HintBudget {
    private var remaining: Int
    /// How many hints were asked for past the budget.
    private(set) var refused = 0

    init(remaining: Int = 200) { self.remaining = remaining }

    func take() -> Bool {
        guard remaining > 0 else {
            refused += 1
            return false
        }
        remaining -= 1
        return true
    }
}

/// Quotes are compared with whitespace runs collapsed, since the seeds come from Word files
/// whose line and tab layout a curator cannot reproduce exactly, and without the `[bookmark: …]`
/// markers the extraction left between words (a heading and the list item under it are one
/// quote, whatever bookmark sits between them).
enum QuoteMatcher {
    static func normalize(_ text: String) -> String { CompactText.clean(text, whitespace: .collapse) }
}

/// Applies composition rules.
enum RuleEngine {
    static func apply(_ rule: CompositionRule, to graph: LinkageGraph) -> [Edge] {
        let starts = rule.startKinds.isEmpty ? graph.nodes : graph.nodes(ofKinds: rule.startKinds)
        var derived: [Edge] = []
        for start in starts {
            // Walk the path, keeping every chain of links that reaches each node.
            var frontier: [(NodeID, [EdgeKey])] = [(start.id, [])]
            for step in rule.path {
                var next: [(NodeID, [EdgeKey])] = []
                for (id, chain) in frontier {
                    let links = step.direction == .outgoing ? graph.outgoing(id, relation: step.relation)
                                                            : graph.incoming(id, relation: step.relation)
                    for link in links {
                        let other = step.direction == .outgoing ? link.target : link.source
                        next.append((other, chain + [link.key]))
                    }
                }
                frontier = next
            }
            var pathsByEnd: [NodeID: [[EdgeKey]]] = [:]
            for (end, chain) in frontier where end != start.id {
                if !rule.endKinds.isEmpty, let node = graph.node(end), !rule.endKinds.contains(node.kind) { continue }
                pathsByEnd[end, default: []].append(chain)
            }
            for end in pathsByEnd.keys.sorted() {
                let paths = pathsByEnd[end]!.sorted { $0.lexicographicallyPrecedes($1) }
                derived.append(Edge(
                    source: start.id, relation: rule.produces, target: end,
                    provenance: .derived(Derivation(rule: rule.id, justification: rule.justification, paths: paths)),
                    dataset: rule.declaredBy, location: rule.location))
            }
        }
        return derived
    }
}
