import Foundation

/// What produced a result and where its diagrams went: the fields the host adds to
/// `result.json` (`AnalysisResult.hostFields`), which a reader of results ignores.
public struct ResultProvenance: Sendable {
    public var descriptor: AnalysisDescriptor
    public var options: AnalysisOptions
    /// Each drawn view's id and the files its diagram was written to.
    public var diagrams: [(id: String, files: [String])]

    public init(descriptor: AnalysisDescriptor, options: AnalysisOptions, diagrams: [(id: String, files: [String])]) {
        self.descriptor = descriptor
        self.options = options
        self.diagrams = diagrams
    }
}

/// A table value JSON cannot hold (a decimal that is infinite or not a number).
public struct ResultEncodingError: Error, CustomStringConvertible {
    public var description: String
}

extension AnalysisResult {
    /// Deterministic JSON of the result: sorted keys, pretty printed, final newline. With
    /// `provenance`, the content of `result.json`.
    ///
    /// Byte-identical to `JSONEncoder` (`.prettyPrinted`, `.sortedKeys`,
    /// `.withoutEscapingSlashes`) on this type's `Codable` form, which stays the definition of
    /// the schema (external analyses' results are decoded through it); tests hold the two
    /// together. Written directly for speed: see `JSONWriter`.
    public func jsonData(provenance: ResultProvenance? = nil) throws(ResultEncodingError) -> Data {
        var writer = JSONWriter(pretty: true, capacity: 1 << 16)
        try writer.result(self, provenance: provenance)
        writer.raw("\n")
        return Data(writer.bytes)
    }
}

// Keys are written in sorted order at every level; `ResultCoding.swift` has the same fields in
// schema order, with the comments on what absent and null mean.
extension JSONWriter {
    mutating func result(_ result: AnalysisResult, provenance: ResultProvenance?) throws(ResultEncodingError) {
        beginObject()
        if let provenance {
            key("analysis")
            object {
                $0.field("id", provenance.descriptor.id)
                $0.field("summary", provenance.descriptor.summary)
                $0.field("title", provenance.descriptor.title)
            }
            objects("diagrams", provenance.diagrams) { writer, diagram in
                writer.field("files", strings: diagram.files)
                writer.field("id", diagram.id)
            }
        }
        objects("findings", result.findings) { writer, finding in
            writer.field("code", finding.code)
            writer.field("ids", strings: finding.ids.map(\.rawValue))
            writer.field("message", finding.message)
            writer.field("severity", finding.severity.rawValue)
        }
        objects("headline", result.headline) { writer, figure in
            writer.field("label", figure.label)
            writer.field("note", figure.note)
            writer.field("value", figure.value)
        }
        array("method_notes", result.methodNotes) { $0.text($1) }
        if let provenance {
            key("options")
            object { writer in
                for name in provenance.options.values.keys.sorted() { writer.key(name); writer.string(provenance.options.values[name]!); writer.needsComma = true }
            }
        }
        try array("tables", result.tables) { (writer, table) throws(ResultEncodingError) in try writer.table(table) }
        array("views", result.views) { $0.view($1) }
        endObject()
    }

    mutating func table(_ table: ResultTable) throws(ResultEncodingError) {
        beginObject()
        field("caption", table.caption)
        objects("columns", table.columns) { writer, column in
            writer.field("id", column.id)
            writer.field("title", column.title)
        }
        field("id", table.id)
        try array("rows", table.rows.enumerated()) { (writer, row) throws(ResultEncodingError) in
            try writer.list(row.element) { (writer, value) throws(ResultEncodingError) in
                switch value {
                case .text(let text): writer.string(text)
                case .integer(let integer): writer.number(integer)
                case .empty: writer.raw("null")
                case .id(let id): writer.object { $0.field("id", id.rawValue) }
                case .decimal(let value, let places):
                    // The value as shown (rounded to its places), so that the file holds no float noise.
                    let shown = Double(formatDecimal(value, places: places)) ?? value
                    guard shown.isFinite else {
                        throw ResultEncodingError(description: "table \(table.id), row \(row.offset + 1): \(shown) is not a number JSON can hold")
                    }
                    writer.object {
                        $0.key("decimal")
                        $0.number(shown)
                        $0.needsComma = true
                        $0.field("places", places)
                    }
                }
            }
        }
        field("title", table.title)
        endObject()
    }

    mutating func view(_ view: ViewSpec) {
        beginObject()
        field("caption", view.caption)
        field("id", view.id)
        switch view.diagram {
        case .matrix(let matrix): key("matrix"); self.matrix(matrix)
        case .network(let network): key("network"); self.network(network)
        }
        field("subtitle", view.subtitle)
        field("title", view.title)
        endObject()
    }

    mutating func network(_ network: NetworkView) {
        beginObject()
        objects("edges", network.edges) { writer, edge in
            writer.fieldOrNull("colour", edge.colour)
            writer.field("declared", edge.declared)
            writer.field("directed", edge.directed)
            writer.fieldOrNull("label", edge.label)
            writer.field("relation", edge.relation.rawValue)
            writer.field("relation_label", edge.relationLabel)
            writer.field("source", edge.source.rawValue)
            writer.field("target", edge.target.rawValue)
            writer.fieldOrNull("tooltip", edge.tooltip)
            writer.fieldOrNull("weight", edge.weight)
        }
        objects("groups", network.groups) { writer, group in
            writer.fieldOrNull("colour", group.colour)
            writer.field("id", group.id)
            writer.field("label", group.label)
            writer.field("members", strings: group.members.map(\.rawValue))
        }
        field("layout", network.layout.rawValue)
        field("line_colour_key", network.lineColourKey)
        objects("nodes", network.nodes) { writer, node in
            writer.fieldOrNull("code", node.code)
            writer.fieldOrNull("colour", node.colour)
            writer.fieldOrNull("details", node.details)
            writer.field("emphasised", node.emphasised)
            writer.field("id", node.id.rawValue)
            writer.field("kind", node.kind.rawValue)
            writer.field("kind_label", node.kindLabel)
            writer.field("label", node.label)
            writer.fieldOrNull("max_label_lines", node.maxLabelLines)
            writer.field("role", node.role.rawValue)
            writer.fieldOrNull("tooltip", node.tooltip)
            writer.fieldOrNull("url", node.url)
        }
        array("ranks", network.ranks) { writer, rank in writer.list(rank) { $0.string($1.rawValue) } }
        endObject()
    }

    mutating func matrix(_ matrix: MatrixView) {
        beginObject()
        array("cells", matrix.cells) { writer, row in
            writer.list(row) { writer, cell in
                writer.object {
                    $0.field("colour", cell.colour)
                    $0.field("text", cell.text)
                    $0.field("tooltip", cell.tooltip)
                }
            }
        }
        field("column_header", matrix.columnHeader)
        axis("columns", matrix.columns)
        field("footnote", matrix.footnote)
        objects("legend", matrix.legend) { writer, entry in
            writer.field("colour", entry.colour)
            writer.field("label", entry.label)
        }
        field("row_header", matrix.rowHeader)
        axis("rows", matrix.rows)
        endObject()
    }

    private mutating func axis(_ name: StaticString, _ entries: [MatrixAxisEntry]) {
        objects(name, entries) { writer, entry in
            writer.field("colour", entry.colour)
            writer.field("group", entry.group)
            writer.field("label", entry.label)
            writer.field("tooltip", entry.tooltip)
            writer.field("url", entry.url)
        }
    }
}
