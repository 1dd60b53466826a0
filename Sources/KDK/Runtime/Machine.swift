import Foundation

/// The state of one run: a contiguous value stack for call frames, the
/// globals, and the limits. One machine runs one evaluation at a time, so a
/// compiled program can run on several threads at once, each with its own;
/// a `Program` keeps finished machines for its next runs (`MachinePool`).
///
/// Every stored property is `@exclusivity(unchecked)`: Swift's run-time
/// check of each access to a class's property cost about 75 instructions,
/// a quarter of a small rule's evaluation (callgrind, scripts/bench/embed).
/// No code here holds an access to a property across a call that could
/// reach the same property (text interpolation moves its scratch buffer
/// out while it runs), which is what the check would catch.
public final class Machine {
    let image: ProgramImage
    /// Frames live here: `stack[fp + slot]` is a local. The stack starts
    /// small and grows (moving) up to `maxCapacity`, so a run costs what it
    /// uses, not what its depth limit allows; nothing may keep a pointer into
    /// it across a call, which could grow it.
    @exclusivity(unchecked) private(set) var stack: UnsafeMutablePointer<Value>
    @exclusivity(unchecked) private(set) var capacity: Int
    /// The most slots the depth limit allows.
    @exclusivity(unchecked) private(set) var maxCapacity: Int
    @exclusivity(unchecked) var sp = 0
    /// The highest frame top since the last `reset`: slots above it were not
    /// written by a run that ended normally.
    @exclusivity(unchecked) var highWater = 0
    @exclusivity(unchecked) var fp = 0
    /// The bytecode calls in progress (Machine+Bytecode.swift): a buffer
    /// of its own, since an array's append checked its uniqueness per call.
    @exclusivity(unchecked) var frames = BytecodeFrames()
    /// Captured values of the running closure.
    @exclusivity(unchecked) var env: [Value] = []
    /// The model object whose field or method is running, if any.
    @exclusivity(unchecked) var selfObject: ModelObject?
    /// Reused by text interpolation to build UTF-8 bytes.
    @exclusivity(unchecked) var textScratch: [UInt8] = []
    /// Where characters start in the large texts this run made or indexed last.
    @exclusivity(unchecked) var textCrumbs = TextCrumbs()

    @exclusivity(unchecked) var globals: [Value]
    /// 0 not yet evaluated, 1 being evaluated, 2 done.
    /// The model fields this run is evaluating, innermost last (cycle detection).
    @exclusivity(unchecked) var fieldsInProgress: [(object: ModelObject, index: Int)] = []
    @exclusivity(unchecked) var globalState: [GlobalState]

    /// The limits of this run.
    @exclusivity(unchecked) public private(set) var limits: Limits
    @exclusivity(unchecked) private(set) var maxDepth: Int
    /// What this run may touch.
    @exclusivity(unchecked) public private(set) var access: HostAccess
    @exclusivity(unchecked) var steps = 0
    @exclusivity(unchecked) var stepBudget = 0
    @exclusivity(unchecked) var depth = 0
    /// Where this thread's stack ends (less the reserve); set per run, since
    /// a pooled machine may run on another thread next time.
    @exclusivity(unchecked) private(set) var stackLimit: UInt = 0
    @exclusivity(unchecked) private(set) var deadline: Double?
    @exclusivity(unchecked) private(set) var isCancelled: @Sendable () -> Bool
    /// Whether an asynchronous host function may block this run's thread
    /// while it waits (a run from `Program.value`, on a thread of its own).
    @exclusivity(unchecked) var mayWait = false
    /// Set while a column plan works out a part of a rule that does not
    /// read the row, once for all rows: a call with effects then stops it
    /// (`ColumnPlan.Unsupported`), and the rule runs per row instead.
    @exclusivity(unchecked) var hoisting = false
    /// Warnings raised while running.
    @exclusivity(unchecked) public internal(set) var warnings: [Diagnostic] = []
    /// Machines of other programs whose closures or models this run called
    /// (Machine+Elsewhere.swift), and the machine that called into this one.
    @exclusivity(unchecked) var elsewhereMachines: [Machine] = []
    @exclusivity(unchecked) unowned(unsafe) var caller: Machine?
    /// Whether this machine runs a share of an `inParallel` loop: it may not
    /// evaluate a let or a model field (their effects must happen once, in
    /// order), and any error sends the loop back to running in order.
    @exclusivity(unchecked) private(set) var isWorker = false
    /// What this run did that tests want to see (counted on this machine,
    /// never a worker's, so no lock).
    @exclusivity(unchecked) var counts = RunCounts()

