import KDK

/// Small helpers the core model kinds share, written against KDK's public API.
enum ModelSupport {
    static func field(_ obj: ModelObject, _ name: String, _ m: Machine) throws -> Value {
        try m.field(obj, name) ?? .none
    }

    static func function(_ v: Value, _ what: String) throws -> Function? {
        switch v {
        case .none: return nil
        case .function(let f): return f
        default: throw EvalError("\(what) must be a function, not \(Arithmetic.describe(v))", help: "write a lambda, e.g. p => p.author")
        }
    }

    static func list(_ v: Value, _ what: String) throws -> [Value] {
        guard case .list(let l) = v else { throw EvalError("\(what) must be a list, not \(Arithmetic.describe(v))") }
        return l.array
    }

    static func record(_ v: Value, _ what: String) throws -> Record {
        guard case .record(let r) = v else { throw EvalError("\(what) must be records, found \(Arithmetic.describe(v))") }
        return r
    }

    static func truth(_ v: Value, _ what: String) throws -> Bool {
        guard case .bool(let b) = v else { throw EvalError("\(what) must give true or false, not \(Arithmetic.describe(v))") }
        return b
    }
}
