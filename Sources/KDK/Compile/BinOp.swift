/// How each binary operator evaluates: the exact-decimal hot path for two
/// plain numbers, and the general rules (units, times, texts, lists, none).
extension BinOp {
    /// Both operands plain numbers: the hot path.
    @inline(__always)
    func numbers(_ x: ExactDecimal, _ y: ExactDecimal) throws -> Value {
        switch self {
        case .add: return .number(Operators.marked(try Operators.wrap { try ExactDecimal.add(x, y) }, x, y, Operators.percentSum))
        case .sub: return .number(Operators.marked(try Operators.wrap { try ExactDecimal.subtract(x, y) }, x, y, Operators.percentSum))
        case .mul: return .number(Operators.marked(try Operators.wrap { try ExactDecimal.multiply(x, y) }, x, y, Operators.percentProduct))
        case .div: return .number(Operators.marked(try Operators.wrap { try ExactDecimal.divide(x, y) }, x, y, Operators.percentQuotient))
        case .pow: return try Operators.power(.number(x), .number(y))
        case .eq, .ne, .lt, .le, .gt, .ge: return .bool(holds(ordering: ExactDecimal.compare(x, y)))
        case .in, .notIn: return .bool(try Operators.contains(.number(y), .number(x)) != (self == .notIn))
        }
    }

    /// `x in y` (an error for two numbers); kept out of line, off the hot path.
    @inline(never)
    func membership(_ x: Value, _ y: Value, _ m: Machine) throws -> Value {
        .bool(try Operators.contains(y, x, m) != (self == .notIn))
    }

    /// Any operands.
    func values(_ x: Value, _ y: Value, _ r: SourceRange, _ file: SourceFile, _ m: Machine) throws -> Value {
        switch self {
        case .add:
            // Joining texts or lists is bounded by the size limit.
            switch (x, y) {
            case (.text(let a), .text(let b)): try located(r, file) { try m.checkSize(a.utf8.count + b.utf8.count) }
            case (.list(let a), .list(let b)): try located(r, file) { try m.checkSize(a.count + b.count) }
            default: break
            }
            return try located(r, file) { try Operators.add(x, y) }
        case .sub: return try located(r, file) { try Operators.subtract(x, y) }
        case .mul: return try located(r, file) { try Operators.multiply(x, y) }
        case .div: return try located(r, file) { try Operators.divide(x, y) }
        case .pow: return try located(r, file) { try Operators.power(x, y) }
        case .in, .notIn: return try located(r, file) { try membership(x, y, m) }
        case .eq, .ne:
            if case .number(let a) = x, case .number(let b) = y { return .bool(holds(ordering: ExactDecimal.compare(a, b))) }
            if case .quantity(_, let u) = x, case .quantity(_, let v) = y, !UnitRegistry.shared.sameDimension(u, v) {
                throw Operators.mismatch(symbol, x, y).located(r, file)
            }
            return .bool(try located(r, file) { try Value.equal(x, y, m) } == (self == .eq))
        case .lt, .le, .gt, .ge:
            return .bool(holds(ordering: try located(r, file) { try Operators.compare(x, y, m) }))
        }
    }
}
