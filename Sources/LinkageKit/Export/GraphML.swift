/// GraphML (http://graphml.graphdrawing.org/), the graph format Gephi, yEd, Cytoscape and
/// NetworkX read: every node with its kind, labels, dataset and source; every link with its
/// relation, provenance and basis.
///
/// Text is written so that an XML parser reads back exactly the data: `& < > "` as entities, and
/// tab, newline and carriage return as character references wherever a parser would otherwise
/// normalise them (in attributes all three; in element text the carriage return). XML 1.0 cannot
/// carry the other control characters at all, not even as references: an id holding one cannot
/// be written (ids must survive exactly, or links would point elsewhere), so the export fails
/// naming it; in labels and other values such a character is written as a visible `\u{1B}`
/// escape (the JSON export carries those values exactly).
public enum GraphML {
    /// A node id or relation that GraphML cannot carry exactly.
    public struct UnrepresentableID: Error, CustomStringConvertible, Sendable {
        public var id: String
        public var character: Unicode.Scalar
        public var description: String {
            "the id '\(InertText.visible(id, escapingLineBreaks: true))' holds \(InertText.escape(character)), which XML 1.0 (and so GraphML) cannot carry; export it as JSON instead"
        }
    }

    public static func document(nodes: [Node], edges: [Edge]) throws(UnrepresentableID) -> String {
        let nodeKeys: [(String, String)] = [("kind", "kind"), ("label_en", "label_en"), ("label_zh", "label_zh"),
                                            ("dataset", "dataset"), ("source", "source"), ("uri", "uri"), ("colour", "colour")]
        let edgeKeys: [(String, String)] = [("relation", "relation"), ("provenance", "provenance"), ("basis", "basis")]
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">

            """
        for (id, name) in nodeKeys {
            out += "  <key id=\"n_\(id)\" for=\"node\" attr.name=\"\(name)\" attr.type=\"string\"/>\n"
        }
        for (id, name) in edgeKeys {
            out += "  <key id=\"e_\(id)\" for=\"edge\" attr.name=\"\(name)\" attr.type=\"string\"/>\n"
        }
        out += "  <graph id=\"linkage\" edgedefault=\"directed\">\n"
        let included = Set(nodes.map(\.id))
        for node in nodes {
            out += "    <node id=\"\(try idAttribute(node.id.rawValue))\">\n"
            let values: [String: String?] = [
                "kind": node.kind.rawValue, "label_en": node.label.en, "label_zh": node.label.zh, "dataset": node.dataset,
                "source": node.citation.reference, "uri": node.attributes["uri"]?.stringValue,
                "colour": node.attributes["colour"]?.stringValue,
            ]
            for (id, _) in nodeKeys {
                if let value = values[id] ?? nil { out += "      <data key=\"n_\(id)\">\(text(value))</data>\n" }
            }
            out += "    </node>\n"
        }
        for (index, edge) in edges.enumerated() where included.contains(edge.source) && included.contains(edge.target) {
            out += "    <edge id=\"e\(index)\" source=\"\(try idAttribute(edge.source.rawValue))\" target=\"\(try idAttribute(edge.target.rawValue))\">\n"
            out += "      <data key=\"e_relation\">\(text(edge.relation.rawValue))</data>\n"
            out += "      <data key=\"e_provenance\">\(text(edge.provenance.name))</data>\n"
            out += "      <data key=\"e_basis\">\(text(ProvenanceText.oneLine(edge)))</data>\n"
            out += "    </edge>\n"
        }
        return out + "  </graph>\n</graphml>\n"
    }

    /// Whether XML 1.0 can carry `scalar` (its `Char` production; Swift strings hold no surrogates).
    static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: true
        case 0x00...0x1F, 0xFFFE, 0xFFFF: false
        default: true
        }
    }

    /// Element text: read back exactly, except that characters XML cannot carry become `\u{…}`.
    static func text(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\r": out += "&#13;"
            default:
                if isXMLCharacter(scalar) { out.unicodeScalars.append(scalar) } else { out += InertText.escape(scalar) }
            }
        }
        return out
    }

    /// An attribute value holding an id: read back exactly, or refused.
    static func idAttribute(_ id: String) throws(UnrepresentableID) -> String {
        var out = ""
        out.reserveCapacity(id.utf8.count)
        for scalar in id.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                guard isXMLCharacter(scalar) else { throw UnrepresentableID(id: id, character: scalar) }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
