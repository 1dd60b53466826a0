import Foundation

/// An RFC 4180 reader: a header row, fields separated by commas, quoted
/// fields that may hold commas, quotes (doubled) and line breaks, CRLF or LF
/// line ends, an optional UTF-8 byte order mark. The file is read in chunks,
/// so only the parsed cells are kept, never the whole text.
struct CSVReader {
    struct Failure: Error { var message: String; var line: Int; var column: Int; var help: String? }

    let name: String
    /// Cells, column by column; `nil` for an empty unquoted cell.
    var columns: [[String?]] = []
    var header: [String] = []
    /// The 1-based line each data row starts on, for later error messages.
    var rowLines: [Int] = []
    let maxRows: Int

    init(name: String, maxRows: Int) {
        self.name = name
        self.maxRows = maxRows
    }

    mutating func read(_ url: URL, step: () throws -> Void) throws {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw Failure(message: "cannot open '\(name)'", line: 0, column: 0, help: nil)
        }
        defer { try? handle.close() }
        var field: [UInt8] = []
        var row: [String?] = []
        var inQuotes = false
        var quoted = false          // the current field was quoted
        var afterQuote = false      // just saw the closing quote of a field
        var line = 1, column = 1
        var rowLine = 1
        var fieldLine = 1, fieldColumn = 1
        var firstChunk = true
        var pendingCR = false

        func finishField() throws {
            let text: String?
            if field.isEmpty && !quoted {
                text = nil
            } else {
                guard let s = String(validating: field, as: UTF8.self) else {
                    throw Failure(message: "invalid UTF-8 in '\(name)'", line: fieldLine, column: fieldColumn, help: "save the file as UTF-8")
                }
                text = s
            }
            row.append(text)
            field.removeAll(keepingCapacity: true)
            quoted = false
            afterQuote = false
        }

        func finishRow() throws {
            defer { row.removeAll(keepingCapacity: true) }
            if header.isEmpty && columns.isEmpty {
                header = row.enumerated().map { $0.element ?? "column\($0.offset + 1)" }
                columns = Array(repeating: [], count: header.count)
                return
            }
            if row.count == 1 && row[0] == nil { return }  // a blank line
            guard row.count == header.count else {
                throw Failure(message: "row has \(row.count) field\(row.count == 1 ? "" : "s") but the header has \(header.count)",
                              line: rowLine, column: 1, help: "check for a missing or extra comma, or an unquoted comma in a value")
            }
            guard rowLines.count < maxRows else {
                throw Failure(message: "more than \(maxRows) rows", line: rowLine, column: 1, help: "raise the limit with --max-size")
            }
            for (i, v) in row.enumerated() { columns[i].append(v) }
            rowLines.append(rowLine)
            try step()
        }

        while true {
            var chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            if firstChunk {
                firstChunk = false
                if chunk.starts(with: [0xEF, 0xBB, 0xBF]) { chunk = chunk.dropFirst(3) }  // a UTF-8 byte order mark
            }
            for b in chunk {
                if pendingCR {
                    pendingCR = false
                    if b == 10 { continue }  // CRLF: the row already ended at CR
                }
                if inQuotes {
                    if b == 34 { inQuotes = false; afterQuote = true }
                    else {
                        field.append(b)
                        if b == 10 { line += 1; column = 0 }
                    }
                    column += 1
                    continue
                }
                if afterQuote && b == 34 {
                    // A doubled quote inside a quoted field.
                    field.append(34); inQuotes = true; afterQuote = false; column += 1; continue
                }
                switch b {
                case 44:  // ,
                    try finishField()
                    column += 1
                    fieldLine = line; fieldColumn = column
                case 10, 13:
                    try finishField()
                    try finishRow()
                    if b == 13 { pendingCR = true }
                    line += 1; column = 1
                    rowLine = line
                    fieldLine = line; fieldColumn = 1
                case 34:
                    if field.isEmpty && !quoted { inQuotes = true; quoted = true }
                    else {
                        throw Failure(message: "a quote inside an unquoted field", line: line, column: column,
                                      help: "quote the whole field and double the quote: \"say \"\"hi\"\"\"")
                    }
                    column += 1
                default:
                    if afterQuote {
                        throw Failure(message: "unexpected text after a closing quote", line: line, column: column,
                                      help: "a quoted field must end at a comma or the end of the line")
                    }
                    field.append(b)
                    if b & 0xC0 != 0x80 { column += 1 }
                }
            }
        }
        if inQuotes {
            throw Failure(message: "unterminated quoted field", line: fieldLine, column: fieldColumn,
                          help: "close the quote; a quote inside a field is written twice (\"\")")
        }
        if !field.isEmpty || !row.isEmpty || quoted { try finishField(); try finishRow() }
        if header.isEmpty { throw Failure(message: "'\(name)' is empty: it needs a header row", line: 1, column: 1, help: nil) }
    }
}
