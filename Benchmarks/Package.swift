// swift-tools-version: 6.1
//
// Speed and memory targets of the workbench, checked by ordo-one/benchmark. A package of its
// own so that the main build and the test suite do not compile the benchmark machinery.
//
//   scripts/benchmark.sh                                          check every target (from the root)
//   cd Benchmarks && swift package --disable-sandbox benchmark    run and print the metrics
//
// The targets (p90 of each metric) are in Thresholds/*.json, written by hand from the targets
// stated in README.md ("Speed and memory targets"), not recorded from a run.
import PackageDescription

let package = Package(
    name: "linkage-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "linkage", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "LinkageBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LinkageKit", package: "linkage"),
                .product(name: "LinkageRendering", package: "linkage"),
                .product(name: "LinkageHost", package: "linkage"),
                .product(name: "LinkageRegistry", package: "linkage"),
            ],
            path: "Benchmarks/LinkageBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ]
)
