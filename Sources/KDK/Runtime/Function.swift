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

    var requiredCount: Int { defaults.firstIndex { $0 != nil } ?? defaults.count }
}

/// A parameter of a library function.
public struct Parameter: Sendable {
    /// The name, also usable as a named argument.
    public var name: String
    /// nil: required; otherwise the value used when the argument is left out.
    public var defaultValue: Value?
    /// Whether the argument may be left out.
    public var optional: Bool
    /// The unit the argument must be in, when the function declares one; the
    /// checker rejects an argument whose unit is known to differ.
    public var unit: String?
    /// The kinds of value it takes (for completion after `expr.`: only the
    /// functions whose first parameter takes that value are offered).
    public var accepts: ValueKinds = .any
    /// Another parameter whose unit this one must share (`max(a, b)`): the
    /// checker rejects arguments whose units are known to differ.
    public var sameUnitAs: String?
    /// The type of value it takes, when declared (`Parameter("post", type: ...)`):
    /// a host function's arguments are checked against it on every call.
    public var type: ValueType?
    /// A required parameter.
    public init(_ name: String) { self.name = name; defaultValue = nil; optional = false }
    /// A required parameter that takes an amount in `unit` (`"USD"`).
    public init(_ name: String, unit: String) { self.name = name; defaultValue = nil; optional = false; self.unit = unit }
    /// A required parameter of this type (`.text`, `.record([...])`).
    public init(_ name: String, type: ValueType) { self.name = name; defaultValue = nil; optional = false; self.type = type }
    /// A parameter with a default (pass `Value.none` explicitly for "none").
    public init(_ name: String, default d: Value) { self.name = name; defaultValue = d; optional = true }
    /// A parameter that is none when left out.
    public static func optional(_ name: String) -> Parameter {
        var p = Parameter(name); p.optional = true; p.defaultValue = Value.none; return p
    }
    /// This parameter, declared to take only these kinds of value.
    public func accepting(_ kinds: ValueKinds) -> Parameter {
        var p = self; p.accepts = kinds; return p
    }
    /// This parameter, required to be in the same unit as `other`.
    public func sameUnit(as other: String) -> Parameter {
        var p = self; p.sameUnitAs = other; return p
    }
}

/// Kinds of value, as a set: what a library function's parameter takes.
public struct ValueKinds: OptionSet, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let bool = ValueKinds(rawValue: 1 << 0)
    public static let number = ValueKinds(rawValue: 1 << 1)
    public static let quantity = ValueKinds(rawValue: 1 << 2)
    public static let text = ValueKinds(rawValue: 1 << 3)
    public static let time = ValueKinds(rawValue: 1 << 4)
    public static let date = ValueKinds(rawValue: 1 << 5)
    public static let list = ValueKinds(rawValue: 1 << 6)
    public static let record = ValueKinds(rawValue: 1 << 7)
    public static let range = ValueKinds(rawValue: 1 << 8)
    public static let function = ValueKinds(rawValue: 1 << 9)
    public static let model = ValueKinds(rawValue: 1 << 10)
    /// A number or an amount in a unit.
    public static let amount: ValueKinds = [.number, .quantity]
    /// What can be walked item by item: lists and ranges.
    public static let sequence: ValueKinds = [.list, .range]
    /// Any value.
    public static let any = ValueKinds(rawValue: 0x7FF)

    /// The kind of one value (none matches nothing in particular).
    public static func of(_ v: Value) -> ValueKinds {
        switch v {
        case .none: return []
        case .bool: return .bool
        case .number: return .number
        case .quantity: return .quantity
        case .text: return .text
        case .time: return .time
        case .date: return .date
        case .list: return .list
        case .record: return .record
        case .range: return .range
        case .function: return .function
        case .model: return .model
        }
    }
}

