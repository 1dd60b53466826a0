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
    /// For a parameter that takes a function: what the function is called
    /// with (the checker gives a lambda's parameters the list's item type).
    public var receives: Receives?
    /// Whether the argument must be above zero; `kdk check` says so when it
    /// is written as a number (`lognormal(0, 5)`), and the function at run time.
    public var positive = false
    /// Another parameter this one must be above (`high` above `low`),
    /// checked the same way.
    public var above: String?
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
    /// This parameter, required to be above zero.
    public func positiveOnly() -> Parameter {
        var p = self; p.positive = true; return p
    }
    /// This parameter, required to be above parameter `other`.
    public func above(_ other: String) -> Parameter {
        var p = self; p.above = other; return p
    }
    /// This parameter, a function called with the list's items (or as `r` says).
    public func receiving(_ r: Receives = .item) -> Parameter {
        var p = self; p.receives = r; return p
    }
}

/// What a list function calls its function argument with.
public enum Receives: Sendable {
    /// Each item of the list (`map`, `filter`, `sort_by`).
    case item
    /// An accumulator, then an item (`reduce`).
    case accumulatorAndItem
}

/// What a list function gives, in terms of its list's items: the checker
/// carries the list's item type through it (`posts.filter(...)[0].likes`
/// is checked against the posts' fields).
public enum ListResult: Sendable {
    /// A list of the same items (`filter`, `sort`, `top`).
    case sameItems
    /// The list of what this parameter's function returns (`map`).
    case mapped(by: String)
    /// One of the items, or none (`max_by`).
    case item
    /// The same items, each a record with these fields added (`mark_copies`).
    case withFields([String])
    /// One item, unless this parameter is given a number: then a list of
    /// the same items (`first(xs)`, `first(xs, test)`, `first(xs, 3)`).
    case itemUnlessCount(String)
}

/// A data file a function reads, named by its first argument: when that is
/// a literal path, the checker reads the file's header (or, for JSON, the
/// file) and knows the rows' fields before anything runs.
public enum DataFileFormat: Sendable {
    case csv, json, jsonLines
}

/// How a list function takes part in a fused pipeline
/// (`range(n).filter(f).map(g) |> sum`, run as one loop: Runtime/Pipeline.swift).
public enum PipelineRole: Sendable {
    /// A stage that maps each item (`map`).
    case map
    /// A stage that keeps the items its function accepts (`filter`).
    case filter
    /// The end: reads the items that reach it (`sum`, `count`, `any`, `first`).
    case end(Folding)
    /// A source of whole numbers from start to end, counted but not built (`range`).
    case wholeNumbers
    /// An end that carries an accumulator through its function
    /// (`reduce(xs, initial, f)`): over a range's numbers, it reads them one
    /// at a time instead of a list of them (Compiler+Pipelines.swift).
    case accumulate
}

/// How a function that reads a list item by item comes to its answer: one
/// declaration that the library function runs over its list, a fused
/// pipeline over the items that reach its end, and a column plan over each
/// row's list, so the three cannot differ. A protocol of small structs
/// rather than a struct of closures: the fused loop is generic over the
/// fold and entered through `fused`, implemented once below, so each fold
/// gets a loop of its own with `next` inlined (a fused `|> sum` costs what
/// it did when the loop added inline). The standard library's: hosts
/// declare `.map` and `.filter` roles, not folds.
protocol Fold: Sendable {
    /// The function's name, for messages.
    var name: String { get }
    /// The parameter whose function is called on each item (`test`, `key`),
    /// if it takes one; the function's result is passed to `next`.
    var function: String? { get }
    /// Reads one item (`result`: the function's result on it, nil when no
    /// function was given); false when the answer is known and no further
    /// item can change it. `m` is the running machine (nil over columns).
    func next(_ s: inout FoldState, _ item: Value, _ result: Value?, _ m: Machine?) throws -> Bool
    /// The answer after the last item read.
    func finish(_ s: FoldState) -> Value
    /// The answer over the items `items` gives, one at a time, to the
    /// function it is handed (which says false once the answer is known).
    /// Not for a fold to implement: the default does it.
    func read(_ items: (_ each: (Value, Value?, Machine?) throws -> Bool) throws -> Void) throws -> Value
    /// The fused pipeline's loop with this fold as its end. Not for a fold
    /// to implement: the default (specialized for each fold) does it.
    func fused(_ runner: inout PipelineRunner) throws -> Value
}

/// A fold, as a pipeline role holds it (what it is stays the library's).
public struct Folding: Sendable {
    let fold: any Fold
}

/// What a fold keeps between items.
struct FoldState {
    /// The answer so far (a running sum, the item found).
    var value: Value = .none
    /// A key kept beside it (the largest key so far).
    var key: Value? = nil
    /// Items counted (or, for `any` and `all`, whether the answer is known).
    var count = 0
}

