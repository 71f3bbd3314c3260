/// The graph part of a request to an external analysis, written directly (see `JSONWriter` for
/// why), keys in sorted order at every level.
extension JSONWriter {
    mutating func graph(_ graph: LinkageGraph) {
        beginObject()
        array("datasets", graph.datasets) { $0.dataset($1) }
        array("edges", graph.edges) { $0.edge($1) }
        array("nodes", graph.nodes) { $0.node($1, role: graph.vocabulary.role(of: $1.kind)) }
        key("vocabulary")
        vocabulary(graph.vocabulary)
        endObject()
    }

    mutating func citation(_ citation: Citation) {
        beginObject()
        field("document", citation.document.id)
        field("file", citation.document.file)
        // The name a reader looks the document up by (reports cite it, not the file name).
        field("name", citation.document.name)
        field("quote", citation.quote)
        field("section", citation.section)
        field("url", citation.document.url)
        endObject()
    }

    mutating func node(_ node: Node, role: NodeRole) {
        beginObject()
        if !node.aliases.isEmpty { field("aliases", strings: node.aliases) }
        if !node.attributes.isEmpty {
            key("attributes")
            beginObject()
            for name in node.attributes.keys.sorted() {
                key(name)
                attribute(node.attributes[name]!)
            }
            endObject()
        }
        key("citation")
        citation(node.citation)
        field("dataset", node.dataset)
        field("description", node.description)
        field("id", node.id.rawValue)
        field("kind", node.kind.rawValue)
        field("label", node.label)
        field("role", role.rawValue)
        endObject()
    }

    mutating func edgeKey(_ key: EdgeKey) {
        beginObject()
        field("relation", key.relation.rawValue)
        field("source", key.source.rawValue)
        field("target", key.target.rawValue)
        endObject()
    }

    mutating func edge(_ edge: Edge) {
        beginObject()
        field("as_written", edge.asWritten)
        if case .declared(let cited) = edge.provenance {
            key("citation")
            citation(cited)
        }
        field("dataset", edge.dataset)
        if case .derived(let derivation) = edge.provenance {
            key("derivation")
            beginObject()
            if let basis = derivation.citation {
                key("citation")
                citation(basis)
            }
            field("justification", derivation.justification)
            array("paths", derivation.paths) { writer, path in writer.list(path) { $0.edgeKey($1) } }
            field("rule", derivation.rule)
            endObject()
        }
        field("note", edge.note)
        if edge.occurrences != 1 { field("occurrences", edge.occurrences) }
        field("provenance", edge.provenance.name)
        field("relation", edge.relation.rawValue)
        field("source", edge.source.rawValue)
        field("target", edge.target.rawValue)
        endObject()
    }

    mutating func vocabulary(_ vocabulary: Vocabulary) {
        beginObject()
        objects("kinds", vocabulary.sortedKinds) { writer, spec in
            writer.field("description", spec.description)
            writer.field("id", spec.kind.rawValue)
            writer.field("label", spec.label)
            writer.field("role", spec.role.rawValue)
        }
        objects("plans", vocabulary.plans) { writer, plan in
            writer.field("description", plan.description)
            writer.field("elements", strings: plan.elements.map(\.rawValue))
            writer.field("groups", plan.groups?.rawValue)
            writer.field("id", plan.id)
            writer.field("label", plan.label)
        }
        objects("relations", vocabulary.sortedRelations) { writer, spec in
            writer.field("description", spec.description)
            writer.field("id", spec.relation.rawValue)
            writer.field("label", spec.label)
        }
        objects("rules", vocabulary.rules) { writer, rule in
            writer.field("id", rule.id)
            writer.field("justification", rule.justification)
            writer.field("label", rule.label)
            writer.field("produces", rule.produces.rawValue)
        }
        endObject()
    }

    mutating func dataset(_ info: DatasetInfo) {
        beginObject()
        field("name", info.name)
        objects("sources", info.sources) { writer, source in
            writer.field("file", source.file)
            writer.field("id", source.id)
            writer.field("title", source.title)
            writer.field("url", source.url)
        }
        field("title", info.title)
        endObject()
    }
}
