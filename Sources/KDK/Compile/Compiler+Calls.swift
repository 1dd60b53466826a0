/// Calls: of top-level functions (arguments straight onto the stack), of
/// library functions (arguments in parameter order), of methods and of
/// function values.
extension Compiler {

    /// A record built from named expressions (a literal, or the named-rest
    /// record of a library call).
    func compileRecord(_ fields: [(name: String, value: Expr)]) -> Code {
        let shape = Shape.of(fields.map { $0.name })
        let codes = fields.map { Op(compile($0.value)) }
        let n = codes.count
        // Up to four fields, each field's code in a constant of its own:
        // calling codes out of the array retained and released each one per
        // record (half of scripts/bench/programs/records.kdk's time).
        if n <= 4 {
            let none: Code = { _ in .none }
            let c0 = n > 0 ? codes[0].run : none, c1 = n > 1 ? codes[1].run : none
            let c2 = n > 2 ? codes[2].run : none, c3 = n > 3 ? codes[3].run : none
            return { m in
                .record(try Record.build(shape: shape, count: n) { i in
                    switch i {
                    case 0: return try c0(m)
                    case 1: return try c1(m)
                    case 2: return try c2(m)
                    default: return try c3(m)
                    }
                })
            }
        }
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

    /// `compiled` gives each argument's code when the caller compiled them
    /// already (kept as `Op`, never as a bare closure in a dictionary, which
    /// would cost a reabstraction thunk on every call).
    func argCodes(_ args: [Arg], _ compiled: ((Expr) -> Op)? = nil) -> ArgCodes {
        let c = compiled ?? { Op(self.compile($0)) }
        return ArgCodes(positional: args.filter { $0.label == nil }.map { c($0.value) },
                        named: args.compactMap { a in a.label.map { ($0, c(a.value)) } })
    }

    func compileCall(_ callee: Expr, _ args: [Arg], _ r: SourceRange) -> Code {
        compileCall(ref: program.ref(callee), callee: { compile(callee) }, calleeRange: callee.range, args, r)
    }

    /// A call of `ref` when the checker resolved the callee, else of whatever
    /// `callee` evaluates to.
    func compileCall(ref: NameRef?, callee: () -> Code, calleeRange: SourceRange, _ args: [Arg], _ r: SourceRange) -> Code {
        let file = self.file
        if case .global(let gi)? = ref, let cf = functions[gi] {
            note("direct call of fn \(cf.name): arguments onto the stack")
            return compileDirectCall(cf, args, r)
        }
        if case .builtin(let b)? = ref {
            note("library call of \(b.name)")
            return compileBuiltinCall(b, args, r)
        }
        note("call of a function value")
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
        let callee = callee(cf)
        let signature = Signature(name: cf.name, params: cf.paramNames, required: cf.defaults.map { $0 == nil })
        // Parameters left out take their defaults, which the machine fills in.
        if let e = bindingError(signature, args, prefix: 0, checkMissing: false) { return { _ in throw e.located(r, file) } }
        guard let ordered = orderArgs(cf.paramNames, args, prefix: 0), ordered.count == cf.paramNames.count else {
            return { _ in throw EvalError("wrong arguments in the call to '\(signature.name)'").located(r, file) }
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
                note("fused argument: local #\(s) \(bop.symbol) \(k)")
                // One closure per operator, each calling the operator's own
                // entry point (`Operators.difference`, `.sum`): a switch on the
                // operator here cost 3% of fib.
                @Sendable @inline(__always) func push(_ m: Machine, _ v: Value) throws -> Value {
                    if m.sp + 1 >= m.capacity && !m.ensureCapacity(m.sp + 1) { throw EvalError.limit("recursion too deep").located(r, file) }
                    m.stack[m.sp] = v
                    m.sp += 1
                    return try located(r, file) { try callee.invoke(m, argc: 1) }
                }
                if bop == .sub {
                    return { m in
                        if case .number(let x) = m.stack[m.fp + s], let d = try? Operators.difference(x, k) { return try push(m, .number(d)) }
                        return try push(m, try c0(m))
                    }
                }
                return { m in
                    if case .number(let x) = m.stack[m.fp + s], let d = try? Operators.sum(x, k) { return try push(m, .number(d)) }
                    return try push(m, try c0(m))
                }
            }
            return { m in
                let v = try c0(m)
                if m.sp + 1 >= m.capacity && !m.ensureCapacity(m.sp + 1) { throw EvalError.limit("recursion too deep").located(r, file) }
                m.stack[m.sp] = v
                m.sp += 1
                return try located(r, file) { try callee.invoke(m, argc: 1) }
            }
        }
        // Two or three arguments, all given: each argument's code held in a
        // constant of its own. Walking the array of codes retained and
        // released each closure per call: 75% of a three-argument recursion
        // (scripts/bench/programs/tak.kdk) was reference counting.
        if given == nil, argc == 2, let c0 = codes[0]?.run, let c1 = codes[1]?.run {
            return { m in
                let x = try c0(m), y = try c1(m)
                if m.sp + 2 >= m.capacity && !m.ensureCapacity(m.sp + 2) { throw EvalError.limit("recursion too deep").located(r, file) }
                m.stack[m.sp] = x
                m.stack[m.sp + 1] = y
                m.sp += 2
                return try located(r, file) { try callee.invoke(m, argc: 2) }
            }
        }
        if given == nil, argc == 3, let c0 = codes[0]?.run, let c1 = codes[1]?.run, let c2 = codes[2]?.run {
            return { m in
                let x = try c0(m), y = try c1(m), z = try c2(m)
                if m.sp + 3 >= m.capacity && !m.ensureCapacity(m.sp + 3) { throw EvalError.limit("recursion too deep").located(r, file) }
                m.stack[m.sp] = x
                m.stack[m.sp + 1] = y
                m.stack[m.sp + 2] = z
                m.sp += 3
                return try located(r, file) { try callee.invoke(m, argc: 3) }
            }
        }
        return { m in
            if m.sp + argc >= m.capacity && !m.ensureCapacity(m.sp + argc) { throw EvalError.limit("recursion too deep").located(r, file) }
            for c in codes {
                let v = try c.map { try $0.run(m) } ?? .none
                m.stack[m.sp] = v
                m.sp += 1
            }
            return try located(r, file) { try callee.invoke(m, argc: argc, given: given) }
        }
    }

