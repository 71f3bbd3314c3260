import LinkageKit
import Testing

@Suite("String catalogues")
struct StringCatalogueTests {
    let catalogue = StringCatalogue(
        en: ["steps": "{id} within {n} {n:step|steps} over {relations}", "title": "{plan}: links", "plain": "No findings."],
        zh: ["steps": "{id} 在 {n} 步之内经 {relations}", "title": "{plan}：联系", "plain": "没有发现。"])

    @Test func fillsValuesInEachLanguageWithEnglishPlurals() {
        let one = catalogue("steps", ["id": NodeID("KAP-P1"), "n": 1, "relations": CatalogueList(["part-of", "advances-sdg"])])
        #expect(one.en == "KAP-P1 within 1 step over part-of, advances-sdg")
        #expect(one.zh == "KAP-P1 在 1 步之内经 part-of、advances-sdg")
        #expect(catalogue("steps", ["id": "X", "n": 2, "relations": "r"]).en == "X within 2 steps over r")
        #expect(catalogue("steps", ["id": "X", "n": 0, "relations": "r"]).en == "X within 0 steps over r")
    }

    @Test func aLocalizedValueIsTakenInTheTextsLanguage() {
        let text = catalogue("title", ["plan": LocalizedText(zh: "基加利行动计划", en: "Kigali Action Plan")])
        #expect(text == LocalizedText(zh: "基加利行动计划：联系", en: "Kigali Action Plan: links"))
    }

    @Test func bracesThatAreNoPlaceholderStayAsWritten() {
        let odd = StringCatalogue(en: ["k": "{a} {not one} {} {{a}} {"], zh: ["k": "{a}"])
        #expect(odd("k", ["a": "x"]).en == "x {not one} {} {x} {")
    }

    @Test func aCompleteCatalogueHasNoProblems() {
        #expect(catalogue.problems(usedKeys: ["steps", "title", "plain"]).isEmpty)
    }

    @Test func findsAMissingLanguageAPlaceholderMismatchAndUnusedOrUnknownKeys() {
        let broken = StringCatalogue(
            en: ["only-en": "x", "both": "{plan} has {n} {n:item|items}", "mismatch": "{plan} and {id}", "empty": "x"],
            zh: ["only-zh": "x", "both": "{plan} 有 {n} 项", "mismatch": "{plan}", "empty": " "])
        let problems = broken.problems(usedKeys: ["both", "mismatch", "empty", "only-en", "only-zh", "nowhere"])
        #expect(problems.contains("only-en: no Chinese text"))
        #expect(problems.contains("only-zh: no English text"))
        #expect(problems.contains { $0.hasPrefix("mismatch: placeholders differ") })
        #expect(problems.contains("empty: the Chinese text is empty"))
        #expect(problems.contains("nowhere: used but in neither language"))
        #expect(!problems.contains { $0.hasPrefix("both") }, "a plural choice is English grammar, not a value Chinese must print")
        #expect(broken.problems(usedKeys: ["both"]).contains("mismatch: in the catalogue but never used"))
    }

    @Test func placeholdersAreTheValuesATemplatePrints() {
        #expect(StringCatalogue.placeholders(in: "{a} {b:one|other} {c}") == ["a", "c"])
    }

    @Test func loadsCataloguesFromYAML() throws {
        let loaded = try StringCatalogue(yamlEnglish: "greeting: \"Hello, {name}\"\n", yamlChinese: "greeting: \"你好，{name}\"\n")
        #expect(loaded("greeting", ["name": "ITU"]) == LocalizedText(zh: "你好，ITU", en: "Hello, ITU"))
        #expect(throws: CatalogueError.self) { try StringCatalogue(yamlEnglish: "- a list", yamlChinese: "") }
    }
}
