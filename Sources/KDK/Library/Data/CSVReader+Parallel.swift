import Foundation
#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
#endif

/// How `CSVReader.read` may split the rows among threads: how many, and a
/// way to run one job per index on them (`Machine.onCores`).
struct ParallelReading {
    let threads: Int
    /// Block size: rows are read in blocks of about this many bytes, each
    /// split among the threads (so only a block, not the file, is in memory;
    /// 4 MiB read a 1M-row file as fast as 16 MiB, with 60 MB less at peak).
    var blockSize = 4 << 20
    /// The file's size in bytes, if known: after the first block, each
    /// column's buffers are reserved at the size the file will need, so they
    /// are not grown (and copied into fresh memory) a dozen times.
    var fileSize = 0
    let run: (Int, @Sendable (Int) -> Void) -> Void
}

/// Reading the rows of a CSV on several threads, with the result of reading
/// byte by byte: the same cells, lines and errors.
///
/// The rows after the header are read in blocks. A block is cut into pieces,
/// one per thread, after the line feeds nearest equal shares, the last after
/// the block's last line feed; each piece is read by a reader of its own
/// that counts lines from 1, and the pieces' rows are then appended in order
/// with their lines shifted, checking the row limit and taking a step per row
/// as reading in order does, then the first piece's error, if any. A cut is
/// right when the piece before it ends between rows (not inside quotes): the
/// first piece starts right, so a piece that starts right and ends between
/// rows starts the next one right. When a cut is wrong (a line feed inside a
/// quoted field) the block is cut again after line feeds outside quotes,
/// found by the parity of the quotes before them (`exactPieces`: a scan of
/// the whole block, which cutting every block that way cost, 7% of reading).
/// A block with no line feed outside quotes (a file whose lines end in CR
/// alone) is read in order, as is the rest of the file after it.
extension CSVReader {
    mutating func readInBlocks(_ start: [UInt8], _ handle: FileHandle, _ parallel: ParallelReading, _ step: () throws -> Void) throws {
        var pending = start
        var atEnd = false
        var typing = self.typing?(header)
        typed = Array(repeating: nil, count: header.count)
        coded = Array(repeating: nil, count: header.count)
        // One buffer the file is read into, again and again: a fresh `Data`
        // for each megabyte read was a page fault per 4 KiB, a quarter of
        // the faults of reading ten million rows.
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { scratch.deallocate() }
        func readChunk() throws -> UnsafeRawBufferPointer {
            while true {
                let n = systemRead(handle.fileDescriptor, scratch.baseAddress, scratch.count)
                if n >= 0 { return UnsafeRawBufferPointer(rebasing: scratch[..<n]) }
                if errno != EINTR { throw Failure(message: "cannot read '\(name)'", line: line, column: 1, help: nil) }
            }
        }
        while true {
            while !atEnd && pending.count < parallel.blockSize {
                let chunk = try readChunk()
                if chunk.isEmpty { atEnd = true } else { pending.append(contentsOf: chunk) }
            }
            // Whether a plan's last piece ends the file (and is finished as its end).
            func finishing(_ plan: [Range<Int>]) -> Bool { atEnd && plan.last?.upperBound == pending.count }
            var plan = Self.pieces(pending, count: parallel.threads, wholeBlock: atEnd)
            var results = readPieces(pending, plan, parallel, typing: typing, finishing: finishing(plan))
            if !Self.cutRight(results, finishing: finishing(plan)) {
                plan = Self.exactPieces(pending, count: parallel.threads, wholeBlock: atEnd)
                results = readPieces(pending, plan, parallel, typing: typing, finishing: finishing(plan))
            }
            guard let cut = plan.last?.upperBound, cut > 0 else {
                // No row end outside quotes: the rest is read in order.
                try pending.withUnsafeBytes { _ = try feed($0, from: 0, stoppingAtARowStart: false, step) }
                while !atEnd {
                    let chunk = try readChunk()
                    if chunk.isEmpty { atEnd = true; break }
                    _ = try feed(chunk, from: 0, stoppingAtARowStart: false, step)
                }
                try finish(step)
                try typeTheRest(typing)
                try codeTheRest()
                return
            }
            let isLast = atEnd && cut == pending.count
            let firstBlock = rowLines.isEmpty
            for piece in results {
                try append(piece, step)
                line += piece.lines
            }
            if firstBlock && !isLast {
                for (c, cells) in typing?.guess(columns) ?? [:] {
                    typed[c] = cells
                    columns[c] = (TextBuffer(), Validity())
                }
                // Text whose texts repeat is coded from now on.
                for c in columns.indices where typed[c] == nil && typing?.isText(c, columns[c].cells, columns[c].present) == true
                                               && CodedText.worthCoding(columns[c].cells) {
                    guard let part = CodedText.part(columns[c].cells, columns[c].present) else { continue }
                    var text = CodedText()
                    guard text.append(part) else { continue }
                    coded[c] = text
                    columns[c] = (TextBuffer(), Validity())
                }
                reserveForTheRest(of: parallel.fileSize, after: cut)
            }
            pending.removeFirst(cut)
            rowLine = line; fieldLine = line; fieldColumn = 1; column = 1
            if isLast { return }
        }
    }

