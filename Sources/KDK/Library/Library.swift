/// The functions a program can call by name. The standard library is built
/// from modules (math, lists, text, time, display); hosts and model kinds add
/// their own through the same `Builtin` type.
public struct Library: Sendable {
    /// Functions by name.
    public private(set) var functions: [String: Builtin] = [:]

    /// A library of these functions.
    public init(_ builtins: [Builtin] = []) { add(builtins) }

    /// Adds (or replaces) functions.
    public mutating func add(_ builtins: [Builtin]) {
        for b in builtins { functions[b.name] = b }
    }

    /// Math, lists, text, time, data files and printing.
    public static let standard: Library = Library(MathLibrary.functions + ListLibrary.functions
                                                    + TextLibrary.functions + TimeLibrary.functions + CoreLibrary.functions
                                                    + DataLibrary.functions + FormatLibrary.functions)
}

/// The arguments of one call of a library function, in parameter order,
/// read by parameter name: `args.text("s")`, `args.list("xs")`. A wrong kind
/// of value is an error that names the function and the parameter, so a
/// function's body never spells its own name. The standard library, model
/// kinds and hosts all read arguments through this one type.
public struct Arguments: RandomAccessCollection, Sendable {
    /// The values, in parameter order (then any variadic extras).
    public let values: [Value]
    /// The function being called.
    public let callee: Builtin
    /// The run's size limit, for a range read as a list (a number, not the
    /// machine: an `Arguments` a host keeps holds no reference to the run).
    let sizeLimit: Int

    init(_ values: [Value], _ function: Builtin, sizeLimit: Int) {
        self.values = values
        self.callee = function
        self.sizeLimit = sizeLimit
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { values.count }
    public subscript(i: Int) -> Value { values[i] }

    /// The index of a declared parameter (a misspelt name is a bug in the
    /// function's Swift code, reported as such rather than trapping).
    public func index(of name: String) throws -> Int {
        guard let i = callee.params.firstIndex(where: { $0.name == name }), i < values.count else {
            throw EvalError("internal error: \(callee.name) has no parameter '\(name)'")
        }
        return i
    }

    /// The value given for a parameter (its default when left out).
    public subscript(name: String) -> Value {
        (try? index(of: name)).map { values[$0] } ?? .none
    }

    /// Whether the parameter is none (left out, or given as none).
    public func isNone(_ name: String) -> Bool {
        if case .none = self[name] { return true }
        return false
    }

    func missing(_ name: String) -> EvalError { Arguments.wrongKind(callee.name, name, "", .none) }

    func wrongKind(_ name: String, _ want: String, _ v: Value, help: String? = nil) -> EvalError {
        Arguments.wrongKind(callee.name, name, want, v, help: help)
    }

    /// `f needs a text for s, not a number`: the words for every function's arguments.
    static func wrongKind(_ callee: String, _ name: String, _ want: String, _ v: Value, help: String? = nil) -> EvalError {
        if case .none = v { return EvalError("\(callee): \(name) is none (a missing value)", help: "give a default with ??") }
        return EvalError("\(callee) needs \(want) for \(name), not \(Arithmetic.describe(v))", help: help)
    }

    /// The parameter's value as `extract` reads it, or an error naming what was wanted.
    private func read<T>(_ name: String, _ want: String, help: String? = nil, _ extract: (Value) -> T?) throws -> T {
        let v = self[name]
        guard let x = extract(v) else { throw wrongKind(name, want, v, help: help) }
        return x
    }

    /// A plain number.
    public func number(_ name: String) throws -> ExactDecimal {
        try read(name, "a number") { if case .number(let d) = $0 { d } else { nil } }
    }

    /// A whole plain number.
    public func int(_ name: String) throws -> Int {
        let d = try number(name)
        guard let n = d.intValue else { throw EvalError("\(callee.name) needs a whole number for \(name), not \(d)") }
        return n
    }

    /// A number or an amount in a unit, with its unit (nil for a plain number).
    public func amount(_ name: String) throws -> (ExactDecimal, UnitID?) {
        try read(name, "a number or quantity") {
            switch $0 {
            case .number(let d): (d, nil)
            case .quantity(let d, let u): (d, u)
            default: nil
            }
        }
    }

    /// A list; a range of whole numbers gives the list of its numbers.
    public func list(_ name: String) throws -> [Value] {
        let v = self[name]
        if case .list(let l) = v { return l.array }
        if case .range(let r) = v { return try WholeRange(r, callee.name).items(limit: sizeLimit) }
        throw wrongKind(name, "a list", v)
    }

    /// A text.
    public func text(_ name: String) throws -> String {
        try read(name, "a text") { if case .text(let s) = $0 { s } else { nil } }
    }

    /// A bool.
    public func bool(_ name: String) throws -> Bool {
        try read(name, "true or false") { if case .bool(let b) = $0 { b } else { nil } }
    }

    /// A record.
    public func record(_ name: String) throws -> Record {
        try read(name, "a record") { if case .record(let r) = $0 { r } else { nil } }
    }

    /// A function (a lambda, a `fn` or a library function).
    public func function(_ name: String) throws -> Function {
        try read(name, "a function", help: "write a lambda, e.g. x => x * 2") { if case .function(let f) = $0 { f } else { nil } }
    }

    /// A function, or nil when the parameter is none.
    public func optionalFunction(_ name: String) throws -> Function? {
        isNone(name) ? nil : try function(name)
    }
}

extension Machine {
    /// A predicate's result, which must be a bool.
    @inline(__always)
    static func truth(_ r: Value, _ fn: String) throws -> Bool {
        guard case .bool(let b) = r else {
            throw EvalError("the function given to \(fn) must return a bool, not \(Operators.describe(r))")
        }
        return b
    }
}
