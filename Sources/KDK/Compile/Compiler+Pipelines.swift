/// Fusing `map`/`filter` chains: `range(n).filter(f).map(g) |> sum` runs as
/// one loop that builds neither the range nor the lists in between
/// (`Pipeline`, which says why the result, steps and errors are those of the
/// calls one after another). Chosen when the calls are of functions that
/// declare a `PipelineRole`, with positional arguments, and each function
/// argument is a lambda or names a function (so evaluating it early changes
/// nothing); at run time, when the items are a list or a range of whole
/// numbers and every argument is a function. Anything else runs the calls
/// as written.
extension Compiler {
    /// A call of a function with a pipeline role: the list argument, the
    /// other arguments, and the call as written given its list.
    private struct LibraryCall {
        let role: PipelineRole
        let builtin: Builtin
        let list: Expr
        let rest: [Arg]
        let range: SourceRange
        let isMethod: Bool

        /// A `map` or `filter`.
        var isStage: Bool {
            switch role {
            case .map, .filter: return true
            default: return false
            }
        }
    }

    private func libraryCall(_ e: Expr) -> LibraryCall? {
        switch e.kind {
        case .call(let callee, let args):
            guard case .builtin(let b)? = program.ref(callee), let role = b.pipeline,
                  let first = args.first, first.label == nil else { return nil }
            return LibraryCall(role: role, builtin: b, list: first.value, rest: Array(args.dropFirst()), range: e.range, isMethod: false)
        case .methodCall(let recv, _, _, let args) where program.ref(e) == nil:
            guard case .builtin(let b)? = program.methodFallback(e), let role = b.pipeline else { return nil }
            return LibraryCall(role: role, builtin: b, list: recv, rest: args, range: e.range, isMethod: true)
        default: return nil
        }
    }

    /// A function argument whose evaluation cannot fail or do anything: a
    /// lambda, a local, a captured name, a name for a function, or a
    /// top-level let (`let triple = scale(3)`), which the fused loop reads
    /// only once it is evaluated (`fusedRead`).
    private func isFunctionLike(_ e: Expr) -> Bool {
        if case .lambda = e.kind { return true }
        switch program.ref(e) {
        case .local?, .capture?, .builtin?, .global?: return true
        default: return false
        }
    }

    /// How the fused loop reads a function argument compiled as `op`: a
    /// top-level let is read only when this run has evaluated it already
    /// (its evaluation may print or fail, and must happen where the calls
    /// as written would evaluate it); before that it reads as none, which
    /// sends the pipeline down the calls as written.
    private func fusedRead(_ e: Expr, _ op: Op) -> Code {
        guard case .global(let gi)? = program.ref(e), functions[gi] == nil else { return op.run }
        return { m in m.globalState[gi] == .ready ? m.globals[gi] : .none }
    }

    /// The call as written, given its (already evaluated) list.
    /// `compiled`: the code of arguments compiled already.
    private func applied(_ c: LibraryCall, _ e: Expr, _ compiled: [ObjectIdentifier: Op]) -> @Sendable (Machine, Value) throws -> Value {
        if case .methodCall(_, let name, let nr, let args) = e.kind {
            return methodCall(name, nr, args, fallback: program.methodFallback(e), e.range, compiledArgs: compiled)
        }
        let b = c.builtin, r = c.range, file = self.file
        let codes = builtinArgCodes(b, c.rest, prefix: 1, r) { compiled[ObjectIdentifier($0)] ?? Op(self.compile($0)) }
        return { m, v in
            var vals = [v]
            for code in codes { vals.append(try code.run(m)) }
            try located(r, file) { try m.step() }
            return try located(r, file) { try b.call(vals, m) }
        }
    }

