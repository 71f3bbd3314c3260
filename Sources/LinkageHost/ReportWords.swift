import LinkageKit

/// The fixed words of the HTML reports and the index (section titles, labels, hints), in both
/// languages. Texts from analyses and data come with their own languages (`LocalizedText`);
/// only the frame of the page is here. A test checks that no entry is empty in either language.
struct ReportWords: Sendable {
    let language: Language

    static let catalogue: [String: LocalizedText] = [
        "headline": LocalizedText(zh: "主要数据", en: "Headline figures"),
        "findings": LocalizedText(zh: "发现", en: "Findings"),
        "severity.error": LocalizedText(zh: "错误", en: "Errors"),
        "severity.warning": LocalizedText(zh: "警告", en: "Warnings"),
        "severity.info": LocalizedText(zh: "说明", en: "Notes"),
        "noFindings": LocalizedText(zh: "没有发现。", en: "No findings."),
        "tables": LocalizedText(zh: "表格", en: "Tables"),
        "diagrams": LocalizedText(zh: "图示", en: "Diagrams"),
        "method": LocalizedText(zh: "阅读说明", en: "How to read this"),
        "renderingProblems": LocalizedText(zh: "绘图问题", en: "Rendering problems"),
        "producedBy": LocalizedText(zh: "生成命令", en: "Produced by"),
        "computed": LocalizedText(zh: "以下所有数字均根据关联图计算得出。", en: "Every figure below is computed from the linkage graph."),
        "rows": LocalizedText(zh: "行", en: "rows"),
        "row": LocalizedText(zh: "行", en: "row"),
        "noRows": LocalizedText(zh: "无数据行。", en: "No rows."),
        "firstRows": LocalizedText(zh: "此处仅列出前{shown}行（共{total}行）；全部数据见", en: "The first {shown} of {total} rows are shown here; all of them are in"),
        "files": LocalizedText(zh: "文件", en: "Files"),
        "filter": LocalizedText(zh: "筛选行", en: "Filter rows"),
        "sortHint": LocalizedText(zh: "点击列标题可排序，在筛选框中输入文字可筛选行。", en: "Click a column heading to sort; type in the filter box to filter rows."),
        "contents": LocalizedText(zh: "目录", en: "Contents"),
        "otherLanguage": LocalizedText(zh: "English version", en: "中文版"),
        "workbook": LocalizedText(zh: "Excel工作簿", en: "Excel workbook"),
        "data": LocalizedText(zh: "全部表格：", en: "All tables: "),
        "fullStop": LocalizedText(zh: "。", en: ". "),
        "ids": LocalizedText(zh: "涉及", en: "Concerns"),
        "index.title": LocalizedText(zh: "关联分析", en: "Linkage analyses"),
        "index.produced": LocalizedText(zh: "由 linkage all 根据所附数据集生成", en: "Produced by linkage all from the bundled datasets"),
        "index.nodes": LocalizedText(zh: "个节点", en: "nodes"),
        "index.links": LocalizedText(zh: "条关联", en: "links"),
        "index.report": LocalizedText(zh: "报告", en: "Report"),
        "index.reportZh": LocalizedText(zh: "报告（中文）", en: "Report (Chinese)"),
        "index.earlier": LocalizedText(zh: "以下文件来自之前的一次运行。", en: "The files below are from an earlier run."),
        "index.datasets": LocalizedText(zh: "数据集", en: "Datasets"),
        "index.dataset": LocalizedText(zh: "数据集", en: "Dataset"),
        "index.datasetTitle": LocalizedText(zh: "标题", en: "Title"),
        "index.nodeCount": LocalizedText(zh: "节点", en: "Nodes"),
        "index.linkCount": LocalizedText(zh: "关联", en: "Links"),
        "index.tables": LocalizedText(zh: "表格（CSV）", en: "Tables (CSV)"),
        "index.diagramFiles": LocalizedText(zh: "全部图示文件", en: "All diagram files"),
    ]

    subscript(key: String) -> String {
        guard let text = Self.catalogue[key] else { preconditionFailure("no report word \(key)") }
        return text[language]
    }

    func severity(_ severity: Finding.Severity) -> String { self["severity.\(severity.rawValue)"] }

    func firstRows(shown: Int, total: Int) -> String {
        self["firstRows"].replacingOccurrences(of: "{shown}", with: String(shown)).replacingOccurrences(of: "{total}", with: String(total))
    }

    func rowCount(_ count: Int) -> String {
        language == .zh ? "\(count)\(self["rows"])" : "\(count) \(count == 1 ? self["row"] : self["rows"])"
    }
}
