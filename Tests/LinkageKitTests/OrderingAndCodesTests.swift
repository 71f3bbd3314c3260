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

    /// The comparison reads UTF-8 bytes in place; it must order exactly as the definition on
    /// Unicode scalars does (the outputs' order depends on it), also for CJK text, accents,
    /// emoji and full-width digits (not digits for the ordering).
    @Test func byteComparisonOrdersAsScalarsDo() async {
        let pieces = ["SDG-", "9", "10", "007", ".", "a", "é", "e\u{301}", "目标", "９", "😀", "Z", "-", "\u{7F}", "\u{80}", "\u{FFFF}"]
        let gen = Gen.element(of: pieces).map { $0 ?? "" }.array(of: 0...6).map { $0.joined() }
        await propertyCheck(count: 500, input: gen, gen) { a, b in
            #expect(NaturalOrder.compare(a, b) == Self.scalarCompare(a, b), "\(a.debugDescription) vs \(b.debugDescription)")
        }
    }

    /// The definition, on Unicode scalars (the implementation before it compared bytes).
    static func scalarCompare(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 48 && s.value <= 57 }
        var i = 0, j = 0
        while i < x.count && j < y.count {
            let xDigit = isDigit(x[i]), yDigit = isDigit(y[j])
            if xDigit && yDigit {
                let xStart = i, yStart = j
                while i < x.count && isDigit(x[i]) { i += 1 }
                while j < y.count && isDigit(y[j]) { j += 1 }
                let xs = x[xStart..<i].drop { $0 == "0" }, ys = y[yStart..<j].drop { $0 == "0" }
                if xs.count != ys.count { return xs.count < ys.count ? -1 : 1 }
                for (p, q) in zip(xs, ys) where p != q { return p.value < q.value ? -1 : 1 }
                if (i - xStart) != (j - yStart) { return (i - xStart) < (j - yStart) ? -1 : 1 }
            } else if xDigit != yDigit {
                return xDigit ? -1 : 1
            } else {
                if x[i] != y[j] { return x[i].value < y[j].value ? -1 : 1 }
                i += 1
                j += 1
            }
        }
        if i < x.count { return 1 }
        if j < y.count { return -1 }
        return 0
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
