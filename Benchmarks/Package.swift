// swift-tools-version:6.1
import Foundation
import PackageDescription

// The main package is the folder above; a path dependency is known by its folder's name.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

// Micro-benchmarks of onestop's hot paths with ordo-one/benchmark (`make bench-micro`).
// A separate package, so that the main build and CI never compile the benchmark machinery.
let package = Package(
    name: "onestop-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: root.path),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "HotPaths",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "OneStopPipeline", package: rootIdentity),
            ],
            path: "Benchmarks/HotPaths",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ],
    swiftLanguageModes: [.v6]
)
