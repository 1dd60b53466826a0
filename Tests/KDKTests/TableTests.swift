import Foundation
import XCTest
@testable import KDK
import KDKModels

/// Tables (rows stored by column) must be indistinguishable from lists of
/// plain records: the same values, literals, equality and output.
final class TableTests: XCTestCase {
    let usd = UnitRegistry.shared.named("USD")

    /// Values of every kind a column stores, and mixes that widen it.
    func sampleColumns() -> [[Value]] {
        func n(_ s: String) -> Value { .number(ExactDecimal(parsing: Substring(s))!) }
        let t0 = Instant(seconds: 1_766_116_800, offsetMinutes: 480)
        return [
            [n("1"), n("-2"), .none, n("9223372036854775807")],                 // whole numbers
            [n("1"), n("2.50"), .none, n("99999999999999999999999")],          // whole then fractions and beyond Int64
            [.quantity(ExactDecimal(parsing: "12.5")!, usd), .none, .quantity(ExactDecimal(parsing: "3")!, usd), .none],
            [.text("李雷"), .text("a, \"quoted\" one"), .none, .text("")],       // one buffer
            [.text("x"), .text("x"), .text("y"), .none] + Array(repeating: .text("x"), count: 20),  // coded repeats
            [.bool(true), .none, .bool(false), .bool(true)],
            [.time(t0), .time(Instant(seconds: 5, offsetMinutes: -300, nanos: 7)), .none, .time(t0)],
            [.date(CivilDate(days: 20_441)), .none, .date(CivilDate(days: -3)), .date(CivilDate(days: 0))],
            [.none, .none, .none, .none],
            Array(repeating: .text(""), count: 8),                              // coded, every text empty
            (0..<5000).map { .text(["e\u{301}", "\u{E9}", "a"][$0 % 3]) },     // coded: é two ways, bytes kept apart
            [n("1"), .text("one"), .bool(true), .none],                        // a mix: kept as values
            [.text("a"), n("2"), .none, .list([n("1")])],
        ]
    }

    func testColumnsGiveBackExactlyTheirValues() throws {
        for (k, values) in sampleColumns().enumerated() {
            let column = Column.of(values)
            for (r, v) in values.enumerated() {
                XCTAssertEqual(column.value(r).literal(), v.literal(), "column \(k) row \(r)")
                if case .text(let want) = v, case .text(let got) = column.value(r) { XCTAssertEqual(Array(got.utf8), Array(want.utf8)) }
                XCTAssertTrue(Value.equal(column.value(r), v), "column \(k) row \(r)")
            }
        }
    }

    func testColumnsAreStoredByKind() {
        let kinds = sampleColumns().map { values -> String in
            switch Column.of(values) {
            case .integers: return "integers"
            case .decimals(_, let unit, _): return unit == nil ? "decimals" : "amounts"
            case .text: return "text"
            case .codes: return "codes"
            case .bools: return "bools"
            case .times: return "times"
            case .dates: return "dates"
            case .values: return "values"
            case .picked: return "picked"
            case .added: return "added"
            }
        }
        XCTAssertEqual(kinds, ["integers", "decimals", "amounts", "text", "codes", "bools", "times", "dates", "values", "codes", "codes",
                               "values", "values"])
    }

    /// The byte hash the interner uses: the same for the same bytes wherever
    /// they lie, and spread over 32 bits for texts that differ by a byte, at
    /// every length around its word and half-word reads (random texts of 0
    /// to 40 bytes, each with every byte changed in turn).
    func testByteHashSpreadsShortTexts() {
        var rng = SplitMix(seed: 3)
        var seen = Set<UInt32>(), texts = Set<[UInt8]>()
        func hash(_ bytes: [UInt8]) -> UInt32 {
            // Inside a larger buffer, as a column's cells are: at two offsets, between other bytes.
            func at(_ offset: Int) -> UInt64 {
                let padded = [UInt8](repeating: 7, count: offset) + bytes + [9, 9, 9]
                return padded.withUnsafeBytes { Hashing.bytes($0.baseAddress! + offset, bytes.count) }
            }
            let x = at(1)
            XCTAssertEqual(x, at(2 + Int(rng.next() % 9)), "\(bytes)")
            return UInt32(truncatingIfNeeded: x ^ (x >> 32))
        }
        for _ in 0..<300 {
            let base = (0..<Int(rng.next() % 41)).map { _ in UInt8(truncatingIfNeeded: rng.next() % 3 + 97) }
            for k in -1..<base.count {
                var t = base
                if k >= 0 { t[k] = t[k] == 97 ? 98 : 97 }
                if texts.insert(t).inserted { seen.insert(hash(t)) }
            }
        }
        // About 6,000 distinct texts: a good 32-bit hash collides about never.
        XCTAssertGreaterThan(texts.count, 5_000)
        XCTAssertGreaterThanOrEqual(seen.count, texts.count - 2)
    }

