extension Checker {
    /// Resolves names in `e` and returns what is known of its unit (kept per
    /// node only for `kdk run --dump`): one method per kind of node, the
    /// simple ones inline.
    @discardableResult
    func resolve(_ e: Expr) -> UType {
        guard canContinue(e.range) else { return .unknown }
        let t = resolveKind(e)
        if recordsTypes { res.types[ObjectIdentifier(e)] = t }
        return t
    }

    private func resolveKind(_ e: Expr) -> UType {
        switch e.kind {
        case .literal(let v): return resolveLiteral(v)
        case .unitLiteral(_, let name, let r): return resolveUnitLiteral(e, name, r)
        case .name(let n): return resolveName(e, n)
        case .text(let parts):
            for case .expr(let x) in parts { resolve(x) }
            return .other
        case .list(let items):
            let types = items.map { resolve($0) }
            return (types.first.map { first in types.dropFirst().reduce(first) { $0.unified($1) } } ?? .unknown).listOf
        case .record(let fields):
            let types = fields.map { resolve($0.value) }
            return .shaped(.record(fields: fields.map { $0.name }, types: types, origin: nil))
        case .negate(let x):
            let t = resolve(x)
            return t == .zero ? .plain : t
        case .binary(let op, let a, let b): return resolveBinary(e, op, a, b)
        case .and(let a, let b), .or(let a, let b):
            resolve(a); resolve(b)
            return .other
        case .not(let a):
            resolve(a)
            return .other
        case .coalesce(let a, let b):
            if case .field = a.kind { softFields.insert(ObjectIdentifier(a)) }
            let ta = resolve(a), tb = resolve(b)
            return ta == tb ? ta : .unknown
        case .range(let a, let b, _): return resolveRange(e, a, b)
        case .ifElse(let c, let a, let b):
            resolve(c)
            let ta = resolve(a), tb = resolve(b)
            return ta == tb ? ta : .unknown
        case .lambda(let params, let body): return resolveLambda(e, params, body)
        case .block(let lets, let result): return resolveBlock(e, lets, result)
        case .call(let callee, let args): return resolveCall(e, callee, args)
        case .methodCall(let recv, let name, let nr, let args): return resolveMethodCall(e, recv, name, nr, args)
        case .field(let recv, let name, let nr): return resolveField(e, recv, name, nr)
        case .index(let a, let i):
            let ta = resolve(a), ti = resolve(i)
            guard let element = ta.element else { return .unknown }
            if case .range = i.kind { return ta }
            return ti == .plain || ti == .zero ? element : .unknown
        case .with(let base, let fields): return resolveWith(e, base, fields)
        }
    }

    func resolveLiteral(_ v: Value) -> UType {
        switch v {
        case .number(let d): return d.isZero ? .zero : .plain
        case .quantity(_, let u): return .unit(u)
        default: return .other
        }
    }

    func resolveUnitLiteral(_ e: Expr, _ name: String, _ r: SourceRange) -> UType {
        if let u = unitNames[name] {
            res.units[ObjectIdentifier(e)] = u
            return .unit(u)
        }
        if let (ref, _) = lookup(name, in: ctx), case .unit(let u) = ref {
            res.units[ObjectIdentifier(e)] = u
            return .unit(u)
        }
        error("unknown unit '\(name)'", r, code: .unknownUnit,
              help: Suggest.help(for: name, in: Array(unitNames.keys)) ?? "declare it first: unit \(name)",
              suggestion: Suggest.closest(to: name, in: Array(unitNames.keys)))
        return .unknown
    }

    /// Help for a name that other tools define: `null`, `True`, `IF`, `SUM`.
    static func habit(_ n: String, builtins: [String: Builtin]) -> String? {
        switch n {
        case "null", "None", "nil", "NULL", "undefined", "NaN": return "kdk's missing value is none (a ?? b gives b when a is none)"
        case "True", "TRUE": return "kdk writes true in lower case"
        case "False", "FALSE": return "kdk writes false in lower case"
        case "IF", "If", "IIF": return "write if a then b else c"
        case "AND", "OR", "NOT": return "kdk writes \(n.lowercased()) in lower case, between its operands: a \(n.lowercased()) b"
        default:
            if n != n.lowercased(), builtins[n.lowercased()] != nil {
                return "kdk's functions are in lower case: \(n.lowercased())(...)"
            }
            return nil
        }
    }

