import Foundation

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
/// The rows after the header are read in blocks. A block ends after the last
/// line feed outside quotes, and is cut into pieces, one per thread, after
/// line feeds outside quotes near equal shares. Whether a byte is inside
/// quotes is the parity of the quotes before it in the block (a doubled quote
/// inside a quoted field counts twice): true of every file that reads without
/// error up to that byte, and an error before it is found first, by an
/// earlier piece. Each piece is read by a reader of its own that starts at
/// the piece's line; the pieces' rows are then appended in order, checking
/// the row limit and taking a step per row as reading in order does, then
/// the first piece's error, if any. A block with no line feed outside quotes
/// (a file whose lines end in CR alone) is read in order, as is the rest of
/// the file after it.
extension CSVReader {
    mutating func readInBlocks(_ start: [UInt8], _ handle: FileHandle, _ parallel: ParallelReading, _ step: () throws -> Void) throws {
        var pending = start
        var atEnd = false
        while true {
            while !atEnd && pending.count < parallel.blockSize {
                let chunk = try handle.read(upToCount: parallel.blockSize) ?? Data()
                if chunk.isEmpty { atEnd = true } else { pending.append(contentsOf: chunk) }
            }
            let plan = Self.pieces(pending, count: parallel.threads, firstLine: line, wholeBlock: atEnd)
            guard let cut = plan.last?.end, cut > 0 else {
                // No row end outside quotes: the rest is read in order.
                try pending.withUnsafeBytes { _ = try feed($0, from: 0, stoppingAtARowStart: false, step) }
                while !atEnd {
                    let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
                    if chunk.isEmpty { atEnd = true; break }
                    try chunk.withUnsafeBytes { _ = try feed($0, from: 0, stoppingAtARowStart: false, step) }
                }
                try finish(step)
                return
            }
            var results = [Piece?](repeating: nil, count: plan.count)
            let isLast = atEnd && cut == pending.count
            // What a piece's reader needs, not a copy of this reader: a copy
            // would share the columns, and appending to them would copy them.
            let (name, maxField, header, collects) = (name, maxField, header, badRows != nil)
            pending.withUnsafeBytes { bytes in
                // The block's bytes, read (never written) by every piece's thread;
                // one result slot per piece, each written by its own thread.
                let shared = Unchecked(bytes)
                let slots = Shares<CSVReader.Piece>(plan.count)
                parallel.run(plan.count) { k in
                    slots[k] = CSVReader.readPiece(shared.value, plan[k], name: name, maxField: maxField, header: header,
                                                   collectingBadRows: collects, finishing: isLast && k == plan.count - 1)
                }
                results = (0..<plan.count).map { slots[$0] }
            }
            let firstBlock = rowLines.isEmpty
            for piece in results {
                guard let piece else { continue }
                try append(piece, step)
                if let failure = piece.failure { throw failure }
            }
            if firstBlock && !isLast { reserveForTheRest(of: parallel.fileSize, after: cut) }
            pending.removeFirst(cut)
            line = plan.last!.endLine
            rowLine = line; fieldLine = line; fieldColumn = 1; column = 1
            if isLast { return }
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
        }
        rowLines.reserveCapacity(room(rowLines.count))
    }

    /// One thread's share of a block: bytes `start..<end`, starting on `line`.
    struct PieceBounds { let start: Int, end: Int, line: Int, endLine: Int }

    /// The rows and error of one piece.
    struct Piece {
        var columns: [(cells: TextBuffer, present: Validity)]
        var rowLines: [Int]
        var badRows: [(line: Int, reason: String)]?
        var failure: Failure?
    }

    /// Where the pieces of `block` start and end: after line feeds outside
    /// quotes, the last ending after the block's last one (or at the block's
    /// end, when it is the file's last). Empty when no row ends in it.
    static func pieces(_ block: [UInt8], count: Int, firstLine: Int, wholeBlock: Bool) -> [PieceBounds] {
        var cuts: [(at: Int, line: Int)] = []
        var last: (at: Int, line: Int)? = nil
        var next = block.count / count
        var inQuotes = false, afterCR = false, line = firstLine
        block.withUnsafeBufferPointer { b in
            var i = -1
            while true {
                i += 1
                guard i < b.count else { break }
                // Eight bytes at a time while none is a quote or a line end.
                if let base = b.baseAddress {
                    while i + 8 <= b.count {
                        let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                        if TextBytes.has(w, 34) || TextBytes.has(w, 10) || TextBytes.has(w, 13) { break }
                        afterCR = false
                        i += 8
                    }
                    guard i < b.count else { break }
                }
                let c = b[i]
                if c == 34 { inQuotes.toggle(); afterCR = false; continue }
                if c == 10 {
                    // A line break, counted as the reader counts it: LF in quotes,
                    // LF not after CR outside them.
                    if inQuotes || !afterCR { line += 1 }
                    afterCR = false
                    if !inQuotes {
                        last = (i + 1, line)
                        if i + 1 >= next && cuts.count < count - 1 { cuts.append((i + 1, line)); next = block.count * (cuts.count + 1) / count }
                    }
                } else if c == 13 && !inQuotes {
                    line += 1; afterCR = true
                } else {
                    afterCR = false
                }
            }
            if wholeBlock { last = (b.count, line) }
        }
        guard let end = last, end.at > 0 else { return [] }
        var bounds: [PieceBounds] = []
        var from = (at: 0, line: firstLine)
        for c in cuts where c.at < end.at {
            bounds.append(PieceBounds(start: from.at, end: c.at, line: from.line, endLine: c.line))
            from = c
        }
        bounds.append(PieceBounds(start: from.at, end: end.at, line: from.line, endLine: end.line))
        return bounds
    }

    /// Reads one piece with a reader of its own, starting at its line.
    static func readPiece(_ bytes: UnsafeRawBufferPointer, _ p: PieceBounds, name: String, maxField: Int, header: [String],
                          collectingBadRows: Bool, finishing: Bool) -> Piece {
        var r = CSVReader(name: name, maxRows: Int.max, maxField: maxField)
        r.header = header
        r.columns = Array(repeating: (TextBuffer(), Validity()), count: header.count)
        r.line = p.line; r.rowLine = p.line; r.fieldLine = p.line
        r.badRows = collectingBadRows ? [] : nil
        var failure: Failure? = nil
        do {
            _ = try r.feed(UnsafeRawBufferPointer(rebasing: bytes[p.start..<p.end]), from: 0, stoppingAtARowStart: false, {})
            if finishing { try r.finish() }
        } catch let f as Failure {
            failure = f
        } catch {
            failure = Failure(message: "\(error)", line: r.line, column: r.column, help: nil)
        }
        return Piece(columns: r.columns, rowLines: r.rowLines, badRows: r.badRows, failure: failure)
    }

    /// A piece's rows after these: the row limit checked and a step taken
    /// for each, as reading them in order does.
    mutating func append(_ piece: Piece, _ step: () throws -> Void) throws {
        for (i, l) in piece.rowLines.enumerated() {
            guard rowLines.count + i < maxRows else {
                throw Failure(message: "more than \(maxRows) rows", line: l, column: 1, help: "raise Limits.maxSize")
            }
            try step()
        }
        for c in columns.indices {
            guard columns[c].cells.append(contentsOf: piece.columns[c].cells) else {
                throw Failure(message: "column '\(header[c])' holds more than 4 GiB of text", line: piece.rowLines.first ?? line, column: 1,
                              help: "split the file")
            }
            columns[c].present.append(contentsOf: piece.columns[c].present)
        }
        rowLines += piece.rowLines
        if let bad = piece.badRows { badRows? += bad }
    }
}
