extension Compiler {
    /// The constant value of `e` if it needs no evaluation.
    func constant(_ e: Expr) -> Value? {
        switch e.kind {
        case .literal(let v): return v
        case .unitLiteral(let d, _, _):
            guard let u = program.unit(e) else { return nil }
            return .quantity(d, u)
        case .name:
            if case .unit(let u)? = program.ref(e) { return .quantity(.one, u) }
            if case .builtin(let b)? = program.ref(e) { return .function(Function(.builtin(b))) }
            return nil
        default: return nil
        }
    }

    /// Code for one expression: one method per kind of node.
    func compile(_ e: Expr) -> Code {
        let saved = current
        current = e
        defer { current = saved }
        if let v = constant(e) { note("constant"); return { _ in v } }
        let r = e.range, file = self.file
        switch e.kind {
        case .literal, .unitLiteral:
            return { _ in throw EvalError("unknown unit").located(r, file) }
        case .name(let n):
            return compileName(n, program.ref(e), r)
        case .text(let parts): return compileText(parts, r)
        case .list(let items): return compileList(items)
        case .record(let fields):
            return compileRecord(fields.map { ($0.name, $0.value) })
        case .negate(let x): return compileNegate(x, r)
        case .binary(let op, let a, let b):
            return compileBinary(op, a, b, r)
        case .and(let a, let b): return compileAnd(a, b)
        case .or(let a, let b): return compileOr(a, b)
        case .not(let a): return compileNot(a)
        case .coalesce(let a, let b): return compileCoalesce(a, b)
        case .range(let a, let b, let closed): return compileRange(a, b, closed: closed, r)
        case .ifElse(let c, let a, let b): return compileIf(c, a, b)
        case .lambda(let params, let body): return compileLambda(e, params, body)
        case .block(let lets, let result): return compileBlock(e, lets, result)
        case .call(let callee, let args):
            if let fused = compilePipeline(e) { return fused }
            return compileCall(callee, args, r)
        case .methodCall(_, _, _, let args) where program.ref(e) != nil:
            // `fin.npv(...)`: a qualified call of an imported function.
            let ref = program.ref(e)
            if case .global(let gi)? = ref, let cf = functions[gi] { return compileDirectCall(cf, args, r) }
            return compileCall(ref: ref, callee: { compileName("", ref, r) }, calleeRange: r, args, r)
        case .methodCall(let recv, let name, let nr, let args):
            if let fused = compilePipeline(e) { return fused }
            return compileMethodCall(recv, name, nr, args, fallback: program.methodFallback(e), r)
        case .field(_, let name, _) where program.ref(e) != nil:
            return compileName(name, program.ref(e), r)
        case .field(let recv, let name, let nr): return compileField(recv, name, nr)
        case .index(let a, let i): return compileIndex(a, i, r)
        case .with(let base, let fields): return compileWith(base, fields)
        }
    }

    /// Text with interpolations.
    func compileText(_ parts: [TextPart], _ r: SourceRange) -> Code {
        let file = self.file
        if parts.allSatisfy({ if case .literal = $0 { return true }; return false }) {
            let v = Value.text(parts.map { if case .literal(let s) = $0 { return s }; return "" }.joined())
            return { _ in v }
        }
        // Built as UTF-8 bytes and made a String once: appending to a
        // Swift String piece by piece cost four times as much (measured).
        // The literal pieces sit in one byte array, and each piece is a
        // range into it or an expression, so the loop copies no array.
        var literals: [UInt8] = []
        var pieces: [(Range<Int>, Op?)] = []
        for part in parts {
            switch part {
            case .literal(let s):
                let start = literals.count
                literals.append(contentsOf: s.utf8)
                pieces.append((start..<literals.count, nil))
            case .expr(let x): pieces.append((0..<0, Op(compile(x))))
            }
        }
        let reserve = literals.count + 12 * pieces.count
        let bytes = literals, steps = pieces
        return { m in
            // The machine lends its scratch buffer (a nested interpolation
            // finds it taken and uses a fresh one), saving an allocation.
            var buf = m.textScratch
            m.textScratch = []
            buf.removeAll(keepingCapacity: true)
            buf.reserveCapacity(reserve)
            defer { m.textScratch = buf }
            let text = try bytes.withUnsafeBufferPointer { lit -> String in
                var next = 0
                for (range, code) in steps {
                    next += 1
                    guard let code else { buf.append(contentsOf: UnsafeBufferPointer(rebasing: lit[range])); continue }
                    switch try code.run(m) {
                    case .number(let d) where d.exponent == 0 && d.coefficient.magnitude < 1 << 62:
                        Compiler.appendDecimalDigits(Int64(d.coefficient), to: &buf)
                    case .text(let t) where t.utf8.count >= Compiler.longText:
                        return try Compiler.interpolateLong(t, after: &buf, then: steps[next...], lit, reserve, m)
                    case .text(let t): buf.append(contentsOf: t.utf8)
                    case let v: buf.append(contentsOf: v.shown(m.image.display).utf8)
                    }
                }
                return String(decoding: buf, as: UTF8.self)
            }
            try located(r, file) { try m.checkSize(text.utf8.count) }
            return .text(text)
        }
    }

