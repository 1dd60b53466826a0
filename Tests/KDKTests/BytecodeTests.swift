import Foundation
import XCTest
@testable import KDK

/// The bytecode evaluator of `fn` bodies gives what the tree of closures
/// gives: the same values, the same errors at the same places, the same
/// steps counted; and its calls do not use Swift's stack.
final class BytecodeTests: XCTestCase {
    /// The value as a literal, or the first error with its line and column.
    func outcome(_ source: String, bytecode: Bool, limits: Limits = Limits(maxSteps: 2_000_000, maxDepth: 500)) -> String {
        var engine = Engine()
        engine.usesBytecode = bytecode
        do {
            let program = try engine.compile(source)
            return try program.run(limits: limits).literal()
        } catch let list as DiagnosticList {
            guard let d = list.diagnostics.first else { return "error" }
            return "error \(d.location.map { "\($0.line):\($0.column)" } ?? "-"): \(d.message)"
        } catch {
            return "error: \(error)"
        }
    }

    func assertSame(_ source: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(outcome(source, bytecode: true), outcome(source, bytecode: false), source, file: file, line: line)
    }

    func testEveryOperatorCodeGoesThereAndBack() {
        for op in BinOp.allCases { XCTAssertEqual(BinOp(code: op.code), op) }
        XCTAssertEqual(BinOp.allCases.map { Int($0.code) }, Array(0..<BinOp.allCases.count))
    }

    func testRecursionAndItsDump() throws {
        let fib = "fn fib(n) = if n < 2 then n else fib(n - 1) + fib(n - 2)\nfib(20)"
        XCTAssertEqual(outcome(fib, bytecode: true), "6765")
        let dump = try Engine().dump(fib)
        XCTAssertTrue(dump.contains("\n    3: r2 = call fib(r2)\n"), dump)
        var tree = Engine()
        tree.usesBytecode = false
        XCTAssertFalse(try tree.dump(fib).contains("bytecode"))
    }

    /// Errors raised in each kind of instruction, and in a closure the
    /// bytecode runs, are located where the tree evaluator locates them.
    func testErrorsAreLocatedAsTheTreeLocatesThem() {
        for source in [
            "fn f(n) = n + 1\nf(\"a\")",
            "fn f(n) = n - 1 USD\nf(2)",
            "fn f(a, b) = a * b\nf(2 USD, 3 USD) + 1",
            "fn f(n) = if n then 1 else 2\nf(3)",
            "fn f(n) = if n < 2 then 1 else 2\nf(\"x\")",
            "fn f(a, b) = if a < b then 1 else 2\nf(1, \"x\")",
            "fn g(n) = n / 0\nfn f(n) = 1 + g(n)\nf(1)",
            "fn g(n) = [n][3]\nfn f(n) = g(n) + 1\nf(1)",
            "fn g(n) = n.x\nfn f(n) = { let y = g(n); y }\nf(1)",
            "fn f(n) = f(n + 1)\nf(0)",
            "fn f(n) = if n == 0 then 0 else 1 + f(n - 1)\nf(10000)",
            "fn g(x) = sqrt(x)\nfn f(n) = g(n - 10)\nf(1)",
            "fn f(n, k = 2) = n * k\nfn g(n) = f(n) + f(n, 3)\ng(4)",
        ] {
            assertSame(source)
        }
    }

    /// A step limit stops both evaluators after the same number of steps.
    func testStepsAreCountedAlike() throws {
        let source = "fn fib(n) = if n < 2 then n else fib(n - 1) + fib(n - 2)\nfib(18)"
        var counts: [Int] = []
        for bytecode in [true, false] {
            var engine = Engine()
            engine.usesBytecode = bytecode
            counts.append(try engine.compile(source).runCounting().counts.steps)
        }
        XCTAssertEqual(counts[0], counts[1])
        XCTAssertGreaterThan(counts[0], 8_000)
        for limit in [100, 5_000, 13_000] {
            let limits = Limits(maxSteps: limit, maxDepth: 500)
            XCTAssertEqual(outcome(source, bytecode: true, limits: limits), outcome(source, bytecode: false, limits: limits))
        }
    }

    /// Bytecode calls do not recurse in Swift: 200,000 nested calls run on a
    /// thread of 512 KB, where the tree evaluator reports "recursion too deep".
    func testDeepRecursionNeedsNoSwiftStack() throws {
        let source = "fn f(n) = if n == 0 then 0 else 1 + f(n - 1)\nf(200000)"
        let limits = Limits(maxDepth: 250_000)
        let program = try Engine().compile(source)
        XCTAssertEqual(onThread(stack: 512 * 1024) { try program.run(limits: limits).literal() }, "200000")
        let tooDeep = outcome(source, bytecode: true, limits: Limits(maxDepth: 1_000))
        XCTAssertTrue(tooDeep.hasPrefix("error 1:37: recursion too deep (more than 1000 nested calls"), tooDeep)
    }

    /// Random `fn` bodies over numbers, amounts, texts and none (so some
    /// fail), with `if`, blocks and calls: both evaluators agree on each.
    func testRandomFunctionsAgree() {
        var rng = SplitMix(seed: 35)
        func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        // Mostly numbers; an amount, a text or none now and then makes a
        // body fail, so errors are compared too.
        let leaves = ["a", "b", "1", "2", "0", "-3", "2.5", "10%", "h(a)", "h(b - 1)", "3", "0.25"]
        let failing = ["7 USD", "\"t\"", "none", "(a < b)"]
        let ops = ["+", "-", "*", "/"]
        func expr(_ depth: Int) -> String {
            if depth == 0 { return pick(40) == 0 ? failing[pick(failing.count)] : leaves[pick(leaves.count)] }
            switch pick(7) {
            case 0: return "if \(expr(depth - 1)) \(["<", ">=", "=="][pick(3)]) \(expr(depth - 1)) then \(expr(depth - 1)) else \(expr(depth - 1))"
            case 1: return "{ let c = \(expr(depth - 1)); c \(ops[pick(4)]) \(expr(depth - 1)) }"
            case 4: return "(\(expr(depth - 1)) \(["<", "<=", "==", "!=", ">", ">="][pick(6)]) \(expr(depth - 1)))"
            case 2: return "g(\(expr(depth - 1)), \(expr(depth - 1)))"
            case 3: return "abs(\(expr(depth - 1)))"
            default: return "(\(expr(depth - 1)) \(ops[pick(ops.count)]) \(expr(depth - 1)))"
            }
        }
        let args = ["1", "4", "-2", "0.5", "7", "20%", "1", "12"]
        var compared = 0, values = 0
        for _ in 0..<400 {
            let body = expr(3)
            let source = """
                fn h(x) = if x < 0 then 0 - x else x + 1
                fn g(a, b) = if a < 1 then b else a * 2
                fn f(a, b) = \(body)
                [f(\(args[pick(args.count)]), \(args[pick(args.count)])), f(\(args[pick(args.count)]), 2)]
                """
            let got = outcome(source, bytecode: true), want = outcome(source, bytecode: false)
            XCTAssertEqual(got, want, source)
            if got != want { break }
            compared += 1
            if !got.hasPrefix("error") { values += 1 }
        }
        XCTAssertEqual(compared, 400)
        XCTAssertGreaterThan(values, 100, "most random bodies should give a value, not an error")
    }
}
