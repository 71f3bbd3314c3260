import LinkageKit
import PropertyBased
import Testing

@Suite("Natural id order")
struct NaturalOrderTests {
    @Test func sdgCodesSortAsTheUNListsThem() {
        let ids: [NodeID] = ["SDG-10", "SDG-9.c", "SDG-9.a", "SDG-9.10", "SDG-9.2", "SDG-9", "SDG-1.b", "SDG-17.19", "SDG-9.1"]
        #expect(ids.sorted().map(\.rawValue) == ["SDG-1.b", "SDG-9", "SDG-9.1", "SDG-9.2", "SDG-9.10", "SDG-9.a", "SDG-9.c", "SDG-10", "SDG-17.19"])
    }

    @Test func planIdsSortByNumber() {
        let ids: [NodeID] = ["BAAP-OUT-4.1", "BAAP-OUT-1.10", "BAAP-OUT-1.2", "PP-RES-131", "PP-RES-25", "PP-RES-200"]
        #expect(ids.sorted().map(\.rawValue) == ["BAAP-OUT-1.2", "BAAP-OUT-1.10", "BAAP-OUT-4.1", "PP-RES-25", "PP-RES-131", "PP-RES-200"])
    }

    @Test func isATotalOrder() async {
        let gen = Gen.element(of: ["SDG-", "9", "10", ".", "a", "c", "0", "09", "-", "Q", "/"]).map { $0 ?? "" }.array(of: 0...6).map { $0.joined() }
        await propertyCheck(count: 300, input: gen, gen, gen) { a, b, c in
            let ab = NaturalOrder.compare(a, b), ba = NaturalOrder.compare(b, a)
            #expect(ab == -ba)
            #expect((ab == 0) == (a == b))
            if ab < 0 && NaturalOrder.compare(b, c) < 0 { #expect(NaturalOrder.compare(a, c) < 0) }
        }
    }
}

@Suite("SDG codes")
struct SDGCodeTests {
    @Test(arguments: ["SDG-9", "SDG-9.c", "SDG-9.c.1", "SDG-17.19", "SDG-16.10.2", "SDG-1.a"])
    func validCodesParse(_ id: String) throws {
        let code = try SDGCode.parse(id).get()
        #expect(code.description == id)
    }

    @Test(arguments: [
        ("SDG-18", "there are 17 SDGs; goal 18 does not exist"),
        ("SDG-0", "there are 17 SDGs; goal 0 does not exist"),
        ("SDG-5b", "the target is written without a dot; write SDG-5.b"),
        ("SDG-5.B", "target letters are lower-case, as the UN writes them: SDG-5.b"),
        ("SDG-09", "'09' is not a goal number"),
        ("SDG-9.cc", "'cc' is not a target code (a number or one lower-case letter)"),
        ("SDG-9.c.x", "'x' is not an indicator number"),
        ("SDG-", "no goal number"),
    ])
    func malformedCodesSayWhy(_ id: String, _ problem: String) {
        guard case .failure(let error) = SDGCode.parse(id) else {
            Issue.record("\(id) should not parse")
            return
        }
        #expect(error.problem == problem)
        #expect(error.description == "malformed SDG code '\(id)': \(problem)")
    }
}
