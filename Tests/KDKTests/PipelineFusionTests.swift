import Foundation
import XCTest
@testable import KDK

/// Fused `map`/`filter` pipelines (Runtime/Pipeline.swift) against the same
/// programs run call by call: random pipelines, some of whose functions fail
/// on some items, must give the same value (and take the same number of
/// steps) or the same error (message, notes naming the item, location).
final class PipelineFusionTests: XCTestCase {
    /// Picks from a seeded generator, so a failure can be replayed.
    struct Random {
        var rng: SplitMix
        mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
    }

    func randomPipeline(_ r: inout Random) -> String {
        let k = r.below(9) + 1
        let sources = ["range(\(r.below(40)))", "range(\(r.below(5)), \(r.below(30)))", "xs", "(1...\(r.below(25)))", "[]",
                       "[1, 2, 3, 4, 5, 6]", "[1, \"a\", 3]", "rows", "{a: 1}", "none"]
        let maps = ["x => x * 2", "x => x + \(k)", "x => 10 / (x - \(k))", "x => {n: x}", "x => x.n", "x => -x",
                    "double", "x => if x > \(k) then x else none", "abs", "x => x ?? 0", "\(k)"]
        let filters = ["x => mod(x, 2) == 0", "x => x > \(k)", "x => 1 / (x - \(k)) > 0", "x => x", "x => x != none",
                       "odd", "x => if x == \(k) then 1 else true"]
        let tests = ["x => x > \(k)", "x => x == \(k)", "x => 5 / (x - \(k)) > 1", "x => x", "odd", "\(k)"]
        var text = r.pick(sources)
        let methodForm = r.below(2) == 0
        for _ in 0..<(r.below(4) + (r.below(3) == 0 ? 0 : 1)) {
            let (name, fn) = r.below(2) == 0 ? ("map", r.pick(maps)) : ("filter", r.pick(filters))
            text = methodForm ? "\(text).\(name)(\(fn))" : "\(name)(\(text), \(fn))"
        }
        switch r.below(8) {
        case 0: return "\(text) |> sum"
        case 1: return "len(\(text))"
        case 2: return "count(\(text)\(r.below(2) == 0 ? "" : ", " + r.pick(tests)))"
        case 3: return "\(text) |> any(\(r.pick(tests)))"
        case 4: return "all(\(text)\(r.below(2) == 0 ? "" : ", " + r.pick(tests)))"
        case 5: return "first(\(text)\(r.below(2) == 0 ? "" : ", " + r.pick(tests)))"
        default: return text
        }
    }

    /// The value (or the error, as the user sees it) and the steps a run
    /// that succeeded took.
    func outcome(_ source: String, fused: Bool) -> (String, Int?) {
        var engine = Engine()
        engine.fusesPipelines = fused
        let prelude = """
            fn double(x) = x * 2
            fn odd(x) = mod(x, 2) == 1
            let xs = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
            let rows = [{n: 1}, {n: 0}, {n: 2}]

            """
        do {
            let program = try engine.compile(prelude + source, name: "case")
            let (outcome, counts) = program.runCounting()
            let steps = counts.steps
            switch outcome {
            case .success(let v): return (v.literal(), steps)
            // A run that fails may have counted more steps fused (it counts
            // each call's step up front): only the error is compared.
            case .failure(let d): return (d.diagnostics.map { $0.render(color: false) }.joined(separator: "\n"), nil)
            }
        } catch let d as DiagnosticList {
            return (d.diagnostics.map { $0.render(color: false) }.joined(separator: "\n"), nil)
        } catch {
            return ("\(error)", nil)
        }
    }

    func testRandomPipelinesFusedAndCallByCallAgree() {
        var r = Random(rng: SplitMix(seed: 20261130))
        var fusedCount = 0
        for _ in 0..<600 {
            let source = randomPipeline(&r)
            let a = outcome(source, fused: true), b = outcome(source, fused: false)
            XCTAssertEqual(a.0, b.0, "different outcome for: \(source)")
            XCTAssertEqual(a.1, b.1, "different step count for: \(source)")
            if (try? Engine().dump(source))?.contains("fused pipeline") == true { fusedCount += 1 }
        }
        // The generator must exercise the fused path, not only the fallback.
        XCTAssertGreaterThan(fusedCount, 150)
    }

