import XCTest
@testable import KDK

/// Row numbers as a run, in 32 bits, or in 64 (`RowNumbers`): each way
/// reads back the numbers given, through appends that change the way.
final class RowNumbersTests: XCTestCase {
    func testRowsReadBackHoweverKept() {
        let big = Int(UInt32.max) + 1
        let cases: [(RowNumbers, [Int])] = [
            (RowNumbers(run: 5..<9), [5, 6, 7, 8]),
            (RowNumbers(run: 3..<3), []),
            (RowNumbers([4, 0, 4, 2]), [4, 0, 4, 2]),
            (RowNumbers([1, Int(UInt32.max), big, 2]), [1, Int(UInt32.max), big, 2]),
            ([7, 3], [7, 3]),
        ]
        for (rows, want) in cases {
            XCTAssertEqual(Array(rows), want)
            // The iterator (a loop), and the subscript, each way.
            var looped: [Int] = []
            for r in rows { looped.append(r) }
            XCTAssertEqual(looped, want)
            XCTAssertEqual(rows.indices.map { rows[$0] }, want)
            XCTAssertEqual(rows.count, want.count)
            XCTAssertEqual(rows, RowNumbers(want))
        }
        XCTAssertNotEqual(RowNumbers(run: 0..<3), [0, 1, 3])
    }

    func testAppendsKeepEveryRow() {
        let big = Int(UInt32.max) + 1
        var run = RowNumbers(run: 2..<4)
        run.append(4)                         // continues the run
        XCTAssertEqual(Array(run), [2, 3, 4])
        run.append(9)                         // breaks it
        XCTAssertEqual(Array(run), [2, 3, 4, 9])
        run.append(big)                       // past 32 bits
        run.append(1)
        XCTAssertEqual(Array(run), [2, 3, 4, 9, big, 1])

        var empty = RowNumbers()
        empty.append(6)
        XCTAssertEqual(Array(empty), [6])

        for (a, b) in [(RowNumbers(run: 0..<3), RowNumbers(run: 3..<5)), (RowNumbers(run: 0..<3), RowNumbers(run: 4..<5)),
                       (RowNumbers([8, 1]), RowNumbers([2])), (RowNumbers([8]), RowNumbers([big])),
                       (RowNumbers(run: 0..<0), RowNumbers([3])), (RowNumbers([big]), RowNumbers(run: 1..<3))] {
            var joined = a
            joined.append(contentsOf: b)
            XCTAssertEqual(Array(joined), Array(a) + Array(b))
        }
    }
}