extension Fold {
    func fused(_ runner: inout PipelineRunner) throws -> Value { try runner.run(self) }

    func read(_ items: (_ each: (Value, Value?, Machine?) throws -> Bool) throws -> Void) throws -> Value {
        var state = FoldState()
        try items { x, r, m in try next(&state, x, r, m) }
        return finish(state)
    }

    /// The answer over `xs`, calling `f` (if given) on each item in order.
    func run(_ xs: [Value], _ f: Function?, _ m: Machine) throws -> Value {
        try read { each in
            if let f {
                try m.forEachCall(f, xs) { x, r in try each(x, r, m) }
            } else {
                for x in xs where try !each(x, nil, m) { break }
            }
        }
    }

    /// Whether `r` (a test's result) is true; an error when it is not a bool.
    func truth(_ r: Value) throws -> Bool { try Machine.truth(r, name) }
}

/// The one argument of a one-parameter library function, read without an
/// argument array (the unary body of `lower`, `len`, `hashtags`: called by
/// calls and by column plans alike).
public struct UnaryArgument {
    public let value: Value
    /// Borrowed: whoever makes the argument holds the names for the call
    /// (a compiled call, a column plan, the function's own body), so making
    /// and dropping an argument per call counts no references.
    unowned(unsafe) let names: ArgumentNames
    /// The machine of the call, borrowed likewise; none in a column plan.
    /// `len` reads the count of a text it made (`TextCrumbs`).
    unowned(unsafe) let machine: Machine?

    init(value: Value, names: ArgumentNames, machine: Machine? = nil) {
        self.value = value
        self.names = names
        self.machine = machine
    }

    var parameter: String { names.parameter }
    var callee: String { names.callee }

    /// A text, or the error the function's other calls give.
    public func text() throws -> String {
        if case .text(let s) = value { return s }
        throw Arguments.wrongKind(callee, parameter, "a text", value)
    }

    /// A number or an amount with its unit (nil for a plain number), or the
    /// error the function's other calls give.
    public func amount() throws -> (ExactDecimal, UnitID?) {
        switch value {
        case .number(let d): return (d, nil)
        case .quantity(let d, let u): return (d, u)
        default: throw Arguments.wrongKind(callee, parameter, "a number or quantity", value)
        }
    }
}

/// A function's name and its first parameter's, for the errors of a
/// `UnaryArgument`.
final class ArgumentNames: Sendable {
    let parameter: String
    let callee: String

