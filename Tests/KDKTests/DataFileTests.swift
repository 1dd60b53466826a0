import Foundation
import XCTest
@testable import KDK
import KDKModels

final class DataFileTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func run(_ src: String, write: Bool = true) throws -> String {
        try CoreModels.engine().compile(src).run(access: HostAccess(fileRoot: dir, allowWrite: write, output: { _ in })).literal()
    }

    func file(_ name: String, _ bytes: String) throws {
        try Data(bytes.utf8).write(to: dir.appendingPathComponent(name))
    }

    /// RFC 4180 corner cases: each file and the rows it must give.
    func testRFC4180Corners() throws {
        let cases: [(String, String)] = [
            ("a,b\r\n1,2\r\n", "[{a: 1, b: 2}]"),
            ("a,b\n1,2", "[{a: 1, b: 2}]"),                               // no final line break
            ("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n", "[{a: \"x,y\", b: \"say \\\"hi\\\"\"}]"),
            ("a,b\n\"line1\r\nline2\",2\n", "[{a: \"line1\\r\\nline2\", b: 2}]"),
            // Doubled quotes anywhere in a cell, each one quote.
            ("a,b\n\"\"\"\",\"\"\"x\"\"\"\n\"a\"\"\"\"b\",\"\"\"\"\"\"\"z\"\n", "[{a: \"\\\"\", b: \"\\\"x\\\"\"}, {a: \"a\\\"\\\"b\", b: \"\\\"\\\"\\\"z\"}]"),
            ("a,b\n,\n", "[{a: none, b: none}]"),                        // empty cells are none
            ("a,b\n\"\",x\n", "[{a: \"\", b: \"x\"}]"),                   // a quoted empty cell is text
            ("\u{FEFF}a\n1\n", "[{a: 1}]"),                              // byte order mark
            ("a,b\n 1 ,x\n", "[{a: \" 1 \", b: \"x\"}]"),                 // spaces are part of a field
            ("\"a,1\",b\nx,y\n", "[{\"a,1\": \"x\", b: \"y\"}]"),         // quoted header
            ("名前,金额\n李雷,1.50\n", "[{名前: \"李雷\", 金额: 1.5}]"),
            ("a\n1\n2\n-3.5\n1e2\n", "[{a: 1}, {a: 2}, {a: -3.5}, {a: 100}]"),
            ("a\n1\n+2\n", "[{a: \"1\"}, {a: \"+2\"}]"),                  // +2 is not a number: the column is text
        ]
        for (i, (text, want)) in cases.enumerated() {
            try file("c\(i).csv", text)
            XCTAssertEqual(try run("read_csv(\"c\(i).csv\")"), want, "case \(i): \(text.debugDescription)")
        }
    }

    /// The reader takes runs of plain bytes in one append; that must give
    /// exactly what feeding each byte gives (cells, lines, and each error's
    /// message, line and column), on random text made of the bytes that
    /// matter: commas, quotes, CR, LF, multi-byte characters, bytes that are
    /// not UTF-8 (a lone lead byte or continuation, a surrogate, past
    /// U+10FFFF), runs longer than a 16-byte block, and a field cap.
    func testReadingInRunsMatchesReadingByteByByte() throws {
        var rng = SystemRandomNumberGenerator()
        let pieces = [",", "\"", "\"\"", "\n", "\r\n", "\r", "a", "bc", "12", "李雷", "🚀", " ", "x,y", "a longer plain run", "发帖赢新币KDK冲冲冲",
                      "#PostToWinLaunchpadKDK 开盘即发"].map { Array($0.utf8) } + [[0xC3], [0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]]
        // Rows that end a cell where it may not end, or that cross a
        // 16-byte block just there; then random ones.
        let x15 = String(repeating: "x", count: 15), x14 = String(repeating: "x", count: 14)
        let fixed = ["a,b\n1,2\"\n3,4\n", "a,b\n\"1\"x,2\n", "a,b\n1,\"2\"\"\"\n", "a,b\n1,2\r3,4\n", "a,b\n1,2\r\n3,\"4\r\n\"\n",
                     "a,b\n\(x15)\",1\n", "a,b\n\"\(x14)\",\"\(x15)\"\n", "a,b\n\"\(x14)\"\"\",1\n", "a,b\n\(x14),\"\",\n", "a\n\"\(x14)\"\n\(x15)\n"]
        for trial in 0..<(fixed.count + 1_500) {
            let bytes = trial < fixed.count ? Array(fixed[trial].utf8)
                : (0..<Int.random(in: 1...40, using: &rng)).flatMap { _ in pieces.randomElement(using: &rng)! }
            let text = String(decoding: bytes, as: UTF8.self)  // for messages
            let url = dir.appendingPathComponent("r\(trial).csv")
            try Data(bytes).write(to: url)
            let cap = Int.random(in: 2...12, using: &rng)
            func outcome(_ body: (inout CSVReader) throws -> Void) -> String {
                var r = CSVReader(name: "r.csv", maxRows: 1000, maxField: cap)
                do { try body(&r) } catch let f as CSVReader.Failure { return "error \(f.message) \(f.line):\(f.column)" } catch { return "\(error)" }
                return "\(r.header) \(r.columns.indices.map { r.cells($0) }) \(Array(r.rowLines))"
            }
            let inRuns = outcome { try $0.read(url, step: {}) }
            let byteByByte = outcome { r in
                for b in bytes { try r.feed(b, {}) }
                try r.finish()
            }
            XCTAssertEqual(inRuns, byteByByte, "text: \(text.debugDescription), cap \(cap)")
            // In blocks of a few bytes, each cut into pieces: in turn, and on threads.
            let pieces = Int.random(in: 2...4, using: &rng), block = Int.random(in: 1...24, using: &rng)
            let inTurn = ParallelReading(threads: pieces, blockSize: block, run: { n, body in for k in 0..<n { body(k) } })
            XCTAssertEqual(outcome { try $0.read(url, parallel: inTurn, step: {}) }, byteByByte,
                           "text: \(text.debugDescription), cap \(cap), \(pieces) pieces of blocks of \(block)")
            let onThreads = ParallelReading(threads: pieces, blockSize: block, run: { n, body in
                DispatchQueue.concurrentPerform(iterations: n) { body($0) }
            })
            XCTAssertEqual(outcome { try $0.read(url, parallel: onThreads, step: {}) }, byteByByte, "text: \(text.debugDescription)")
        }
    }

    /// Reading on threads types each block's cells as they are read, the
    /// first block's columns by the type guessed from their cells: the rows,
    /// errors and left-out rows must be what typing each whole column after
    /// reading gives (one thread), whatever the cells further on, declared
    /// types, blocks and threads. A guess a later cell belies reads the file again.
    func testColumnsTypedWhileReadingAsWhole() throws {
        var rng = SplitMix(seed: 31)
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        let pools: [[String]] = [
            ["1", "-12", "007", "42", "3"], ["3.50", "1e3", "-0.25"], ["true", "False", "TRUE"], ["2025-12-19", "2024-02-29"],
            ["2025-12-19T12:00+08:00", "2025-12-19T12:00Z"], ["x", "李雷", "\"a,b\"", "12 KDK"], ["1e99999999999", "99999999999999999999999999999999999999999"],
            ["2025-12-19T12:00", "1,234", "\"\"", "\"two\nlines\"", "\"1\"\"2\"", "\"\"\"7\"\"\""], [""],
        ]
        let declared = ["", ", types: {a: \"number\"}", ", types: {b: \"bool\", c: \"time\"}", ", types: {a: \"number\", d: \"text\"}",
                        ", types: {c: \"number\"}, offset: \"+08:00\""]
        for trial in 0..<240 {
            // Each column mostly of one pool, now and then a cell of another.
            let mains = (0..<4).map { _ in Int(rng.next() % UInt64(pools.count)) }
            let rows = (0..<(5 + Int(rng.next() % 120))).map { _ in
                mains.map { k in rng.next() % 40 == 0 ? pick(pick(pools)) : pick(pools[k]) }.joined(separator: ",")
            }
            // Some files end their later lines in CR alone: those are read in order.
            let half = trial % 5 == 0 ? rows.count / 2 : rows.count
            try file("t\(trial).csv", "a,b,c,d\n" + rows[..<half].joined(separator: "\n") + "\n" + rows[half...].joined(separator: "\r"))
            let how = pick(declared), mode = pick(["stop", "skip", "collect"])
            let src = "read_csv(\"t\(trial).csv\"\(how), on_error: \"\(mode)\")"
            func read(threads: Int, block: Int) -> String {
                var limits = Limits()
                limits.threads = threads
                limits.parallelFrom = (0, 0)
                limits.csvBlockSize = block
                do {
                    return try CoreModels.engine().compile(src).run(limits: limits, access: HostAccess(fileRoot: dir, allowWrite: false, output: { _ in })).literal()
                } catch { return "error: \(error)" }
            }
            let whole = read(threads: 1, block: 1 << 20)
            for threads in [2, 3] {
                let block = 8 + Int(rng.next() % 300)
                XCTAssertEqual(read(threads: threads, block: block), whole, "\(src), \(threads) threads, blocks of \(block):\n\(rows.joined(separator: "\n"))")
            }
        }
    }

    /// A text column whose texts repeat is coded as the file is read, after
    /// the first block: the rows, and the column's codes and texts, must be
    /// what coding the whole column after reading gives (one thread), with
    /// texts alike but for their bytes (é composed or not), absent cells,
    /// rows left out, a column that turns too distinct (then bytes again), a
    /// column of a type, and later lines that end in CR alone (read in order).
    func testTextCodedWhileReadingAsWhole() throws {
        var rng = SplitMix(seed: 77)
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        let texts = ["KDK 上线价格预测：看涨！ #KDK", "Caf\u{E9}", "Cafe\u{301}", "\"a, b\"", "", "to the moon 🚀", "x"]
        for trial in 0..<8 {
            let rows = trial == 7 ? 80_000 : 5_000 + Int(rng.next() % 4_000)
            var lines = (0..<rows).map { i in
                // c: repeating, until (trial 7) every row's own text from row 9,000.
                let c = trial == 7 && i >= 9_000 ? "u\(i)" : pick(["p", "q", "r"])
                return "\(pick(texts)),\(i),\(c)"
            }
            if trial == 3 { lines.insert("only,two", at: rows / 2) }
            let body = trial == 5 ? lines[..<(rows / 2)].joined(separator: "\n") + "\n" + lines[(rows / 2)...].joined(separator: "\r")
                                  : lines.joined(separator: "\n")
            try file("coded\(trial).csv", "a,n,c\n" + body + "\n")
            let src = "read_csv(\"coded\(trial).csv\", on_error: \"\(trial == 3 ? "skip" : "stop")\")"
            func read(threads: Int, block: Int) throws -> (String, [Column]) {
                var limits = Limits()
                limits.threads = threads
                limits.parallelFrom = (0, 0)
                limits.csvBlockSize = block
                let v = try CoreModels.engine().compile(src).run(limits: limits, access: HostAccess(fileRoot: dir, allowWrite: false, output: { _ in }))
                guard case .list(let l) = v, let table = l.rowsOf ?? { if case .record(let r)? = l.first { return r.tableRow?.table }; return nil }() else {
                    XCTFail("\(src): not rows of a table"); return ("", [])
                }
                return (v.literal(), table.columns)
            }
            let (whole, wholeColumns) = try read(threads: 1, block: 1 << 24)
            let (threaded, columns) = try read(threads: 2, block: 96 << 10)
            XCTAssertEqual(threaded, whole, src)
            for (c, (x, y)) in zip(wholeColumns, columns).enumerated() {
                switch (x, y) {
                case let (.codes(a, s, p), .codes(b, t, q)):
                    XCTAssertTrue(a == b && s.map { Array($0.utf8) } == t.map { Array($0.utf8) } && (0..<a.count).allSatisfy { p[$0] == q[$0] }, "\(src) column \(c)")
                case (.text, .text), (.integers, .integers): break
                default: XCTFail("\(src) column \(c): \(x) read whole, \(y) on threads")
                }
            }
            if case .codes = wholeColumns[0] {} else { XCTFail("\(src): column a not coded") }
        }
        // The reader codes them while reading (not only at the end).
        try file("coded-direct.csv", "a,n\n" + (0..<20_000).map { "\(pick(texts)),\($0)" }.joined(separator: "\n") + "\n")
        var reader = CSVReader(name: "coded-direct.csv", maxRows: 1 << 20)
        reader.typing = { CellTyping(header: $0, declared: [:], reading: CellType.Reading(), stopAtFirst: true, path: "coded-direct.csv", unguessed: []) }
        let parallel = ParallelReading(threads: 2, blockSize: 96 << 10, run: { n, body in DispatchQueue.concurrentPerform(iterations: n) { body($0) } })
        try reader.read(dir.appendingPathComponent("coded-direct.csv"), parallel: parallel, step: {})
        XCTAssertEqual(reader.coded.first??.codes.count, 20_000)
        XCTAssertEqual(reader.columns[0].cells.count, 0)
    }

    /// Malformed files: the error names the file and the line.
    func testMalformedFilesNameTheLine() throws {
        let cases: [(String, String)] = [
            ("a,b\n1,2\n3,4\n5\n", "m0.csv:4:1: row has 1 field"),
            ("a,b\n1,2\n\"3,4\n", "m1.csv:3:1: unterminated quoted field"),
            ("a,b\n1,2\n3,x\"y\"\n", "m2.csv:3:4: a quote inside an unquoted field"),
            ("a,b\n1,2\n3,4,5\n", "m3.csv:3:1: row has 3 fields"),
            ("a,b\n1,\"multi\nline\"\n3\n", "m4.csv:4:1: row has 1 field"),
        ]
        for (i, (text, want)) in cases.enumerated() {
            try file("m\(i).csv", text)
            XCTAssertThrowsError(try run("read_csv(\"m\(i).csv\")")) { e in
                XCTAssertTrue("\(e)".contains(want), "\(want) not in \(e)")
            }
        }
    }

    func testWriteThenReadRoundTrips() throws {
        try file("in.csv", "id,author,time,day,text,likes,ok\n1,li,2025-12-19T12:00+08:00,2025-12-19,\"a, \"\"b\"\"\",1.50,true\n2,,2025-12-19T13:00Z,2025-12-20,\"x\ny\",,false\n")
        XCTAssertEqual(try run("""
            let rows = read_csv("in.csv")
            write_csv("out.csv", rows)
            read_csv("out.csv") == rows
            """), "true")
        try file("in.json", "{\"a\": [1, 2.50, 1e-30], \"b\": {\"c\": \"é\\n\"}, \"d\": null, \"e\": true}")
        XCTAssertEqual(try run("""
            let v = read_json("in.json")
            write_json("out.json", v)
            read_json("out.json") == v
            """), "true")
    }

    func testWritesNeedPermission() throws {
        XCTAssertThrowsError(try run("write_json(\"x.json\", 1)", write: false)) { e in
            XCTAssertTrue("\(e)".contains("may not write"))
        }
        XCTAssertThrowsError(try run("write_json(\"../x.json\", 1)")) { e in
            XCTAssertTrue("\(e)".contains("outside the folder"))
        }
    }

    func testLargeFileStreamsAndCountsRows() throws {
        var text = "id,author,likes,text\n"
        for i in 0..<20_000 { text += "\(i),user\(i % 97),\(i % 1000),\"post #\(i), with a comma\"\n" }
        try file("big.csv", text)
        XCTAssertEqual(try run("let rows = read_csv(\"big.csv\")\n[len(rows), sum(rows.map(r => r.likes)), rows[19999].text]"),
                       "[20000, 9990000, \"post #19999, with a comma\"]")
    }
}