    /// The pieces of `block` at `plan`, each read on a thread of its own.
    func readPieces(_ block: [UInt8], _ plan: [Range<Int>], _ parallel: ParallelReading, typing: CellTyping?, finishing: Bool) -> [Piece] {
        guard !plan.isEmpty else { return [] }
        // What a piece's reader needs, not a copy of this reader: a copy
        // would share the columns, and appending to them would copy them.
        let (name, maxField, header, collects) = (name, maxField, header, badRows != nil)
        let coding = coded.map { $0 != nil }
        return block.withUnsafeBytes { bytes in
            // The block's bytes, read (never written) by every piece's thread;
            // one result slot per piece, each written by its own thread.
            let shared = Unchecked(bytes)
            let slots = Shares<CSVReader.Piece>(plan.count)
            parallel.run(plan.count) { k in
                slots[k] = CSVReader.readPiece(UnsafeRawBufferPointer(rebasing: shared.value[plan[k]]), name: name, maxField: maxField, header: header,
                                               collectingBadRows: collects, finishing: finishing && k == plan.count - 1, typing: typing, coding: coding)
            }
            return (0..<plan.count).compactMap { slots[$0] }
        }
    }

    /// Whether each cut was right: every piece up to the first that fails
    /// ends between rows (the file's last piece may end anywhere: it is
    /// finished as the end of the file).
    static func cutRight(_ pieces: [Piece], finishing: Bool) -> Bool {
        for (k, piece) in pieces.enumerated() {
            if piece.failure != nil { return true }
            if !piece.endsBetweenRows && !(finishing && k == pieces.count - 1) { return false }
        }
        return true
    }

    /// The rows read in order after a typed column's last typed part, typed
    /// as it is (their text dropped).
    mutating func typeTheRest(_ typing: CellTyping?) throws {
        guard let typing else { return }
        for c in columns.indices where columns[c].cells.count > 0 {
            guard typed[c] != nil, let rest = typing.typed(columns[c].cells, columns[c].present, column: c) else { continue }
            if rest.misfit { throw CellTyping.Misfit(column: c) }
            typed[c]!.append(contentsOf: rest)
            columns[c] = (TextBuffer(), Validity())
        }
    }

    /// Room for a file of `fileSize` bytes whose first `read` bytes gave the
    /// cells so far, at their rate and a tenth more (pages never written
    /// cost no memory); the rest grows as it would.
    mutating func reserveForTheRest(of fileSize: Int, after read: Int) {
        guard read > 0, fileSize > read else { return }
        let scale = Double(fileSize) / Double(read) * 1.1
        func room(_ n: Int) -> Int { Int(min(Double(n) * scale, Double(TextBuffer.capacity))) }
        for c in columns.indices {
            columns[c].cells.bytes.reserveCapacity(room(columns[c].cells.bytes.count))
            columns[c].cells.ends.reserveCapacity(room(columns[c].cells.ends.count))
            if let rows = typed[c]?.column.count { typed[c]!.column.reserveCapacity(room(rows)) }
        }
    }

