/// What each binary operator means: the one entry point every path calls
/// (the interpreter's specialised closures, fused call arguments, fused
/// pipelines' `sum`, column plans, the library's `sum`). `numbers` is the
/// exact-decimal hot path for two plain numbers, percentage marks included;
/// `evaluate` is the general rule for any operands (units, times, texts,
/// lists, none). No path computes an operator any other way, so none can
/// drop a unit or a percentage mark (OperatorPathTests compares them all).
extension BinOp {
    /// Both operands plain numbers: the hot path.
    @inline(__always)
    func numbers(_ x: ExactDecimal, _ y: ExactDecimal) throws -> Value {
        switch self {
        case .add: return .number(try Operators.sum(x, y))
        case .sub: return .number(try Operators.difference(x, y))
        case .mul: return .number(try Operators.product(x, y))
        case .div: return .number(try Operators.quotient(x, y))
        case .pow: return try Operators.power(.number(x), .number(y))
        case .eq, .ne, .lt, .le, .gt, .ge: return .bool(holds(ordering: ExactDecimal.compare(x, y)))
        case .in, .notIn: return .bool(try Operators.contains(.number(y), .number(x)) != (self == .notIn))
        }
    }

    /// Two whole numbers within 64 bits, for `+`, `-` and `*`: the number
    /// `numbers` gives (a whole number at exponent 0), as an integer; nil
    /// when it passes 64 bits or the operator is another, for `numbers` to
    /// give. Column plans over integer columns take this path.
    @inline(__always)
    func wholeNumbers(_ x: Int64, _ y: Int64) -> Int64? {
        let (r, over): (Int64, Bool)
        switch self {
        case .add: (r, over) = x.addingReportingOverflow(y)
        case .sub: (r, over) = x.subtractingReportingOverflow(y)
        case .mul: (r, over) = x.multipliedReportingOverflow(by: y)
        default: return nil
        }
        return over ? nil : r
    }

    /// Two texts, for `==` and `!=`: equal as Swift strings compare them
    /// (canonically equivalent spellings are one text). The compiler's fast
    /// path for a text constant and `evaluate` both call this.
    @inline(__always)
    func texts(_ x: String, _ y: String) -> Value { .bool((x == y) == (self == .eq)) }

    /// Joining two texts or two lists (`+`), which a running machine bounds
    /// by its size limit; other paths leave it to the machine.
    func joins(_ x: Value, _ y: Value) -> Bool {
        guard self == .add else { return false }
        switch (x, y) {
        case (.text, .text), (.list, .list): return true
        default: return false
        }
    }

    /// Any operands. With a machine, joins are held to its size limit and
    /// comparisons of lists count their steps; without one (a column plan),
    /// the same values come out.
    func evaluate(_ x: Value, _ y: Value, _ m: Machine?) throws -> Value {
        if case .number(let a) = x, case .number(let b) = y { return try numbers(a, b) }
        if case .distribution = x { return try Distribution.combine(self, x, y) }
        if case .distribution = y { return try Distribution.combine(self, x, y) }
        switch self {
        case .add:
            if let m {
                switch (x, y) {
                case (.text(let a), .text(let b)):
                    try m.checkSize(a.utf8.count + b.utf8.count)
                    let joined = try Operators.add(x, y)
                    if case .text(let s) = joined { m.textCrumbs.made(s, joining: a, b) }
                    return joined
                case (.list(let a), .list(let b)): try m.checkSize(a.count + b.count)
                default: break
                }
            }
            return try Operators.add(x, y)
        case .sub: return try Operators.subtract(x, y)
        case .mul: return try Operators.multiply(x, y)
        case .div: return try Operators.divide(x, y)
        case .pow: return try Operators.power(x, y)
        case .in, .notIn: return .bool(try Operators.contains(y, x, m) != (self == .notIn))
        case .eq, .ne:
            if case .text(let a) = x, case .text(let b) = y { return texts(a, b) }
            // As for `+`: units of one dimension, or zero against a quantity.
            switch (x, y) {
            case (.quantity(_, let u), .quantity(_, let v)) where !UnitRegistry.shared.sameDimension(u, v):
                throw Operators.mismatch(symbol, x, y)
            case (.quantity, .number(let d)) where !d.isZero, (.number(let d), .quantity) where !d.isZero:
                throw Operators.mismatch(symbol, x, y)
            default: break
            }
            let same = try m.map { try Value.equal(x, y, $0) } ?? Value.equal(x, y)
            return .bool(same == (self == .eq))
        case .lt, .le, .gt, .ge: return .bool(holds(ordering: try Operators.compare(x, y, m)))
        }
    }

    /// Any operands, an error located at the operator's expression.
    @inline(never)
    func values(_ x: Value, _ y: Value, _ r: SourceRange, _ file: SourceFile, _ m: Machine) throws -> Value {
        try located(r, file) { try evaluate(x, y, m) }
    }
}
