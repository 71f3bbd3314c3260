@testable import LinkageKit
import Testing

/// `InertText` screens a text's UTF-8 bytes before decoding it; a screen that missed a
/// character would let a control or bidi override through unescaped.
@Suite("Inert text byte screen")
struct InertTextScreenTests {
    @Test func everyControlNewlineAndTabIsSeenByTheScreen() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let escaped = InertText.isDisplayControl(scalar) || scalar == "\n" || scalar == "\t"
            // Alone and between other text (ASCII, Chinese): the screen reads neighbours too.
            for text in ["\(scalar)", "a\(scalar)b", "可\(scalar)持"] where escaped {
                #expect(InertText.mayHoldDisplayControl(text), "U+\(String(value, radix: 16, uppercase: true)) in \(text.debugDescription)")
            }
            // And nothing else trips it: the screen is exact for every other character.
            if !escaped { #expect(!InertText.mayHoldDisplayControl("a\(scalar)b"), "U+\(String(value, radix: 16, uppercase: true))") }
        }
        #expect(InertText.visible("ok\u{202E}txt") == "ok\\u{202E}txt")
        #expect(InertText.visible("…·–“”") == "…·–“”")
    }
}
