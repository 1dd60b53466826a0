/// A CSV column's cells parsed as one type (`CellType`): the column, and the
/// cells that are not of the type. What `read_csv` makes of a whole column,
/// or of a part of one: the rows a thread read from a block, typed on that
/// thread while they are in its cache, so that only the typed column is kept
/// (not the text of every cell until the end). Parts join in row order.
struct TypedCells {
    var column = ColumnBuilder()
    /// A declared type's cells that cannot be read (none in the column), by
    /// row from the part's first; only the first when stopping at the first.
    /// Named in messages when the column is finished, by then with its line.
    var failures: [(row: Int, cell: String)] = []
    /// Of an inferred type: a cell is not of it, so the column is not.
    var misfit = false
    /// Of an inferred number: the first cell beyond kdk's range (none in
    /// the column, which is an error if it stays numbers).
    var outOfRange: (row: Int, cell: String)?
    /// Whether any cell is present.
    var anyPresent = false
    /// How the cells are read.
    private let type: CellType, declared: Bool, how: CellType.Reading, stopAtFirst: Bool
    /// After a misfit, or the first failure when stopping there, later
    /// cells are not read.
    private var stopped: Bool { misfit || (stopAtFirst && !failures.isEmpty) }

    /// No cells yet, to be read as `type` (`add`). Declared: a cell that
    /// cannot be read is a failure. Inferred: the first such cell ends the
    /// part as a misfit.
    init(as type: CellType, declared: Bool, _ how: CellType.Reading, stopAtFirst: Bool) {
        self.type = type
        self.declared = declared
        self.how = how
        self.stopAtFirst = stopAtFirst
    }

    /// The cells, present where `present` says, parsed as `type`.
    init(_ cells: TextBuffer, _ present: Validity, as type: CellType, declared: Bool, _ how: CellType.Reading, stopAtFirst: Bool) {
        self.init(as: type, declared: declared, how, stopAtFirst: stopAtFirst)
        add(cells, present)
    }

    /// The cells of a buffer, present where `present` says.
    mutating func add(_ cells: TextBuffer, _ present: Validity) {
        cells.bytes.withUnsafeBufferPointer { b in
            for r in 0..<cells.count where !stopped {
                add(UnsafeBufferPointer(rebasing: b[cells.range(r)]), present: present[r])
            }
        }
    }

    /// The next cell, from its bytes (valid UTF-8, unquoted). Inlined into
    /// the reader's loop for the cells read quickly (`appendQuickly`); a call
    /// per cell was a tenth of reading a file.
    @inline(__always)
    mutating func add(_ u: UnsafeBufferPointer<UInt8>, present: Bool) {
        if present && !stopped && type.appendQuickly(u, to: &column) { anyPresent = true; return }
        addSlowly(u, present: present)
    }

    /// `add` of a cell that is absent, or after the cells stopped, or that
    /// `appendQuickly` declined (it is not tried again).
    @inline(never)
    private mutating func addSlowly(_ u: UnsafeBufferPointer<UInt8>, present: Bool) {
        guard !stopped else { return }
        guard present else { column.append(.none); return }
        anyPresent = true
        let r = column.count, cell = String(decoding: u, as: UTF8.self)
        if let v = type.parse(cell, how) { column.append(v); return }
        if !declared {
            guard type == .number, ExactDecimal.parse(Substring(cell)) == .outOfRange else { misfit = true; return }
            if outOfRange == nil { outOfRange = (r, cell) }
        }
        column.append(.none)
        if declared { failures.append((r, cell)) }
    }

    /// The first inferred type (`CellType.inferred`) every present cell is
    /// of, with the cells as that type; nil when none is (text) or no cell
    /// is present.
    static func inferred(_ cells: TextBuffer, _ present: Validity, _ how: CellType.Reading) -> (CellType, TypedCells)? {
        for t in CellType.inferred {
            let typed = TypedCells(cells, present, as: t, declared: false, how, stopAtFirst: false)
            if !typed.anyPresent { return nil }
            if !typed.misfit { return (t, typed) }
        }
        return nil
    }

    /// Another part's rows after these (its rows numbered after this part's).
    mutating func append(contentsOf other: TypedCells) {
        let offset = column.count
        column.append(contentsOf: other.column)
        failures += other.failures.map { ($0.row + offset, $0.cell) }
        misfit = misfit || other.misfit
        if outOfRange == nil, let o = other.outOfRange { outOfRange = (o.row + offset, o.cell) }
        anyPresent = anyPresent || other.anyPresent
    }
}

/// How `read_csv` types columns while it reads a file in blocks: each column
/// of a declared type, and each column whose cells in the first block are
/// all of one inferred type (a guess: a later cell of another kind makes the
/// column text, and the file is read again without that guess, `Misfit`).
/// Declared text, and columns inferred as text, keep their bytes as read.
struct CellTyping: Sendable {
    /// Per column, the type its cells are parsed as; nil keeps the text.
    private(set) var types: [CellType?]
    private let declared: [Bool]
    private let reading: CellType.Reading
    private let stopAtFirst: Bool
    private let path: String
    private let header: [String]
    /// Columns not to guess: a guess failed on an earlier read.
    private let unguessed: Set<Int>

