import Foundation
@testable import LinkageKit
import Testing

/// The tricky parts of the input policy, below the command line (HostileInputTests runs the
/// whole loader through it).
@Suite("Input limits")
struct InputLimitsTests {
    /// `(A+)+B` takes exponential time in a backtracking engine; PCRE2's step limit stops it.
    @Test func aCatastrophicPatternStopsAtTheStepLimit() throws {
        let pattern = try IDPattern("(A+)+B")
        let started = ContinuousClock.now
        #expect(pattern.match(String(repeating: "A", count: 40) + "CB") == .tooComplex)
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(pattern.match("AAAB") == .matches)
        #expect(pattern.match("AAAC") == .doesNotMatch)
    }

    /// Whole ids only, as `^(?:…)$` did before: alternatives are anchored as a whole, and a
    /// trailing newline is not allowed.
    @Test func patternsMatchWholeIds() throws {
        let pattern = try IDPattern(#"WSIS-C([1-9]|1[01])|WSIS-C7\.e-(government|health)"#)
        for id in ["WSIS-C1", "WSIS-C11", "WSIS-C7.e-health"] { #expect(pattern.match(id) == .matches, "\(id)") }
        for id in ["WSIS-C12", "xWSIS-C1", "WSIS-C1x", "WSIS-C1\n", "WSIS-C7.e-healthy"] {
            #expect(pattern.match(id) == .doesNotMatch, "\(id)")
        }
        #expect(try IDPattern("SQ(22|17)-Q[1-9]/[12]").match("SQ22-Q3/1") == .matches)
    }

    @Test func anInvalidPatternSaysWhereItStops() {
        #expect(throws: IDPattern.CompileError.self) { try IDPattern("KAP-([0-9]") }
        do {
            _ = try IDPattern("KAP-([0-9]")
        } catch {
            #expect(error.message.contains("missing closing parenthesis"))
            #expect(error.offset == 10)
        }
    }

    @Test func cyclesAreFoundOnceWithTheClosingEdge() {
        let successors: [String: [(String, Int)]] = ["a": [("b", 1)], "b": [("c", 2)], "c": [("a", 3), ("d", 4)], "d": [("d", 5)]]
        let found = Cycles.find(starts: ["a", "b", "c", "d"], successors: successors)
        #expect(found.map(\.path) == [["a", "b", "c", "a"], ["d", "d"]])
        #expect(found.map(\.place) == [3, 5])
        // A long chain is walked without recursion.
        var chain: [Int: [(Int, Int)]] = [:]
        for i in 0..<200_000 { chain[i] = [(i + 1, i)] }
        #expect(Cycles.find(starts: [0], successors: chain).isEmpty)
    }

    @Test func theFirstInvalidByteIsPlaced() {
        var bytes = Array("ab\n中文\nx".utf8)
        bytes.insert(0xC3, at: bytes.count - 1)  // a lead byte without its continuation, before x
        guard case .failure(let place) = InputFiles.decode(Data(bytes)) else {
            Issue.record("decoded invalid UTF-8")
            return
        }
        #expect(place.line == 3 && place.column == 1)
        #expect(InputFiles.position(ofByte: 6, in: "ab\n中文\nx") == (2, 2))
    }

    @Test func pathsStayInsideTheirFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("input-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("d/sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataset = folder.appendingPathComponent("d").path
        try FileManager.default.createSymbolicLink(atPath: dataset + "/up.yaml", withDestinationPath: "../x.yaml")
        try FileManager.default.createSymbolicLink(atPath: dataset + "/in.yaml", withDestinationPath: "sub/y.yaml")
        try "x".write(toFile: folder.path + "/z.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dataset + "/sub/z.yaml", withDestinationPath: "../../z.yaml")
        func refused(_ name: String) -> Bool {
            if case .failure = InputFiles.resolve(name, inside: dataset) { return true } else { return false }
        }
        #expect(refused("/etc/passwd"))
        #expect(refused("../x.yaml"))
        #expect(refused("sub/../../x.yaml"))
        #expect(refused("up.yaml"), "a dangling link out of the folder")
        #expect(refused("sub/z.yaml"), "a link to a file outside")
        #expect(!refused("in.yaml"))
        #expect(!refused("sub/y.yaml"))
        #expect(!refused("plain.yaml"))
    }
}
