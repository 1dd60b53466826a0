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
        try runReporting(limits: limits ?? defaultLimits, access: access, isCancelled: isCancelled, inputs: inputs,
                                mayWait: mayWait).value
    }

    /// Runs on one of kdk's own threads (large stacks, kept between runs:
    /// `RunThreads`) without blocking the caller's task. Cancelling the
    /// calling `Task` stops the evaluation with an "evaluation cancelled" error.
    public func value(inputs: [String: Value] = [:], limits: Limits? = nil, access: HostAccess = HostAccess()) async throws -> Value {
        let flag = CancelFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Value, Error>) in
                let result = Guarded<Result<Value, Error>?>(nil)
                RunThreads.shared.submit {
                    let r = Result { try self.run(inputs: inputs, limits: limits, access: access, isCancelled: { flag.isSet }, mayWait: true) }
                    result.withLock { $0 = r }
                } then: {
                    cont.resume(with: result.withLock { $0 } ?? .failure(DiagnosticList([Diagnostic(.error, "internal error: no result", at: .none, code: .runtime)])))
                }
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
