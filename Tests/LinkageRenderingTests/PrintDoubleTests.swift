import CGraphvizSupport
import Foundation
@testable import LinkageRendering
import Testing

/// The program's own `gvprintdouble` (CGraphvizSupport/print_double.c), which Graphviz's SVG
/// writer prints every coordinate with instead of libgvc's `snprintf("%.02f")`: it must write
/// exactly what libgvc writes, for every value it takes.
@Suite("Numbers in Graphviz's output")
struct PrintDoubleTests {
    static func fast(_ value: Double) -> String? {
        var text = [CChar](repeating: 0, count: 64)
        let length = linkage_format_double(value, &text)
        return length == 0 ? nil : String(decoding: text[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func reference(_ value: Double) -> String {
        var text = [CChar](repeating: 0, count: 64)
        let length = linkage_format_double_reference(value, &text)
        return String(decoding: text[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Values where rounding and trimming are easy to get wrong: exact ties (0.125 rounds to
    /// 0.12, 0.375 to 0.38), the nearest doubles around them, values that round up into another
    /// digit (9.995, 99.999), the zero band (±1e-8, and -0.001, written "-0"), whole numbers,
    /// and the largest values handled.
    @Test func writesWhatLibgvcWritesAtTheEdges() {
        var values: [Double] = [0, -0.0, 1e-8, -1e-8, 1.0000001e-8, -1.0000001e-8, 0.001, -0.001, 0.004999, 0.005, -0.005, 0.01,
                                0.125, 0.375, 0.625, 0.875, -0.125, 2.5, 0.995, 9.995, 99.995, 99.999, 1, 10, 100, 72, -72,
                                1234.5, 0.1, 0.2, 0.3, 1.005, 2.675, 4503599627370495, 4503599627370495.5 - 1, 1e15, 123456789.125]
        for tie in [0.125, 0.375, 0.625, 0.875, 1.005, 2.675, 0.005, 1.125, 1022.625] {
            values += [tie.nextUp, tie.nextDown, -tie, -tie.nextUp]
        }
        for value in values {
            #expect(Self.fast(value) == Self.reference(value), "\(value)")
        }
    }

    /// A million values: coordinates in points as figures have them (hundredths and between),
    /// and doubles of every magnitude from 1e-9 to 2^52, both signs.
    @Test func writesWhatLibgvcWritesForAMillionValues() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        var mismatches: [Double] = []
        for index in 0..<1_000_000 {
            let value: Double
            switch index % 4 {
            case 0: value = Double(Int64(bitPattern: next()) % 10_000_000) / 100      // hundredths
            case 1: value = Double(Int64(bitPattern: next()) % 100_000_000) / 8000   // ties and near-ties
            case 2: value = (Double(next() % 1_000_000) / 1_000_000 - 0.5) * 4000     // any fraction
            default:
                let magnitude = Double(next() % 61) - 9  // 10^-9 … 10^51, capped below 2^52
                value = min(pow(10, magnitude / 3.5) * (Double(next() % 1000) / 1000 + 0.5), 4.5e15) * (next() % 2 == 0 ? 1 : -1)
            }
            guard let fast = Self.fast(value) else { continue }
            if fast != Self.reference(value) { mismatches.append(value) }
        }
        #expect(mismatches.isEmpty, "first: \(mismatches.prefix(5))")
    }

    /// Values libgvc must write itself: not finite, or too large for the integer path.
    @Test func leavesTheRestToLibgvc() {
        for value in [Double.nan, .infinity, -.infinity, 4503599627370496, -1e300] {
            #expect(Self.fast(value) == nil)
        }
    }

    /// The dynamic linker binds Graphviz's SVG writer to the program's function (this test
    /// binary is linked as linkage is), and the SVG is what libgvc would write.
    @Test func graphvizPrintsThroughIt() throws {
        let before = linkage_fast_doubles_printed()
        let svg = try Graphviz.shared.render(dot: "digraph g { a [pos=\"10.125,20\"]; b [pos=\"100.5,0.001\"]; a -> b }",
                                             engine: "nop2", format: "svg")
        #expect(linkage_fast_doubles_printed() > before)
        let text = String(decoding: svg.data, as: UTF8.self)
        #expect(text.contains("<svg"))
    }
}
