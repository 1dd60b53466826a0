/// Printing and a few values every program needs.
enum CoreLibrary {
    static let functions: [Builtin] = [
        Builtin("print", [Parameter("x")], variadic: true, effects: true, doc: "write values (texts without quotes) to the output; returns none") { a, m in
            m.access.output(a.map { v in
                if case .text(let s) = v { return s }
                return v.display(style: m.image.display)
            }.joined(separator: " "))
            return .none
        },
        Builtin("display", [Parameter("x")], effects: true, doc: "show a value now, as the last value of a cell or input is shown (a table in a notebook); returns none") { a, m in
            let shown = Shown.value(a["x"], m.image.display)
            if let show = m.access.show { show(shown) } else { m.access.output(shown.text) }
            return .none
        },
        Builtin("type", [Parameter("x")], doc: "the kind of a value, as text") { a, _ in .text(a["x"].typeName) },
        Builtin("keys", [Parameter("r").accepting([.record, .model])], doc: "the field names of a record or model") { a, _ in
            switch a["r"] {
            case .record(let r): return .list(r.shape.names.map { .text($0) })
            case .model(let o): return .list(o.fieldNames.map { .text($0) })
            default: throw EvalError("keys needs a record or model, not \(Operators.describe(a["r"]))")
            }
        },
    ]
}
