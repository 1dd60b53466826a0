import Foundation
import XCTest
import KDK
import KDKModels

/// The embedding API as a host uses it: Swift values in, kdk rules, Swift values out.
final class EmbeddingTests: XCTestCase {
    struct Author: Codable, Equatable { var name: String; var verified: Bool }
    struct Post: Codable, Equatable {
        var id: Int
        var author: Author
        var likes: Int
        var reward: Foundation.Decimal
        var weight: Double
        var time: Date
        var tags: [String]
        var note: String?
    }

    let post = Post(id: 7, author: Author(name: "李雷", verified: true), likes: 12, reward: Foundation.Decimal(string: "0.1")!,
                    weight: 0.25, time: Date(timeIntervalSince1970: 1_766_116_800), tags: ["#KDK"], note: nil)

    func testCodableRoundTrip() throws {
        let v = try ValueEncoder().encode(post)
        XCTAssertEqual(v.literal(), "{id: 7, author: {name: \"李雷\", verified: true}, likes: 12, reward: 0.1, weight: 0.25, time: 2025-12-19T04:00Z, tags: [\"#KDK\"], note: none}")
        XCTAssertEqual(try ValueDecoder().decode(Post.self, from: v), post)
    }

    /// `runTimed` gives the run's value and one timing per top-level
    /// statement that runs (not `fn` or `unit`), in order, with the line it
    /// starts on; a `let` first used by a later statement is timed there,
    /// so its own row is near zero and the statement that used it is not.
    func testRunTimedTimesEachStatement() throws {
        let source = """
            unit KDK
            let total = range(400000).map(i => i * 3) |> sum
            fn half(x) = x / 2
            let big = range(400000).map(i => i * 2) |> sum
            half(total)
            big > 0
            """
        let program = try Engine().compile(source)
        let (value, warnings, timings) = try program.runTimed()
        XCTAssertEqual(value, .bool(true))
        XCTAssertTrue(warnings.isEmpty)
        XCTAssertEqual(timings.map(\.line), [2, 4, 5, 6])
        XCTAssertEqual(timings.map(\.column), [1, 1, 1, 1])
        XCTAssertEqual(timings.map(\.statement), ["let total = range(400000).map(i => i * 3) |> sum",
                                                  "let big = range(400000).map(i => i * 2) |> sum", "half(total)", "big > 0"])
        XCTAssertGreaterThan(timings[0].seconds, 10 * timings[2].seconds, "the let is computed in its own row")
        XCTAssertGreaterThan(timings[1].seconds, 10 * timings[3].seconds)
        XCTAssertEqual(try program.run(), value, "an untimed run gives the same value")
    }

    func testSwiftValueConversions() {
        XCTAssertEqual(Value(Foundation.Decimal(string: "12345678901234567890.123456789")!)?.literal(), "12345678901234567890.123456789")
        XCTAssertEqual(Value(approximating: 0.1)?.literal(), "0.1")
        XCTAssertEqual(Value(amount: 2000, unit: "KDK")?.literal(), "2000 KDK")
        XCTAssertEqual(Value(42).int, 42)
        XCTAssertEqual(Value.number(ExactDecimal(coefficient: 15, exponent: -1)).int, nil)
        XCTAssertEqual(Value(record: ["a": Value(1)])[field: "a"]?.int, 1)
    }

    func testDatesKeepTheirFractionAndNeverTrap() {
        // A fraction of a second survives the round trip (to a microsecond: a Double's precision near today).
        let d = Date(timeIntervalSince1970: 1_766_145_600.25)
        XCTAssertEqual(Value(d).literal(), "2025-12-19T12:00:00.25Z")
        XCTAssertEqual(Value(d).date?.timeIntervalSince1970 ?? 0, 1_766_145_600.25, accuracy: 1e-6)
        // Beyond years 1-9999, or not finite: kept at the edge, not a trap.
        XCTAssertEqual(Value(Date(timeIntervalSince1970: 1e20)).literal(), "9999-12-31T23:59:59Z")
        XCTAssertEqual(Value(Date(timeIntervalSince1970: -1e20)).literal(), "0001-01-01T00:00Z")
        XCTAssertEqual(Value(Date(timeIntervalSince1970: .infinity)).literal(), "1970-01-01T00:00Z")
    }

    func testDecodingErrorsAreClear() {
        XCTAssertThrowsError(try ValueDecoder().decode(Int.self, from: .number(ExactDecimal(coefficient: 15, exponent: -1)))) { e in
            XCTAssertTrue("\(e)".contains("whole number"), "\(e)")
        }
        XCTAssertThrowsError(try ValueDecoder().decode(Author.self, from: Value(record: ["name": Value("x")]))) { e in
            XCTAssertTrue("\(e)".contains("verified"), "\(e)")
        }
    }

    static let rules = """
        unit KDK decimals 8
        campaign Weekly {
          pool = 100 KDK
          tiers = [tier(1, 60 KDK), tier(2, 40 KDK)]
          rules = [rule("verified", p => p.author.verified)]
          score(p) = p.likes
        }
        Weekly.award(posts).winners.map(w => {id: w.id, rank: w.rank, prize: w.prize / KDK})
        """

    struct Winner: Decodable, Equatable { var id: Int; var rank: Int; var prize: Foundation.Decimal }

