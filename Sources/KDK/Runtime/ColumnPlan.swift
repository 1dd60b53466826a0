import Foundation

/// A one-parameter lambda over rows (`p => p.time in window`), in a form
/// evaluated over a table's columns: each node over many rows at once, with
/// no call, frame or name look-up per row, and on every core. What the
/// compiler makes of a lambda whose body uses only the row's fields,
/// constants, arithmetic, comparisons, `in`, `and`/`or`/`not`, `??`, library
/// functions of one argument that declare a `unary` body (`lower`, `len`,
/// `hashtags`) and `list.any(t => ...)` or any other function that reads a
/// list through a `Fold` (Compile/Compiler+Columns.swift).
///
/// It gives what calling the lambda on each row gives, through the same
/// operators; when it cannot (a value of a kind it does not handle, or any
/// error), it throws, and the caller calls the lambda on each row instead,
/// which gives the result or the error as it always has.
indirect enum ColumnPlan: Sendable {
    /// `p.name`.
    case field(String)
    /// The item of the list an `any` walks (`t` in `tags.any(t => ...)`).
    case element
    case constant(Value)
    /// Code that does not read the row (`window`, `topics`): run once per
    /// evaluation, in the lambda's frame.
    case invariant(CompiledFunction)
    case not(ColumnPlan)
    case negate(ColumnPlan)
    case and(ColumnPlan, ColumnPlan)
    case or(ColumnPlan, ColumnPlan)
    case coalesce(ColumnPlan, ColumnPlan)
    case binary(BinOp, ColumnPlan, ColumnPlan)
    /// A library function's unary body on each value.
    case call(Builtin, ColumnPlan)
    /// `list.any(t => test)`: a fold over each row's list, with its function.
    case fold(any Fold, ColumnPlan, ColumnPlan)

    /// What makes the caller call the lambda on each row instead.
    struct Unsupported: Error {}

    /// The plan with each invariant run once (on `m`, in `f`'s frame).
    func bound(_ f: Function, _ m: Machine) throws -> ColumnPlan {
        switch self {
        case .field, .element, .constant: return self
        case .invariant(let code):
            guard case .closure(_, let captures, let selfObject) = f.impl else { throw Unsupported() }
            // Once for all rows, with no effect allowed; any error (one the
            // rows might never reach, behind an `and`) leaves it to the rows.
            let was = m.hoisting
            m.hoisting = true
            defer { m.hoisting = was }
            do {
                return .constant(try m.call(Function(.closure(code, captures: captures, selfObject: selfObject), home: f.home), .none))
            } catch {
                throw Unsupported()
            }
        case .not(let a): return .not(try a.bound(f, m))
        case .negate(let a): return .negate(try a.bound(f, m))
        case .and(let a, let b): return .and(try a.bound(f, m), try b.bound(f, m))
        case .or(let a, let b): return .or(try a.bound(f, m), try b.bound(f, m))
        case .coalesce(let a, let b): return .coalesce(try a.bound(f, m), try b.bound(f, m))
        case .binary(let op, let a, let b): return .binary(op, try a.bound(f, m), try b.bound(f, m))
        case .call(let c, let a): return .call(c, try a.bound(f, m))
        case .fold(let g, let a, let b): return .fold(g, try a.bound(f, m), try b.bound(f, m))
        }
    }

    /// The plan with each constant list or range copied, so that the threads
    /// reading it do not all count references to the same objects.
    func unshared() -> ColumnPlan {
        switch self {
        case .constant(.list(let xs)): return .constant(.list(xs.map { $0 }))
        case .constant(.range(let r)): return .constant(.range(RangeValue(r.lower, r.upper, closed: r.closed)))
        case .field, .element, .constant, .invariant: return self
        case .not(let a): return .not(a.unshared())
        case .negate(let a): return .negate(a.unshared())
        case .and(let a, let b): return .and(a.unshared(), b.unshared())
        case .or(let a, let b): return .or(a.unshared(), b.unshared())
        case .coalesce(let a, let b): return .coalesce(a.unshared(), b.unshared())
        case .binary(let op, let a, let b): return .binary(op, a.unshared(), b.unshared())
        case .call(let c, let a): return .call(c, a.unshared())
        case .fold(let g, let a, let b): return .fold(g, a.unshared(), b.unshared())
        }
    }

    /// The values over `frame`'s rows (the plan bound: no invariants left).
    func evaluate(_ frame: ColumnFrame) throws -> [Value] {
        let n = frame.rows.count
        if let once = overDistinctTexts(frame, as: { $0 }) { return once }
        if let typed = typedValues(frame) { return typed }
        switch self {
        case .field(let name):
            guard let c = frame.table.shape.slot(name) else { throw Unsupported() }
            return frame.table.columns[c].values(at: frame.rows)
        case .element:
            guard let items = frame.items else { throw Unsupported() }
            return items
        case .constant(let v): return Array(repeating: v, count: n)
        case .invariant: throw Unsupported()
        case .not(let a):
            return try a.evaluate(frame).map { v in
                guard case .bool(let x) = v else { throw Unsupported() }
                return .bool(!x)
            }
        case .negate(let a): return try a.evaluate(frame).map { try Operators.negate($0) }
        case .and(let a, let b), .or(let a, let b):
            // `b` only where `a` does not decide, as `and` and `or` short-circuit.
            let stopAt: Bool = { if case .and = self { return false }; return true }()
            var out = try a.evaluate(frame)
            var rest: [Int] = []
            for i in 0..<n {
                guard case .bool(let x) = out[i] else { throw Unsupported() }
                if x != stopAt { rest.append(i) }
            }
            let more = try b.evaluate(frame.subset(rest))
            for (k, i) in rest.enumerated() {
                guard case .bool = more[k] else { throw Unsupported() }
                out[i] = more[k]
            }
            return out
        case .coalesce(let a, let b):
            var out = try a.evaluate(frame)
            let rest = (0..<n).filter { out[$0].isNone }
            let more = try b.evaluate(frame.subset(rest))
            for (k, i) in rest.enumerated() { out[i] = more[k] }
            return out
        case .binary(let op, let a, .constant(let c)):
            // One side constant (`t in topics`, `p.likes >= 10`): no array of
            // copies of it, each a reference counted per row.
            return try a.evaluate(frame).map { try ColumnPlan.apply(op, $0, c) }
        case .binary(let op, .constant(let c), let b):
            return try b.evaluate(frame).map { try ColumnPlan.apply(op, c, $0) }
        case .binary(let op, let a, let b):
            let x = try a.evaluate(frame), y = try b.evaluate(frame)
            return try (0..<n).map { try ColumnPlan.apply(op, x[$0], y[$0]) }
        case .call(let b, let a):
            guard let unary = b.unary else { throw Unsupported() }
            let names = ArgumentNames(parameter: b.params[0].name, callee: b.name)
            // A text column's cells as bytes, with no String made of each.
            if let onBytes = b.textBytes, case .field(let name) = a, let c = frame.table.shape.slot(name),
               case .text(let buffer, let ok) = frame.table.columns[c] {
                return try withExtendedLifetime(names) {
                    try buffer.bytes.withUnsafeBufferPointer { bytes in
                        try frame.rows.map { r in
                            ok[r] ? onBytes(UnsafeBufferPointer(rebasing: bytes[buffer.range(r)]))
                                  : try unary(UnaryArgument(value: .none, names: names))
                        }
                    }
                }
            }
            return try withExtendedLifetime(names) { try a.evaluate(frame).map { try unary(UnaryArgument(value: $0, names: names)) } }
        case .fold(let fold, let list, let function):
            // Every item of every row's list as one frame, the function over
            // them all at once; then each row's fold over its items in order.
            let lists = try list.evaluate(frame)
            var rows: [Int] = [], items: [Value] = [], ends: [Int] = []
            for i in 0..<n {
                guard case .list(let xs) = lists[i] else { throw Unsupported() }
                for x in xs { rows.append(frame.rows[i]); items.append(x) }
                ends.append(items.count)
            }
            let results = try function.evaluate(ColumnFrame(table: frame.table, rows: rows, items: items))
            var out: [Value] = []
            out.reserveCapacity(n)
            var k = 0
            for end in ends {
                out.append(try fold.read { each in
                    while k < end, try each(items[k], results[k], nil) { k += 1 }
                })
                k = end
            }
            return out
        }
    }

    /// The fields of the row this plan reads (an `any`'s item is not one).
    var fieldsRead: Set<String> {
        switch self {
        case .field(let name): return [name]
        case .element, .constant, .invariant: return []
        case .not(let a), .negate(let a), .call(_, let a): return a.fieldsRead
        case .and(let a, let b), .or(let a, let b), .coalesce(let a, let b), .binary(_, let a, let b), .fold(_, let a, let b):
            return a.fieldsRead.union(b.fieldsRead)
        }
    }

    /// A plan that reads one field only, of a text column whose texts
    /// repeat (`hashtags(p.text).any(t => lower(t) in topics)` over a coded
    /// column): evaluated once per distinct text, and each row given its
    /// text's result. A plan is a function of the fields it reads, so this is
    /// what each row would give. Nil when the plan does not have this form,
    /// the texts are not fewer than the rows, or a text gives an error (which
    /// a row here may not have) or a value `convert` does not take (nil):
    /// then the rows are evaluated as usual.
    func overDistinctTexts<T>(_ frame: ColumnFrame, as convert: (Value) -> T?) -> [T]? {
        switch self {
        case .field, .element, .constant, .invariant: return nil
        default: break
        }
        guard frame.items == nil, frame.rows.count >= 64 else { return nil }
        let fields = fieldsRead
        guard fields.count == 1, let name = fields.first, let c = frame.table.shape.slot(name),
              case .codes(let codes, let texts, let ok) = frame.table.columns[c], texts.count * 4 <= frame.rows.count else { return nil }
        // The distinct texts (and none, if a row here has none), as the rows
        // of a table of that one column.
        let anyNone = frame.rows.contains { !ok[$0] }
        let values = texts.map { Value.text($0) } + (anyNone ? [.none] : [])
        let distinct = ColumnTable(shape: Shape.of([name]), columns: [.values(values)], count: values.count)
        guard let values = try? evaluate(ColumnFrame(table: distinct, rows: Array(values.indices))) else { return nil }
        var results: [T] = []
        results.reserveCapacity(values.count)
        for v in values {
            guard let x = convert(v) else { return nil }
            results.append(x)
        }
        return frame.rows.map { r in results[ok[r] ? Int(codes[r]) : texts.count] }
    }

    /// One operator on one pair, through the operator's one entry point; a
    /// join of texts or lists (bounded by the running machine's size limit)
    /// is left to the lambda.
    static func apply(_ op: BinOp, _ x: Value, _ y: Value) throws -> Value {
        if op.joins(x, y) { throw Unsupported() }
        return try op.evaluate(x, y, nil)
    }
}

