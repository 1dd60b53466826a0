extension Compiler {
    /// The constant value of `e` if it needs no evaluation.
    func constant(_ e: Expr) -> Value? {
        switch e.kind {
        case .literal(let v): return v
        case .unitLiteral(let d, _, _):
            guard let u = res.units[ObjectIdentifier(e)] else { return nil }
            return .quantity(d, u)
        case .name:
            if case .unit(let u)? = res.names[ObjectIdentifier(e)] { return .quantity(.one, u) }
            if case .builtin(let b)? = res.names[ObjectIdentifier(e)] { return .function(Function(.builtin(b))) }
            return nil
        default: return nil
        }
    }

    func compile(_ e: Expr) -> Code {
        if let v = constant(e) { return { _ in v } }
        let r = e.range, file = self.file
        switch e.kind {
        case .literal, .unitLiteral:
            return { _ in throw EvalError("unknown unit").located(r, file) }
        case .name(let n):
            return compileName(n, res.names[ObjectIdentifier(e)], r)
        case .text(let parts):
            // Built as UTF-8 bytes and made a String once: appending to a
            // Swift String piece by piece cost four times as much (measured).
            let codes: [([UInt8]?, Op?)] = parts.map {
                switch $0 { case .literal(let s): return (Array(s.utf8), nil); case .expr(let x): return (nil, Op(compile(x))) }
            }
            let reserve = codes.reduce(0) { $0 + ($1.0?.count ?? 12) }
            return { m in
                // The machine lends its scratch buffer (a nested interpolation
                // finds it taken and uses a fresh one), saving an allocation.
                var buf = m.textScratch
                m.textScratch = []
                buf.removeAll(keepingCapacity: true)
                buf.reserveCapacity(reserve)
                defer { m.textScratch = buf }
                for (lit, code) in codes {
                    if let lit { buf.append(contentsOf: lit); continue }
                    guard let code else { continue }
                    switch try code.run(m) {
                    case .number(let d) where d.exponent == 0 && d.coefficient.magnitude < 1 << 62:
                        Compiler.appendDecimalDigits(Int64(d.coefficient), to: &buf)
                    case .text(let t): buf.append(contentsOf: t.utf8)
                    case let v: buf.append(contentsOf: v.plain.utf8)
                    }
                }
                try located(r, file) { try m.checkSize(buf.count) }
                return .text(String(decoding: buf, as: UTF8.self))
            }
        case .list(let items):
            let codes = items.map { Op(compile($0)) }
            return { m in
                var out: [Value] = []
                out.reserveCapacity(codes.count)
                for c in codes { out.append(try c.run(m)) }
                return .list(out)
            }
        case .record(let fields):
            return compileRecord(fields.map { ($0.name, $0.value) })
        case .negate(let x):
            let c = compile(x)
            return { m in let v = try c(m); return try located(r, file) { try Operators.negate(v) } }
        case .binary(let op, let a, let b):
            return compileBinary(op, a, b, r)
        case .and(let a, let b):
            let ca = compile(a), cb = compile(b)
            return { m in
                guard case .bool(let x) = try ca(m) else { throw EvalError("'and' needs bools on both sides").located(a.range, file) }
                if !x { return .bool(false) }
                guard case .bool(let y) = try cb(m) else { throw EvalError("'and' needs bools on both sides").located(b.range, file) }
                return .bool(y)
            }
        case .or(let a, let b):
            let ca = compile(a), cb = compile(b)
            return { m in
                guard case .bool(let x) = try ca(m) else { throw EvalError("'or' needs bools on both sides").located(a.range, file) }
                if x { return .bool(true) }
                guard case .bool(let y) = try cb(m) else { throw EvalError("'or' needs bools on both sides").located(b.range, file) }
                return .bool(y)
            }
        case .not(let a):
            let ca = compile(a)
            return { m in
                let v = try ca(m)
                guard case .bool(let x) = v else {
                    throw EvalError("'not' needs a bool, not \(Operators.describe(v))").located(a.range, file)
                }
                return .bool(!x)
            }
        case .coalesce(let a, let b):
            let ca = compile(a), cb = compile(b)
            return { m in
                let v = try ca(m)
                if case .none = v { return try cb(m) }
                return v
            }
        case .range(let a, let b, let closed):
            let ca = compile(a), cb = compile(b)
            return { m in
                let lo = try ca(m), hi = try cb(m)
                _ = try located(r, file) { try Operators.compare(lo, hi) }
                return .range(RangeValue(lo, hi, closed: closed))
            }
        case .ifElse(let c, let a, let b):
            let cc = compileCondition(c, what: "the condition of 'if'"), ca = compile(a), cb = compile(b)
            // `if n < 2 then ...`: the comparison is done here, saving a closure call.
            if let (s, bop, k) = localAgainstConstant(c), bop.isComparison {
                return { m in
                    if case .number(let x) = m.stack[m.fp + s] {
                        return bop.holds(ordering: ExactDecimal.compare(x, k))! ? try ca(m) : try cb(m)
                    }
                    return try cc(m) ? try ca(m) : try cb(m)
                }
            }
            return { m in try cc(m) ? try ca(m) : try cb(m) }
        case .lambda(let params, let body):
            let info = res.functions[ObjectIdentifier(e)] ?? FunctionInfo()
            let cf = compileFunction(name: "lambda", params: params, body: body, info: info, range: r)
            if let first = params.first { cf.firstParamFields = fieldsRead(from: first.name, in: body) }
            let caps = info.captures.map { captureOp($0) }
            if caps.isEmpty {
                return { m in .function(Function(.closure(cf, captures: [], selfObject: m.selfObject))) }
            }
            return { m in
                var env: [Value] = []
                env.reserveCapacity(caps.count)
                for c in caps { env.append(c.read(m)) }
                return .function(Function(.closure(cf, captures: env, selfObject: m.selfObject)))
            }
        case .block(let lets, let result):
            let slots = res.blockSlots[ObjectIdentifier(e)] ?? []
            let codes = zip(slots, lets).map { ($0, Op(compile($1.value))) }
            let cr = compile(result)
            return { m in
                for (slot, c) in codes { let v = try c.run(m); m.stack[m.fp + slot] = v }
                return try cr(m)
            }
        case .call(let callee, let args):
            return compileCall(callee, args, r)
        case .methodCall(_, _, _, let args) where res.names[ObjectIdentifier(e)] != nil:
            // `fin.npv(...)`: a qualified call of an imported function.
            let ref = res.names[ObjectIdentifier(e)]
            if case .global(let gi)? = ref, let cf = functions[gi] { return compileDirectCall(cf, args, r) }
            return compileCall(ref: ref, callee: { compileName("", ref, r) }, calleeRange: r, args, r)
        case .methodCall(let recv, let name, let nr, let args):
            return compileMethodCall(recv, name, nr, args, fallback: res.methodFallback[ObjectIdentifier(e)], r)
        case .field(_, let name, _) where res.names[ObjectIdentifier(e)] != nil:
            return compileName(name, res.names[ObjectIdentifier(e)], r)
        case .field(let recv, let name, let nr):
            let c = compile(recv)
            let hash = name.hashValue
            if case .local(let s)? = res.names[ObjectIdentifier(recv)] {
                // `p.likes` on a parameter: no closure call for `p`.
                return { m in
                    if case .record(let rec) = m.stack[m.fp + s], let i = rec.shape.slot(name, hash: hash) { return rec[at: i] }
                    let v = m.stack[m.fp + s]
                    return try located(nr, file) { try Compiler.field(v, name, m) }
                }
            }
            return { m in
                let v = try c(m)
                if case .record(let rec) = v, let i = rec.shape.slot(name, hash: hash) { return rec[at: i] }
                return try located(nr, file) { try Compiler.field(v, name, m) }
            }
        case .index(let a, let i):
            let ca = compile(a), ci = compile(i)
            return { m in
                let v = try ca(m), k = try ci(m)
                return try located(r, file) { try Compiler.index(v, k) }
            }
        case .with(let base, let fields):
            let cb = compile(base)
            let codes = fields.map { ($0.name, Op(compile($0.value)), $0.nameRange) }
            return { m in
                let b = try cb(m)
                var vals: [(String, Value, SourceRange)] = []
                for (n, c, nr) in codes { vals.append((n, try c.run(m), nr)) }
                return try Compiler.with(b, vals, file)
            }
        }
    }

    /// Appends a whole number's decimal digits.
    @inline(__always)
    static func appendDecimalDigits(_ x: Int64, to buf: inout [UInt8]) {
        var v = x.magnitude
        if x < 0 { buf.append(UInt8(ascii: "-")) }
        if v == 0 { buf.append(UInt8(ascii: "0")); return }
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { p in
            while v > 0 { p[n] = UInt8(truncatingIfNeeded: v % 10) + 48; v /= 10; n += 1 }
            for i in stride(from: n - 1, through: 0, by: -1) { buf.append(p[i]) }
        }
    }

    /// `local OP number`, the shape of loop counters and recursion (`n < 2`, `n - 1`).
    func localAgainstConstant(_ e: Expr) -> (slot: Int, op: BinOp, k: ExactDecimal)? {
        guard case .binary(let op, let a, let b) = e.kind,
              case .local(let s)? = res.names[ObjectIdentifier(a)], case .number(let k)? = constant(b) else { return nil }
        return (s, op, k)
    }

    /// Code that yields a Swift `Bool` (for `if`): comparisons of a local
    /// with a number constant skip building a `Value` at all.
    func compileCondition(_ c: Expr, what: String) -> (Machine) throws -> Bool {
        let file = self.file
        if let (s, bop, k) = localAgainstConstant(c), bop.isComparison {
            let r = c.range
            return { m in
                if case .number(let x) = m.stack[m.fp + s] { return bop.holds(ordering: ExactDecimal.compare(x, k))! }
                guard case .bool(let v) = try bop.values(m.stack[m.fp + s], .number(k), r, file, m) else { return false }
                return v
            }
        }
        let cc = compile(c)
        return { m in
            let v = try cc(m)
            guard case .bool(let x) = v else {
                throw EvalError("\(what) must be a bool, not \(Operators.describe(v))",
                                help: "compare explicitly, e.g. x != none or x > 0").located(c.range, file)
            }
            return x
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

    struct Capture { let read: (Machine) -> Value }

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
            // Functions are constants; host values may be replaced per run (inputs).
            if case .function = image.initialGlobals[i] { let v = image.initialGlobals[i]; return { _ in v } }
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

    // MARK: operators

    func compileBinary(_ bop: BinOp, _ a: Expr, _ b: Expr, _ r: SourceRange) -> Code {
        let ca = compile(a), cb = compile(b), file = self.file
        if bop == .in || bop == .notIn {
            return { m in try bop.values(try ca(m), try cb(m), r, file, m) }
        }
        // Specialised shapes: a local or any operand against a number constant
        // (`n < 2`, `n - 1`, `mod(x, 3) == 0`), and two locals. Numbers take
        // the exact-decimal fast path; everything else the general rules.
        let localA: Int? = { if case .local(let s)? = res.names[ObjectIdentifier(a)] { return s }; return nil }()
        let localB: Int? = { if case .local(let s)? = res.names[ObjectIdentifier(b)] { return s }; return nil }()
        if case .number(let k)? = constant(b) {
            let kv = Value.number(k)
            if let s = localA {
                return { m in
                    if case .number(let x) = m.stack[m.fp + s] { return try located(r, file) { try bop.numbers(x, k) } }
                    return try bop.values(m.stack[m.fp + s], kv, r, file, m)
                }
            }
            return { m in
                let x = try ca(m)
                if case .number(let xv) = x { return try located(r, file) { try bop.numbers(xv, k) } }
                return try bop.values(x, kv, r, file, m)
            }
        }
        if case .number(let k)? = constant(a) {
            let kv = Value.number(k)
            return { m in
                let y = try cb(m)
                if case .number(let yv) = y { return try located(r, file) { try bop.numbers(k, yv) } }
                return try bop.values(kv, y, r, file, m)
            }
        }
        if let s = localA, let t = localB {
            return { m in
                if case .number(let x) = m.stack[m.fp + s], case .number(let y) = m.stack[m.fp + t] {
                    return try located(r, file) { try bop.numbers(x, y) }
                }
                return try bop.values(m.stack[m.fp + s], m.stack[m.fp + t], r, file, m)
            }
        }
        return { m in
            let x = try ca(m), y = try cb(m)
            if case .number(let xv) = x, case .number(let yv) = y { return try located(r, file) { try bop.numbers(xv, yv) } }
            return try bop.values(x, y, r, file, m)
        }
    }

    // MARK: calls

    /// A record built from named expressions (a literal, or the named-rest
    /// record of a library call).
    func compileRecord(_ fields: [(name: String, value: Expr)]) -> Code {
        let shape = Shape.of(fields.map { $0.name })
        let codes = fields.map { Op(compile($0.value)) }
        let n = codes.count
        return { m in .record(try Record.build(shape: shape, count: n) { i in try codes[i].run(m) }) }
    }

    /// The arguments of a call whose callee is known only at run time,
    /// evaluated left to right: positional ones (after an optional receiver),
    /// then named ones.
    struct ArgCodes {
        let positional: [Op]
        let named: [(String, Op)]

        func evaluate(_ m: Machine, receiver: Value? = nil) throws -> (positional: [Value], named: [(String, Value)]) {
            var vals: [Value] = []
            vals.reserveCapacity(positional.count + 1)
            if let receiver { vals.append(receiver) }
            for c in positional { vals.append(try c.run(m)) }
            var nv: [(String, Value)] = []
            for (n, c) in named { nv.append((n, try c.run(m))) }
            return (vals, nv)
        }
    }

    func argCodes(_ args: [Arg]) -> ArgCodes {
        ArgCodes(positional: args.filter { $0.label == nil }.map { Op(compile($0.value)) },
                 named: args.compactMap { a in a.label.map { ($0, Op(compile(a.value))) } })
    }

    func compileCall(_ callee: Expr, _ args: [Arg], _ r: SourceRange) -> Code {
        compileCall(ref: res.names[ObjectIdentifier(callee)], callee: { compile(callee) }, calleeRange: callee.range, args, r)
    }

    /// A call of `ref` when the checker resolved the callee, else of whatever
    /// `callee` evaluates to.
    func compileCall(ref: NameRef?, callee: () -> Code, calleeRange: SourceRange, _ args: [Arg], _ r: SourceRange) -> Code {
        let file = self.file
        if case .global(let gi)? = ref, let cf = functions[gi] {
            return compileDirectCall(cf, args, r)
        }
        if case .builtin(let b)? = ref {
            return compileBuiltinCall(b, args, r)
        }
        let cc = callee()
        let codes = argCodes(args)
        return { m in
            let f = try cc(m)
            guard case .function(let fn) = f else {
                throw EvalError("\(Operators.describe(f)) is not a function, so it cannot be called").located(calleeRange, file)
            }
            let (vals, nv) = try codes.evaluate(m)
            return try located(r, file) { try m.call(fn, vals, named: nv) }
        }
    }

    /// Arguments in parameter order (nil where left to the default), from
    /// positional and named arguments, for a statically known callee.
    func orderArgs(_ params: [String], _ args: [Arg], prefix: Int) -> [Expr?]? {
        var out: [Expr?] = Array(repeating: nil, count: max(params.count, args.count + prefix))
        var i = prefix
        for a in args where a.label == nil { out[i] = a.value; i += 1 }
        for a in args where a.label != nil {
            guard let k = params.firstIndex(of: a.label!) else { return nil }
            out[k] = a.value
        }
        return out
    }

    /// A call of a top-level `fn`: arguments go straight onto the stack.
    func compileDirectCall(_ cf: CompiledFunction, _ args: [Arg], _ r: SourceRange) -> Code {
        let file = self.file
        guard let ordered = orderArgs(cf.paramNames, args, prefix: 0), ordered.count == cf.paramNames.count else {
            return { _ in throw EvalError("wrong arguments in the call to '\(cf.name)'").located(r, file) }
        }
        let lastGiven = ordered.lastIndex { $0 != nil } ?? -1
        let contiguous = ordered.prefix(lastGiven + 1).allSatisfy { $0 != nil }
        let codes = ordered.prefix(lastGiven + 1).map { $0.map { Op(compile($0)) } }
        var mask: UInt64 = 0
        for (i, c) in codes.enumerated() where c != nil { mask |= 1 << UInt64(i) }
        let given: UInt64? = contiguous ? nil : mask
        let argc = codes.count
        if argc == 1, let c0 = codes[0]?.run {
            // `f(n - 1)`: the argument is computed here, saving a closure call.
            if let arg = ordered[0], let (s, bop, k) = localAgainstConstant(arg), bop == .sub || bop == .add {
                return { m in
                    let v: Value
                    if case .number(let x) = m.stack[m.fp + s], let d = try? (bop == .sub ? ExactDecimal.subtract(x, k) : ExactDecimal.add(x, k)) {
                        v = .number(d)
                    } else {
                        v = try c0(m)
                    }
                    if m.sp + 1 >= m.capacity { throw EvalError.limit("recursion too deep").located(r, file) }
                    m.stack[m.sp] = v
                    m.sp += 1
                    return try located(r, file) { try m.invokeTopLevel(cf, argc: 1) }
                }
            }
            return { m in
                let v = try c0(m)
                if m.sp + 1 >= m.capacity { throw EvalError.limit("recursion too deep").located(r, file) }
                m.stack[m.sp] = v
                m.sp += 1
                return try located(r, file) { try m.invokeTopLevel(cf, argc: 1) }
            }
        }
        return { m in
            if m.sp + argc >= m.capacity { throw EvalError.limit("recursion too deep").located(r, file) }
            for c in codes {
                let v = try c.map { try $0.run(m) } ?? .none
                m.stack[m.sp] = v
                m.sp += 1
            }
            return try located(r, file) { try m.invokeTopLevel(cf, argc: argc, given: given) }
        }
    }

    /// Code for each argument of a library function, in parameter order,
    /// after `prefix` arguments the caller supplies itself (a method's receiver).
    func builtinArgCodes(_ b: Builtin, _ args: [Arg], prefix: Int, _ r: SourceRange) -> [Op] {
        let file = self.file
        var args = args
        // Unknown names go into one record, passed as the last parameter.
        var rest: [(name: String, value: Expr)] = []
        if b.namedRest != nil {
            let known = Set(b.params.map { $0.name })
            rest = args.compactMap { a in a.label.flatMap { known.contains($0) ? nil : ($0, a.value) } }
            args = args.filter { $0.label == nil || known.contains($0.label!) }
        }
        guard let ordered = orderArgs(b.params.map { $0.name }, args, prefix: prefix) else {
            return [Op { _ in throw EvalError("wrong arguments in the call to '\(b.name)'").located(r, file) }]
        }
        var codes: [Op] = []
        for (i, a) in ordered.enumerated() where i >= prefix {
            if let a { codes.append(Op(compile(a))); continue }
            if !rest.isEmpty, i == b.params.count - 1 { codes.append(Op(compileRecord(rest))); continue }
            if i < b.params.count, let d = b.params[i].defaultValue { codes.append(Op { _ in d }); continue }
            let pname = i < b.params.count ? b.params[i].name : "?"
            codes.append(Op { _ in throw EvalError("missing argument '\(pname)' in the call to '\(b.name)'").located(r, file) })
        }
        if codes.count + prefix > b.params.count && !b.variadic {
            let n = b.params.count, given = codes.count + prefix
            return [Op { _ in throw EvalError("'\(b.name)' takes \(n) argument\(n == 1 ? "" : "s") but was given \(given)").located(r, file) }]
        }
        return codes
    }

    /// A call of a library function with arguments in parameter order.
    func compileBuiltinCall(_ b: Builtin, _ args: [Arg], _ r: SourceRange) -> Code {
        let file = self.file
        let codes = builtinArgCodes(b, args, prefix: 0, r)
        if codes.count == 2, let binary = b.binary, args.count == 2, args.allSatisfy({ $0.label == nil }),
           case .local(let s)? = res.names[ObjectIdentifier(args[0].value)], let k = constant(args[1].value) {
            // `mod(x, 3)`: read the local and the constant directly.
            return { m in try located(r, file) { try binary(m.stack[m.fp + s], k) } }
        }
        if codes.count == 2, let binary = b.binary {
            let c0 = codes[0].run, c1 = codes[1].run
            return { m in
                let x = try c0(m), y = try c1(m)
                return try located(r, file) { try binary(x, y) }
            }
        }
        if codes.count == 1 {
            let c0 = codes[0].run
            return { m in
                let v = try c0(m)
                try located(r, file) { try m.step() }
                return try located(r, file) { try b.call([v], m) }
            }
        }
        return { m in
            var vals: [Value] = []
            vals.reserveCapacity(codes.count)
            for c in codes { vals.append(try c.run(m)) }
            try located(r, file) { try m.step() }
            return try located(r, file) { try b.call(vals, m) }
        }
    }

    /// `recv.name(args)`: a field of a record or model that holds a function,
    /// a model kind's method, else the function `name` with `recv` first.
    func compileMethodCall(_ recv: Expr, _ name: String, _ nr: SourceRange, _ args: [Arg], fallback: NameRef?, _ r: SourceRange) -> Code {
        let file = self.file
        let cr = compile(recv)
        let codes = argCodes(args)
        /// Calls the fallback function with the receiver as its first argument.
        var fallbackCall: ((Machine, Value) throws -> Value)? = nil
        switch fallback {
        case .builtin(let b)?:
            let codes = builtinArgCodes(b, args, prefix: 1, r)
                fallbackCall = { m, v in
                var vals = [v]
                vals.reserveCapacity(codes.count + 1)
                for c in codes { vals.append(try c.run(m)) }
                try located(r, file) { try m.step() }
                return try located(r, file) { try b.call(vals, m) }
            }
        case .global(let gi)?:
            if functions[gi] != nil, case .function(let f) = image.initialGlobals[gi] {
                fallbackCall = { m, v in
                    let (vals, nv) = try codes.evaluate(m, receiver: v)
                    return try located(r, file) { try m.call(f, vals, named: nv) }
                }
            }
        default: break
        }
        let fb = fallbackCall
        return { m in
            let v = try cr(m)
            var target: Value? = nil
            switch v {
            case .record(let rec): target = rec[name]
            case .model(let obj):
                if obj.has(name) { target = try located(nr, file) { try m.field(obj, name) } }
                else if let meth = obj.kind.method(name) {
                    let (vals, nv) = try codes.evaluate(m, receiver: v)
                    return try located(r, file) { try m.callBuiltin(meth, vals, named: nv) }
                }
            default: break
            }
            if let t = target {
                guard case .function(let fn) = t else {
                    throw EvalError("field '\(name)' is \(Operators.describe(t)), not a function").located(nr, file)
                }
                let (vals, nv) = try codes.evaluate(m)
                return try located(r, file) { try m.call(fn, vals, named: nv) }
            }
            guard let fb else {
                throw EvalError("\(Operators.describe(v)) has no method '\(name)'").located(nr, file)
            }
            return try fb(m, v)
        }
    }
}

