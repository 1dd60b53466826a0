import Foundation
import XCTest
@testable import KDK

/// Runs `Tests/Decimal/limits.cases` (written by `scripts/decimal_limits.py`
/// from Python's `decimal`) through the language: each case is an operator or
/// library call on host inputs, so the lexer-free operand is exact and the
/// result goes through the same paths as a script's. Every case runs twice:
/// on plain numbers, and (where the operation takes amounts) on USD amounts,
/// which must give the same number in USD or the same error.
final class DecimalLimitsTests: XCTestCase {
    static let programs: [String: String] = [
        "+": "a + b", "-": "a - b", "*": "a * b", "/": "a / b", "div": "div(a, b)", "mod": "mod(a, b)",
        "<": "a < b", "==": "a == b", "neg": "-a", "abs": "abs(a)", "plus0": "a + 0", "^": "a ^ b",
        "round": "round(a, b)", "parse": "number(s)",
    ]
    /// Which operand is an amount when a case runs on quantities.
    static let withUnits: [String: (a: Bool, b: Bool)] = [
        "+": (true, true), "-": (true, true), "*": (true, false), "/": (true, false), "<": (true, true),
        "==": (true, true), "neg": (true, false), "abs": (true, false), "plus0": (true, false), "round": (true, false),
    ]

    func testLimitsAgreeWithPythonDecimal() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Decimal/limits.cases")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        var engine = Engine()
        engine.define("a", .number(.zero))
        engine.define("b", .number(.zero))
        engine.define("s", .text(""))
        var compiled: [String: Program] = [:]
        for (op, source) in Self.programs { compiled[op] = try engine.compile(source) }
        guard case .quantity(_, let usd) = try engine.compile("USD").run() else { return XCTFail("USD is not a unit") }

        var checked = 0, failures = 0
        for line in lines {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 4, let program = compiled[f[0]] else { XCTFail("bad line: \(line)"); continue }
            let (op, want) = (f[0], f[3])
            var variants: [(inputs: [String: Value], unit: UnitID?)] = []
            if op == "parse" {
                variants = [(["s": .text(f[1])], nil)]
            } else {
                guard let a = ExactDecimal(parsing: Substring(f[1])) else { XCTFail("operand \(f[1])"); continue }
                let b = f[2].isEmpty ? ExactDecimal.zero : ExactDecimal(parsing: Substring(f[2]))!
                variants.append((["a": .number(a), "b": .number(b)], nil))
                if let u = Self.withUnits[op] {
                    variants.append((["a": u.a ? .quantity(a, usd) : .number(a), "b": u.b ? .quantity(b, usd) : .number(b)],
                                     op == "<" || op == "==" ? nil : usd))
                }
            }
            for v in variants {
                checked += 1
                let what = "\(op) \(f[1]) \(f[2])\(v.unit == nil ? "" : " (in USD)")"
                let got: Value
                do { got = try program.run(inputs: v.inputs) } catch {
                    if want != "error" {
                        failures += 1
                        XCTFail("\(what): Python gives \(want), kdk: \(error)")
                    }
                    continue
                }
                let expected: Value
                switch want {
                case "error":
                    failures += 1
                    XCTFail("\(what): Python raises, kdk gives \(got.literal())")
                    continue
                case "true", "false": expected = .bool(want == "true")
                default:
                    let d = ExactDecimal(parsing: Substring(want))!
                    expected = v.unit.map { .quantity(d, $0) } ?? .number(d)
                }
                if got != expected {
                    failures += 1
                    XCTFail("\(what): Python gives \(want), kdk \(got.literal())")
                }
            }
        }
        print("decimal limits: \(checked - failures) of \(checked) cases agree with Python's decimal")
        XCTAssertGreaterThan(checked, 5_000)
    }
}
