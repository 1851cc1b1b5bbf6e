// swift-tools-version:6.1
import PackageDescription

// The targets read like the data flow: ingest → normalise → aggregate → emit, wired by pipeline.
// Built and tested on Linux only (Debian, Swift 6.3): it uses Glibc, Linux's renameat2 and
// `Mutex`, so it claims no Apple platform.
let package = Package(
    name: "onestop",
    products: [
        .executable(name: "onestop", targets: ["onestop"]),
        .library(name: "OneStopPipeline", targets: ["OneStopPipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev", "zlib1g-dev"])]
        ),
        .target(name: "COneStopSystem"),
        .target(name: "OneStopModel"),
        .target(name: "OneStopIngest", dependencies: ["OneStopModel", "CLibXML2"]),
        .target(name: "OneStopNormalise", dependencies: ["OneStopModel"]),
        .target(name: "OneStopAggregate", dependencies: ["OneStopModel"]),
        .target(name: "OneStopEmit", dependencies: ["OneStopModel", "OneStopAggregate", "COneStopSystem"]),
        .target(name: "OneStopGenerate", dependencies: ["OneStopModel", "CLibXML2"]),
        .target(
            name: "OneStopReport",
            dependencies: [
                "OneStopModel", "OneStopAggregate", "OneStopEmit", "CLibXML2",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // The run's figures in a database: the schema and what one run writes (OneStopDatabase), kept
        // in a SQLite history (OneStopHistory) and sent to PostgreSQL (OneStopPostgres).
        .target(
            name: "OneStopDatabase",
            dependencies: [
                "OneStopModel", "OneStopAggregate", "OneStopEmit",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "OneStopHistory",
            dependencies: ["OneStopModel", "OneStopEmit", "OneStopDatabase", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "OneStopPostgres",
            dependencies: [
                "OneStopModel", "OneStopEmit", "OneStopDatabase",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "OneStopPipeline",
            dependencies: [
                "OneStopModel", "OneStopIngest", "OneStopNormalise", "OneStopAggregate", "OneStopEmit", "OneStopReport",
                "OneStopDatabase", "OneStopHistory", "OneStopPostgres",
                .product(name: "Yams", package: "Yams"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "onestop",
            dependencies: [
                "OneStopPipeline", "OneStopReport", "OneStopGenerate",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "OneStopModelTests", dependencies: ["OneStopModel"]),
        .testTarget(name: "OneStopIngestTests", dependencies: ["OneStopIngest"]),
        .testTarget(name: "OneStopNormaliseTests", dependencies: ["OneStopNormalise"]),
        .testTarget(name: "OneStopAggregateTests", dependencies: ["OneStopAggregate"]),
        .testTarget(name: "OneStopEmitTests", dependencies: ["OneStopEmit"]),
        .testTarget(name: "OneStopPipelineTests", dependencies: ["OneStopPipeline", "OneStopDatabase"]),
        .testTarget(
            name: "OneStopReportTests",
            dependencies: [
                "OneStopReport", "OneStopPipeline",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "OneStopGenerateTests",
            dependencies: ["OneStopGenerate", "OneStopPipeline", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "OneStopDatabaseTests",
            dependencies: ["OneStopDatabase", "OneStopHistory", "OneStopPostgres", "OneStopEmit", "OneStopModel"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [.product(name: "CSV", package: "CSV.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
