// swift-tools-version:6.0
import PackageDescription

/// Pizzeria: an event-driven order pipeline (web front → RabbitMQ → workers → SQLite + Redis).
/// Every target points into the top-level folder named after its role (see README.md).
let package = Package(
    name: "Pizzeria",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pizzeria", targets: ["PizzeriaApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Pure model: menu, orders, status state machine, events and their wire codec. No I/O.
        .target(
            name: "Domain",
            path: "Domain"
        ),
        // C system libraries (Debian packages), reached through a shim header.
        // librabbitmq is linked from its static archive (see its module.modulemap), so no pkgConfig:
        // pkg-config would add `-lrabbitmq`, the shared library, and with it OpenSSL.
        .systemLibrary(
            name: "CRabbitMQ",
            path: "Infrastructure/CRabbitMQ",
            providers: [.apt(["librabbitmq-dev"])]
        ),
        .systemLibrary(
            name: "CHiredis",
            path: "Infrastructure/CHiredis",
            pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        // glibc extras the Glibc module lacks: mallopt and syncfs (part of libc: nothing to install or link).
        .systemLibrary(
            name: "CGlibcExtras",
            path: "Infrastructure/CGlibcExtras"
        ),
        // Adapters shared by producers and workers: AMQP, Redis, the SQLite store, the outbox relay.
        .target(
            name: "Infrastructure",
            dependencies: [
                "Domain", "CRabbitMQ", "CHiredis", "CGlibcExtras",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Infrastructure/Sources"
        ),
        // The web front (JSON API, pages, SSE) and the load generator that drives it.
        .target(
            name: "Producers",
            dependencies: [
                "Domain", "Infrastructure",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Producers",
            resources: [.copy("Public")]
        ),
        // Queue consumers: kitchen, delivery, email.
        .target(
            name: "Workers",
            dependencies: [
                "Domain", "Infrastructure",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Workers"
        ),
        // The one executable: `pizzeria serve|work|migrate|dead-letters|load`.
        .executableTarget(
            name: "PizzeriaApp",
            dependencies: [
                "Domain", "Infrastructure", "Producers", "Workers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "App",
            linkerSettings: [
                // Relative relocations packed (DT_RELR, glibc 2.36+), linked by the toolchain's lld:
                // the loader reads a small bitmap at start instead of 1.6 MB of RELA entries, which
                // stayed in every process's resident set (README, "Worker memory").
                .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"]),
            ]
        ),
        .testTarget(
            name: "DomainTests",
            dependencies: ["Domain"],
            path: "Tests/DomainTests"
        ),
        .testTarget(
            name: "WorkerTests",
            dependencies: ["Workers", "Domain", "Infrastructure", .product(name: "Logging", package: "swift-log"), .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/WorkerTests"
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Domain", "Infrastructure", "Producers", "Workers", "CRabbitMQ", "CHiredis",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/IntegrationTests"
        ),
    ]
)
