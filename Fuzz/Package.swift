// swift-tools-version: 6.1
//
// A libFuzzer target for the dataset loader (issue 8). A package of its own: it links only when
// built with -sanitize=fuzzer (libFuzzer brings main), which the main build and the tests never
// are. Run it with scripts/fuzz-loader.sh (seeded with the bundled datasets).
import PackageDescription

let package = Package(
    name: "linkage-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "linkage", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "FuzzLoader",
            dependencies: [.product(name: "LinkageKit", package: "linkage")],
            path: "Sources/FuzzLoader"),
    ]
)
