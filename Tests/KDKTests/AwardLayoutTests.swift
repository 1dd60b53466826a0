import XCTest
@testable import KDK
@testable import KDKModels

/// The room what an award keeps per entry takes: millions are kept at once.
final class AwardLayoutTests: XCTestCase {
    /// An eligible entrant is 48 bytes: its score is kept as a whole number
    /// when it is one (a value is 25 bytes aligned to 16: 80 bytes with one).
    func testAnEntrantTakes48Bytes() {
        XCTAssertEqual(MemoryLayout<Value>.alignment, 16)
        XCTAssertEqual(MemoryLayout<Award.Entrant>.stride, 48)
    }

    /// A kept score gives back the very value it was made from: whole
    /// numbers, and what is not one (a fraction, a percentage, an amount,
    /// past 64 bits, a negative zero exponent, none, text).
    func testAKeptScoreIsTheScore() throws {
        let engine = Engine()
        for src in ["0", "7", "-3", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1.5", "2.0", "10%", "100%",
                    "1e3", "none", "\"a\"", "true", "-0"] {
            let v = try engine.compile(src).run()
            let kept = Award.Entrant.Score(v)
            XCTAssertEqual(kept.value.literal(), v.literal(), src)
            XCTAssertEqual(kept.value, v, src)
            if case .number(let d) = v, case .number(let e) = kept.value {
                XCTAssertEqual(d.exponent, e.exponent, src)
                XCTAssertEqual(d.isPercent, e.isPercent, src)
                XCTAssertEqual(d.coefficient, e.coefficient, src)
            }
        }
        XCTAssertEqual(MemoryLayout<Award.Entrant.Score>.size, 9)
    }
}
