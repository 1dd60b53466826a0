import XCTest
@testable import KDK

/// A value per row, few distinct (`FewValues`): kept once while every row
/// has the same, a byte per row while at most 256 differ, each row's past
/// that; appended one at a time, in runs, and joined with each value
/// mapped, every row reads back its value.
final class FewValuesTests: XCTestCase {
    /// Rows made by picking from a list of values (repeats in the list,
    /// one value, none, past 256) read back as the picks, and go on taking
    /// appends and joins as rows appended one at a time do.
    func testPickedRowsReadBackAsPicked() {
        var rng = SplitMix(seed: 43)
        for trial in 0..<400 {
            let kinds = [1, 2, 3, 5, 300, 600][trial % 6]
            let values = (0..<kinds).map { _ in Int32(rng.next() % UInt64(kinds / 2 + 1)) - 1 }
            let picks = (0..<Int(rng.next() % 700)).map { _ in Int(rng.next() % UInt64(kinds)) }
            var s = FewValues(picking: values, by: picks)
            var want = picks.map { values[$0] }
            XCTAssertEqual(s.count, want.count, "trial \(trial)")
            XCTAssertEqual((0..<s.count).map { s[$0] }, want, "trial \(trial)")
            let more = Int32(rng.next() % 4) - 1
            s.append(more, count: 3)
            s.append(contentsOf: FewValues(picking: [7, more], by: [0, 1, 1]))
            want += [more, more, more, 7, more, more]
            XCTAssertEqual((0..<s.count).map { s[$0] }, want, "trial \(trial), appended")
        }
    }

    func testSourcesReadBackHoweverKept() {
        var rng = SplitMix(seed: 41)
        func build(_ kinds: Int) -> (FewValues<Int32>, [Int32]) {
            var s = FewValues<Int32>(), want: [Int32] = []
            for _ in 0..<Int(rng.next() % 600) {
                let source = Int32(rng.next() % UInt64(kinds)) - Int32(kinds / 2)
                let n = rng.next() % 5 == 0 ? Int(rng.next() % 4) : 1
                s.append(source, count: n)
                want += Array(repeating: source, count: n)
            }
            return (s, want)
        }
        for trial in 0..<300 {
            var (s, want) = trial % 7 == 0 ? (FewValues<Int32>(), []) : build([1, 3, 200, 400][trial % 4])
            XCTAssertEqual((0..<s.count).map { s[$0] }, want, "trial \(trial)")
            let (other, more) = build([1, 2, 300][trial % 3])
            let shift = Int32(rng.next() % 50)
            s.append(contentsOf: other, mapped: { $0 < 0 ? $0 - shift : $0 })
            want += more.map { $0 < 0 ? $0 - shift : $0 }
            XCTAssertEqual(s.count, want.count, "trial \(trial)")
            XCTAssertEqual((0..<s.count).map { s[$0] }, want, "trial \(trial), joined")
        }
        // No rows of two values, then rows of the first, then a join of the
        // second: the rows so far are coded before the second's code is used.
        var empty = FewValues<Int32>()
        empty.append(0, count: 0)
        empty.append(1, count: 0)
        empty.append(0, count: 2)
        empty.append(contentsOf: FewValues(repeating: 1, count: 2))
        XCTAssertEqual((0..<empty.count).map { empty[$0] }, [0, 0, 1, 1])
        let same = FewValues<Int32>(repeating: -1, count: 5)
        XCTAssertEqual((0..<same.count).map { same[$0] }, [-1, -1, -1, -1, -1])
        XCTAssertEqual(same.values, [-1])
    }
}
