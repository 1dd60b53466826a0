/// What a name in the source refers to, decided before the program runs so
/// that no lookup by name happens in the hot path.
enum NameRef {
    /// A slot in the running function's frame.
    case local(Int)
    /// A value the running closure captured when it was created.
    case capture(Int)
    case global(Int)
    case builtin(Builtin)
    /// A unit name used as a value: `KDK` is `1 KDK`.
    case unit(UnitID)
    /// A field of the model object being evaluated (late-bound).
    case field(String)
}

/// What the checker learned about one `fn`, lambda, field body or thunk.
final class FunctionInfo {
    var frameSize = 0
    /// Where each captured value comes from, in the enclosing function.
    var captures: [NameRef] = []
}

/// A top-level definition.
struct GlobalEntry {
    enum Kind { case value(LetBinding), function(FunctionDecl), model(ModelDecl), host(Value) }
    var name: String
    var kind: Kind
    var file: SourceFile
    var range: SourceRange
}

/// The checker's results, keyed by syntax node. The compiler reads them
/// through `CheckedProgram`'s accessors, never by node identity itself.
final class Resolution {
    var names: [ObjectIdentifier: NameRef] = [:]
    /// What is known of each expression's unit.
    var types: [ObjectIdentifier: UType] = [:]
    /// Lambdas, keyed by the lambda expression.
    var functions: [ObjectIdentifier: FunctionInfo] = [:]
    /// `fn` declarations and model methods, keyed by their body (which may
    /// itself be a lambda, so this is a map of its own).
    var declared: [ObjectIdentifier: FunctionInfo] = [:]
    /// Slots of a block's `let`s, keyed by the block.
    var blockSlots: [ObjectIdentifier: [Int]] = [:]
    var units: [ObjectIdentifier: UnitID] = [:]
    /// For `a.f(x)`: the library or global function `f` to fall back on.
    var methodFallback: [ObjectIdentifier: NameRef] = [:]
    /// Thunks for top-level lets, expression statements and model fields.
    var thunks: [ObjectIdentifier: FunctionInfo] = [:]
}