/// What a library function declares about its result's unit, so the checker
/// can carry units through calls (`round(x) + 5 KDK` with `x` in USD is an
/// error before anything runs).
public enum ResultUnit: Sendable {
    /// Not known from the declaration (a list's sum, a record's field).
    case unknown
    /// A plain number (`len`, `div`).
    case plain
    /// The unit of the argument for this parameter (`abs(x)`, `round(x)`).
    case sameAs(String)
    /// Always this unit.
    case unit(String)
}

/// A function provided by Swift code: the standard library, a model kind or
/// the host. It receives its arguments in parameter order.
public final class Builtin: Sendable {
    /// The name programs call it by.
    public let name: String
    /// Its parameters, in order.
    public let params: [Parameter]
    /// Takes any number of further positional arguments after `params`.
    public let variadic: Bool
    /// When set, named arguments that match no parameter are gathered into a
    /// record passed as this (last) parameter: `sensitivity(S, hurdle: [...])`.
    public let namedRest: String?
    /// One line for :help and the docs.
    public let doc: String
    /// The unit of the result, for the checker.
    public let result: ResultUnit
    /// The type of the result, when declared: the checker knows it (a
    /// record's fields are checked) and a host function's result is checked
    /// against it on every call.
    public let returns: ValueType?
    let impl: @Sendable (Arguments, Machine) throws -> Value
    /// The same function for exactly two arguments, without building an
    /// argument array: hot arithmetic helpers such as `mod` provide it.
    let binary: (@Sendable (Value, Value) throws -> Value)?

    /// A function: its parameters (names, defaults, units), what its result's
    /// unit is, one line of documentation, and its body, which reads its
    /// arguments by parameter name.
    public init(_ name: String, _ params: [Parameter], variadic: Bool = false, namedRest: String? = nil,
                result: ResultUnit = .unknown, returns: ValueType? = nil, doc: String = "",
                _ impl: @escaping @Sendable (Arguments, Machine) throws -> Value) {
        self.name = name
        self.params = namedRest.map { params + [Parameter($0, default: .record(Record.make([])))] } ?? params
        self.variadic = variadic
        self.namedRest = namedRest
        switch (result, returns) {
        case (.unknown, .number?): self.result = .plain
        case (.unknown, .quantity(let u)?): self.result = .unit(u)
        default: self.result = result
        }
        self.returns = returns
        self.doc = doc
        self.impl = impl
        self.binary = nil
    }

    /// `b`'s declaration with another body.
    init(_ b: Builtin, body: @escaping @Sendable (Arguments, Machine) throws -> Value) {
        name = b.name
        params = b.params
        variadic = b.variadic
        namedRest = b.namedRest
        result = b.result
        returns = b.returns
        doc = b.doc
        impl = body
        binary = nil
    }

    /// A function of exactly two arguments, called without building an
    /// argument array (hot helpers such as `mod`).
    init(_ name: String, _ a: Parameter, _ b: Parameter, result: ResultUnit = .unknown, doc: String,
         binary: @escaping @Sendable (Value, Value) throws -> Value) {
        self.name = name
        self.params = [a, b]
        self.variadic = false
        self.namedRest = nil
        self.result = result
        self.returns = nil
        self.doc = doc
        self.binary = binary
        self.impl = { args, _ in try binary(args[0], args[1]) }
    }

    /// Runs the body on arguments in parameter order.
    @inline(__always)
    func call(_ values: [Value], _ m: Machine) throws -> Value { try impl(Arguments(values, self, sizeLimit: m.limits.maxSize), m) }

    var requiredCount: Int { params.filter { !$0.optional }.count }
}

/// A function value.
public final class Function: Sendable {
    enum Impl {
        case closure(CompiledFunction, captures: [Value], selfObject: ModelObject?)
        case builtin(Builtin)
        /// A library function with its first argument already given (`xs.map`).
        case bound(Builtin, Value)
    }
    let impl: Impl
    /// The closure's parts, unpacked once so calls do not copy them out of `impl`.
    let compiled: CompiledFunction?
    let captures: [Value]
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
            compiled = f; captures = c; selfObject = s
        } else {
            compiled = nil; captures = []; selfObject = nil
        }
    }

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
