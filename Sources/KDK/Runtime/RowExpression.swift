/// A one-parameter lambda over rows as other back ends read it: the column
/// plan the compiler made of it (`ColumnPlan`), with every part that does
/// not read the row worked out once (`topics.map(lower)` is a constant list).
/// `kdk sql` translates it to each dialect's SQL. Only what the column
/// planner accepts has one: fields, constants, operators, `and`/`or`/`not`,
/// `??`, library functions of one argument and `list.any(t => ...)`.
public indirect enum RowExpression: Sendable {
    /// `p.name`.
    case field(String)
    /// The item of the list a fold walks (`t` in `tags.any(t => ...)`).
    case element
    case constant(Value)
    case not(RowExpression)
    case negate(RowExpression)
    case and(RowExpression, RowExpression)
    case or(RowExpression, RowExpression)
    case coalesce(RowExpression, RowExpression)
    /// An operator as written: `+`, `==`, `in`, `not in`...
    case binary(String, RowExpression, RowExpression)
    /// A library function of one argument, by name (`lower`, `hashtags`).
    case call(String, RowExpression)
    /// A library function that reads a list item by item with a test, by
    /// name (`any`): the list, then the test (which reads `element`).
    case fold(String, RowExpression, RowExpression)
}

extension Function {
    /// This lambda as a row expression, its row-independent parts worked
    /// out on `m` (no effects allowed); nil when the column planner did not
    /// take it, or a row-independent part failed or has an effect.
    public func rowExpression(_ m: Machine) -> RowExpression? {
        guard let plan = compiled?.columnPlan, let bound = try? plan.bound(self, m) else { return nil }
        return bound.rowExpression
    }
}

extension ColumnPlan {
    /// The bound plan as a row expression (nil if an invariant is left).
    var rowExpression: RowExpression? {
        switch self {
        case .field(let n): return .field(n)
        case .element: return .element
        case .constant(let v): return .constant(v)
        case .invariant: return nil
        case .not(let a): return a.rowExpression.map { .not($0) }
        case .negate(let a): return a.rowExpression.map { .negate($0) }
        case .and(let a, let b): return a.rowExpression.flatMap { x in b.rowExpression.map { .and(x, $0) } }
        case .or(let a, let b): return a.rowExpression.flatMap { x in b.rowExpression.map { .or(x, $0) } }
        case .coalesce(let a, let b): return a.rowExpression.flatMap { x in b.rowExpression.map { .coalesce(x, $0) } }
        case .binary(let op, let a, let b): return a.rowExpression.flatMap { x in b.rowExpression.map { .binary(op.symbol, x, $0) } }
        case .call(let f, let a): return a.rowExpression.map { .call(f.name, $0) }
        case .fold(let g, let a, let b): return a.rowExpression.flatMap { x in b.rowExpression.map { .fold(g.name, x, $0) } }
        }
    }
}
