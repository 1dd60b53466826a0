import Foundation
import XCTest
@testable import KDK

/// `Engine.fields(at:in:)`: the fields the checker knows at a field being
/// typed, read from its typed record of receivers (not from messages).
final class CompletionTests: XCTestCase {
    /// The fields offered for a name starting where `|` stands in `text` (the marker removed).
    func fields(_ text: String, engine: Engine = Engine()) -> [String] {
        let offset = text.components(separatedBy: "|")[0].utf8.count
        return engine.fields(at: offset, in: text.replacingOccurrences(of: "|", with: ""))
    }

    func testRecordsListsAndHalfTypedLines() {
        let posts = "let posts = [{id: 1, likes: 2, author: \"li\"}]\n"
        XCTAssertEqual(fields(posts + "posts[0].|"), ["id", "likes", "author"])
        XCTAssertEqual(fields(posts + "posts[0].|li"), ["id", "likes", "author"])
        XCTAssertEqual(fields(posts + "let n = posts.filter(p => p.|"), ["id", "likes", "author"])
        XCTAssertEqual(fields(posts + "posts.map(p => {n: p.likes}).filter(r => r.|)\n1"), ["n"])
        XCTAssertEqual(fields(posts + "posts.max_by(p => p.likes).|"), ["id", "likes", "author"])
        XCTAssertEqual(fields("let x = 5\nx.|"), [])
        XCTAssertEqual(fields("shape Post { id: number, text: text }\nfn f(p: Post) = p.|"), ["id", "text"])
    }

    func testTheEntriesOfAModelAndATypedInput() {
        let campaign = "shape Post { id: number, author: text, likes: number }\ncampaign C {\n  entry = Post\n  pool = 10 USDT\n  tiers = [tier(1, 10 USDT)]\n  score(p) = p.|\n}\n"
        var engine = Engine()
        engine.register(kind: ModelKind(name: "campaign", openFields: true, entries: ModelKind.Entries(arguments: [:], functionFields: ["score"], required: [])))
        XCTAssertEqual(fields(campaign, engine: engine), ["id", "author", "likes"])
        var host = Engine()
        host.define("post", as: .record([ValueType.Field("likes", .number), ValueType.Field("author", .text)]))
        XCTAssertEqual(fields("post.|", engine: host), ["likes", "author"])
    }
}