    init(image: ProgramImage, limits: Limits, access: HostAccess, isCancelled: @escaping @Sendable () -> Bool) {
        self.image = image
        self.limits = limits
        maxDepth = limits.maxDepth
        self.access = access
        self.isCancelled = isCancelled
        maxCapacity = 1024
        capacity = Machine.firstCapacity
        stack = Machine.emptyStack()
        globals = image.initialGlobals
        globalState = image.initialGlobalState
        begin(limits: limits, access: access, isCancelled: isCancelled)
    }

    /// Sets up a run on the calling thread: its limits, clock and access.
    func begin(limits: Limits, access: HostAccess, isCancelled: @escaping @Sendable () -> Bool) {
        self.limits = limits
        maxDepth = limits.maxDepth
        self.access = access
        self.isCancelled = isCancelled
        maxCapacity = max(1024, min(limits.maxDepth * 8 + 4096, 4_000_000))
        restart()
    }

    /// Takes `m`'s limits, clock, access and stack bound: a call from `m`'s
    /// run into this machine's program (Machine+Elsewhere.swift).
    func adopt(limitsOf m: Machine) {
        limits = m.limits
        maxDepth = m.maxDepth
        maxCapacity = m.maxCapacity
        access = m.access
        isCancelled = m.isCancelled
        stackLimit = m.stackLimit
        deadline = m.deadline
        mayWait = m.mayWait
    }

    /// Makes this machine, made on a worker's thread with `parent`'s limits
    /// (so with that thread's own stack bound), a worker for `parent`'s
    /// `inParallel` loop: the parent's evaluated globals, deadline and steps.
    func beginWorker(of parent: Machine) {
        isWorker = true
        globals = parent.globals
        globalState = parent.globalState
        deadline = parent.deadline
        steps = parent.stepsTaken
    }

    /// Steps counted so far (`steps` is brought up to date only every 64K).
    /// Steps taken so far in this run.
    public var stepsTaken: Int { steps + (1 << 16) - stepBudget }

    /// A new machine's stack size, in values.
    static let firstCapacity = 32

    /// A stack of `firstCapacity` values, all none.
    static func emptyStack() -> UnsafeMutablePointer<Value> {
        let s = UnsafeMutablePointer<Value>.allocate(capacity: firstCapacity)
        s.initialize(repeating: .none, count: firstCapacity)
        return s
    }

    /// Stacks larger than this are not kept for another run.
    static let keptCapacity = 4096

    /// Drops everything the last run left (stack slots, evaluated globals,
    /// inputs, warnings), so a kept machine holds no values between runs.
    /// After an error, arguments pushed for a call that never began may lie
    /// above `highWater`, so `failed` clears every slot.
    /// False when the machine grew too large to be worth keeping.
    func reset(failed: Bool) -> Bool {
        guard capacity <= Machine.keptCapacity else { return false }
        clear(failed: failed)
        access = HostAccess()
        isCancelled = Machine.neverCancelled
        return true
    }

    /// The per-run part of `begin`, for a machine that keeps its limits and
    /// access from one run to the next (`Evaluator`): steps, clock, stack bound.
    func restart() {
        steps = 0
        // Check the clock and the cancel flag every 64K steps.
        stepBudget = 1 << 16
        stackLimit = StackGuard.limit()
        deadline = limits.timeout.map { Date().timeIntervalSince1970 + $0 }
    }

