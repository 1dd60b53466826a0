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
                                                    + DataLibrary.functions)
}

/// Argument access with clear errors, for library functions.
extension Array where Element == Value {
    func number(_ i: Int, _ fn: String, _ what: String = "argument") throws -> ExactDecimal {
        switch self[i] {
        case .number(let d): return d
        case .none: throw EvalError("\(fn): \(what) \(i + 1) is none (a missing value)", help: "give a default with ??")
        default: throw EvalError("\(fn) needs a number as \(what) \(i + 1), not \(Operators.describe(self[i]))")
        }
    }

    func int(_ i: Int, _ fn: String) throws -> Int {
        let d = try number(i, fn)
        guard let n = d.intValue else { throw EvalError("\(fn) needs a whole number as argument \(i + 1), not \(d)") }
        return n
    }

    func list(_ i: Int, _ fn: String) throws -> [Value] {
        switch self[i] {
        case .list(let l): return l
        case .none: throw EvalError("\(fn): argument \(i + 1) is none (a missing value)", help: "give a default with ??")
        default: throw EvalError("\(fn) needs a list, not \(Operators.describe(self[i]))")
        }
    }

    func text(_ i: Int, _ fn: String) throws -> String {
        switch self[i] {
        case .text(let s): return s
        case .none: throw EvalError("\(fn): argument \(i + 1) is none (a missing value)", help: "give a default with ??")
        default: throw EvalError("\(fn) needs a text, not \(Operators.describe(self[i]))")
        }
    }

    func function(_ i: Int, _ fn: String) throws -> Function {
        guard case .function(let f) = self[i] else {
            throw EvalError("\(fn) needs a function as argument \(i + 1), not \(Operators.describe(self[i]))",
                            help: "write a lambda, e.g. x => x * 2")
        }
        return f
    }

    func optionalFunction(_ i: Int, _ fn: String) throws -> Function? {
        if i >= count { return nil }
        if case .none = self[i] { return nil }
        return try function(i, fn)
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
