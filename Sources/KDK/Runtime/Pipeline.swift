/// A fused pipeline: `map` and `filter` calls over a list or a range, ending
/// in a function that reads the items one at a time (its `Fold`: `sum`,
/// `len`, `count`, `any`, `all`, `first`...) or in a list, run as one loop
/// that builds no list in between (the compiler chooses it from the
/// functions' `PipelineRole`s: Compiler+Pipelines.swift).
///
/// It gives what the calls one after another give: the same value and
/// steps, or the same error, named by the same item ("with the 3rd item of
/// 1,000"); a run that fails may have counted a few more steps (each call's
/// own step is counted up front). Run one after another, every call finishes over all its items
/// before the next begins, so an error in an earlier call, on a later item,
/// comes first; and the count in the message is that of the call's whole
/// list. So when an item fails, or `any`/`all`/`first` knows its answer, the
/// earlier calls are run over the remaining items before the loop ends. Only
/// `print` inside the functions shows the difference: item by item rather
/// than call by call.
struct Pipeline {
    /// Where the items come from.
    enum Source {
        case list([Value])
        /// Whole numbers (`range(n)`, or a range value), not built.
        case numbers(WholeRange)

        var count: Int {
            switch self {
            case .list(let xs): return xs.count
            case .numbers(let w): return w.count
            }
        }

        subscript(i: Int) -> Value {
            switch self {
            case .list(let xs): return xs[i]
            case .numbers(let w): return w.item(i)
            }
        }
    }

    /// A `map` or `filter` call.
    struct Stage {
        let isFilter: Bool
        let fn: Function
        /// Locates an error at the call, as the call would.
        let locate: (EvalError) -> EvalError
    }

    let source: Source
    let stages: [Stage]
    /// What the last call makes of the items: its fold, or nil when the
    /// chain ends in a `map` or `filter` (a list).
    let end: (any Fold)?
    /// The function given to the end (`count`'s test), if any.
    let test: Function?
    let locateEnd: (EvalError) -> EvalError

    /// How many rows of a table a pipeline needs before its first calls run
    /// over the columns (fewer are as fast called one by one).
    static let columnsFrom = 1_024
}

extension Machine {
    /// Runs a fused pipeline (see `Pipeline`).
    func run(_ p: Pipeline) throws -> Value {
        // One step per call, as each call of a library function takes.
        let calls = p.stages.count + (p.end == nil ? 0 : 1)
        for _ in 0..<calls { try step() }
        let p = try overColumns(p)
        var callers = p.stages.map { $0.fn }
        if let t = p.test { callers.append(t) }
        return try withFrames(for: callers) { frames in
            var runner = PipelineRunner(p: p, machine: self, frames: frames)
            return try runner.run()
        }
    }

    /// The pipeline with its first `filter`s, and a `map` after them, worked
    /// out over the columns of a table (`TableRows`) when the items are rows
    /// of one table and those functions have a plan: each gives the list the
    /// calls one after another would give, so the rest runs as before, and
    /// an error met later names its item as it would. A call whose plan
    /// fails (an error, a filter test that is not a bool) is left, with the
    /// calls after it, to run item by item, which reports what it should.
    /// Each row a plan evaluates is charged one step, as a call is.
    func overColumns(_ p: Pipeline) throws -> Pipeline {
        guard case .list(let xs) = p.source, xs.count >= Pipeline.columnsFrom, let first = p.stages.first,
              TableRows.canEvaluate(first.fn), let rows = TableRows(xs[...]) else { return p }
        var slots = Array(xs.indices)
        var mapped: [Value]? = nil
        var k = 0
        stages: while k < p.stages.count, TableRows.canEvaluate(p.stages[k].fn),
                      let values = try? rows.evaluate(p.stages[k].fn, at: slots, self) {
            try charge(slots.count)
            guard p.stages[k].isFilter else { mapped = values; k += 1; break }
            var kept: [Int] = []
            for (slot, v) in zip(slots, values) {
                guard case .bool(let pass) = v else { break stages }
                if pass { kept.append(slot) }
            }
            slots = kept
            k += 1
        }
        guard k > 0 else { return p }
        return Pipeline(source: .list(mapped ?? slots.map { xs[$0] }), stages: Array(p.stages[k...]), end: p.end, test: p.test,
                        locateEnd: p.locateEnd)
    }

