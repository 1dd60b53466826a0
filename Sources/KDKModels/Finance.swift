import Foundation
import KDK

/// Finance functions with numpy-financial's conventions (argument order,
/// signs: money paid out is negative, `when: "end"` or `"begin"`, npv's
/// first flow at t = 0) and Excel's for `xnpv` and `xirr` (actual days / 365).
///
/// Closed forms run on exact decimals when the period count is whole; the
/// solvers (`rate`, `irr`, `xirr`) run in binary floating point, to a stated
/// tolerance, and give none with a warning when there is no solution.
/// Formulas: numpy-financial 1.0 (`_financial.py`) and Excel's documentation.
public enum FinanceLibrary {
    typealias D = ExactDecimal

    /// Amounts may be plain numbers or quantities of one unit; the result keeps it.
    struct Money {
        var unit: UnitID?
        mutating func take(_ v: Value, _ what: String) throws -> D {
            switch v {
            case .number(let d): return d
            case .quantity(let d, let u):
                if let unit, unit != u {
                    throw EvalError("\(what) is in \(UnitRegistry.shared.name(u)) but another amount is in \(UnitRegistry.shared.name(unit))")
                }
                unit = u
                return d
            case .none: return .zero
            default: throw EvalError("\(what) must be an amount, not \(Arithmetic.describe(v))")
            }
        }
        func wrap(_ d: D) -> Value { unit.map { .quantity(d, $0) } ?? .number(d) }
    }

    static func when(_ v: Value) throws -> D {
        switch v {
        case .text("end"), .number(.zero): return .zero
        case .text("begin"), .number(.one): return .one
        default: throw EvalError("when must be \"end\" or \"begin\", not \(v)")
        }
    }

    static func a(_ f: () throws -> D) throws -> D {
        do { return try f() } catch let e as D.ArithmeticError {
            switch e {
            case .divisionByZero: throw EvalError("division by zero in a finance formula")
            case .undefined(let m): throw EvalError("\(m) in a finance formula")
            default: throw EvalError("number too large in a finance formula")
            }
        }
    }

    /// (1 + rate)^nper, exact for whole nper.
    static func growth(_ rate: D, _ nper: D) throws -> D {
        let base = try a { try D.add(.one, rate) }
        if nper.isZero { return .one }  // as (1 + rate) ** 0 in numpy-financial, even at rate -100%
        if let n = nper.intValue, n.magnitude <= 100_000 { return try a { try D.power(base, n) } }
        guard let r = D(Foundation.pow(base.doubleValue, nper.doubleValue), significantDigits: 17) else {
            throw EvalError("(1 + rate) ^ nper is out of range")
        }
        return r
    }

    static func fv(_ rate: D, _ nper: D, _ pmt: D, _ pv: D, _ when: D) throws -> D {
        if rate.isZero { return try a { try D.multiply(D.add(pv, D.multiply(pmt, nper)), D(-1)) } }
        let t = try growth(rate, nper)
        return try a {
            let annuity = try D.multiply(D.divide(D.multiply(pmt, D.add(.one, D.multiply(rate, when))), rate), D.subtract(t, .one))
            return try D.multiply(D.add(D.multiply(pv, t), annuity), D(-1))
        }
    }

    static func pmt(_ rate: D, _ nper: D, _ pv: D, _ fv: D, _ when: D) throws -> D {
        let t = try growth(rate, nper)
        let fact = rate.isZero ? nper : try a { try D.divide(D.multiply(D.add(.one, D.multiply(rate, when)), D.subtract(t, .one)), rate) }
        return try a { try D.divide(D.multiply(D.add(fv, D.multiply(pv, t)), D(-1)), fact) }
    }

    static func pv(_ rate: D, _ nper: D, _ pmt: D, _ fv: D, _ when: D) throws -> D {
        let t = try growth(rate, nper)
        let fact = rate.isZero ? nper : try a { try D.divide(D.multiply(D.add(.one, D.multiply(rate, when)), D.subtract(t, .one)), rate) }
        return try a { try D.divide(D.multiply(D.add(fv, D.multiply(pmt, fact)), D(-1)), t) }
    }

    static func ipmt(_ rate: D, _ per: D, _ nper: D, _ pv: D, _ fv: D, _ when: D) throws -> D? {
        guard per >= .one, per <= nper else { return nil }
        let total = try pmt(rate, nper, pv, fv, when)
        if when == .one && per == .one { return .zero }
        // numpy-financial: the balance after per - 1 periods, times the rate.
        var ip = try a { try D.multiply(fv_(rate, D.subtract(per, .one), total, pv, when), rate) }
        if when == .one { ip = try a { try D.divide(ip, D.add(.one, rate)) } }
        return ip
    }

