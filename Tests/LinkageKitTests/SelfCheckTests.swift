import Foundation
import LinkageKit
import LinkageTestSupport
import Testing

/// The datasets check themselves: Chinese labels against the seed text at their citation
/// (`--sources`), code labels against their kind's template, and every stored sum, share and
/// `*_check` recomputed from the data. Each test edits one figure or label in a temporary copy
/// of the bundled datasets and expects an error where the edited value is written.
@Suite("Datasets that check themselves")
struct SelfCheckTests {
    /// A temporary copy of the bundled datasets with `edit` applied to one file.
    static func editedCopy(_ file: String, _ edit: (String) throws -> String) throws -> (root: URL, path: String, text: String) {
        let work = try makeTemporaryDirectory("selfcheck")
        let root = work.appendingPathComponent("datasets")
        try copyDirectory(Repository.datasets, to: root)
        let url = root.appendingPathComponent(file)
        let edited = try edit(try String(contentsOf: url, encoding: .utf8))
        try edited.write(to: url, atomically: true, encoding: .utf8)
        return (root, url.path, edited)
    }

    /// Replaces exactly one occurrence, so a test cannot silently edit nothing (or too much).
    static func replaceOnce(_ text: String, _ old: String, _ new: String) throws -> String {
        let count = text.components(separatedBy: old).count - 1
        try #require(count == 1, "'\(old)' occurs \(count) times")
        return text.replacingOccurrences(of: old, with: new)
    }