    /// A time column keeps one offset and nanosecond part while its times
    /// share them: whatever the mix of zones, nones and parts appended, each
    /// row gives back its instant exactly (offset and nanoseconds too).
    /// `values` as a column built a value at a time, and built in random
    /// parts joined.
    static func builtWholeAndInParts(_ values: [Value], _ rng: inout SplitMix) -> [Column] {
        var whole = ColumnBuilder(), parts = ColumnBuilder(), at = 0
        for v in values { whole.append(v) }
        while at < values.count {
            let end = min(values.count, at + 1 + Int(rng.next() % 12))
            var part = ColumnBuilder()
            for v in values[at..<end] { part.append(v) }
            parts.append(contentsOf: part)
            at = end
        }
        return [whole.column, parts.column]
    }

    /// A column of whole numbers gives back each one, built a value at a
    /// time or in parts joined: kept in 32 bits while every one fits, in 64
    /// from the first that does not (that one first, last, in a later part,
    /// or none), and as decimals once a fraction comes.
    func testWholeNumberColumnsGiveBackTheirNumbers() {
        var rng = SplitMix(seed: 9)
        let edges: [Int64] = [0, 1, -1, Int64(Int32.max), Int64(Int32.min), Int64(Int32.max) + 1, Int64(Int32.min) - 1, .max, .min]
        for trial in 0..<400 {
            let wideFrom = trial % 4 == 0 ? Int.max : Int(rng.next() % 40)
            var values: [Value] = (0..<Int(rng.next() % 50)).map { k in
                if rng.next() % 6 == 0 { return .none }
                let x = k >= wideFrom ? edges[Int(rng.next() % UInt64(edges.count))] : Int64(Int32(truncatingIfNeeded: rng.next()) / 4)
                return .number(ExactDecimal(coefficient: Int128(x), exponent: 0))
            }
            if trial % 10 == 1 { values.append(.number(ExactDecimal(coefficient: 15, exponent: -1))) }
            for column in Self.builtWholeAndInParts(values, &rng) {
                XCTAssertEqual((0..<values.count).map { column.value($0) }, values)
                for (r, v) in values.enumerated() { XCTAssertEqual(column.value(r).literal(), v.literal(), "row \(r)") }
            }
        }
        var narrow = IntegerBuffer(), widened = IntegerBuffer()
        for x: Int64 in [5, -7, Int64(Int32.max)] { narrow.append(x); widened.append(x) }
        widened.append(Int64(Int32.max) + 1)
        widened.appendPlaceholders(2)
        widened.append(contentsOf: narrow)
        XCTAssertEqual(widened.all, [5, -7, Int64(Int32.max), Int64(Int32.max) + 1, 0, 0, 5, -7, Int64(Int32.max)])
        XCTAssertEqual((0..<widened.count).map { widened[$0] }, widened.all)
        narrow.append(contentsOf: widened)
        XCTAssertEqual(narrow.all, [5, -7, Int64(Int32.max)] + widened.all)
    }

