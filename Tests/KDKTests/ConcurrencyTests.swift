import Foundation
import XCTest
@testable import KDK
import KDKModels

/// What a host may do from many tasks at once. `scripts/tsan` runs these under
/// ThreadSanitizer; here they check the answers.
final class ConcurrencyTests: XCTestCase {
    static let tasks = 12

    /// One compiled program, run by many tasks with different inputs.
    func testOneProgramManyTasks() async throws {
        var engine = CoreModels.engine()
        engine.define("p", Value(record: ["likes": Value(1), "comments": Value(1), "shares": Value(1)]))
        let program = try engine.compile("""
            fn score(p) = p.likes + 2 * p.comments + 3 * p.shares
            let posts = range(0, 300).map(i => {likes: i, comments: mod(i, 7), shares: mod(i, 3)})
            [score(p), posts.map(score) |> sum, posts.filter(q => score(q) > 100) |> len]
            """)
        let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for t in 0..<Self.tasks {
                group.addTask {
                    let p = Value(record: ["likes": Value(t), "comments": Value(1), "shares": Value(2)])
                    return (t, try program.run(inputs: ["p": p]).literal())
                }
            }
            var out: [Int: String] = [:]
            for try await (t, v) in group { out[t] = v }
            return out
        }
        XCTAssertEqual(answers.count, Self.tasks)
        for t in 0..<Self.tasks { XCTAssertEqual(answers[t], "[\(t + 8), 47544, 209]") }
    }

    /// A model object made by one run, whose lazy fields many runs evaluate
    /// at once (the cache is shared; each run tracks its own cycle chain).
    func testModelFieldsEvaluatedFromManyTasksAtOnce() async throws {
        let maker = try CoreModels.engine().compile("""
            scenario Base {
              capex = 5T USD
              hurdle = 10%
              cost_share = 23%
              required = capex * hurdle / (1 - cost_share)
              grid = range(1, 200).map(k => required * k / 100) |> sum
            }
            Base with { hurdle = 12% }
            """)
        let model = try maker.run()
        var engine = CoreModels.engine()
        engine.define("s", .none)
        let reader = try engine.compile("[s.grid, s.required, s.capex]")
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<Self.tasks { group.addTask { try reader.run(inputs: ["s": model]).literal() } }
            var out: [String] = []
            for try await v in group { out.append(v) }
            return out
        }
        XCTAssertEqual(answers.count, Self.tasks)
        XCTAssertEqual(Set(answers).count, 1, "every task sees the same values")
        XCTAssertEqual(answers.first, try reader.run(inputs: ["s": model]).literal())
        XCTAssertTrue(answers.first?.hasSuffix(", 5000000000000 USD]") == true, answers.first ?? "")
    }

    /// A cycle is reported per run, even while other runs evaluate the same object.
    func testFieldCyclesAreReportedPerRun() async throws {
        // The method hides the cycle from the checker; only running finds it.
        let maker = try CoreModels.engine().compile("scenario Loop { a = f(1); f(x) = a + x; b = 2 }\nLoop")
        let model = try maker.run()
        var engine = CoreModels.engine()
        engine.define("s", .none)
        let reader = try engine.compile("s.b + s.a")
        await withTaskGroup(of: String.self) { group in
            for _ in 0..<Self.tasks {
                group.addTask {
                    do { return try reader.run(inputs: ["s": model]).literal() } catch { return "\(error)" }
                }
            }
            for await r in group { XCTAssertTrue(r.contains("field 'a' of Loop depends on itself: a -> a"), r) }
        }
    }

    /// Many tasks compile programs that declare units (the unit registry is
    /// shared by the process) and run them.
    func testConcurrentCompilesThatDeclareUnits() async throws {
        let engine = CoreModels.engine()
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for t in 0..<Self.tasks {
                group.addTask {
                    let program = try engine.compile("""
                        unit TOKEN\(t % 4) decimals 8
                        unit PAIR\(t)
                        let price = 0.05 USDT/TOKEN\(t % 4)
                        let q = 2_000 TOKEN\(t % 4) * price
                        [q, 3 PAIR\(t) * 2]
                        """)
                    return try program.run().literal()
                }
            }
            var out: [String] = []
            for try await v in group { out.append(v) }
            return out
        }
        XCTAssertEqual(Set(answers.map { $0.components(separatedBy: ", ").first ?? "" }), ["[100 USDT"])
        for t in 0..<Self.tasks { XCTAssertTrue(answers.contains("[100 USDT, 6 PAIR\(t)]"), "\(answers)") }
    }
}