    func program() throws -> Program {
        var engine = CoreModels.engine()
        engine.define("posts", .list([]))
        return try engine.compile(Self.rules, name: "rules.kdk")
    }

    func posts(_ n: Int, seed: Int) -> [Post] {
        (0..<n).map { i in
            var p = post
            p.id = i + 1
            p.likes = (i * 37 + seed) % 100
            p.author = Author(name: "u\(i)", verified: i % 5 != 0)
            return p
        }
    }

    func expected(_ ps: [Post]) -> [Winner] {
        let ranked = ps.filter { $0.author.verified }.sorted { $0.likes != $1.likes ? $0.likes > $1.likes : $0.id < $1.id }
        return ranked.prefix(2).enumerated().map { Winner(id: $0.element.id, rank: $0.offset + 1, prize: $0.offset == 0 ? 60 : 40) }
    }

    func testInputsFromSwiftAndDecodedResults() throws {
        let ps = posts(30, seed: 3)
        let out = try program().run(inputs: ["posts": ValueEncoder().encode(ps)])
        XCTAssertEqual(try ValueDecoder().decode([Winner].self, from: out), expected(ps))
        XCTAssertThrowsError(try program().run(inputs: ["post": .list([])])) { e in XCTAssertTrue("\(e)".contains("no input named 'post'")) }
    }

    func testOneProgramManyConcurrentTasks() async throws {
        let p = try program()
        let results = try await withThrowingTaskGroup(of: (Int, [Winner]).self) { group in
            for seed in 0..<24 {
                let ps = posts(40, seed: seed)
                let input = try ValueEncoder().encode(ps)
                group.addTask {
                    (seed, try ValueDecoder().decode([Winner].self, from: try await p.value(inputs: ["posts": input])))
                }
            }
            var all: [Int: [Winner]] = [:]
            for try await (seed, w) in group { all[seed] = w }
            return all
        }
        XCTAssertEqual(results.count, 24)
        for (seed, w) in results { XCTAssertEqual(w, expected(posts(40, seed: seed)), "seed \(seed)") }
    }

    func testCancellingTheTaskStopsTheEvaluation() async throws {
        let p = try Engine().compile("fn s(n) = if n == 0 then 0 else s(n - 1) + s(n - 1); s(60)")
        let task = Task { try await p.value(limits: Limits(maxSteps: nil)) }
        try await Task.sleep(nanoseconds: 200_000_000)
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch {
            XCTAssertTrue("\(error)".contains("cancelled"), "\(error)")
        }
    }

    func testHermeticByDefault() throws {
        for src in ["read_csv(\"/etc/passwd\")", "write_json(\"x.json\", 1)", "import \"x.kdk\"\n1"] {
            XCTAssertThrowsError(try CoreModels.engine().compile(src).run(), src)
        }
    }
}

extension EmbeddingTests {
    func testHostFunctionParameterUnitsAreChecked() throws {
        var engine = Engine()
        engine.register(functions: [Builtin("fee", [Parameter("amount", unit: "USD")]) { a, _ in
            try Arithmetic.multiply(a[0], .number(ExactDecimal(coefficient: 1, exponent: -2)))
        }])
        XCTAssertEqual(try engine.compile("fee(200 USD)").run().literal(), "2 USD")
        let wrong = engine.check("unit KDK\nfee(200 KDK)")
        XCTAssertEqual(wrong.first?.message, "'fee' takes amount in USD, not KDK")
        XCTAssertEqual(wrong.first?.location?.line, 2)
        XCTAssertTrue(engine.check("fee(amount: 200)").contains { $0.message.contains("not a plain number") })
        XCTAssertTrue(engine.check("fn f(x) = fee(x)").isEmpty, "an argument whose unit is unknown is not rejected")
    }

    /// A host function declares its result's unit, and reads its arguments by
    /// parameter name; a wrong kind of argument names the parameter.
    func testHostFunctionResultUnitAndNamedArguments() throws {
        var engine = Engine()
        engine.register(functions: [Builtin("usd_price", [Parameter("symbol")], result: .unit("USD")) { a, _ in
            try a.text("symbol") == "BTC" ? .quantity(ExactDecimal(90_000), UnitRegistry.shared.named("USD")) : .none
        }])
        XCTAssertEqual(try engine.compile("usd_price(\"BTC\") * 2").run().literal(), "180000 USD")
        let wrong = engine.check("unit KDK\nusd_price(\"BTC\") + 5 KDK")
        XCTAssertEqual(wrong.first?.message, "cannot add these: the units differ: USD and KDK")
        XCTAssertEqual(wrong.first?.location?.line, 2)
        XCTAssertThrowsError(try engine.compile("usd_price(42)").run()) { e in
            XCTAssertEqual((e as? DiagnosticList)?.diagnostics.first?.message, "usd_price needs a text for symbol, not a number")
        }
    }
}

extension EmbeddingTests {
    func testEngineDefaultLimitsApplyUnlessARunGivesItsOwn() throws {
        var engine = Engine()
        engine.limits = Limits(maxDepth: 50)
        let p = try engine.compile("fn f(n) = if n == 0 then 0 else 1 + f(n - 1); f(100)")
        XCTAssertThrowsError(try p.run()) { e in XCTAssertTrue("\(e)".contains("recursion too deep")) }
        XCTAssertEqual(try p.run(limits: Limits(maxDepth: 1_000)).literal(), "100")
    }
}
