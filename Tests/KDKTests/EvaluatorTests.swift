import Foundation
import XCTest
@testable import KDK

/// `Program.evaluator(input:)` gives what `run(inputs:)` gives, run after
/// run, and keeps nothing of one run for the next (as `RunReuseTests` asks
/// of the machines `run` keeps).
final class EvaluatorTests: XCTestCase {
    func engine() -> Engine {
        var engine = Engine()
        engine.define("x", Value(1))
        engine.define("threshold", Value(60))
        return engine
    }

    /// Values and errors, input after input, as `run(inputs:)` gives them.
    func testEachRunIsRunWithThatInput() throws {
        let sources = [
            "x * 2 >= threshold",
            "fn deep(n) = if n == 0 then 0 else 1 + deep(n - 1)\nlet d = deep(x)\nd + 10 / (x - 7)",
            "range(0, x).map(i => i * 2) |> sum",
        ]
        let inputs: [Value] = [Value(3), Value(7), Value(40), Value("a"), .none, Value(5000), Value(-2), Value(8)]
        for source in sources {
            let program = try engine().compile(source)
            let evaluator = try program.evaluator(input: "x", limits: Limits(maxSteps: 100_000, maxDepth: 1_000))
            for v in inputs {
                func outcome(_ body: () throws -> Value) -> String {
                    do { return try body().literal() } catch { return "\(error)" }
                }
                let want = outcome { try program.run(inputs: ["x": v], limits: Limits(maxSteps: 100_000, maxDepth: 1_000)) }
                XCTAssertEqual(outcome { try evaluator.run(v) }, want, "\(source) with \(v.literal())")
            }
        }
    }

    /// Lets are evaluated again in each run; steps are counted per run.
    func testLetsAndStepsArePerRun() throws {
        let lines = Locked<[String]>([])
        let program = try engine().compile("let doubled = x * 2\nlet shown = print(doubled)\nrange(0, x).map(i => i) |> sum")
        let evaluator = try program.evaluator(input: "x", limits: Limits(maxSteps: 100_000),
                                              access: HostAccess(output: { line in lines.update { $0.append(line) } }))
        XCTAssertEqual(try evaluator.run(Value(3)).literal(), "3")
        XCTAssertEqual(try evaluator.run(Value(5)).literal(), "10")
        XCTAssertEqual(lines.value, ["6", "10"])
        // 300 runs of 1,000 items: a count that carried over would pass 100,000.
        for _ in 0..<300 { XCTAssertEqual(try evaluator.run(Value(1000)).literal(), "499500") }
        XCTAssertThrowsError(try evaluator.run(Value(1_000_000))) { XCTAssertTrue("\($0)".contains("step limit exceeded"), "\($0)") }
        XCTAssertEqual(try evaluator.run(Value(4)).literal(), "6")
    }

    /// The input (a Swift object inside a function value) is let go once
    /// its run is over, and so is a stack grown by deep recursion.
    func testNothingOfARunIsKept() throws {
        var e = Engine()
        e.define("f", Value.none)
        let program = try e.compile("fn call(h) = h(1)\nfn deep(n) = if n == 0 then 0 else 1 + deep(n - 1)\ncall(f) + deep(3000)")
        let evaluator = try program.evaluator(input: "f", limits: Limits(maxDepth: 5_000))
        weak var seen: Builtin?
        try {
            let b = Builtin("host_id", [Parameter("v")]) { args, _ in args[0] }
            seen = b
            XCTAssertEqual(try evaluator.run(.function(Function(.builtin(b)))).literal(), "3001")
        }()
        XCTAssertNil(seen, "the run's input is still held after the run")
        XCTAssertLessThanOrEqual(evaluatorCapacity(evaluator), Machine.keptCapacity)
    }

    func testAnUnknownInputOrAMistypedValueIsAnError() throws {
        XCTAssertThrowsError(try engine().compile("x").evaluator(input: "y")) {
            XCTAssertTrue("\($0)".contains("the program has no input named 'y'"), "\($0)")
        }
        var e = Engine()
        e.define("n", as: .number)
        let evaluator = try e.compile("n + 1").evaluator(input: "n")
        XCTAssertThrowsError(try evaluator.run(Value("a"))) { XCTAssertTrue("\($0)".contains("input 'n' is not a number"), "\($0)") }
        XCTAssertEqual(try evaluator.run(Value(2)).literal(), "3")
    }

    func evaluatorCapacity(_ e: Evaluator) -> Int { e.machineCapacity }
}
