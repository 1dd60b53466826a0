/// A range of whole numbers as a sequence (`1...10`, `0..<n`): what lets a
/// range stand wherever a list is taken (`(1...10).map(f)`, `sum(1...100)`).
/// Its length and items are computed from its ends, so `len`, indexing and
/// `in` never build the list; functions that walk the items get them built,
/// within the size limit.
struct WholeRange {
    /// The first number.
    let lower: Int
    /// How many numbers it holds.
    let count: Int

    /// The range's numbers; an error naming `what` for a range of anything
    /// but whole numbers (dates and times are not sequences).
    init(_ r: RangeValue, _ what: String) throws {
        guard case .number(let lo) = r.lower, case .number(let hi) = r.upper, let l = lo.intValue, let h = hi.intValue else {
            throw EvalError("\(what) needs a list, or a range of whole numbers, not the range \(Value.range(r).literal())",
                            help: "a range of other values is for 'in' tests; build a list with map or range(...)")
        }
        lower = l
        let (span, o1) = h.subtractingReportingOverflow(l)
        let (n, o2) = span.addingReportingOverflow(r.closed ? 1 : 0)
        guard !o1, !o2 else { throw EvalError("\(what): the range \(Value.range(r).literal()) is too long") }
        count = max(0, n)
    }

    /// The numbers `lower` ..< `lower + count`.
    init(lower: Int, count: Int) {
        self.lower = lower
        self.count = count
    }

    /// The i-th number (0-based).
    func item(_ i: Int) -> Value { .number(ExactDecimal(lower + i)) }

    /// All the numbers, as a list, within the size limit.
    func items(limit: Int) throws -> [Value] {
        if count > limit { throw EvalError.sizeLimit(count, limit) }
        return (0..<count).map(item)
    }
}

/// Slices: `xs[a..<b]`, `xs[a...]`, `text[a..<b]`. Like Python's, the ends
/// may be negative (counted from the end) and are clamped to the sequence,
/// so a slice is never out of range.
enum Slice {
    /// The index range a range of indexes selects from a sequence of `count`.
    static func bounds(_ r: RangeValue, count: Int) throws -> Range<Int> {
        func clamp(_ i: Int) -> Int { min(count, max(0, i < 0 ? count + i : i)) }
        let lo = try end(r.lower, "start").map(clamp) ?? 0
        var hi = count
        if let u = try end(r.upper, "end") {
            hi = clamp(u)
            if r.closed, hi < count, (u < 0 ? count + u : u) >= 0 { hi += 1 }
        }
        return lo..<max(lo, hi)
    }

    /// The first index and the index after the last one (nil: to the end)
    /// when neither end counts from the end, so the sequence's length is not
    /// needed; nil when one is negative. Out-of-range ends are for the caller
    /// to clamp, as `bounds` does.
    static func forward(_ r: RangeValue) throws -> (lower: Int, upper: Int?)? {
        let lo = try end(r.lower, "start") ?? 0
        guard lo >= 0 else { return nil }
        guard let u = try end(r.upper, "end") else { return (lo, nil) }
        guard u >= 0 else { return nil }
        return (lo, r.closed && u < Int.max ? u + 1 : u)
    }

    private static func end(_ v: Value, _ which: String) throws -> Int? {
        switch v {
        case .none: return nil
        case .number(let d):
            guard let i = d.intValue else { throw EvalError("a slice's \(which) must be a whole number, not \(d)") }
            return i
        default: throw EvalError("a slice's \(which) must be a whole number, not \(Operators.describe(v))")
        }
    }
}
