internal import CPCRE2

/// A kind's `id_pattern`, matched against whole ids by PCRE2 under a step limit.
///
/// Why PCRE2 and not Swift's `Regex`: id patterns come from dataset files, and every
/// backtracking engine takes exponential time on patterns such as `(A+)+B` (50 s for a 20
/// character id with `Regex`). A syntactic blacklist of "dangerous" patterns would be
/// incomplete (`(a|a)(a|a)…` is as bad and has no nested quantifier); PCRE2's match limit
/// bounds the work of every match instead, and the pattern syntax stays Perl's, as before.
final class IDPattern: @unchecked Sendable {  // immutable after init; PCRE2 code is read-only when matching
    private let code: OpaquePointer
    private let context: OpaquePointer

    enum Outcome: Equatable { case matches, doesNotMatch, tooComplex }

    struct CompileError: Error {
        var message: String
        /// Offset into the pattern, in UTF-8 bytes.
        var offset: Int
    }

    init(_ pattern: String) throws(CompileError) {
        var errorCode: Int32 = 0
        var errorOffset = 0
        let bytes = Array(pattern.utf8)
        // Anchored at both ends: an id matches its pattern as a whole.
        let options = UInt32(PCRE2_UTF) | UInt32(PCRE2_ANCHORED) | UInt32(PCRE2_ENDANCHORED)
        let compiled = bytes.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(buffer.baseAddress, buffer.count, options, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            var message = [UInt8](repeating: 0, count: 256)
            let length = pcre2_get_error_message_8(errorCode, &message, message.count)
            throw CompileError(message: String(decoding: message.prefix(max(0, Int(length))), as: UTF8.self),
                               offset: errorOffset)
        }
        code = compiled
        context = pcre2_match_context_create_8(nil)
        pcre2_set_match_limit_8(context, InputLimits.patternMatchLimit)
        pcre2_set_depth_limit_8(context, InputLimits.patternMatchLimit)
    }

    deinit {
        pcre2_match_context_free_8(context)
        pcre2_code_free_8(code)
    }

    func match(_ id: String) -> Outcome {
        let data = pcre2_match_data_create_from_pattern_8(code, nil)
        defer { pcre2_match_data_free_8(data) }
        let bytes = Array(id.utf8)
        let result = bytes.withUnsafeBufferPointer { buffer in
            pcre2_match_8(code, buffer.baseAddress, buffer.count, 0, 0, data, context)
        }
        if result >= 0 { return .matches }
        if result == PCRE2_ERROR_NOMATCH { return .doesNotMatch }
        // Match or depth limit (or another resource error): the pattern cannot be decided in bounded time.
        return .tooComplex
    }
}
