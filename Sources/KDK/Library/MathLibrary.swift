import Foundation

/// Math: exact where the operation allows, binary floating point (about 15
/// significant digits) for `sqrt`, `ln`, `exp` and fractional powers.
enum MathLibrary {
    typealias W = Operators

    static func rebuild(_ d: ExactDecimal, _ u: UnitID?) -> Value { u.map { .quantity(d, $0) } ?? .number(d) }

    static func float(_ name: String, _ f: @escaping @Sendable (Double) -> Double,
                      domain: @escaping @Sendable (ExactDecimal) -> String? = { _ in nil }) -> Builtin {
        Builtin(name, [Parameter("x").accepting(.number)], result: .plain, doc: "\(name)(x), computed in binary floating point (about 15 digits)") { a, _ in
            let x = try a.number("x")
            if let msg = domain(x) { throw EvalError(msg) }
            guard let r = ExactDecimal(f(x.doubleValue)) else { throw EvalError("\(name)(\(x)) is out of range") }
            return .number(r)
        }
    }

    /// The rounding modes `round(x, places, mode:)` takes, by name.
    static let roundingModes: [String: ExactDecimal.Rounding] = [
        "half_even": .halfEven, "half_up": .halfUp, "down": .down, "up": .up, "floor": .floor, "ceiling": .ceiling,
    ]

    static func roundingMode(_ name: String) throws -> ExactDecimal.Rounding {
        guard let m = roundingModes[name] else {
            throw EvalError("round: unknown mode \"\(name)\"", help: "use one of " + roundingModes.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
                + (DidYouMean.closest(to: name, in: Array(roundingModes.keys)).map { "; did you mean \"\($0)\"?" } ?? ""))
        }
        return m
    }

    /// `d` (in unit `u`) rounded to `places` decimals, keeping its unit and
    /// its percentage mark. As with Python's quantize, a result needing more
    /// than 28 significant digits at that place is an error.
    static func roundTo(_ d: ExactDecimal, _ u: UnitID?, places: Int, mode: ExactDecimal.Rounding, _ fn: String) throws -> Value {
        guard places.magnitude <= 1000 else { throw EvalError("\(fn): places must be between -1000 and 1000") }
        let r = d.rounded(places: places, mode)
        if !r.isZero, Int(r.exponent) + r.digits + places > ExactDecimal.precision {
            throw EvalError("\(fn): \(d) to \(places) places needs more than 28 significant digits", help: "round to fewer places")
        }
        return rebuild(r.percent(d.isPercent), u)
    }

    /// `sum(xs)`: a step per item, as `+` adds; from a zero that takes the
    /// first item's mark (`Operators.sumStart`), 0 for no items.
    struct SumFold: Fold {
        var name: String { "sum" }
        var function: String? { nil }
        /// Inlined into the fused loop: called, it cost a fused `|> sum` 3%.
        @inline(__always)
        func next(_ s: inout FoldState, _ x: Value, _ r: Value?, _ m: Machine?) throws -> Bool {
            try m?.step()
            if s.count == 0 { s.value = try W.add(W.sumStart(x), x) } else { s.value = try W.add(s.value, x) }
            s.count += 1
            return true
        }
        func finish(_ s: FoldState) -> Value { s.count == 0 ? .number(.zero) : s.value }
    }

