// swift-tools-version:6.0
// The embedding benchmark (scripts/bench/embed): a Swift host that compiles
// a rule once and evaluates it many times, as a service would.
import Foundation
import PackageDescription

// kdk is a dependency by path, named after the folder it was cloned into.
let kdkFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "embed-bench",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../../..")],
    targets: [
        .executableTarget(name: "embed-bench", dependencies: [.product(name: "KDK", package: kdkFolder)]),
    ]
)
