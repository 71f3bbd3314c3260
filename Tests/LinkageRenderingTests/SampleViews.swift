import LinkageKit
import LinkageRendering

/// Views built by hand for rendering tests.
enum SampleViews {
    static func text(_ zh: String, _ en: String) -> LocalizedText { LocalizedText(zh: zh, en: en) }

    static let network: ViewSpec = {
        let output = ViewNode(id: "BAAP-OUT-2.1", kind: "baap-output", kindLabel: text("输出成果", "Output"), role: .planElement,
                              label: text("关于电信/信息通信技术（ICT）基础设施及服务的产品和服务，包括宽带和广播",
                                          "Products and services on telecommunication/ICT infrastructure and services, including broadband and broadcasting"),
                              code: "BAAP-OUT-2.1")
        let goal = ViewNode(id: "SDG-9", kind: .sdgGoal, kindLabel: text("可持续发展目标", "SDG goal"), role: .reference,
                            label: text("产业、创新和基础设施", "Industry, innovation and infrastructure"), code: "SDG-9",
                            url: "http://metadata.un.org/sdg/9", colour: "#FD6925")
        let target = ViewNode(id: "SDG-9.c", kind: .sdgTarget, kindLabel: text("具体目标", "SDG target"), role: .reference,
                              label: text("大幅提升信息和通信技术的普及度", "Significantly increase access to ICT"), code: "SDG-9.c",
                              url: "http://metadata.un.org/sdg/9.c", colour: "#FD6925")
        let resolution = ViewNode(id: "PP-RES-131", kind: .ppResolution, kindLabel: text("全权代表大会决议", "PP resolution"),
                                  role: .mandate, label: text("全权代表大会第131号决议", "PP Resolution 131"), code: "PP-RES-131")
        let edges = [
            ViewEdge(source: "BAAP-OUT-2.1", target: "SDG-9.c", relation: .advancesSDG, relationLabel: text("推动", "advances SDG"),
                     declared: true, tooltip: "declared: 002 §2.1"),
            ViewEdge(source: "BAAP-OUT-2.1", target: "SDG-9", relation: .advancesSDG, relationLabel: text("推动", "advances SDG"),
                     declared: false, tooltip: "derived by rule x"),
            ViewEdge(source: "SDG-9.c", target: "SDG-9", relation: .partOf, relationLabel: text("属于", "part of"), declared: true),
            ViewEdge(source: "BAAP-OUT-2.1", target: "PP-RES-131", relation: .implements, relationLabel: text("落实", "implements"),
                     declared: true),
        ]
        return ViewSpec(
            id: "sample", title: text("示例：输出成果与可持续发展目标", "Sample: outputs and SDGs"),
            subtitle: text("说明文字", "How to read it"),
            diagram: .network(NetworkView(
                nodes: [output, goal, target, resolution], edges: edges,
                groups: [ViewGroup(id: "SDG-9", label: text("SDG-9 产业", "SDG-9 Industry"), members: ["SDG-9", "SDG-9.c"], colour: "#FD6925")])))
    }()

    static let matrix: ViewSpec = ViewSpec(
        id: "matrix", title: text("矩阵", "Matrix"),
        diagram: .matrix(MatrixView(
            rowHeader: text("输出成果", "Output"), columnHeader: text("目标", "Goal"),
            rows: [MatrixAxisEntry(label: text("2.1 基础设施", "2.1 Infrastructure")), MatrixAxisEntry(label: text("3.2 统计", "3.2 Statistics"))],
            columns: [MatrixAxisEntry(label: text("SDG 9", "SDG 9"), colour: "#FD6925", url: "http://metadata.un.org/sdg/9"),
                      MatrixAxisEntry(label: text("SDG 17", "SDG 17"), colour: "#19486A")],
            cells: [[MatrixCell("3", colour: "#FEC9A8"), MatrixCell("")], [MatrixCell("1"), MatrixCell("2 <&>", tooltip: "a \"quoted\" tip")]],
            legend: [MatrixLegendEntry(colour: "#FEC9A8", label: text("有联系", "linked"))],
            footnote: text("脚注", "A footnote & more"))))

    /// A heat map of 20 rows × 17 goals (400 boxes): large enough that a leak of a few bytes per
    /// box and render shows over a thousand renders.
    static let largeMatrix: ViewSpec = ViewSpec(
        id: "large-matrix", title: text("大矩阵", "Large matrix"),
        diagram: .matrix(MatrixView(
            rowHeader: text("要素", "Element"), columnHeader: text("目标", "Goal"),
            rows: (1...20).map { MatrixAxisEntry(label: text("要素 \($0)", "Element \($0)"), group: text("组 \(($0 - 1) / 10 + 1)", "Block \(($0 - 1) / 10 + 1)")) },
            columns: (1...17).map { MatrixAxisEntry(label: text("目标\($0)", "SDG \($0)"), colour: "#FD6925", url: "http://metadata.un.org/sdg/\($0)") },
            cells: (1...20).map { r in (1...17).map { c in MatrixCell((r * c) % 3 == 0 ? "\(r % 5)" : "", colour: (r + c) % 4 == 0 ? "#FEC9A8" : nil) } })))
}
