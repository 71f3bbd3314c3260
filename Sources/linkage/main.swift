import Foundation
import LinkageKit
// Temporary bootstrap: validate only.
let args = CommandLine.arguments
let root = URL(fileURLWithPath: args.count > 1 ? args[1] : "datasets")
let sources = args.count > 2 ? URL(fileURLWithPath: args[2]) : nil
let result = DatasetLoader.load(from: root, options: LoadOptions(sourcesDirectory: sources))
for d in result.diagnostics { print(d) }
print("\(result.graph.nodes.count) nodes, \(result.graph.edges.count) edges, \(result.errors.count) errors, \(result.warnings.count) warnings")
exit(result.hasErrors ? 1 : 0)
