import Foundation

extension Program {
    /// An evaluator of this program for one input, given a new value at each
    /// run: what a host that evaluates a rule on many records in turn wants
    /// (`p.likes + 2 * p.comments >= threshold` for each post).
    ///
    ///     let rule = try program.evaluator(input: "p")
    ///     for post in posts { if case .bool(true) = try rule.run(post) { ... } }
    ///
    /// Each `run(_:)` is `run(inputs: [input: value], limits:, access:)`, with
    /// the same value, errors, limits and warnings, but without building the
    /// dictionary, looking the input up and taking a machine from the shared
    /// pool: the evaluator keeps a machine of its own, cleared after each run
    /// as the pool's are (a run's lets are evaluated afresh; nothing of the
    /// last input is kept). An evaluator is not `Sendable`: use one per thread
    /// or task. Throws when the program has no input of that name.
    public func evaluator(input name: String, limits: Limits? = nil, access: HostAccess = HostAccess()) throws -> Evaluator {
        guard let slot = inputSlot(name) else {
            throw DiagnosticList([Diagnostic(.error, "the program has no input named '\(name)'", at: .none,
                                             help: ["declare it before compiling: engine.define(\"\(name)\", as: type)"], code: .input)])
        }
        return Evaluator(program: self, input: (slot, name, inputs.first { $0.slot == slot }?.type),
                         limits: limits ?? defaultLimits, access: access)
    }
}

/// A program bound to one of its inputs (`Program.evaluator(input:)`).
public final class Evaluator {
    let program: Program
    let input: (slot: Int, name: String, type: ValueType?)
    /// Its own, set up with the evaluator's limits and access once.
    private let machine: Machine
    /// The frame stack's size now (tests check a deep run's is given back).
    var machineCapacity: Int { machine.capacity }
    /// Warnings the last run raised.
    @exclusivity(unchecked) public private(set) var warnings: [Diagnostic] = []

    init(program: Program, input: (slot: Int, name: String, type: ValueType?), limits: Limits, access: HostAccess) {
        self.program = program
        self.input = input
        machine = Machine(image: program.image, limits: limits, access: access, isCancelled: { false })
    }

    /// The program's value with `value` as its input. Throws a
    /// `DiagnosticList` as `Program.run` does.
    public func run(_ value: Value) throws -> Value {
        let m = machine
        m.restart()
        if !StackGuard.hasRoom(limit: m.stackLimit), let small = StackGuard.tooSmall() { throw DiagnosticList([small]) }
        var failed = true
        defer { m.clear(failed: failed, input: input.slot) }
        m.globals[input.slot] = value
        if let t = input.type, let why = t.mismatch(value) {
            throw DiagnosticList([Diagnostic(.error, "input '\(input.name)' is not \(t.withArticle): \(why)", at: .none,
                                             help: ["fix the value the host passes in run(_:)"], code: .input)])
        }
        return try Program.diagnosing {
            let v = try program.runStatements(m)
            failed = false
            if !warnings.isEmpty || !m.warnings.isEmpty { warnings = m.warnings }
            return v
        }
    }
}
