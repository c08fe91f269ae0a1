// swift-tools-version: 6.1
import PackageDescription

// The in-process benchmarks live in their own package so the test build stays lean.
// Run from this folder: swift package benchmark
let package = Package(
    name: "TandemBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Tandem", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "BacklogMoves",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "TandemApp", package: "Tandem"),
                .product(name: "TandemCore", package: "Tandem"),
            ],
            path: "Benchmarks/BacklogMoves",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "Forecast",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "TandemCore", package: "Tandem"),
            ],
            path: "Benchmarks/Forecast",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
