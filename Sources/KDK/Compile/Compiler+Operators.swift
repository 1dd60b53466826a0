/// Operators and conditions, with specialised closures for the shapes that
/// dominate real programs (`n < 2`, `n - 1`, `mod(x, 3) == 0`).
extension Compiler {
    /// `local OP number`, the shape of loop counters and recursion (`n < 2`, `n - 1`).
    func localAgainstConstant(_ e: Expr) -> (slot: Int, op: BinOp, k: ExactDecimal)? {
        guard case .binary(let op, let a, let b) = e.kind,
              case .local(let s)? = program.ref(a), case .number(let k)? = constant(b) else { return nil }
        return (s, op, k)
    }

    /// Code that yields a Swift `Bool` (for `if`): comparisons of a local
    /// with a number constant skip building a `Value` at all.
    func compileCondition(_ c: Expr, what: String) -> @Sendable (Machine) throws -> Bool {
        let file = self.file
        if let (s, bop, k) = localAgainstConstant(c), bop.isComparison {
            let r = c.range
            return { m in
                if case .number(let x) = m.stack[m.fp + s] { return bop.holds(ordering: ExactDecimal.compare(x, k)) }
                guard case .bool(let v) = try bop.values(m.stack[m.fp + s], .number(k), r, file, m) else { return false }
                return v
            }
        }
        let cc = compile(c), cr = c.range
        return { m in
            let v = try cc(m)
            guard case .bool(let x) = v else {
                throw EvalError("\(what) must be a bool, not \(Operators.describe(v))",
                                help: "compare explicitly, e.g. x != none or x > 0").located(cr, file)
            }
            return x
        }
    }


    func compileBinary(_ bop: BinOp, _ a: Expr, _ b: Expr, _ r: SourceRange) -> Code {
        let ca = compile(a), cb = compile(b), file = self.file
        if bop == .in || bop == .notIn {
            return { m in try bop.values(try ca(m), try cb(m), r, file, m) }
        }
        // Specialised shapes: a local or any operand against a number constant
        // (`n < 2`, `n - 1`, `mod(x, 3) == 0`), and two locals. Numbers take
        // the exact-decimal fast path; everything else the general rules.
        let localA: Int? = { if case .local(let s)? = program.ref(a) { return s }; return nil }()
        let localB: Int? = { if case .local(let s)? = program.ref(b) { return s }; return nil }()
        if case .number(let k)? = constant(b) {
            let kv = Value.number(k)
            if let s = localA {
                note("number fast path: local #\(s) \(bop.symbol) \(k)")
                return { m in
                    if case .number(let x) = m.stack[m.fp + s] { return try located(r, file) { try bop.numbers(x, k) } }
                    return try bop.values(m.stack[m.fp + s], kv, r, file, m)
                }
            }
            note("number fast path: operand \(bop.symbol) \(k)")
            return { m in
                let x = try ca(m)
                if case .number(let xv) = x { return try located(r, file) { try bop.numbers(xv, k) } }
                return try bop.values(x, kv, r, file, m)
            }
        }
        if case .text(let k)? = constant(b), bop == .eq || bop == .ne {
            // `e.Origin == "MOW"`: two texts (`BinOp.texts`), without the general dispatch.
            let kv = Value.text(k)
            note("text fast path: operand \(bop.symbol) \(kv.literal())")
            return { m in
                let x = try ca(m)
                if case .text(let s) = x { return bop.texts(s, k) }
                return try bop.values(x, kv, r, file, m)
            }
        }
        if case .number(let k)? = constant(a) {
            let kv = Value.number(k)
            note("number fast path: \(k) \(bop.symbol) operand")
            return { m in
                let y = try cb(m)
                if case .number(let yv) = y { return try located(r, file) { try bop.numbers(k, yv) } }
                return try bop.values(kv, y, r, file, m)
            }
        }
        if let s = localA, let t = localB {
            note("number fast path: local #\(s) \(bop.symbol) local #\(t)")
            return { m in
                if case .number(let x) = m.stack[m.fp + s], case .number(let y) = m.stack[m.fp + t] {
                    return try located(r, file) { try bop.numbers(x, y) }
                }
                return try bop.values(m.stack[m.fp + s], m.stack[m.fp + t], r, file, m)
            }
        }
        if let s = localA {
            // `acc + mod(i, 7)`: the local read in place (locals do not
            // change while the other operand is computed), saving a closure call.
            note("number fast path: local #\(s) \(bop.symbol) operand")
            return { m in
                let y = try cb(m)
                if case .number(let xv) = m.stack[m.fp + s], case .number(let yv) = y { return try located(r, file) { try bop.numbers(xv, yv) } }
                return try bop.values(m.stack[m.fp + s], y, r, file, m)
            }
        }
        return { m in
            let x = try ca(m), y = try cb(m)
            if case .number(let xv) = x, case .number(let yv) = y { return try located(r, file) { try bop.numbers(xv, yv) } }
            return try bop.values(x, y, r, file, m)
        }
    }
}