    func testTimeColumnsGiveBackTheirInstants() {
        var rng = SplitMix(seed: 5)
        for trial in 0..<400 {
            let zones: [(Int32, Int32)] = [(480, 0), (480, 0), (0, 0), (480, 250), (-330, 0)]
            let mix = 1 + Int(rng.next() % UInt64(zones.count))
            let values: [Value] = (0..<Int(rng.next() % 50)).map { _ in
                if rng.next() % 6 == 0 { return .none }
                let (offset, nanos) = trial % 3 == 0 ? zones[0] : zones[Int(rng.next() % UInt64(mix))]
                return .time(Instant(seconds: Int64(rng.next() % 2_000_000_000), offsetMinutes: offset, nanos: nanos))
            }
            for column in Self.builtWholeAndInParts(values, &rng) {
                for (r, v) in values.enumerated() {
                    switch (column.value(r), v) {
                    case (.none, .none): break
                    case (.time(let got), .time(let want)):
                        XCTAssertEqual([got.seconds, Int64(got.offsetMinutes), Int64(got.nanos)], [want.seconds, Int64(want.offsetMinutes), Int64(want.nanos)])
                    case let (got, want): XCTFail("row \(r): \(got.literal()), not \(want.literal())")
                    }
                }
            }
        }
    }

    /// A row view and a record made of the same values are equal, print the
    /// same, and are one value to `unique`; a view is identical only to
    /// the same row of the same table.
    func testRowsAreRecords() throws {
        let columns = sampleColumns()
        let names = columns.indices.map { "c\($0)" }
        let table = ColumnTable(shape: .of(names), columns: columns.map(Column.of), count: 4)
        for r in 0..<4 {
            let view = Record(table: table, row: r)
            let plain = Record.make(shape: .of(names), values: columns.map { $0[r] })
            XCTAssertEqual(Value.record(view).literal(), Value.record(plain).literal())
            XCTAssertTrue(Value.equal(.record(view), .record(plain)))
            XCTAssertEqual(view.fields.map { $0.0 }, names)
            XCTAssertEqual(view["c3"]?.literal(), columns[3][r].literal())
            XCTAssertNil(view["nope"])
            XCTAssertTrue(view.isIdentical(to: Record(table: table, row: r)))
            XCTAssertFalse(view.isIdentical(to: Record(table: table, row: (r + 1) % 4)))
            XCTAssertFalse(view.isIdentical(to: plain))
        }
    }

    /// Rows with fields added, gathered as views, give exactly the records
    /// `extended` makes at once, in order: runs of one table, a change of
    /// added fields, a plain record, a name that replaces a field, another
    /// table, and two gatherings joined.
    func testExtendedRowsMatchExtendingEachRecord() throws {
        let columns = sampleColumns()
        let names = columns.indices.map { "c\($0)" }
        let a = ColumnTable(shape: .of(names), columns: columns.map(Column.of), count: 4)
        let b = ColumnTable(shape: .of(["c0", "rule"]), columns: [Column.of(columns[0]), Column.of(columns[3])], count: 4)
        let plain = Record.make([("id", .text("p"))])
        let steps: [(Record, [(String, Value)])] = [
            (Record(table: a, row: 2), [("rule", .text("in window")), ("value", .none)]),
            (Record(table: a, row: 0), [("rule", .text("original")), ("value", .bool(false))]),
            (Record(table: a, row: 3), [("rule", .text("x")), ("value", .bool(true)), ("score", .number(ExactDecimal(7)))]),
            (plain, [("rule", .text("y")), ("value", .text("z"))]),
            (Record(table: b, row: 1), [("rule", .text("replaced")), ("value", .number(ExactDecimal(1)))]),
            (Record(table: b, row: 2), [("score", .number(ExactDecimal(2)))]),
            (Record(table: a, row: 1), [("rule", .text("in window")), ("value", .text("mixed"))]),
        ]
        var first = ExtendedRows(), second = ExtendedRows()
        for (k, (r, added)) in steps.enumerated() {
            if k < 4 { first.append(r, added) } else { second.append(r, added) }
        }
        // A field's own value: picked from the table, or read from the record.
        first.append(Record(table: a, row: 3), [("rule", .value(.text("f"))), ("value", .field("c3"))])
        first.append(Record(table: a, row: 1), [("rule", .value(.text("f"))), ("value", .field("c3"))])
        first.append(Record(table: a, row: 2), [("rule", .value(.text("f"))), ("value", .field("nope"))])
        first.append(plain, [("value", .field("id"))])
        let fieldSteps: [(Record, [(String, Value)])] = [
            (Record(table: a, row: 3), [("rule", .text("f")), ("value", columns[3][3])]),
            (Record(table: a, row: 1), [("rule", .text("f")), ("value", columns[3][1])]),
            (Record(table: a, row: 2), [("rule", .text("f")), ("value", .none)]),
            (plain, [("value", .text("p"))]),
        ]
        first.append(contentsOf: second)
        let all = Array(steps.prefix(4)) + fieldSteps + Array(steps.dropFirst(4))
        XCTAssertEqual(first.count, all.count)
        XCTAssertEqual(first.values.map { $0.literal() }, all.map { Value.record($0.0.extended($0.1)).literal() })
        XCTAssertTrue(first.values.allSatisfy { if case .record(let r) = $0 { return r["rule"] != nil || r["score"] != nil || r["value"] != nil }; return false })
        XCTAssertEqual(Array(first.list).map { $0.literal() }, first.values.map { $0.literal() })
        XCTAssertNil(first.list.rowsOf)
    }

