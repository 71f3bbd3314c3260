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
            array("diagrams", provenance.diagrams) { writer, diagram in
                writer.object {
                    $0.field("files", strings: diagram.files)
                    $0.field("id", diagram.id)
                }
            }
        }
        array("findings", result.findings) { writer, finding in
            writer.object {
                $0.field("code", finding.code)
                $0.field("ids", strings: finding.ids.map(\.rawValue))
                $0.field("message", finding.message)
                $0.field("severity", finding.severity.rawValue)
            }
        }
        array("headline", result.headline) { writer, figure in
            writer.object {
                $0.field("label", figure.label)
                $0.field("note", figure.note)
                $0.field("value", figure.value)
            }
        }
        array("method_notes", result.methodNotes) { $0.text($1) }
        if let provenance {
            key("options")
            object { writer in
                for name in provenance.options.values.keys.sorted() { writer.key(name); writer.string(provenance.options.values[name]!); writer.needsComma = true }
            }
        }
        key("tables")
        beginArray()
        for table in result.tables { element(); try self.table(table) }
        endArray()
        array("views", result.views) { $0.view($1) }
        endObject()
    }

    mutating func table(_ table: ResultTable) throws(ResultEncodingError) {
        beginObject()
        field("caption", table.caption)
        array("columns", table.columns) { writer, column in
            writer.object {
                $0.field("id", column.id)
                $0.field("title", column.title)
            }
        }
        field("id", table.id)
        key("rows")
        beginArray()
        for (index, row) in table.rows.enumerated() {
            element()
            beginArray()
            for value in row {
                element()
                switch value {
                case .text(let text): string(text)
                case .integer(let integer): number(integer)
                case .empty: raw("null")
                case .id(let id): object { $0.field("id", id.rawValue) }
                case .decimal(let value, let places):
                    // The value as shown (rounded to its places), so that the file holds no float noise.
                    let shown = Double(formatDecimal(value, places: places)) ?? value
                    guard shown.isFinite else {
                        throw ResultEncodingError(description: "table \(table.id), row \(index + 1): \(shown) is not a number JSON can hold")
                    }
                    object {
                        $0.key("decimal")
                        $0.number(shown)
                        $0.needsComma = true
                        $0.field("places", places)
                    }
                }
                needsComma = true
            }
            endArray()
        }
        endArray()
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
        array("edges", network.edges) { writer, edge in
            writer.object {
                $0.fieldOrNull("colour", edge.colour)
                $0.field("declared", edge.declared)
                $0.field("directed", edge.directed)
                $0.fieldOrNull("label", edge.label)
                $0.field("relation", edge.relation.rawValue)
                $0.field("relation_label", edge.relationLabel)
                $0.field("source", edge.source.rawValue)
                $0.field("target", edge.target.rawValue)
                $0.fieldOrNull("tooltip", edge.tooltip)
                $0.fieldOrNull("weight", edge.weight)
            }
        }
        array("groups", network.groups) { writer, group in
            writer.object {
                $0.fieldOrNull("colour", group.colour)
                $0.field("id", group.id)
                $0.field("label", group.label)
                $0.field("members", strings: group.members.map(\.rawValue))
            }
        }
        field("layout", network.layout.rawValue)
        field("line_colour_key", network.lineColourKey)
        array("nodes", network.nodes) { writer, node in
            writer.object {
                $0.fieldOrNull("code", node.code)
                $0.fieldOrNull("colour", node.colour)
                $0.fieldOrNull("details", node.details)
                $0.field("emphasised", node.emphasised)
                $0.field("id", node.id.rawValue)
                $0.field("kind", node.kind.rawValue)
                $0.field("kind_label", node.kindLabel)
                $0.field("label", node.label)
                $0.fieldOrNull("max_label_lines", node.maxLabelLines)
                $0.field("role", node.role.rawValue)
                $0.fieldOrNull("tooltip", node.tooltip)
                $0.fieldOrNull("url", node.url)
            }
        }
        array("ranks", network.ranks) { writer, rank in
            writer.beginArray()
            for id in rank { writer.element(); writer.string(id.rawValue); writer.needsComma = true }
            writer.endArray()
        }
        endObject()
    }

    mutating func matrix(_ matrix: MatrixView) {
        beginObject()
        array("cells", matrix.cells) { writer, row in
            writer.beginArray()
            for cell in row {
                writer.element()
                writer.object {
                    $0.field("colour", cell.colour)
                    $0.field("text", cell.text)
                    $0.field("tooltip", cell.tooltip)
                }
            }
            writer.endArray()
        }
        field("column_header", matrix.columnHeader)
        axis("columns", matrix.columns)
        field("footnote", matrix.footnote)
        array("legend", matrix.legend) { writer, entry in
            writer.object {
                $0.field("colour", entry.colour)
                $0.field("label", entry.label)
            }
        }
        field("row_header", matrix.rowHeader)
        axis("rows", matrix.rows)
        endObject()
    }

    private mutating func axis(_ name: StaticString, _ entries: [MatrixAxisEntry]) {
        array(name, entries) { writer, entry in
            writer.object {
                $0.field("colour", entry.colour)
                $0.field("group", entry.group)
                $0.field("label", entry.label)
                $0.field("tooltip", entry.tooltip)
                $0.field("url", entry.url)
            }
        }
    }
}