    /// The rest of an interpolation from a long text on, built as a String:
    /// appending a String is one copy, where the bytes and `String(decoding:)`
    /// take two and a UTF-8 check. Short pieces still gather as bytes in
    /// `buf` between long texts. (Its piece switch repeats the one in
    /// `compileText` on purpose: one shared helper cost the `strings`
    /// benchmark 4% more instructions, measured with callgrind.)
    @inline(never)
    static func interpolateLong(_ first: String, after buf: inout [UInt8], then rest: ArraySlice<(Range<Int>, Op?)>,
                                _ lit: UnsafeBufferPointer<UInt8>, _ reserve: Int, _ m: Machine) throws -> String {
        var out = String.reserving(buf.count + first.utf8.count + reserve)
        func flush() {
            if !buf.isEmpty { out.append(String(decoding: buf, as: UTF8.self)); buf.removeAll(keepingCapacity: true) }
        }
        flush()
        out.append(first)
        for (range, code) in rest {
            guard let code else { buf.append(contentsOf: UnsafeBufferPointer(rebasing: lit[range])); continue }
            switch try code.run(m) {
            case .number(let d) where d.exponent == 0 && d.coefficient.magnitude < 1 << 62:
                appendDecimalDigits(Int64(d.coefficient), to: &buf)
            case .text(let t) where t.utf8.count >= longText: flush(); out.append(t)
            case .text(let t): buf.append(contentsOf: t.utf8)
            case let v: buf.append(contentsOf: v.shown(m.image.display).utf8)
            }
        }
        flush()
        m.textCrumbs.made(out)
        return out
    }

    /// The size from which an interpolated text is appended as a String.
    static let longText = 1 << 12

    /// A list literal.
    func compileList(_ items: [Expr]) -> Code {
        let codes = items.map { Op(compile($0)) }
        return { m in
            var out: [Value] = []
            out.reserveCapacity(codes.count)
            for c in codes { out.append(try c.run(m)) }
            return .list(out)
        }
    }

    /// Unary minus.
    func compileNegate(_ x: Expr, _ r: SourceRange) -> Code {
        // `-1234567890123455.234567890123454` is one literal: its digits are
        // kept (the sign flips exactly), as Python's Decimal("-...") keeps
        // them; negating a value (`-x`) rounds to 28 digits like any operation.
        if case .literal(.number(let d)) = x.kind {
            let folded = Value.number(d.negated().percent(d.isPercent))
            return { _ in folded }
        }
        let file = self.file
        let c = compile(x)
        return { m in let v = try c(m); return try located(r, file) { try Operators.negate(v) } }
    }

    /// `a and b`, short-circuiting.
    func compileAnd(_ a: Expr, _ b: Expr) -> Code {
        let file = self.file, ar = a.range, br = b.range
        let ca = compile(a), cb = compile(b)
        return { m in
            guard case .bool(let x) = try ca(m) else { throw EvalError("'and' needs bools on both sides").located(ar, file) }
            if !x { return .bool(false) }
            guard case .bool(let y) = try cb(m) else { throw EvalError("'and' needs bools on both sides").located(br, file) }
            return .bool(y)
        }
    }

    /// `a or b`, short-circuiting.
    func compileOr(_ a: Expr, _ b: Expr) -> Code {
        let file = self.file, ar = a.range, br = b.range
        let ca = compile(a), cb = compile(b)
        return { m in
            guard case .bool(let x) = try ca(m) else { throw EvalError("'or' needs bools on both sides").located(ar, file) }
            if x { return .bool(true) }
            guard case .bool(let y) = try cb(m) else { throw EvalError("'or' needs bools on both sides").located(br, file) }
            return .bool(y)
        }
    }

    /// `not a`.
    func compileNot(_ a: Expr) -> Code {
        let file = self.file, ar = a.range
        let ca = compile(a)
        return { m in
            let v = try ca(m)
            guard case .bool(let x) = v else {
                throw EvalError("'not' needs a bool, not \(Operators.describe(v))").located(ar, file)
            }
            return .bool(!x)
        }
    }

