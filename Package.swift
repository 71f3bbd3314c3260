// swift-tools-version: 6.1
//
// The linkage workbench. Layout at a glance:
//
//   CGraphviz          system-library target over the installed libgraphviz (pkg-config libgvc)
//   CGraphvizSupport   a few lines of C: parsing DOT with sequential object ids (determinism), and a
//                      memo of Graphviz's text measurements shared by all renders (speed)
//   CFileSystem        a few lines of C: atomic folder exchange (renameat2) for output folders
//   CXLSXWriter        system-library target over the installed libxlsxwriter (pkg-config xlsxwriter)
//   CPCRE2             system-library target over the installed PCRE2 (pkg-config libpcre2-8): id
//                      patterns from datasets matched under a step limit
//   CNettle            system-library target over the installed GNU Nettle (pkg-config nettle):
//                      SHA-256 for the keys of `render`'s view cache
//   LinkageKit         graph model, dataset loading and validation, queries, search, plan import
//                      (loose codes, the canonical dataset folder) and the analysis contract
//   LinkageSpreadsheet spreadsheets in and out: CSV and XLSX tables with cell positions (reading
//                      XLSX through ZIPFoundation + XMLCoder), XLSX writing through libxlsxwriter
//   LinkageRendering   views -> DOT -> Graphviz (in process); knows nothing of datasets or the CLI
//   LinkageHost        runs analyses, writes reports (Markdown, HTML through Mustache templates, CSV,
//                      JSON, an XLSX workbook) and diagrams atomically
//   LinkageRegistry    the one list of registered analysis plugins
//   LinkageServer      `linkage serve`: the graph in a browser (Hummingbird 2, swift-mustache
//                      templates); diagrams through LinkageRendering, analyses through LinkageHost
//   LinkageCLI / linkage   the thin command line (swift-argument-parser)
//   Plugins/<Name>/    one folder per analysis: Sources/ (a target depending only on LinkageKit)
//                      and Tests/, registered by one line in `analysisPlugins` below.

import PackageDescription

/// The analysis plugins: one line per folder under Plugins/ (a test fails when a folder is missing
/// here). Each folder holds `Sources/` (a target named like the folder, depending only on
/// LinkageKit, declaring `public let analysis: any AnalysisPlugin`) and `Tests/` (its tests).
/// The registry the host uses is generated from this list at build time (GenerateRegistry).
/// The list lives in the manifest, not a Swift file, so that SwiftPM's manifest cache notices it.
let analysisPlugins: [String] = [
    "Neighbourhood",
    "ResolutionXref",
    "RiskMatrix",
    "SDGMapping",
    "WSISActionLines",
]

let yams = Target.Dependency.product(name: "Yams", package: "Yams")
let collections = Target.Dependency.product(name: "OrderedCollections", package: "swift-collections")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let csv = Target.Dependency.product(name: "CSV", package: "CSV.swift")
let zipFoundation = Target.Dependency.product(name: "ZIPFoundation", package: "ZIPFoundation")
let xmlCoder = Target.Dependency.product(name: "XMLCoder", package: "XMLCoder")
let propertyBased = Target.Dependency.product(name: "PropertyBased", package: "swift-property-based")
// Runs external analysis programs: non-blocking pipes, a process group of their own, teardown.
let subprocess = Target.Dependency.product(name: "Subprocess", package: "swift-subprocess")
let systemPackage = Target.Dependency.product(name: "SystemPackage", package: "swift-system")
// `linkage serve`. Hummingbird 2 (2.28.1, the newest in the mirror): a small HTTP server on
// SwiftNIO with async/await handlers and graceful shutdown through ServiceLifecycle; Vapor would
// bring an ORM-shaped framework, a second templating stack and twice the build time for a local
// read-only explorer. The default traits are off: swift-configuration is not needed here.
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
// Logic-less templates that HTML-escape every {{value}} by construction (the serve pages and the
// HTML reports never build HTML by concatenating data).
let mustache = Target.Dependency.product(name: "Mustache", package: "swift-mustache")

let pluginTargets: [Target] = analysisPlugins.flatMap { name -> [Target] in
    [
        .target(name: name, dependencies: ["LinkageKit"], path: "Plugins/\(name)/Sources"),
        .testTarget(
            name: "\(name)Tests",
            dependencies: [.target(name: name), "LinkageKit", "LinkageTestSupport"],
            path: "Plugins/\(name)/Tests"),
    ]
}

