import Foundation
import XCTest
import KDK

/// The embedding contract (docs/embedding.md): typed inputs, result types,
/// host functions checked at both ends, faithful Codable, imports inside
/// `importRoot`, and host-facing messages.
final class EmbeddingContractTests: XCTestCase {
    struct Post: Codable, Equatable {
        var id: Int
        var author: String
        var likes: Int
        var comments: Int
        var shares: Int
        var verified: Bool
        var bonus: Int?
    }

    let rule = "p.likes + 2 * p.comments + 3 * p.shares >= threshold"

    func engine() throws -> Engine {
        var engine = Engine()
        try engine.define("p", as: Post.self)
        engine.define("threshold", as: .number, default: Value(100))
        return engine
    }

    // MARK: 1. typed inputs, result types, inputs used

    func testATypedInputsFieldsAreCheckedWhenCompiling() throws {
        XCTAssertEqual(try ValueType.of(Post.self).description,
                       "record {id: number, author: text, likes: number, comments: number, shares: number, verified: bool, bonus: number or none}")
        let typo = try engine().check("p.likez > 10", name: "rule.kdk")
        XCTAssertEqual(typo.map { $0.render(color: false) }.joined(separator: "\n"), """
            rule.kdk:1:3: error: input 'p' has no field 'likez'
            1 | p.likez > 10
              |   ^^^^^
              = note: the host declares input 'p' with the fields id, author, likes, comments, shares, verified, bonus
              = help: did you mean 'likes'?
            """)
        XCTAssertEqual(typo.first?.code, "E0102")
        XCTAssertTrue(try engine().check(rule).isEmpty)
    }

    func testResultTypeAndInputsUsed() throws {
        let program = try engine().compile(rule)
        XCTAssertEqual(program.resultType, .bool)
        XCTAssertEqual(program.inputsUsed, ["p", "threshold"])
        XCTAssertEqual(try engine().compile("p.likes * 2").inputsUsed, ["p"])
        XCTAssertEqual(try engine().compile("p.likes * 2").resultType, .number)
        XCTAssertEqual(try engine().compile("{author: p.author, ok: p.verified}").resultType,
                       .record(["author": .text, "ok": .bool]))
        XCTAssertEqual(try engine().compile("unit USD\n5 USD").resultType, .quantity(unit: "USD"))
    }

    func testExpectingATypeFailsAtCompileTime() throws {
        XCTAssertNoThrow(try engine().compile(rule, expecting: Bool.self))
        XCTAssertThrowsError(try engine().compile("p.likes + 2 * p.comments", name: "rule.kdk", expecting: Bool.self)) { e in
            let d = (e as? DiagnosticList)?.diagnostics.first
            XCTAssertEqual(d?.message, "the program must give a bool, but this gives a number")
            XCTAssertEqual(d?.code, "E0106")
            XCTAssertEqual(d?.location?.line, 1)
        }
        XCTAssertThrowsError(try engine().compile("let x = 1", expecting: ValueType.number)) { e in
            XCTAssertEqual((e as? DiagnosticList)?.diagnostics.first?.code, "E0106")
        }
        // Where the type is known only when it runs, the compile succeeds.
        XCTAssertNoThrow(try engine().compile("fn f(x) = x\nf(1)", expecting: Bool.self))
    }

    func testTypedInputsAreCheckedAtEachRun() throws {
        let program = try engine().compile(rule)
        let post = Post(id: 1, author: "li", likes: 90, comments: 3, shares: 2, verified: true, bonus: nil)
        XCTAssertEqual(try program.run(inputs: ["p": ValueEncoder().encode(post)]), .bool(true))
        XCTAssertThrowsError(try program.run(inputs: ["p": Value(record: ["id": Value(1)])])) { e in
            let d = (e as? DiagnosticList)?.diagnostics.first
            XCTAssertEqual(d?.message, "input 'p' is not a record {id: number, author: text, likes: number, comments: number, shares: number, verified: bool, bonus: number or none}: field 'author' is missing")
            XCTAssertEqual(d?.code, "E0404")
        }
        XCTAssertThrowsError(try program.run(inputs: [:])) { e in
            XCTAssertEqual((e as? DiagnosticList)?.diagnostics.first?.message.hasPrefix("input 'p' was not given"), true)
        }
        // An input the program does not use need not be given.
        XCTAssertEqual(try engine().compile("threshold * 2").run(), Value(200))
    }

