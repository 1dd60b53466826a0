import Foundation
import XCTest
import KDK
import KDKModels

/// Randomised checks of the campaign and launchpad identities, over many
/// generated campaigns and sales (seeded, so failures reproduce).
final class ModelPropertyTests: XCTestCase {
    func eval(_ src: String) throws -> Value { try CoreModels.engine().compile(src).run(access: HostAccess(output: { _ in })) }

    func list(_ v: Value) -> [Value] { if case .list(let l) = v { return l.array }; return [] }

    func testCampaignMoneyAndOrderIndependence() throws {
        var rng = SplitMix(seed: 42)
        for round in 0..<40 {
            let n = Int(rng.next() % 60)
            var entries: [String] = []
            for i in 0..<n {
                let author = "a\(rng.next() % UInt64(max(1, n / 2 + 1)))"
                entries.append("{id: \(i + 1), author: \"\(author)\", likes: \(rng.next() % 20), time: 2025-12-19T12:00Z + \(rng.next() % 5) hours, kyc: \(rng.next() % 4 != 0), ok: \(rng.next() % 5 != 0)}")
            }
            var shuffled = entries
            for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            let first = Int(rng.next() % 3) + 1, second = Int(rng.next() % 5) + 1
            let policy = rng.next() % 2 == 0 ? "pass_down" : "forfeit"
            let prog = { (xs: [String]) in """
                unit KDK decimals 8
                campaign C {
                  pool = 10_000 KDK
                  tiers = [tier(1...\(first), 1000 KDK), tier(\(first + 1)...\(first + second), 7.5 KDK)]
                  rules = [rule("ok", p => p.ok)]
                  score(p) = p.likes
                  qualifies = p => p.kyc
                  on_disqualified = "\(policy)"
                }
                let r = C.award([\(xs.joined(separator: ", "))])
                [r.paid + r.unallocated == C.pool, len(r.winners) <= \(first + second),
                 r.winners.map(w => w.id), len(r.winners) + len(r.excluded) <= \(n),
                 len(unique(r.winners.map(w => w.author))) == len(r.winners),
                 all(r.winners.map(w => w.kyc and w.ok))]
                """ }
            let a = try eval(prog(entries)), b = try eval(prog(shuffled))
            let xs = list(a)
            XCTAssertEqual(xs[0], .bool(true), "round \(round): paid + unallocated != pool")
            XCTAssertEqual(xs[1], .bool(true), "round \(round): too many winners")
            XCTAssertEqual(xs[3], .bool(true), "round \(round)")
            XCTAssertEqual(xs[4], .bool(true), "round \(round): an author won twice")
            XCTAssertEqual(xs[5], .bool(true), "round \(round): an unqualified winner")
            XCTAssertEqual(xs[2], list(b)[2], "round \(round): the winners depend on input order")
        }
    }

    func testSaleIdentitiesCapAndMonotonicity() throws {
        var rng = SplitMix(seed: 7)
        for round in 0..<40 {
            let n = Int(rng.next() % 25) + 1
            var commits = (0..<n).map { _ in "\(rng.next() % 100_000).\(rng.next() % 100)" }
            let supply = rng.next() % 1_000_000 + 1
            let cap = rng.next() % 3 == 0 ? "none" : "\(rng.next() % 200_000 + 1) KDK"
            let decimals = Int(rng.next() % 9)
            let prog = { (cs: [String]) in """
                unit KDK decimals \(decimals)
                launchpad S { token = KDK; price = 0.04 USDT/KDK; supply = \(supply) KDK; cap = \(cap) }
                let r = S.allocate([\(cs.enumerated().map { "{user: \"u\($0.offset)\", committed: \($0.element) USDT}" }.joined(separator: ", "))])
                let a = r.allocations
                [sum(a.map(x => x.allocation)) + r.dust + r.unsold == S.supply,
                 all(a.map(x => x.cost + x.refund == x.committed and x.refund >= 0)),
                 all(a.map(x => S.cap == none or x.allocation <= S.cap)),
                 a.map(x => x.allocation), r.dust >= 0]
                """ }
            let base = list(try eval(prog(commits)))
            XCTAssertEqual(base[0], .bool(true), "round \(round): tokens not accounted for")
            XCTAssertEqual(base[1], .bool(true), "round \(round): cost + refund != committed")
            XCTAssertEqual(base[2], .bool(true), "round \(round): over the cap")
            XCTAssertEqual(base[4], .bool(true), "round \(round): negative dust")
            // Raising one user's commitment never lowers their allocation.
            let who = Int(rng.next() % UInt64(n))
            let before = list(base[3])[who]
            commits[who] = "\(Double(commits[who])! * 2 + 1)"
            let after = list(list(try eval(prog(commits)))[3])[who]
            XCTAssertGreaterThanOrEqual(try Arithmetic.compare(after, before), 0, "round \(round): \(before) -> \(after)")
        }
    }

    /// An instant's offset is only how it is written: average_balance, unique,
    /// group_by and sorting give the same answer whatever offsets the
    /// snapshots are written in.
    func testInstantsCompareByTheMomentWhateverTheOffset() throws {
        var rng = SplitMix(seed: 7)
        let offsets = ["Z", "+08:00", "-05:00", "+05:45", "-09:30", "+14:00"]
        for round in 0..<30 {
            var rows: [(user: Int, hour: Int, balance: UInt64)] = []
            for _ in 0..<Int(rng.next() % 30 + 1) {
                rows.append((Int(rng.next() % 4), Int(rng.next() % 30), rng.next() % 1000))
            }
            // The same moment (2025-12-15T00:00Z + h hours), written in a random offset.
            func written(_ h: Int, _ offset: String) -> String { "in_offset(2025-12-15T00:00Z + \(h) hours, \"\(offset)\")" }
            let prog = { (shift: Bool) -> String in
                let snaps = rows.map { r in
                    "{user: \"u\(r.user)\", time: \(written(r.hour, shift ? offsets[Int(rng.next() % UInt64(offsets.count))] : "Z")), balance: \(r.balance) USDT}"
                }
                return """
                    let snaps = [\(snaps.joined(separator: ", "))]
                    [average_balance(snaps, 2025-12-15T00:00Z ..< 2025-12-16T00:00Z),
                     len(unique(snaps.map(s => s.time))),
                     len(group_by(snaps, s => s.time)),
                     sort(snaps.map(s => s.time)).map(t => in_offset(t, "Z"))]
                    """
            }
            XCTAssertEqual(try eval(prog(false)).literal(), try eval(prog(true)).literal(), "round \(round)")
        }
    }
}