let package = Package(
    name: "linkage",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "linkage", targets: ["linkage"]),
        .library(name: "LinkageKit", targets: ["LinkageKit"]),
        .library(name: "LinkageRendering", targets: ["LinkageRendering"]),
        .library(name: "LinkageHost", targets: ["LinkageHost"]),
        .library(name: "LinkageSpreadsheet", targets: ["LinkageSpreadsheet"]),
        .library(name: "LinkageRegistry", targets: ["LinkageRegistry"]),
        .library(name: "LinkageServer", targets: ["LinkageServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/CoreOffice/XMLCoder", from: "0.18.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // HTML reports and the serve pages: templates that escape every value by construction.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // `swift package generate-documentation` for the kit's DocC (scripts/docs.sh); a command
        // plugin, built only when the documentation is generated.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGraphviz",
            pkgConfig: "libgvc",
            providers: [.apt(["libgraphviz-dev"])]),
        .systemLibrary(
            name: "CXLSXWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]),
        // Datasets' id_pattern regexes run on PCRE2 because it bounds a match by a step limit
        // (a pattern such as (A+)+B backtracks exponentially in any backtracking engine).
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]),
        // SHA-256 for the view cache's keys: Nettle is a small, well-kept C library (swift-crypto
        // would compile all of BoringSSL into every build for one hash function).
        .systemLibrary(
            name: "CNettle",
            pkgConfig: "nettle",
            providers: [.apt(["nettle-dev"])]),
        .target(name: "LinkageKit", dependencies: [yams, collections, "CPCRE2"]),
        .target(name: "LinkageSpreadsheet", dependencies: ["CXLSXWriter", zipFoundation, xmlCoder]),
        .target(name: "CGraphvizSupport", dependencies: ["CGraphviz"]),
        // Two renames Swift's Glibc module does not declare: exchange and no-replace (output folders).
        .target(name: "CFileSystem"),
        .target(name: "LinkageRendering", dependencies: ["CGraphviz", "CGraphvizSupport", "LinkageKit"]),
        .target(name: "LinkageHost", dependencies: ["LinkageKit", "LinkageRendering", "LinkageSpreadsheet", "CFileSystem", "CNettle", subprocess, systemPackage, mustache]),
        .target(
            name: "LinkageRegistry",
            dependencies: ["LinkageKit"] + analysisPlugins.map { Target.Dependency.target(name: $0) },
            plugins: ["GenerateRegistry"]),
        .executableTarget(name: "GenerateRegistryTool", path: "Sources/BuildTools/GenerateRegistryTool"),
        .plugin(
            name: "GenerateRegistry",
            capability: .buildTool(),
            dependencies: ["GenerateRegistryTool"],
            path: "Sources/BuildTools/GenerateRegistry"),
        .target(
            name: "LinkageServer",
            dependencies: ["LinkageKit", "LinkageRendering", "LinkageHost", "LinkageRegistry", collections, hummingbird, mustache]),
        .target(name: "LinkageCLI", dependencies: [
            "LinkageKit", "LinkageRendering", "LinkageHost", "LinkageRegistry", "LinkageSpreadsheet", "LinkageServer",
            argumentParser,
        ]),
        // gvprintdouble, defined in CGraphvizSupport, is exported so that Graphviz's plugins use it.
        .executableTarget(name: "linkage", dependencies: ["LinkageCLI"],
                          linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=gvprintdouble"])]),
        // Renders diagrams (DOT, and views as the workbench draws them) again and again and reports memory growth (the memory test runs it).
        .executableTarget(name: "render-soak", dependencies: ["LinkageRendering", "LinkageKit"]),

        // Shared helpers for tests: repository paths, fixture graphs.
        .target(name: "LinkageTestSupport", dependencies: ["LinkageKit", collections], path: "Tests/LinkageTestSupport"),
        .testTarget(
            name: "LinkageKitTests",
            dependencies: ["LinkageKit", "LinkageTestSupport", propertyBased]),
        .testTarget(
            name: "LinkageRenderingTests",
            dependencies: ["LinkageRendering", "CGraphvizSupport", "LinkageKit", "LinkageTestSupport", "render-soak", propertyBased],
            // As for linkage: Graphviz's plugins print numbers with the program's gvprintdouble.
            linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=gvprintdouble"])]),
        .testTarget(
            name: "LinkageCLITests",
            dependencies: [
                "linkage", "LinkageCLI", "LinkageHost", "LinkageRegistry", "LinkageKit", "LinkageTestSupport",
                // The CSV files linkage writes are read back with an independent CSV library.
                csv,
            ]),
        .testTarget(
            name: "LinkageServerTests",
            dependencies: ["LinkageServer", "LinkageKit", "LinkageHost", "LinkageRegistry", "LinkageTestSupport"]),
        .testTarget(
            name: "LinkageSpreadsheetTests",
            dependencies: ["LinkageSpreadsheet", "LinkageTestSupport"]),
    ] + pluginTargets
)