    // MARK: 2. host functions

    struct DatabaseDown: Error {}

    func hostEngine() -> Engine {
        var engine = Engine()
        engine.register(functions: [
            Builtin("fee", [Parameter("amount", unit: "USD")], result: .unit("USD")) { args, _ in
                try Arithmetic.multiply(args[0], .number(ExactDecimal(coefficient: 1, exponent: -2)))
            },
            Builtin("broken_price", [Parameter("symbol", type: .text)], result: .unit("USD")) { _, _ in
                .quantity(ExactDecimal(5), UnitRegistry.shared.named("KDK"))
            },
            Builtin("lookup", [Parameter("symbol", type: .text)]) { _, _ in throw DatabaseDown() },
            Builtin("profile", [Parameter("author", type: .text)], returns: .record(["name": .text, "followers": .number])) { args, _ in
                Value(record: ["name": .text(try args.text("author")), "followers": Value(12)])
            },
            Builtin.async("usd_price", [Parameter("symbol", type: .text)], result: .unit("USD")) { args in
                try await Task.sleep(nanoseconds: 1_000_000)
                return try args.text("symbol") == "BTC" ? .quantity(ExactDecimal(90_000), UnitRegistry.shared.named("USD")) : .none
            },
        ])
        engine.define("amount", .none)
        return engine
    }

    func testHostFunctionArgumentsAreCheckedAtRunTime() throws {
        let program = try hostEngine().compile("fee(amount)", name: "rule.kdk")
        XCTAssertEqual(try program.run(inputs: ["amount": Value(amount: 200, unit: "USD")!]).literal(), "2 USD")
        XCTAssertThrowsError(try program.run(inputs: ["amount": Value(amount: 5, unit: "KDK")!])) { e in
            let d = (e as? DiagnosticList)?.diagnostics.first
            XCTAssertEqual(d?.message, "fee: amount is 5 KDK, not an amount in USD")
            XCTAssertEqual(d?.code, "E0403")
            XCTAssertEqual(d?.location?.line, 1)
        }
        XCTAssertThrowsError(try hostEngine().compile("profile(42)").run()) { e in
            XCTAssertEqual((e as? DiagnosticList)?.diagnostics.first?.message, "profile: author is 42, not a text")
        }
    }

    func testHostFunctionResultsAreCheckedAndDeclaredTypesFeedTheChecker() throws {
        XCTAssertThrowsError(try hostEngine().compile("broken_price(\"BTC\")").run()) { e in
            XCTAssertEqual((e as? DiagnosticList)?.diagnostics.first?.message,
                           "broken_price returned 5 KDK (it declares a result in USD)")
        }
        let typo = hostEngine().check("profile(\"li\").folowers")
        XCTAssertEqual(typo.first?.message, "the result of profile has no field 'folowers'")
        XCTAssertEqual(try hostEngine().compile("profile(\"li\").followers").resultType, .number)
    }

    func testAHostFunctionsOwnErrorKeepsItsTypeAndTheCallSite() throws {
        XCTAssertThrowsError(try hostEngine().compile("let x = 1\nlookup(\"BTC\")", name: "rule.kdk").run()) { e in
            let d = (e as? DiagnosticList)?.diagnostics.first
            XCTAssertEqual(d?.message, "lookup failed: DatabaseDown()")
            XCTAssertEqual(d?.code, "E0403")
            XCTAssertEqual(d?.location?.line, 2)
            XCTAssertTrue(d?.underlyingError is DatabaseDown)
        }
    }

    func testAsyncHostFunctionsRunThroughValue() async throws {
        let program = try hostEngine().compile("usd_price(\"BTC\") * 2")
        let v = try await program.value()
        XCTAssertEqual(v.literal(), "180000 USD")
        XCTAssertThrowsError(try program.run()) { e in
            XCTAssertEqual((e as? DiagnosticList)?.diagnostics.first?.code, "E0403")
        }
    }

    // MARK: 3. Codable fidelity