    /// `a ?? b`.
    func compileCoalesce(_ a: Expr, _ b: Expr) -> Code {
        // `r.note ?? x`: a record without the field, or a none `r`, gives x
        // too, as an empty CSV cell would (JSON and hosts leave fields out).
        if case .field(let recv, let name, let nr) = a.kind, program.ref(a) == nil {
            let cr = compile(recv), cb = compile(b), file = self.file, hash = name.hashValue
            return { m in
                let v = try cr(m)
                if case .none = v { return try cb(m) }
                if case .record(let rec) = v {
                    if let i = rec.shape.slot(name, hash: hash), !rec[at: i].isNone { return rec[at: i] }
                    return try cb(m)
                }
                let x = try located(nr, file) { try Compiler.field(v, name, m) }
                return x.isNone ? try cb(m) : x
            }
        }
        let ca = compile(a), cb = compile(b)
        return { m in
            let v = try ca(m)
            if case .none = v { return try cb(m) }
            return v
        }
    }

    /// `a...b` and `a..<b`.
    func compileRange(_ a: Expr, _ b: Expr, closed: Bool, _ r: SourceRange) -> Code {
        let file = self.file
        let ca = compile(a), cb = compile(b)
        return { m in
            let lo = try ca(m), hi = try cb(m)
            // An open end (`xs[a...]`) is none: only a slice reads it.
            if !hi.isNone { _ = try located(r, file) { try Operators.compare(lo, hi) } }
            return .range(RangeValue(lo, hi, closed: closed))
        }
    }

    /// `if c then a else b`.
    func compileIf(_ c: Expr, _ a: Expr, _ b: Expr) -> Code {
        let cc = compileCondition(c, what: "the condition of 'if'"), ca = compile(a), cb = compile(b)
        // `if n < 2 then ...`: the comparison is done here, saving a closure call.
        if let (s, bop, k) = localAgainstConstant(c), bop.isComparison {
            note("fused: if local #\(s) \(bop.symbol) \(k)")
            return { m in
                if case .number(let x) = m.stack[m.fp + s] {
                    return bop.holds(ordering: ExactDecimal.compare(x, k)) ? try ca(m) : try cb(m)
                }
                return try cc(m) ? try ca(m) : try cb(m)
            }
        }
        return { m in try cc(m) ? try ca(m) : try cb(m) }
    }

    /// A lambda: a closure over the values it captures.
    func compileLambda(_ e: Expr, _ params: [Param], _ body: Expr) -> Code {
        let info = program.lambda(e)
        let cf = compileFunction(name: "lambda", params: params, body: body, info: info, range: e.range)
        if let first = params.first { cf.firstParamFields = fieldsRead(from: first.name, in: body) }
        planColumns(of: cf, params: params, body: body)
        let caps = info.captures.map { captureOp($0) }
        if caps.isEmpty {
            return { m in .function(Function(.closure(cf, captures: .empty, selfObject: m.selfObject), home: m.image)) }
        }
        return { m in
            var env: [Value] = []
            env.reserveCapacity(caps.count)
            for c in caps { env.append(c.read(m)) }
            return .function(Function(.closure(cf, captures: ValueList(env), selfObject: m.selfObject), home: m.image))
        }
    }

    /// `{ let x = ...; result }`.
    func compileBlock(_ e: Expr, _ lets: [LetBinding], _ result: Expr) -> Code {
        let slots = program.blockSlots(e)
        let codes = zip(slots, lets).map { ($0, Op(compile($1.value))) }
        let cr = compile(result)
        return { m in
            for (slot, c) in codes { let v = try c.run(m); m.stack[m.fp + slot] = v }
            return try cr(m)
        }
    }

    /// `recv.name`.
    func compileField(_ recv: Expr, _ name: String, _ nr: SourceRange) -> Code {
        let file = self.file
        let c = compile(recv)
        let hash = name.hashValue
        if case .local(let s)? = program.ref(recv) {
            // `p.likes` on a parameter: no closure call for `p`.
            note("field of local #\(s), read in place")
            return { m in
                if case .record(let rec) = m.stack[m.fp + s], let i = rec.shape.slot(name, hash: hash) { return rec[at: i] }
                let v = m.stack[m.fp + s]
                return try located(nr, file) { try Compiler.field(v, name, m) }
            }
        }
        if case .global(let g)? = program.ref(recv), image.initialGlobalState[g] == .ready {
            // `p.likes` on a host's input: read in place, without a copy of
            // the record (each copy counted a reference, atomically).
            note("field of global #\(g), read in place")
            return { m in
                if let x = m.globals[g].field(name, hash: hash) { return x }
                let v = m.globals[g]
                return try located(nr, file) { try Compiler.field(v, name, m) }
            }
        }
        return { m in
            let v = try c(m)
            if case .record(let rec) = v, let i = rec.shape.slot(name, hash: hash) { return rec[at: i] }
            return try located(nr, file) { try Compiler.field(v, name, m) }
        }
    }