    /// `fn` of each item (the keys of `sort_by` and `group_by`): over the
    /// columns when the items are rows of one table and `fn` has a plan
    /// (one step a row, as a call), else called item by item (which names
    /// the item of any error).
    public func results(of fn: Function, over xs: [Value]) throws -> [Value] {
        if xs.count >= Pipeline.columnsFrom, TableRows.canEvaluate(fn), let rows = TableRows(xs[...]),
           let values = try? rows.evaluate(fn, at: Array(xs.indices), self) {
            try charge(xs.count)
            return values
        }
        var out: [Value] = []
        out.reserveCapacity(xs.count)
        try forEachCall(fn, xs) { _, y in out.append(y); return true }
        return out
    }

    /// Opens one frame for each one-parameter kdk closure in `fns`, stacked,
    /// for the whole loop (as `forEachCall` does for one), and gives `body`
    /// the frames: `frames.call(k, x, machine)` calls `fns[k]` with `x`.
    func withFrames<T>(for fns: [Function], _ body: (StageFrames) throws -> T) throws -> T {
        var bases: ContiguousArray<Int> = []
        var top = sp
        for f in fns {
            if let c = own(f), c.paramCount == 1 {
                bases.append(top)
                top += c.frameSize
            } else {
                bases.append(-1)
            }
        }
        depth += 1
        defer { depth -= 1 }
        if (top >= capacity && !ensureCapacity(top)) || depth > maxDepth || !StackGuard.hasRoom(limit: stackLimit) {
            if let f = fns.lazy.compactMap({ $0.compiled }).first { throw tooDeep(f) }
            throw EvalError.limit("recursion too deep", help: "raise Limits.maxDepth")
        }
        let savedFP = fp, savedSP = sp, savedEnv = env, savedSelf = selfObject
        sp = top
        if top > highWater { highWater = top }
        defer { fp = savedFP; sp = savedSP; env = savedEnv; selfObject = savedSelf }
        let frames = StageFrames(fns: fns, bases: bases, own: own)
        if let (captures, object) = frames.fixed {
            env = captures
            selfObject = object
        }
        return try body(frames)
    }
}

/// The functions of a fused loop, each with its frame if it has one.
struct StageFrames {
    let fns: ContiguousArray<Function>
    /// Where each function's frame starts; -1 for one called the general way.
    let bases: ContiguousArray<Int>
    let bodies: ContiguousArray<(@Sendable (Machine) throws -> Value)?>
    /// The captures and model the whole loop runs with, when at most one
    /// function has any: a closure that captures nothing and no model reads
    /// neither, so it needs no switch between calls (switching saved a third
    /// of the loop for closures without captures; setting the one closure's
    /// captures per call counted two references per item). Nil: several
    /// have their own, switched per call.
    let fixed: (captures: [Value], object: ModelObject?)?

    init(fns: [Function], bases: ContiguousArray<Int>, own: (Function) -> CompiledFunction?) {
        self.fns = ContiguousArray(fns)
        self.bases = bases
        bodies = ContiguousArray(fns.map { own($0)?.body })
        let own = fns.filter { !$0.captures.isEmpty || $0.selfObject != nil }
        fixed = own.count <= 1 ? (own.first?.captures ?? [], own.first?.selfObject) : nil
    }

    /// Calls function `k` with `x`.
    @inline(__always)
    func call(_ k: Int, _ x: Value, _ m: Machine) throws -> Value {
        let base = bases[k]
        guard base >= 0, let run = bodies[k] else { return try m.call(fns[k], x) }
        try m.step()
        m.stack[base] = x
        m.fp = base
        if fixed == nil {
            m.env = fns[k].captures
            m.selfObject = fns[k].selfObject
        }
        return try run(m)
    }
}

/// The loop of one pipeline run, and what it has counted so far.
struct PipelineRunner {
    let p: Pipeline
    let machine: Machine
    let frames: StageFrames
    /// How many items have entered each call (the last: the end).
    var reached: [Int]