    /// 1-based line and column of the first character after `marker` in the line holding `marker`.
    static func position(of marker: String, in text: String, after: String? = nil) throws -> (line: Int, column: Int) {
        var searchFrom = text.startIndex
        if let after, let anchor = text.range(of: after) { searchFrom = anchor.upperBound }
        let range = try #require(text.range(of: marker, range: searchFrom..<text.endIndex))
        let before = text[..<range.upperBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        return (line, text[lineStart..<range.upperBound].count + 1)
    }

    static func errors(_ result: LoadResult, at path: String, line: Int) -> [Diagnostic] {
        result.errors.filter { $0.location?.file == path && $0.location?.line == line }
    }

    // MARK: Labels

    @Test(.enabled(if: Repository.seeds != nil, "needs the seed documents"))
    func aChineseLabelTheSeedDoesNotSayIsAnErrorAtTheLabel() throws {
        let copy = try Self.editedCopy("kap-2023-2027/initiatives.yaml") {
            try Self.replaceOnce($0, "zh: \"实施和扩大宽带基础设施、互联互通和新兴技术\"", "zh: \"实施和扩大卫星基础设施\"")
        }
        defer { try? FileManager.default.removeItem(at: copy.root.deletingLastPathComponent()) }
        let result = DatasetLoader.load(from: copy.root, options: LoadOptions(sourcesDirectory: Repository.seeds))
        let place = try Self.position(of: "zh: ", in: copy.text, after: "id: RI22-AFR2")
        let found = Self.errors(result, at: copy.path, line: place.line)
        #expect(found.count == 1, "\(result.errors)")
        let error = try #require(found.first)
        #expect(error.code == "label-not-in-source")
        #expect(error.location?.column == place.column)
        #expect(error.ids == ["RI22-AFR2"])
        #expect(error.message.contains("实施和扩大卫星基础设施"))
        #expect(error.message.contains("003_db500cc3a9be62d9.txt"))
        #expect(error.message.contains("4 区域性举措, AFR2"))
        #expect(result.errors.count == 1, "\(result.errors)")
    }

    /// The seed says the neighbour's words two lines further down: "near" is the quote's place,
    /// not the section.
    @Test(.enabled(if: Repository.seeds != nil, "needs the seed documents"))
    func theNeighbouringItemsWordsAreNotThisLabel() throws {
        let copy = try Self.editedCopy("kap-2023-2027/initiatives.yaml") {
            try Self.replaceOnce($0, "zh: \"实施和扩大宽带基础设施、互联互通和新兴技术\"", "zh: \"促进新兴技术和创新生态系统\"")
        }
        defer { try? FileManager.default.removeItem(at: copy.root.deletingLastPathComponent()) }
        let result = DatasetLoader.load(from: copy.root, options: LoadOptions(sourcesDirectory: Repository.seeds))
        #expect(result.errors.map(\.code) == ["label-not-in-source"], "\(result.errors)")
        #expect(result.errors.first?.ids == ["RI22-AFR2"])
    }

    /// REGION-ASP used to cite the §4 introduction ("亚洲和太平洋") for its label 亚太地区, the
    /// sub-heading further down: citing that place again is an error.
    @Test(.enabled(if: Repository.seeds != nil, "needs the seed documents"))
    func aRegionCitingTheIntroductionForItsSubHeadingIsAnError() throws {
        let copy = try Self.editedCopy("kap-2023-2027/initiatives.yaml") {
            try Self.replaceOnce($0, "quote: \"亚太地区 – ASP1：应对最不发达国家\"", "quote: \"非洲、美洲、阿拉伯国家、亚洲和太平洋、独联体和欧洲\"")
        }
        defer { try? FileManager.default.removeItem(at: copy.root.deletingLastPathComponent()) }
        let result = DatasetLoader.load(from: copy.root, options: LoadOptions(sourcesDirectory: Repository.seeds))
        #expect(result.errors.map(\.code) == ["label-not-in-source"], "\(result.errors)")
        #expect(result.errors.first?.ids == ["REGION-ASP"])
    }

    /// The quote check (searched as bytes since the label check came): a quote the seed does not
    /// contain is an error, and its label is then not looked up (no label error on top).
    @Test(.enabled(if: Repository.seeds != nil, "needs the seed documents"))
    func aQuoteTheSeedDoesNotContainIsAnError() throws {
        let copy = try Self.editedCopy("kap-2023-2027/initiatives.yaml") {
            try Self.replaceOnce($0, "quote: \"AFR2：实施和扩大宽带基础设施、互联互通和新兴技术\"", "quote: \"AFR2：实施和扩大卫星基础设施\"")
        }
        defer { try? FileManager.default.removeItem(at: copy.root.deletingLastPathComponent()) }
        let result = DatasetLoader.load(from: copy.root, options: LoadOptions(sourcesDirectory: Repository.seeds))
        // The node and its part-of link (which inherits the node's citation) each say so.
        #expect(result.errors.map(\.code) == ["quote-not-found", "quote-not-found"], "\(result.errors)")
        #expect(result.errors.allSatisfy { $0.ids.first == "RI22-AFR2" })
    }

    @Test func aCodeLabelIsCheckedAgainstItsKindsTemplateWithoutSeeds() throws {
        let copy = try Self.editedCopy("itu-resolutions/resolutions.yaml") {
            try Self.replaceOnce($0, "label: {zh: 全权代表大会第21号决议, en: PP Resolution 21}", "label: {zh: 全权代表大会第12号决议, en: PP Resolution 21}")
        }
        defer { try? FileManager.default.removeItem(at: copy.root.deletingLastPathComponent()) }
        let result = DatasetLoader.load(from: copy.root)
        let place = try Self.position(of: "label: {zh: ", in: copy.text, after: "id: PP-RES-21")
        #expect(result.errors.map(\.code) == ["label-template"], "\(result.errors)")
        let error = try #require(result.errors.first)
        #expect(error.location == LinkageKit.SourceLocation(file: copy.path, line: place.line, column: place.column))
        #expect(error.message.contains("全权代表大会第21号决议"))
    }

    // MARK: Figures

    /// P1's budget edited to 519,001: its themes no longer add up to it, its section's total
    /// row no longer matches, and the lines no longer add up to the total. Each stored figure
    /// that is now false is an error at its own line.
    @Test func aBudgetThatNoLongerAddsUpIsAnErrorAtEveryFigureItFalsifies() throws {
        let copy = try Self.editedCopy("op-2023/budget.yaml") {
            try Self.replaceOnce($0, "      budget_chf: 519000\n", "      budget_chf: 519001\n")
        }
        defer { try? FileManager.default.removeItem(at: copy.root.deletingLastPathComponent()) }
        let result = DatasetLoader.load(from: copy.root)
        var expected: [LinkageKit.SourceLocation] = []
        for (attribute, node) in [("lines_sum_chf: ", "id: OP23-BUD-TOTAL"), ("sum_check: ", "id: OP23-BUD-TOTAL"),
                                  ("themes_sum_check: ", "id: OP23-BUD-P1"), ("section_total_row_check: ", "id: OP23-BUD-P1")] {
            let place = try Self.position(of: attribute, in: copy.text, after: node)
            expected.append(LinkageKit.SourceLocation(file: copy.path, line: place.line, column: place.column))
        }
        #expect(result.errors.compactMap(\.location).sorted() == expected.sorted(), "\(result.errors)")
        #expect(result.errors.allSatisfy { $0.code == "derived-figure" })
        let sum = try #require(result.errors.first { $0.message.hasPrefix("lines_sum_chf") })
        #expect(sum.message.contains("is 4200000, but recomputed it is 4200001"), "\(sum.message)")
    }

    /// With the seeds, the edited budget itself is an error too: table 1 prints 519,000 in P1's row.
    @Test(.enabled(if: Repository.seeds != nil, "needs the seed documents"))
    func anEditedBudgetIsNotWhatTheSeedPrints() throws {
        let copy = try Self.editedCopy("op-2023/budget.yaml") {
            try Self.replaceOnce($0, "      budget_chf: 519000\n", "      budget_chf: 519001\n")
        }
        defer { try? FileManager.default.removeItem(at: copy.root.deletingLastPathComponent()) }
        let result = DatasetLoader.load(from: copy.root, options: LoadOptions(sourcesDirectory: Repository.seeds))
        let place = try Self.position(of: "budget_chf: ", in: copy.text, after: "id: OP23-BUD-P1")
        let atBudget = result.errors.filter { $0.code == "figure-not-in-source" }
        #expect(atBudget.map(\.location) == [LinkageKit.SourceLocation(file: copy.path, line: place.line, column: place.column)],
                "\(result.errors)")
        #expect(atBudget.first?.message.contains("it prints 519,000 and 12.4%, the node stores 519,001 and 12.4%") == true,
                "\(atBudget)")
        #expect(result.errors.filter { $0.code == "derived-figure" }.count == 4)
    }

    /// A share edited together with its check stays consistent in the data; only the seed shows
    /// that table 1 prints 12.4%, not 12.3%.
    @Test(.enabled(if: Repository.seeds != nil, "needs the seed documents"))
    func aConsistentlyEditedShareIsNotWhatTheSeedPrints() throws {
        let copy = try Self.editedCopy("op-2023/budget.yaml") {
            let share = try Self.replaceOnce($0, "share_percent_printed: 12.4\n      share_percent_computed: 12.36\n      share_check: agrees",
                                             "share_percent_printed: 12.3\n      share_percent_computed: 12.36\n      share_check: disagrees")
            let row = try Self.replaceOnce(share, "section_total_row_share_percent_printed: 12.4\n      section_total_row_check: agrees",
                                           "section_total_row_share_percent_printed: 12.4\n      section_total_row_check: disagrees")
            return try Self.replaceOnce(row, "share_percent_printed_sum: 100.2", "share_percent_printed_sum: 100.1")
        }
        defer { try? FileManager.default.removeItem(at: copy.root.deletingLastPathComponent()) }
        #expect(DatasetLoader.load(from: copy.root).errors.isEmpty, "consistent without the seeds")
        let result = DatasetLoader.load(from: copy.root, options: LoadOptions(sourcesDirectory: Repository.seeds))
        let place = try Self.position(of: "share_percent_printed: ", in: copy.text, after: "id: OP23-BUD-P1")
        #expect(result.errors.map(\.code) == ["figure-not-in-source"], "\(result.errors)")
        #expect(result.errors.first?.location == LinkageKit.SourceLocation(file: copy.path, line: place.line, column: place.column))
    }

    @Test func aCheckThatSaysAgreesWhereTheFiguresDisagreeIsAnError() throws {
        let copy = try Self.editedCopy("op-2023/themes.yaml") {
            try Self.replaceOnce($0, "share_percent_of_priority_printed: 24.5\n", "share_percent_of_priority_printed: 25.5\n")
        }
        defer { try? FileManager.default.removeItem(at: copy.root.deletingLastPathComponent()) }
        let result = DatasetLoader.load(from: copy.root)
        let place = try Self.position(of: "share_percent_of_priority_check: ", in: copy.text, after: "id: OP23-TH-P1-EMTEL")
        #expect(result.errors.map(\.location) == [LinkageKit.SourceLocation(file: copy.path, line: place.line, column: place.column)],
                "\(result.errors)")
        #expect(result.errors.first?.message.contains("says 'agrees', but recomputed it disagrees") == true)
    }

    /// The one real disagreement (P3's §3.3 total row prints 26.4%, table 1 26.5%) is recorded
    /// as `disagrees`; writing `agrees` there is an error.
    @Test func aDisagreementCannotBeRecordedAsAgreement() throws {
        let copy = try Self.editedCopy("op-2023/budget.yaml") {
            try Self.replaceOnce($0, "section_total_row_check: disagrees", "section_total_row_check: agrees")
        }
        defer { try? FileManager.default.removeItem(at: copy.root.deletingLastPathComponent()) }
        let result = DatasetLoader.load(from: copy.root)
        let place = try Self.position(of: "section_total_row_check: ", in: copy.text, after: "id: OP23-BUD-P3")
        #expect(result.errors.map(\.location) == [LinkageKit.SourceLocation(file: copy.path, line: place.line, column: place.column)],
                "\(result.errors)")
    }

    @Test func aStoredShareIsRecomputed() throws {
        let copy = try Self.editedCopy("op-2023/themes.yaml") {
            try Self.replaceOnce($0, "share_percent_of_total_computed: 3.02\n", "share_percent_of_total_computed: 3.2\n")
        }
        defer { try? FileManager.default.removeItem(at: copy.root.deletingLastPathComponent()) }
        let result = DatasetLoader.load(from: copy.root)
        #expect(result.errors.map(\.code) == ["derived-figure"], "\(result.errors)")
        #expect(result.errors.first?.message.contains("is 3.2, but recomputed it is 3.02") == true)
    }

    @Test func aDerivedLookingAttributeWithoutARuleIsAnError() throws {
        let copy = try Self.editedCopy("op-2023/budget.yaml") {
            try Self.replaceOnce($0, "      sum_check: agrees\n", "      sum_check: agrees\n      budget_check: agrees\n")
        }
        defer { try? FileManager.default.removeItem(at: copy.root.deletingLastPathComponent()) }
        let result = DatasetLoader.load(from: copy.root)
        #expect(result.errors.map(\.code) == ["derived-figure"], "\(result.errors)")
        #expect(result.errors.first?.message.contains("no rule recomputes it") == true)
    }

    // MARK: The bundled datasets

    /// What the self-checks cover in the bundled datasets (the counts the README states).
    @Test(.enabled(if: Repository.seeds != nil, "needs the seed documents"))
    func theBundledDatasetsPassEveryCheck() {
        let result = Repository.loaded
        #expect(result.errors.isEmpty, "\(result.errors)")
        let checks = result.selfChecks
        #expect(checks.labelsAtCitation == 596)
        #expect(checks.labelsByTemplate == 114)
        #expect(checks.labelsDeclaredNotVerbatim == 19)
        #expect(checks.figuresRecomputed == 112)
        #expect(checks.figuresAtCitation == 60)
    }
}
