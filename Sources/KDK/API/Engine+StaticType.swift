import Foundation

extension Engine {
    /// What is known, without running, of the value of `source`'s last
    /// expression: its kind and unit ("quantity in USD", "number", "list",
    /// "Campaign"), or that it is known only when it runs. The REPL's `:type`.
    /// Throws the diagnostics when `source` does not check.
    public func staticType(of source: String, name: String = "<input>", importRoot: URL? = nil) throws -> String {
        let (compiled, diags) = analyze(SourceFile(name: name, text: source), importRoot: importRoot, recordPlan: true)
        guard let (compiler, _) = compiled else { throw DiagnosticList(diags.filter { $0.severity == .error }) }
        guard case .expr(let e)? = compiler.program.script.statements.first(where: { if case .expr = $0 { return true }; return false }) else {
            return "a definition (it has no value of its own)"
        }
        return StaticType.describe(e, compiler.program) ?? Engine.unknownType
    }

    /// What `staticType` says of an expression only running can describe.
    public static let unknownType = "not known until it runs"
}

extension StaticType {
    static func describe(_ s: DataShape) -> String {
        switch s {
        case .record(let fields, _, let origin):
            return "record {" + fields.joined(separator: ", ") + "}" + (origin.map { " (the rows of \($0.name))" } ?? "")
        case .list(let e):
            if case .shaped(let inner) = e { return "list of " + describe(inner) }
            if e == .plain { return "list of numbers" }
            if case .unit(let u) = e { return "list of quantities in \(UnitRegistry.shared.name(u))" }
            return "list"
        }
    }
}

/// Describes an expression's value from the checker's units and the shape
/// of the syntax; nil where only running would tell.
enum StaticType {
    static func describe(_ e: Expr, _ program: CheckedProgram, depth: Int = 0) -> String? {
        // A chain of lets is followed only so far.
        guard depth < 64 else { return nil }
        switch program.type(e) {
        case .unit(let u): return "quantity in \(UnitRegistry.shared.name(u))"
        case .plain, .zero: return "number"
        case .shaped(let s): return describe(s)
        case .other, .unknown: break
        }
        switch e.kind {
        case .literal(let v): return v.typeName
        case .text: return "text"
        case .list: return "list"
        case .record(let fields): return "record {" + fields.map { $0.name }.joined(separator: ", ") + "}"
        case .lambda(let params, _): return "function of \(params.count) argument\(params.count == 1 ? "" : "s")"
        case .range: return "range"
        case .and, .or, .not: return "bool"
        case .binary(let op, _, _) where op.isComparison || op == .in || op == .notIn: return "bool"
        case .name:
            switch program.ref(e) {
            case .builtin(let b)?: return "library function \(b.name)(\(b.params.map { $0.name }.joined(separator: ", ")))"
            case .global(let g)?:
                switch program.globals[g].kind {
                case .function(let f): return "function \(f.name)(\(f.params.map { $0.name }.joined(separator: ", ")))"
                case .model(let m): return "\(m.kind) model"
                case .host(let v): return v.typeName
                case .value(let b): return describe(b.value, program, depth: depth + 1)
                }
            default: return nil
            }
        case .ifElse(_, let a, let b):
            let ta = describe(a, program, depth: depth + 1), tb = describe(b, program, depth: depth + 1)
            return ta == tb ? ta : nil
        case .block(_, let result): return describe(result, program, depth: depth + 1)
        default: return nil
        }
    }
}

extension StaticType {
    /// What is known of an expression's value as a `ValueType`: from the
    /// checker's units and shapes, the inputs' declared types, host
    /// functions' declared results, and the shape of the syntax; `any`
    /// where only running would tell.
    static func valueType(_ e: Expr, _ program: CheckedProgram, inputs: [String: ValueType], depth: Int = 0) -> ValueType {
        guard depth < 64 else { return .any }
        func of(_ x: Expr) -> ValueType { valueType(x, program, inputs: inputs, depth: depth + 1) }
        switch e.kind {
        case .literal(let v): return ValueType.scalar(of: v)
        case .text: return .text
        case .and, .or, .not: return .bool
        case .binary(let op, _, _) where op.isComparison || op == .in || op == .notIn: return .bool
        case .lambda: return .function
        case .record(let fields): return .record(fields.map { ValueType.Field($0.name, of($0.value)) })
        case .field(let recv, let name, _):
            if case .record(let fs) = of(recv), let f = fs.first(where: { $0.name == name }) { return f.type }
        case .name(let n):
            switch program.ref(e) {
            case .builtin?: return .function
            case .global(let g)?:
                switch program.globals[g].kind {
                case .function: return .function
                case .host(let v): return inputs[n] ?? ValueType.scalar(of: v)
                case .value(let b):
                    let t = of(b.value)
                    return t == .any ? ValueType.from(program.globalTypes[g] ?? .unknown) : t
                case .model: return .any
                }
            default: break
            }
        case .call(let f, _):
            if case .builtin(let b)? = program.ref(f), let r = b.returns { return r }
        case .ifElse(_, let a, let b):
            let ta = of(a), tb = of(b)
            if ta == tb { return ta }
        case .block(_, let result): return of(result)
        default: break
        }
        return ValueType.from(program.type(e))
    }
}

extension ValueType {
    /// The type of a single value's kind (a scalar; `any` for the rest).
    static func scalar(of v: Value) -> ValueType {
        switch v {
        case .bool: return .bool
        case .number: return .number
        case .quantity(_, let u): return .quantity(unit: UnitRegistry.shared.name(u))
        case .text: return .text
        case .time: return .time
        case .date: return .date
        case .function: return .function
        default: return .any
        }
    }
}
