import XCTest
@testable import KDK

/// An added field's sources (`AddedSources`): a byte per row while at most
/// 256 differ, each row's past that; appended one at a time, in runs, and
/// joined with values moved on, every row reads back its source.
final class AddedSourcesTests: XCTestCase {
    func testSourcesReadBackHoweverKept() {
        var rng = SplitMix(seed: 41)
        func build(_ kinds: Int) -> (AddedSources, [Int32]) {
            var s = AddedSources(), want: [Int32] = []
            for _ in 0..<Int(rng.next() % 600) {
                let source = Int32(rng.next() % UInt64(kinds)) - Int32(kinds / 2)
                let n = rng.next() % 5 == 0 ? Int(rng.next() % 4) : 1
                s.append(source, count: n)
                want += Array(repeating: source, count: n)
            }
            return (s, want)
        }
        for trial in 0..<300 {
            var (s, want) = build([1, 3, 200, 400][trial % 4])
            XCTAssertEqual((0..<s.count).map { s[$0] }, want, "trial \(trial)")
            let (other, more) = build([2, 300][trial % 2])
            let shift = Int32(rng.next() % 50)
            s.append(contentsOf: other, shiftingValuesBy: shift)
            want += more.map { $0 < 0 ? $0 - shift : $0 }
            XCTAssertEqual(s.count, want.count, "trial \(trial)")
            XCTAssertEqual((0..<s.count).map { s[$0] }, want, "trial \(trial), joined")
        }
        let same = AddedSources(repeating: -1, count: 5)
        XCTAssertEqual((0..<same.count).map { same[$0] }, [-1, -1, -1, -1, -1])
    }
}
