import XCTest
@testable import KDK
@testable import KDKModels

/// The room what an award keeps per entry takes: millions are kept at once.
final class AwardLayoutTests: XCTestCase {
    /// An eligible entrant is 64 bytes: its score (a value, 25 bytes aligned
    /// to 16) first; after the other fields it would be 80.
    func testAnEntrantTakes64Bytes() {
        XCTAssertEqual(MemoryLayout<Value>.alignment, 16)
        XCTAssertEqual(MemoryLayout<Award.Entrant>.stride, 64)
    }
}
