import Foundation
import XCTest
import KDK
@testable import KDKModels

/// `kdk sql`'s own stages: quoting per dialect, the hashtag classes, and
/// the diagnostics for what cannot compile (E05xx, at the part at fault).
/// The queries' answers are checked on the real engines (Tests/sql).
final class SQLTests: XCTestCase {
    let hostile = "it's \\ -- ; DROP\n\"x\"`y`"

    func testTextConstantsAreQuotedForEachDialect() {
        XCTAssertEqual(SQLDialect.duckdb.text(hostile), "'it''s \\ -- ; DROP\n\"x\"`y`'")
        XCTAssertEqual(SQLDialect.postgres.text(hostile), "'it''s \\ -- ; DROP\n\"x\"`y`'")
        XCTAssertEqual(SQLDialect.spark.text(hostile), "'it\\'s \\\\ -- ; DROP\\n\"x\"`y`'")
        XCTAssertEqual(SQLDialect.bigquery.text(hostile), "'it\\'s \\\\ -- ; DROP\\n\"x\"`y`'")
        XCTAssertEqual(SQLDialect.spark.text("a\u{1}b"), "'a\\u0001b'")
    }

    func testIdentifiersAndTablesAreQuotedForEachDialect() {
        XCTAssertEqual(SQLDialect.duckdb.identifier("select"), "\"select\"")
        XCTAssertEqual(SQLDialect.postgres.identifier("a\"b"), "\"a\"\"b\"")
        XCTAssertEqual(SQLDialect.spark.identifier("a`b c"), "`a``b c`")
        XCTAssertEqual(SQLDialect.bigquery.identifier("a`b"), "`a\\`b`")
        XCTAssertEqual(SQLDialect.postgres.table("kdk sch.po\"st's x"), "\"kdk sch\".\"po\"\"st's x\"")
        XCTAssertEqual(SQLDialect.spark.table("db.posts"), "`db`.`posts`")
    }

    func testTimesAreWrittenInUTC() {
        let t = Instant(seconds: 1_766_116_800, offsetMinutes: 480)  // 2025-12-19T12:00+08:00
        XCTAssertEqual(SQLDialect.duckdb.time(t), "TIMESTAMPTZ '2025-12-19 04:00:00+00'")
        XCTAssertEqual(SQLDialect.spark.time(t), "TIMESTAMP '2025-12-19 04:00:00'")
        XCTAssertEqual(SQLDialect.spark.preamble, "SET spark.sql.session.timeZone = UTC;")
    }

    /// The classes list exactly the scalars kdk's rule takes.
    func testHashtagClassesAreKdksRule() {
        var inTag = Set<UInt32>(), joining = Set<UInt32>()
        for r in SQLText.tagCharacters { for v in r { inTag.insert(v) } }
        for r in SQLText.joiningCharacters { for v in r { joining.insert(v) } }
        for v in stride(from: UInt32(0), through: 0x10FFFF, by: 7) {
            guard let c = Unicode.Scalar(v) else { continue }
            XCTAssertEqual(inTag.contains(v), HashtagRule.isTagCharacter(c), "U+\(String(v, radix: 16))")
            XCTAssertEqual(joining.contains(v), HashtagRule.isTagCharacter(c) && !HashtagRule.startsTag(after: c), "U+\(String(v, radix: 16))")
        }
        XCTAssertTrue(inTag.contains(0x53D1) && !joining.contains(0x53D1))  // 发: a tag character after which # starts a tag
        XCTAssertTrue(joining.contains(0x61) && !inTag.contains(0x23))
        XCTAssertTrue(SQLDialect.postgres.characterClass([0x4E00...0x9FFF]).contains("\\u4E00-\\u9FFF"))
        XCTAssertTrue(SQLDialect.duckdb.characterClass([0x1F600...0x1F600]).contains("\\x{1F600}"))
    }

    let shape = """
    unit KDK decimals 8
    shape Post {
      id: number
      author: text
      time: time
      text: text
      likes: number
      shares: number
    }

    """

    func check(_ source: String, _ dialect: SQLDialect = .duckdb) -> [Diagnostic] {
        SQLCompiler.check(source, name: "c.kdk", importRoot: nil, dialect: dialect)
    }

