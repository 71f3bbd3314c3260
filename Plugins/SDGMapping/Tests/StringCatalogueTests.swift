import LinkageTestSupport
@testable import SDGMapping
import Testing

/// Every fixed sentence of the analysis is in its catalogue in English and Chinese, with the
/// same values in both, and the catalogue holds nothing the code does not use.
@Test func theStringCatalogueIsCompleteInBothLanguagesAndEveryEntryIsUsed() {
    let problems = CatalogueCheck.problems(strings, sources: Repository.root.appendingPathComponent("Plugins/SDGMapping/Sources"))
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
}
