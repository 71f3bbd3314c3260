public struct ViewSpec: Sendable {}