    init(p: Pipeline, machine: Machine, frames: StageFrames) {
        self.p = p
        self.machine = machine
        self.frames = frames
        reached = Array(repeating: 0, count: p.stages.count + 1)
    }

    @inline(__always)
    func call(_ k: Int, _ x: Value) throws -> Value { try frames.call(k, x, machine) }

    mutating func run() throws -> Value {
        // The loop specialized for the end's fold.
        if let end = p.end { return try end.fused(&self) }
        var out: [Value] = []
        out.reserveCapacity(p.source.count)
        try loop { x, _ in out.append(x); return true }
        return .list(out)
    }

    /// The loop ending in `fold` (called through `Fold.fused`, so that it is
    /// specialized for each fold, `next` inlined).
    @inline(__always)
    mutating func run<F: Fold>(_ fold: F) throws -> Value {
        var state = FoldState()
        let machine = self.machine
        try loop { x, r in try fold.next(&state, x, r, machine) }
        return fold.finish(state)
    }

    /// Runs the stages over the source items, giving each item that reaches
    /// the end to `end` with its test's result, until `end` says the answer
    /// is known.
    @inline(__always)
    mutating func loop(_ end: (Value, Value?) throws -> Bool) throws {
        let n = p.source.count, ends = p.stages.count
        // Read once: copying a stage in the loop cost a retain and a
        // release per item.
        let filters = ContiguousArray(p.stages.map { $0.isFilter })
        let hasTest = p.test != nil
        items: for i in 0..<n {
            var x = p.source[i]
            for k in 0..<ends {
                reached[k] += 1
                do {
                    let y = try call(k, x)
                    if filters[k] {
                        if try !Machine.truth(y, "filter") { continue items }
                    } else {
                        x = y
                    }
                } catch let e as EvalError where !e.isLimit {
                    throw settle(e, item: i, stage: k, input: x)
                }
            }
            reached[ends] += 1
            let known: Bool
            do {
                known = try !end(x, hasTest ? try call(ends, x) : nil)
            } catch let e as EvalError where !e.isLimit {
                throw settle(e, item: i, stage: ends, input: x)
            }
            // The answer is known: the earlier calls still run over the rest
            // (outside the `do`, whose handler would run them a second time).
            if known {
                try finish(after: i)
                break items
            }
        }
    }

    /// The error the calls one after another would have given for `e`,
    /// raised by call `k` on the item from source item `i`: an error of an
    /// earlier call on a later item if there is one, else `e`, naming its
    /// item in the whole list that call would have had.
    mutating func settle(_ e: EvalError, item i: Int, stage k: Int, input: Value) -> Error {
        switch remaining(after: i, through: k) {
        case .failure(let earlier): return earlier
        case .success(let rest):
            // Of the ends, only a test names its item (as `forEachCall` does).
            let named = k < p.stages.count || p.test != nil
                ? Machine.naming(e, item: reached[k] - 1, count: reached[k] + rest.count, value: input) : e
            return k < p.stages.count ? p.stages[k].locate(named) : p.locateEnd(named)
        }
    }

    /// After `any`, `all` or `first` knew its answer at source item `i`:
    /// the earlier calls still run over the rest, as they would have.
    mutating func finish(after i: Int) throws {
        if case .failure(let e) = remaining(after: i, through: p.stages.count) { throw e }
    }

    /// Runs the calls before `k` over the source items after `i`, call by
    /// call, giving the items that reach call `k`, or the first error
    /// (named, located) as the calls one after another would meet it.
    mutating func remaining(after i: Int, through k: Int) -> Result<[Value], Error> {
        var items = (i + 1..<p.source.count).map { p.source[$0] }
        for j in 0..<k {
            let stage = p.stages[j]
            var kept: [Value] = []
            for (at, x) in items.enumerated() {
                do {
                    let y = try call(j, x)
                    if stage.isFilter { if try Machine.truth(y, "filter") { kept.append(x) } } else { kept.append(y) }
                } catch let e as EvalError where !e.isLimit {
                    return .failure(stage.locate(Machine.naming(e, item: reached[j] + at, count: reached[j] + items.count, value: x)))
                } catch {
                    return .failure(error)
                }
            }
            items = kept
        }
        return .success(items)
    }
}

