/// Field access, indexing and `with`: the runtime side of `a.b`, `a[i]`,
/// `a with {...}`.
extension Compiler {
    static func field(_ v: Value, _ name: String, _ m: Machine) throws -> Value {
        switch v {
        case .record(let r):
            if let x = r[name] { return x }
            throw EvalError("this record has no field '\(name)'",
                            help: Suggest.help(for: name, in: r.shape.names) ?? "its fields are \(r.shape.names.joined(separator: ", "))")
        case .model(let obj):
            if let x = try m.field(obj, name) { return x }
            if let meth = obj.kind.method(name) { return .function(Function(.bound(meth, v))) }
            if name == "name" { return .text(obj.name) }
            throw EvalError("\(obj.name) has no field '\(name)'",
                            help: Suggest.help(for: name, in: obj.fieldNames + obj.kind.methods.map { $0.name }))
        case .range(let r):
            switch name {
            case "lower", "start": return r.lower
            case "upper", "end": return r.upper
            default: break
            }
        case .none:
            throw EvalError("cannot read field '\(name)' of none (a missing value)", help: "check for none first, or use ??")
        default:
            break
        }
        if case .list = v, let help = Checker.lengthHabit(name) { throw EvalError("a list has no field '\(name)'", help: help) }
        if case .text = v, let help = Checker.lengthHabit(name) { throw EvalError("a text has no field '\(name)'", help: help.replacingOccurrences(of: "items", with: "characters")) }
        throw EvalError("\(Operators.describe(v)) has no field '\(name)'",
                        help: "to call a function on it, write \(name)(x) or x.\(name)()")
    }

    static func index(_ v: Value, _ k: Value, _ m: Machine? = nil) throws -> Value {
        if let m { return try index(v, k, &m.textCrumbs) }
        var none = TextCrumbs.none
        return try index(v, k, &none)
    }

    static func index(_ v: Value, _ k: Value, _ crumbs: inout TextCrumbs) throws -> Value {
        switch (v, k) {
        case (.list(let items), .number(let d)):
            guard let i = d.intValue else { throw EvalError("a list index must be a whole number, not \(d)") }
            let j = i < 0 ? items.count + i : i
            guard j >= 0 && j < items.count else {
                throw EvalError("index \(i) is out of range for a list of \(items.count)",
                                help: items.isEmpty ? "the list is empty" : "indexes run from 0 to \(items.count - 1) (or -1 for the last)")
            }
            return items[j]
        case (.text(let s), .number(let d)):
            guard let i = d.intValue else { throw EvalError("a text index must be a whole number, not \(d)") }
            guard let c = TextBytes.character(s, i, &crumbs) else {
                throw EvalError("index \(i) is out of range for a text of \(TextBytes.characterCount(s, &crumbs)) characters")
            }
            return .text(c)
        case (.list(let items), .range(let r)):
            return .list(Array(items[try Slice.bounds(r, count: items.count)]))
        case (.text(let s), .range(let r)):
            return .text(try TextBytes.slice(s, r, &crumbs))
        case (.range(let r), .number(let d)):
            let seq = try WholeRange(r, "indexing")
            guard let i = d.intValue else { throw EvalError("an index must be a whole number, not \(d)") }
            let j = i < 0 ? seq.count + i : i
            guard j >= 0 && j < seq.count else {
                throw EvalError("index \(i) is out of range for a range of \(seq.count)",
                                help: seq.count == 0 ? "the range is empty" : "indexes run from 0 to \(seq.count - 1) (or -1 for the last)")
            }
            return seq.item(j)
        case (.record(let r), .text(let name)):
            return r[name] ?? .none
        case (.none, _):
            throw EvalError("cannot index none (a missing value)", help: "check for none first, or use ??")
        default:
            throw EvalError("cannot index \(Operators.describe(v)) with \(Operators.describe(k))")
        }
    }

    static func with(_ base: Value, _ changes: [(String, Value, SourceRange)], _ file: SourceFile) throws -> Value {
        switch base {
        case .record(let r):
            var names = r.shape.names
            var values = r.values
            for (n, v, _) in changes {
                if let i = r.shape.slot(n) { values[i] = v } else { names.append(n); values.append(v) }
            }
            return .record(Record.make(shape: .of(names), values: values))
        case .model(let obj):
            var defs: [FieldDef] = []
            for (n, v, nr) in changes {
                guard obj.has(n) else {
                    throw EvalError("\(obj.name) has no field '\(n)' to change",
                                    help: Suggest.help(for: n, in: obj.fieldNames)).located(nr, file)
                }
                defs.append(FieldDef(name: n, body: .value(v), range: nr, file: file))
            }
            return .model(obj.variant(name: "\(obj.name) with {\(changes.map { $0.0 }.joined(separator: ", "))}", overrides: defs))
        default:
            let r = changes.first?.2 ?? .none
            throw EvalError("'with' needs a record or a model, not \(Operators.describe(base))").located(r, file)
        }
    }
}
