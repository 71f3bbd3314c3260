/// The canonical id of a node, as written in datasets, on the command line and in every export
/// (`SDG-9.c`, `WSIS-C7.e-health`, `PP-RES-131`, `BAAP-OUT-2.1`).
///
/// Ids order "naturally": digit runs compare as numbers and digits sort before letters, so
/// `SDG-9.1 < SDG-9.a < SDG-10` as the UN lists them. Every iteration order in the workbench is
/// derived from this ordering, which makes all outputs deterministic.
public struct NodeID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: NodeID, rhs: NodeID) -> Bool {
        NaturalOrder.compare(lhs.rawValue, rhs.rawValue) < 0
    }
}

/// Natural ("human") string ordering used for ids: runs of ASCII digits compare numerically,
/// a digit run sorts before any non-digit, everything else compares by Unicode scalar value.
public enum NaturalOrder {
    /// Compares the UTF-8 bytes in place, without copying either string (ids are compared
    /// millions of times when a large graph is sorted). Byte order is scalar order: UTF-8 keeps
    /// code point order byte by byte, and an ASCII digit byte is never part of another scalar.
    public static func compare(_ a: String, _ b: String) -> Int {
        if let result = a.utf8.withContiguousStorageIfAvailable({ x in
            b.utf8.withContiguousStorageIfAvailable { y in compare(x, y) }
        }), let result { return result }
        return compare(Array(a.utf8), Array(b.utf8))
    }

    static func compare<C: RandomAccessCollection<UInt8>>(_ x: C, _ y: C) -> Int where C.Index == Int {
        var i = x.startIndex, j = y.startIndex
        while i < x.endIndex && j < y.endIndex {
            let xDigit = isDigit(x[i]), yDigit = isDigit(y[j])
            if xDigit && yDigit {
                let xStart = i, yStart = j
                while i < x.endIndex && isDigit(x[i]) { i += 1 }
                while j < y.endIndex && isDigit(y[j]) { j += 1 }
                // Compare numerically without overflow: strip leading zeros, then length, then digits.
                var xs = xStart, ys = yStart
                while xs < i && x[xs] == 0x30 { xs += 1 }
                while ys < j && y[ys] == 0x30 { ys += 1 }
                if i - xs != j - ys { return i - xs < j - ys ? -1 : 1 }
                while xs < i {
                    if x[xs] != y[ys] { return x[xs] < y[ys] ? -1 : 1 }
                    xs += 1
                    ys += 1
                }
                // Equal values: fewer leading zeros first, for a total order.
                if (i - xStart) != (j - yStart) { return (i - xStart) < (j - yStart) ? -1 : 1 }
            } else if xDigit != yDigit {
                return xDigit ? -1 : 1
            } else {
                if x[i] != y[j] { return x[i] < y[j] ? -1 : 1 }
                i += 1
                j += 1
            }
        }
        if i < x.endIndex { return 1 }
        if j < y.endIndex { return -1 }
        return 0
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