    /// `range(n).reduce(initial, f)` reads the range's numbers one at a time:
    /// the same values, errors (with the item they happened on) and steps as
    /// the list built and folded.
    func testReduceOverARangeAgreesWithTheCallsAsWritten() throws {
        let sources = [
            "range(10).reduce(0, (a, x) => a + x)",
            "reduce(range(2, 8), 1, (a, x) => a * x)",
            "range(5).reduce(0, (a, x) => a + 10 / (x - 3))",
            "range(5).reduce(0, 7)",
            "range(5).reduce(0, x => x)",
            "range(4).reduce(0, double)",
            "range(4).reduce(0, (a, x) => a + double(x))",
            "range(0, 3, 0.5).reduce(0, (a, x) => a + x)",
            "range(3).reduce([], (a, x) => a + [x])",
            "range(0).reduce(5, (a, x) => a + x)",
            "range(3).reduce(none, (a, x) => a ?? x)",
            "range(-2, 3).reduce(0, (a, x) => a + odd(x))",
            "range(\"a\").reduce(0, (a, x) => a)",
        ]
        for source in sources {
            let a = outcome(source, fused: true), b = outcome(source, fused: false)
            XCTAssertEqual(a.0, b.0, "different outcome for: \(source)")
            XCTAssertEqual(a.1, b.1, "different step count for: \(source)")
        }
        XCTAssertTrue(try Engine().dump(sources[0]).contains("reduce over the numbers of range"))
        let program = try Engine().compile("range(400_000).reduce(0, (a, x) => a + x)")
        XCTAssertEqual(try program.run(limits: Limits(maxSize: 400_000)).literal(), "79999800000")
        XCTAssertThrowsError(try program.run(limits: Limits(maxSize: 300_000))) { error in
            XCTAssertTrue("\(error)".contains("size limit exceeded: 400000 elements"), "\(error)")
        }
        XCTAssertThrowsError(try program.run(limits: Limits(maxSteps: 100_000))) { error in
            XCTAssertTrue("\(error)".contains("step limit exceeded (100000 steps)"), "\(error)")
        }
    }

    /// A fused `range(n)` is not built, but is counted against the size
    /// limit as if it were, so limits hold the same fused or not.
    func testAFusedRangeCountsAgainstTheSizeLimit() throws {
        let program = try Engine().compile("range(400_000).filter(x => mod(x, 2) == 0).map(x => x * 2) |> sum")
        XCTAssertEqual(try program.run(limits: Limits(maxSize: 400_000)).literal(), "79999600000")
        // The range is still counted against the size limit, as if built.
        XCTAssertThrowsError(try program.run(limits: Limits(maxSize: 300_000))) { error in
            XCTAssertTrue("\(error)".contains("size limit exceeded: 400000 elements"), "\(error)")
        }
        let unfused: Program = try {
            var engine = Engine()
            engine.fusesPipelines = false
            return try engine.compile("range(400_000).filter(x => mod(x, 2) == 0).map(x => x * 2) |> sum")
        }()
        XCTAssertEqual(try unfused.run(limits: Limits(maxSize: 400_000)).literal(), "79999600000")
    }

    /// A fused loop still stops at the time and step limits: a billion
    /// items are never built, so only these stop it.
    func testAFusedRunawayStopsAtItsLimits() throws {
        let program = try Engine().compile("range(1_000_000_000).map(x => x * 2).filter(x => x > 5) |> count")
        let started = Date()
        XCTAssertThrowsError(try program.run(limits: Limits(maxSteps: nil, maxSize: 2_000_000_000, timeout: 0.3))) { error in
            XCTAssertTrue("\(error)".contains("time limit exceeded (0.3 s)"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertThrowsError(try program.run(limits: Limits(maxSteps: 1_000_000, maxSize: 2_000_000_000))) { error in
            XCTAssertTrue("\(error)".contains("step limit exceeded"), "\(error)")
        }
    }
}