    func resolveName(_ e: Expr, _ n: String) -> UType {
        guard let (ref, t) = lookup(n, in: ctx) else {
            let habit = Checker.habit(n, builtins: builtins), names = allNames() + Keyword.allCases.map { $0.rawValue }
            error("'\(n)' is not defined", e.range, code: .undefinedName, help: habit ?? Suggest.help(for: n, in: names),
                  suggestion: habit == nil ? Suggest.closest(to: n, in: names) : nil)
            return .unknown
        }
        res.names[ObjectIdentifier(e)] = ref
        if case .field(let f) = ref, !ctx.deferred { fieldDeps?.append(f) }
        return t
    }

    /// `100 USDT / 0.05 USDT/KDK` reads as `(100 USDT / 0.05 USDT) / KDK`
    /// (2000 per KDK), which is almost never meant: dividing by a price
    /// needs the price in parentheses.
    func warnIfRateNeedsParentheses(_ e: Expr, _ a: Expr, _ b: Expr) {
        guard case .binary(.div, let x, let price) = a.kind, case .unitLiteral(_, let per, _) = price.kind,
              case .name(let unitName) = b.kind, unitNames[unitName] != nil, unitName != per else { return }
        let p = file.slice(price.range), ab = file.slice(a.range), xs = file.slice(x.range)
        warning("'\(file.slice(e.range))' divides by \(p), then by \(unitName): a unit after '/' binds only to the number before it", e.range,
                help: "to divide by the price \(p)/\(unitName), write \(xs) / (\(p)/\(unitName)), or to(\(xs), \(unitName), \(p)/\(unitName)); "
                    + "to mean (\(ab)) per \(unitName), write the parentheses")
    }

    func resolveBinary(_ e: Expr, _ op: BinOp, _ a: Expr, _ b: Expr) -> UType {
        let ta = resolve(a), tb = resolve(b)
        switch op {
        case .add, .sub, .eq, .ne, .lt, .le, .gt, .ge:
            if let (msg, help) = UType.conflict(ta, tb) {
                error("cannot \(Operators.opVerb(op.symbol)) these: \(msg)", e.range, code: .unitMismatch, help: help)
                return .unknown
            }
            if op == .add || op == .sub {
                if ta == .zero { return tb }
                if case .unit = ta { return ta }
                return ta == .plain && (tb == .plain || tb == .zero) ? .plain : .unknown
            }
            return .other
        case .mul: return UType.product(ta, tb, divide: false)
        case .div:
            warnIfRateNeedsParentheses(e, a, b)
            return UType.product(ta, tb, divide: true)
        case .pow: return ta == .plain || ta == .zero ? .plain : .unknown
        case .in, .notIn: return .other
        }
    }

    func resolveRange(_ e: Expr, _ a: Expr, _ b: Expr) -> UType {
        let ta = resolve(a), tb = resolve(b)
        if let (msg, help) = UType.conflict(ta, tb) { error("the ends of this range do not match: \(msg)", e.range, help: help) }
        return .other
    }

    func resolveLambda(_ e: Expr, _ params: [Param], _ body: Expr) -> UType {
        let c = Context(parent: ctx, fields: [], deferred: true)
        // What the caller knows of the arguments (a list's items, for `map`).
        let paramTypes = lambdaParamTypes
        lambdaParamTypes = []
        var result = UType.unknown
        withContext(c) {
            declareParams(params, types: paramTypes)
            result = resolve(body)
        }
        res.functions[ObjectIdentifier(e)] = c.info
        lambdaResults[ObjectIdentifier(e)] = result
        return .other
    }

    func resolveBlock(_ e: Expr, _ lets: [LetBinding], _ result: Expr) -> UType {
        ctx.scopes.append([:])
        let savedNext = ctx.next
        var slots: [Int] = []
        var seen: [String: SourceRange] = [:]
        for b in lets {
            if let first = seen[b.name] {
                error("'\(b.name)' is already defined in this block", b.nameRange, code: .duplicate, help: "use another name",
                      labels: [Diagnostic.Label(first, "first defined here")])
            }
            seen[b.name] = b.nameRange
            let t = resolve(b.value)
            slots.append(ctx.declare(b.name, type: t))
        }
        let t = resolve(result)
        ctx.scopes.removeLast()
        ctx.next = savedNext
        res.blockSlots[ObjectIdentifier(e)] = slots
        return t
    }

