import Foundation

/// A compiled program: immutable and `Sendable`, so it can be run many
/// times, from several threads at once; each run has its own state.
public final class Program: Sendable {
    let image: ProgramImage
    /// Warnings found while compiling (the program still runs).
    public let warnings: [Diagnostic]

    /// The limits a run uses when it is given none (the engine's).
    public let defaultLimits: Limits
    /// What is known, before running, of the value a run gives (the last
    /// expression's): `.bool`, `.quantity(unit: "USD")`, a record's fields;
    /// `.any` where only running would tell.
    public let resultType: ValueType
    /// The host's inputs (`Engine.define`) that the program names; a host
    /// need not fetch the others.
    public let inputsUsed: Set<String>
    /// The slot, name and declared type of each input it uses (checked at each run).
    let inputs: [(slot: Int, name: String, type: ValueType?)]
    /// The global slot of each name `run(inputs:)` may set.
    let inputSlots: [String: Int]
    /// The same, as a list: for a handful of names a scan of short strings
    /// is cheaper than hashing the name.
    let inputSlotList: [(name: String, slot: Int)]
    let machines = MachinePool()

    init(image: ProgramImage, warnings: [Diagnostic], limits: Limits, resultType: ValueType = .any,
         inputs: [(slot: Int, name: String, type: ValueType?)] = [], inputsUsed: Set<String> = []) {
        self.image = image
        self.warnings = warnings
        self.defaultLimits = limits
        self.resultType = resultType
        self.inputs = inputs
        self.inputsUsed = inputsUsed
        var slots: [String: Int] = [:]
        for (i, name) in image.globalNames.enumerated() where image.globalThunks[i] == nil && slots[name] == nil {
            slots[name] = i
        }
        inputSlots = slots
        inputSlotList = slots.count <= 8 ? slots.map { ($0.key, $0.value) } : []
    }

    func inputSlot(_ name: String) -> Int? {
        if inputSlotList.isEmpty { return inputSlots[name] }
        for (n, slot) in inputSlotList where n == name { return slot }
        return nil
    }

    /// Names defined at the top level.
    public var globalNames: [String] { image.globalNames }

    /// How this program shows values to people: its units' display decimals.
    public var displayStyle: DisplayStyle { image.display }