    /// Code for each argument of a library function, in parameter order,
    /// after `prefix` arguments the caller supplies itself (a method's receiver).
    func builtinArgCodes(_ b: Builtin, _ args: [Arg], prefix: Int, _ r: SourceRange, _ compiled: ((Expr) -> Op)? = nil) -> [Op] {
        let file = self.file
        var args = args
        // Unknown names go into one record, passed as the last parameter.
        var rest: [(name: String, value: Expr)] = []
        if b.namedRest != nil {
            let known = Set(b.params.map { $0.name })
            rest = args.compactMap { a in a.label.flatMap { known.contains($0) ? nil : ($0, a.value) } }
            args = args.filter { $0.label == nil || known.contains($0.label!) }
        }
        let signature = Signature(b)
        if let e = bindingError(signature, args, prefix: prefix) { return [Op { _ in throw e.located(r, file) }] }
        guard let ordered = orderArgs(signature.params, args, prefix: prefix) else {
            return [Op { _ in throw EvalError("wrong arguments in the call to '\(b.name)'").located(r, file) }]
        }
        var codes: [Op] = []
        for (i, a) in ordered.enumerated() where i >= prefix {
            if let a { codes.append(compiled?(a) ?? Op(compile(a))); continue }
            if !rest.isEmpty, i == b.params.count - 1 { codes.append(Op(compileRecord(rest))); continue }
            codes.append(Op { _ in i < b.params.count ? b.params[i].defaultValue ?? .none : .none })
        }
        return codes
    }