    /// Drops what the last run left, as `reset` does, keeping the limits
    /// and access; a stack grown past `keptCapacity` goes back to its first size.
    func clear(failed: Bool, input: Int? = nil) {
        if capacity > Machine.keptCapacity {
            stack.deinitialize(count: capacity)
            stack.deallocate()
            capacity = Machine.firstCapacity
            stack = Machine.emptyStack()
            highWater = 0
        }
        counts = RunCounts()
        sp = 0
        fp = 0
        depth = 0
        mayWait = false
        if !env.isEmpty { env = [] }
        frames.count = 0
        selfObject = nil
        if !fieldsInProgress.isEmpty { fieldsInProgress = [] }
        if !warnings.isEmpty { warnings = [] }
        if !elsewhereMachines.isEmpty { elsewhereMachines = [] }
        caller = nil
        if textScratch.capacity > 1 << 16 { textScratch = [] }
        textCrumbs.removeAll()
        stack.update(repeating: .none, count: failed ? capacity : min(highWater + 1, capacity))
        highWater = 0
        // Element by element: `globals` stays this machine's own buffer, where
        // assigning the image's array would make the next run copy it again.
        // A ready global is a host's input or value, which only a run's
        // inputs replace; `input` (an evaluator's only input, which its next
        // run sets) is emptied, and the evaluator's other ready globals are
        // left as they are.
        let initial = image.initialGlobals, initialState = image.initialGlobalState
        if let input { globals[input] = .none }
        for i in initial.indices where globalState[i] != initialState[i] || (initialState[i] == .ready && input == nil) {
            globals[i] = initial[i]
            globalState[i] = initialState[i]
        }
    }

    private static let neverCancelled: @Sendable () -> Bool = { false }

    deinit {
        stack.deinitialize(count: capacity)
        stack.deallocate()
        frames.deallocate()
    }

    /// Makes room for slot `n`, growing the stack (at least doubling it);
    /// false when that would pass the depth limit's `maxCapacity`.
    @inline(never)
    func ensureCapacity(_ n: Int) -> Bool {
        if n < capacity { return true }
        guard n < maxCapacity else { return false }
        let grown = min(maxCapacity, max(n + 1, capacity * 2))
        let fresh = UnsafeMutablePointer<Value>.allocate(capacity: grown)
        fresh.moveInitialize(from: stack, count: capacity)
        (fresh + capacity).initialize(repeating: .none, count: grown - capacity)
        stack.deallocate()
        stack = fresh
        capacity = grown
        return true
    }

    // MARK: limits

    /// Counts one unit of work; every so often checks the step limit, the
    /// deadline and cancellation.
    @inline(__always)
    public func step() throws {
        stepBudget &-= 1
        if stepBudget <= 0 { try slowStep() }
    }

    /// Counts `n` elements of a walk over a value (equality, JSON) as steps,
    /// polling the limits, and ends the walk if the stack runs out (a value
    /// can be nested a million deep).
    public func charge(_ n: Int) throws {
        stepBudget &-= n
        if stepBudget <= 0 { try slowStep() }
        if !StackGuard.hasRoom(limit: stackLimit) {
            throw EvalError.limit("value nested too deeply to walk", help: "build flatter values: a list of records, not records nested a thousand deep")
        }
    }

    func slowStep() throws {
        steps += (1 << 16) - stepBudget
        stepBudget = 1 << 16
        if let max = limits.maxSteps, steps > max {
            throw EvalError.limit("step limit exceeded (\(max) steps)", help: "raise Limits.maxSteps, or look for runaway recursion")
        }
        try poll()
    }

    /// Checks the deadline and cancellation (also while a host function is awaited).
    func poll() throws {
        if let deadline, Date().timeIntervalSince1970 > deadline {
            throw EvalError.limit("time limit exceeded (\(limits.timeout!) s)", help: "raise Limits.timeout")
        }
        if isCancelled() { throw EvalError.limit("evaluation cancelled") }
    }