    /// Runs the top-level statements in order and returns the value of the
    /// last expression (`none` if the program ends with a definition).
    /// Throws a `DiagnosticList` holding the runtime error.
    public func run(limits: Limits? = nil, access: HostAccess = HostAccess(),
                    isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> Value {
        try runReporting(limits: limits, access: access, isCancelled: isCancelled).value
    }

    /// Like `run`, also returning warnings raised while running.
    public func runReporting(limits: Limits? = nil, access: HostAccess = HostAccess(),
                             isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> (value: Value, warnings: [Diagnostic]) {
        try runReporting(limits: limits ?? defaultLimits, access: access, isCancelled: isCancelled, inputs: [:])
    }

    /// Like `runReporting`, also giving the top-level values (`let`s,
    /// models) the run evaluated, by name: what a REPL or a notebook knows
    /// of its definitions after an input, for completion and `:type`.
    public func runKeepingValues(limits: Limits? = nil, access: HostAccess = HostAccess(),
                                 isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> (value: Value, warnings: [Diagnostic], values: [String: Value]) {
        var values: [String: Value] = [:]
        let (value, warnings) = try runReporting(limits: limits ?? defaultLimits, access: access, isCancelled: isCancelled, inputs: [:], afterwards: { m in
            for (i, name) in self.image.globalNames.enumerated() where m.globalState[i] == .ready { values[name] = m.globals[i] }
        })
        return (value, warnings, values)
    }

    /// Like `runReporting`, also timing each top-level statement: what
    /// `kdk run --timings` shows. A `let` is evaluated on first use, so its
    /// time is counted in the first statement that uses it.
    public func runTimed(limits: Limits? = nil, access: HostAccess = HostAccess(),
                         isCancelled: @escaping @Sendable () -> Bool = { false })
        throws -> (value: Value, warnings: [Diagnostic], timings: [StatementTiming]) {
        var timings: [StatementTiming] = []
        let (value, warnings) = try runReporting(limits: limits ?? defaultLimits, access: access, isCancelled: isCancelled,
                                                 inputs: [:], timings: { timings.append($0) })
        return (value, warnings, timings)
    }

    func runReporting(limits: Limits, access: HostAccess, isCancelled: @escaping @Sendable () -> Bool,
                      inputs given: [String: Value], mayWait: Bool = false, timings: ((StatementTiming) -> Void)? = nil,
                      afterwards: (Machine) -> Void = { _ in }) throws -> (value: Value, warnings: [Diagnostic]) {
        if let small = StackGuard.tooSmall() { throw DiagnosticList([small]) }
        let m = machines.take(image: image, limits: limits, access: access, isCancelled: isCancelled)
        var failed = true
        defer { machines.giveBack(m, failed: failed) }
        m.mayWait = mayWait
        for (name, v) in given {
            guard let slot = inputSlot(name) else {
                throw DiagnosticList([Diagnostic(.error, "the program has no input named '\(name)'", at: .none,
                                                 help: ["declare it before compiling: engine.define(\"\(name)\", as: type)"], code: .input)])
            }
            m.globals[slot] = v
        }
        // Inputs declared with a type are checked before anything runs.
        for input in inputs {
            guard let t = input.type, let why = t.mismatch(m.globals[input.slot]) else { continue }
            let given = given[input.name] != nil
            throw DiagnosticList([Diagnostic(.error, given ? "input '\(input.name)' is not \(t.withArticle): \(why)"
                                                           : "input '\(input.name)' was not given (it is declared as \(t.withArticle))",
                                             at: .none, help: [given ? "fix the value the host passes in run(inputs:)"
                                                               : "pass it in run(inputs: [\"\(input.name)\": ...])"], code: .input)])
        }
        return try Program.diagnosing {
            let last = try runStatements(m, timings: timings)
            failed = false
            afterwards(m)
            return (last, m.warnings)
        }
    }

    /// `body`'s result, or its error as a `DiagnosticList`.
    static func diagnosing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as EvalError {
            throw DiagnosticList([e.diagnostic])
        } catch {
            // A library function let another error through: still a diagnostic, never a crash.
            var d = Diagnostic(.error, "internal error: \(error)", at: .none, code: .runtime)
            d.underlyingError = error
            throw DiagnosticList([d])
        }
    }

    /// The top-level statements in order; the value of the last expression.
    /// `timings`, if given, hears how long each statement took as it ends.
    func runStatements(_ m: Machine, timings: ((StatementTiming) -> Void)? = nil) throws -> Value {
        // A rule is one statement: run it without walking the list (whose
        // walk counted references to the list and the statement).
        if timings == nil, let only = image.onlyStatement {
            return try only._withUnsafeGuaranteedRef { try m.invokeTopLevel($0, argc: 0) }
        }
        var last: Value = .none
        for (n, step) in image.main.enumerated() {
            let start = timings == nil ? nil : ContinuousClock.now
            switch step {
            case .expr(let f): last = try m.invoke(f, argc: 0, captures: [], selfObject: nil)
            case .force(let i): _ = try m.global(i)
            }
            if let timings, let start {
                let took = ContinuousClock.now - start
                let (line, column) = image.file.location(image.mainRanges[n].start)
                let seconds = Double(took.components.seconds) + Double(took.components.attoseconds) * 1e-18
                timings(StatementTiming(line: line, column: column, statement: image.file.line(line), seconds: seconds))
            }
        }
        return last
    }

    /// Runs on a machine of its own and says what the run did (steps taken,
    /// loops run in parallel, evaluations over columns), whether it ends in
    /// a value or an error: for tests that compare two ways of running the
    /// same program, or check that a fast path was taken.
    func runCounting(limits: Limits? = nil, access: HostAccess = HostAccess()) -> (outcome: Result<Value, DiagnosticList>, counts: RunCounts) {
        let m = Machine(image: image, limits: limits ?? defaultLimits, access: access, isCancelled: { false })
        let outcome: Result<Value, DiagnosticList>
        do { outcome = .success(try runStatements(m)) } catch let e as EvalError {
            outcome = .failure(DiagnosticList([e.diagnostic]))
        } catch let d as DiagnosticList {
            outcome = .failure(d)
        } catch {
            outcome = .failure(DiagnosticList([Diagnostic(.error, "internal error: \(error)", at: .none)]))
        }
        var counts = m.counts
        counts.steps = m.stepsTaken
        return (outcome, counts)
    }

    /// Evaluates a top-level name (a `let`, a model) in a fresh run.
    public func value(of name: String, limits: Limits? = nil, access: HostAccess = HostAccess()) throws -> Value? {
        guard let i = image.globalNames.firstIndex(of: name) else { return nil }
        let m = Machine(image: image, limits: limits ?? defaultLimits, access: access, isCancelled: { false })
        do { return try m.global(i) } catch let e as EvalError { throw DiagnosticList([e.diagnostic]) }
    }
}

/// How long one top-level statement of a run took (`Program.runTimed`).
public struct StatementTiming: Sendable, Equatable {
    /// Where the statement starts (1-based).
    public let line: Int
    public let column: Int
    /// The source line it starts on.
    public let statement: String
    /// Wall-clock seconds, including the first evaluation of the lets it used.
    public let seconds: Double
}
