import Foundation
import XCTest
@testable import KDK

/// A program keeps finished machines for its next runs (`MachinePool`) and
/// `Program.value` runs on kept threads (`RunThreads`). Nothing of one run
/// may reach the next: inputs, lazily evaluated lets, limits, step counts,
/// values left on the frame stack by an error.
final class RunReuseTests: XCTestCase {
    func engineWithInput() -> Engine {
        var engine = Engine()
        engine.define("x", Value(1))
        return engine
    }

    /// A lazily evaluated let that reads an input is evaluated again in each run.
    func testLetsAreEvaluatedAgainForEachRunsInputs() throws {
        let program = try engineWithInput().compile("let doubled = x * 2\nlet unused = x + 100\ndoubled")
        XCTAssertEqual(try program.run(inputs: ["x": Value(3)]).literal(), "6")
        XCTAssertEqual(try program.run(inputs: ["x": Value(5)]).literal(), "10")
        XCTAssertEqual(try program.run().literal(), "2", "a run given no input sees the compiled value, not the last run's")
    }

    /// Each run has its own limits and its own step count.
    func testLimitsAndStepsArePerRun() throws {
        let program = try engineWithInput().compile("range(0, x).map(i => i * 2) |> sum")
        XCTAssertEqual(try program.run(inputs: ["x": Value(1000)], limits: Limits(maxSteps: 1_000_000)).literal(), "999000")
        XCTAssertThrowsError(try program.run(inputs: ["x": Value(1_000_000)], limits: Limits(maxSteps: 100_000))) { error in
            XCTAssertTrue("\(error)".contains("step limit exceeded (100000 steps)"), "\(error)")
        }
        // 300 runs of 1,000 items: a count that carried over would pass 100,000.
        for _ in 0..<300 {
            XCTAssertEqual(try program.run(inputs: ["x": Value(1000)], limits: Limits(maxSteps: 100_000)).literal(), "999000")
        }
    }

    /// A run that fails in the middle of a call leaves nothing behind: the
    /// next run of the same program gives the right answer.
    func testARunAfterAFailedRunIsClean() throws {
        let program = try engineWithInput().compile("""
            fn add3(a, b, c) = a + b + c
            fn deep(n) = if n == 0 then 0 else 1 + deep(n - 1)
            add3(x, deep(x), 10 / (x - 7))
            """)
        XCTAssertThrowsError(try program.run(inputs: ["x": Value(7)])) { error in
            XCTAssertTrue("\(error)".contains("division by zero"), "\(error)")
        }
        XCTAssertEqual(try program.run(inputs: ["x": Value(8)]).literal(), "26")
        XCTAssertThrowsError(try program.run(inputs: ["x": Value(5000)], limits: Limits(maxDepth: 100))) { error in
            XCTAssertTrue("\(error)".contains("recursion too deep"), "\(error)")
        }
        XCTAssertEqual(try program.run(inputs: ["x": Value(9)]).literal(), "23")
    }

    /// A kept machine holds no value of the run that used it: the input
    /// (here a host function, a Swift object) is freed once the run is over.
    func testAKeptMachineHoldsNoValues() throws {
        var engine = Engine()
        engine.define("f", Value.none)
        let program = try engine.compile("let g = f\nfn call(h) = h(1)\ncall(g)")
        weak var seen: Builtin?
        try {
            let b = Builtin("host_id", [Parameter("v")]) { args, _ in args[0] }
            seen = b
            XCTAssertEqual(try program.run(inputs: ["f": .function(Function(.builtin(b)))]).literal(), "1")
        }()
        XCTAssertNil(seen, "the run's input is still held after the run")
        XCTAssertThrowsError(try program.run(), "a later run without the input sees none, not the old function")
    }

    /// Awaited runs reuse threads: a hundred in a row start at most a few.
    func testAwaitedRunsReuseThreads() async throws {
        let program = try engineWithInput().compile("x * 2")
        _ = try await program.value(inputs: ["x": Value(0)])
        let before = RunThreads.shared.threadCount
        for i in 0..<100 {
            let v = try await program.value(inputs: ["x": Value(i)])
            XCTAssertEqual(v.literal(), "\(i * 2)")
        }
        XCTAssertLessThanOrEqual(RunThreads.shared.threadCount - before, 2)
    }

    /// Awaited runs at once each get a thread: many concurrent runs finish,
    /// with their own answers.
    func testManyAwaitedRunsAtOnce() async throws {
        let program = try engineWithInput().compile("fn fib(n) = if n < 2 then n else fib(n - 1) + fib(n - 2)\nfib(x)")
        let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for n in 0..<16 { group.addTask { (n, try await program.value(inputs: ["x": Value(n)]).literal()) } }
            var out: [Int: String] = [:]
            for try await (n, v) in group { out[n] = v }
            return out
        }
        let fib = [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610]
        for n in 0..<16 { XCTAssertEqual(answers[n], "\(fib[n])") }
    }
}
