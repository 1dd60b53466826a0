import XCTest
@testable import KDK

/// `sort`'s packed path for small whole numbers gives the stable order the
/// comparison of decimals gives.
final class SortTests: XCTestCase {
    func testSmallWholesSortAsDecimalsDo() throws {
        var rng = SplitMix(seed: 9)
        for round in 0..<200 {
            let n = 1 + Int(rng.next() % 300)
            let spread = [3, 1000, Int(Int32.max)][round % 3]
            let ds = (0..<n).map { _ -> ExactDecimal in
                let k = Int(rng.next() % UInt64(2 * spread + 1)) - spread
                return ExactDecimal(coefficient: Int128(k), exponent: round % 4 == 0 ? -2 : 0)
            }
            for descending in [false, true] {
                let want = ds.indices.sorted { i, j in
                    let c = ExactDecimal.compare(ds[i], ds[j])
                    return c == 0 ? i < j : (descending ? c > 0 : c < 0)
                }
                XCTAssertEqual(ListLibrary.sortedSmallWholes(ds.map { .number($0) }, descending: descending)?.map { Int($0 & 0xFFFF_FFFF) },
                               want, "round \(round)")
            }
        }
    }

    func testOtherNumbersAreLeftToTheComparison() {
        let numbers = { (ds: [ExactDecimal]) in ds.map { Value.number($0) } }
        XCTAssertNil(ListLibrary.sortedSmallWholes(numbers([ExactDecimal(1), ExactDecimal(coefficient: 15, exponent: -1)]), descending: false))
        XCTAssertNil(ListLibrary.sortedSmallWholes(numbers([ExactDecimal(1), ExactDecimal(Int(Int32.max) + 1)]), descending: false))
        XCTAssertNil(ListLibrary.sortedSmallWholes(numbers([ExactDecimal(Int(Int32.min))]), descending: true))
        XCTAssertNil(ListLibrary.sortedSmallWholes([Value(1), Value("a")], descending: false))
    }
}
