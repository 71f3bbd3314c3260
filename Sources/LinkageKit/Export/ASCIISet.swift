/// A set of ASCII characters as 128 bits: a membership test without hashing, for loops that
/// test every character of every text (report escaping, link checks, the characters a layout
/// measures; issue 9).
public struct ASCIISet: Sendable {
    private var low: UInt64 = 0, high: UInt64 = 0

    public init() {}

    /// Every character of `characters`, which must all be ASCII.
    public init<Characters: Sequence>(_ characters: Characters) where Characters.Element == Unicode.Scalar {
        for scalar in characters {
            precondition(scalar.isASCII, "ASCIISet holds ASCII only")
            insert(UInt8(scalar.value))
        }
    }

    public mutating func insert(_ byte: UInt8) {
        precondition(byte < 128, "ASCIISet holds ASCII only")
        if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
    }

    /// False for any byte or scalar outside ASCII.
    public func contains(_ byte: UInt8) -> Bool {
        byte < 64 ? low >> UInt64(byte) & 1 == 1 : byte < 128 && high >> UInt64(byte - 64) & 1 == 1
    }

    public func contains(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && contains(UInt8(scalar.value)) }
}
