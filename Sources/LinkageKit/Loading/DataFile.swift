import OrderedCollections

/// A citation as written: the document id may come from the file's `defaults`.
struct RawCite {
    var doc: String?
    var docLocation: SourceLocation?
    var at: String?
    var quote: String?
    var location: SourceLocation
}

struct RawTarget {
    var id: String
    var asWritten: String?
    var note: String?
    var location: SourceLocation
}

struct RawLinkGroup {
    var from: (String, SourceLocation)
    var relation: (String, SourceLocation)
    var targets: [RawTarget]
    var cite: RawCite?
    var derived: (rule: String, justification: String, location: SourceLocation)?
    var derivedWithoutRule: SourceLocation?
    var note: String?
    var location: SourceLocation
}

struct RawNode {
    var id: String
    var idLocation: SourceLocation
    var kind: (String, SourceLocation)?
    var label: LocalizedText?
    /// Where `label.zh` is written (the label check points there).
    var labelZhLocation: SourceLocation?
    /// The entry has a `label` field (which may still be incomplete, and then is reported).
    var labelWritten: Bool
    var description: LocalizedText?
    var aliases: [String]
    var cite: RawCite?
    var attributes: OrderedDictionary<String, AttributeValue>
    /// Where each attribute's value is written (recomputed figures are reported there).
    var attributeLocations: [String: SourceLocation]
    var location: SourceLocation
}

/// A record that is written once and then only read, kept in a class: the assembly reads each
/// record of a file once, and a struct of a dozen reference-counted fields was copied, field by
/// field, on each read (issue 9); a box is one reference. Its fields read as the record's own
/// (`raw.id`).
@dynamicMemberLookup
final class Boxed<Record: Sendable>: Sendable {
    let record: Record
    init(_ record: Record) { self.record = record }
    subscript<Value>(dynamicMember field: KeyPath<Record, Value>) -> Value { record[keyPath: field] }
}

struct RawQuirk {
    var cite: RawCite?
    var finding: String
    var reading: String?
    var ids: [(String, SourceLocation)]
    var location: SourceLocation
}

/// The contents of one data file of a dataset.
struct DataFileContents {
    var defaultDocument: (String, SourceLocation)?
    var nodes: [Boxed<RawNode>] = []
    var links: [Boxed<RawLinkGroup>] = []
    var quirks: [RawQuirk] = []
}

enum DataFileReader {
    static func read(_ root: YAMLNode, file: String, log: DiagnosticLog) -> DataFileContents {
        let reader = YAMLReader(file: file, log: log)
        var contents = DataFileContents()
        guard let f = reader.mapping(root, "a data file", optional: ["defaults", "nodes", "links", "quirks"]) else {
            return contents
        }
        if let defaults = f["defaults"], let d = reader.mapping(defaults, "defaults", optional: ["doc"]),
           let docNode = d["doc"], let doc = reader.string(docNode, "defaults.doc") {
            contents.defaultDocument = (doc, reader.location(docNode))
        }
        for item in reader.sequence(f["nodes"], "nodes") ?? [] {
            if let node = readNode(item, reader: reader, into: &contents) { contents.nodes.append(Boxed(node)) }
        }
        for item in reader.sequence(f["links"], "links") ?? [] {
            if let group = readLinkGroup(item, from: nil, reader: reader) { contents.links.append(Boxed(group)) }
        }
        for item in reader.sequence(f["quirks"], "quirks") ?? [] {
            if let quirk = readQuirk(item, reader: reader) { contents.quirks.append(quirk) }
        }
        return contents
    }

    static func readQuirk(_ item: YAMLNode, reader: YAMLReader) -> RawQuirk? {
        guard let q = reader.mapping(item, "a quirk", required: ["cite", "finding"], optional: ["reading", "ids"]),
              let finding = reader.string(q["finding"], "quirk finding")
        else { return nil }
        return RawQuirk(
            cite: q["cite"].flatMap { readCite($0, reader: reader) }, finding: finding,
            reading: q["reading"].flatMap { reader.string($0, "quirk reading") },
            ids: (reader.strings(q["ids"], "quirk ids") ?? []).map { ($0.0, reader.location($0.1)) },
            location: reader.location(item))
    }

    static let nodeFields = ["id", "kind", "label", "description", "aliases", "cite", "attributes", "links"]

    private static func readNode(_ item: YAMLNode, reader: YAMLReader, into contents: inout DataFileContents) -> RawNode? {
        // A node entry without label or cite is reported by the validator with the node's id,
        // so only the id is structurally required here.
        guard let f = reader.mapping(item, "a node", required: ["id"], optional: nodeFields.filter { $0 != "id" }),
              let idNode = f["id"], let id = reader.string(idNode, "node id", limit: InputLimits.maxIDCharacters)
        else { return nil }
        var attributes: OrderedDictionary<String, AttributeValue> = [:]
        var attributeLocations: [String: SourceLocation] = [:]
        if let attributesNode = f["attributes"], let a = attributesMapping(attributesNode, reader: reader) {
            attributes = a
            attributeLocations = Self.attributeLocations(attributesNode, reader: reader)
        }
        var labelZhLocation: SourceLocation?
        if case .mapping(let labelMapping, _)? = f["label"] {
            for (key, value) in labelMapping where key.string == "zh" { labelZhLocation = reader.location(value) }
        }
        for linkItem in reader.sequence(f["links"], "links of \(id)") ?? [] {
            if let group = readLinkGroup(linkItem, from: (id, reader.location(idNode)), reader: reader) {
                contents.links.append(Boxed(group))
            }
        }
        return RawNode(
            id: id, idLocation: reader.location(idNode),
            kind: f["kind"].flatMap { node in reader.string(node, "kind of \(id)").map { ($0, reader.location(node)) } },
            label: f["label"].flatMap {
                reader.localized($0, "label of \(id)", code: "missing-label", limit: InputLimits.maxLabelCharacters)
            },
            labelZhLocation: labelZhLocation,
            labelWritten: f["label"] != nil,
            description: f["description"].flatMap { reader.localized($0, "description of \(id)") },
            aliases: (reader.strings(f["aliases"], "aliases of \(id)") ?? []).map(\.0),
            cite: f["cite"].flatMap { readCite($0, reader: reader) },
            attributes: attributes, attributeLocations: attributeLocations, location: reader.location(item))
    }