/// The rows a plan is evaluated over: rows of a table, and for the test of
/// an `any`, the items (one per entry of `rows`).
struct ColumnFrame {
    let table: ColumnTable
    let rows: [Int]
    var items: [Value]? = nil

    func subset(_ picks: [Int]) -> ColumnFrame {
        ColumnFrame(table: table, rows: picks.map { rows[$0] }, items: items.map { xs in picks.map { xs[$0] } })
    }
}

extension Column {
    /// The values at `rows`, the kind read once, not per row.
    func values(at rows: [Int]) -> [Value] {
        switch self {
        case .integers(let xs, let ok): return rows.map { ok[$0] ? .number(ExactDecimal(coefficient: Int128(xs[$0]), exponent: 0)) : .none }
        case .bools(let xs, let ok): return rows.map { ok[$0] ? .bool(xs[$0]) : .none }
        case .times(let xs, let ok): return rows.map { ok[$0] ? .time(xs[$0]) : .none }
        case .text(let buffer, let ok):
            return buffer.bytes.withUnsafeBufferPointer { b in
                rows.map { r in
                    guard ok[r] else { return .none }
                    return .text(String(decoding: UnsafeBufferPointer(rebasing: b[buffer.range(r)]), as: UTF8.self))
                }
            }
        default: return rows.map { value($0) }
        }
    }
}

