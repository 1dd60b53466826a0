/// `format(x, ...)`: a number or quantity as text for people.
enum FormatLibrary {
    static let functions: [Builtin] = [
        Builtin("format", [Parameter("x").accepting(.amount), Parameter.optional("decimals"), Parameter("group", default: .bool(true)),
                           Parameter("compact", default: .bool(false)), Parameter.optional("percent"),
                           Parameter("sign", default: .bool(false)), Parameter.optional("symbol")],
                doc: "x as text for people: format(1234567.8 USD) is \"1,234,567.80 USD\"; decimals: places (half-even); "
                    + "group: thousands commas; compact: 649.35B; percent: 12.5% (default: as x is marked); sign: +5; "
                    + "symbol: \"$\" in front, instead of the unit") { a, m in
            let (d, u) = try a.amount("x")
            var f = NumberFormat(group: try a.bool("group"), compact: try a.bool("compact"),
                                 percent: a.isNone("percent") ? (u == nil && d.isPercent) : try a.bool("percent"),
                                 sign: try a.bool("sign"), symbol: a.isNone("symbol") ? nil : try a.text("symbol"))
            if !a.isNone("decimals") {
                let n = try a.int("decimals")
                guard (0...28).contains(n) else { throw EvalError("format: decimals must be between 0 and 28, not \(n)") }
                f.decimals = n
            } else if let u, !f.compact, !f.percent {
                f.decimals = m.image.display.decimals[u]
            }
            return .text(f.string(d, unit: u.map { UnitRegistry.shared.name($0) }))
        },
    ]
}
