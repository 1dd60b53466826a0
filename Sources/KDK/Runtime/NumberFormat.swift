/// Numbers written for people: grouped thousands, fixed decimals, compact
/// `K/M/B/T`, percentages, a sign and a currency symbol. What `format(...)`
/// does, and what tables and `kdk run` use through `DisplayStyle`. The output
/// is for reading, not for parsing back (`kdk eval` prints literals).
public struct NumberFormat: Sendable {
    /// Decimal places, rounded half-even and padded with zeros; nil shows the
    /// exact digits (at most `maxDecimals` in compact and percent form, with
    /// trailing zeros dropped).
    public var decimals: Int?
    /// Thousands separated by commas (`1,234,567.8`).
    public var group = true
    /// Scaled to thousands, millions, billions or trillions (`649.35B`).
    public var compact = false
    /// Times 100 with a `%` sign (`12.5%`).
    public var percent = false
    /// A `+` in front of positive numbers.
    public var sign = false
    /// A currency symbol in front (`$`), which replaces a quantity's unit name.
    public var symbol: String?
    /// Most places when `decimals` is nil and the form is compact or percent.
    public var maxDecimals = 2

    /// The default: grouped, exact.
    public init(decimals: Int? = nil, group: Bool = true, compact: Bool = false, percent: Bool = false,
                sign: Bool = false, symbol: String? = nil) {
        self.decimals = decimals
        self.group = group
        self.compact = compact
        self.percent = percent
        self.sign = sign
        self.symbol = symbol
    }

    /// `d` written in this format (`unit` follows the number unless a symbol is given).
    public func string(_ d: ExactDecimal, unit: String? = nil) -> String {
        var x = d
        var suffix = ""
        if percent {
            x.exponent += 2
            suffix = "%"
        } else if compact {
            // Exact scaling: only the exponent moves. The scale is chosen on
            // the rounded value, so 999.999 shows as 1K, not 1,000.
            let places = decimals ?? maxDecimals
            let letters = ["", "K", "M", "B", "T"]
            var step = 0
            while step < 4, ExactDecimal.compare(x.rounded(places: places).magnitude, ExactDecimal(1000)) >= 0 {
                x.exponent -= 3
                step += 1
            }
            suffix = letters[step]
        }
        var body: String
        if let places = decimals {
            body = NumberFormat.fixed(x, places: places)
        } else if percent || compact {
            body = NumberFormat.trimmed(NumberFormat.fixed(x, places: maxDecimals))
        } else {
            body = x.description
        }
        // A number too large or small to write out keeps its exponent form.
        let scientific = body.contains("e")
        var negative = false
        if body.hasPrefix("-") {
            body.removeFirst()
            negative = body.contains { $0 != "0" && $0 != "." }
        }
        if group && !scientific { body = NumberFormat.grouped(body) }
        let lead = negative ? "-" : (sign && x.signum > 0 ? "+" : "")
        if let symbol { return lead + symbol + body + suffix }
        return lead + body + suffix + (unit.map { " " + $0 } ?? "")
    }

    /// Rounded half-even to `places` and written with exactly that many.
    static func fixed(_ d: ExactDecimal, places: Int) -> String {
        let r = d.rounded(places: places)
        let s = r.description
        if s.contains("e") || places <= 0 { return s }
        let parts = s.split(separator: ".", maxSplits: 1)
        let frac = parts.count > 1 ? String(parts[1]) : ""
        return String(parts[0]) + "." + frac + String(repeating: "0", count: max(0, places - frac.count))
    }

    /// Without trailing zeros after the point (`1.50` → `1.5`, `2.00` → `2`).
    static func trimmed(_ s: String) -> String {
        guard s.contains("."), !s.contains("e") else { return s }
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }

    /// Commas between thousands of the whole part of an unsigned number.
    static func grouped(_ s: String) -> String {
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = Array(parts[0])
        guard whole.count > 3 else { return s }
        var out = ""
        for (i, c) in whole.enumerated() {
            if i > 0 && (whole.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return parts.count > 1 ? out + "." + parts[1] : out
    }
}

/// How a program shows values to people: each unit's display decimals
/// (`unit USDT decimals 6 display 2`; USD and USDT show 2 unless declared).
public struct DisplayStyle: Sendable {
    /// Decimal places shown per unit.
    public var decimals: [UnitID: Int]

    /// USD and USDT with 2 decimals shown.
    public static let standard = DisplayStyle(decimals: Dictionary(uniqueKeysWithValues:
        UnitRegistry.builtinCurrencies.map { (UnitRegistry.shared.named($0), 2) }))

    /// A style with these display decimals.
    public init(decimals: [UnitID: Int]) { self.decimals = decimals }

    /// One value for people: a quantity grouped at its unit's display
    /// decimals (`1,234,567.80 USD`), a number marked as a percentage as one
    /// (`10%`), anything else as its literal.
    public func text(_ v: Value) -> String {
        switch v {
        case .quantity(let d, let u):
            return NumberFormat(decimals: decimals[u]).string(d, unit: UnitRegistry.shared.name(u))
        case .number(let d) where d.isPercent:
            return NumberFormat(group: false, percent: true).string(d)
        case .distribution(let d):
            // Three significant figures or so: a spread is not read to the cent.
            return d.described { x in
                switch x {
                case .quantity(let q, let u): return NumberFormat(decimals: 2, compact: true).string(q, unit: UnitRegistry.shared.name(u))
                case .number(let n) where n.isPercent: return NumberFormat(decimals: 2, group: false, percent: true).string(n)
                case .number(let n): return NumberFormat(decimals: 2, compact: true).string(n)
                default: return x.literal()
                }
            }
        default:
            return v.literal()
        }
    }
}

extension ExactDecimal {
    /// |self|, exactly (no rounding: the digits are already within range).
    var magnitude: ExactDecimal { isNegative ? negated() : self }
}