/// Rows of one table, over whose columns lambdas with a plan are evaluated
/// (a campaign's rules and score, over its entries).
public struct TableRows: Sendable {
    package let table: ColumnTable
    /// Each entry's row in the table.
    package let rows: RowNumbers

    /// Rows `rows` of `table`.
    package init(_ table: ColumnTable, rows: RowNumbers) {
        self.table = table
        self.rows = rows
    }

    /// Rows `from...` of `table`, in order: the entries from `from` of a
    /// list that is every row of the table (`ValueList.rowsOf`).
    package init(allOf table: ColumnTable, from: Int) {
        self.table = table
        rows = RowNumbers(run: from..<table.count)
    }

    /// The entries, if every one is a row of the same table.
    public init?(_ entries: ArraySlice<Value>) {
        self.init(rowsOf: entries.lazy.map { v -> Record? in if case .record(let r) = v { return r }; return nil })
    }

    /// The records, if every one is a row of the same table.
    public init?(records: [Record]) {
        self.init(rowsOf: records.lazy.map { $0 })
    }

    /// The records (nil: not a record), if every one is a row of the same table.
    private init?<C: Collection>(rowsOf records: C) where C.Element == Record? {
        var table: ColumnTable? = nil
        var rows = RowNumbers()
        rows.reserveCapacity(records.count)
        for r in records {
            guard let (t, row) = r?.tableRow, table == nil || t === table else { return nil }
            table = t
            rows.append(row)
        }
        guard let table else { return nil }
        self.table = table
        self.rows = rows
    }

    /// Whether `f` has a plan over columns.
    public static func canEvaluate(_ f: Function) -> Bool { f.compiled?.columnPlan != nil }