#if canImport(FoundationXML)
import FoundationXML
#endif

extension DataFileTests {
    /// chart(..., svg:) writes a standalone, well-formed SVG with a title,
    /// axes and a legend entry per series.
    func testChartWritesWellFormedSVG() throws {
        _ = try run("""
            let rows = project(150B USD, 45%, 2026...2030, name: "factory").map(r => r with {required: 650B USD})
            chart(rows, title: "Required & projected <AI> revenue", svg: "chart.svg")
            """)
        let data = try Data(contentsOf: dir.appendingPathComponent("chart.svg"))
        final class Collect: NSObject, XMLParserDelegate {
            var elements: [String] = []
            var text = ""
            func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) { elements.append(e) }
            func parser(_ p: XMLParser, foundCharacters s: String) { text += s }
        }
        let parser = XMLParser(data: data)
        let c = Collect()
        parser.delegate = c
        XCTAssertTrue(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        XCTAssertEqual(c.elements.first, "svg")
        XCTAssertEqual(c.elements.filter { $0 == "polyline" }.count, 2)
        XCTAssertTrue(c.text.contains("Required & projected <AI> revenue"))
        XCTAssertTrue(c.text.contains("factory") && c.text.contains("required") && c.text.contains("USD"))
    }

    /// A time cell written the usual way is read by `Calendar.quickInstant`:
    /// whatever it reads must be the instant the general parser gives, in
    /// the same offset, on times near each edge and with a byte or two
    /// changed, left out or added; and it must read the usual ones. Times
    /// just past each rule (date, time of day, offset) neither reads.
    func testUsualTimesReadQuicklyAsByTheParser() {
        let usual = ["2025-12-19T12:00+08:00", "2024-02-29T23:59:59Z", "1999-12-31T24:00-05:30", "2025-12-30T24:00+08:00", "0000-01-01T00:00z",
                     "9999-12-31T23:59:59+18:59", "2025-12-19T12:00:00-00:00", "1970-01-01T00:00Z"]
        let others = ["2025-12-19T12:00:30.5Z", "2025-12-19 12:00Z", "2025-12-19T12:00+0800", "2025-02-29T12:00Z", "2025-12-19T24:00:01Z",
                      "2025-12-19T12:00+19:00", "2025-12-19T12:60Z", "2025-12-19T12:00", "2025-12-19"]
        let alphabet = Array("0123456789-:+TZz .x".utf8) + [0xC3, 0xA9]
        var rng = SplitMix(seed: 41)
        var cells = usual + others
        for _ in 0..<40_000 {
            var bytes = Array(cells[Int(rng.next() % UInt64(usual.count + others.count))].utf8)
            for _ in 0..<(1 + rng.next() % 2) {
                let at = Int(rng.next() % UInt64(bytes.count + 1)), b = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                switch rng.next() % 3 {
                case 0 where at < bytes.count: bytes[at] = b
                case 1 where at < bytes.count: bytes.remove(at: at)
                default: bytes.insert(b, at: at)
                }
            }
            cells.append(String(decoding: bytes, as: UTF8.self))
        }
        // The rules both read by: past them, neither reads a time.
        for bad in ["2025-12-19T12:00+19:00", "2025-12-19T12:00+18:60", "2025-02-29T12:00Z", "2025-13-01T12:00Z", "2025-12-00T12:00Z",
                    "2025-12-19T24:00:01Z", "2025-12-19T24:01Z", "2025-12-19T12:60Z", "2025-12-19T12:00:60Z"] {
            XCTAssertNil(try? Calendar.parse(Substring(bad)), bad)
            XCTAssertNil(Array(bad.utf8).withUnsafeBufferPointer(Calendar.quickInstant), bad)
        }
        var read = 0
        for (k, cell) in cells.enumerated() {
            let bytes = Array(cell.utf8)
            let quick = bytes.withUnsafeBufferPointer(Calendar.quickInstant)
            guard case .time(let t)? = try? Calendar.parse(Substring(cell)) else {
                XCTAssertNil(quick, cell)
                continue
            }
            if k < usual.count { XCTAssertNotNil(quick, cell) }
            guard let quick else { continue }
            read += 1
            XCTAssertEqual([quick.seconds, Int64(quick.offsetMinutes), Int64(quick.nanos)], [t.seconds, Int64(t.offsetMinutes), Int64(t.nanos)], cell)
        }
        XCTAssertGreaterThan(read, 1_000)
    }

