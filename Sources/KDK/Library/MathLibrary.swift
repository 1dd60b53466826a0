import Foundation

/// Math: exact where the operation allows, binary floating point (about 15
/// significant digits) for `sqrt`, `ln`, `exp` and fractional powers.
enum MathLibrary {
    typealias W = Operators

    static func amount(_ v: Value, _ fn: String) throws -> (ExactDecimal, UnitID?) {
        switch v {
        case .number(let d): return (d, nil)
        case .quantity(let d, let u): return (d, u)
        case .none: throw EvalError("\(fn): the value is none (a missing value)", help: "give a default with ??")
        default: throw EvalError("\(fn) needs a number or quantity, not \(Operators.describe(v))")
        }
    }

    static func rebuild(_ d: ExactDecimal, _ u: UnitID?) -> Value { u.map { .quantity(d, $0) } ?? .number(d) }

    static func float(_ name: String, _ f: @escaping (Double) -> Double, domain: @escaping (ExactDecimal) -> String? = { _ in nil }) -> Builtin {
        Builtin(name, [Parameter("x")], doc: "\(name)(x), computed in binary floating point (about 15 digits)") { a, _ in
            let x = try a.number(0, name)
            if let msg = domain(x) { throw EvalError(msg) }
            guard let r = ExactDecimal(f(x.doubleValue)) else { throw EvalError("\(name)(\(x)) is out of range") }
            return .number(r)
        }
    }

    static let functions: [Builtin] = [
        Builtin("abs", [Parameter("x")], doc: "absolute value, keeping the unit") { a, _ in
            let (d, u) = try amount(a[0], "abs")
            return rebuild(try W.wrap { try d.absolute() }, u)
        },
        Builtin("round", [Parameter("x"), Parameter.optional("places")],
                doc: "round half-even to `places` decimals (default: the unit's declared decimals, else 0)") { a, m in
            let (d, u) = try amount(a[0], "round")
            var places = 0
            if case .none = a[1] { places = u.flatMap { m.image.unitDecimals[$0] } ?? 0 } else { places = try a.int(1, "round") }
            guard abs(places) <= 1000 else { throw EvalError("round: places must be between -1000 and 1000") }
            let r = d.rounded(places: places)
            // Python's quantize: a result needing more than 28 digits at that place is an error.
            if !r.isZero, Int(r.exponent) + r.digits + places > ExactDecimal.precision {
                throw EvalError("round: \(d) to \(places) places needs more than 28 significant digits",
                                help: "round to fewer places")
            }
            return rebuild(r, u)
        },
        Builtin("floor", [Parameter("x")], doc: "largest whole number not above x") { a, _ in
            let (d, u) = try amount(a[0], "floor"); return rebuild(d.rounded(places: 0, .floor), u)
        },
        Builtin("ceil", [Parameter("x")], doc: "smallest whole number not below x") { a, _ in
            let (d, u) = try amount(a[0], "ceil"); return rebuild(d.rounded(places: 0, .ceiling), u)
        },
        Builtin("div", "a", "b", doc: "integer quotient, truncated toward zero") { x, y in
            let (q, _) = try W.wrap { try ExactDecimal.divMod([x, y].number(0, "div"), [x, y].number(1, "div")) }
            return .number(q)
        },
        Builtin("mod", "a", "b", doc: "remainder of div: a == div(a, b) * b + mod(a, b)") { x, y in
            guard case .number(let a) = x, case .number(let b) = y else {
                _ = try [x, y].number(0, "mod"); _ = try [x, y].number(1, "mod"); return .none
            }
            let (_, r) = try W.wrap { try ExactDecimal.divMod(a, b) }
            return .number(r)
        },
        float("sqrt", { $0.squareRoot() }, domain: { $0.isNegative ? "sqrt of a negative number (\($0))" : nil }),
        float("ln", { Foundation.log($0) }, domain: { $0.signum <= 0 ? "ln needs a positive number, not \($0)" : nil }),
        float("exp", { Foundation.exp($0) }),
        Builtin("min", [Parameter("a"), Parameter.optional("b")], variadic: true, doc: "smallest of the arguments, or of a list") { a, _ in
            try extreme(a, "min", want: -1)
        },
        Builtin("max", [Parameter("a"), Parameter.optional("b")], variadic: true, doc: "largest of the arguments, or of a list") { a, _ in
            try extreme(a, "max", want: 1)
        },
        Builtin("sum", [Parameter("xs")], doc: "sum of a list, keeping the unit; 0 for an empty list") { a, m in
            var acc: Value = .number(.zero)
            for v in try a.list(0, "sum") { try m.step(); acc = try W.add(acc, v) }
            return acc
        },
        Builtin("mean", [Parameter("xs")], doc: "arithmetic mean, keeping the unit; none for an empty list") { a, m in
            let xs = try a.list(0, "mean")
            if xs.isEmpty { return .none }
            var acc: Value = .number(.zero)
            for v in xs { try m.step(); acc = try W.add(acc, v) }
            return try W.divide(acc, .number(ExactDecimal(xs.count)))
        },
        Builtin("median", [Parameter("xs")], doc: "middle value (mean of the two middle ones for an even count)") { a, _ in
            let xs = try ListLibrary.stableSort(try a.list(0, "median"), by: { try W.compare($0, $1) < 0 })
            if xs.isEmpty { return .none }
            if xs.count % 2 == 1 { return xs[xs.count / 2] }
            return try W.divide(W.add(xs[xs.count / 2 - 1], xs[xs.count / 2]), .number(ExactDecimal(2)))
        },
        Builtin("to", [Parameter("q"), Parameter("unit"), Parameter.optional("rate")],
                doc: "convert a quantity: durations among themselves; currencies with a rate (to(q, USDT, 0.04 USDT/KDK))") { a, _ in
            guard case .quantity(_, let target) = a[1] else { throw EvalError("to: the second argument must be a unit, e.g. USD") }
            var q = a[0]
            if case .none = a[2] {} else { q = try W.multiply(q, a[2]) }
            switch q {
            case .quantity(let d, let u):
                if u == target { return q }
                guard UnitRegistry.shared.sameDimension(u, target) else {
                    throw EvalError("cannot convert \(UnitRegistry.shared.name(u)) to \(UnitRegistry.shared.name(target))",
                                    help: "give a rate: to(q, \(UnitRegistry.shared.name(target)), rate) with rate in \(UnitRegistry.shared.name(target))/\(UnitRegistry.shared.name(u))")
                }
                return .quantity(try W.wrap { try ExactDecimal.multiply(d, UnitRegistry.shared.conversionFactor(from: u, to: target)) }, target)
            default:
                throw EvalError("to needs a quantity, not \(Operators.describe(q))")
            }
        },
    ]

    static func extreme(_ a: [Value], _ fn: String, want: Int) throws -> Value {
        var items = a
        if case .none = a[1], a.count == 2 {
            guard case .list(let l) = a[0] else { throw EvalError("\(fn) of one value needs a list") }
            items = l
        }
        guard var best = items.first else { return .none }
        for v in items.dropFirst() where try W.compare(v, best) == want { best = v }
        return best
    }
}