    /// `f` over the entries at `slots` (indexes into the entries given),
    /// on every core; throws when the plan cannot give what calling `f`
    /// gives, and the caller should call `f` on each entry instead.
    public func evaluate(_ f: Function, at slots: [Int], _ m: Machine) throws -> [Value] {
        try evaluate(f, at: slots, m) { $0 }
    }

    /// The same, each value converted on its core as its chunk is done (a
    /// rule's results as bools: a byte a row rather than a value's 32, which
    /// for ten million rows was 320 MB at once). An error `convert` throws
    /// is thrown, as the plan's own are.
    public func evaluate<T>(_ f: Function, at slots: [Int], _ m: Machine,
                                      as convert: (Value) throws -> T) throws -> [T] {
        try evaluate(f, at: slots, m, typed: { _, _ in nil }, as: convert)
    }

    /// A test (a campaign's rule) over the entries at `slots`, each a bool
    /// read straight from typed columns where the plan allows
    /// (`ColumnPlan.bools`; throws when a row's value is not a bool), split
    /// on every core as each chunk is done: the slots whose entries pass and
    /// those whose entries fail, each in order. (Splitting ten
    /// million results on one core afterwards took as long as the tests.)
    public func split(_ f: Function, at slots: [Int], _ m: Machine) throws -> (passing: [Int], failing: [Int]) {
        let parts = try overChunks(f, at: slots, m, typed: { plan, frame in plan.bools(frame) }, as: { v -> Bool in
            guard case .bool(let ok) = v else { throw EvalError("not a bool") }
            return ok
        }, then: { part, results -> ([Int], [Int]) in
            var passing: [Int] = [], failing: [Int] = []
            passing.reserveCapacity(part.count)
            for (i, ok) in zip(part, results) {
                if ok { passing.append(i) } else { failing.append(i) }
            }
            return (passing, failing)
        })
        let passed = parts.reduce(0) { $0 + $1.0.count }
        var passing: [Int] = [], failing: [Int] = []
        passing.reserveCapacity(passed)
        failing.reserveCapacity(slots.count - passed)
        for (p, f) in parts { passing += p; failing += f }
        return (passing, failing)
    }

    /// Whole numbers within 64 bits (a campaign's score) over the entries
    /// at `slots`, straight from integer columns where the plan allows
    /// (`ColumnPlan.integers`); a value of another kind goes to `convert`,
    /// which gives its number or throws.
    public func wholeNumbers(_ f: Function, at slots: [Int], _ m: Machine, else convert: (Value) throws -> Int64) throws -> [Int64] {
        try evaluate(f, at: slots, m, typed: { plan, frame in plan.integers(frame) }, as: convert)
    }

    /// `typed`: the plan's results over a chunk's rows straight from its
    /// columns, when it can give them (else nil, and the values are converted).
    private func evaluate<T>(_ f: Function, at slots: [Int], _ m: Machine, typed: @escaping @Sendable (ColumnPlan, ColumnFrame) -> [T]?,
                             as convert: (Value) throws -> T) throws -> [T] {
        let parts = try overChunks(f, at: slots, m, typed: typed, as: convert, then: { $1 })
        var out: [T] = []
        out.reserveCapacity(slots.count)
        for p in parts { out += p }
        return out
    }

    /// The plan over the entries at `slots`, chunk by chunk on every core,
    /// each chunk's results given to `then` (with the chunk's slots) on its core.
    private func overChunks<T, U>(_ f: Function, at slots: [Int], _ m: Machine, typed: @escaping @Sendable (ColumnPlan, ColumnFrame) -> [T]?,
                              as convert: (Value) throws -> T, then finish: (ArraySlice<Int>, [T]) -> U) throws -> [U] {
        guard let plan = f.compiled?.columnPlan else { throw ColumnPlan.Unsupported() }
        // No rows: nothing to run, not even the names that do not read the
        // row (calling the lambda on no row would not read them either).
        guard !slots.isEmpty else { return [] }
        let bound = try plan.bound(f, m)
        let chunk = 16_384
        let chunks = (slots.count + chunk - 1) / chunk
        let table = self.table, rows = self.rows
        let parts = m.onCores(chunks) { k -> Result<U, Error> in
            let part = slots[(k * chunk)..<min(slots.count, (k + 1) * chunk)]
            let plan = bound.unshared(), frame = ColumnFrame(table: table, rows: part.map { rows[$0] })
            if let straight = typed(plan, frame) { return .success(finish(part, straight)) }
            return Result { finish(part, try plan.evaluate(frame).map(convert)) }
        }
        let out = try parts.map { try $0.get() }
        m.counts.columnEvaluations += 1
        return out
    }
}