    static func fv_(_ rate: D, _ nper: D, _ pmt: D, _ pv: D, _ when: D) throws -> D { try fv(rate, nper, pmt, pv, when) }

    static func npv(_ rate: D, _ flows: [D]) throws -> D {
        var total = D.zero
        let base = try a { try D.add(.one, rate) }
        var factor = D.one
        for f in flows {
            total = try a { try D.add(total, D.divide(f, factor)) }
            factor = try a { try D.multiply(factor, base) }
        }
        return total
    }

    /// All real rates > -1 at which the flows' npv is zero, by scanning
    /// x = 1 / (1 + r) for sign changes and bisecting to 1e-15.
    static func irrRoots(_ flows: [Double]) -> [Double] {
        func p(_ x: Double) -> Double { flows.reversed().reduce(0) { $0 * x + $1 } }
        var roots: [Double] = []
        var prevX = 1e-6, prev = p(prevX)
        let steps = 40_000
        for k in 1...steps {
            let x = 1e-6 * Foundation.pow(1e9, Double(k) / Double(steps))  // 1e-6 ... 1e3
            let v = p(x)
            if v == 0 { roots.append(x) }
            else if (prev < 0) != (v < 0) && prev != 0 {
                var lo = prevX, hi = x, flo = prev
                for _ in 0..<200 {
                    let mid = (lo + hi) / 2
                    let fm = p(mid)
                    if (fm < 0) == (flo < 0) { lo = mid; flo = fm } else { hi = mid }
                    if hi - lo <= 1e-15 * hi { break }
                }
                roots.append((lo + hi) / 2)
            }
            prevX = x; prev = v
        }
        return roots.map { 1 / $0 - 1 }.filter { $0 > -1 }
    }

    static func double(_ d: Double) -> Value { D(d).map { .number($0) } ?? .none }
    /// A rate of return, marked to show as a percentage.
    static func rate(_ d: Double) -> Value { D(d).map { .number($0.percent(true)) } ?? .none }

