import XCTest
@testable import KDK
import KDKModels

/// The checker runs before evaluation: these programs must be rejected (or
/// accepted) without running anything.
final class CheckerTests: XCTestCase {
    func errors(_ src: String) -> [String] {
        CoreModels.engine().check(src).filter { $0.severity == .error }.map { d in
            let loc = d.location.map { "\($0.line):\($0.column) " } ?? ""
            return loc + d.message + (d.help.isEmpty ? "" : " | " + d.help.joined(separator: " "))
        }
    }

    func testNothingRunsDuringCheck() {
        // A runtime error is not a check error.
        XCTAssertEqual(errors("1 / 0"), [])
        XCTAssertEqual(errors("fn f(n) = f(n + 1); f(0)"), [])
    }

    func testReportsEveryUndefinedName() {
        let e = errors("let total = 1\ntotl + missing")
        XCTAssertEqual(e.count, 2)
        XCTAssertTrue(e[0].hasPrefix("2:1 'totl' is not defined | did you mean 'total'?"), e[0])
        XCTAssertTrue(e[1].hasPrefix("2:8 'missing' is not defined"), e[1])
    }

    func testUnitsKnownFromTheText() {
        XCTAssertEqual(errors("unit KDK\nlet a = 2_000 KDK\nlet b = a * 2\nb + 5 USD").first?.prefix(4), "4:1 ")
        XCTAssertEqual(errors("unit KDK\n(1 KDK) * (2 USDT/KDK) + 3 USDT"), [])
        XCTAssertEqual(errors("1 hours + 30 minutes"), [])
        XCTAssertEqual(errors("unit KDK\nfn f(x) = x\nf(1 KDK) + 5 USD"), [], "unknown units are never guessed")
        XCTAssertEqual(errors("unit KDK\n5 KDK > 0"), [], "zero goes with any unit")
        XCTAssertTrue(errors("unit KDK\nif true then 1 KDK else 2 KDK + 1").first?.contains("plain number") ?? false)
    }

    func testArityAndNamedArguments() {
        XCTAssertTrue(errors("fn f(a, b = 1) = a\nf()").first?.contains("missing argument 'a'") ?? false)
        XCTAssertTrue(errors("fn f(a, b = 1) = a\nf(1, 2, 3)").first?.contains("takes at most 2 arguments") ?? false)
        XCTAssertTrue(errors("fn f(a, b = 1) = a\nf(1, c: 2)").first?.contains("no parameter named 'c'") ?? false)
        XCTAssertTrue(errors("round(1, placs: 2)").first?.contains("did you mean 'places'") ?? false)
        XCTAssertEqual(errors("fn f(a, b = 1) = a\nf(b: 2, a: 1)"), [])
    }

    func testDuplicatesAndCycles() {
        XCTAssertTrue(errors("let a = 1\nlet a = 2").first?.contains("already defined (line 1)") ?? false)
        XCTAssertTrue(errors("let a = b + 1\nlet b = c\nlet c = a").first?.contains("a -> b -> c -> a") ?? false)
        XCTAssertEqual(errors("let a = () => b\nlet b = a"), [], "a reference inside a lambda is not needed at once")
        XCTAssertTrue(errors("scenario S { a = b; b = a }").first?.contains("a -> b -> a") ?? false)
    }

    func testModelSchemas() {
        var engine = Engine()
        engine.register(kind: ModelKind(name: "sale", fields: [
            ModelKind.Field("price", required: true, doc: "a price in USDT/TOKEN"),
            ModelKind.Field("cap", default: .number(.zero)),
        ]))
        let e = engine.check("sale S { prise = 1 }").filter { $0.severity == .error }
        XCTAssertEqual(e.count, 2)
        XCTAssertTrue(e.contains { $0.message == "a sale has no field 'prise'" && $0.help == ["did you mean 'price'?"] })
        XCTAssertTrue(e.contains { $0.message == "sale S is missing the required field 'price'" })
        XCTAssertTrue(engine.check("sale S { price = 1 }\nsale T extends S { cap = 2 }").isEmpty)
        XCTAssertTrue(engine.check("scenario X { }").contains { $0.message.contains("unknown model kind") })
    }

    func testWarningsDoNotStopAProgram() throws {
        let p = try CoreModels.engine().compile("let len = 5\nlen")
        XCTAssertEqual(p.warnings.count, 1)
        XCTAssertEqual(try p.run().literal(), "5")
    }
}