    /// Rows of one table, gathered one by one and then as a run with the
    /// same added fields (an award's first entries, then the rest over
    /// columns), join into one run: a list whose records are made as read,
    /// the same as each record extended at once.
    func testJoinedRunsOfOneTableAreOneList() throws {
        let columns = sampleColumns()
        let names = columns.indices.map { "c\($0)" }
        let a = ColumnTable(shape: .of(names), columns: columns.map(Column.of), count: 4)
        var head = ExtendedRows(), rest = ExtendedRows()
        head.append(Record(table: a, row: 2), [("rule", .text("in window")), ("value", .none)])
        head.append(Record(table: a, row: 0), [("rule", .text("original")), ("value", .bool(false))])
        let kinds: [ExtendedRows.Addition] = [.value(.text("in window")), .value(.text("topic"))]
        XCTAssertTrue(rest.append(TableRows(a, rows: [0, 1, 2, 3]), at: [1, 3, 2],
                                  [("rule", .byKind(kinds, kindOf: [1, 0, 1])), ("value", .same(.field("c3")))]))
        rest.append(Record(table: a, row: 0), [("rule", .text("late")), ("value", .text("v"))])
        head.append(contentsOf: rest)
        let expected: [(Int, [(String, Value)])] = [
            (2, [("rule", .text("in window")), ("value", .none)]),
            (0, [("rule", .text("original")), ("value", .bool(false))]),
            (1, [("rule", .text("topic")), ("value", columns[3][1])]),
            (3, [("rule", .text("in window")), ("value", columns[3][3])]),
            (2, [("rule", .text("topic")), ("value", columns[3][2])]),
            (0, [("rule", .text("late")), ("value", .text("v"))]),
        ]
        let list = head.list
        XCTAssertNotNil(list.rowsOf)
        XCTAssertEqual(list.count, expected.count)
        XCTAssertEqual(Array(list).map { $0.literal() }, expected.map { Value.record(Record(table: a, row: $0.0).extended($0.1)).literal() })
        XCTAssertEqual(head.values.map { $0.literal() }, Array(list).map { $0.literal() })
    }

    /// Runs that cannot join (other added fields, records of no table) are
    /// one list all the same, each item read where it is: by index at every
    /// seam, in order, and as an array made once; a list of one run is
    /// that run's own, and empty runs are left out.
    func testRunsThatDoNotJoinAreOneListReadInPlace() throws {
        let columns = sampleColumns()
        let names = columns.indices.map { "c\($0)" }
        let a = ColumnTable(shape: .of(names), columns: columns.map(Column.of), count: 4)
        var rows = ExtendedRows(), passed = ExtendedRows()
        XCTAssertTrue(rows.append(TableRows(a, rows: [0, 1, 2, 3]), at: [3, 1], [("rule", .same(.value(.text("topic"))))]))
        rows.append([Record.make([("loose", .number(ExactDecimal(1)))])], [("rule", .same(.value(.text("late"))))])
        XCTAssertTrue(passed.append(TableRows(a, rows: [0, 1, 2, 3]), at: [2, 0, 1],
                                    [("rule", .same(.value(.text("best")))), ("score", .wholes([5, 4, 4]))]))
        rows.append(contentsOf: passed)
        let list = rows.list
        let expected = rows.values.map { $0.literal() }
        XCTAssertEqual(expected.count, 6)
        XCTAssertNil(list.rowsOf)
        XCTAssertEqual(list.count, 6)
        XCTAssertEqual((0..<6).map { list[$0].literal() }, expected)
        XCTAssertEqual(Array(list).map { $0.literal() }, expected)
        XCTAssertEqual(list.array.map { $0.literal() }, expected)
        XCTAssertEqual(list[1..<4].map { $0.literal() }, Array(expected[1..<4]))
        XCTAssertTrue(expected[5].hasPrefix("{c0: "), expected[5])
        XCTAssertTrue(expected[5].hasSuffix(", rule: \"best\", score: 4}"), expected[5])
        let one = ValueList(rowsOf: a)
        XCTAssertTrue(ValueList(joining: [ValueList([]), one, ValueList([])]).isIdentical(to: one))
        let joined = ValueList(joining: [ValueList([.number(ExactDecimal(1))]), ValueList([]), ValueList([.number(ExactDecimal(2)), .number(ExactDecimal(3))]), ValueList([])])
        XCTAssertEqual(joined.map { $0.literal() }, ["1", "2", "3"])
    }