    func resolveCall(_ e: Expr, _ callee: Expr, _ args: [Arg]) -> UType {
        resolve(callee)
        var library: Builtin?
        if case .name = callee.kind, case .builtin(let b)? = res.names[ObjectIdentifier(callee)] { library = b }
        let types = resolveArguments(library, args)
        if case .name(let n) = callee.kind, let ref = res.names[ObjectIdentifier(callee)] {
            checkArity(n, ref, args, e.range, extra: 0)
            if case .unit = ref { error("'\(n)' is a unit, not a function", callee.range, help: "write 5 \(n) for an amount") }
            if case .builtin(let b) = ref {
                let t = checkUnits(b, args, types)
                switch b.reads {
                case .csv?: if let shape = declaredRows(args) ?? dataFileShape(args) { return shape }
                case let format?: if let shape = jsonFileShape(format, args) { return shape }
                case nil: break
                }
                if let first = types.first, let shaped = listResult(b, Array(args.dropFirst()), Array(types.dropFirst()), list: first, prefix: 1) {
                    return shaped
                }
                return t
            }
        }
        return .unknown
    }

    func resolveMethodCall(_ e: Expr, _ recv: Expr, _ name: String, _ nr: SourceRange, _ args: [Arg]) -> UType {
        if let gi = qualifiedGlobal(recv, name) {
            for a in args { resolve(a.value) }
            res.names[ObjectIdentifier(e)] = .global(gi)
            checkArity(name, .global(gi), args, e.range, extra: 0)
            return .unknown
        }
        if case .name(let a) = recv.kind, aliases[ObjectIdentifier(file)]?.contains(a) == true, lookup(a, in: ctx) == nil {
            error("'\(a)' has no definition named '\(name)'", nr)
            return .unknown
        }
        let recvType = resolve(recv)
        let fallback = lookup(name, in: nil)?.0
        var library: Builtin?
        if case .builtin(let b)? = fallback, recvType.recordFields?.fields.contains(name) != true { library = b }
        let types = resolveArguments(library, args, list: recvType)
        // The library or global function to call when the receiver has no
        // field of that name (a record's or model's own is found at run time).
        if let ref = fallback, ({ if case .unit = ref { return false }; return true })() {
            res.methodFallback[ObjectIdentifier(e)] = ref
        }
        noteEntries(recv, name, args, types)
        if let library, let shaped = listResult(library, args, types, list: recvType, prefix: 1) { return shaped }
        return .unknown
    }

    func resolveField(_ e: Expr, _ recv: Expr, _ name: String, _ nr: SourceRange) -> UType {
        if let gi = qualifiedGlobal(recv, name) {
            res.names[ObjectIdentifier(e)] = .global(gi)
            return typeOfGlobal(gi)
        }
        if case .name(let a) = recv.kind, aliases[ObjectIdentifier(file)]?.contains(a) == true, lookup(a, in: ctx) == nil {
            error("'\(a)' has no definition named '\(name)'", nr)
            return .unknown
        }
        let recvType = resolve(recv)
        if let t = checkedField(recvType, e, name, nr) { return t }
        // `xs.length`, `xs.size`, `xs.count` on a known list: the habit of other languages.
        if recvType.element != nil, let help = Checker.lengthHabit(name) {
            error("a list has no field '\(name)'", nr, code: .noSuchField, help: help)
            return .unknown
        }
        if case .name = recv.kind, let ref = res.names[ObjectIdentifier(recv)], case .global(let gi) = ref,
           case .model = globals[gi].kind, let fields = modelFieldNames(gi) {
            let kindName = { if case .model(let m) = globals[gi].kind { return m.kind }; return "" }()
            let methods = kinds[kindName]?.methods.map { $0.name } ?? []
            if !fields.contains(name) && !methods.contains(name) && name != "name" {
                error("\(globals[gi].name) has no field '\(name)'", nr, code: .noSuchField,
                      help: Suggest.help(for: name, in: fields + methods) ?? "its fields are \(fields.joined(separator: ", "))",
                      suggestion: Suggest.closest(to: name, in: fields + methods))
            }
        }
        return .unknown
    }

    func resolveWith(_ e: Expr, _ base: Expr, _ fields: [RecordField]) -> UType {
        let baseType = resolve(base)
        let types = fields.map { resolve($0.value) }
        // A known record with changed or added fields.
        if var (names, fieldTypes, _) = baseType.recordFields {
            for (f, t) in zip(fields, types) {
                if let i = names.firstIndex(of: f.name) { fieldTypes[i] = t } else { names.append(f.name); fieldTypes.append(t) }
            }
            return .shaped(.record(fields: names, types: fieldTypes, origin: nil))
        }
        if case .name = base.kind, let ref = res.names[ObjectIdentifier(base)], case .global(let gi) = ref,
           case .model = globals[gi].kind, let names = modelFieldNames(gi) {
            for f in fields where !names.contains(f.name) {
                error("\(globals[gi].name) has no field '\(f.name)' to change", f.nameRange, code: .noSuchField,
                      help: Suggest.help(for: f.name, in: names) ?? "'with' changes existing fields; declare new ones in a model that extends it",
                      suggestion: Suggest.closest(to: f.name, in: names))
            }
        }
        return .other
    }


