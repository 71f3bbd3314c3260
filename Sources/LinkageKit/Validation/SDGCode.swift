/// The UN's SDG numbering, checked strictly: goals 1–17, targets `9.1` or `9.c` (lower-case
/// letters, as the UN writes them), indicators `9.c.1`. Canonical ids prefix the code with `SDG-`.
public struct SDGCode: Hashable, Sendable, CustomStringConvertible {
    public var goal: Int
    /// `"1"`…`"99"` or a lower-case letter; nil for a goal.
    public var target: String?
    public var indicator: Int?

    public var description: String {
        var text = "SDG-\(goal)"
        if let target { text += ".\(target)" }
        if let indicator { text += ".\(indicator)" }
        return text
    }

    public var id: NodeID { NodeID(description) }
    public var goalID: NodeID { NodeID("SDG-\(goal)") }
    public var targetID: NodeID? { target.map { NodeID("SDG-\(goal).\($0)") } }

    /// Parses a canonical SDG id. The error message says what is wrong and how to write it.
    public static func parse(_ id: String) -> Result<SDGCode, SDGCodeError> {
        guard id.hasPrefix("SDG-") else {
            return .failure(SDGCodeError(id: id, problem: "SDG ids start with 'SDG-'"))
        }
        let body = String(id.dropFirst(4))
        let parts = body.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let goalText = parts.first, !goalText.isEmpty else {
            return .failure(SDGCodeError(id: id, problem: "no goal number"))
        }
        // "SDG-5b", "SDG-9a": a target written without its dot.
        if let last = goalText.last, last.isLetter, let goal = Int(goalText.dropLast()), parts.count == 1 {
            return .failure(SDGCodeError(
                id: id, problem: "the target is written without a dot; write SDG-\(goal).\(last.lowercased())"))
        }
        guard let goal = Int(goalText), String(goal) == goalText else {
            return .failure(SDGCodeError(id: id, problem: "'\(goalText)' is not a goal number"))
        }
        guard (1...17).contains(goal) else {
            return .failure(SDGCodeError(id: id, problem: "there are 17 SDGs; goal \(goal) does not exist"))
        }
        var code = SDGCode(goal: goal)
        guard parts.count > 1 else { return .success(code) }
        let target = parts[1]
        if target.count == 1, let c = target.first, c.isLetter {
            guard c.isLowercase, c.isASCII else {
                return .failure(SDGCodeError(
                    id: id, problem: "target letters are lower-case, as the UN writes them: SDG-\(goal).\(target.lowercased())"))
            }
        } else if let n = Int(target), String(n) == target, (1...99).contains(n) {
            // numeric target
        } else {
            return .failure(SDGCodeError(id: id, problem: "'\(target)' is not a target code (a number or one lower-case letter)"))
        }
        code.target = target
        guard parts.count > 2 else { return .success(code) }
        guard parts.count == 3, let indicator = Int(parts[2]), String(indicator) == parts[2], indicator > 0 else {
            return .failure(SDGCodeError(id: id, problem: "'\(parts.dropFirst(2).joined(separator: "."))' is not an indicator number"))
        }
        code.indicator = indicator
        return .success(code)
    }
}

public struct SDGCodeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var id: String
    public var problem: String
    public var description: String { "malformed SDG code '\(id)': \(problem)" }
}
