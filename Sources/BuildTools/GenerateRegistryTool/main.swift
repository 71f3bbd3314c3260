// Writes the Swift source of the analysis registry.
// Usage: GenerateRegistryTool OUTPUT.swift Module1 Module2 ...
// Each plugin module declares `public let analysis: any AnalysisPlugin`.
import Foundation

let arguments = CommandLine.arguments.dropFirst()
guard let outputPath = arguments.first else {
    FileHandle.standardError.write(Data("usage: GenerateRegistryTool OUTPUT.swift MODULE...\n".utf8))
    exit(2)
}
let modules = arguments.dropFirst().sorted()

var source = """
    // Generated at build time by the GenerateRegistry build plugin from `analysisPlugins` in
    // Package.swift. Do not edit: add or remove an analysis there.
    import LinkageKit

    """
for module in modules { source += "import \(module)\n" }
source += """

    /// The plugin modules registered in Package.swift, in name order.
    public let registeredPluginModules: [String] = [\(modules.map { "\"\($0)\"" }.joined(separator: ", "))]

    /// One instance of every registered analysis, in module-name order.
    public let registeredAnalyses: [any AnalysisPlugin] = [\(modules.map { "\($0).analysis" }.joined(separator: ", "))]

    """
let data = Data(source.utf8)
// Leave the file untouched when nothing changed, so that dependants are not rebuilt.
if (try? Data(contentsOf: URL(fileURLWithPath: outputPath))) != data {
    try data.write(to: URL(fileURLWithPath: outputPath), options: .atomic)
}
