import Foundation
import KDK

// Per-evaluation cost of a compiled rule, as an embedding host pays it:
// the campaign rule from the issue, and the expression of the public "Go
// expression evaluation comparison" benchmark in kdk's syntax. Inputs differ
// on every evaluation. Prints microseconds per evaluation (median of RUNS
// rounds), single-threaded (through `run(inputs:)` and through an
// `Evaluator` bound to the input) and from 8 tasks, and the compile time.

let evals = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 100_000
let runs = Int(CommandLine.arguments.dropFirst(2).first ?? "") ?? 5
/// `single` times only the single-threaded loop (for a profiler).
let onlySingle = CommandLine.arguments.dropFirst(3).first == "single"

struct Case {
    let name: String
    let source: String
    let input: String
    let make: (Int) -> Value
}

let cases = [
    Case(name: "campaign rule", source: "p.likes + 2 * p.comments + 3 * p.shares >= threshold", input: "p") { i in
        Value(record: ["likes": Value(i % 97), "comments": Value(i % 13), "shares": Value(i % 7)])
    },
    Case(name: "expr comparison", source: "(e.Origin == \"MOW\" or e.Country == \"RU\") and (e.Value >= 100 or e.Adults == 1)",
         input: "e") { i in
        Value(record: ["Origin": Value(i % 3 == 0 ? "MOW" : "LED"), "Country": Value(i % 5 == 0 ? "RU" : "DE"),
                       "Value": Value(i % 200), "Adults": Value(i % 3)])
    },
]

func now() -> Double { Date().timeIntervalSince1970 }
func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

print("a Value is \(MemoryLayout<Value>.size) bytes (stride \(MemoryLayout<Value>.stride)); ExactDecimal \(MemoryLayout<ExactDecimal>.size)")
print("evaluations per round: \(evals); median of \(runs) rounds; microseconds")
print("case                 limits        compile   1 thread  evaluator   8 tasks   await value (per evaluation, wall / count)")
for c in cases {
    for (label, limits) in [("default", Limits.default), ("maxDepth 16", Limits(maxDepth: 16))] {
        var engine = Engine()
        engine.limits = limits
        engine.define(c.input, c.make(0))
        engine.define("threshold", Value(60))
        var compiles: [Double] = []
        var program: Program? = nil
        for _ in 0..<max(runs, 5) {
            let t0 = now()
            program = try engine.compile(c.source)
            compiles.append((now() - t0) * 1e6)
        }
        guard let program else { continue }
        let inputs = (0..<1000).map { c.make($0) }
        var single: [Double] = []
        var truths = 0
        for _ in 0..<runs {
            let t0 = now()
            for i in 0..<evals {
                if case .bool(true) = try program.run(inputs: [c.input: inputs[i % 1000]]) { truths += 1 }
            }
            single.append((now() - t0) * 1e6 / Double(evals))
        }
        // The same runs through an evaluator bound to the input.
        let evaluator = try program.evaluator(input: c.input)
        var bound: [Double] = []
        var boundTruths = 0
        for _ in 0..<runs {
            let t0 = now()
            for i in 0..<evals {
                if case .bool(true) = try evaluator.run(inputs[i % 1000]) { boundTruths += 1 }
            }
            bound.append((now() - t0) * 1e6 / Double(evals))
        }
        precondition(boundTruths == truths, "the evaluator and run(inputs:) disagree")
        if onlySingle {
            print(c.name, label, median(single), median(bound))
            continue
        }
        var parallel: [Double] = []
        let name = c.input, count = evals
        for _ in 0..<runs {
            let t0 = now()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for t in 0..<8 {
                    group.addTask {
                        for i in stride(from: t, to: count, by: 8) { _ = try program.run(inputs: [name: inputs[i % 1000]]) }
                    }
                }
                try await group.waitForAll()
            }
            parallel.append((now() - t0) * 1e6 / Double(evals))
        }
        // From a task off the main actor, as a server's request handler
        // would call it (a hop back to the main actor costs more than the run).
        var awaited: [Double] = []
        for _ in 0..<runs {
            let n = max(1, count / 20)
            let took = try await Task.detached {
                let t0 = now()
                for i in 0..<n { _ = try await program.value(inputs: [name: inputs[i % 1000]]) }
                return now() - t0
            }.value
            awaited.append(took * 1e6 / Double(n))
        }
        let pad = { (s: String, n: Int) in s.padding(toLength: n, withPad: " ", startingAt: 0) }
        print(pad(c.name, 21) + pad(label, 12) + String(format: "%9.1f %10.2f %10.2f %9.2f %10.2f", median(compiles), median(single), median(bound),
                                                        median(parallel), median(awaited))
              + "   (\(truths / runs) of \(evals) true)")
    }
}