    /// The number an argument is written as (`5`, `-2.5`, `4T USD`), if it is one.
    static func writtenNumber(_ e: Expr) -> ExactDecimal? {
        switch e.kind {
        case .literal(.number(let d)): return d
        case .unitLiteral(let d, _, _): return d
        case .negate(let inner): return writtenNumber(inner).flatMap { try? $0.minus() }
        default: return nil
        }
    }

    /// Checks the units a library function declares for its parameters
    /// (`Parameter("fee", unit: "USD")`, `.sameUnit(as: "a")`) against the
    /// arguments whose units the text shows, and returns the result's unit
    /// from the function's `result` declaration.
    func checkUnits(_ b: Builtin, _ args: [Arg], _ types: [UType]) -> UType {
        // Each argument's type, by parameter name.
        var byParam: [String: (type: UType, arg: Arg)] = [:]
        var position = 0
        for (a, t) in zip(args, types) {
            let index: Int?
            if let l = a.label { index = b.params.firstIndex { $0.name == l } } else { index = position; position += 1 }
            guard let i = index, i < b.params.count else { continue }
            byParam[b.params[i].name] = (t, a)
        }
        for p in b.params {
            guard let (t, a) = byParam[p.name] else { continue }
            if let unitName = p.unit {
                let want = UnitRegistry.shared.named(unitName)
                switch t {
                case .unit(let u) where !UnitRegistry.shared.sameDimension(u, want):
                    error("'\(b.name)' takes \(p.name) in \(unitName), not \(UnitRegistry.shared.name(u))", a.value.range)
                case .plain:
                    error("'\(b.name)' takes \(p.name) as an amount in \(unitName), not a plain number", a.value.range,
                          help: "write it with its unit, e.g. 5 \(unitName)")
                default: break
                }
            }
            if let other = p.sameUnitAs, let (t0, _) = byParam[other], let (msg, help) = UType.conflict(t0, t) {
                error("'\(b.name)' needs \(other) and \(p.name) in one unit: \(msg)", a.value.range, help: help)
            }
            // Bounds the function declares, for arguments written as numbers.
            if p.positive, let v = Checker.writtenNumber(a.value), !(v > .zero) {
                error("'\(b.name)' needs \(p.name) above zero, not \(v)", a.value.range)
            }
            if let other = p.above, let v = Checker.writtenNumber(a.value), let (_, oa) = byParam[other],
               let w = Checker.writtenNumber(oa.value), !(v > w) {
                error("'\(b.name)' needs \(p.name) above \(other) (\(w)), not \(v)", a.value.range)
            }
        }
        if let declared = b.returns?.checkerType(input: "the result of \(b.name)"), declared != .unknown, declared != .other { return declared }
        switch b.result {
        case .unknown: return .unknown
        case .plain: return .plain
        case .unit(let name): return .unit(UnitRegistry.shared.named(name))
        case .sameAs(let p):
            switch byParam[p]?.type {
            case .plain?: return .plain
            case .zero?: return .zero  // abs(0) + 5 USD is 0 + 5 USD
            case .unit(let u)?: return .unit(u)
            default: return .unknown
            }
        }
    }

    /// Checks a call against a statically known function's parameters,
    /// with the binder and words the run uses (`Signature`).
    func checkArity(_ name: String, _ ref: NameRef, _ args: [Arg], _ r: SourceRange, extra: Int) {
        let signature: Signature
        switch ref {
        case .builtin(let b): signature = Signature(b)
        case .global(let i):
            guard case .function(let f) = globals[i].kind else { return }
            signature = Signature(name: name, params: f.params.map { $0.name }, required: f.params.map { $0.defaultValue == nil })
        default:
            return
        }
        let named = args.filter { $0.label != nil }
        let result = signature.bind(positional: args.count - named.count + extra, labels: named.compactMap { $0.label })
        guard case .failure(let e) = result else { return }
        let at = e.argument.map { named[$0].labelRange ?? r } ?? r
        error(code: .arguments, e.message(signature), at, help: e.help(signature), suggestion: e.suggestion(signature))
    }
}