    /// Checks that a list or text of `n` elements is allowed, and counts
    /// building it as `n` steps, so that total allocation is bounded by the
    /// step limit even when each list is small.
    public func checkSize(_ n: Int) throws {
        if n > limits.maxSize { throw EvalError.sizeLimit(n, limits.maxSize) }
        stepBudget &-= n
        if stepBudget <= 0 { try slowStep() }
    }

    /// A library call's result, its count remembered when it is a large
    /// text (`TextCrumbs.made`; one already remembered is not counted again).
    @inline(__always)
    func made(_ v: Value) -> Value {
        if case .text(let s) = v, s.utf8.count >= TextCrumbs.minBytes { textCrumbs.made(s) }
        return v
    }

    // MARK: calls

    /// Runs a compiled function whose `argc` arguments were pushed on the
    /// stack. `given` has a bit set for each parameter the caller supplied
    /// (all of the first `argc` when nil).
    @inline(never)
    func invoke(_ f: CompiledFunction, argc: Int, captures: [Value], selfObject: ModelObject?, given: UInt64? = nil) throws -> Value {
        try inFrame(f, argc: argc) { base in
            // Most calls need no captures and no model: skip swapping those (ARC traffic).
            if captures.isEmpty && env.isEmpty && selfObject == nil && self.selfObject == nil {
                return try run(f, argc: argc, base: base, given: given)
            }
            let savedEnv = env, savedSelf = self.selfObject
            env = captures
            self.selfObject = selfObject
            defer {
                env = savedEnv
                self.selfObject = savedSelf
            }
            return try run(f, argc: argc, base: base, given: given)
        }
    }

    /// The call of a top-level `fn`: its body reads neither captures nor
    /// model fields, so the closure environment and `self` need no swapping.
    @inline(__always)
    func invokeTopLevel(_ f: CompiledFunction, argc: Int, given: UInt64? = nil) throws -> Value {
        try inFrame(f, argc: argc) { base in try run(f, argc: argc, base: base, given: given) }
    }

    /// Opens `f`'s frame over the pushed arguments (checking depth, stack and
    /// steps), runs `body` with the frame's base, and closes it.
    @inline(__always)
    private func inFrame(_ f: CompiledFunction, argc: Int, _ body: (Int) throws -> Value) throws -> Value {
        let base = sp - argc
        let top = base + f.frameSize
        depth += 1
        defer { depth -= 1 }
        // The stack is measured every 8 levels: the reserve StackGuard keeps
        // is far more than 8 calls use.
        if (top >= capacity && !ensureCapacity(top)) || depth > maxDepth
            || (depth & 7 == 0 && !StackGuard.hasRoom(limit: stackLimit)) {
            sp = base
            throw tooDeep(f)
        }
        try step()
        let savedFP = fp
        fp = base
        sp = top
        if top > highWater { highWater = top }
        defer { fp = savedFP; sp = base }
        return try body(base)
    }

    @inline(__always)
    private func run(_ f: CompiledFunction, argc: Int, base: Int, given: UInt64?) throws -> Value {
        if argc < f.paramCount || given != nil { try fillDefaults(f, argc: argc, base: base, given: given) }
        return try f.body(self)
    }

    // Error paths and rare work stay out of line, keeping the call path small.
    @inline(never)
    func tooDeep(_ f: CompiledFunction) -> EvalError {
        EvalError.limit("recursion too deep (more than \(min(depth, limits.maxDepth)) nested calls, in '\(f.name)')",
                        help: "raise Limits.maxDepth, or check that the recursion ends")
    }

    @inline(never)
    func fillDefaults(_ f: CompiledFunction, argc: Int, base: Int, given: UInt64?) throws {
        let left = (0..<f.paramCount).filter { i in given.map { $0 & (1 << UInt64(i)) == 0 } ?? (i >= argc) }
        let missing = left.filter { f.defaults[$0] == nil }
        if !missing.isEmpty {
            let signature = Signature(name: f.name, params: f.paramNames, required: f.defaults.map { $0 == nil })
            throw BindingError.missing(missing.map { f.paramNames[$0] }).evalError(signature)
        }
        for i in left {
            guard let d = f.defaults[i] else { continue }
            let v = try d(self)  // evaluated first: it may grow (move) the stack
            stack[base + i] = v
        }
    }

