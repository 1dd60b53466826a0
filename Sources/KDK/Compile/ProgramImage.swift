/// A compiled program: immutable, shared by every run.
final class ProgramImage: Sendable {
    /// What the compiler fills in, field by field, before the image exists.
    struct Parts {
        var globalNames: [String] = []
        var globalThunks: [CompiledFunction?] = []
        var functions: [CompiledFunction] = []
        var initialGlobals: [Value] = []
        var initialGlobalState: [GlobalState] = []
        var main: [Step] = []
        /// Where each step of `main` is written.
        var mainRanges: [SourceRange] = []
        var unitDecimals: [UnitID: Int] = [:]
        var display = DisplayStyle.standard
    }

    let globalNames: [String]
    /// Thunks for top-level lets and models, run on first use in each run.
    let globalThunks: [CompiledFunction?]
    /// Every top-level `fn`: compiled code calls them unowned (`Compiler.Callee`).
    let functions: [CompiledFunction]
    /// Values known at compile time (functions); `.none` where a thunk fills in.
    let initialGlobals: [Value]
    let initialGlobalState: [GlobalState]
    /// Top-level statements in order: an expression to evaluate, or a global to force.
    let main: [Step]
    /// Where each step of `main` is written (for `kdk run --timings`).
    let mainRanges: [SourceRange]
    let unitDecimals: [UnitID: Int]
    /// How values are shown to people (interpolation, print, tables).
    let display: DisplayStyle
    let file: SourceFile
    /// The statement of a program that is one expression (a rule), borrowed
    /// from `main`, which owns it.
    let onlyStatement: Unmanaged<CompiledFunction>?

    enum Step: Sendable {
        case expr(CompiledFunction)
        case force(Int)
    }

    init(_ parts: Parts, file: SourceFile) {
        globalNames = parts.globalNames
        globalThunks = parts.globalThunks
        functions = parts.functions
        initialGlobals = parts.initialGlobals
        initialGlobalState = parts.initialGlobalState
        main = parts.main
        mainRanges = parts.mainRanges
        unitDecimals = parts.unitDecimals
        display = parts.display
        self.file = file
        if parts.main.count == 1, case .expr(let f) = parts.main[0] { onlyStatement = .passUnretained(f) } else { onlyStatement = nil }
    }
}

/// Where a run stands with one top-level value (lets and models are
/// evaluated on first use, once per run).
enum GlobalState: UInt8, Sendable {
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
    do { return try body() } catch { throw locating(error, range, file) }
}

/// `error`, located at `range` when it is a runtime error with no location
/// yet. Apart from `located`, so that the code it is inlined into keeps
/// only a call on its error path: a first run fetches fewer code lines.
@inline(never)
func locating(_ error: any Error, _ range: SourceRange, _ file: SourceFile) -> any Error {
    guard let e = error as? EvalError else { return error }
    return e.located(range, file)
}
