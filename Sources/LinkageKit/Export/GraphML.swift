/// GraphML (http://graphml.graphdrawing.org/), the graph format Gephi, yEd, Cytoscape and
/// NetworkX read: every node with its kind, labels, dataset and source; every link with its
/// relation, provenance and basis.
public enum GraphML {
    public static func document(nodes: [Node], edges: [Edge]) -> String {
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
            out += "    <node id=\"\(escape(node.id.rawValue))\">\n"
            let values: [String: String?] = [
                "kind": node.kind.rawValue, "label_en": node.label.en, "label_zh": node.label.zh, "dataset": node.dataset,
                "source": node.citation.reference, "uri": node.attributes["uri"]?.stringValue,
                "colour": node.attributes["colour"]?.stringValue,
            ]
            for (id, _) in nodeKeys {
                if let value = values[id] ?? nil { out += "      <data key=\"n_\(id)\">\(escape(value))</data>\n" }
            }
            out += "    </node>\n"
        }
        for (index, edge) in edges.enumerated() where included.contains(edge.source) && included.contains(edge.target) {
            out += "    <edge id=\"e\(index)\" source=\"\(escape(edge.source.rawValue))\" target=\"\(escape(edge.target.rawValue))\">\n"
            out += "      <data key=\"e_relation\">\(escape(edge.relation.rawValue))</data>\n"
            out += "      <data key=\"e_provenance\">\(edge.provenance.name)</data>\n"
            out += "      <data key=\"e_basis\">\(escape(ProvenanceText.oneLine(edge)))</data>\n"
            out += "    </edge>\n"
        }
        return out + "  </graph>\n</graphml>\n"
    }

    /// XML text escaping; characters XML 1.0 forbids (control characters) become spaces.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default: if scalar.value < 0x20 { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
