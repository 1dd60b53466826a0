import Foundation

/// Reading and writing data files: CSV and JSON. Paths are relative to the
/// folder the host grants (for the kdk command, the script's folder).
enum DataLibrary {
    static func typesArgument(_ v: Value, _ fn: String) throws -> [String: CellType] {
        switch v {
        case .none: return [:]
        case .record(let r):
            var out: [String: CellType] = [:]
            for (k, t) in r.fields {
                guard let ct = CellType(t) else {
                    throw EvalError("\(fn): the type of '\(k)' must be \"number\", \"text\", \"bool\", \"time\", \"date\" or a unit such as USD, not \(t.literal())")
                }
                out[k] = ct
            }
            return out
        default:
            throw EvalError("\(fn): types must be a record such as {likes: \"number\", amount: USD}")
        }
    }

    /// What `read_csv` does with a row it cannot read: stop with an error
    /// (the default), leave it out with a warning, or return it with the rest.
    enum OnError: String { case stop, skip, collect }

    /// `read_csv`'s options beyond the path.
    struct CSVOptions {
        var types: [String: CellType] = [:]
        /// With `shape:`, the columns the rows keep, in the shape's order.
        var columns: [String]?
        var reading = CellType.Reading()
        var onError = OnError.stop
    }

    static func csvOptions(_ a: Arguments) throws -> CSVOptions {
        var o = CSVOptions()
        o.types = try typesArgument(a["types"], "read_csv")
        if !a.isNone("shape") {
            // A shape is a record of column types, as `types:` takes; the rows
            // keep exactly its columns, so they are what the checker knew.
            let shape = try a.record("shape")
            guard o.types.isEmpty else { throw EvalError("read_csv: give shape: or types:, not both") }
            o.types = try typesArgument(.record(shape), "read_csv")
            o.columns = shape.shape.names
        }
        o.reading.grouped = true
        if !a.isNone("offset") {
            let s = try a.text("offset")
            guard case .time? = try? Calendar.parse(Substring("2000-01-01T00:00" + s)) else {
                throw EvalError("read_csv: offset \(Value.quote(s)) is not a UTC offset", help: "write it as \"+08:00\", \"-05:00\" or \"Z\"")
            }
            o.reading.offset = s
        }
        let e = try a.text("on_error")
        guard let mode = OnError(rawValue: e) else {
            throw EvalError("read_csv: on_error must be \"stop\", \"skip\" or \"collect\", not \(Value.quote(e))")
        }
        o.onError = mode
        return o
    }

