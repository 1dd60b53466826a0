// swift-tools-version:6.0
import PackageDescription

// The language (KDK) depends on nothing but Foundation; the model kinds add SHA-256
// (swift-crypto, for raffles anyone can re-derive); the CLI adds argument parsing.
// Every target builds in the Swift 6 language mode (tools version 6.0), with
// complete concurrency checking.

let package = Package(
    name: "kdk",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "KDK", targets: ["KDK"]),
        .library(name: "KDKModels", targets: ["KDKModels"]),
        .executable(name: "kdk", targets: ["kdk"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"4.0.0"),
    ],
    targets: [
        .target(name: "CStackBounds"),
        .target(name: "CMinHash"),
        .target(name: "CTextScan"),
        .target(name: "CFreedMemory"),
        .target(name: "KDK", dependencies: ["CStackBounds", "CTextScan"]),
        .target(name: "KDKModels", dependencies: ["KDK", "CMinHash", .product(name: "Crypto", package: "swift-crypto")]),
        .systemLibrary(name: "CLibEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .target(name: "KDKRepl", dependencies: ["KDK", "KDKModels", "CLibEdit"]),
        .executableTarget(
            name: "kdk",
            dependencies: ["KDK", "KDKModels", "KDKRepl", "CFreedMemory", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "KDKTests", dependencies: ["KDK", "KDKModels", "CTextScan"]),
        .testTarget(name: "KDKReplTests", dependencies: ["KDKRepl", "KDK"], exclude: ["pty"]),
    ]
)
