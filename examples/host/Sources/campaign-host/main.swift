import Foundation
import KDK
import KDKModels

/// The host's own data: posts as its database would hand them over.
struct Post: Codable {
    var id: Int
    var author: String
    var time: Date
    var text: String
    var likes: Int
    var comments: Int
    var shares: Int
    var verified: Bool
}

/// What the host wants back, decoded from kdk's result.
struct Outcome: Decodable {
    struct Winner: Decodable { var rank: Int; var author: String; var id: Int; var score: Int; var prize: Decimal }
    struct Excluded: Decodable { var id: Int; var rule: String }
    var winners: [Winner]
    var excluded: [Excluded]
    var unallocated: Decimal
}

let staff: Set<String> = ["gate_ops"]
let start = Date(timeIntervalSince1970: 1_766_116_800)  // 2025-12-19T12:00+08:00
let posts: [Post] = (0..<40).map { i in
    Post(id: i + 1, author: i == 3 ? "gate_ops" : "user\(i % 30)",
         time: start.addingTimeInterval(Double(i) * 20_000 - 40_000),
         text: i % 7 == 0 ? "no tag here" : "KDK launch thoughts #PostToWinLaunchpadKDK",
         likes: (i * 37) % 100, comments: i % 9, shares: i % 4, verified: i % 11 != 5)
}

// 1. An engine with the core models, one host function, and a typed input
//    (the rules' reads of a post's fields are checked when they compile).
var engine = CoreModels.engine()
engine.register(functions: [
    Builtin("is_staff", [Parameter("author")], doc: "whether an author works for the exchange") { args, _ in
        .bool(staff.contains(try args.text("author")))
    },
])
try engine.define("posts", as: [Post].self)

// 2. Compile the analysts' rules once; diagnostics point into their file.
let path = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "rules.kdk"
let program: Program
do {
    program = try engine.compile(try Engine.readSource(path), name: path)
} catch let d as DiagnosticList {
    FileHandle.standardError.write(Data((d.diagnostics.map { $0.render(color: false) }.joined(separator: "\n") + "\n").utf8))
    exit(1)
}

// 3. Run with this host's data, under limits, and decode the answer.
do {
    let value = try program.run(inputs: ["posts": ValueEncoder().encode(posts)],
                                limits: Limits(maxSteps: 10_000_000, timeout: 5))
    let outcome = try ValueDecoder().decode(Outcome.self, from: value)
    for w in outcome.winners {
        print("#\(w.rank) \(w.author) (post \(w.id), score \(w.score)): \(w.prize) KDK")
    }
    print("excluded: \(outcome.excluded.count) posts; unallocated: \(outcome.unallocated) KDK")
} catch let d as DiagnosticList {
    FileHandle.standardError.write(Data((d.description + "\n").utf8))
    exit(1)
}