    /// `a[i]`.
    func compileIndex(_ a: Expr, _ i: Expr, _ r: SourceRange) -> Code {
        let file = self.file
        let ca = compile(a), ci = compile(i)
        if case .name = a.kind, case .global(let g)? = program.ref(a) {
            return { m in
                // A plain text in a global, evaluated (so reading it first
                // has no effect): `s[i]` in a loop, on the text used last, is
                // read without copying the text out of the global, which
                // counted references twice a read.
                if m.globalState[g] == .ready, let bits = m.textBits(global: g) {
                    let k = try ci(m)
                    if case .number(let d) = k, let i = d.intValue, let c = TextBytes.characterOfLast(bits, i, &m.textCrumbs) { return .text(c) }
                    return try Compiler.index(m.globals[g], k, m, r, file)
                }
                return try Compiler.index(try ca(m), try ci(m), m, r, file)
            }
        }
        return { m in try Compiler.index(try ca(m), try ci(m), m, r, file) }
    }

    /// `v[k]`, an error located at `r`. A character of a text (`s[i]` in a
    /// loop) is read without the general switch, which took a tenth of
    /// such a read.
    @inline(__always)
    static func index(_ v: Value, _ k: Value, _ m: Machine, _ r: SourceRange, _ file: SourceFile) throws -> Value {
        if case .text(let s) = v, case .number(let d) = k, let i = d.intValue, let c = TextBytes.character(s, i, &m.textCrumbs) {
            return .text(c)
        }
        return try located(r, file) { try Compiler.index(v, k, m) }
    }

    /// `base with { name: value }`.
    func compileWith(_ base: Expr, _ fields: [RecordField]) -> Code {
        let file = self.file
        let cb = compile(base)
        let codes = fields.map { ($0.name, Op(compile($0.value)), $0.nameRange) }
        return { m in
            let b = try cb(m)
            var vals: [(String, Value, SourceRange)] = []
            for (n, c, nr) in codes { vals.append((n, try c.run(m), nr)) }
            return try Compiler.with(b, vals, file)
        }
    }


    /// Appends a whole number's decimal digits.
    @inline(__always)
    static func appendDecimalDigits(_ x: Int64, to buf: inout [UInt8]) {
        var v = x.magnitude
        if x < 0 { buf.append(UInt8(ascii: "-")) }
        if v == 0 { buf.append(UInt8(ascii: "0")); return }
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var start = 24
        withUnsafeMutableBytes(of: &tmp) { p in
            // Written from the end, so the digits come out in order at once.
            while v > 0 { start -= 1; p[start] = UInt8(truncatingIfNeeded: v % 10) + 48; v /= 10 }
            buf.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[start...]))
        }
    }

    /// The fields read as `p.name` from parameter `p` in a lambda body, in
    /// order of first use (inner lambdas that rebind `p` are skipped).
    func fieldsRead(from param: String, in e: Expr) -> [String] {
        var out: [String] = []
        func walk(_ e: Expr) {
            if case .field(let recv, let name, _) = e.kind, case .name(param) = recv.kind, !out.contains(name) { out.append(name) }
            if case .lambda(let ps, _) = e.kind, ps.contains(where: { $0.name == param }) { return }
            for c in e.children { walk(c) }
        }
        walk(e)
        return out
    }

    struct Capture: Sendable { let read: @Sendable (Machine) -> Value }

    func captureOp(_ ref: NameRef) -> Capture {
        switch ref {
        case .local(let s): return Capture { m in m.stack[m.fp + s] }
        case .capture(let i): return Capture { m in m.env[i] }
        default: return Capture { _ in .none }
        }
    }

    func compileName(_ n: String, _ ref: NameRef?, _ r: SourceRange) -> Code {
        let file = self.file
        switch ref {
        case .local(let s)?: return { m in m.stack[m.fp + s] }
        case .capture(let i)?: return { m in m.env[i] }
        case .global(let i)?:
            // Host values may be replaced per run (inputs); a `fn`'s value is made per run.
            if image.initialGlobalState[i] == .ready { return { m in m.globals[i] } }
            return { m in try located(r, file) { try m.global(i) } }
        case .builtin(let b)?: let v = Value.function(Function(.builtin(b))); return { _ in v }
        case .unit(let u)?: return { _ in .quantity(.one, u) }
        case .field(let name)?:
            return { m in
                guard let obj = m.selfObject else { throw EvalError("'\(name)' is a field, but no model is being evaluated").located(r, file) }
                guard let v = try located(r, file, { try m.field(obj, name) }) else {
                    throw EvalError("\(obj.name) has no field '\(name)'").located(r, file)
                }
                return v
            }
        case nil:
            return { _ in throw EvalError("'\(n)' is not defined").located(r, file) }
        }
    }
}
