import XCTest
@testable import KDK

/// A column's present bits (`Validity`, which keeps no bits until the first
/// none) against an array of bools: appends one at a time and of another's
/// bits, with the first none early, late, on a word boundary or never.
final class ValidityTests: XCTestCase {
    func testValidityAsAnArrayOfBools() {
        var rng = SplitMix(seed: 8)
        for round in 0..<3_000 {
            var v = Validity(), want: [Bool] = []
            let firstNone = [0, 1, 63, 64, 65, 127, 128, 200, Int.max][round % 9]
            for _ in 0..<Int(rng.next() % 4) {
                // A piece: rows one at a time, or another validity appended.
                var piece = Validity(), bits: [Bool] = []
                for _ in 0..<Int(rng.next() % 150) {
                    let present = want.count + bits.count < firstNone || rng.next() % 3 != 0
                    bits.append(present)
                    piece.append(present)
                }
                if rng.next() % 2 == 0 {
                    v.append(contentsOf: piece)
                } else {
                    for b in bits { v.append(b) }
                }
                want += bits
            }
            XCTAssertEqual(v.count, want.count)
            XCTAssertEqual(v.anyNone, want.contains(false), "round \(round)")
            XCTAssertEqual((0..<v.count).map { v[$0] }, want, "round \(round)")
        }
        let all = Validity(allPresent: 130)
        XCTAssertEqual(all.count, 130)
        XCTAssertTrue((0..<130).allSatisfy { all[$0] })
    }
}
