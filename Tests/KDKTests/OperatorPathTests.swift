import Foundation
import XCTest
@testable import KDK

/// Every operator has one meaning (`BinOp.numbers` / `BinOp.evaluate`), and
/// every fast path must give what the general path gives: the interpreter's
/// specialised closures (a local or an operand against a constant, two
/// locals, conditions), a call's fused argument `f(n ± k)`, the bytecode of
/// `fn` bodies, fused pipelines, and column plans. Random operands carry units and percentage marks, so a
/// path that drops either fails here.
final class OperatorPathTests: XCTestCase {
    /// Operands as kdk source: plain numbers (some constants), percentages,
    /// amounts, durations, a time, a text, a list, none.
    static let operands = ["3", "2.5", "-4", "0", "10%", "12.5%", "0%", "5 USD", "2.5 USDT", "0 USD", "-1.5 USD",
                           "3 hours", "90 minutes", "2025-12-19T12:00Z", "\"ab\"", "[3, 10%]", "none", "true", "(1 / 3)"]
    static let operators = ["+", "-", "*", "/", "^", "==", "!=", "<", "<=", ">", ">=", "in", "not in"]

    let engine = Engine()
    /// `fn` bodies as closures, where `engine` runs them as bytecode.
    let treeEngine = { var e = Engine(); e.usesBytecode = false; return e }()

    /// The program's value as `kdk eval` prints it, or its error's message.
    func outcome(_ source: String, tree: Bool = false) -> String {
        do { return try (tree ? treeEngine : engine).compile(source).run().literal() } catch let list as DiagnosticList {
            return "error: " + (list.diagnostics.first?.message ?? "?")
        } catch { return "error: \(error)" }
    }

    /// The operation through each path, by name; "general" is the reference.
    func paths(_ x: String, _ op: String, _ y: String) -> [(String, String)] {
        // In brackets: `-4 ^ 2` is `-(4 ^ 2)`.
        let x = "(\(x))", y = "(\(y))"
        let out: [(String, String)] = [
            ("general", outcome("fn id(v) = v\nid(\(x)) \(op) id(\(y))")),
            ("local against constant", outcome("fn t(n) = n \(op) \(y)\nt(\(x))")),
            ("constant against operand", outcome("fn t(n) = \(x) \(op) n\nt(\(y))")),
            ("operand against constant", outcome("fn id(v) = v\nid(\(x)) \(op) \(y)")),
            ("two locals", outcome("fn t(a, b) = a \(op) b\nt(\(x), \(y))")),
            ("fused argument", outcome("fn f(r) = r\nfn t(n) = f(n \(op) \(y))\nt(\(x))")),
            // The same shapes in `fn` bodies run as closures, not bytecode.
            ("tree: local against constant", outcome("fn t(n) = n \(op) \(y)\nt(\(x))", tree: true)),
            ("tree: constant against operand", outcome("fn t(n) = \(x) \(op) n\nt(\(y))", tree: true)),
            ("tree: two locals", outcome("fn t(a, b) = a \(op) b\nt(\(x), \(y))", tree: true)),
            ("tree: local against operand", outcome("fn id(v) = v\nfn t(n) = n \(op) id(\(y))\nt(\(x))", tree: true)),
            ("tree: fused argument", outcome("fn f(r) = r\nfn t(n) = f(n \(op) \(y))\nt(\(x))", tree: true)),
            ("pipeline", outcome("[\(x)].map(n => n \(op) \(y)).map(v => [v]) |> first")),
        ]
        return out
    }

