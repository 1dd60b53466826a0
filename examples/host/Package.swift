// swift-tools-version:6.0
// A small host program that embeds kdk: it keeps campaign rules in a .kdk
// file that analysts edit, and applies them to posts it has as Swift values.
import Foundation
import PackageDescription

// kdk is a dependency by path; SwiftPM names a path dependency after its
// folder, which is whatever the repository was cloned as.
let kdkFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "campaign-host",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(
            name: "campaign-host",
            dependencies: [
                .product(name: "KDK", package: kdkFolder),
                .product(name: "KDKModels", package: kdkFolder),
            ]),
    ]
)
