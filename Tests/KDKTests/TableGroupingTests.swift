import Foundation
import XCTest
@testable import KDK

/// Interning a text column's cells (`ByteInterner`), and grouping a table's
/// rows by a text field (`TableRows.groups`), against dictionaries.
final class TableGroupingTests: XCTestCase {
    /// Codes for 200,000 cells of about 50,000 distinct texts (empty ones,
    /// prefixes of each other, non-ASCII), through many growths of the
    /// table: the same text always gets the same code, a new text the next
    /// code, as a dictionary of the bytes gives them.
    func testInternedCodesAsADictionaryGivesThem() {
        var rng = SplitMix(seed: 3)
        var buffer = TextBuffer()
        var cells: [[UInt8]] = []
        for _ in 0..<200_000 {
            let n = Int(rng.next() % 50_000)
            let text = n % 7 == 0 ? "" : n % 5 == 0 ? "发帖\(n)" : "u\(n)" + String(repeating: "x", count: n % 3)
            cells.append(Array(text.utf8))
            XCTAssertTrue(cells.last!.withUnsafeBufferPointer { buffer.append($0) })
        }
        var interner = ByteInterner(buffer, limit: .max)
        var reference: [[UInt8]: UInt32] = [:]
        for (r, cell) in cells.enumerated() {
            let want = reference[cell] ?? UInt32(reference.count)
            reference[cell] = want
            XCTAssertEqual(interner.code(r), want, "row \(r)")
        }
        XCTAssertEqual(interner.count, reference.count)
        // Past the limit, a new text has no code; a known one still has its own.
        var small = ByteInterner(buffer, limit: 10)
        for r in 0..<cells.count where small.count < 10 { _ = small.code(r) }
        let bytes = buffer.bytes
        let kept = small.firstSpans.map { Array(bytes[$0]) }
        let known = cells.indices.first { cells[$0] == kept[3] }!
        XCTAssertEqual(small.code(known), 3)
        // Each code's first bytes are its text's.
        XCTAssertEqual(kept, (0..<10).map { c in cells[cells.indices.first { small.code($0) == UInt32(c) }!] })
        let keptSet = Set(kept)
        let other = cells.indices.first { !keptSet.contains(cells[$0]) }!
        XCTAssertNil(small.code(other))
        // In batches (`codes`): the codes one at a time give, over rows
        // with gaps and repeats; nil past the limit.
        for (seed, limit) in [(5, Int.max), (6, 40_000), (7, 100)] {
            var pick = SplitMix(seed: UInt64(seed))
            let rows = (0..<(1 + Int(pick.next() % 150_000))).map { _ in Int(pick.next() % UInt64(cells.count)) }
            var one = ByteInterner(buffer, limit: limit), batched = ByteInterner(buffer, limit: limit, expected: rows.count / 2)
            var each: [UInt32]? = []
            for r in rows { guard let c = one.code(r) else { each = nil; break }; each?.append(c) }
            var codes: [UInt32] = []
            let coded = batched.codes(RowNumbers(rows)) { codes.append($0) }
            XCTAssertEqual(coded ? codes : nil, each, "seed \(seed)")
        }
    }
}