    /// A column whose guessed type a cell is not of: read the file again.
    struct Misfit: Error { let column: Int }

    init(header: [String], declared: [String: CellType], reading: CellType.Reading, stopAtFirst: Bool, path: String, unguessed: Set<Int>) {
        self.header = header
        types = header.map { declared[$0] == .text ? nil : declared[$0] }
        self.declared = header.map { declared[$0] != nil }
        self.reading = reading
        self.stopAtFirst = stopAtFirst
        self.path = path
        self.unguessed = unguessed
    }

    /// Inference reads no thousands separators.
    private var inferredReading: CellType.Reading { var how = reading; how.grouped = false; return how }

    /// Column `c`'s cells as its type, if it has one.
    func typed(_ cells: TextBuffer, _ present: Validity, column c: Int) -> TypedCells? {
        guard var typed = typing(column: c) else { return nil }
        typed.add(cells, present)
        return typed
    }

    /// Column `c` with no cells yet, to be typed cell by cell as it is read
    /// (`CSVReader.direct`), if it has a type.
    func typing(column c: Int) -> TypedCells? {
        types[c].map { TypedCells(as: $0, declared: declared[c], declared[c] ? reading : inferredReading, stopAtFirst: stopAtFirst) }
    }

    /// The type of each column not yet typed (nor declared, nor unguessed)
    /// whose cells so far are all of one inferred type, with those cells as it.
    mutating func guess(_ columns: [(cells: TextBuffer, present: Validity)]) -> [Int: TypedCells] {
        var out: [Int: TypedCells] = [:]
        for c in columns.indices where types[c] == nil && !declared[c] && !unguessed.contains(c) {
            guard let (t, cells) = TypedCells.inferred(columns[c].cells, columns[c].present, inferredReading) else { continue }
            types[c] = t
            out[c] = cells
        }
        return out
    }

    /// Whether column `c`, whose first cells are these, is text as read
    /// whole (`column`) whatever its other cells: not declared, not typed,
    /// and a present cell here is of no inferred type.
    func isText(_ c: Int, _ cells: TextBuffer, _ present: Validity) -> Bool {
        guard !declared[c], types[c] == nil, (0..<present.count).contains(where: { present[$0] }) else { return false }
        return TypedCells.inferred(cells, present, inferredReading) == nil
    }

    /// A column read whole: typed as declared, else as the first inferred
    /// type all its cells are of, else text.
    func column(_ cells: TextBuffer, _ present: Validity, column c: Int, lines: RowLines, on m: Machine? = nil) throws -> (Column, [DataLibrary.CellFailure]) {
        if declared[c] {
            return try finished(TypedCells(cells, present, as: types[c] ?? .text, declared: true, reading, stopAtFirst: stopAtFirst), column: c, lines: lines)
        }
        guard let (_, typed) = TypedCells.inferred(cells, present, inferredReading) else { return (Column.texts(cells, present, on: m), []) }
        return try finished(typed, column: c, lines: lines)
    }

    /// Column `c` typed (whole, or part by part), with its cells that cannot
    /// be read named (`lines`: each row's line). A number beyond range in a
    /// column of numbers is an error.
    func finished(_ typed: TypedCells, column c: Int, lines: RowLines) throws -> (Column, [DataLibrary.CellFailure]) {
        if let (r, cell) = typed.outOfRange, let e = outOfRange(cell, column: c, line: lines[r]) { throw e }
        let t = types[c] ?? .text
        let failures = typed.failures.map { (r, cell) in
            let reason = "column '\(header[c])' (field \(c + 1)): \(Value.quote(cell)) is not \(t.article) \(t.name)"
            var fatal = outOfRange(cell, column: c, line: lines[r])
            if fatal == nil && stopAtFirst {
                fatal = EvalError("\(path):\(lines[r]): \(reason)",
                                  help: t == .time ? "times need a UTC offset, e.g. 2025-12-19T12:00+08:00, or read_csv(..., offset: \"+08:00\")" : nil)
            }
            return DataLibrary.CellFailure(row: r, reason: reason, fatal: fatal)
        }
        return (typed.column.column, failures)
    }

    /// The error for a cell that is a number beyond kdk's range; nil for any other cell.
    private func outOfRange(_ cell: String, column c: Int, line: Int) -> EvalError? {
        guard ExactDecimal.parse(Substring(cell.trimmingCharacters(in: .whitespaces))) == .outOfRange else { return nil }
        return EvalError("\(path):\(line): column '\(header[c])' (field \(c + 1)): \(Value.quote(cell)) is a \(ExactDecimal.outOfRangeMessage)")
    }
}