    /// Calls any function value with positional (and optionally named)
    /// arguments. Used by library functions such as `map` and `filter`.
    public func call(_ fn: Function, _ args: [Value], named: [(String, Value)] = []) throws -> Value {
        switch fn.impl {
        case .closure(let f, _, let selfObject):
            if fn.home !== image, let home = fn.home { return try elsewhere(home) { try $0.call(fn, args, named: named) } }
            var given: UInt64? = nil
            var ordered = args
            if !named.isEmpty || args.count > f.paramNames.count {
                (ordered, given) = try arrange(Signature(name: f.name, params: f.paramNames, required: f.defaults.map { $0 == nil }),
                                               args: args, named: named, checkMissing: false)
            }
            if sp + ordered.count + f.frameSize >= capacity && !ensureCapacity(sp + ordered.count + f.frameSize) {
                throw EvalError.limit("recursion too deep", help: "raise Limits.maxDepth")
            }
            for a in ordered { stack[sp] = a; sp += 1 }
            return try invoke(f, argc: ordered.count, captures: fn.captures, selfObject: selfObject, given: given)
        case .builtin(let b):
            return try callBuiltin(b, args, named: named)
        case .bound(let b, let first):
            return try callBuiltin(b, [first] + args, named: named)
        }
    }

    @inline(__always)
    /// Calls a function with one argument.
    public func call(_ fn: Function, _ a: Value) throws -> Value {
        if let f = own(fn), f.paramNames.count >= 1, sp + 1 + f.frameSize < capacity || ensureCapacity(sp + 1 + f.frameSize) {
            stack[sp] = a
            sp += 1
            return try invoke(f, argc: 1, captures: fn.captures, selfObject: fn.selfObject)
        }
        return try call(fn, [a])
    }

    /// Calls `fn` on each item of `xs` in turn, passing each result to `each`
    /// (which returns false to stop early). For a one-parameter kdk closure
    /// the call frame is set up once for the whole loop rather than per item:
    /// the loop of `map`, `filter` and friends.
    public func forEachCall(_ fn: Function, _ xs: [Value], _ each: (Value, Value) throws -> Bool) throws {
        guard let f = own(fn), f.paramCount == 1 else {
            var i = 0
            do {
                for x in xs {
                    if try !each(x, call(fn, x)) { return }
                    i += 1
                }
            } catch let e as EvalError {
                throw Machine.naming(e, item: i, of: xs)
            }
            return
        }
        var i = 0
        do {
            try inLoopFrame(f, of: fn) { base, body in
                for x in xs {
                    try step()
                    stack[base] = x
                    if try !each(x, body(self)) { return }
                    i += 1
                }
            }
        } catch let e as EvalError {
            throw Machine.naming(e, item: i, of: xs)
        }
    }

    /// Opens one frame for `f` (the code of closure `fn`) for a whole loop of
    /// calls, with its captures and model, and gives `body` the frame's base
    /// and `f`'s body: each call writes its arguments from the base and runs
    /// the body, with no frame set up per call.
    @inline(__always)
    private func inLoopFrame<T>(_ f: CompiledFunction, of fn: Function, _ body: (Int, Code) throws -> T) throws -> T {
        let base = sp
        let top = base + f.frameSize
        depth += 1
        defer { depth -= 1 }
        if (top >= capacity && !ensureCapacity(top)) || depth > maxDepth || !StackGuard.hasRoom(limit: stackLimit) { throw tooDeep(f) }
        let savedFP = fp, savedEnv = env, savedSelf = selfObject
        fp = base
        sp = top
        if top > highWater { highWater = top }
        env = fn.captures
        selfObject = fn.selfObject
        defer { fp = savedFP; sp = base; env = savedEnv; selfObject = savedSelf }
        return try body(base, f.body)
    }