    static func readCSV(_ path: String, _ options: CSVOptions, _ m: Machine) throws -> Value {
        let url = try m.access.resolve(path, writing: false)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw EvalError("cannot find '\(path)' (looked for \(url.path))", help: "paths are relative to the script's folder, or to --data-root")
        }
        // Columns are typed as the file is read in blocks (`CellTyping`); a
        // guess a later cell belies is not made again on the next read.
        func typing(_ header: [String], _ unguessed: Set<Int>) -> CellTyping {
            CellTyping(header: header, declared: options.types, reading: options.reading, stopAtFirst: options.onError == .stop,
                       path: path, unguessed: unguessed)
        }
        var unguessed = Set<Int>()
        var reader: CSVReader
        while true {
            reader = CSVReader(name: path, maxRows: m.limits.maxSize, maxField: m.limits.maxSize)
            if options.onError != .stop { reader.badRows = [] }
            reader.typing = { [unguessed] header in typing(header, unguessed) }
            do {
                let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
                let threads = m.isWorker || size < m.limits.parallelFrom.bytes ? 1 : m.threadCount
                let parallel = threads > 1 ? ParallelReading(threads: threads, blockSize: m.limits.csvBlockSize, fileSize: size, run: { n, body in _ = m.onCores(n, body) }) : nil
                try reader.read(url, parallel: parallel) { try m.step() }
            } catch let f as CSVReader.Failure {
                throw EvalError("\(path):\(f.line):\(f.column): \(f.message)", help: f.help)
            } catch let misfit as CellTyping.Misfit {
                unguessed.insert(misfit.column)
                continue
            }
            break
        }
        for k in options.types.keys where !reader.header.contains(k) {
            throw EvalError("\(path) has no column '\(k)'", help: Suggest.help(for: k, in: reader.header) ?? "its columns are \(reader.header.joined(separator: ", "))")
        }
        // Rows that cannot be read, by index, with the reason (not when stopping).
        var bad: [Int: String] = [:]
        // The columns the rows keep: all, or a shape's.
        let kept = options.columns.map { names in names.compactMap { reader.header.firstIndex(of: $0) } } ?? Array(reader.header.indices)
        // Each cell is parsed once, as its column's declared type, else as
        // the first type every cell fits, into a column of the table; a text
        // column keeps the bytes as read. Columns typed while reading are
        // finished here; the others are built from their own bytes, which
        // are dropped when each is built. Columns the rows leave out are
        // read too: a bad cell there is still an error, or a row left out.
        let n = reader.rowLines.count
        let raw = Shelf(reader.columns)
        reader.columns = []
        let lines = reader.rowLines, header = reader.header, typed = reader.typed, coded = reader.coded
        reader.coded = []
        // Read on threads (and so typed as read): each column in turn, a
        // text column coded on every core. Read in order: the columns at once.
        let threaded = !typed.isEmpty && n >= m.limits.parallelFrom.rows
        let typing = typing(header, [])
        let build = { (c: Int) -> Result<(Column, [CellFailure]), Error> in
            let (cells, present) = raw.take(c)
            if c < typed.count, let part = typed[c] { return Result { try typing.finished(part, column: c, lines: lines) } }
            if c < coded.count, let text = coded[c] { return .success((text.column, [])) }
            return Result { try typing.column(cells, present, column: c, lines: lines, on: threaded ? m : nil) }
        }
        let built = n >= m.limits.parallelFrom.rows && !threaded ? m.onCores(header.count, build) : header.indices.map(build)
        // The failures in column order, as reading column by column finds
        // them: a row already left out by an earlier column is not looked at.
        var columns: [Int: Column] = [:]
        for (c, result) in built.enumerated() {
            let (column, failures) = try result.get()
            for f in failures where bad[f.row] == nil {
                if let fatal = f.fatal { throw fatal }
                bad[f.row] = f.reason
            }
            if kept.contains(c) { columns[c] = column }
        }
        let table = ColumnTable(shape: Shape.of(kept.map { reader.header[$0] }), columns: kept.map { columns[$0] ?? .values([]) }, count: n)
        let rows = bad.isEmpty ? ValueList(rowsOf: table) : ValueList((0..<n).compactMap { bad[$0] == nil ? .record(Record(table: table, row: $0)) : nil })
        // Every row left out is accounted for: in the result, or in a warning.
        let problems = ((reader.badRows ?? []) + bad.map { (reader.rowLines[$0.key], $0.value) }).sorted { $0.0 < $1.0 }
        switch options.onError {
        case .stop: return .list(rows)
        case .skip:
            if let first = problems.first {
                m.warn("read_csv: left out \(problems.count) row\(problems.count == 1 ? "" : "s") of \(path) that could not be read "
                       + "(first: line \(first.0): \(first.1))", help: "on_error: \"collect\" returns them with their lines and reasons")
            }
            return .list(rows)
        case .collect:
            let errorShape = Shape.of(["file", "line", "reason"])
            let errors = problems.map { p in Value.record(Record.make(shape: errorShape, values: [.text(path), .number(ExactDecimal(p.0)), .text(p.1)])) }
            return .record(Record.make(shape: Shape.of(["rows", "errors"]), values: [.list(rows), .list(errors)]))
        }
    }

    /// A cell of a declared column that cannot be read: the error to stop
    /// with (`fatal`, also when rows that cannot be read are left out, as for
    /// a number beyond kdk's range), else the reason the row is left out.
    struct CellFailure: Error { let row: Int; let reason: String; let fatal: EvalError? }


    static func bytes(_ path: String, _ m: Machine) throws -> [UInt8] {
        let url = try m.access.resolve(path, writing: false)
        guard let data = FileKind.bytes(url) else {
            throw EvalError("cannot read '\(path)'", help: "paths are relative to the script's folder")
        }
        return data
    }

    static func readJSON(_ path: String, _ m: Machine) throws -> Value {
        var r = JSONReader(try bytes(path, m))
        do { return try r.document() } catch let f as JSONReader.Failure {
            throw EvalError("\(path):\(f.line):\(f.column): \(f.message)")
        }
    }

    static func readJSONL(_ path: String, _ m: Machine) throws -> Value {
        let all = try bytes(path, m)
        // Lines that are records of one shape are kept as a table's rows.
        var out = TableBuilder()
        var lines = 0
        var line = 0
        for piece in all.split(separator: 10, omittingEmptySubsequences: false) {
            line += 1
            var bytes = Array(piece)
            if bytes.last == 13 { bytes.removeLast() }
            if bytes.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            var r = JSONReader(bytes)
            do { out.append(try r.document()) } catch let f as JSONReader.Failure {
                throw EvalError("\(path):\(line):\(f.column): \(f.message)")
            }
            lines += 1
            try m.step()
        }
        try m.checkSize(lines)
        return .list(out.rows)
    }

    /// A CSV cell: what `read_csv` reads back as the same value.
    static func cell(_ v: Value) -> String {
        let s: String
        switch v {
        case .none: return ""
        case .text(let t): s = t
        case .number(let d): return d.description
        default: s = v.literal()
        }
        if s.isEmpty { return "\"\"" }
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || s.hasPrefix(" ") || s.hasSuffix(" ") {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    static func writeCSV(_ path: String, _ rows: [Value], _ m: Machine) throws -> Value {
        var columns: [String] = []
        var seen = Set<String>()
        var records: [Record] = []
        for v in rows {
            guard case .record(let r) = v else { throw EvalError("write_csv needs a list of records, found \(Operators.describe(v))") }
            for n in r.shape.names where seen.insert(n).inserted { columns.append(n) }
            records.append(r)
        }
        var out = columns.map { cell(.text($0)) }.joined(separator: ",") + "\n"
        for r in records {
            try m.step()
            out += columns.map { c in r[c].map(cell) ?? "" }.joined(separator: ",") + "\n"
        }
        try write(path, out, m)
        return .number(ExactDecimal(records.count))
    }

    static func write(_ path: String, _ text: String, _ m: Machine) throws {
        let url = try m.access.resolve(path, writing: true)
        let mode = FileKind.mode(url)
        do { try text.write(to: url, atomically: true, encoding: .utf8) } catch {
            throw EvalError("cannot write '\(path)': \(error.localizedDescription)")
        }
        // The atomic write made a new file: give it the old one's permissions.
        if let mode { chmod(url.path, mode) }
    }

    static let functions: [Builtin] = [
        Builtin("read_csv", [Parameter("path").accepting(.text), Parameter.optional("types"), Parameter.optional("shape"), Parameter.optional("offset"),
                             Parameter("on_error", default: .text("stop"))], reads: .csv,
                doc: "rows of a CSV file as records; column types inferred, or fixed with types: {col: \"number\"} "
                    + "(then \"1,234.50\" reads as a number); offset: \"+08:00\" for times written without one; "
                    + "on_error: \"stop\", \"skip\" or \"collect\" for rows that cannot be read") { a, m in
            try readCSV(try a.text("path"), try csvOptions(a), m)
        },
        Builtin("read_json", [Parameter("path").accepting(.text)], reads: .json, doc: "a JSON file as kdk values (objects are records)") { a, m in
            try readJSON(try a.text("path"), m)
        },
        Builtin("read_jsonl", [Parameter("path").accepting(.text)], reads: .jsonLines, doc: "a JSON Lines file: one value per line, as a list") { a, m in
            try readJSONL(try a.text("path"), m)
        },
        Builtin("write_csv", [Parameter("path").accepting(.text), Parameter("rows")], effects: true, doc: "write records as CSV (header from their fields); gives the row count") { a, m in
            try writeCSV(try a.text("path"), try a.list("rows"), m)
        },
        Builtin("write_json", [Parameter("path").accepting(.text), Parameter("value")], effects: true, doc: "write a value as JSON; gives none") { a, m in
            try write(try a.text("path"), JSONWriter.encode(a["value"], m) + "\n", m)
            return .none
        },
        Builtin("parse_json", [Parameter("text").accepting(.text)], doc: "a JSON text as kdk values") { a, _ in
            var r = JSONReader(Array(try a.text("text").utf8))
            do { return try r.document() } catch let f as JSONReader.Failure {
                throw EvalError("JSON \(f.line):\(f.column): \(f.message)")
            }
        },
        Builtin("to_json", [Parameter("value")], doc: "a value as JSON text") { a, m in .text(try JSONWriter.encode(a["value"], m)) },
        Builtin("time", [Parameter("text").accepting(.text)], doc: "parse an ISO 8601 time with offset, e.g. from a JSON string") { a, _ in
            if case .time = a["text"] { return a["text"] }
            let s = try a.text("text")
            do {
                guard case .time(let t) = try Calendar.parse(Substring(s)) else { throw EvalError("'\(s)' is a date, not a time") }
                return .time(t)
            } catch Calendar.ParseError.message(let msg, let help) { throw EvalError(msg, help: help) }
        },
    ]
}

extension Machine {
    /// Writes a text file where the host allows (for model kinds and host
    /// functions: charts, reports).
    public func writeText(_ path: String, _ text: String) throws {
        try DataLibrary.write(path, text, self)
    }
}
