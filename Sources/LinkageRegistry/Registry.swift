// The registry itself is generated: see Sources/BuildTools/GenerateRegistry.
@_exported import LinkageKit
