
/// A dataset manifest as read from `manifest.yaml`, before cross-checking.
struct Manifest {
    var name: String
    var title: LocalizedText
    var sources: [SourceDocument]
    var sourceLocations: [String: SourceLocation]
    var requires: [(String, SourceLocation)]
    var files: [(String, SourceLocation)]
    var kinds: [NodeKindSpec]
    var relations: [RelationSpec]
    var plans: [(PlanSpec, [(String, SourceLocation)])]
    var rules: [RawRule]
    var notes: String?
    /// The program that wrote the dataset (`linkage import`), for datasets not curated by hand.
    var generatedBy: String?
    var directory: String
    var location: SourceLocation
}

/// A composition rule as written, checked once the whole vocabulary is known.
struct RawRule {
    var id: String
    var label: LocalizedText
    var justification: String
    var startKinds: [(String, SourceLocation)]
    var endKinds: [(String, SourceLocation)]
    var path: [(relation: String, direction: PathStep.Direction, location: SourceLocation)]
    var produces: (String, SourceLocation)
    var dataset: String
    var location: SourceLocation
}

/// Reading of the vocabulary part shared by `datasets/vocabulary.yaml` and manifests.
struct VocabularyReader {
    let reader: YAMLReader
    let declaredBy: String

    func kinds(_ node: YAMLNode?) -> [NodeKindSpec] {
        guard let items = reader.sequence(node, "kinds") else { return [] }
        return items.compactMap { item -> NodeKindSpec? in
            guard let f = reader.mapping(item, "a kind", required: ["id", "label", "role", "id_pattern"],
                                         optional: ["description", "label_zh_template"]) else { return nil }
            guard let id = reader.string(f["id"], "kind id"),
                  let label = reader.localized(f["label"], "kind label", limit: InputLimits.maxLabelCharacters),
                  let roleText = reader.string(f["role"], "kind role"),
                  let pattern = reader.string(f["id_pattern"], "kind id_pattern", limit: InputLimits.maxPatternCharacters)
            else { return nil }
            guard let role = NodeRole(rawValue: roleText) else {
                reader.log.error(
                    "unknown role '\(roleText)'\(Suggestion.hint(for: roleText, in: NodeRole.allCases.map(\.rawValue))); roles: \(NodeRole.allCases.map(\.rawValue).joined(separator: ", "))",
                    at: reader.location(f["role"]!), code: "schema")
                return nil
            }
            do throws(IDPattern.CompileError) {
                _ = try IDPattern(pattern)
            } catch {
                reader.log.error("id_pattern of kind '\(id)' is not a valid regular expression: \(error.message) at character \(String(decoding: pattern.utf8.prefix(error.offset), as: UTF8.self).count + 1)",
                                 at: reader.location(f["id_pattern"]!), code: "schema")
                return nil
            }
            return NodeKindSpec(kind: NodeKind(id), label: label, role: role, idPattern: pattern,
                                description: f["description"].flatMap { reader.string($0, "kind description") },
                                labelZhTemplate: f["label_zh_template"].flatMap {
                                    reader.string($0, "kind label_zh_template", limit: InputLimits.maxLabelCharacters)
                                },
                                declaredBy: declaredBy, location: reader.location(item))
        }
    }

    func relations(_ node: YAMLNode?) -> [RelationSpec] {
        guard let items = reader.sequence(node, "relations") else { return [] }
        return items.compactMap { item -> RelationSpec? in
            guard let f = reader.mapping(item, "a relation", required: ["id", "label", "from", "to"],
                                         optional: ["description"]) else { return nil }
            guard let id = reader.string(f["id"], "relation id"),
                  let label = reader.localized(f["label"], "relation label", limit: InputLimits.maxLabelCharacters),
                  let from = matchers(f["from"], "relation from"),
                  let to = matchers(f["to"], "relation to")
            else { return nil }
            return RelationSpec(relation: RelationKind(id), label: label, from: from, to: to,
                                description: f["description"].flatMap { reader.string($0, "relation description") },
                                declaredBy: declaredBy, location: reader.location(item))
        }
    }

    /// `["*"]`, kind ids, or `role:<role>`; kinds are checked later, once all are declared.
    private func matchers(_ node: YAMLNode?, _ what: String) -> [KindMatcher]? {
        guard let entries = reader.strings(node, what) else { return nil }
        var result: [KindMatcher] = []
        for (text, item) in entries {
            if text == "*" {
                result.append(.any)
            } else if text.hasPrefix("role:") {
                let roleName = String(text.dropFirst(5))
                guard let role = NodeRole(rawValue: roleName) else {
                    reader.log.error("unknown role '\(roleName)' in \(what)", at: reader.location(item), code: "schema")
                    return nil
                }
                result.append(.role(role))
            } else {
                result.append(.kind(NodeKind(text)))
            }
        }
        return result
    }
}

enum ManifestReader {
    static let fields = ["dataset", "title", "description", "sources", "requires", "files", "kinds",
                         "relations", "plans", "rules", "notes", "generated_by"]