    /// A cell read from its bytes (whole numbers, bools) is the value the
    /// general parsers give (the decimal parser; lower-casing for bools), on
    /// cells near each edge; and `parse` agrees for every type.
    func testCellsReadFromBytesAsFromText() {
        let unit = UnitRegistry.shared.named("USDT")
        var cells = ["0", "-0", "7", "-", "--1", "12a", "1.5", "1e6", "+3", " 4", "4 ", "999999999999999999", "-999999999999999999",
                     "1000000000000000000", "true", "TRUE", "tRuE", "false", "FALSE", "fals", "truee", "t", "\u{212A}", "yes", "", "１",
                     "2025-12-19", "2025-02-29", "2024-02-29", "2025-12-19T12:00+08:00", "2025-12-19T24:00Z", "2025-12-19T24:01Z",
                     "2025-12-19 12:00:59.123456789-05:30", "2025-12-19T12:00", "2025-12-19T12:00+19:00", "2025-13-01", "2025-12-19T12:00+0800"]
        var rng = SplitMix(seed: 12)
        for _ in 0..<3_000 {
            let digits = String((0..<Int(rng.next() % 21)).map { _ in Character(String(rng.next() % 10)) })
            cells.append((rng.next() % 3 == 0 ? "-" : "") + digits)
        }
        for cell in cells {
            let bytes = Array(cell.utf8)
            if let d = bytes.withUnsafeBufferPointer(CellType.wholeNumber) {
                XCTAssertEqual(.value(d), ExactDecimal.parse(Substring(cell)), cell)
            } else {
                // Only the general parser reads anything but 1-18 digits after an optional minus.
                let digits = cell.hasPrefix("-") ? cell.dropFirst() : Substring(cell)
                XCTAssertFalse((1...18).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }, cell)
            }
            let word = cell.lowercased()
            XCTAssertEqual(bytes.withUnsafeBufferPointer(CellType.boolean), word == "true" ? true : word == "false" ? false : nil, cell)
            if cell.utf8.count >= 10 {
                let parsed = try? Calendar.parse(Substring(cell))
                XCTAssertEqual(bytes.withUnsafeBufferPointer { try? Calendar.parse(bytes: $0, "") }, parsed, cell)
            }
            for t in [CellType.number, .bool, .text, .time, .date, .quantity(unit)] {
                guard let quick = Array(cell.utf8).withUnsafeBufferPointer({ t.parseQuickly($0) }) else { continue }
                XCTAssertEqual(quick, t.parse(cell), "\(t.name): \(cell)")
            }
        }
    }

    /// Row lines kept as the rows where they jump read back as the lines
    /// appended, one at a time or as pieces counted from 1 and shifted.
    func testRowLinesReadBackAsAppended() {
        var rng = SplitMix(seed: 41)
        for _ in 0..<500 {
            // Rising lines, now and then jumping (a quoted line break, a blank line).
            var want: [Int] = [], line = 1 + Int(rng.next() % 3)
            for _ in 0..<Int(rng.next() % 60) {
                want.append(line)
                line += rng.next() % 4 == 0 ? 2 + Int(rng.next() % 3) : 1
            }
            var lines = RowLines(), at = 0
            while at < want.count {
                let end = min(want.count, at + 1 + Int(rng.next() % 9))
                if rng.next() % 2 == 0 {
                    for l in want[at..<end] { lines.append(l) }
                } else {
                    // A piece's lines count from its first line as 1.
                    let shift = want[at] - 1 - Int(rng.next() % 2)
                    var piece = RowLines()
                    for l in want[at..<end] { piece.append(l - shift) }
                    lines.append(contentsOf: piece, shiftedBy: shift)
                }
                at = end
            }
            XCTAssertEqual(Array(lines), want)
            XCTAssertEqual(lines.count, want.count)
        }
    }
}