    func testCodableRoundTripsNilUInt64AndFractionalSeconds() throws {
        struct Row: Codable, Equatable { var big: UInt64; var note: String?; var at: Date; var score: Double? }
        let rows = [Row(big: UInt64.max, note: nil, at: Date(timeIntervalSince1970: 1_766_145_600.125), score: nil),
                    Row(big: 0, note: "x", at: Date(timeIntervalSince1970: 0), score: 0.5)]
        let v = try ValueEncoder().encode(rows)
        XCTAssertEqual(v.literal(), "[{big: 18446744073709551615, note: none, at: 2025-12-19T12:00:00.125Z, score: none}, {big: 0, note: \"x\", at: 1970-01-01T00:00Z, score: 0.5}]")
        XCTAssertEqual(try ValueDecoder().decode([Row].self, from: v), rows)
        // A nil field is there, so `??` gives the default.
        var engine = Engine()
        engine.define("rows", v)
        XCTAssertEqual(try engine.compile("rows.map(r => r.score ?? 0)").run().literal(), "[0, 0.5]")
        // Random round trips.
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let r = Row(big: UInt64.random(in: 0...UInt64.max, using: &rng), note: Bool.random() ? nil : "n\(Int.random(in: 0...9))",
                        at: Date(timeIntervalSince1970: Double(Int.random(in: 0...2_000_000_000)) + Double(Int.random(in: 0...999)) / 1000),
                        score: Bool.random() ? nil : Double(Int.random(in: -1000...1000)) / 8)
            let back = try ValueDecoder().decode(Row.self, from: ValueEncoder().encode(r))
            XCTAssertEqual(back.big, r.big)
            XCTAssertEqual(back.note, r.note)
            XCTAssertEqual(back.score, r.score)
            XCTAssertEqual(back.at.timeIntervalSince1970, r.at.timeIntervalSince1970, accuracy: 1e-6)
        }
    }

    // MARK: 4. imports inside importRoot

    func testImportsResolveInsideTheImportRoot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("rules"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "let base_fee = 3".write(to: root.appendingPathComponent("common.kdk"), atomically: true, encoding: .utf8)
        try "import \"../common.kdk\"\nlet fee = base_fee * 2".write(to: root.appendingPathComponent("rules/fees.kdk"), atomically: true, encoding: .utf8)
        let engine = Engine()
        XCTAssertEqual(try engine.compile("import \"common.kdk\"\nbase_fee + 1", name: "rules.kdk", importRoot: root).run(), Value(4))
        XCTAssertEqual(try engine.compile("import \"fees.kdk\"\nfee", name: "rules/main.kdk", importRoot: root).run(), Value(6))
        XCTAssertThrowsError(try engine.compile("import \"../../etc/passwd\"\n1", name: "rules.kdk", importRoot: root))
    }

    // MARK: 5. host-facing messages, limits, print

    func testMessagesNameTheAPIAndZeroMeansNoLimit() throws {
        let program = try Engine().compile("fn f(n) = if n == 0 then 0 else 1 + f(n - 1); f(100)")
        XCTAssertThrowsError(try program.run(limits: Limits(maxDepth: 10))) { e in
            let d = (e as? DiagnosticList)?.diagnostics.first
            XCTAssertEqual(d?.help, ["raise Limits.maxDepth, or check that the recursion ends"])
            XCTAssertEqual(d?.namingCommandLineFlags().help, ["raise --max-depth, or check that the recursion ends"])
        }
        XCTAssertNil(Limits(maxSteps: 0).maxSteps)
        XCTAssertNil(Limits(timeout: 0).timeout)
        XCTAssertEqual(try program.run(limits: Limits(maxSteps: 0, timeout: 0)), Value(100))
    }

    func testPrintGoesNowhereUnlessTheHostGivesASink() throws {
        // Nothing reaches this process's standard output; a sink receives the lines.
        let lines = Locked<[String]>([])
        let program = try Engine().compile("print(\"hello\"); 1")
        XCTAssertEqual(try program.run(), Value(1))
        _ = try program.run(access: HostAccess(output: { l in lines.update { $0.append(l) } }))
        XCTAssertEqual(lines.value, ["hello"])
    }

    // MARK: 6. codes

    func testEveryHostFacingDiagnosticHasACode() throws {
        let engine = try engine()
        var all: [Diagnostic] = []
        for src in ["p.likez", "1 +", "nope", "let a = a", "1 / 0"] {
            do { _ = try engine.compile(src).run(inputs: ["p": Value(record: [:])]) } catch let d as DiagnosticList { all += d.diagnostics }
        }
        XCTAssertGreaterThanOrEqual(all.count, 5)
        for d in all { XCTAssertNotNil(d.code.flatMap(DiagnosticCode.init(rawValue:)), d.message) }
    }
}
