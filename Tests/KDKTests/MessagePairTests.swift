import Foundation
import XCTest
@testable import KDK

/// The same mistake reads the same whether `kdk check` finds it (the types
/// are known from the text) or the run does (they are known only then):
/// each pair is one mistake written both ways, and its message and help
/// must be equal. The operators' words come from `Operators.unitConflict`,
/// the arguments' from `Signature`.
final class MessagePairTests: XCTestCase {
    let engine = Engine()

    /// (found by the checker, found by the run).
    static let pairs: [(String, String)] = [
        // Units against units, and against plain numbers.
        ("5 USD + 3 USDT", "fn id(v) = v\nid(5 USD) + id(3 USDT)"),
        ("5 USD + 3", "fn id(v) = v\nid(5 USD) + id(3)"),
        ("3 - 5 USDT", "fn id(v) = v\nid(3) - id(5 USDT)"),
        ("5 USD < 3 hours", "fn id(v) = v\nid(5 USD) < id(3 hours)"),
        ("5 USD == 3", "fn id(v) = v\nid(5 USD) == id(3)"),
        ("2.5 USDT != 10%", "fn id(v) = v\nid(2.5 USDT) != id(10%)"),
        ("[1, 2].map(x => x * 1 USD) |> filter(q => q > 5)", "fn id(v) = v\n[1, 2].map(x => x * id(1 USD)) |> filter(q => q > id(5))"),
        // Arguments of a fn.
        ("fn f(a, b) = a\nf(1, 2, 3)", "fn f(a, b) = a\nlet g = [f][0]\ng(1, 2, 3)"),
        ("fn f(a, b = 2) = a\nf(1, 2, 3)", "fn f(a, b = 2) = a\nlet g = [f][0]\ng(1, 2, 3)"),
        ("fn f(a, b) = a\nf(1, c: 2)", "fn f(a, b) = a\nlet g = [f][0]\ng(1, c: 2)"),
        ("fn f(a, b) = a\nf(1, a: 2)", "fn f(a, b) = a\nlet g = [f][0]\ng(1, a: 2)"),
        ("fn f(alpha, b) = b\nf(b: 2, alpah: 1)", "fn f(alpha, b) = b\nlet g = [f][0]\ng(b: 2, alpah: 1)"),
        ("fn f(a, b, c = 3) = b\nf(c: 2)", "fn f(a, b, c = 3) = b\nlet g = [f][0]\ng(c: 2)"),
        // Arguments of a library function.
        ("len([1], [2])", "let g = [len][0]\ng([1], [2])"),
        ("round(1.25, places: 1, mod: \"up\")", "let g = [round][0]\ng(1.25, places: 1, mod: \"up\")"),
        ("round(1.25, 1, places: 1)", "let g = [round][0]\ng(1.25, 1, places: 1)"),
        ("round(places: 1)", "let g = [round][0]\ng(places: 1)"),
        ("sort([3, 1], descending: true, by: x => x, bye: 1)", "let g = [sort][0]\ng([3, 1], descending: true, by: x => x, bye: 1)"),
    ]

    func checkError(_ source: String) -> Diagnostic? {
        engine.check(source).first { $0.severity == .error }
    }

    func runError(_ source: String) -> Diagnostic? {
        XCTAssertNil(checkError(source), "the run's program should check cleanly: \(source)")
        do {
            _ = try engine.compile(source).run()
            return nil
        } catch let list as DiagnosticList {
            return list.diagnostics.first
        } catch {
            return nil
        }
    }

    func testTheSameMistakeReadsTheSameAtCheckAndRunTime() throws {
        for (checked, ran) in Self.pairs {
            guard let c = checkError(checked) else { XCTFail("no check error for: \(checked)"); continue }
            guard let r = runError(ran) else { XCTFail("no run error for: \(ran)"); continue }
            XCTAssertEqual(c.message, r.message, "\(checked)  /  \(ran)")
            XCTAssertEqual(c.help, r.help, "help of \(checked)  /  \(ran)")
        }
    }
}
