import CTextScan
import XCTest

/// `kdk_csv_row`, the scan of a plain CSV row in 16-byte blocks: the cells
/// it finds, and the rows it must leave to the byte reader. (Reading in runs
/// against reading byte by byte, in `DataFileTests`, checks the results; a
/// row wrongly left to the byte reader still reads right there, so the
/// cells are checked here.)
final class CSVRowTests: XCTestCase {
    struct Cell: Equatable, CustomStringConvertible {
        var start: Int, end: Int, quoted: Bool, doubled: Bool
        var description: String { "\(start)..<\(end)\(quoted ? " quoted" : "")\(doubled ? " doubled" : "")" }
    }

    /// The row at `from` in `text`: where the next starts (nil when not
    /// plain) and its cells.
    func scan(_ text: [UInt8], from: Int = 0, fields: Int, maxField: Int = 1 << 20) -> (next: Int, cells: [Cell])? {
        var cells = [kdk_csv_cell](repeating: kdk_csv_cell(), count: fields)
        let next = text.withUnsafeBufferPointer { b in
            cells.withUnsafeMutableBufferPointer { kdk_csv_row(b.baseAddress, Int64(b.count), Int64(from), Int64(fields), Int64(maxField), $0.baseAddress) }
        }
        guard next >= 0 else { return nil }
        return (Int(next), cells.map { Cell(start: Int($0.start), end: Int($0.end), quoted: $0.quoted != 0, doubled: $0.doubled != 0) })
    }

    func testCellsOfPlainRows() throws {
        let r = try XCTUnwrap(scan(Array("1,ab,\"c,d\",\n".utf8), fields: 4))
        XCTAssertEqual(r.next, 12)
        XCTAssertEqual(r.cells, [Cell(start: 0, end: 1, quoted: false, doubled: false), Cell(start: 2, end: 4, quoted: false, doubled: false),
                                 Cell(start: 6, end: 9, quoted: true, doubled: false), Cell(start: 11, end: 11, quoted: false, doubled: false)])
        let crlf = try XCTUnwrap(scan(Array("x\n\"a\"\"b\",c\r\nnext".utf8), from: 2, fields: 2))
        XCTAssertEqual(crlf.next, 12)
        XCTAssertEqual(crlf.cells, [Cell(start: 3, end: 7, quoted: true, doubled: true), Cell(start: 9, end: 10, quoted: false, doubled: false)])
        // A doubled quote, a closing quote and its comma, an opening quote,
        // each as the last byte of a block and the first of the next.
        for pad in 10...20 {
            let x = String(repeating: "x", count: pad)
            for (text, fields) in [("\"\(x)\"\"\",1\n", 2), ("\"\(x)\",\"y\"\n", 2), ("\(x),\"y\",\"\"\n", 3)] {
                let cells = try XCTUnwrap(scan(Array(text.utf8), fields: fields), text).cells
                XCTAssertEqual(cells.map { String(decoding: Array(text.utf8)[$0.start..<$0.end], as: UTF8.self) },
                               fields == 3 ? [x, "y", ""] : text.hasPrefix("\"\(x)\"\"") ? [x + "\"\"", "1"] : [x, "y"], text)
            }
        }
    }

    func testRowsLeftToTheByteReader() {
        let rows = ["a,b\rc\n", "a\"b,c\n", "\"a\nb\",c\n", "a,b,c\n", "a\n", "\"a\"b,c\n", "a,b", "a,\"b", "\n", "\ra,b\n", "a,b\r",
                    "a,\"b\"\"\n"]
        for row in rows { XCTAssertNil(scan(Array(row.utf8), fields: 2), row.debugDescription) }
        XCTAssertNil(scan([0x61, 0x2C, 0xC3, 0x28, 0x0A], fields: 2), "not UTF-8")
        XCTAssertNil(scan([0x61, 0x2C, 0xED, 0xA0, 0x80, 0x0A], fields: 2), "a surrogate")
        XCTAssertNil(scan(Array("abcd,ef\n".utf8), fields: 2, maxField: 3))
        XCTAssertNotNil(scan(Array("abc,ef\n".utf8), fields: 2, maxField: 3))
        XCTAssertNil(scan(Array("\"abcd\",ef\n".utf8), fields: 2, maxField: 3))
    }

    /// Random rows made of known cells (plain, quoted with commas and
    /// doubled quotes, empty, multi-byte), from a random place in the text:
    /// the scan gives exactly those cells, and with one field more or fewer
    /// leaves the row (as it leaves a blank line).
    func testRandomRowsScanIntoTheirCells() throws {
        var rng = SplitMix(seed: 77)
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        let plain = ["a", "bc", "12", "é", "李雷", "🚀", " ", "x y z", "", "0123456789abcdef"], inQuotes = plain + [",", "\"\"", ", "]
        for _ in 0..<3_000 {
            var text = Array(String(repeating: "p", count: Int(rng.next() % 20)).utf8) + [10]
            let from = text.count
            var want: [Cell] = []
            let fields = 1 + Int(rng.next() % 12)
            for k in 0..<fields {
                if k > 0 { text.append(44) }
                if rng.next() % 3 == 0 {
                    let body = Array((0..<Int(rng.next() % 6)).map { _ in pick(inQuotes) }.joined().utf8)
                    text.append(34)
                    want.append(Cell(start: text.count, end: text.count + body.count, quoted: true, doubled: body.contains(34)))
                    text += body + [34]
                } else {
                    let body = Array((0..<Int(rng.next() % 6)).map { _ in pick(plain) }.joined().utf8)
                    want.append(Cell(start: text.count, end: text.count + body.count, quoted: false, doubled: false))
                    text += body
                }
            }
            text += rng.next() % 2 == 0 ? [10] : [13, 10]
            let end = text.count
            text += Array("more,\"rows\"".utf8)
            if fields == 1 && want[0].start == want[0].end && !want[0].quoted {
                XCTAssertNil(scan(text, from: from, fields: 1), "a blank line")
                continue
            }
            let r = try XCTUnwrap(scan(text, from: from, fields: fields), String(decoding: text, as: UTF8.self).debugDescription)
            XCTAssertEqual(r.next, end)
            XCTAssertEqual(r.cells, want, String(decoding: text, as: UTF8.self))
            XCTAssertNil(scan(text, from: from, fields: fields + 1))
            if fields > 1 { XCTAssertNil(scan(text, from: from, fields: fields - 1)) }
        }
    }
}