    /// Whole numbers added to a run of rows (a leaderboard's passed-over
    /// scores) are kept as numbers, and read back as the values they were:
    /// alone, joined to another such run, and after a row with a value of
    /// another kind joins them.
    func testWholeNumbersAddedToRowsReadBack() throws {
        let columns = sampleColumns()
        let names = columns.indices.map { "c\($0)" }
        let a = ColumnTable(shape: .of(names), columns: columns.map(Column.of), count: 4)
        func number(_ x: Int64) -> Value { .number(ExactDecimal(coefficient: Int128(x), exponent: 0)) }
        let big = Int64(Int32.max) + 5
        var first = ExtendedRows(), second = ExtendedRows(), third = ExtendedRows()
        first.append([Record(table: a, row: 3), Record(table: a, row: 1)], [("rule", .same(.value(.text("best")))), ("score", .wholes([7, -2]))])
        second.append([Record(table: a, row: 0)], [("rule", .same(.value(.text("best")))), ("score", .wholes([big]))])
        first.append(contentsOf: second)
        let joined = Array(first.list)
        XCTAssertNotNil(first.list.rowsOf)
        XCTAssertEqual(joined.map { $0.literal() }, [(3, number(7)), (1, number(-2)), (0, number(big))].map {
            Value.record(Record(table: a, row: $0.0).extended([("rule", .text("best")), ("score", $0.1)])).literal()
        })
        first.append(Record(table: a, row: 2), [("rule", .text("best")), ("score", .text("n/a"))])
        third.append([Record(table: a, row: 1)], [("rule", .same(.value(.text("best")))), ("score", .wholes([4]))])
        first.append(contentsOf: third)
        let all = [(3, number(7)), (1, number(-2)), (0, number(big)), (2, Value.text("n/a")), (1, number(4))]
        XCTAssertEqual(Array(first.list).map { $0.literal() }, all.map {
            Value.record(Record(table: a, row: $0.0).extended([("rule", .text("best")), ("score", $0.1)])).literal()
        })
        XCTAssertEqual(first.values.map { $0.literal() }, Array(first.list).map { $0.literal() })
    }

    /// A large text column is coded in two halves on two cores: the same
    /// column as one pass gives (codes in the order texts first come, the
    /// texts, or the buffer when the first 4,096 are too distinct or all are
    /// too many), whatever the halves hold.
    func testTextColumnCodedInHalvesAsInOnePass() throws {
        var limits = Limits()
        limits.threads = 2
        let m = Machine(image: try Engine().compile("1").image, limits: limits, access: HostAccess(output: { _ in }), isCancelled: { false })
        var rng = SplitMix(seed: 17)
        // How many distinct texts each half draws from (the second half from
        // texts of its own, or the first half's), and where the sample ends.
        let cases: [(first: Int, second: Int, shared: Bool, rows: Int)] = [
            (39, 39, true, 100_000), (39, 500, false, 100_000), (1_000, 3, false, 70_000), (1_025, 10, true, 80_000),
            (1_023, 60_000, false, 140_000), (40_000, 40_000, false, 150_000), (5, 5, false, 65_535), (5, 5, false, 65_536),
        ]
        for (k, c) in cases.enumerated() {
            var buffer = TextBuffer()
            for r in 0..<c.rows {
                let second = r >= c.rows / 2
                let pick = Int(rng.next() % UInt64(second ? c.second : c.first))
                // The first rows run through the first texts in order, so the sample sees as many as asked.
                let text = second ? (c.shared ? "t\(pick)" : "u\(pick)") : "t\(r < 4096 ? r % c.first : pick)"
                var s = text
                _ = s.withUTF8 { buffer.append($0) }
            }
            let ok = Validity(allPresent: c.rows)
            func describe(_ column: Column) -> String {
                switch column {
                case .codes(let codes, let texts, _): return "codes \(codes.count) \(codes.hashValue) \(texts)"
                case .text(let b, _): return "text \(b.count)"
                default: return "other"
                }
            }
            XCTAssertEqual(describe(Column.texts(buffer, ok, on: m)), describe(Column.texts(buffer, ok)), "case \(k)")
        }
    }

