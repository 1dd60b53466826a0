import Foundation
import KDK

/// Tools for scenario models: side-by-side comparison, sensitivity grids and
/// yearly projections. Their results are lists of records, so they print as
/// tables and can be charted.
public enum ScenarioTools {
    static func model(_ v: Value, _ what: String) throws -> ModelObject {
        guard case .model(let m) = v else { throw EvalError("\(what) must be a scenario (or another model), not \(Arithmetic.describe(v))") }
        return m
    }

    static func fieldName(_ v: Value) throws -> String {
        guard case .text(let s) = v else { throw EvalError("field names are given as text, e.g. \"required_revenue\"") }
        return s
    }

    static func get(_ obj: ModelObject, _ name: String, _ m: Machine) throws -> Value {
        guard let v = try m.field(obj, name) else {
            throw EvalError("\(obj.name) has no field '\(name)'", help: "its fields are \(obj.fieldNames.joined(separator: ", "))")
        }
        return v
    }

    static func variant(_ obj: ModelObject, _ changes: [(String, Value)], _ m: Machine) throws -> ModelObject {
        // The same path as `obj with {...}` in the language.
        for (k, _) in changes where !obj.has(k) {
            throw EvalError("\(obj.name) has no field '\(k)' to vary", help: "its fields are \(obj.fieldNames.joined(separator: ", "))")
        }
        return obj.variant(changes)
    }

    /// `4000000000000 USD` as `4T USD`, for column headings.
    static func compact(_ v: Value) -> String {
        func short(_ d: ExactDecimal) -> String {
            for (suffix, exp) in [("T", 12), ("B", 9), ("M", 6), ("K", 3)] {
                let scaled = ExactDecimal(coefficient: d.coefficient, exponent: d.exponent - Int32(exp))
                if abs(d.doubleValue) >= pow(10, Double(exp)) { return scaled.description + suffix }
            }
            return d.description
        }
        switch v {
        case .number(let d): return short(d)
        case .quantity(let d, let u): return short(d) + " " + UnitRegistry.shared.name(u)
        default: return v.plain
        }
    }

    static let functions: [Builtin] = [
        Builtin("compare", [Parameter("scenarios").accepting(.list), Parameter("fields")],
                doc: "a table: one row per scenario, one column per field") { a, m in
            let fields = try a.list("fields").map(fieldName)
            return .list(try a.list("scenarios").map { s in
                let obj = try model(s, "each scenario")
                return .record(Record.make([("scenario", .text(obj.name))] + (try fields.map { ($0, try get(obj, $0, m)) })))
            })
        },
        Builtin("sensitivity", [Parameter("scenario").accepting(.model), Parameter("show")], namedRest: "vary",
                doc: "vary one or two fields over lists of values (named arguments) and show one output field as a table") { a, m in
            let obj = try model(a["scenario"], "sensitivity's scenario")
            let show = try fieldName(a["show"])
            guard case .record(let vary) = a["vary"], (1...2).contains(vary.count) else {
                throw EvalError("sensitivity varies one or two fields: sensitivity(S, hurdle: [8%, 10%], capex: [4T USD, 5T USD], show: \"required_revenue\")")
            }
            let axes = try vary.fields.map { (name: $0.0, values: try ModelSupport.list($0.1, "the values of \($0.0)")) }
            let first = axes[0]
            return .list(try first.values.map { v1 in
                if axes.count == 1 {
                    let out = try get(variant(obj, [(first.name, v1)], m), show, m)
                    return .record(Record.make([(first.name, v1), (show, out)]))
                }
                let second = axes[1]
                var cells: [(String, Value)] = [(first.name, v1)]
                for v2 in second.values {
                    try m.step()
                    cells.append(("\(second.name) \(compact(v2))", try get(variant(obj, [(first.name, v1), (second.name, v2)], m), show, m)))
                }
                return .record(Record.make(cells))
            })
        },
        Builtin("project", [Parameter("start").accepting(.amount), Parameter("growth"), Parameter("years"), Parameter("name", default: .text("value"))],
                doc: "a yearly series from start, growing by a rate, a list of rates, or a function of the year") { a, m in
            let years: [Value]
            switch a["years"] {
            case .list(let l): years = l.array
            case .range(let r):
                guard case .number(let lo) = r.lower, case .number(let hi) = r.upper, let l = lo.intValue, let h = hi.intValue else {
                    throw EvalError("project's years must be a range of years such as 2026...2030")
                }
                let last = r.closed ? h : h - 1
                guard last >= l, last - l < 10_000 else { throw EvalError("project's years must run forward") }
                years = (l...last).map { .number(ExactDecimal($0)) }
            default: throw EvalError("project's years must be a range or list of years")
            }
            let label = try fieldName(a["name"])
            var value = a["start"]
            var out: [Value] = []
            for (i, y) in years.enumerated() {
                if i > 0 {
                    let rate: Value
                    switch a["growth"] {
                    case .number: rate = a["growth"]
                    case .list(let rates):
                        guard i - 1 < rates.count else { throw EvalError("project: \(years.count - 1) growth rates are needed, \(rates.count) given") }
                        rate = rates[i - 1]
                    case .function(let f): rate = try m.call(f, y)
                    default: throw EvalError("project's growth must be a rate, a list of rates or a function of the year")
                    }
                    value = try Arithmetic.multiply(value, Arithmetic.add(.number(.one), rate))
                }
                out.append(.record(Record.make([("year", y), (label, value)])))
            }
            return .list(out)
        },
    ]
}