    /// Where each attribute's value is written.
    static func attributeLocations(_ node: YAMLNode, reader: YAMLReader) -> [String: SourceLocation] {
        guard case .mapping(let mapping, _) = node else { return [:] }
        var locations: [String: SourceLocation] = [:]
        for (key, value) in mapping { if let name = key.string { locations[name] = reader.location(value) } }
        return locations
    }

    static func attributesMapping(_ node: YAMLNode, reader: YAMLReader) -> OrderedDictionary<String, AttributeValue>? {
        guard case .mapping(let mapping, _) = node else {
            reader.log.error("attributes must be a mapping", at: reader.location(node), code: "schema")
            return nil
        }
        var result: OrderedDictionary<String, AttributeValue> = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { continue }
            if result[key] != nil {
                reader.log.error("duplicate attribute '\(key)'", at: reader.location(keyNode), code: "schema")
                continue
            }
            if case .scalar(let s) = value, s.style == .plain, value.null != nil {
                reader.log.error("attribute '\(key)' has no value (leave it out, or write the text in quotes)",
                                 at: reader.location(value), code: "schema")
                continue
            }
            if let v = reader.attributeValue(value, "attribute '\(key)'") { result[key] = v }
        }
        return result
    }

    static func readCite(_ node: YAMLNode, reader: YAMLReader) -> RawCite? {
        guard let f = reader.mapping(node, "a cite", optional: ["doc", "at", "quote"]) else { return nil }
        return RawCite(
            doc: f["doc"].flatMap { reader.string($0, "cite doc") },
            docLocation: f["doc"].map(reader.location),
            at: f["at"].flatMap { reader.string($0, "cite at") },
            quote: f["quote"].flatMap { reader.string($0, "cite quote") },
            location: reader.location(node))
    }

    private static func readLinkGroup(_ item: YAMLNode, from: (String, SourceLocation)?, reader: YAMLReader) -> RawLinkGroup? {
        let required = from == nil ? ["from", "relation", "targets"] : ["relation", "targets"]
        guard let f = reader.mapping(item, from == nil ? "a link group" : "a link of \(from!.0)",
                                     required: required, optional: ["cite", "derived", "note"]),
              let relationNode = f["relation"], let relation = reader.string(relationNode, "relation")
        else { return nil }
        var source = from
        if from == nil {
            guard let fromNode = f["from"], let fromID = reader.string(fromNode, "from") else { return nil }
            source = (fromID, reader.location(fromNode))
        }
        var targets: [RawTarget] = []
        for target in reader.sequence(f["targets"], "targets") ?? [] {
            if case .scalar = target {
                if let id = reader.string(target, "a target id") {
                    targets.append(RawTarget(id: id, location: reader.location(target)))
                }
            } else if let t = reader.mapping(target, "a target", required: ["id"], optional: ["as_written", "note"]),
                      let id = reader.string(t["id"], "target id") {
                targets.append(RawTarget(
                    id: id, asWritten: t["as_written"].flatMap { reader.string($0, "as_written") },
                    note: t["note"].flatMap { reader.string($0, "target note") }, location: reader.location(t["id"]!)))
            }
        }
        var derived: (String, String, SourceLocation)?
        var derivedWithoutRule: SourceLocation?
        if let derivedNode = f["derived"],
           let d = reader.mapping(derivedNode, "derived", optional: ["rule", "justification"]) {
            let rule = d["rule"].flatMap { reader.string($0, "derived rule") }
            let justification = d["justification"].flatMap { reader.string($0, "derived justification") }
            if let rule {
                if justification == nil {
                    reader.log.error("derived link '\(rule)' needs a justification (one line: why this link holds)",
                                     at: reader.location(derivedNode), code: "derived-without-rule")
                }
                derived = (rule, justification ?? "", reader.location(derivedNode))
            } else {
                derivedWithoutRule = reader.location(derivedNode)
                reader.log.error("derived link from '\(source!.0)' (\(relation)) does not name its rule (derived: {rule: ..., justification: ...})",
                                 at: reader.location(derivedNode), code: "derived-without-rule", ids: [NodeID(source!.0)])
            }
        }
        return RawLinkGroup(
            from: source!, relation: (relation, reader.location(relationNode)), targets: targets,
            cite: f["cite"].flatMap { readCite($0, reader: reader) },
            derived: derived.map { (rule: $0.0, justification: $0.1, location: $0.2) },
            derivedWithoutRule: derivedWithoutRule,
            note: f["note"].flatMap { reader.string($0, "note") }, location: reader.location(item))
    }
}