    init(parameter: String, callee: String) {
        self.parameter = parameter
        self.callee = callee
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
    /// An uncertain number or quantity: only functions that say so take one.
    public static let distribution = ValueKinds(rawValue: 1 << 11)
    /// A number or an amount in a unit.
    public static let amount: ValueKinds = [.number, .quantity]
    /// What can be walked item by item: lists and ranges.
    public static let sequence: ValueKinds = [.list, .range]
    /// Any value.
    public static let any = ValueKinds(rawValue: 0xFFF)

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
        case .distribution: return .distribution
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
    /// What it gives in terms of its list's items, for the checker.
    public let listResult: ListResult?
    /// Its part in a fused pipeline, if it has one.
    public let pipeline: PipelineRole?
    /// The data file it reads, if it reads one (`read_csv`).
    public let reads: DataFileFormat?
    /// Whether a call does something besides giving its value (`print`,
    /// `write_csv`; every host and model function, which kdk cannot see
    /// into). A call without effects whose arguments do not read the row is
    /// worked out once per award rather than per entry.
    public let hasEffects: Bool
    /// Effects, or a file read: what a row-independent part of a rule may
    /// not do once for all rows (checked first, so other calls pay nothing more).
    let mayAct: Bool
    let impl: @Sendable (Arguments, Machine) throws -> Value
    /// The same function for exactly two arguments, without building an
    /// argument array: hot arithmetic helpers such as `mod` provide it.
    let binary: (@Sendable (Value, Value) throws -> Value)?
    /// The same function for exactly one argument, which needs no machine:
    /// called without an argument array, and over a table's columns by
    /// column plans (`lower`, `len`, `hashtags`).
    let unary: (@Sendable (UnaryArgument) throws -> Value)?
    /// The same function of a text given as its UTF-8 bytes (valid UTF-8),
    /// which column plans call on a text column's cells without making a
    /// String of each (`hashtags` over a million posts).
    let textBytes: (@Sendable (UnsafeBufferPointer<UInt8>) -> Value)?

    /// Every declaration, set once; the initializers below fill in what
    /// each kind of function leaves out.
    private init(name: String, params: [Parameter], variadic: Bool, namedRest: String?, result: ResultUnit, returns: ValueType?,
                 doc: String, listResult: ListResult?, pipeline: PipelineRole?, reads: DataFileFormat? = nil, hasEffects: Bool = false,
                 impl: @escaping @Sendable (Arguments, Machine) throws -> Value,
                 binary: (@Sendable (Value, Value) throws -> Value)? = nil, unary: (@Sendable (UnaryArgument) throws -> Value)? = nil,
                 textBytes: (@Sendable (UnsafeBufferPointer<UInt8>) -> Value)? = nil) {
        self.name = name
        self.params = params
        self.variadic = variadic
        self.namedRest = namedRest
        self.result = result
        self.returns = returns
        self.doc = doc
        self.listResult = listResult
        self.pipeline = pipeline
        self.reads = reads
        self.hasEffects = hasEffects
        mayAct = hasEffects || reads != nil
        self.impl = impl
        self.binary = binary
        self.unary = unary
        self.textBytes = textBytes
    }

    /// A function: its parameters (names, defaults, units), what its result's
    /// unit is, one line of documentation, and its body, which reads its
    /// arguments by parameter name.
    public convenience init(_ name: String, _ params: [Parameter], variadic: Bool = false, namedRest: String? = nil,
                            result: ResultUnit = .unknown, returns: ValueType? = nil, gives listResult: ListResult? = nil,
                            pipeline: PipelineRole? = nil, reads: DataFileFormat? = nil, effects: Bool = false, doc: String = "",
                            twoArguments: (@Sendable (Value, Value) throws -> Value)? = nil,
                            _ impl: @escaping @Sendable (Arguments, Machine) throws -> Value) {
        let unit: ResultUnit
        switch (result, returns) {
        case (.unknown, .number?): unit = .plain
        case (.unknown, .quantity(let u)?): unit = .unit(u)
        default: unit = result
        }
        self.init(name: name, params: namedRest.map { params + [Parameter($0, default: .record(Record.make([])))] } ?? params,
                  variadic: variadic, namedRest: namedRest, result: unit, returns: returns, doc: doc, listResult: listResult,
                  pipeline: pipeline, reads: reads, hasEffects: effects, impl: impl, binary: twoArguments)
    }

    /// A function that reads a list item by item (`any`, `count`, `max_by`):
    /// its body is the fold over the list (and over `fold.function`'s
    /// results, when given), and it ends fused pipelines.
    convenience init(_ name: String, _ params: [Parameter], result: ResultUnit = .unknown, gives listResult: ListResult? = nil,
                     fold: any Fold, doc: String) {
        self.init(name, params, result: result, gives: listResult, pipeline: .end(Folding(fold: fold)), doc: doc) { a, m in
            try fold.run(try a.list(params[0].name), try fold.function.flatMap { try a.optionalFunction($0) }, m)
        }
    }

    /// A function of one argument that needs no machine (see `unary`), and
    /// its body on a text's bytes, if it has one (see `textBytes`).
    convenience init(_ name: String, _ p: Parameter, result: ResultUnit = .unknown, pipeline: PipelineRole? = nil, doc: String,
                     textBytes: (@Sendable (UnsafeBufferPointer<UInt8>) -> Value)? = nil,
                     unary: @escaping @Sendable (UnaryArgument) throws -> Value) {
        self.init(name: name, params: [p], variadic: false, namedRest: nil, result: result, returns: nil, doc: doc, listResult: nil,
                  pipeline: pipeline, impl: { [names = ArgumentNames(parameter: p.name, callee: name)] args, m in
                      try unary(UnaryArgument(value: args[0], names: names, machine: m))
                  },
                  unary: unary, textBytes: textBytes)
    }

    /// `b`'s declaration with another body (and effects, when it may have some).
    convenience init(_ b: Builtin, effects: Bool? = nil, body: @escaping @Sendable (Arguments, Machine) throws -> Value) {
        self.init(name: b.name, params: b.params, variadic: b.variadic, namedRest: b.namedRest, result: b.result, returns: b.returns,
                  doc: b.doc, listResult: b.listResult, pipeline: b.pipeline, reads: b.reads, hasEffects: effects ?? b.hasEffects, impl: body)
    }

    /// A function of exactly two arguments, called without building an
    /// argument array (hot helpers such as `mod`).
    convenience init(_ name: String, _ a: Parameter, _ b: Parameter, result: ResultUnit = .unknown, doc: String,
                     binary: @escaping @Sendable (Value, Value) throws -> Value) {
        self.init(name: name, params: [a, b], variadic: false, namedRest: nil, result: result, returns: nil, doc: doc, listResult: nil,
                  pipeline: nil, impl: { args, _ in try binary(args[0], args[1]) }, binary: binary)
    }

    /// Runs the body on arguments in parameter order.
    @inline(__always)
    func call(_ values: [Value], _ m: Machine) throws -> Value {
        if mayAct, m.hoisting { throw ColumnPlan.Unsupported() }
        return m.made(try impl(Arguments(values, self, sizeLimit: m.limits.maxSize), m))
    }


    /// The fold it ends pipelines with, if it reads lists item by item.
    var fold: (any Fold)? {
        if case .end(let f)? = pipeline { return f.fold }
        return nil
    }
}

