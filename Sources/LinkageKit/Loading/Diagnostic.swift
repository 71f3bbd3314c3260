/// A problem found while loading or validating datasets, reported in the compiler's
/// `path:line:col: error: message` form so editors and CI logs can jump to it.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable, Comparable {
        case error, warning, note

        public static func < (a: Severity, b: Severity) -> Bool {
            let order: [Severity] = [.error, .warning, .note]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    public var severity: Severity
    public var message: String
    public var location: SourceLocation?
    /// A stable, greppable name of the check (`unknown-id`, `malformed-sdg-code`, ...).
    public var code: String
    /// The ids the diagnostic is about.
    public var ids: [NodeID]

    public init(_ severity: Severity, _ message: String, at location: SourceLocation?, code: String, ids: [NodeID] = []) {
        self.severity = severity
        self.message = Diagnostic.oneLine(message)
        self.location = location
        self.code = code
        self.ids = ids
    }

    public var description: String {
        let place = location.map { "\(Diagnostic.oneLine($0.description)): " } ?? ""
        return "\(place)\(severity.rawValue): \(message) [\(code)]"
    }

    /// A diagnostic is one line, whatever the data it quotes (a key or a file name holding a
    /// line break, found by the loader's fuzz target): line breaks are written as `\u{A}`.
    static func oneLine(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if Character(scalar).isNewline { out += InertText.escape(scalar) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}

/// Collects diagnostics in the order they are found (which is deterministic: datasets by name,
/// files in manifest order, entries top to bottom).
final class DiagnosticLog {
    private(set) var all: [Diagnostic] = []

    func error(_ message: String, at location: SourceLocation?, code: String, ids: [NodeID] = []) {
        all.append(Diagnostic(.error, message, at: location, code: code, ids: ids))
    }

    func warning(_ message: String, at location: SourceLocation?, code: String, ids: [NodeID] = []) {
        all.append(Diagnostic(.warning, message, at: location, code: code, ids: ids))
    }

    func note(_ message: String, at location: SourceLocation?, code: String, ids: [NodeID] = []) {
        all.append(Diagnostic(.note, message, at: location, code: code, ids: ids))
    }

    /// Diagnostics found elsewhere (a file parsed on its own), in their order.
    func append(_ diagnostics: [Diagnostic]) { all += diagnostics }

    var errorCount: Int { all.filter { $0.severity == .error }.count }
}

/// "Did you mean" suggestions by edit distance.
public enum Suggestion {
    public static func closest(to word: String, in candidates: some Sequence<String>, maxDistance: Int? = nil) -> String? {
        let limit = maxDistance ?? max(2, word.count / 3)
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(word.lowercased(), candidate.lowercased())
            if d <= limit, best == nil || d < best!.1 || (d == best!.1 && candidate < best!.0) {
                best = (candidate, d)
            }
        }
        return best?.0
    }

    public static func hint(for word: String, in candidates: some Sequence<String>) -> String {
        closest(to: word, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// A suggestion for a mistyped id: only ids that differ in case or punctuation, or by at
    /// most two letters with the same numbers. Never a different number: suggesting WTDC-RES-17
    /// for WTDC-RES-71 would point at another resolution.
    public static func closestID(to id: String, in candidates: some Sequence<String>) -> String? {
        func normalized(_ s: String) -> String { s.lowercased().filter { $0.isLetter || $0.isNumber } }
        func digits(_ s: String) -> String { s.filter(\.isNumber) }
        let key = normalized(id)
        var best: (String, Int)?
        for candidate in candidates {
            if normalized(candidate) == key { return candidate }
            guard digits(candidate) == digits(id) else { continue }
            let d = distance(id.lowercased(), candidate.lowercased())
            if d <= 2, best == nil || d < best!.1 || (d == best!.1 && candidate < best!.0) { best = (candidate, d) }
        }
        return best?.0
    }

    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = Array(repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }
}
