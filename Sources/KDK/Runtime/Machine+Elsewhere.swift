/// Calls of closures and fields of models made by another program: a REPL
/// input calling `_` from the one before, a host passing one program's
/// result to another. Compiled code reads its own program's globals by
/// index, so it must run on a machine of that program (`Function.home`):
/// run on this machine, it read whatever the other program keeps in that
/// slot (a wrong value, or a confusing error).
extension Machine {
    /// `fn`'s compiled code when it may run on this machine (it is a closure
    /// of this program), else nil: callers then go through `call`, which
    /// moves the call to a machine of its home.
    @inline(__always)
    func own(_ fn: Function) -> CompiledFunction? {
        fn.home === image ? fn.compiled : nil
    }

    /// Runs `body` on a machine of `home`, sharing this run's limits: its
    /// steps and depth count on, and its deadline, cancellation, access and
    /// stack bound are this run's. Lets of `home` are evaluated afresh there,
    /// once per run, as in any run of it.
    @inline(never)
    func elsewhere<T>(_ home: ProgramImage, _ body: (Machine) throws -> T) throws -> T {
        if isWorker { throw EvalError("another program's code in a parallel loop") }
        let (other, calledThis) = machine(for: home)
        other.steps = steps
        other.stepBudget = stepBudget
        other.depth = depth
        other.adopt(limitsOf: self)
        let warningsBefore = other.warnings.count
        defer {
            steps = other.steps
            stepBudget = other.stepBudget
            // A machine that called into this run collects its own warnings.
            if !calledThis { warnings += other.warnings[warningsBefore...] }
        }
        return try body(other)
    }

    /// The machine of `home` for this run: one that called into this one
    /// (so a closure passed back runs where it was made), or one kept for it.
    /// `calledThis`: it is one of the machines that called into this one.
    private func machine(for home: ProgramImage) -> (machine: Machine, calledThis: Bool) {
        var m: Machine? = caller
        while let c = m {
            if c.image === home { return (c, true) }
            m = c.caller
        }
        if let kept = elsewhereMachines.first(where: { $0.image === home }) { return (kept, false) }
        let made = Machine(image: home, limits: limits, access: access, isCancelled: isCancelled)
        made.caller = self
        elsewhereMachines.append(made)
        return (made, false)
    }
}