    /// The error of a call whose arguments do not fit (the checker reports
    /// it first where it knows the callee; here for the calls it does not).
    func bindingError(_ signature: Signature, _ args: [Arg], prefix: Int, checkMissing: Bool = true) -> EvalError? {
        let labels = args.compactMap { $0.label }
        guard case .failure(let e) = signature.bind(positional: args.count - labels.count + prefix, labels: labels,
                                                    checkMissing: checkMissing) else { return nil }
        return e.evalError(signature)
    }

    /// A call of a library function with arguments in parameter order.
    func compileBuiltinCall(_ b: Builtin, _ args: [Arg], _ r: SourceRange) -> Code {
        let file = self.file
        let codes = builtinArgCodes(b, args, prefix: 0, r)
        if codes.count == 2, let binary = b.binary, args.count == 2, args.allSatisfy({ $0.label == nil }),
           case .local(let s)? = program.ref(args[0].value), let k = constant(args[1].value) {
            // `mod(x, 3)`: read the local and the constant directly.
            note("two-argument fast path: local #\(s) and a constant, no argument array")
            return { m in try located(r, file) { try binary(m.stack[m.fp + s], k) } }
        }
        if codes.count == 2, let binary = b.binary {
            note("two-argument fast path, no argument array")
            let c0 = codes[0].run, c1 = codes[1].run
            return { m in
                let x = try c0(m), y = try c1(m)
                return try located(r, file) { try binary(x, y) }
            }
        }
        if codes.count == 1, let unary = b.unary {
            note("one-argument fast path, no argument array")
            let c0 = codes[0].run, names = ArgumentNames(parameter: b.params[0].name, callee: b.name)
            return { m in
                let v = try c0(m)
                try located(r, file) { try m.step() }
                return m.made(try located(r, file) { try unary(UnaryArgument(value: v, names: names, machine: m)) })
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
        let cr = compile(recv)
        let call = methodCall(name, nr, args, fallback: fallback, r)
        return { m in try call(m, try cr(m)) }
    }

    /// `.name(args)` on a receiver already evaluated.
    func methodCall(_ name: String, _ nr: SourceRange, _ args: [Arg], fallback: NameRef?, _ r: SourceRange,
                    compiledArgs: [ObjectIdentifier: Op] = [:]) -> @Sendable (Machine, Value) throws -> Value {
        let file = self.file
        // Each argument is compiled once, for whichever way the call goes.
        var ops = compiledArgs
        for a in args where ops[ObjectIdentifier(a.value)] == nil { ops[ObjectIdentifier(a.value)] = Op(compile(a.value)) }
        let compiled: (Expr) -> Op = { ops[ObjectIdentifier($0)] ?? Op(self.compile($0)) }
        let codes = argCodes(args, compiled)
        /// Calls the fallback function with the receiver as its first argument.
        var fallbackCall: (@Sendable (Machine, Value) throws -> Value)? = nil
        switch fallback {
        case .builtin(let b)?:
            let codes = builtinArgCodes(b, args, prefix: 1, r, compiled)
            fallbackCall = { m, v in
                var vals = [v]
                vals.reserveCapacity(codes.count + 1)
                for c in codes { vals.append(try c.run(m)) }
                try located(r, file) { try m.step() }
                return try located(r, file) { try b.call(vals, m) }
            }
        case .global(let gi)?:
            if functions[gi] != nil {
                fallbackCall = { m, v in
                    guard case .function(let f) = try m.global(gi) else { throw EvalError("'\(name)' is not a function").located(r, file) }
                    let (vals, nv) = try codes.evaluate(m, receiver: v)
                    return try located(r, file) { try m.call(f, vals, named: nv) }
                }
            }
        default: break
        }
        let fb = fallbackCall
        return { m, v in
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
