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
            beginObject()
            field("id", provenance.descriptor.id)
            field("summary", provenance.descriptor.summary)
            field("title", provenance.descriptor.title)
            endObject()
            key("diagrams")
            beginArray()
            for diagram in provenance.diagrams {
                element()
                beginObject()
                field("files", strings: diagram.files)
                field("id", diagram.id)
                endObject()
            }
            endArray()
        }
        key("findings")
        beginArray()
        for finding in result.findings {
            element()
            beginObject()
            field("code", finding.code)
            field("ids", strings: finding.ids.map(\.rawValue))
            field("message", finding.message)
            field("severity", finding.severity.rawValue)
            endObject()
        }
        endArray()
        key("headline")
        beginArray()
        for figure in result.headline {
            element()
            beginObject()
            field("label", figure.label)
            field("note", figure.note)
            field("value", figure.value)
            endObject()
        }
        endArray()
        key("method_notes")
        beginArray()
        for note in result.methodNotes { element(); text(note) }
        endArray()
        if let provenance {
            key("options")
            beginObject()
            for name in provenance.options.values.keys.sorted() { key(name); string(provenance.options.values[name]!); needsComma = true }
            endObject()
        }
        key("tables")
        beginArray()
        for table in result.tables { element(); try self.table(table) }
        endArray()
        key("views")
        beginArray()
        for view in result.views { element(); self.view(view) }
        endArray()
        endObject()
    }

    mutating func table(_ table: ResultTable) throws(ResultEncodingError) {
        beginObject()
        field("caption", table.caption)
        key("columns")
        beginArray()
        for column in table.columns {
            element()
            beginObject()
            field("id", column.id)
            field("title", column.title)
            endObject()
        }
        endArray()
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
                case .id(let id):
                    beginObject()
                    field("id", id.rawValue)
                    endObject()
                case .decimal(let value, let places):
                    // The value as shown (rounded to its places), so that the file holds no float noise.
                    let shown = Double(formatDecimal(value, places: places)) ?? value
                    guard shown.isFinite else {
                        throw ResultEncodingError(description: "table \(table.id), row \(index + 1): \(shown) is not a number JSON can hold")
                    }
                    beginObject()
                    key("decimal")
                    number(shown)
                    needsComma = true
                    field("places", places)
                    endObject()
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
        key("edges")
        beginArray()
        for edge in network.edges {
            element()
            beginObject()
            fieldOrNull("colour", edge.colour)
            field("declared", edge.declared)
            field("directed", edge.directed)
            fieldOrNull("label", edge.label)
            field("relation", edge.relation.rawValue)
            field("relation_label", edge.relationLabel)
            field("source", edge.source.rawValue)
            field("target", edge.target.rawValue)
            fieldOrNull("tooltip", edge.tooltip)
            fieldOrNull("weight", edge.weight)
            endObject()
        }
        endArray()
        key("groups")
        beginArray()
        for group in network.groups {
            element()
            beginObject()
            fieldOrNull("colour", group.colour)
            field("id", group.id)
            field("label", group.label)
            field("members", strings: group.members.map(\.rawValue))
            endObject()
        }
        endArray()
        field("layout", network.layout.rawValue)
        field("line_colour_key", network.lineColourKey)
        key("nodes")
        beginArray()
        for node in network.nodes {
            element()
            beginObject()
            fieldOrNull("code", node.code)
            fieldOrNull("colour", node.colour)
            fieldOrNull("details", node.details)
            field("emphasised", node.emphasised)
            field("id", node.id.rawValue)
            field("kind", node.kind.rawValue)
            field("kind_label", node.kindLabel)
            field("label", node.label)
            fieldOrNull("max_label_lines", node.maxLabelLines)
            field("role", node.role.rawValue)
            fieldOrNull("tooltip", node.tooltip)
            fieldOrNull("url", node.url)
            endObject()
        }
        endArray()
        key("ranks")
        beginArray()
        for rank in network.ranks {
            element()
            beginArray()
            for id in rank { element(); string(id.rawValue); needsComma = true }
            endArray()
        }
        endArray()
        endObject()
    }

    mutating func matrix(_ matrix: MatrixView) {
        beginObject()
        key("cells")
        beginArray()
        for row in matrix.cells {
            element()
            beginArray()
            for cell in row {
                element()
                beginObject()
                field("colour", cell.colour)
                field("text", cell.text)
                field("tooltip", cell.tooltip)
                endObject()
            }
            endArray()
        }
        endArray()
        field("column_header", matrix.columnHeader)
        key("columns")
        axis(matrix.columns)
        field("footnote", matrix.footnote)
        key("legend")
        beginArray()
        for entry in matrix.legend {
            element()
            beginObject()
            field("colour", entry.colour)
            field("label", entry.label)
            endObject()
        }
        endArray()
        field("row_header", matrix.rowHeader)
        key("rows")
        axis(matrix.rows)
        endObject()
    }

    private mutating func axis(_ entries: [MatrixAxisEntry]) {
        beginArray()
        for entry in entries {
            element()
            beginObject()
            field("colour", entry.colour)
            field("group", entry.group)
            field("label", entry.label)
            field("tooltip", entry.tooltip)
            field("url", entry.url)
            endObject()
        }
        endArray()
    }
}
