import Foundation
import XCTest
@testable import KDK
import KDKModels

final class EngineTests: XCTestCase {
    func testProgramRunsConcurrentlyWithSameAnswers() throws {
        let program = try CoreModels.engine().compile("""
            fn fib(n) = if n < 2 then n else fib(n - 1) + fib(n - 2)
            scenario S { base = 10; total = base * fib(15) }
            let v = S with { base = 3 }
            [fib(18), S.total, v.total]
            """)
        let expected = try program.run().literal()
        XCTAssertEqual(expected, "[2584, 6100, 1830]")
        let results = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let r = (try? program.run().literal()) ?? "error"
            results.update { $0.append(r) }
        }
        XCTAssertEqual(results.value.count, 16)
        XCTAssertEqual(Set(results.value), [expected])
    }

    func testWarningsAndErrorsCarryLocations() {
        let diags = CoreModels.engine().check("let a = 1\nlet b = c\n", name: "x.kdk")
        XCTAssertEqual(diags.count, 1)
        XCTAssertEqual(diags[0].location?.line, 2)
        XCTAssertEqual(diags[0].location?.column, 9)
        XCTAssertEqual(diags[0].file?.name, "x.kdk")
    }

    func testCancellation() throws {
        let program = try Engine().compile("fn s(n) = if n == 0 then 0 else s(n - 1) + s(n - 1); s(60)")
        XCTAssertThrowsError(try program.run(limits: Limits(maxSteps: nil), isCancelled: { true })) { e in
            XCTAssertTrue("\(e)".contains("cancelled"))
        }
    }

    func testHostFunction() throws {
        var engine = Engine()
        engine.register(functions: [Builtin("twice", [Parameter("x")]) { args, _ in
            guard case .number(let d) = args[0] else { throw EvalError("twice needs a number") }
            return .number(try ExactDecimal.add(d, d))
        }])
        XCTAssertEqual(try engine.compile("twice(21)").run().literal(), "42")
        XCTAssertTrue(engine.check("twice(1, 2)").contains { $0.message.contains("takes 1 argument") })
    }

    func testPrintIsRoutedToTheHost() throws {
        let lines = Locked<[String]>([])
        _ = try Engine().compile("print(\"a\"); print([1, 2])").run(access: HostAccess(output: { line in lines.update { $0.append(line) } }))
        XCTAssertEqual(lines.value, ["a", "[1, 2]"])
    }

    func testDeepRecursionOnASmallThreadIsAnError() throws {
        let program = try Engine().compile("fn f(n) = if n == 0 then 0 else 1 + f(n - 1); f(5000)")
        let text = onThread(stack: 512 * 1024) { try program.run().literal() }
        XCTAssertTrue(text == "5000" || text.contains("recursion too deep"), text)
    }

    /// A thread too small to start on says so, for compiling, running and an
    /// evaluator alike (not "nested too deeply" at `1 + 2`).
    /// 64 KB: glibc hands a new thread a freed thread's stack of up to 4 times
    /// the size asked for, so after the 512 KB threads of other tests a thread
    /// asking for 128 or 256 KB may get 512 KB.
    func testATooSmallThreadIsReportedAsSuch() throws {
        let program = try Engine().compile("1 + 2")
        var withInput = Engine()
        withInput.define("x", Value(1))
        let rule = try withInput.compile("x + 2")
        for text in [onThread(stack: 64 * 1024) { try Engine().compile("1 + 2").run().literal() },
                     onThread(stack: 64 * 1024) { try program.run().literal() },
                     onThread(stack: 64 * 1024) { try rule.evaluator(input: "x").run(Value(1)).literal() }] {
            XCTAssertEqual(text.split(separator: "\n").first, "error: this thread's stack is too small for kdk (it keeps 256 KB in reserve and needs room above that)")
        }
        XCTAssertEqual(onThread(stack: 1 << 20) { try Engine().compile("1 + 2").run().literal() }, "3")
    }
}
