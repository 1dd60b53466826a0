import XCTest
import KDK
@testable import KDKModels

/// The leaderboard's radix sort (`RankSort`) against the comparison it
/// replaces: highest score, then each tie column ascending, then input order.
final class RankSortTests: XCTestCase {
    func testRadixOrderIsTheComparedOrder() {
        var rng = SplitMix(seed: 19)
        func draw(_ spread: Int64) -> Int64 { Int64(bitPattern: rng.next() % UInt64(spread)) - spread / 3 }
        var packed = 0
        for trial in 0..<600 {
            let n = Int(rng.next() % 300)
            // Few distinct values (ties on every column), wide ones (several
            // bytes a column), and now and then ranges too wide to pack.
            let spreads: [Int64] = [2, 5, 1_000, 1 << 40, Int64.max]
            let width = Int(rng.next() % 4)
            let columns = (0...width).map { _ -> [Int64] in
                let spread = spreads[Int(rng.next() % UInt64(trial % 7 == 0 ? 5 : 4))]
                // Some columns in steps of 256: a byte every key shares, which a pass skips.
                let step: Int64 = rng.next() % 3 == 0 ? 256 : 1
                return (0..<n).map { _ in draw(spread) &* step }
            }
            let scores = columns[0], ties = Array(columns.dropFirst())
            // Members as a leaderboard's groups hold them: in input order, some left out.
            let members = (0..<n).filter { _ in rng.next() % 5 != 0 }
            let compared = members.sorted { i, j in
                if scores[i] != scores[j] { return scores[i] > scores[j] }
                for column in ties where column[i] != column[j] { return column[i] < column[j] }
                return i < j
            }
            if let radix = RankSort.order(RowNumbers(members), columns: columns.map { c in { c } }) {
                XCTAssertEqual(Array(radix), compared, "trial \(trial)")
                packed += 1
            }
        }
        XCTAssertGreaterThan(packed, 300)
        // Many keys over several 11-bit digits, with ties.
        let big = 60_000
        let columns = [(0..<big).map { _ in draw(3_000) }, (0..<big).map { _ in draw(1 << 20) }, (0..<big).map { _ in draw(7) }]
        let compared = (0..<big).sorted { i, j in
            for (k, column) in columns.enumerated() where column[i] != column[j] { return k == 0 ? column[i] > column[j] : column[i] < column[j] }
            return i < j
        }
        XCTAssertEqual(RankSort.order(RowNumbers(run: 0..<big), columns: columns.map { c in { c } }).map(Array.init), compared)
        XCTAssertNil(RankSort.order([0, 1], columns: [{ [Int64.min, Int64.max] }]))
        // Every index, as a run: the order is the sorted places themselves.
        XCTAssertEqual(RankSort.order(RowNumbers(run: 0..<4), columns: [{ [3, 9, 3, -1] }]).map(Array.init), [1, 0, 2, 3])
    }
}
