// swift-tools-version: 6.1
//
// libFuzzer targets (issue 8): FuzzLoader for the dataset loader (scripts/fuzz-loader.sh, seeded
// with the bundled datasets) and FuzzEscaping for the DOT/SVG escaping of the renderer
// (scripts/fuzz-escaping.sh). A package of its own: the targets link only when built with
// -sanitize=fuzzer (libFuzzer brings the driver), which the main build and the tests never are.
import PackageDescription

let package = Package(
    name: "linkage-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "linkage", path: ".."),
    ],
    targets: [
        // libFuzzer's driver, entered from a SwiftPM executable's own main.
        .target(name: "FuzzDriver", path: "Sources/FuzzDriver"),
        .executableTarget(
            name: "FuzzLoader",
            dependencies: ["FuzzDriver", .product(name: "LinkageKit", package: "linkage")],
            path: "Sources/FuzzLoader"),
        .executableTarget(
            name: "FuzzEscaping",
            dependencies: [
                "FuzzDriver",
                .product(name: "LinkageKit", package: "linkage"),
                .product(name: "LinkageRendering", package: "linkage"),
            ],
            path: "Sources/FuzzEscaping"),
    ]
)