    /// The rows read in order after a coded column's last coded part,
    /// coded too (or, too many distinct texts, the column is bytes again).
    mutating func codeTheRest() throws {
        for c in coded.indices where coded[c] != nil && columns[c].cells.count > 0 {
            if let part = CodedText.part(columns[c].cells, columns[c].present), coded[c]!.append(part) {
                columns[c] = (TextBuffer(), Validity())
                continue
            }
            try uncode(c, line: line)
        }
    }

    /// A coded column as bytes again (a column with too many distinct
    /// texts, or rows read in order); `line`: where the rows being read start.
    mutating func uncode(_ c: Int, line: Int) throws {
        guard let text = coded[c] else { return }
        coded[c] = nil
        guard text.byteCount + columns[c].cells.bytes.count <= TextBuffer.capacity else { throw tooMuchText(c, line: line) }
        var (cells, present) = text.cells
        _ = cells.append(contentsOf: columns[c].cells)  // within 4 GiB: checked
        present.append(contentsOf: columns[c].present)
        columns[c] = (cells, present)
    }

    func tooMuchText(_ c: Int, line: Int) -> Failure {
        Failure(message: "column '\(header[c])' holds more than 4 GiB of text", line: line, column: 1, help: "split the file")
    }

    /// The rows and error of one piece.
    struct Piece {
        var columns: [(cells: TextBuffer, present: Validity)]
        /// Each row's line, and the lines of `badRows` and `failure`, counted
        /// from the piece's first line as line 1.
        var rowLines: RowLines
        var badRows: [(line: Int, reason: String)]?
        var failure: Failure?
        /// The columns typed on the piece's thread (their text dropped).
        var typed: [TypedCells?]
        /// The text columns coded on the piece's thread (their text dropped).
        var coded: [CodedText.Part?]
        /// How many line breaks the piece has.
        var lines: Int
        /// Whether its last byte ends a row, outside quotes.
        var endsBetweenRows: Bool
    }

    /// Where the pieces of `block` start and end: after the line feeds
    /// nearest equal shares of the block, the last after its last line feed
    /// (or at its end, when it is the file's last). Empty when it has none.
    static func pieces(_ block: [UInt8], count: Int, wholeBlock: Bool) -> [Range<Int>] {
        guard let last = wholeBlock ? block.count - 1 : block.lastIndex(of: 10), last >= 0 else { return [] }
        let end = last + 1
        var cuts = [0]
        for k in 1..<max(count, 1) {
            guard let lf = block[(end * k / count)..<end].firstIndex(of: 10), lf + 1 > cuts[cuts.count - 1], lf + 1 < end else { continue }
            cuts.append(lf + 1)
        }
        cuts.append(end)
        return (1..<cuts.count).map { cuts[$0 - 1]..<cuts[$0] }
    }

    /// Where the pieces of `block` start and end: after line feeds outside
    /// quotes (by the parity of the quotes before them: a doubled quote
    /// inside a quoted field counts twice), the last after the block's last
    /// one, or at its end when it is the file's last. Empty when no row ends in it.
    static func exactPieces(_ block: [UInt8], count: Int, wholeBlock: Bool) -> [Range<Int>] {
        var cuts = [0]
        var last: Int? = nil
        var next = block.count / count
        var inQuotes = false
        block.withUnsafeBufferPointer { b in
            var i = -1
            while true {
                i += 1
                guard i < b.count else { break }
                // Eight bytes at a time while none is a quote or a line feed.
                if let base = b.baseAddress {
                    while i + 8 <= b.count {
                        let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                        if TextBytes.has(w, 34) || TextBytes.has(w, 10) { break }
                        i += 8
                    }
                    guard i < b.count else { break }
                }
                if b[i] == 34 { inQuotes.toggle(); continue }
                if b[i] == 10 && !inQuotes {
                    last = i + 1
                    if i + 1 >= next && cuts.count < count { cuts.append(i + 1); next = block.count * cuts.count / count }
                }
            }
            if wholeBlock { last = b.count }
        }
        guard let end = last, end > 0 else { return [] }
        cuts = cuts.filter { $0 < end } + [end]
        return (1..<cuts.count).map { cuts[$0 - 1]..<cuts[$0] }
    }

