import CTextScan
import Foundation

/// An RFC 4180 reader: a header row, fields separated by commas, quoted
/// fields that may hold commas, quotes (doubled) and line breaks, CRLF or LF
/// line ends, an optional UTF-8 byte order mark. The file is read in 1 MiB
/// chunks, so only the parsed cells are kept, never the whole text.
///
/// Written by hand: it is a small byte state machine, and it must report the
/// line and column of every kind of malformed input.
struct CSVReader {
    struct Failure: Error { var message: String; var line: Int; var column: Int; var help: String? }

    let name: String
    /// Cells, column by column, as the file's bytes: an empty unquoted
    /// cell is marked absent (none). A text column is kept as it is read.
    var columns: [(cells: TextBuffer, present: Validity)] = []
    var header: [String] = []
    /// The 1-based line each data row starts on, for later error messages.
    var rowLines = RowLines()
    let maxRows: Int
    /// The longest field, in bytes: a file with no line break is not read
    /// into one unbounded buffer.
    let maxField: Int
    /// When set, a row with the wrong number of fields is listed here
    /// (line, reason) and left out, instead of stopping the read.
    var badRows: [(line: Int, reason: String)]? = nil
    /// When reading in blocks: how columns are typed as they are read
    /// (`CellTyping`), made once the header is known.
    var typing: ((_ header: [String]) -> CellTyping)? = nil
    /// The columns typed as they were read; their `columns` stay empty.
    var typed: [TypedCells?] = []
    /// The text columns coded as they were read (`CodedText`); their
    /// `columns` stay empty.
    var coded: [CodedText?] = []
    /// The columns typed cell by cell as they are read (a piece's columns
    /// of a known type, `readPiece`): their cells go from the file's bytes
    /// straight into the typed column, with no copy as text first; their
    /// `columns` stay empty. Empty, or one entry per column, used where
    /// `typedDirectly` says (`typeDirectly`). Not optionals: reading one
    /// through `!` copied it, a retain and release of each of its arrays.
    private(set) var direct: [TypedCells] = []
    private(set) var typedDirectly: [Bool] = []

    /// Types these columns (those not nil) cell by cell as they are read.
    mutating func typeDirectly(_ columns: [TypedCells?]) {
        direct = columns.map { $0 ?? TypedCells(as: .text, declared: false, CellType.Reading(), stopAtFirst: false) }
        typedDirectly = columns.map { $0 != nil }
    }

    // Parsing state (kept here rather than in local variables captured by
    // nested functions, which would cost a dynamic exclusivity check per byte).
    /// The fields of the row being read: their bytes one after another,
    /// where each ends, and whether each is present. A row is checked whole
    /// before its fields go to the columns. The field being read is the
    /// bytes from `fieldStart` on (read straight into the row's bytes: a
    /// buffer of its own cost a copy of every byte).
    var rowBytes: [UInt8] = []
    var rowEnds: [Int] = []
    private var rowPresent: [Bool] = []
    var fieldStart = 0
    /// How many bytes of the field being read there are.
    var fieldLength: Int { rowBytes.count - fieldStart }
    var inQuotes = false
    var quoted = false
    var afterQuote = false
    var line = 1, column = 1
    var rowLine = 1
    var fieldLine = 1, fieldColumn = 1
    var pendingCR = false

    init(name: String, maxRows: Int, maxField: Int = 1 << 26) {
        self.name = name
        self.maxRows = maxRows
        self.maxField = maxField
    }