    /// Columns are built one per core; what a file's bad cells give must be
    /// what reading column by column gives: the first column's error stops,
    /// and a row left out by one column is not looked at by the next (so its
    /// number beyond range there is no error).
    func testColumnsBuiltOnEveryCoreFailAsInColumnOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-cols-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let big = "1e99999999999"
        let csv = "a,b,c\n1,2,x\nq,r,y\nw,\(big),z\n4,s,w\n"
        try Data(csv.utf8).write(to: dir.appendingPathComponent("f.csv"))
        let cases: [(String, String)] = [
            ("read_csv(\"f.csv\", types: {a: \"number\", b: \"number\"})", "error: f.csv:3: column 'a' (field 1): \"q\" is not a number"),
            ("read_csv(\"f.csv\", types: {b: \"number\", c: \"bool\"})", "error: f.csv:3: column 'b' (field 2): \"r\" is not a number"),
            ("read_csv(\"f.csv\", types: {a: \"number\", b: \"number\"}, on_error: \"collect\").errors.map(e => e.reason)",
             "[\"column 'a' (field 1): \\\"q\\\" is not a number\", \"column 'a' (field 1): \\\"w\\\" is not a number\", "
             + "\"column 'b' (field 2): \\\"s\\\" is not a number\"]"),
            ("read_csv(\"f.csv\", types: {a: \"number\", b: \"number\"}, on_error: \"skip\")", "[{a: 1, b: 2, c: \"x\"}]"),
            ("read_csv(\"f.csv\", types: {b: \"number\"}, on_error: \"skip\")", "error: f.csv:4: column 'b' (field 2): \"\(big)\" is a number out of range"),
        ]
        for (src, want) in cases {
            for threads in [1, 4] {
                var limits = Limits()
                limits.threads = threads
                limits.parallelFrom = (0, 0)  // even a small file on threads here
                let got: String
                do {
                    got = try CoreModels.engine().compile(src).run(limits: limits, access: HostAccess(fileRoot: dir, allowWrite: false, output: { _ in })).literal()
                } catch { got = "error: \(error)".replacingOccurrences(of: "<input>:1:1: error: ", with: "") }
                XCTAssertEqual(want.hasPrefix("error") ? String(got.prefix(want.count)) : got, want, "\(src) with \(threads) threads")
            }
        }
    }

    /// JSON Lines of records of one shape are a table's rows; from the first
    /// line of another shape (or not a record) the rest are kept as they are,
    /// and every line reads as it did.
    func testJSONLinesOfOneShapeAreATable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-jsonl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let same = "{\"id\": 1, \"tags\": [\"a\"], \"n\": 1.50}\n\n{\"id\": 2, \"tags\": [], \"n\": null}\n"
        let mixed = same + "{\"n\": 3, \"id\": 3}\n7\n"
        try Data(same.utf8).write(to: dir.appendingPathComponent("same.jsonl"))
        try Data(mixed.utf8).write(to: dir.appendingPathComponent("mixed.jsonl"))
        func read(_ name: String) throws -> Value {
            try CoreModels.engine().compile("read_jsonl(\"\(name)\")").run(access: HostAccess(fileRoot: dir, allowWrite: false, output: { _ in }))
        }
        let a = try read("same.jsonl"), b = try read("mixed.jsonl")
        XCTAssertEqual(a.literal(), #"[{id: 1, tags: ["a"], n: 1.5}, {id: 2, tags: [], n: none}]"#)
        XCTAssertEqual(b.literal(), #"[{id: 1, tags: ["a"], n: 1.5}, {id: 2, tags: [], n: none}, {n: 3, id: 3}, 7]"#)
        guard case .list(let rows) = a, case .list(let more) = b else { return XCTFail() }
        XCTAssertTrue(rows.allSatisfy { if case .record(let r) = $0 { return r.tableRow != nil }; return false })
        XCTAssertTrue(more.prefix(2).allSatisfy { if case .record(let r) = $0 { return r.tableRow != nil }; return false })
    }

    /// What kdk code does with the rows of a CSV: the same answers as with
    /// the same records written out as literals.
    func testCodeSeesTheSameRowsAsLiterals() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-table-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = "id,author,likes,price,ok,at\n1,li,10,1.50,true,2025-12-19T12:00+08:00\n2,wang,,2,false,\n3,li,7,-0.25,,2025-12-20T09:30Z\n"
        try Data(csv.utf8).write(to: dir.appendingPathComponent("p.csv"))
        let literal = """
        [{id: 1, author: "li", likes: 10, price: 1.50, ok: true, at: 2025-12-19T12:00+08:00},
         {id: 2, author: "wang", likes: none, price: 2, ok: false, at: none},
         {id: 3, author: "li", likes: 7, price: -0.25, ok: none, at: 2025-12-20T09:30Z}]
        """
        let expressions = [
            "xs", "len(xs)", "xs[1]", "xs[2].author", "xs.filter(p => p.likes != none)",
            "xs.sort_by(p => p.price)", "xs.map(p => p.likes ?? 0)", "xs.group_by(p => p.author)",
            "unique(xs + xs)", "xs[0] == xs[0]", "xs.top(2, by: p => p.id)", "to_json(xs)",
            "\"\\(xs[0])\"", "xs.map(p => {id: p.id, at: p.at})",
        ]
        for e in expressions {
            func run(_ xs: String) throws -> String {
                let src = "let xs = \(xs)\n\(e)"
                return try CoreModels.engine().compile(src).run(access: HostAccess(fileRoot: dir, allowWrite: false, output: { _ in })).literal()
            }
            XCTAssertEqual(try run("read_csv(\"p.csv\")"), try run(literal), e)
        }
    }

    /// A notebook's table: escaped cells, numbers to the right, at most
    /// `maxRows` rows with a note.
    func testHTMLTablesEscapeAndNoteTheRowsLeftOut() {
        let rows = (1...3).map { i in Record.make([("id", .number(ExactDecimal(i))), ("text", .text("<b>\"x\" & y</b>"))]) }
        XCTAssertEqual(Table.html(rows, maxRows: 2), """
            <table class="kdk">
            <thead><tr><th style="text-align:right">id</th><th style="text-align:left">text</th></tr></thead>
            <tbody>
            <tr><td style="text-align:right">1</td><td style="text-align:left">&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;</td></tr>
            <tr><td style="text-align:right">2</td><td style="text-align:left">&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;</td></tr>
            </tbody>
            </table>
            <p>showing 2 of 3 rows</p>
            """)
    }

    /// Cutting to a width counts wide characters as two columns and never splits one.
    func testCutToAWidth() {
        XCTAssertEqual(DisplayWidth.cut("发帖赢新币", to: 6), "发帖…")
        XCTAssertEqual(DisplayWidth.cut("abcdef", to: 6), "abcdef")
        XCTAssertEqual(DisplayWidth.cut("abcdefg", to: 6), "abcde…")
        XCTAssertEqual(DisplayWidth.of(DisplayWidth.cut("e\u{301}e\u{301}e\u{301}x", to: 3)), 3)
    }

    /// Without a notebook, display(x) shows x as a result is shown.
    func testDisplayWithoutANotebookWritesText() throws {
        let out = Locked<[String]>([])
        _ = try Engine().compile("display([{a: 1}])\n2").run(access: HostAccess(output: { line in out.update { $0.append(line) } }))
        XCTAssertEqual(out.value, ["a\n─\n1"])
    }
}
