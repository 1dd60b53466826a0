import Foundation
import XCTest
@testable import KDK

final class UnitRegistryTests: XCTestCase {
    /// Scripts cannot grow the registry without bound: past its capacity a
    /// new declared or compound unit is an error, while known ones still work.
    func testCapacityBoundsWhatScriptsAdd() throws {
        let r = UnitRegistry(capacity: 12)  // the 7 built-in units are made on first use
        let kdk = try r.declared("KDK")
        let usdt = try r.declared("USDT")
        var made = 0
        do {
            for i in 0..<100 { _ = try r.declared("T\(i)"); made += 1 }
            XCTFail("the registry kept growing")
        } catch is UnitRegistry.Full {}
        XCTAssertLessThanOrEqual(r.count, 12)
        XCTAssertGreaterThan(made, 0)
        XCTAssertEqual(try r.declared("KDK"), kdk, "a known unit is found even when the registry is full")
        XCTAssertThrowsError(try r.combine(usdt, kdk, power: -1)) { XCTAssertTrue($0 is UnitRegistry.Full) }
        let (same, f) = try r.combine(kdk, kdk, power: -1)
        XCTAssertNil(same, "KDK/KDK is a plain number and needs no new unit")
        XCTAssertEqual(f, .one)
    }

    /// Many threads interning and reading at once (the registry is shared by
    /// every program in a process).
    func testConcurrentUse() throws {
        let r = UnitRegistry(capacity: 10_000)
        DispatchQueue.concurrentPerform(iterations: 16) { t in
            for i in 0..<200 {
                guard let a = try? r.declared("A\(i % 20)"), let b = try? r.declared("B\(t)") else { continue }
                if let (u, _) = try? r.combine(a, b, power: -1), let u { XCTAssertEqual(r.name(u), "A\(i % 20)/B\(t)") }
            }
        }
        XCTAssertEqual(Set((0..<20).map { r.name(try! r.declared("A\($0)")) }).count, 20)
    }
}
