/// Compiled code: a closure over the machine. The compiler turns every
/// expression into one of these once; running a program only calls them.
/// `@Sendable` so that a compiled program is checked as shareable: a closure
/// captures only constants and other compiled code, never mutable state.
typealias Code = @Sendable (Machine) throws -> Value

/// A function written in kdk (a `fn` or a lambda), after compilation.
final class CompiledFunction: @unchecked Sendable {
    // Unchecked: `defaults`, `frameSize`, `body` and `firstParamFields` are set
    // by the compiler after the object exists (functions may call each other in
    // any order), and never after the Program that holds it is returned; runs
    // only read them (EmbeddingTests and ConcurrencyTests share programs across
    // tasks; scripts/tsan runs them under ThreadSanitizer).
    let name: String
    let paramNames: [String]
    let paramCount: Int
    /// Default values, compiled in the function's own frame (they may use
    /// earlier parameters).
    var defaults: [Code?]
    /// Slots for parameters and the `let`s of its blocks.
    var frameSize: Int
    var body: Code
    let range: SourceRange
    let file: SourceFile
    var firstParamFields: [String] = []
    /// A top-level `fn`'s body as bytecode, which `Machine.execute` runs
    /// (`body` then runs it too); nil when it runs as closures only.
    var bytecode: Bytecode? { didSet { bytecodeHandle = bytecode.map { .passUnretained($0) } } }
    /// The same, borrowed: a call from bytecode reads it without a retain.
    private(set) var bytecodeHandle: Unmanaged<Bytecode>?
    /// For a one-parameter lambda over rows, its plan over columns, if it has one.
    var columnPlan: ColumnPlan?

    init(name: String, paramNames: [String], defaults: [Code?], frameSize: Int, range: SourceRange, file: SourceFile) {
        self.name = name
        self.paramNames = paramNames
        self.paramCount = paramNames.count
        self.defaults = defaults
        self.frameSize = frameSize
        self.body = { _ in .none }
        self.range = range
        self.file = file
    }

}

/// A function value.
public final class Function: Sendable {
    enum Impl {
        case closure(CompiledFunction, captures: ValueList, selfObject: ModelObject?)
        case builtin(Builtin)
        /// A library function with its first argument already given (`xs.map`).
        case bound(Builtin, Value)
    }
    let impl: Impl
    /// The closure's parts, unpacked once so calls do not copy them out of `impl`.
    let compiled: CompiledFunction?
    /// Held as a `ValueList` so that a chain of closures, each capturing the
    /// one before (a `reduce` that wraps a function a million times), is
    /// freed without recursion, as lists are (`Reclaimer`).
    let captureList: ValueList
    let selfObject: ModelObject?
    /// The program a closure was compiled in. Its code runs only on a machine
    /// of that program (it reads that program's globals by index), and the
    /// program owns the top-level functions that code calls, which compiled
    /// code holds unowned so that functions calling each other are no
    /// reference cycle. A closure that outlives its run (a host's result, the
    /// REPL's `_`) keeps its program alive through this.
    let home: ProgramImage?

    init(_ impl: Impl, home: ProgramImage? = nil) {
        self.impl = impl
        self.home = home
        if case .closure(let f, let c, let s) = impl {
            compiled = f; captureList = c; selfObject = s
        } else {
            compiled = nil; captureList = .empty; selfObject = nil
        }
    }

    /// The values a closure captured, in the order its code reads them.
    var captures: [Value] { captureList.array }

    /// For a lambda like `p => p.time in window`: the fields it reads from its
    /// first parameter (`["time"]`), so a rule can show the value it tested.
    public var fieldsReadFromFirstParameter: [String] { compiled?.firstParamFields ?? [] }

    /// The function's name (`lambda` for an anonymous one).
    public var name: String {
        switch impl {
        case .closure(let f, _, _): return f.name
        case .builtin(let b), .bound(let b, _): return b.name
        }
    }

    var paramNames: [String] {
        switch impl {
        case .closure(let f, _, _): return f.paramNames
        case .builtin(let b): return b.params.map { $0.name }
        case .bound(let b, _): return b.params.dropFirst().map { $0.name }
        }
    }
}