    static let functions: [Builtin] = [
        Builtin("fv", [Parameter("rate").accepting(.number), Parameter("nper"), Parameter("pmt"), Parameter("pv"), Parameter("when", default: .text("end"))],
                doc: "future value (numpy-financial)") { x, _ in
            var m = Money()
            let pmt = try m.take(x["pmt"], "pmt"), pv = try m.take(x["pv"], "pv")
            return m.wrap(try fv(x.number("rate"), x.number("nper"), pmt, pv, when(x["when"])))
        },
        Builtin("pv", [Parameter("rate").accepting(.number), Parameter("nper"), Parameter("pmt"), Parameter("fv", default: .number(.zero)), Parameter("when", default: .text("end"))],
                doc: "present value (numpy-financial)") { x, _ in
            var m = Money()
            let pmt = try m.take(x["pmt"], "pmt"), fv = try m.take(x["fv"], "fv")
            return m.wrap(try pv(x.number("rate"), x.number("nper"), pmt, fv, when(x["when"])))
        },
        Builtin("pmt", [Parameter("rate").accepting(.number), Parameter("nper"), Parameter("pv"), Parameter("fv", default: .number(.zero)), Parameter("when", default: .text("end"))],
                doc: "payment per period (numpy-financial)") { x, _ in
            var m = Money()
            let pv = try m.take(x["pv"], "pv"), fv = try m.take(x["fv"], "fv")
            return m.wrap(try pmt(x.number("rate"), x.number("nper"), pv, fv, when(x["when"])))
        },
        Builtin("ipmt", [Parameter("rate").accepting(.number), Parameter("per"), Parameter("nper"), Parameter("pv"), Parameter("fv", default: .number(.zero)), Parameter("when", default: .text("end"))],
                doc: "interest part of payment number per (numpy-financial); none outside 1...nper") { x, _ in
            var m = Money()
            let pv = try m.take(x["pv"], "pv"), fv = try m.take(x["fv"], "fv")
            return try ipmt(x.number("rate"), x.number("per"), x.number("nper"), pv, fv, when(x["when"])).map(m.wrap) ?? .none
        },
        Builtin("ppmt", [Parameter("rate").accepting(.number), Parameter("per"), Parameter("nper"), Parameter("pv"), Parameter("fv", default: .number(.zero)), Parameter("when", default: .text("end"))],
                doc: "principal part of payment number per (numpy-financial)") { x, _ in
            var m = Money()
            let pv = try m.take(x["pv"], "pv"), fv = try m.take(x["fv"], "fv")
            let r = try x.number("rate"), n = try x.number("nper"), w = try when(x["when"])
            guard let ip = try ipmt(r, x.number("per"), n, pv, fv, w) else { return .none }
            return m.wrap(try a { try D.subtract(pmt(r, n, pv, fv, w), ip) })
        },
        Builtin("nper", [Parameter("rate").accepting(.number), Parameter("pmt"), Parameter("pv"), Parameter("fv", default: .number(.zero)), Parameter("when", default: .text("end"))],
                doc: "number of periods (numpy-financial); none when no number of periods works") { x, m in
            var money = Money()
            let pmt = try money.take(x["pmt"], "pmt").doubleValue, pv = try money.take(x["pv"], "pv").doubleValue, fv = try money.take(x["fv"], "fv").doubleValue
            let rate = try x.number("rate").doubleValue, w = try when(x["when"]).doubleValue
            if rate == 0 {
                guard pmt != 0 else { m.warn("nper: no payments and no interest: never"); return .none }
                return double(-(fv + pv) / pmt)
            }
            let z = pmt * (1 + rate * w) / rate
            let r = Foundation.log((-fv + z) / (pv + z)) / Foundation.log(1 + rate)
            guard r.isFinite else { m.warn("nper: no number of periods reaches that value"); return .none }
            return double(r)
        },
        Builtin("rate", [Parameter("nper").accepting(.number), Parameter("pmt"), Parameter("pv"), Parameter("fv", default: .number(.zero)),
                         Parameter("when", default: .text("end")), Parameter("guess", default: .number(D(coefficient: 1, exponent: -1)))],
                doc: "rate per period by Newton's method (tolerance 1e-12, 100 iterations); none if it does not converge") { x, m in
            var money = Money()
            let pmt = try money.take(x["pmt"], "pmt").doubleValue, pv = try money.take(x["pv"], "pv").doubleValue, fv = try money.take(x["fv"], "fv").doubleValue
            let n = try x.number("nper").doubleValue, w = try when(x["when"]).doubleValue
            var r = try x.number("guess").doubleValue
            for _ in 0..<100 {
                let t1 = Foundation.pow(1 + r, n - 1), t2 = Foundation.pow(1 + r, n)
                let g = fv + t2 * pv + pmt * (t2 - 1) * (r * w + 1) / r
                let dg = n * t1 * pv - pmt * (t2 - 1) * (r * w + 1) / (r * r) + n * pmt * t1 * (r * w + 1) / r + pmt * (t2 - 1) * w / r
                let next = r - g / dg
                if !next.isFinite { break }
                if abs(next - r) <= 1e-12 * max(1, abs(r)) { return rate(next) }
                r = next
            }
            m.warn("rate did not converge in 100 iterations", help: "try another guess: rate(..., guess: 0.05)")
            return .none
        },
        Builtin("npv", [Parameter("rate").accepting(.number), Parameter("flows")], doc: "net present value, the first flow at t = 0 (numpy-financial)") { x, _ in
            var m = Money()
            let flows = try x.list("flows").map { try m.take($0, "a flow") }
            return m.wrap(try npv(x.number("rate"), flows))
        },
        Builtin("npv_excel", [Parameter("rate").accepting(.number), Parameter("flows")], doc: "Excel's NPV: the first flow is discounted one period too") { x, _ in
            var m = Money()
            let flows = try x.list("flows").map { try m.take($0, "a flow") }
            let r = try x.number("rate")
            return m.wrap(try a { try D.divide(npv(r, flows), D.add(.one, r)) })
        },
        Builtin("irr", [Parameter("flows").accepting(.list)], doc: "internal rate of return (the real root nearest 0, as numpy-financial); none when flows never change sign") { x, m in
            var money = Money()
            let flows = try x.list("flows").map { try money.take($0, "a flow").doubleValue }
            guard flows.contains(where: { $0 > 0 }), flows.contains(where: { $0 < 0 }) else {
                m.warn("irr: the flows never change sign, so there is no rate of return")
                return .none
            }
            let roots = irrRoots(flows)
            guard let best = roots.min(by: { abs($0) < abs($1) }) else { m.warn("irr: no real solution"); return .none }
            return rate(best)
        },
        Builtin("mirr", [Parameter("flows").accepting(.list), Parameter("finance_rate"), Parameter("reinvest_rate")],
                doc: "modified internal rate of return (numpy-financial); none without both signs") { x, m in
            var money = Money()
            let flows = try x.list("flows").map { try money.take($0, "a flow") }
            let fr = try x.number("finance_rate"), rr = try x.number("reinvest_rate")
            guard flows.contains(where: { $0.signum > 0 }), flows.contains(where: { $0.signum < 0 }) else {
                m.warn("mirr: the flows need both signs"); return .none
            }
            let pos = flows.map { $0.signum > 0 ? $0 : .zero }, neg = flows.map { $0.signum < 0 ? $0 : .zero }
            let numer = abs(try npv(rr, pos).doubleValue), denom = abs(try npv(fr, neg).doubleValue)
            let n = Double(flows.count)
            return rate(Foundation.pow(numer / denom, 1 / (n - 1)) * (1 + rr.doubleValue) - 1)
        },
        Builtin("xnpv", [Parameter("rate").accepting(.number), Parameter("flows"), Parameter("dates")], doc: "Excel's XNPV: each flow discounted by actual days / 365 from the first date") { x, _ in
            var m = Money()
            let flows = try x.list("flows").map { try m.take($0, "a flow").doubleValue }
            let days = try xdays(x["dates"], flows.count)
            let r = try x.number("rate").doubleValue
            return m.wrap(D(zip(flows, days).reduce(0) { $0 + $1.0 / Foundation.pow(1 + r, $1.1 / 365) }) ?? .zero)
        },
        Builtin("xirr", [Parameter("flows").accepting(.list), Parameter("dates"), Parameter("guess", default: .number(D(coefficient: 1, exponent: -1)))],
                doc: "Excel's XIRR: the rate at which xnpv is zero (Newton, then bisection; tolerance 1e-12); none if none") { x, m in
            var money = Money()
            let flows = try x.list("flows").map { try money.take($0, "a flow").doubleValue }
            let days = try xdays(x["dates"], flows.count).map { $0 / 365 }
            guard flows.contains(where: { $0 > 0 }), flows.contains(where: { $0 < 0 }) else {
                m.warn("xirr: the flows never change sign"); return .none
            }
            func f(_ r: Double) -> Double { zip(flows, days).reduce(0) { $0 + $1.0 / Foundation.pow(1 + r, $1.1) } }
            func df(_ r: Double) -> Double { zip(flows, days).reduce(0) { $0 - $1.1 * $1.0 / Foundation.pow(1 + r, $1.1 + 1) } }
            var r = try x.number("guess").doubleValue
            for _ in 0..<100 {
                let next = r - f(r) / df(r)
                if !next.isFinite || next <= -1 { break }
                if abs(next - r) <= 1e-12 * max(1, abs(r)) { return rate(next) }
                r = next
            }
            // Newton failed: bisect over a wide bracket.
            var lo = -0.999999, hi = 100.0
            guard (f(lo) < 0) != (f(hi) < 0) else { m.warn("xirr did not converge"); return .none }
            for _ in 0..<300 {
                let mid = (lo + hi) / 2
                if (f(mid) < 0) == (f(lo) < 0) { lo = mid } else { hi = mid }
            }
            return rate((lo + hi) / 2)
        },
        Builtin("cagr", [Parameter("start").accepting(.amount), Parameter("end"), Parameter("years")], doc: "compound annual growth rate: (end / start) ^ (1 / years) - 1") { x, _ in
            let ratio = try Arithmetic.divide(x["end"], x["start"])
            guard case .number(let q) = ratio else { throw EvalError("cagr: start and end must be in the same unit") }
            let years = try x.number("years")
            return rate(Foundation.pow(q.doubleValue, 1 / years.doubleValue) - 1)
        },
        Builtin("perpetuity", [Parameter("payment").accepting(.amount), Parameter("rate")], doc: "present value of a payment forever: payment / rate") { x, _ in
            try Arithmetic.divide(x["payment"], x["rate"])
        },
        Builtin("discount", [Parameter("value").accepting(.amount), Parameter("rate"), Parameter("years")], doc: "value / (1 + rate) ^ years") { x, _ in
            try Arithmetic.divide(x["value"], .number(growth(x.number("rate"), x.number("years"))))
        },
        Builtin("grow", [Parameter("value").accepting(.amount), Parameter("rate"), Parameter("years")], doc: "value * (1 + rate) ^ years") { x, _ in
            try Arithmetic.multiply(x["value"], .number(growth(x.number("rate"), x.number("years"))))
        },
    ]

    static func xdays(_ v: Value, _ n: Int) throws -> [Double] {
        let dates = try ModelSupport.list(v, "dates")
        guard dates.count == n else { throw EvalError("there are \(n) flows but \(dates.count) dates") }
        guard let first = dates.first else { return [] }
        return try dates.map { d in
            guard case .quantity(let q, _) = try Arithmetic.subtract(d, first) else { throw EvalError("dates must be dates") }
            return q.doubleValue * (try dayFactor(d, first))
        }
    }

    /// Converts a date difference (in days, hours...) to days.
    static func dayFactor(_ d: Value, _ first: Value) throws -> Double {
        guard case .quantity(_, let u) = try Arithmetic.subtract(d, first) else { return 1 }
        let factor = try UnitRegistry.shared.conversionFactor(from: u, to: UnitRegistry.shared.named("days"))
        return factor.doubleValue
    }
}
