/// A binary operator, decided at compile time so that evaluation switches
/// on a small enum instead of comparing operator strings.
enum BinOp: String {
    case add = "+", sub = "-", mul = "*", div = "/", pow = "^"
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="

    /// Both operands plain numbers: the hot path.
    @inline(__always)
    func numbers(_ x: ExactDecimal, _ y: ExactDecimal) throws -> Value {
        switch self {
        case .add: return .number(try Operators.wrap { try ExactDecimal.add(x, y) })
        case .sub: return .number(try Operators.wrap { try ExactDecimal.subtract(x, y) })
        case .mul: return .number(try Operators.wrap { try ExactDecimal.multiply(x, y) })
        case .div: return .number(try Operators.wrap { try ExactDecimal.divide(x, y) })
        case .pow: return try Operators.power(.number(x), .number(y))
        case .eq: return .bool(ExactDecimal.compare(x, y) == 0)
        case .ne: return .bool(ExactDecimal.compare(x, y) != 0)
        case .lt: return .bool(ExactDecimal.compare(x, y) < 0)
        case .le: return .bool(ExactDecimal.compare(x, y) <= 0)
        case .gt: return .bool(ExactDecimal.compare(x, y) > 0)
        case .ge: return .bool(ExactDecimal.compare(x, y) >= 0)
        }
    }

    /// Any operands: units, times, texts, lists, none.
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
        default: return try Compiler.compareOp(rawValue, x, y, r, file)
        }
    }
}