    /// Reads one piece with a reader of its own, its lines counted from 1.
    static func readPiece(_ bytes: UnsafeRawBufferPointer, name: String, maxField: Int, header: [String],
                          collectingBadRows: Bool, finishing: Bool, typing: CellTyping?, coding: [Bool]) -> Piece {
        var r = CSVReader(name: name, maxRows: Int.max, maxField: maxField)
        r.header = header
        r.columns = Array(repeating: (TextBuffer(), Validity()), count: header.count)
        r.badRows = collectingBadRows ? [] : nil
        if let typing { r.typeDirectly(header.indices.map { typing.typing(column: $0) }) }
        var failure: Failure? = nil
        do {
            _ = try r.feed(bytes, from: 0, stoppingAtARowStart: false, {})
            if finishing { try r.finish() }
        } catch let f as Failure {
            failure = f
        } catch {
            failure = Failure(message: "\(error)", line: r.line, column: r.column, help: nil)
        }
        var typed = [TypedCells?](repeating: nil, count: header.count)
        var coded = [CodedText.Part?](repeating: nil, count: header.count)
        for c in header.indices {
            if c < coding.count && coding[c], let part = CodedText.part(r.columns[c].cells, r.columns[c].present) {
                coded[c] = part
                r.columns[c] = (TextBuffer(), Validity())
                continue
            }
            if !r.typedDirectly.isEmpty && r.typedDirectly[c] { typed[c] = r.direct[c] }
        }
        return Piece(columns: r.columns, rowLines: r.rowLines, badRows: r.badRows, failure: failure, typed: typed, coded: coded,
                     lines: r.line - 1, endsBetweenRows: r.atRowStart)
    }

    /// A piece's rows after these, their lines shifted to follow this
    /// reader's: the row limit checked and a step taken for each, as reading
    /// them in order does; then the piece's error, if any.
    mutating func append(_ piece: Piece, _ step: () throws -> Void) throws {
        let shift = line - 1
        for i in piece.rowLines.indices {
            guard rowLines.count + i < maxRows else {
                throw Failure(message: "more than \(maxRows) rows", line: piece.rowLines[i] + shift, column: 1, help: "raise Limits.maxSize")
            }
            try step()
        }
        for c in columns.indices {
            if let part = piece.typed[c] {
                if part.misfit { throw CellTyping.Misfit(column: c) }
                if typed[c] == nil { typed[c] = part } else { typed[c]!.append(contentsOf: part) }
                continue
            }
            var cells = piece.columns[c]
            if coded[c] != nil {
                if let part = piece.coded[c], coded[c]!.append(part) { continue }
                // Too many distinct texts: the column is kept as bytes.
                try uncode(c, line: piece.rowLines.first.map { $0 + shift } ?? line)
                if let part = piece.coded[c] { cells = (part.cells, part.present) }
            }
            guard columns[c].cells.append(contentsOf: cells.cells) else { throw tooMuchText(c, line: piece.rowLines.first.map { $0 + shift } ?? line) }
            columns[c].present.append(contentsOf: cells.present)
        }
        rowLines.append(contentsOf: piece.rowLines, shiftedBy: shift)
        if let bad = piece.badRows { badRows? += bad.map { ($0.line + shift, $0.reason) } }
        if var failure = piece.failure {
            failure.line += shift
            throw failure
        }
    }
}
