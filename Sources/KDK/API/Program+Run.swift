import Foundation
import Synchronization

extension Program {
    /// Runs with `inputs`: values for names the engine declared with
    /// `Engine.define`, replacing their compile-time values for this run only.
    /// Throws a `DiagnosticList` for an unknown input name or a runtime error.
    public func run(inputs: [String: Value], limits: Limits? = nil, access: HostAccess = HostAccess(),
                    isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> Value {
        try run(inputs: inputs, limits: limits, access: access, isCancelled: isCancelled, mayWait: false)
    }

    func run(inputs: [String: Value], limits: Limits?, access: HostAccess, isCancelled: @escaping @Sendable () -> Bool,
             mayWait: Bool) throws -> Value {
        var overrides: [(Int, Value)] = []
        for (name, v) in inputs {
            guard let i = image.globalNames.firstIndex(of: name), image.globalThunks[i] == nil,
                  !({ if case .function = image.initialGlobals[i] { return true }; return false }()) else {
                throw DiagnosticList([Diagnostic(.error, "the program has no input named '\(name)'", at: .none,
                                                 help: ["declare it before compiling: engine.define(\"\(name)\", as: type)"], code: .input)])
            }
            overrides.append((i, v))
        }
        return try runReporting(limits: limits ?? defaultLimits, access: access, isCancelled: isCancelled, overrides: overrides,
                                mayWait: mayWait).value
    }

    /// Runs on a thread of its own (with a large stack) without blocking the
    /// caller's task. Cancelling the calling `Task` stops the evaluation with
    /// an "evaluation cancelled" error.
    public func value(inputs: [String: Value] = [:], limits: Limits? = nil, access: HostAccess = HostAccess()) async throws -> Value {
        let flag = CancelFlag()
        let started = Guarded<LargeStackThread?>(nil)
        // The thread's stack is released once it has ended: it resumes us as
        // its last act (the run's own values are freed by then), so the join
        // is immediate.
        defer { started.withLock { $0 }?.join() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Value, Error>) in
                let thread = LargeStackThread.start(size: 1 << 36) {
                    do { cont.resume(returning: try self.run(inputs: inputs, limits: limits, access: access, isCancelled: { flag.isSet }, mayWait: true)) }
                    catch { cont.resume(throwing: error) }
                }
                started.withLock { $0 = thread }
            }
        } onCancel: {
            flag.set()
        }
    }
}

/// A flag set from one thread and polled from another.
final class CancelFlag: Sendable {
    private let state = Atomic<Bool>(false)
    func set() { state.store(true, ordering: .relaxed) }
    var isSet: Bool { state.load(ordering: .relaxed) }
}