    /// Code for `e` as a fused pipeline, or nil when it is not one.
    func compilePipeline(_ e: Expr) -> Code? {
        guard fusesPipelines, let outer = libraryCall(e) else { return nil }
        // The last call: a consumer of the items, or itself a map/filter.
        var end: Fold? = nil
        var test: Expr? = nil
        var outermostFirst: [(call: LibraryCall, expr: Expr)] = []
        switch outer.role {
        case .end(let folding):
            let fold = folding.fold
            // Its function, if it takes one, positionally.
            guard outer.rest.count <= (fold.function == nil ? 0 : 1),
                  outer.rest.allSatisfy({ $0.label == nil && isFunctionLike($0.value) }) else { return nil }
            end = fold
            test = outer.rest.first?.value
        case .map, .filter:
            outermostFirst = [(outer, e)]
        case .wholeNumbers: return nil
        case .accumulate: return compileAccumulation(outer)
        }
        var source = outer.list
        while let c = libraryCall(source), c.isStage {
            outermostFirst.append((c, source))
            source = c.list
        }
        let chain = Array(outermostFirst.reversed())
        guard chain.count >= (end == nil ? 2 : 1),
              chain.allSatisfy({ $0.call.rest.count == 1 && $0.call.rest[0].label == nil && isFunctionLike($0.call.rest[0].value) })
        else { return nil }
        note("fused pipeline: \((chain.map { $0.call.builtin.name } + (end == nil ? [] : [outer.builtin.name])).joined(separator: " → "))")

        let file = self.file
        let itemsCode = compilePipelineSource(source)
        // Each function argument is compiled once, for the loop and the calls as written.
        let fnOps = chain.map { Op(compile($0.call.rest[0].value)) }
        let testOp = test.map { Op(compile($0)) }
        var compiled: [ObjectIdentifier: Op] = [:]
        for (c, op) in zip(chain, fnOps) { compiled[ObjectIdentifier(c.call.rest[0].value)] = op }
        if let test, let testOp { compiled[ObjectIdentifier(test)] = testOp }
        let fnCodes = zip(chain, fnOps).map { fusedRead($0.call.rest[0].value, $1) }
        let testCode = zip(test.map { [$0] } ?? [], testOp.map { [$0] } ?? []).map { fusedRead($0, $1) }.first
        let stagesAsWritten = chain.map { applied($0.call, $0.expr, compiled) }
        let endAsWritten = end == nil ? nil : applied(outer, e, compiled)
        let shapes = chain.map { c -> (isFilter: Bool, range: SourceRange) in
            if case .filter = c.call.role { return (true, c.call.range) }
            return (false, c.call.range)
        }
        let endRange = outer.range
        let firstName = chain[0].call.builtin.name
        let endFold = end
        return { m in
            let items = try itemsCode(m)
            let fns = try fnCodes.map { try $0(m) }
            let testValue = try testCode.map { try $0(m) }
            // The fused loop needs items it can count and functions to call.
            var source: Pipeline.Source? = nil
            switch items {
            case .numbers(let w): source = .numbers(w)
            case .value(.list(let xs)): source = .list(xs.array)
            case .value(.range(let r)):
                if let w = try? WholeRange(r, firstName), w.count <= m.limits.maxSize { source = .numbers(w) }
            case .value: break
            }
            let functions = fns.compactMap { if case .function(let fn) = $0 { return fn }; return nil }
            var testFunction: Function? = nil
            if let t = testValue { if case .function(let fn) = t { testFunction = fn } else { source = nil } }
            if let src = source, functions.count == fns.count {
                let stages = zip(shapes, functions).map { shape, fn in
                    Pipeline.Stage(isFilter: shape.isFilter, fn: fn, locate: { $0.located(shape.range, file) })
                }
                return try m.run(Pipeline(source: src, stages: stages, end: endFold, test: testFunction,
                                          locateEnd: { $0.located(endRange, file) }))
            }
            // As written, call by call.
            var cur = items.value
            for stage in stagesAsWritten { cur = try stage(m, cur) }
            return try endAsWritten.map { try $0(m, cur) } ?? cur
        }
    }

    /// `range(n).reduce(initial, f)`: the function over the range's numbers
    /// one at a time, without the list of them (a loop of three million
    /// spent a quarter of its time building that list). The same steps are
    /// counted and the same errors raised as by the calls as written: the
    /// range's size is checked, then the arguments are evaluated in order.
    private func compileAccumulation(_ c: LibraryCall) -> Code? {
        guard c.rest.count == 2, c.rest.allSatisfy({ $0.label == nil }),
              let source = libraryCall(c.list), case .wholeNumbers = source.role, !source.isMethod else { return nil }
        note("fused: \(c.builtin.name) over the numbers of \(source.builtin.name), not a list of them")
        let items = compilePipelineSource(c.list)
        let initial = compile(c.rest[0].value), function = compile(c.rest[1].value)
        let b = c.builtin, r = c.range, file = self.file
        return { m in
            let source = try items(m)
            let start = try initial(m), f = try function(m)
            try located(r, file) { try m.step() }
            if case .numbers(let w) = source, case .function(let fn) = f {
                return try located(r, file) { try m.foldCall(fn, start, count: w.count, item: w.item) }
            }
            return try located(r, file) { try b.call([source.value, start, f], m) }
        }
    }

    /// The items a pipeline starts from: a value, or `range(a, b)` of whole
    /// numbers, counted (and checked against the size limit) but not built.
    enum PipelineItems {
        case value(Value)
        case numbers(WholeRange)

        /// As a value: the range's numbers built.
        var value: Value {
            switch self {
            case .value(let v): return v
            case .numbers(let w): return .list((0..<w.count).map(w.item))
            }
        }
    }

    func compilePipelineSource(_ e: Expr) -> @Sendable (Machine) throws -> PipelineItems {
        guard let c = libraryCall(e), case .wholeNumbers = c.role, !c.isMethod, (0...1).contains(c.rest.count), c.rest.allSatisfy({ $0.label == nil }) else {
            let code = compile(e)
            return { m in .value(try code(m)) }
        }
        let b = c.builtin, r = c.range, file = self.file
        let codes = builtinArgCodes(b, [Arg(label: nil, labelRange: nil, value: c.list)] + c.rest, prefix: 0, r)
        return { m in
            var vals: [Value] = []
            for code in codes { vals.append(try code.run(m)) }
            try located(r, file) { try m.step() }
            // `range(n)`, `range(a, b)` of whole numbers, step 1: what the
            // function would build, counted the same way.
            if vals.count == 3, case .number(let step) = vals[2], step.intValue == 1, case .number(let a) = vals[0], let x = a.intValue {
                var bounds: (Int, Int)? = nil
                if case .none = vals[1] { bounds = (0, x) } else if case .number(let h) = vals[1], let y = h.intValue { bounds = (x, y) }
                if let (lo, hi) = bounds, case (let span, false) = hi.subtractingReportingOverflow(lo) {
                    let count = max(0, span)
                    try located(r, file) { try m.checkSize(count) }
                    return .numbers(WholeRange(lower: lo, count: count))
                }
            }
            return .value(try located(r, file) { try b.call(vals, m) })
        }
    }
}
