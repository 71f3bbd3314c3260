/// Cycles in a directed graph given as successor lists, each reported once with the edge that
/// closes it. Iterative depth-first search (a chain of thousands of `part-of` links must not
/// exhaust the stack), visiting nodes and successors in the given order, so the report is
/// deterministic.
enum Cycles {
    struct Found<Node: Hashable, Place> {
        /// The nodes of the cycle, first node repeated at the end (`A → B → A`).
        var path: [Node]
        /// Where the edge that closes it is written.
        var place: Place
    }

    private enum State { case onPath, done }

    static func find<Node: Hashable, Place>(starts: [Node], successors: [Node: [(Node, Place)]]) -> [Found<Node, Place>] {
        var state: [Node: State] = [:]
        var found: [Found<Node, Place>] = []
        for start in starts where state[start] == nil {
            var stack: [(node: Node, next: Int)] = [(start, 0)]
            var path: [Node] = [start]
            state[start] = .onPath
            while let top = stack.last {
                let out = successors[top.node] ?? []
                guard top.next < out.count else {
                    state[top.node] = .done
                    stack.removeLast()
                    path.removeLast()
                    continue
                }
                stack[stack.count - 1].next += 1
                let (successor, place) = out[top.next]
                switch state[successor] {
                case .onPath:
                    let from = path.lastIndex(of: successor)!
                    found.append(Found(path: Array(path[from...]) + [successor], place: place))
                case .done:
                    break
                case nil:
                    state[successor] = .onPath
                    stack.append((successor, 0))
                    path.append(successor)
                }
            }
        }
        return found
    }
}
