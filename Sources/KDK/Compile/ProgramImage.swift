/// A compiled program: immutable once built, shared by every run.
final class ProgramImage: @unchecked Sendable {
    var globalNames: [String] = []
    /// Thunks for top-level lets and models, run on first use in each run.
    var globalThunks: [CompiledFunction?] = []
    /// Values known at compile time (functions); `.none` where a thunk fills in.
    var initialGlobals: [Value] = []
    var initialGlobalState: [GlobalState] = []
    /// Top-level statements in order: an expression to evaluate, or a global to force.
    var main: [Step] = []
    var unitDecimals: [UnitID: Int] = [:]
    var file: SourceFile

    enum Step {
        case expr(CompiledFunction)
        case force(Int)
    }

    init(file: SourceFile) { self.file = file }
}

/// Where a run stands with one top-level value (lets and models are
/// evaluated on first use, once per run).
enum GlobalState: UInt8 {
    case unevaluated, evaluating, ready
}

/// Compiled code kept in a collection. Wrapping the closure in a concrete
/// struct stores it at its natural calling convention, so calling it from an
/// array needs no reabstraction thunk (measured: ~15% of a call-heavy run).
struct Op {
    let run: Code
    init(_ run: @escaping Code) { self.run = run }
}

/// Runs `body`, attaching `range` to a runtime error that has no location yet.
@inline(__always)
func located<T>(_ range: SourceRange, _ file: SourceFile, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as EvalError { throw e.located(range, file) }
}