    /// The header row of a CSV file, read from its first 64 KB; nil when
    /// the file cannot be read or has no complete header there. What the
    /// checker uses to know the columns before anything runs.
    static func header(of url: URL) -> [String]? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard var chunk = try? handle.read(upToCount: 1 << 16), !chunk.isEmpty else { return nil }
        if chunk.starts(with: [0xEF, 0xBB, 0xBF]) { chunk = chunk.dropFirst(3) }
        var reader = CSVReader(name: url.lastPathComponent, maxRows: 0)
        for b in chunk {
            if (try? reader.feed(b, {})) == nil { return nil }
            if !reader.header.isEmpty { return reader.header }
        }
        return nil
    }

    /// Reads the file, in 1 MiB chunks; with `parallel`, the rows after the
    /// header in blocks split among threads (`CSVReader+Parallel.swift`).
    mutating func read(_ url: URL, parallel: ParallelReading? = nil, step: () throws -> Void) throws {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw Failure(message: "cannot open '\(name)'", line: 0, column: 0, help: nil)
        }
        defer { try? handle.close() }
        var firstChunk = true
        while true {
            var chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            if firstChunk {
                firstChunk = false
                if chunk.starts(with: [0xEF, 0xBB, 0xBF]) { chunk = chunk.dropFirst(3) }  // a UTF-8 byte order mark
            }
            let rest = try chunk.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Int? in
                try feed(bytes, from: 0, stoppingAtARowStart: parallel != nil, step)
            }
            if let rest, let parallel {
                try readInBlocks(Array(chunk.suffix(from: chunk.startIndex + rest)), handle, parallel, step)
                return
            }
        }
        try finish(step)
    }

    /// Feeds `bytes` from `from`; when stopping at a row start once the
    /// header is read, returns where the next row starts (nil when all
    /// were fed).
    mutating func feed(_ bytes: UnsafeRawBufferPointer, from: Int, stoppingAtARowStart: Bool, _ step: () throws -> Void) throws -> Int? {
        var i = from
        var cells: [kdk_csv_cell] = []  // plain rows' cells (`plainRows`)
        while i < bytes.count {
            if atRowStart && !header.isEmpty {
                if stoppingAtARowStart { return i }
                let next = try plainRows(bytes, from: i, cells: &cells, step)
                if next > i { i = next; continue }
            }
            i = plainRun(bytes, from: i)
            if i < bytes.count { try feed(bytes[i], step); i += 1 }
        }
        return nil
    }

    /// Reads the plain rows from `i` on straight into the columns, and
    /// returns where the first row that is not plain starts (`i` when that
    /// is the first; the end of the bytes when none is). A plain row has the
    /// right number of fields, each unquoted or quoted on one line, none
    /// over the field limit, all UTF-8, and ends by LF or CRLF before the
    /// bytes end. Any other row (a line break in quotes, a lone CR, a blank
    /// line, a row the byte reader reports or leaves out) `feed` reads byte
    /// by byte, with the lines, columns and errors it has always given.
    ///
    /// A row costs one scan (`kdk_csv_row`, in 16-byte blocks) and one copy
    /// of its bytes. Rows are scanned a batch at a time, and each column
    /// then takes the batch's cells in one loop: a cell at a time, each
    /// column's arrays were checked for a unique reference per cell.
    mutating func plainRows(_ bytes: UnsafeRawBufferPointer, from i: Int, cells: inout [kdk_csv_cell],
                            _ step: () throws -> Void) throws -> Int {
        let fields = columns.count
        guard let raw = bytes.baseAddress, fields > 0 else { return i }
        let all = raw.assumingMemoryBound(to: UInt8.self), n = Int64(bytes.count)
        let batch = max(1, 4096 / fields)
        if cells.count < batch * fields { cells = Array(repeating: kdk_csv_cell(), count: batch * fields) }
        var start = i
        while true {
            // A batch's text fits the column with the most: it cannot add
            // more bytes to any column than its rows hold.
            let room = TextBuffer.capacity - columns.reduce(0) { max($0, $1.cells.bytes.count) }
            var rows = 0, end = start
            cells.withUnsafeMutableBufferPointer { cells in
                guard let first = cells.baseAddress else { return }
                while rows < batch && rowLines.count < maxRows {
                    let next = Int(kdk_csv_row(all, n, Int64(end), Int64(fields), Int64(maxField), first + rows * fields))
                    guard next >= 0, next - start <= room else { return }
                    rowLines.append(line)
                    line += 1
                    rows += 1
                    end = next
                }
            }
            guard rows > 0 else { return start }
            cells.withUnsafeBufferPointer { add($0, rows: rows, from: all) }
            column = 1; rowLine = line; fieldLine = line; fieldColumn = 1
            for _ in 0..<rows { try step() }
            start = end
            if rows < batch { return start }
        }
    }

    /// The cells `kdk_csv_row` found in `rows` rows, into the columns, a
    /// column at a time.
    private mutating func add(_ cells: UnsafeBufferPointer<kdk_csv_cell>, rows: Int, from all: UnsafePointer<UInt8>) {
        let fields = columns.count
        @inline(__always) func cell(_ r: Int, _ c: Int) -> (bytes: UnsafeBufferPointer<UInt8>, present: Bool, doubled: Bool) {
            let cell = cells[r * fields + c]
            let bytes = UnsafeBufferPointer(start: all + Int(cell.start), count: Int(cell.end - cell.start))
            return (bytes, cell.quoted != 0 || !bytes.isEmpty, cell.doubled != 0)
        }
        for c in 0..<fields {
            if !typedDirectly.isEmpty && typedDirectly[c] {
                direct.withUnsafeMutableBufferPointer { direct in
                    for r in 0..<rows {
                        let (bytes, present, doubled) = cell(r, c)
                        guard doubled else { direct[c].add(bytes, present: present); continue }
                        // Each doubled quote is one quote in the cell.
                        var unquoted = TextBuffer()
                        _ = unquoted.append(unquoting: bytes)
                        unquoted.bytes.withUnsafeBufferPointer { direct[c].add($0, present: present) }
                    }
                }
                continue
            }
            columns.withUnsafeMutableBufferPointer { columns in
                for r in 0..<rows {
                    let (bytes, present, doubled) = cell(r, c)
                    // Each doubled quote is one quote in the cell.
                    _ = doubled ? columns[c].cells.append(unquoting: bytes) : columns[c].cells.append(bytes)
                    columns[c].present.append(present)
                }
            }
        }
    }

    /// Between rows: nothing of a row read yet, and no CR waiting for its LF.
    var atRowStart: Bool { rowBytes.isEmpty && rowEnds.isEmpty && !inQuotes && !quoted && !afterQuote && !pendingCR }

    /// Ends the input: the last row, or the error of an open quote or no header.
    mutating func finish(_ step: () throws -> Void = {}) throws {
        if inQuotes {
            throw Failure(message: "unterminated quoted field", line: fieldLine, column: fieldColumn,
                          help: "close the quote; a quote inside a field is written twice (\"\")")
        }
        if fieldLength > 0 || !rowEnds.isEmpty || quoted { try finishField(); try finishRow(step) }
        if header.isEmpty { throw Failure(message: "'\(name)' is empty: it needs a header row", line: 1, column: 1, help: nil) }
    }

    /// Takes the bytes from `i` that cannot end or quote a field (inside an
    /// unquoted field: all but `,` `"` CR LF; inside quotes: all but `"` and
    /// LF) in one append, and returns where that run ends. What `feed` does
    /// byte by byte, several times faster: appending one byte at a time was
    /// the reader's main cost (scripts/bench/csv).
    @inline(__always)
    mutating func plainRun(_ bytes: UnsafeRawBufferPointer, from i: Int) -> Int {
        guard !pendingCR && !afterQuote else { return i }
        var j = i, glyphs = 0
        if inQuotes {
            while j < bytes.count, bytes[j] != 34, bytes[j] != 10 { j += 1 }
            glyphs = j - i  // inside quotes every byte counts as a column, as in `feed`
        } else {
            // Eight bytes at a time while none of them ends or quotes the field.
            if let base = bytes.baseAddress {
                while j + 8 <= bytes.count {
                    let w = (base + j).loadUnaligned(as: UInt64.self)
                    if TextBytes.has(w, 44) || TextBytes.has(w, 34) || TextBytes.has(w, 10) || TextBytes.has(w, 13) { break }
                    glyphs += TextBytes.scalarStarts(w)
                    j += 8
                }
            }
            while j < bytes.count {
                let b = bytes[j]
                if b == 44 || b == 34 || b == 10 || b == 13 { break }
                if b & 0xC0 != 0x80 { glyphs += 1 }
                j += 1
            }
            // A quote after plain bytes is an error `feed` reports: leave the
            // quote to it with the field as `feed` would have built it.
        }
        if j == i { return i }
        let room = maxField - fieldLength
        if j - i > room {
            // Over the cap: let `feed` take the bytes up to it and report.
            rowBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<(i + max(room, 0))]))
            return i + max(room, 0)
        }
        rowBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<j]))
        column += glyphs
        return j
    }

    @inline(__always)
    mutating func feed(_ b: UInt8, _ step: () throws -> Void) throws {
        if pendingCR {
            pendingCR = false
            if b == 10 { return }  // CRLF: the row already ended at CR
        }
        if inQuotes {
            if b == 34 { inQuotes = false; afterQuote = true }
            else {
                rowBytes.append(b)
                if b == 10 { line += 1; column = 0 }
                if fieldLength > maxField { throw tooLong() }
            }
            column += 1
            return
        }
        if afterQuote && b == 34 {
            // A doubled quote inside a quoted field.
            rowBytes.append(34); inQuotes = true; afterQuote = false; column += 1
            return
        }
        switch b {
        case 44:  // ,
            try finishField()
            column += 1
            fieldLine = line; fieldColumn = column
        case 10, 13:
            try finishField()
            try finishRow(step)
            if b == 13 { pendingCR = true }
            line += 1; column = 1
            rowLine = line
            fieldLine = line; fieldColumn = 1
        case 34:
            guard fieldLength == 0 && !quoted else {
                throw Failure(message: "a quote inside an unquoted field", line: line, column: column,
                              help: "quote the whole field and double the quote: \"say \"\"hi\"\"\"")
            }
            inQuotes = true; quoted = true
            column += 1
        default:
            if afterQuote {
                throw Failure(message: "unexpected text after a closing quote", line: line, column: column,
                              help: "a quoted field must end at a comma or the end of the line")
            }
            rowBytes.append(b)
            if b & 0xC0 != 0x80 { column += 1 }
            if fieldLength > maxField { throw tooLong() }
        }
    }

    /// Column `c`'s cells as text, nil where absent (for tests and messages).
    func cells(_ c: Int) -> [String?] {
        (0..<columns[c].cells.count).map { columns[c].present[$0] ? columns[c].cells.text($0) : nil }
    }

    private func tooLong() -> Failure {
        Failure(message: "a field longer than \(maxField) bytes (the size limit)", line: fieldLine, column: fieldColumn,
                help: "check that the file is CSV with line breaks; raise Limits.maxSize")
    }

    private mutating func finishField() throws {
        if !rowBytes.withUnsafeBufferPointer({ TextBytes.isValidUTF8(UnsafeBufferPointer(rebasing: $0[fieldStart...])) }) {
            throw Failure(message: "invalid UTF-8 in '\(name)'", line: fieldLine, column: fieldColumn, help: "save the file as UTF-8")
        }
        rowEnds.append(rowBytes.count)
        rowPresent.append(fieldLength > 0 || quoted)
        fieldStart = rowBytes.count
        quoted = false
        afterQuote = false
    }

    private mutating func finishRow(_ step: () throws -> Void) throws {
        defer {
            rowBytes.removeAll(keepingCapacity: true); rowEnds.removeAll(keepingCapacity: true); rowPresent.removeAll(keepingCapacity: true)
            fieldStart = 0
        }
        let fields = rowEnds.count
        if header.isEmpty && columns.isEmpty {
            header = (0..<fields).map { i in
                rowPresent[i] ? String(decoding: rowBytes[(i == 0 ? 0 : rowEnds[i - 1])..<rowEnds[i]], as: UTF8.self) : "column\(i + 1)"
            }
            var first: [String: Int] = [:]
            for (i, name) in header.enumerated() {
                if let j = first[name] {
                    throw Failure(message: "columns \(j + 1) and \(i + 1) are both named '\(name)'", line: rowLine, column: 1,
                                  help: "rename one in the header: a record keeps one value per name")
                }
                first[name] = i
            }
            columns = Array(repeating: (TextBuffer(), Validity()), count: header.count)
            return
        }
        if fields == 1 && !rowPresent[0] { return }  // a blank line
        guard fields == header.count else {
            if badRows != nil {
                badRows?.append((rowLine, "row has \(fields) field\(fields == 1 ? "" : "s") but the header has \(header.count)"))
                return
            }
            throw Failure(message: "row has \(fields) field\(fields == 1 ? "" : "s") but the header has \(header.count)",
                          line: rowLine, column: 1, help: "check for a missing or extra comma, or an unquoted comma in a value")
        }
        guard rowLines.count < maxRows else {
            throw Failure(message: "more than \(maxRows) rows", line: rowLine, column: 1, help: "raise Limits.maxSize")
        }
        try rowBytes.withUnsafeBufferPointer { bytes in
            var start = 0
            for i in 0..<fields {
                defer { start = rowEnds[i] }
                if !typedDirectly.isEmpty && typedDirectly[i] {
                    direct[i].add(UnsafeBufferPointer(rebasing: bytes[start..<rowEnds[i]]), present: rowPresent[i])
                    continue
                }
                guard columns[i].cells.append(UnsafeBufferPointer(rebasing: bytes[start..<rowEnds[i]])) else {
                    throw Failure(message: "column '\(header[i])' holds more than 4 GiB of text", line: rowLine, column: 1,
                                  help: "split the file")
                }
                columns[i].present.append(rowPresent[i])
            }
        }
        rowLines.append(rowLine)
        try step()
    }
}
