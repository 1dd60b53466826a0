// swift-tools-version:6.0
import PackageDescription

// The language (KDK) depends on nothing but Foundation; the CLI adds argument parsing.
let v5: [SwiftSetting] = [.swiftLanguageMode(.v5)]

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
    ],
    targets: [
        .target(name: "CStackBounds"),
        .target(name: "KDK", dependencies: ["CStackBounds"], swiftSettings: v5),
        .target(name: "KDKModels", dependencies: ["KDK"], swiftSettings: v5),
        .systemLibrary(name: "CLibEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .target(name: "KDKRepl", dependencies: ["KDK", "KDKModels", "CLibEdit"], swiftSettings: v5),
        .executableTarget(
            name: "kdk",
            dependencies: ["KDK", "KDKModels", "KDKRepl", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: v5),
        .testTarget(name: "KDKTests", dependencies: ["KDK", "KDKModels"], swiftSettings: v5),
        .testTarget(name: "KDKReplTests", dependencies: ["KDKRepl", "KDK"], exclude: ["pty"], swiftSettings: v5),
    ]
)
