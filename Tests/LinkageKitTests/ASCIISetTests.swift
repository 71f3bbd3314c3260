import LinkageKit
import Testing

@Suite("ASCII set")
struct ASCIISetTests {
    @Test func holdsExactlyWhatWasPut() {
        var set = ASCIISet("#-+".unicodeScalars)
        set.insert(0x7E)
        for byte in UInt8(0)...255 {
            #expect(set.contains(byte) == [0x23, 0x2D, 0x2B, 0x7E].contains(byte), "byte \(byte)")
        }
        #expect(set.contains(Unicode.Scalar("#")))
        #expect(!set.contains(Unicode.Scalar(0x0123 + 0x100)!))  // outside ASCII: never a member
    }
}