    /// `f(f(f(initial, x1), x2), ...)`: `reduce`'s loop. For a two-parameter
    /// kdk closure the frame is set up once, as in `forEachCall`, and each
    /// call writes the accumulator and the item into its first two slots.
    public func foldCall(_ fn: Function, _ initial: Value, _ xs: [Value]) throws -> Value {
        try foldCall(fn, initial, count: xs.count) { xs[$0] }
    }

    /// The same over the `count` items `item` gives (a range's numbers, not built).
    func foldCall(_ fn: Function, _ initial: Value, count: Int, item: (Int) -> Value) throws -> Value {
        var acc = initial
        var i = 0
        do {
            guard let f = own(fn), f.paramCount == 2 else {
                while i < count { acc = try call(fn, [acc, item(i)]); i += 1 }
                return acc
            }
            return try inLoopFrame(f, of: fn) { base, body in
                while i < count {
                    try step()
                    stack[base] = acc
                    stack[base + 1] = item(i)
                    acc = .none
                    acc = try body(self)
                    i += 1
                }
                return acc
            }
        } catch let e as EvalError {
            throw count == 0 ? e : Machine.naming(e, item: i, count: count, value: item(min(i, count - 1)))
        }
    }

    /// The error, with a note naming the item it happened on (which row of
    /// the data), unless it is a limit or already names two.
    static func naming(_ e: EvalError, item i: Int, of xs: [Value]) -> EvalError {
        xs.isEmpty ? e : naming(e, item: i, count: xs.count, value: xs[min(i, xs.count - 1)])
    }

    /// The same, for item `i` (`value`) of a list of `count` items.
    static func naming(_ e: EvalError, item i: Int, count: Int, value: Value) -> EvalError {
        guard !e.isLimit, e.notes.count < 2 else { return e }
        var named = e
        named.notes.append("with the \(ordinal(i + 1)) item of \(count): \(brief(value))")
        return named
    }

    /// Runs `body` for each item of `xs`; an error names the item it happened on.
    public func forEachItem(_ xs: [Value], in range: Range<Int>, _ body: (Int, Value) throws -> Void) throws {
        var i = range.lowerBound
        do {
            while i < range.upperBound { try body(i, xs[i]); i += 1 }
        } catch let e as EvalError {
            throw Machine.naming(e, item: i, of: xs)
        }
    }

    /// The same over every item.
    public func forEachItem(_ xs: [Value], _ body: (Value) throws -> Void) throws {
        try forEachItem(xs, in: xs.indices) { _, x in try body(x) }
    }

    /// `1,207th`.
    static func ordinal(_ n: Int) -> String {
        let grouped = NumberFormat.grouped(String(n))
        let suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th" : ["th", "st", "nd", "rd", "th", "th", "th", "th", "th", "th"][n % 10]
        return grouped + suffix
    }

    /// A value in at most 120 characters, for messages.
    static func brief(_ v: Value) -> String {
        let s = v.literal()
        return s.count <= 120 ? s : String(s.prefix(119)) + "…"
    }

    /// Orders positional and named arguments by parameter (`Signature`);
    /// returns which were given. Parameters left out are none here.
    func arrange(_ signature: Signature, args: [Value], named: [(String, Value)], checkMissing: Bool) throws -> ([Value], UInt64) {
        guard signature.params.count <= 64 else { throw EvalError("too many parameters") }
        let slots: [Int?]
        switch signature.bind(positional: args.count, labels: named.map { $0.0 }, checkMissing: checkMissing) {
        case .success(let s): slots = s
        case .failure(let e): throw e.evalError(signature)
        }
        var out = args + Array(repeating: Value.none, count: max(0, signature.params.count - args.count))
        var given: UInt64 = args.isEmpty ? 0 : (UInt64.max >> UInt64(64 - min(64, args.count)))
        for ((_, v), slot) in zip(named, slots) {
            guard let i = slot else { continue }
            out[i] = v
            given |= 1 << UInt64(i)
        }
        return (out, given)
    }

