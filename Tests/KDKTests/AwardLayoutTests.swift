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

/// Entrants that passed the rules over a table's columns are kept as
/// columns (`Award.Entrants`), and read back as the entrants they stand for:
/// place among the entries, row and score.
final class AwardEntrantsTests: XCTestCase {
    let table = ColumnTable(shape: .of(["id"]), columns: [Column.of((0..<10).map { .number(ExactDecimal($0)) })], count: 10)

    func entrant(_ index: Int, row: Int, _ score: Award.Entrant.Score, in table: ColumnTable? = nil) -> Award.Entrant {
        Award.Entrant(index: index, entry: Record(table: table ?? self.table, row: row), score: score, tie: nil, onePerKey: nil)
    }

    func read(_ es: Award.Entrants) -> [String] {
        es.map { e in "\(e.index) \(e.entry.tableRow?.row ?? -1) \(e.score.literal())" }
    }

    func testEveryRowOfTheTableKeepsNoPlaces() throws {
        // Entries 0..<2 screened one by one; 2... over columns (every row from 2).
        let earlier = [entrant(1, row: 1, .whole(-4))]
        let c = try XCTUnwrap(Award.columns(earlier, TableRows(allOf: table, from: 2), [0, 3, 4], from: 2, scores: [7, 8, 9]))
        XCTAssertNil(c.indexes)
        XCTAssertEqual(read(Award.Entrants(c)), ["1 1 -4", "2 2 7", "5 5 8", "6 6 9"])
        XCTAssertEqual(Array(Award.Entrants(c).rows?.rows ?? []), [1, 2, 5, 6])
        XCTAssertEqual(Award.Entrants(c).wholeScores, [-4, 7, 8, 9])
    }

    func testOtherEntriesKeepTheirPlaces() throws {
        // The entries are rows 9, 9, 0, 3 (a row twice): places are not rows.
        let earlier = [entrant(0, row: 9, .none)]
        let c = try XCTUnwrap(Award.columns(earlier, TableRows(table, rows: [9, 0, 3]), [0, 2], from: 1, scores: nil))
        XCTAssertEqual(c.indexes.map(Array.init), [0, 1, 3])
        XCTAssertEqual(read(Award.Entrants(c)), ["0 9 none", "1 9 none", "3 3 none"])
        XCTAssertNil(Award.Entrants(c).wholeScores)
    }

    func testEntrantsThatAreNotColumnsStayMade() {
        let other = ColumnTable(shape: .of(["id"]), columns: [Column.of([.number(ExactDecimal(1))])], count: 1)
        let rows = TableRows(allOf: table, from: 1)
        XCTAssertNil(Award.columns([entrant(0, row: 0, .other(.init(.text("x"))))], rows, [0], from: 1, scores: [2]))
        XCTAssertNil(Award.columns([entrant(0, row: 0, .none)], rows, [0], from: 1, scores: [2]))
        XCTAssertNil(Award.columns([entrant(0, row: 0, .whole(1), in: other)], rows, [0], from: 1, scores: [2]))
        XCTAssertNotNil(Award.columns([entrant(0, row: 0, .none)], rows, [0], from: 1, scores: nil))
    }
}
