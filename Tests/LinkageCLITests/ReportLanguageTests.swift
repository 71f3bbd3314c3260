import Foundation
@testable import LinkageHost
import LinkageKit
import LinkageTestSupport
import Testing

/// Reports in English and Chinese: `--lang` chooses them as it chooses the diagrams' languages.
@Suite("Reports in English and Chinese")
struct ReportLanguageTests {
    @Test func theReportWritersCatalogueIsCompleteInBothLanguagesAndEveryEntryIsUsed() {
        let problems = CatalogueCheck.problems(strings, sources: Repository.root.appendingPathComponent("Sources/LinkageHost"))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func langChoosesTheReportsAsItChoosesTheDiagrams() throws {
        let folder = try makeTemporaryDirectory("lang")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (lang, expected) in [("both", ["report.html", "report.md", "report.zh.html", "report.zh.md"]),
                                 ("en", ["report.html", "report.md"]), ("zh", ["report.zh.html", "report.zh.md"])] {
            let out = folder.appendingPathComponent(lang)
            let result = try runLinkage(["run", "neighbourhood", "--set", "focus=BAAP-OUT-2.3", "-o", out.path, "--lang", lang])
            #expect(result.status == 0, "\(result.stderr)")
            let reports = relativeFiles(in: out.appendingPathComponent("neighbourhood")).filter { $0.hasPrefix("report") }
            #expect(reports.sorted() == expected, "--lang \(lang)")
        }
    }

    /// The Chinese report has Chinese section titles, findings, table headings and notes, shows
    /// the Chinese diagrams and links the English report; the English one has none of that.
    @Test func theChineseReportIsInChineseAndShowsTheChineseDiagrams() throws {
        let folder = try makeTemporaryDirectory("zh-report")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runLinkage(["run", "risk-matrix", "-o", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        let zh = try String(contentsOf: folder.appendingPathComponent("risk-matrix/report.zh.md"), encoding: .utf8)
        let en = try String(contentsOf: folder.appendingPathComponent("risk-matrix/report.md"), encoding: .utf8)
        for heading in ["# 风险登记册与风险矩阵", "## 主要数字", "## 发现", "## 表格", "## 图", "## 阅读说明", "### 风险登记册", "| 项目 | 数值 |",
                        "风险登记册中的风险", "未评估的风险", "[English report](report.md)"] {
            #expect(zh.contains(heading), "report.zh.md lacks \(heading)")
        }
        for heading in ["## Headline figures", "## Findings", "## Tables", "## How to read this", "Risks in the register"] {
            #expect(!zh.contains(heading), "report.zh.md still has \(heading)")
            #expect(en.contains(heading), "report.md lacks \(heading)")
        }
        #expect(en.contains("[中文报告](report.zh.md)"))
        #expect(zh.contains(".zh.svg") && !zh.contains(".en.svg"))
        #expect(en.contains(".en.svg") && !en.contains(".zh.svg"))
    }

    /// No report shows a catalogue key instead of its text, or a placeholder left unfilled.
    @Test func noCommittedReportShowsAMissingTextOrAnUnfilledPlaceholder() throws {
        let unfilled = try Regex(#"\{[a-z_]+(:[^}]*)?\}"#)
        let reports = relativeFiles(in: Repository.graphs).filter { $0.hasSuffix("report.md") || $0.hasSuffix("report.zh.md") }
        #expect(reports.count >= 10)
        for report in reports {
            let text = try String(contentsOf: Repository.graphs.appendingPathComponent(report), encoding: .utf8)
            #expect(!text.contains("⟦"), "\(report) shows a catalogue key")
            #expect(text.firstMatch(of: unfilled) == nil, "\(report) has an unfilled placeholder")
        }
    }
}
