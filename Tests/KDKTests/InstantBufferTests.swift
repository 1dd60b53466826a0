import XCTest
@testable import KDK

/// A time column's instants (`InstantBuffer`): one zone for every row, a
/// byte per row naming one of a few, or each row's own past 256; built row
/// by row, with rows never read, and from parts, every instant reads back.
final class InstantBufferTests: XCTestCase {
    func testInstantsReadBackThroughEveryWayOfKeepingZones() {
        var rng = SplitMix(seed: 31)
        func instant(_ zones: Int) -> Instant {
            let k = Int(rng.next() % UInt64(zones))
            // Zone k: an offset, and nanoseconds past the first 40 zones.
            // Now and then past 32 bits (after 2038): the seconds widen.
            let seconds = rng.next() % 50 == 0 ? Int64(rng.next() % 8_000_000_000) : Int64(rng.next() % 2_000_000_000) - 1_000_000_000
            return Instant(seconds: seconds, offsetMinutes: Int32(k % 40 * 15 - 300),
                           nanos: Int32(k / 40))
        }
        // A buffer and what it must read back (nil: a row never read).
        func build(_ zones: Int, _ n: Int) -> (InstantBuffer, [Instant?]) {
            var b = InstantBuffer(), want: [Instant?] = []
            for _ in 0..<n {
                if rng.next() % 9 == 0 {
                    let k = Int(rng.next() % 3) + 1
                    b.appendPlaceholders(k)
                    want += Array(repeating: nil, count: k)
                } else {
                    let t = instant(zones)
                    b.append(t)
                    want.append(t)
                }
            }
            return (b, want)
        }
        func check(_ b: InstantBuffer, _ want: [Instant?], _ what: String) {
            XCTAssertEqual(b.count, want.count, what)
            for (r, t) in want.enumerated() {
                guard let t else { continue }
                let got = b[r]
                XCTAssertEqual([got.seconds, Int64(got.offsetMinutes), Int64(got.nanos)], [t.seconds, Int64(t.offsetMinutes), Int64(t.nanos)], "\(what) row \(r)")
            }
        }
        for trial in 0..<200 {
            let zones = [1, 2, 5, 300][trial % 4]
            var (whole, want) = build(zones, Int(rng.next() % 400))
            check(whole, want, "trial \(trial)")
            // Parts in other zones joined after it.
            for _ in 0..<Int(rng.next() % 4) {
                let (part, more) = build([1, 3, 300][Int(rng.next() % 3)], Int(rng.next() % 200))
                whole.append(contentsOf: part)
                want += more
            }
            check(whole, want, "trial \(trial), joined")
        }
        // Rows never read first, then parts in several zones.
        for zones in [1, 3, 300] {
            var b = InstantBuffer()
            b.appendPlaceholders(2)
            let (part, more) = build(zones, 50)
            b.append(contentsOf: part)
            check(b, [nil, nil] + more, "after rows never read, \(zones) zones")
        }
        var plain = InstantBuffer()
        for s in 0..<10 { plain.append(Instant(seconds: Int64(s), offsetMinutes: Int32(s % 3 * 60), nanos: 0)) }
        XCTAssertTrue(plain.onWholeSeconds)
        plain.append(Instant(seconds: 1, offsetMinutes: 0, nanos: 5))
        XCTAssertFalse(plain.onWholeSeconds)
    }
}
