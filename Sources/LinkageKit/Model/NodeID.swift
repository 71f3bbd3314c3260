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
    public static func compare(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        var i = 0, j = 0
        while i < x.count && j < y.count {
            let xDigit = isDigit(x[i]), yDigit = isDigit(y[j])
            if xDigit && yDigit {
                let xStart = i, yStart = j
                while i < x.count && isDigit(x[i]) { i += 1 }
                while j < y.count && isDigit(y[j]) { j += 1 }
                // Compare numerically without overflow: strip leading zeros, then length, then digits.
                let xs = x[xStart..<i].drop { $0 == "0" }, ys = y[yStart..<j].drop { $0 == "0" }
                if xs.count != ys.count { return xs.count < ys.count ? -1 : 1 }
                for (p, q) in zip(xs, ys) where p != q { return p.value < q.value ? -1 : 1 }
                // Equal values: fewer leading zeros first, for a total order.
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

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 48 && s.value <= 57 }
}
