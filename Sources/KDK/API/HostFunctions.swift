import Foundation

/// Host functions are checked at both ends on every call: the checker
/// already rejects what it can see in the text, but a value that arrives
/// at run time (an input, a computed amount) could still be `5 KDK` where
/// the function declared USD. A wrong amount must never reach the host.
extension Builtin {
    /// This function, with its arguments and result checked around the body,
    /// and a Swift error it throws kept (as `underlyingError`) in a located
    /// diagnostic (E0403).
    func checkedAtBothEnds() -> Builtin {
        let declared = self
        // kdk cannot see into a host's function: it may have effects.
        return Builtin(self, effects: true) { args, m in
            for (i, p) in declared.params.enumerated() where i < args.values.count {
                if let why = Builtin.mismatch(args.values[i], p) {
                    throw EvalError.host("\(declared.name): \(p.name) \(why)")
                }
            }
            let result: Value
            do { result = try declared.impl(args, m) } catch let e as EvalError { throw e } catch {
                var e = EvalError.host("\(declared.name) failed: \(error)")
                e.underlyingError = error
                throw e
            }
            if let why = declared.resultMismatch(result) {
                throw EvalError.host("\(declared.name) returned \(why)", help: "the host function breaks its declaration; fix it in the host")
            }
            return result
        }
    }

    /// Why an argument does not fit its parameter's declaration, if it does
    /// not: "is 5 KDK, not an amount in USD".
    static func mismatch(_ v: Value, _ p: Parameter) -> String? {
        if case .none = v, p.optional { return nil }  // left out: its default
        if let u = p.unit {
            guard case .quantity(_, let have) = v, UnitRegistry.shared.sameDimension(have, UnitRegistry.shared.named(u)) else {
                return "is \(ValueType.shown(v)), not an amount in \(u)"
            }
        }
        if case .none = v, p.type == nil { return nil }  // none, where no type is declared: the body decides
        if !p.accepts.contains(ValueKinds.of(v)) { return "is \(ValueType.shown(v)), which it does not take" }
        if let t = p.type, let why = t.mismatch(v) {
            return why.hasPrefix("field ") || why.hasPrefix("item ") ? "is not \(t.withArticle): \(why)" : "is \(why)"
        }
        return nil
    }

    /// Why a result breaks the declared result unit or type, if it does.
    func resultMismatch(_ v: Value) -> String? {
        if case .none = v { return nil }  // none is always allowed: "no price"
        if let t = returns, let why = t.mismatch(v) { return "\(why) (it declares \(t.withArticle))" }
        switch (result, v) {
        case (.plain, .number), (.unknown, _), (.sameAs, _): return nil
        case (.unit(let u), .quantity(_, let have)) where UnitRegistry.shared.sameDimension(have, UnitRegistry.shared.named(u)): return nil
        case (.unit(let u), _): return "\(ValueType.shown(v)) (it declares a result in \(u))"
        case (.plain, _): return "\(ValueType.shown(v)) (it declares a plain number)"
        }
    }

    /// A host function whose body is asynchronous (a database, a price
    /// service). Programs calling it must run through `await program.value(...)`,
    /// which waits for it on the run's own thread; a synchronous `run` reports
    /// that instead of blocking the caller. Cancellation and the deadline
    /// are polled while it waits.
    public static func async(_ name: String, _ params: [Parameter], result: ResultUnit = .unknown, returns: ValueType? = nil,
                             doc: String = "", _ body: @escaping @Sendable (Arguments) async throws -> Value) -> Builtin {
        Builtin(name, params, result: result, returns: returns, doc: doc) { args, m in
            guard m.mayWait else {
                throw EvalError.host("\(name) is asynchronous, so a program that calls it runs with `try await program.value(...)`, not `run`")
            }
            let outcome = Guarded<Result<Value, any Error>?>(nil)
            let done = DispatchSemaphore(value: 0)
            let task = Task {
                let r: Result<Value, any Error>
                do { r = .success(try await body(args)) } catch { r = .failure(error) }
                outcome.withLock { $0 = r }
                done.signal()
            }
            while done.wait(timeout: .now() + 0.05) == .timedOut {
                do { try m.poll() } catch { task.cancel(); throw error }
            }
            switch outcome.withLock({ $0 }) {
            case .success(let v)?: return v
            case .failure(let e)?: throw e
            case nil: throw EvalError.host("\(name) ended without a result")
            }
        }
    }
}

extension EvalError {
    /// An error about a host function (E0403).
    static func host(_ message: String, help: String? = nil) -> EvalError {
        var e = EvalError(message, help: help)
        e.code = .hostFunction
        return e
    }
}