    static let functions: [Builtin] = [
        Builtin("abs", Parameter("x").accepting(.amount), result: .sameAs("x"), doc: "absolute value, keeping the unit") { a in
            let (d, u) = try a.amount()
            return rebuild(try W.wrap { try d.absolute() }, u)
        },
        Builtin("round", [Parameter("x").accepting(.amount), Parameter.optional("places"), Parameter("mode", default: .text("half_even"))],
                result: .sameAs("x"),
                doc: "round to `places` decimals (default: the unit's declared decimals, else 0); mode: half_even (default), half_up, down, up, floor, ceiling") { a, m in
            let (d, u) = try a.amount("x")
            let places = a.isNone("places") ? u.flatMap { m.image.unitDecimals[$0] } ?? 0 : try a.int("places")
            return try roundTo(d, u, places: places, mode: try roundingMode(a.text("mode")), "round")
        },
        Builtin("floor", [Parameter("x").accepting(.amount), Parameter("places", default: .number(.zero))], result: .sameAs("x"),
                doc: "the largest number with `places` decimals (default 0) not above x") { a, _ in
            let (d, u) = try a.amount("x")
            return try roundTo(d, u, places: try a.int("places"), mode: .floor, "floor")
        },
        Builtin("ceil", [Parameter("x").accepting(.amount), Parameter("places", default: .number(.zero))], result: .sameAs("x"),
                doc: "the smallest number with `places` decimals (default 0) not below x") { a, _ in
            let (d, u) = try a.amount("x")
            return try roundTo(d, u, places: try a.int("places"), mode: .ceiling, "ceil")
        },
        Builtin("div", Parameter("a").accepting(.number), Parameter("b"), result: .plain, doc: "integer quotient, truncated toward zero") { x, y in
            guard case .number(let a) = x, case .number(let b) = y else { throw numbersNeeded("div", x, y) }
            return .number(try W.wrap { try ExactDecimal.divMod(a, b) }.0)
        },
        Builtin("mod", Parameter("a").accepting(.number), Parameter("b"), result: .plain, doc: "remainder of div: a == div(a, b) * b + mod(a, b)") { x, y in
            guard case .number(let a) = x, case .number(let b) = y else { throw numbersNeeded("mod", x, y) }
            return .number(try W.wrap { try ExactDecimal.divMod(a, b) }.1)
        },
        float("sqrt", { $0.squareRoot() }, domain: { $0.isNegative ? "sqrt of a negative number (\($0))" : nil }),
        float("ln", { Foundation.log($0) }, domain: { $0.signum <= 0 ? "ln needs a positive number, not \($0)" : nil }),
        float("exp", { Foundation.exp($0) }),
        Builtin("min", [Parameter("a").accepting([.amount, .sequence, .time, .date, .text]), Parameter.optional("b").sameUnit(as: "a")], variadic: true, result: .sameAs("a"), doc: "smallest of the arguments, or of a list",
                twoArguments: { x, y in try extreme(x, y, "min", want: -1) }) { a, _ in
            try extreme(a, "min", want: -1)
        },
        Builtin("max", [Parameter("a").accepting([.amount, .sequence, .time, .date, .text]), Parameter.optional("b").sameUnit(as: "a")], variadic: true, result: .sameAs("a"), doc: "largest of the arguments, or of a list",
                twoArguments: { x, y in try extreme(x, y, "max", want: 1) }) { a, _ in
            try extreme(a, "max", want: 1)
        },
        Builtin("clamp", [Parameter("x").accepting(.amount), Parameter("low").sameUnit(as: "x"), Parameter("high").sameUnit(as: "x")],
                result: .sameAs("x"), doc: "x limited to low ... high, keeping the unit") { a, _ in
            let x = a["x"], low = a["low"], high = a["high"]
            guard try W.compare(low, high) <= 0 else {
                throw EvalError("clamp: low (\(low.literal())) is above high (\(high.literal()))")
            }
            if try W.compare(x, low) < 0 { return low }
            return try W.compare(x, high) > 0 ? high : x
        },
        Builtin("sum", [Parameter("xs").accepting(.sequence)], fold: SumFold(),
                doc: "sum of a list, keeping the unit (rates sum to a rate); 0 for an empty list"),
        Builtin("mean", [Parameter("xs").accepting(.sequence)], doc: "arithmetic mean, keeping the unit; none for an empty list") { a, m in
            let xs = try a.list("xs")
            if xs.isEmpty { return .none }
            var acc = W.sumStart(xs[0])
            for v in xs { try m.step(); acc = try W.add(acc, v) }
            return try W.divide(acc, .number(ExactDecimal(xs.count)))
        },
        Builtin("median", [Parameter("xs").accepting(.sequence)], doc: "middle value (mean of the two middle ones for an even count)") { a, _ in
            let xs = try ListLibrary.stableSort(try a.list("xs"), by: { try W.compare($0, $1) < 0 })
            if xs.isEmpty { return .none }
            if xs.count % 2 == 1 { return xs[xs.count / 2] }
            return try W.divide(W.add(xs[xs.count / 2 - 1], xs[xs.count / 2]), .number(ExactDecimal(2)))
        },
        Builtin("to", [Parameter("q").accepting(.amount), Parameter("unit"), Parameter.optional("rate")],
                doc: "convert a quantity: durations among themselves; currencies with a rate quoted either way round "
                    + "(to(2000 KDK, USDT, 0.05 USDT/KDK) and to(100 USDT, KDK, 0.05 USDT/KDK))") { a, _ in
            guard case .quantity(_, let target) = a["unit"] else { throw EvalError("to: the second argument must be a unit, e.g. USD") }
            var q = a["q"]
            if !a.isNone("rate") {
                // A rate in target/source multiplies; one in source/target divides.
                let times = try W.multiply(q, a["rate"])
                if case .quantity(_, let u) = times, UnitRegistry.shared.sameDimension(u, target) { q = times }
                else if case .quantity(_, let u)? = try? W.divide(q, a["rate"]), UnitRegistry.shared.sameDimension(u, target) { q = try W.divide(q, a["rate"]) }
                else {
                    let from = W.describe(q), to = UnitRegistry.shared.name(target)
                    throw EvalError("to: the rate \(a["rate"].literal()) does not convert \(from) to \(to)",
                                    help: "give a rate in \(to)/\(from) (or \(from)/\(to))")
                }
            }
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

    /// The error for `div` and `mod` on something other than two plain numbers.
    static func numbersNeeded(_ fn: String, _ x: Value, _ y: Value) -> EvalError {
        for (v, p) in [(x, "a"), (y, "b")] {
            if case .number = v { continue }
            if case .none = v { return EvalError("\(fn): \(p) is none (a missing value)", help: "give a default with ??") }
            return EvalError("\(fn) needs a number for \(p), not \(W.describe(v))")
        }
        return EvalError("\(fn) needs two numbers")
    }

    static func extreme(_ a: Arguments, _ fn: String, want: Int) throws -> Value {
        if a.count == 2 { return try extreme(a.values[0], a.values[1], fn, want: want) }
        return try best(a.values, want)
    }

    /// `min(x, y)` (`want` -1) or `max(x, y)` (1); with `y` none, of the list `x`.
    /// Called without an argument array when a call has two arguments.
    static func extreme(_ x: Value, _ y: Value, _ fn: String, want: Int) throws -> Value {
        // Two numbers (`min(i, 100)` in a loop): compared without the general dispatch.
        if case .number(let a) = x, case .number(let b) = y { return ExactDecimal.compare(b, a) == want ? y : x }
        guard case .none = y else { return try W.compare(y, x) == want ? y : x }
        guard case .list(let l) = x else { throw EvalError("\(fn) of one value needs a list") }
        return try best(l, want)
    }

    private static func best<Items: Collection<Value>>(_ items: Items, _ want: Int) throws -> Value {
        guard var best = items.first else { return .none }
        for v in items.dropFirst() where try W.compare(v, best) == want { best = v }
        return best
    }
}
