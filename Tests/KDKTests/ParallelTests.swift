import Foundation
import XCTest
@testable import KDK
import KDKModels

/// A campaign's rules over many entries run on several threads
/// (`Machine.inParallel`): the award, the output, the warnings and the
/// errors must be those of one thread, whatever the rules do.
final class ParallelTests: XCTestCase {
    /// 20,000 generated posts and a campaign over them; `rules` and what
    /// comes `after` vary per test.
    func program(rules: String, after: String = "") -> String {
        """
        unit KDK decimals 8
        let posts = range(0, 20000).map(i => {
          id: i, author: "a\\(mod(i, 4999))", likes: mod(i * 7919, 1000), comments: mod(i, 17), shares: mod(i, 5),
          time: 2025-12-19T12:00+08:00 + mod(i, 400) * 1 hours,
          text: if mod(i, 3) == 0 then "#PostToWinLaunchpadKDK \\(i)" else "gm #KDK",
          original: mod(i, 11) != 0, kyc_verified: mod(i, 13) != 0,
        })
        campaign C {
          window = 2025-12-19T12:00+08:00 ..< 2025-12-30T24:00+08:00
          pool   = 2_000 KDK
          tiers  = [tier(1, 400 KDK), tier(2...6, 200 KDK), tier(7...21, 40 KDK)]
          rules  = [\(rules)]
          score(p)  = p.likes + 2 * p.comments + 3 * p.shares
          qualifies = p => p.kyc_verified
        }
        C.award(posts)
        \(after)
        """
    }

    let seedRules = """
        rule("in window", p => p.time in window),
        rule("has a topic", p => hashtags(p.text).any(t => lower(t) == "#posttowinlaunchpadkdk")),
        rule("original", p => p.original)
        """

    /// The result (or error), the printed lines and the warnings of a run with `threads`.
    func outcome(_ source: String, threads: Int) throws -> String {
        let lines = Locked<[String]>([])
        var limits = Limits()
        limits.threads = threads
        let program = try CoreModels.engine().compile(source)
        do {
            let (value, warnings) = try program.runReporting(limits: limits, access: HostAccess(output: { s in lines.update { $0.append(s) } }))
            return "\(value.literal())\n\(lines.value)\n\(warnings.map { $0.message })"
        } catch {
            return "error: \(error)\n\(lines.value)"
        }
    }

    func assertSameOnEveryThreadCount(_ source: String, parallel: Bool, file: StaticString = #filePath, line: UInt = #line) throws {
        let many = try outcome(source, threads: 4)
        var limits = Limits()
        limits.threads = 4
        let ran = try CoreModels.engine().compile(source).runCounting(limits: limits).counts.parallelLoops > 0
        XCTAssertEqual(ran, parallel, "the loop \(parallel ? "did not run" : "ran") in parallel", file: file, line: line)
        XCTAssertEqual(many, try outcome(source, threads: 1), file: file, line: line)
        XCTAssertEqual(many, try outcome(source, threads: 2), file: file, line: line)
    }

    func testTheSeedCampaignIsAwardedAlikeOnEveryThreadCount() throws {
        try assertSameOnEveryThreadCount(program(rules: seedRules), parallel: true)
    }

    /// `print` in a rule: the same lines, in the same order.
    func testPrintOutputKeepsItsOrder() throws {
        try assertSameOnEveryThreadCount(program(rules: seedRules + """
            , rule("noisy", p => { let shown = if mod(p.id, 997) == 0 then print("saw \\(p.id)") else none; true })
            """), parallel: true)
    }

    /// An error on a late entry: the same message, naming the same entry.
    func testAnErrorOnALateEntryIsTheSame() throws {
        try assertSameOnEveryThreadCount(program(rules: seedRules + """
            , rule("fails late", p => if p.id == 15000 then p.missing > 0 else true)
            """), parallel: false)
    }

    /// A let first used by a late entry is evaluated once, in order: the
    /// loop runs in order instead.
    func testALetFirstNeededLateRunsInOrder() throws {
        try assertSameOnEveryThreadCount(program(rules: seedRules + """
            , rule("late let", p => p.id < 12000 or p.likes >= threshold)
            """, after: "let threshold = [print(\"threshold evaluated\"), 10][1]"), parallel: false)
    }

    /// A step limit met by the parallel loop is met in order, with its message.
    func testTheStepLimitIsTheSame() throws {
        let source = program(rules: seedRules)
        var limits = Limits(maxSteps: 300_000)
        for threads in [1, 4] {
            limits.threads = threads
            XCTAssertThrowsError(try CoreModels.engine().compile(source).run(limits: limits)) { e in
                XCTAssertTrue("\(e)".contains("step limit exceeded (300000 steps)"), "\(e)")
            }
        }
    }
}
