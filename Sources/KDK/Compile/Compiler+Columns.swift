/// Plans a one-parameter lambda over rows for evaluation over a table's
/// columns (`ColumnPlan`), when its body is made only of what a plan can
/// evaluate; nil otherwise, and the lambda is called on each row.
extension Compiler {
    /// Gives `f` (a lambda, or a model's method such as `score(p)`) its plan,
    /// if it has one parameter and a body a plan can evaluate.
    func planColumns(of f: CompiledFunction, params: [Param], body: Expr) {
        guard params.count == 1, params[0].defaultValue == nil,
              let plan = ColumnPlanner(compiler: self, row: params[0].name, element: nil, lambda: f).plan(body) else { return }
        f.columnPlan = plan
        note("over columns, as a campaign's rule or score on a table's rows")
    }
}

struct ColumnPlanner {
    let compiler: Compiler
    /// The lambda's parameter: the row.
    let row: String
    /// Inside `list.any(t => ...)`: `t`.
    let element: String?
    let lambda: CompiledFunction

    func plan(_ e: Expr) -> ColumnPlan? {
        if !readsRowOrElement(e) { return invariant(e) }
        switch e.kind {
        case .field(let recv, let name, _):
            guard case .name(row) = recv.kind, element != row else { return nil }
            return .field(name)
        case .name(let n): return n == element ? .element : nil
        case .not(let a): return plan(a).map { .not($0) }
        case .negate(let a): return plan(a).map { .negate($0) }
        case .and(let a, let b): return both(a, b).map { .and($0, $1) }
        case .or(let a, let b): return both(a, b).map { .or($0, $1) }
        case .coalesce(let a, let b): return both(a, b).map { .coalesce($0, $1) }
        case .binary(let op, let a, let b): return both(a, b).map { .binary(op, $0, $1) }
        case .call(let f, let args):
            // A function with a unary body (`lower(p.text)`).
            guard args.count == 1, args[0].label == nil, case .builtin(let b)? = compiler.program.ref(f),
                  b.unary != nil, let a = plan(args[0].value) else { return nil }
            return .call(b, a)
        case .methodCall(let recv, _, _, let args):
            // `list.any(t => ...)`: a function that reads a list through a fold, with a lambda.
            guard element == nil, case .builtin(let b)? = compiler.program.methodFallback(e), let fold = b.fold,
                  fold.function != nil, args.count == 1, args[0].label == nil, case .lambda(let ps, let body) = args[0].value.kind,
                  ps.count == 1, ps[0].defaultValue == nil, let list = plan(recv) else { return nil }
            let inner = ColumnPlanner(compiler: compiler, row: row, element: ps[0].name, lambda: lambda)
            return inner.plan(body).map { .fold(fold, list, $0) }
        default: return nil
        }
    }

    private func both(_ a: Expr, _ b: Expr) -> (ColumnPlan, ColumnPlan)? {
        guard let x = plan(a), let y = plan(b) else { return nil }
        return (x, y)
    }

    /// Whether `e` names the row or the element anywhere (by name, so a
    /// nested lambda's parameter of the same name counts too: such a body
    /// is not planned).
    func readsRowOrElement(_ e: Expr) -> Bool {
        if case .name(let n) = e.kind, n == row || n == element { return true }
        return e.children.contains { readsRowOrElement($0) }
    }

    /// Whether `e` calls something: what `--dump` points out as hoisted.
    func calls(_ e: Expr) -> Bool {
        switch e.kind {
        case .call, .methodCall: return true
        default: return e.children.contains(where: calls)
        }
    }

    /// A part of the lambda that does not read the row: worked out once
    /// when the plan is bound to its rows (`topics.map(lower)`, `len(topics)`,
    /// `window.end - 1 days`), whatever the spelling. Names of globals, the
    /// model's fields and units, and the lambda's own captures outside an
    /// `any` (whose lambda's frame does not exist) may appear, with literals,
    /// operators and calls: a call with effects, or any error, stops the
    /// binding at run time and the lambda runs per row (`ColumnPlan.bound`).
    /// Statically, it may not read the lambda's own locals, which are not
    /// set yet when it runs.
    func invariant(_ e: Expr) -> ColumnPlan? {
        if case .literal(let v) = e.kind { return .constant(v) }
        /// `inner`: inside a lambda of the expression, whose own parameters
        /// are its locals; what it captures could be the row lambda's locals.
        func allowed(_ x: Expr, inner: Bool) -> Bool {
            switch x.kind {
            case .block: return false
            case .lambda(_, let body): return allowed(body, inner: true)
            default: break
            }
            switch compiler.program.ref(x) {
            case .local?: if !inner { return false }
            case .capture?: if inner || element != nil { return false }
            default: break
            }
            return x.children.allSatisfy { allowed($0, inner: inner) }
        }
        guard allowed(e, inner: false) else { return nil }
        let code = CompiledFunction(name: lambda.name, paramNames: lambda.paramNames, defaults: lambda.paramNames.map { _ in nil },
                                    frameSize: lambda.frameSize, range: e.range, file: compiler.file)
        // Compiled a second time (the lambda's body has it too): its notes
        // for `--dump` are already there.
        let notes = compiler.plan
        compiler.plan = nil
        code.body = compiler.compile(e)
        compiler.plan = notes
        if compiler.plan != nil, calls(e) {
            compiler.plan![ObjectIdentifier(e), default: []].append("worked out once over a table, not per row")
        }
        return .invariant(code)
    }
}