    static func read(_ root: YAMLNode, directory: String, file: String, log: DiagnosticLog) -> Manifest? {
        let reader = YAMLReader(file: file, log: log)
        guard let f = reader.mapping(root, "the manifest", required: ["dataset", "title", "sources", "files"],
                                     optional: fields.filter { !["dataset", "title", "sources", "files"].contains($0) })
        else { return nil }
        guard let name = reader.string(f["dataset"], "dataset"),
              let title = reader.localized(f["title"], "title")
        else { return nil }

        var sources: [SourceDocument] = []
        var sourceLocations: [String: SourceLocation] = [:]
        for item in reader.sequence(f["sources"], "sources") ?? [] {
            guard let s = reader.mapping(item, "a source", required: ["id", "title"], optional: ["file", "url", "note", "name"]),
                  let id = reader.string(s["id"], "source id"),
                  let sourceTitle = reader.localized(s["title"], "source title")
            else { continue }
            if sourceLocations[id] != nil {
                log.error("source '\(id)' is listed twice", at: reader.location(item), code: "manifest")
                continue
            }
            let fileName = s["file"].flatMap { reader.string($0, "source file") }
            // Seeds are looked up by name in the sources folder (validate --sources), never elsewhere.
            if let fileName, fileName.contains("/") || fileName == ".." || fileName == "." {
                log.error("source file '\(fileName)' must be a file name in the sources folder, without '/'",
                          at: reader.location(s["file"]!), code: "outside-dataset")
            }
            let url = s["url"].flatMap { reader.string($0, "source url") }
            if fileName == nil && url == nil {
                log.error("source '\(id)' needs a file (a seed document) or a url", at: reader.location(item), code: "manifest")
            }
            let shortName = s["name"].flatMap { reader.localized($0, "source name") }
            sources.append(SourceDocument(id: id, file: fileName, url: url, title: sourceTitle, name: shortName))
            sourceLocations[id] = reader.location(item)
        }

        let vocabularyReader = VocabularyReader(reader: reader, declaredBy: name)
        var plans: [(PlanSpec, [(String, SourceLocation)])] = []
        for item in reader.sequence(f["plans"], "plans") ?? [] {
            guard let p = reader.mapping(item, "a plan", required: ["id", "label", "elements"], optional: ["groups", "description"]),
                  let id = reader.string(p["id"], "plan id"),
                  let label = reader.localized(p["label"], "plan label", limit: InputLimits.maxLabelCharacters),
                  let elements = reader.strings(p["elements"], "plan elements")
            else { continue }
            let groups = p["groups"].flatMap { reader.string($0, "plan groups") }
            var kindRefs = elements.map { ($0.0, reader.location($0.1)) }
            if let groups, let node = p["groups"] { kindRefs.append((groups, reader.location(node))) }
            plans.append((PlanSpec(id: id, label: label, elements: elements.map { NodeKind($0.0) },
                                   groups: groups.map { NodeKind($0) },
                                   description: p["description"].flatMap { reader.string($0, "plan description") },
                                   declaredBy: name), kindRefs))
        }

        var rules: [RawRule] = []
        for item in reader.sequence(f["rules"], "rules") ?? [] {
            guard let r = reader.mapping(item, "a rule", required: ["id", "label", "justification", "path", "produces"],
                                         optional: ["start_kinds", "end_kinds"]),
                  let id = reader.string(r["id"], "rule id"),
                  let label = reader.localized(r["label"], "rule label", limit: InputLimits.maxLabelCharacters),
                  let justification = reader.string(r["justification"], "rule justification"),
                  let produces = reader.string(r["produces"], "rule produces"),
                  let steps = reader.sequence(r["path"], "rule path")
            else { continue }
            var path: [(relation: String, direction: PathStep.Direction, location: SourceLocation)] = []
            for step in steps {
                if case .scalar = step, let relation = reader.string(step, "a path step") {
                    path.append((relation, .outgoing, reader.location(step)))
                } else if let s = reader.mapping(step, "a path step", required: ["relation"], optional: ["direction"]),
                          let relation = reader.string(s["relation"], "path step relation") {
                    let directionText = s["direction"].flatMap { reader.string($0, "path step direction") } ?? "outgoing"
                    guard let direction = PathStep.Direction(rawValue: directionText) else {
                        log.error("direction must be 'outgoing' or 'incoming', not '\(directionText)'",
                                  at: reader.location(s["direction"]!), code: "schema")
                        continue
                    }
                    path.append((relation, direction, reader.location(step)))
                }
            }
            if path.isEmpty {
                log.error("rule '\(id)' has an empty path", at: reader.location(item), code: "schema")
                continue
            }
            rules.append(RawRule(
                id: id, label: label, justification: justification,
                startKinds: (reader.strings(r["start_kinds"], "start_kinds") ?? []).map { ($0.0, reader.location($0.1)) },
                endKinds: (reader.strings(r["end_kinds"], "end_kinds") ?? []).map { ($0.0, reader.location($0.1)) },
                path: path, produces: (produces, reader.location(r["produces"]!)), dataset: name,
                location: reader.location(item)))
        }

        return Manifest(
            name: name, title: title, sources: sources, sourceLocations: sourceLocations,
            requires: (reader.strings(f["requires"], "requires") ?? []).map { ($0.0, reader.location($0.1)) },
            files: (reader.strings(f["files"], "files") ?? []).map { ($0.0, reader.location($0.1)) },
            kinds: vocabularyReader.kinds(f["kinds"]),
            relations: vocabularyReader.relations(f["relations"]),
            plans: plans, rules: rules,
            notes: f["notes"].flatMap { reader.string($0, "notes") },
            generatedBy: f["generated_by"].flatMap { reader.string($0, "generated_by") },
            directory: directory, location: reader.location(root))
    }
}