    /// A division in a rule: E0501, pointing at that rule, with help.
    func testADivisionInARuleIsRefusedAtTheRule() {
        let source = shape + """
        campaign C {
          entry = Post
          pool = 100 KDK
          score(p) = p.likes
          rules = [
            rule("liked", p => p.likes > 0),
            rule("ratio", p => p.likes / p.shares > 2),
          ]
          tiers = [tier(1, 100 KDK)]
        }
        """
        let d = check(source)
        XCTAssertEqual(d.count, 1)
        XCTAssertEqual(d.first?.code, "E0501")
        XCTAssertEqual(d.first?.message, "rule 'ratio': / has no exact SQL form: kdk divides exactly, engines round (DuckDB divides decimals in binary floating point)")
        XCTAssertEqual(d.first.flatMap { $0.location.map { "\($0.line):\($0.column)" } }, "16:5")
        XCTAssertEqual(d.first?.help, ["compare products instead: p.likes > 2 * p.shares rather than p.likes / p.shares > 2"])
        XCTAssertEqual(d.first?.labels.map { $0.message }, ["in campaign C"])
    }

    /// Everything is listed at once: a user function in the score, and a
    /// text length PostgreSQL cannot count as kdk does.
    func testEveryProblemIsListed() {
        let source = shape + """
        fn double(x) = 2 * x
        campaign C {
          entry = Post
          pool = 100 KDK
          score(p) = double(p.likes)
          rules = [rule("long", p => len(p.text) > 10)]
          tiers = [tier(1, 100 KDK)]
        }
        """
        XCTAssertEqual(check(source, .postgres).map { $0.code ?? "" }, ["E0501", "E0501"])
        // DuckDB counts characters as kdk does (length_grapheme): only the score is refused.
        let duck = check(source, .duckdb)
        XCTAssertEqual(duck.map { $0.code ?? "" }, ["E0501"])
        XCTAssertEqual(duck.first?.message.hasPrefix("score cannot be compiled to SQL"), true)
    }

    func testEntriesWithoutAShapeAreRefused() {
        let d = check("unit KDK decimals 8\ncampaign C {\n  pool = 1 KDK\n  score(p) = p.likes\n  tiers = [tier(1, 1 KDK)]\n}\n")
        XCTAssertEqual(d.map { $0.code ?? "" }, ["E0504"])
        XCTAssertEqual(d.first?.help, ["declare shape Post { id: number, ... } and entry = Post in the campaign, or pass --shape Post"])
    }

    /// A pool whose smallest units pass 64 bits (10^11 KDK at 8 decimals).
    func testAPoolPast64BitsIsRefused() {
        let source = shape + """
        campaign C {
          entry = Post
          pool = 100_000_000_000 KDK
          score(p) = p.likes
          tiers = [tier(1, 100_000_000_000 KDK)]
        }
        """
        let d = check(source)
        XCTAssertEqual(d.map { $0.code ?? "" }, ["E0503"])
        XCTAssertEqual(d.first.flatMap { $0.location.map { "\($0.line):\($0.column)" } }, "12:10")
    }

    func testACampaignThatCompilesHasNoDiagnostics() throws {
        let source = shape + """
        campaign C {
          entry = Post
          window = 2025-12-19T12:00+08:00 ..< 2025-12-30T24:00+08:00
          pool = [100 KDK, 10 USDT]
          score(p) = p.likes + 3 * p.shares
          rules = [rule("in window", p => p.time in window), rule("tagged", p => hashtags(p.text).any(t => lower(t) == "#kdk"))]
          rewards = [leaderboard(tiers: [tier(1, 100 KDK)]), share(pool: 10 USDT, cap: 1 USDT)]
        }
        """
        for d in SQLDialect.allCases { XCTAssertEqual(check(source, d).count, 0, d.rawValue) }
        let sql = try SQLCompiler.query(source, name: "c.kdk", importRoot: nil, campaign: nil, shape: nil,
                                        CampaignSQL.Options(dialect: .postgres, table: "posts", result: .totals))
        XCTAssertTrue(sql.hasPrefix("-- kdk sql: C, totals, for postgres"))
        XCTAssertTrue(sql.contains("FROM \"posts\""))
        XCTAssertTrue(sql.hasSuffix("ORDER BY kdk_i;\n"))
    }
}