    func callBuiltin(_ b: Builtin, _ args: [Value], named: [(String, Value)] = []) throws -> Value {
        var values = args
        if !named.isEmpty || args.count != b.params.count {
            let signature = Signature(b)
            var named = named
            if let restName = b.namedRest {
                // Named arguments that match no parameter, as one record.
                let known = Set(signature.params)
                let extra = named.filter { !known.contains($0.0) }
                if !extra.isEmpty { named = named.filter { known.contains($0.0) } + [(restName, .record(Record.make(extra)))] }
            }
            var given: UInt64
            (values, given) = try arrange(signature, args: args, named: named, checkMissing: true)
            for (i, p) in b.params.enumerated() where given & (1 << UInt64(i)) == 0 {
                values[i] = p.defaultValue ?? .none
            }
        }
        try step()
        return try b.call(values, self)
    }

    // MARK: globals and model fields

    /// The two words of the text in global `i`, read in place (no copy of
    /// it, so no reference counted); nil when it holds no text.
    @inline(__always)
    func textBits(global i: Int) -> (UInt, UInt)? {
        globals.withUnsafeBufferPointer { p in
            guard case .text(let s) = p[i] else { return nil }
            return unsafeBitCast(s, to: (UInt, UInt).self)
        }
    }

    @inline(__always)
    func global(_ i: Int) throws -> Value {
        if globalState[i] == .ready { return globals[i] }
        return try evaluateGlobal(i)
    }

    func evaluateGlobal(_ i: Int) throws -> Value {
        if isWorker { throw EvalError("a let evaluated in a parallel loop") }
        if globalState[i] == .evaluating {
            let chain = image.globalNames.indices.filter { globalState[$0] == .evaluating }.map { image.globalNames[$0] }
            throw EvalError("'\(image.globalNames[i])' depends on itself: \((chain + [image.globalNames[i]]).joined(separator: " -> "))")
        }
        guard let thunk = image.globalThunks[i] else { return globals[i] }
        globalState[i] = .evaluating
        defer { if globalState[i] == .evaluating { globalState[i] = .unevaluated } }
        let v = try invoke(thunk, argc: 0, captures: [], selfObject: nil)
        globals[i] = v
        globalState[i] = .ready
        return v
    }

    /// Reads a field of a model object, evaluating it on first use.
    public func field(_ obj: ModelObject, _ name: String) throws -> Value? {
        guard let i = obj.index[name] else { return nil }
        return try field(obj, at: i)
    }

    func field(_ obj: ModelObject, at i: Int) throws -> Value {
        if let v = obj.cached(i) { return v }
        if obj.home !== image, let home = obj.home { return try elsewhere(home) { try $0.field(obj, at: i) } }
        if fieldsInProgress.contains(where: { $0.object === obj && $0.index == i }) {
            let chain = fieldsInProgress.filter { $0.object === obj }.map { obj.defs[$0.index].name }
            throw EvalError("field '\(obj.defs[i].name)' of \(obj.name) depends on itself: \((chain + [obj.defs[i].name]).joined(separator: " -> "))",
                            help: "one of these fields must be given without referring back")
        }
        let def = obj.defs[i]
        let v: Value
        switch def.body {
        case .value(let x): v = x
        case .method(let f): v = .function(Function(.closure(f, captures: .empty, selfObject: obj), home: obj.home))
        case .code(let f):
            if isWorker { throw EvalError("a field evaluated in a parallel loop") }
            fieldsInProgress.append((obj, i))
            defer { fieldsInProgress.removeLast() }
            v = try invoke(f, argc: 0, captures: [], selfObject: obj)
        }
        return obj.store(i, v)
    }

    /// Records a warning for the host to show.
    public func warn(_ message: String, help: String? = nil) {
        warnings.append(Diagnostic(.warning, message, at: .none, help: help.map { [$0] } ?? [], code: .warning))
    }

    /// The decimal places a program declared for a unit (`unit KDK decimals 8`).
    public func decimals(of unit: UnitID) -> Int? { image.unitDecimals[unit] }
}