    /// Every operator on every pair of operands (4,693 operations), each
    /// through every path.
    func testEveryPathGivesTheGeneralPathsValue() throws {
        var checked = 0
        for op in Self.operators {
            for x in Self.operands {
                for y in Self.operands {
                    let results = paths(x, op, y)
                    let reference = results[0].1
                    for (name, got) in results.dropFirst() {
                        // `pipeline` wraps the value in a list.
                        let want = name == "pipeline" && !reference.hasPrefix("error") ? "[\(reference)]" : reference
                        XCTAssertEqual(got, want, "\(x) \(op) \(y) through \(name)")
                        checked += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 25_000)
    }

    /// A fused pipeline's `sum` adds as the library's `sum` does (rates sum
    /// to a rate).
    func testPipelineSumIsTheLibrarySum() throws {
        for x in Self.operands {
            for y in Self.operands {
                let fused = outcome("[\(x), \(y)].map(v => v) |> sum"), general = outcome("fn id(v) = v\nsum(id([\(x), \(y)]))")
                XCTAssertEqual(fused, general, "sum of \(x) and \(y)")
            }
        }
        XCTAssertEqual(outcome("[10%, 5%].map(v => v) |> sum"), "15%")
        XCTAssertEqual(outcome("sum([10%, 5%])"), "15%")
        XCTAssertEqual(outcome("sum([10%, 5])"), "5.1")
        XCTAssertEqual(outcome("sum([])"), "0")
    }

    /// Conditions (`if n < 5% then ...`) read a comparison without making a
    /// value; they must decide as the comparison's value does.
    func testConditionsDecideAsComparisons() throws {
        for x in Self.operands {
            for op in ["==", "!=", "<", "<=", ">", ">="] {
                for y in ["5%", "2", "0"] {
                    let general = outcome("fn id(v) = v\nif id(\(x)) \(op) id(\(y)) then \"yes\" else \"no\"")
                    let fast = "fn t(n) = if n \(op) \(y) then \"yes\" else \"no\"\nt(\(x))"
                    XCTAssertEqual(outcome(fast), general, "if \(x) \(op) \(y)")
                    XCTAssertEqual(outcome(fast, tree: true), general, "if \(x) \(op) \(y), tree")
                    // Two locals: bytecode's compare-and-jump.
                    let locals = "fn t(n, k) = if n \(op) k then \"yes\" else \"no\"\nt(\(x), \(y))"
                    XCTAssertEqual(outcome(locals), general, "if \(x) \(op) \(y), two locals")
                }
            }
        }
    }

    /// A column plan's operator over a table's rows gives what the general
    /// path gives, or declines (throws) and leaves the row to the lambda.
    func testColumnPlansGiveTheGeneralPathsValue() throws {
        let sources = Self.operands
        let values = try sources.map { try engine.compile($0).run() }
        var declined = 0, compared = 0
        for op in Self.operators {
            guard let bop = BinOp(rawValue: op) else { return XCTFail("no operator \(op)") }
            for (i, x) in sources.enumerated() {
                let general = sources.map { y in outcome("fn id(v) = v\nid(\(x)) \(op) id(\(y))") }
                let table = ColumnTable(shape: .of(["a", "b"]),
                                        columns: [Column.of(Array(repeating: values[i], count: values.count)), Column.of(values)],
                                        count: values.count)
                let frame = ColumnFrame(table: table, rows: Array(0..<values.count))
                // Column against column, and column against each constant.
                var plans = [(ColumnPlan.binary(bop, .field("a"), .field("b")), Array(sources.indices))]
                for j in sources.indices { plans.append((.binary(bop, .field("a"), .constant(values[j])), Array(repeating: j, count: sources.count))) }
                for (plan, ys) in plans {
                    guard let planned = try? plan.evaluate(frame) else { declined += 1; continue }
                    for (v, j) in zip(planned, ys) {
                        XCTAssertEqual(v.literal(), general[j], "\(x) \(op) \(sources[j]) over columns")
                        compared += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(compared, 1_000)
        XCTAssertGreaterThan(declined, 0)
    }

    /// The whole-number path (`BinOp.wholeNumbers`, which column plans over
    /// integer columns take) gives the number `numbers` gives, at the edges
    /// of 64 bits too, and declines where the result passes them or the
    /// operator is another.
    func testWholeNumbersAreTheNumbersPath() throws {
        let edges: [Int64] = [0, 1, -1, 2, -2, 3, 1 << 31, -(1 << 31), 3_037_000_499, -3_037_000_500, .max, .min, .max - 1, .min + 1, 4_611_686_018_427_387_904]
        var declined = 0
        for op in BinOp.allCases {
            for x in edges {
                for y in edges {
                    guard let r = op.wholeNumbers(x, y) else { declined += 1; continue }
                    let general = try op.numbers(ExactDecimal(coefficient: Int128(x), exponent: 0), ExactDecimal(coefficient: Int128(y), exponent: 0))
                    XCTAssertTrue([BinOp.add, .sub, .mul].contains(op), "\(op.rawValue)")
                    XCTAssertEqual(Value.number(ExactDecimal(coefficient: Int128(r), exponent: 0)).literal(), general.literal(), "\(x) \(op.rawValue) \(y)")
                    XCTAssertTrue(Value.equal(.number(ExactDecimal(coefficient: Int128(r), exponent: 0)), general), "\(x) \(op.rawValue) \(y)")
                }
            }
        }
        XCTAssertGreaterThan(declined, edges.count * edges.count * (BinOp.allCases.count - 3))
    }
}
