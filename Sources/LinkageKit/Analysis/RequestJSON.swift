/// The graph part of a request to an external analysis, written directly (see `JSONWriter` for
/// why), keys in sorted order at every level.
extension JSONWriter {
    mutating func graph(_ graph: LinkageGraph) {
        beginObject()
        key("datasets")
        beginArray()
        for info in graph.datasets { element(); dataset(info) }
        endArray()
        key("edges")
        beginArray()
        for edge in graph.edges { element(); self.edge(edge) }
        endArray()
        key("nodes")
        beginArray()
        for node in graph.nodes { element(); self.node(node, role: graph.vocabulary.role(of: node.kind)) }
        endArray()
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
            key("paths")
            beginArray()
            for path in derivation.paths {
                element()
                beginArray()
                for step in path { element(); edgeKey(step) }
                endArray()
            }
            endArray()
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
        key("kinds")
        beginArray()
        for spec in vocabulary.sortedKinds {
            element()
            beginObject()
            field("description", spec.description)
            field("id", spec.kind.rawValue)
            field("label", spec.label)
            field("role", spec.role.rawValue)
            endObject()
        }
        endArray()
        key("plans")
        beginArray()
        for plan in vocabulary.plans {
            element()
            beginObject()
            field("description", plan.description)
            field("elements", strings: plan.elements.map(\.rawValue))
            field("groups", plan.groups?.rawValue)
            field("id", plan.id)
            field("label", plan.label)
            endObject()
        }
        endArray()
        key("relations")
        beginArray()
        for spec in vocabulary.sortedRelations {
            element()
            beginObject()
            field("description", spec.description)
            field("id", spec.relation.rawValue)
            field("label", spec.label)
            endObject()
        }
        endArray()
        key("rules")
        beginArray()
        for rule in vocabulary.rules {
            element()
            beginObject()
            field("id", rule.id)
            field("justification", rule.justification)
            field("label", rule.label)
            field("produces", rule.produces.rawValue)
            endObject()
        }
        endArray()
        endObject()
    }

    mutating func dataset(_ info: DatasetInfo) {
        beginObject()
        field("name", info.name)
        key("sources")
        beginArray()
        for source in info.sources {
            element()
            beginObject()
            field("file", source.file)
            field("id", source.id)
            field("title", source.title)
            field("url", source.url)
            endObject()
        }
        endArray()
        field("title", info.title)
        endObject()
    }
}
