import Foundation
import XCTest
import KDK
import KDKModels

/// Randomised checks of campaign reward sections (seeded, so failures
/// reproduce), and the raffle against the Python in docs/models.md.
final class RewardPropertyTests: XCTestCase {
    func eval(_ src: String) throws -> Value { try CoreModels.engine().compile(src).run(access: HostAccess(output: { _ in })) }
    func list(_ v: Value) -> [Value] { if case .list(let l) = v { return l.array }; return [] }

    /// Random entries: authors repeat, times and ids unique, some fail the rule or KYC.
    func entries(_ n: Int, _ rng: inout SplitMix) -> [String] {
        (0..<n).map { i in
            let author = "a\(rng.next() % UInt64(max(1, n / 2 + 1)))"
            return "{id: \(i + 1), author: \"\(author)\", likes: \(rng.next() % 20), time: 2025-12-19T12:00+08:00 + \(i * 37 + Int(rng.next() % 30)) minutes, kyc: \(rng.next() % 5 != 0), ok: \(rng.next() % 6 != 0)}"
        }
    }

    func shuffled(_ xs: [String], _ rng: inout SplitMix) -> [String] {
        var s = xs
        for i in stride(from: s.count - 1, to: 0, by: -1) { s.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        return s
    }

    /// Per token, per section and per key, the money adds up; caps and floors
    /// hold; nobody is paid twice under one reward per campaign; and the
    /// payouts do not depend on the entries' order.
    func testSectionsMoneyPoliciesAndOrderIndependence() throws {
        var rng = SplitMix(seed: 19)
        for round in 0..<30 {
            let n = Int(rng.next() % 50)
            let xs = entries(n, &rng)
            let policy = rng.next() % 2 == 0 ? "campaign" : "section"
            let onDisq = rng.next() % 2 == 0 ? "pass_down" : "forfeit"
            let decimals = Int(rng.next() % 4)
            let winners = Int(rng.next() % 6) + 1
            let cap = rng.next() % 3 == 0 ? "" : ", cap: \(rng.next() % 40 + 5) USDT"
            let prog = { (xs: [String]) in """
                unit KDK decimals \(decimals)
                campaign C {
                  window = 2025-12-19T12:00+08:00 ..< 2025-12-22T24:00+08:00
                  pool = [10_000 KDK, 100 USDT]
                  rules = [rule("ok", p => p.ok)]
                  score(p) = p.likes
                  qualifies = p => p.kyc
                  on_disqualified = "\(onDisq)"
                  one_reward_per = "\(policy)"
                  rewards = [
                    leaderboard(tiers: [tier(1, 500 KDK), tier(2...3, 100 KDK)], period: 1 days, name: "daily"),
                    raffle(winners: \(winners), pool: 1_000 KDK, floor: 10 KDK, seed: "round \(round)"),
                    share(pool: 100 USDT\(cap)),
                    first_come(winners: \(winners), prize: 7 KDK),
                    everyone(prize: 3 KDK),
                  ]
                }
                let r = C.award([\(xs.joined(separator: ", "))])
                let kdk = r.payouts.map(x => x.KDK)
                let usdt = r.payouts.map(x => x.USDT)
                [r.paid[0] + r.unallocated[0] == 10_000 KDK, r.paid[1] + r.unallocated[1] == 100 USDT,
                 sum(kdk) == r.paid[0], sum(usdt) == r.paid[1],
                 all(r.sections.map(s => s.paid + s.unallocated == s.budget and s.paid <= s.budget and s.dust <= s.unallocated)),
                 all(r.winners.map(w => w.ok and w.kyc)),
                 all(r.winners.filter(w => w.section == "raffle").map(w => w.prize >= 10 KDK)),
                 "\(cap)" == "" or all(r.winners.filter(w => w.section == "share").map(w => w.prize <= \(cap.isEmpty ? "0 USDT" : String(cap.dropFirst(7))))),
                 "\(policy)" == "section" or all(r.payouts.map(x => len(split(x.sections, ", ")) == 1)),
                 sort_by(r.payouts, x => x.key).map(x => [x.key, x.KDK, x.USDT, x.sections])]
                """ }
            let a = list(try eval(prog(xs)))
            let names = ["KDK identity", "USDT identity", "KDK payouts", "USDT payouts", "section identities",
                         "unqualified winner", "raffle floor", "share cap", "paid twice"]
            for (i, name) in names.enumerated() { XCTAssertEqual(a[i], .bool(true), "round \(round): \(name)") }
            let b = list(try eval(prog(shuffled(xs, &rng))))
            XCTAssertEqual(a[9].literal(), b[9].literal(), "round \(round): payouts depend on input order")
        }
    }

    /// A leaderboard ranks whole-number scores and time and id tie keys as
    /// integers; that must give the order comparing values gives. The same
    /// entries are ranked as given, with scores made amounts (`* 1 KDK`,
    /// compared as values), and with ids made amounts (tie keys compared as
    /// values); many scores and times tie, and some entries have no time.
    func testRankingOnIntegersMatchesRankingOnValues() throws {
        var rng = SplitMix(seed: 41)
        for round in 0..<25 {
            let n = Int(rng.next() % 60) + 8
            let xs = (0..<n).map { i -> String in
                let time = round % 3 == 0 && rng.next() % 9 == 0 ? "none" : "2025-12-19T12:00+08:00 + \(rng.next() % 4) minutes"
                return "{id: \(rng.next() % 1000), author: \"a\(rng.next() % UInt64(n))\", likes: \(Int(rng.next() % 5) - 2), time: \(time)}"
            }
            func ranking(score: String, id: String) throws -> String {
                try eval("""
                    unit KDK decimals 2
                    campaign C {
                      pool = 10_000 KDK
                      tiers = [tier(1, 500 KDK), tier(2...5, 100 KDK), tier(6...20, 10 KDK)]
                      rules = []
                      score(p) = \(score)
                    }
                    let r = C.award([\(xs.joined(separator: ", "))].map(p => {id: \(id), author: p.author, likes: p.likes, time: p.time}))
                    [r.winners.map(w => [w.rank, w.author, w.likes, w.time]), r.excluded.map(x => [x.author, x.likes, x.time, x.rule])]
                    """).literal()
            }
            let integers = try ranking(score: "p.likes", id: "p.id")
            XCTAssertEqual(integers, try ranking(score: "p.likes * 1 KDK", id: "p.id"), "round \(round)")
            XCTAssertEqual(integers, try ranking(score: "p.likes", id: "p.id * 1 KDK"), "round \(round)")
            XCTAssertTrue(integers.contains("one prize per author"), "round \(round): no ties of authors")
        }
    }

    /// The raffle as docs/models.md's Python draws it, over many keys, both kinds of prize.
    func testRaffleMatchesThePythonInTheDocs() throws {
        let doc = try String(contentsOf: CLITests.root.appendingPathComponent("docs/models.md"), encoding: .utf8)
        guard let start = doc.range(of: "```python\n"), let end = doc.range(of: "```", range: start.upperBound..<doc.endIndex) else {
            return XCTFail("docs/models.md has no python block")
        }
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-raffle-\(getpid()).py")
        try String(doc[start.upperBound..<end.lowerBound]).write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        var rng = SplitMix(seed: 3)
        for round in 0..<6 {
            let keys = (0..<Int(rng.next() % 300 + 1)).map { i in i % 3 == 0 ? "\(i * 7)" : "user_\(rng.next() % 100_000)_名" }
            let winners = Int(rng.next() % 40) + 1
            let seed = "seed \(rng.next() % 1000)"
            let split = round % 2 == 0
            let decimals = Int(rng.next() % 8) + 1  // the pool has one decimal
            let section = split ? "raffle(winners: \(winners), pool: 12345.6 KDK, floor: 0.5 KDK, seed: \"\(seed)\")"
                                : "raffle(winners: \(winners), prize: 2.5 KDK, seed: \"\(seed)\")"
            // Number keys are ids (entries with no author); text keys are authors.
            let posts = keys.enumerated().map { i, k in Int(k) != nil ? "{id: \(k)}" : "{id: \(100_000 + i), author: \"\(k)\"}" }
            let src = """
                unit KDK decimals \(decimals)
                campaign C { pool = 12345.6 KDK; rewards = [\(section)] }
                C.award([\(posts.joined(separator: ", "))]).winners.map(w => "\\(w.rank) \\(w.author ?? w.id) \\(number(w.prize / 1 KDK))").join("\\n")
                """
            guard case .text(let kdk) = try eval(src) else { return XCTFail("round \(round): no text") }
            var config: [String: Any] = ["seed": seed, "keys": keys, "winners": winners]
            if split { config["pool"] = "12345.6"; config["floor"] = "0.5"; config["decimals"] = decimals } else { config["prize"] = "2.5" }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", script.path]
            let input = Pipe(), output = Pipe()
            p.standardInput = input
            p.standardOutput = output
            try p.run()
            input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: config))
            try input.fileHandleForWriting.close()
            let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0)
            // Compare amounts as numbers: Python prints 34.43529750 where kdk prints 34.4352975.
            func rows(_ s: String) -> [String] {
                s.split(separator: "\n").map { line in
                    let f = line.split(separator: " ")
                    return "\(f[0]) \(f[1]) \(Decimal(string: String(f[2]))!)"
                }
            }
            XCTAssertEqual(rows(kdk), rows(out), "round \(round)")
            XCTAssertEqual(rows(kdk).count, min(winners, Set(keys).count), "round \(round)")
        }
    }
}
