import PackagePlugin

/// Generates the analysis registry of `LinkageRegistry` from the plugin targets it depends on,
/// which Package.swift derives from its `analysisPlugins` list. Registering an analysis therefore
/// takes exactly one line (in the manifest), and no Swift file has to repeat the list.
@main
struct GenerateRegistry: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        // Only direct target dependencies that are plugin modules (library targets other than the kit).
        let pluginModules = target.dependencies.compactMap { dependency -> String? in
            guard case .target(let dependencyTarget) = dependency else { return nil }
            return dependencyTarget.name == "LinkageKit" ? nil : dependencyTarget.name
        }.sorted()
        let output = context.pluginWorkDirectoryURL.appending(path: "RegisteredAnalyses.swift")
        return [
            .buildCommand(
                displayName: "Generating the analysis registry (\(pluginModules.joined(separator: ", ")))",
                executable: try context.tool(named: "GenerateRegistryTool").url,
                arguments: [output.path()] + pluginModules,
                inputFiles: [],
                outputFiles: [output])
        ]
    }
}
