import Foundation
import LinkageKit
import LinkageTestSupport
@testable import RiskMatrix
import Testing

/// The shipped level files, the file format and its error messages.
@Suite("risk matrix: level tables")
struct LevelTableTests {
    static let levelsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("levels")

    @Test func shippedFilesAreTheBuiltInTables() throws {
        let three = try RiskScale.load(file: Self.levelsFolder.appendingPathComponent("risk-levels-3x3.yaml").path)
        let five = try RiskScale.load(file: Self.levelsFolder.appendingPathComponent("risk-levels-5x5.yaml").path)
        #expect(three == RiskScale.builtIn3x3)
        #expect(five == RiskScale.builtIn5x5)
    }

    @Test func builtInTablesAreWrittenOutAndReadBack() throws {
        for table in [RiskScale.builtIn3x3, RiskScale.builtIn5x5] {
            #expect(try RiskScale.parse(table.yaml, origin: "round trip") == table)
            #expect(table.isMonotone)
        }
        // Spot checks against the literal tables: (likelihood, impact) → level.
        #expect(RiskScale.builtIn3x3.level(likelihood: 3, impact: 1).id == "medium")
        #expect(RiskScale.builtIn3x3.level(likelihood: 1, impact: 3).id == "medium")
        #expect(RiskScale.builtIn5x5.level(likelihood: 5, impact: 5).id == "very-high")
        #expect(RiskScale.builtIn5x5.level(likelihood: 1, impact: 4).id == "low")
        #expect(RiskScale.builtIn5x5.level(likelihood: 2, impact: 5).id == "high")
    }

    /// A 3×3 table where every cell is "watch" except the top-right one.
    static let customThree = """
        # a test table
        name: {en: Custom, zh: 自定义}
        size: 3
        levels:
          - {id: watch, en: Watch, zh: 关注, colour: "#90CAF9"}
          - id: act          # block form of a list item
            en: Act now
            zh: 立即行动
            colour: '#B71C1C'
        likelihood: [{en: L1, zh: 一}, {en: L2, zh: 二}, {en: L3, zh: 三}]
        impact:
          - {en: I1, zh: 一}
          - {en: I2, zh: 二}
          - {en: I3, zh: 三}
        three_level_positions: {low: 1, medium: 2, high: 3}
        matrix:
          3: [watch, watch, act]
          2: [watch, watch, watch]
          1: [watch, watch, watch]
        """

    @Test func aLevelFileReplacesTheTable() throws {
        let folder = try makeTemporaryDirectory("risk-levels")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("custom.yaml")
        try Self.customThree.write(to: file, atomically: true, encoding: .utf8)
        let result = try runRisk(riskFixture(), ["levels": file.path])
        let register = try result.table("risk-register")
        // R-1 (high, high) → (3,3) → act; R-3 (medium, high) → (2,3) → watch; R-2 → watch.
        #expect(register.value("level", where: "id", is: .id("R-1")) == .text("act"))
        #expect(register.value("level", where: "id", is: .id("R-3")) == .text("watch"))
        #expect(result.figure("Placed at level Act now") == "1")
        #expect(result.figure("Placed at level Watch") == "2")
        #expect(try result.table("level-table").title.en == "Level table used (\(file.path))")
        #expect(try result.table("levels").rows.map { $0[3] } == [.text("#B71C1C"), .text("#90CAF9")])
        // scale=5 with a 3×3 file is a contradiction.
        #expect(throws: AnalysisOptionError.self) { try runRisk(riskFixture(), ["levels": file.path, "scale": "5"]) }
    }

    @Test func aTableWithoutThreeLevelPositionsRefusesThreeLevelRatings() throws {
        let folder = try makeTemporaryDirectory("risk-levels")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("five.yaml")
        let text = RiskScale.builtIn5x5.yaml.split(separator: "\n").filter { !$0.hasPrefix("three_level_positions") }.joined(separator: "\n")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: AnalysisOptionError.self) { try runRisk(riskFixture(), ["levels": file.path]) }
        #expect(error?.option == "levels")
        #expect(error?.message.contains("R-1, R-2, R-3") == true)
        #expect(error?.message.contains("three_level_positions") == true)
    }

    /// The built-in 3×3 file with one line changed, and the message the reader gets.
    @Test(arguments: [
        ("  - {id: low, en: Low, zh: 低, colour: \"#66BB6A\"}", "  - low", "line 4: a level must be a mapping"),
        ("colour: \"#66BB6A\"", "colour: #66BB6A", "YAML syntax error: while parsing a flow node did not find expected node content"),
        ("size: 3", "size: three", "line 2: size must be a whole number"),
        ("levels:", "level:", "unknown key 'level' in the file (did you mean 'levels'?)"),
        ("colour: \"#66BB6A\"}", "colour: \"#66BB6A\"", "YAML syntax error: while parsing a flow mapping did not find expected ',' or '}'"),
        ("three_level_positions: {low: 1, medium: 2, high: 3}", "three_level_positions: {low: 1, medium: 3, high: 2}",
         "three_level_positions must increase"),
    ])
    func malformedFilesSayWhatIsWrong(original: String, replacement: String, expected: String) {
        let text = RiskScale.builtIn3x3.yaml.replacingOccurrences(of: original, with: replacement)
        #expect(text != RiskScale.builtIn3x3.yaml)
        do {
            _ = try RiskScale.parse(text, origin: "test")
            Issue.record("expected an error after replacing \(original)")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }

    @Test func matrixMistakesAreCaught() {
        func attempt(_ matrix: String) -> String {
            let text = RiskScale.builtIn3x3.yaml.components(separatedBy: "matrix:")[0] + "matrix:\n" + matrix
            do { _ = try RiskScale.parse(text, origin: "t"); return "" } catch { return "\(error)" }
        }
        #expect(attempt("  3: [medium, high, high]\n  2: [low, medium, high]\n").contains("no row for likelihood position 1"))
        #expect(attempt("  3: [medium, high]\n  2: [low, medium, high]\n  1: [low, low, medium]\n").contains("has 2 cells"))
        #expect(attempt("  3: [medium, high, severe]\n  2: [low, medium, high]\n  1: [low, low, medium]\n").contains("unknown level 'severe'"))
        // Not monotone: allowed, but reported.
        #expect(attempt("  3: [low, low, low]\n  2: [low, medium, high]\n  1: [low, low, medium]\n") == "")
    }

    @Test func notMonotoneTablesAreReported() throws {
        let folder = try makeTemporaryDirectory("risk-levels")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("odd.yaml")
        let text = RiskScale.builtIn3x3.yaml.replacingOccurrences(of: "3: [medium, high, high]", with: "3: [low, low, low]")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let result = try runRisk(riskFixture(), ["levels": file.path])
        #expect(result.findings("table-not-monotone").count == 1)
        // R-1 (3,3) is now low.
        #expect(try result.table("risk-register").value("level", where: "id", is: .id("R-1")) == .text("low"))
    }
}
