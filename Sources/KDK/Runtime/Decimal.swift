/// An exact decimal number: `coefficient × 10^exponent`.
///
/// Arithmetic follows Python's `decimal` module in its default context:
/// results are rounded half-even to 28 significant digits, and the exponent
/// range is ±999,999 (leaving it is an error, never a trap). Literals keep up
/// to 38 digits exactly. The coefficient is an `Int128`; most arithmetic runs
/// on an `Int64` fast path and falls back to 256-bit intermediates.
public struct ExactDecimal: Sendable {
    /// The digits, as an integer (at most 38 of them).
    public internal(set) var coefficient: Int128
    /// The power of ten the coefficient is scaled by.
    public internal(set) var exponent: Int32

    /// Significant digits kept by arithmetic (Python `decimal`'s default).
    public static let precision = 28
    static let maxExponent = 999_999
    static let minExponent = -999_999

    /// Why an operation has no result.
    public enum ArithmeticError: Error, Equatable {
        case overflow
        case divisionByZero
        case undefined(String)
    }

    /// `coefficient × 10^exponent`, exactly.
    public init(coefficient: Int128, exponent: Int32) {
        self.coefficient = coefficient
        self.exponent = exponent
    }
    /// An integer, exactly.
    public init(_ i: Int) { coefficient = Int128(i); exponent = 0 }

    /// Zero.
    public static let zero = ExactDecimal(0)
    /// One.
    public static let one = ExactDecimal(1)

    /// Whether this is zero.
    public var isZero: Bool { coefficient == 0 }
    /// Whether this is below zero.
    public var isNegative: Bool { coefficient < 0 }
    /// -1, 0 or 1.
    public var signum: Int { coefficient == 0 ? 0 : (coefficient < 0 ? -1 : 1) }

    // MARK: digit helpers

    static let pow10: [UInt128] = {
        var a: [UInt128] = [1]
        for _ in 1...38 { a.append(a.last! * 10) }
        return a
    }()

    static func digitCount(_ v: UInt128) -> Int {
        if v == 0 { return 0 }
        // Binary search in the powers-of-ten table.
        var lo = 0, hi = 38
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if pow10[mid] <= v { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    var digits: Int { ExactDecimal.digitCount(coefficient.magnitude) }

    /// Multiplies a wide value by 10^k (k may exceed 19); nil on overflow.
    static func scaleUp(_ v: WideUInt, _ k: Int) -> WideUInt? {
        var r = v
        var k = k
        while k > 0 {
            let step = min(k, 19)
            guard let m = r.multiplied(by: UInt64(pow10[step])) else { return nil }
            r = m
            k -= step
        }
        return r
    }

    /// Rounds `sign × mag × 10^exp` (plus a sticky "something non-zero below")
    /// half-even to `precision` digits and checks the exponent range.
    static func rounded(negative: Bool, mag: WideUInt, exp: Int, sticky: Bool = false,
                        precision: Int = ExactDecimal.precision) throws -> ExactDecimal {
        var mag = mag
        var exp = exp
        var sticky = sticky
        let d = mag.decimalDigits
        if d > precision || sticky {
            var drop = max(0, d - precision)
            var roundDigit: UInt64 = 0
            if drop > 0 {
                // Remove all but the last dropped digit, remembering if any was non-zero.
                var k = drop - 1
                while k > 0 {
                    let step = min(k, 19)
                    let (q, r) = mag.divided(by: UInt64(pow10[step]))
                    if r != 0 { sticky = true }
                    mag = q
                    k -= step
                }
                let (q, r) = mag.divided(by: UInt64(10))
                mag = q
                roundDigit = r
            } else {
                drop = 0
            }
            exp += drop
            let up: Bool
            if roundDigit > 5 { up = true }
            else if roundDigit < 5 { up = false }
            else { up = sticky || (mag.l0 & 1 == 1) }
            if up {
                mag = mag.adding(WideUInt(1))!  // mag has at most `precision` digits: cannot overflow
                if mag.decimalDigits > precision {
                    mag = mag.divided(by: UInt64(10)).0
                    exp += 1
                }
            }
        }
        if mag.isZero { return ExactDecimal(coefficient: 0, exponent: 0) }
        let digits = mag.decimalDigits
        if exp + digits - 1 > maxExponent { throw ArithmeticError.overflow }
        if exp + digits - 1 < minExponent - precision { return ExactDecimal(coefficient: 0, exponent: 0) }
        if exp < Int(Int32.min) + 100 { return ExactDecimal(coefficient: 0, exponent: 0) }
        let c = Int128(mag.low128)
        return ExactDecimal(coefficient: negative ? -c : c, exponent: Int32(exp))
    }

    /// Checks that a value built directly (e.g. by the parser) is in range.
    static func checked(_ d: ExactDecimal) throws -> ExactDecimal {
        if d.isZero { return d }
        if Int(d.exponent) + d.digits - 1 > maxExponent { throw ArithmeticError.overflow }
        return d
    }

    var small: Int64? {
        let s = Int64(truncatingIfNeeded: coefficient)
        return Int128(s) == coefficient ? s : nil
    }

    /// The value as an `Int` when it is a whole number in range.
    public var intValue: Int? {
        if exponent == 0 { return Int(exactly: coefficient) }
        let n = normalized()
        if n.exponent < 0 { return nil }
        if n.exponent > 18 { return nil }
        let (p, o) = n.coefficient.multipliedReportingOverflow(by: Int128(ExactDecimal.pow10[Int(n.exponent)]))
        return o ? nil : Int(exactly: p)
    }

    /// Whether this is a whole number.
    public var isInteger: Bool {
        exponent >= 0 || normalized().exponent >= 0
    }

    /// The same value with trailing zeros removed from the coefficient.
    public func normalized() -> ExactDecimal {
        if coefficient == 0 { return ExactDecimal(coefficient: 0, exponent: 0) }
        var c = coefficient
        var e = exponent
        while c % 10 == 0 && e < Int32.max { c /= 10; e += 1 }
        return ExactDecimal(coefficient: c, exponent: e)
    }
}

// MARK: - Arithmetic

extension ExactDecimal {
    /// `a + b`, rounded half-even to 28 digits when it has more.
    public static func add(_ a: ExactDecimal, _ b: ExactDecimal) throws -> ExactDecimal {
        if a.exponent == b.exponent, let x = a.small, let y = b.small {
            let (s, o) = x.addingReportingOverflow(y)
            if !o { return ExactDecimal(coefficient: Int128(s), exponent: a.exponent) }
        }
        if a.coefficient == 0 { return try checked(b) }
        if b.coefficient == 0 { return try checked(a) }
        return try addSlow(a, b)
    }

    /// `a - b`, rounded like `add`.
    public static func subtract(_ a: ExactDecimal, _ b: ExactDecimal) throws -> ExactDecimal {
        try add(a, b.negated())
    }

    /// `-self`.
    public func negated() -> ExactDecimal { ExactDecimal(coefficient: -coefficient, exponent: exponent) }

    private static func addSlow(_ a: ExactDecimal, _ b: ExactDecimal) throws -> ExactDecimal {
        // `hi` has the larger exponent; `lo` is aligned to it.
        let (hi, lo) = a.exponent >= b.exponent ? (a, b) : (b, a)
        let shift = Int(hi.exponent) - Int(lo.exponent)
        var hiMag = WideUInt(hi.coefficient.magnitude)
        var loMag = WideUInt(lo.coefficient.magnitude)
        var exp = Int(lo.exponent)
        if hi.digits + shift <= 76 {
            hiMag = scaleUp(hiMag, shift)!
        } else {
            // `lo` lies far below the rounding position of the result: keep
            // `hi` to 40 digits, truncate `lo` there, and carry a sticky unit
            // one place lower so half-even rounding still sees it.
            let msd = Int(hi.exponent) + hi.digits
            let work = msd - 41
            hiMag = scaleUp(hiMag, Int(hi.exponent) - work)!
            var sticky = false
            if work > Int(lo.exponent) {
                var k = work - Int(lo.exponent)
                while k > 0 && !loMag.isZero {
                    let step = min(k, 19)
                    let (q, r) = loMag.divided(by: UInt64(pow10[step]))
                    if r != 0 { sticky = true }
                    loMag = q
                    k -= step
                }
            } else {
                loMag = scaleUp(loMag, Int(lo.exponent) - work)!
            }
            hiMag = hiMag.multiplied(by: 10)!
            loMag = loMag.multiplied(by: 10)!
            if sticky { loMag = loMag.adding(WideUInt(1))! }
            exp = work - 1
        }
        let hiNeg = hi.coefficient < 0, loNeg = lo.coefficient < 0
        if hiNeg == loNeg {
            return try rounded(negative: hiNeg, mag: hiMag.adding(loMag)!, exp: exp)
        }
        if hiMag < loMag {
            return try rounded(negative: loNeg, mag: loMag.subtracting(hiMag), exp: exp)
        }
        return try rounded(negative: hiNeg, mag: hiMag.subtracting(loMag), exp: exp)
    }

    /// `a × b`, rounded half-even to 28 digits.
    public static func multiply(_ a: ExactDecimal, _ b: ExactDecimal) throws -> ExactDecimal {
        if let x = a.small, let y = b.small {
            let (p, o) = x.multipliedReportingOverflow(by: y)
            if !o {
                let e = Int(a.exponent) + Int(b.exponent)
                if p == 0 { return .zero }
                if e >= minExponent && e <= maxExponent - 19 {
                    return ExactDecimal(coefficient: Int128(p), exponent: Int32(e))
                }
            }
        }
        let mag = WideUInt.product(a.coefficient.magnitude, b.coefficient.magnitude)
        return try rounded(negative: (a.coefficient < 0) != (b.coefficient < 0), mag: mag,
                           exp: Int(a.exponent) + Int(b.exponent))
    }

    /// `a / b`, correctly rounded half-even to 28 digits; division by zero throws.
    public static func divide(_ a: ExactDecimal, _ b: ExactDecimal) throws -> ExactDecimal {
        if b.coefficient == 0 { throw ArithmeticError.divisionByZero }
        if a.coefficient == 0 { return .zero }
        if let x = a.small, let y = b.small, y != -1, x % y == 0 {
            return try checked(ExactDecimal(coefficient: Int128(x / y), exponent: a.exponent - b.exponent))
        }
        let negative = (a.coefficient < 0) != (b.coefficient < 0)
        let da = a.digits, db = b.digits
        let k = max(0, precision + 1 + db - da)
        let num = scaleUp(WideUInt(a.coefficient.magnitude), k)!
        let (q, r) = num.dividedWide(by: b.coefficient.magnitude)
        return try rounded(negative: negative, mag: q, exp: Int(a.exponent) - Int(b.exponent) - k,
                           sticky: r != 0)
    }

    /// Integer quotient truncated toward zero (Python's `ExactDecimal.__floordiv__`
    /// truncates too) and the matching remainder, `a == q*b + r`.
    public static func divMod(_ a: ExactDecimal, _ b: ExactDecimal) throws -> (ExactDecimal, ExactDecimal) {
        if b.coefficient == 0 { throw ArithmeticError.divisionByZero }
        if a.exponent == b.exponent, let x = a.small, let y = b.small, !(x == Int64.min && y == -1) {
            return (ExactDecimal(coefficient: Int128(x / y), exponent: 0), ExactDecimal(coefficient: Int128(x % y), exponent: a.exponent))
        }
        let q = try divide(a, b).truncated()
        let r = try subtract(a, multiply(q, b))
        return (q, r)
    }

    /// Rounds toward zero to a whole number.
    public func truncated() -> ExactDecimal {
        if exponent >= 0 { return self }
        let drop = -Int(exponent)
        if drop > 38 { return .zero }
        return ExactDecimal(coefficient: coefficient / Int128(ExactDecimal.pow10[drop]), exponent: 0)
    }

    /// How `rounded(places:)` and `mulDiv` round.
    public enum Rounding { case halfEven, halfUp, down, floor, ceiling }

    /// `x * y / z`, computed exactly and rounded once to `places` decimals:
    /// what pro-rata shares need (a 28-digit intermediate could round up
    /// and make shares add to more than the whole).
    public static func mulDiv(_ x: ExactDecimal, _ y: ExactDecimal, _ z: ExactDecimal, places: Int,
                              _ mode: Rounding = .down) throws -> ExactDecimal {
        if z.coefficient == 0 { throw ArithmeticError.divisionByZero }
        let negative = ((x.coefficient < 0) != (y.coefficient < 0)) != (z.coefficient < 0)
        var n = WideUInt.product(x.coefficient.magnitude, y.coefficient.magnitude)
        if n.isZero { return ExactDecimal(coefficient: 0, exponent: Int32(clamping: -places)) }
        let k = Int(x.exponent) + Int(y.exponent) - Int(z.exponent) + places
        var d = z.coefficient.magnitude
        if k > 0 {
            guard n.decimalDigits + k <= 77, let scaled = scaleUp(n, k) else { throw ArithmeticError.overflow }
            n = scaled
        } else if k < 0 {
            guard ExactDecimal.digitCount(d) - k <= 38 else {
                // The quotient is below one unit at this many places.
                let up = mode == .ceiling && !negative || mode == .floor && negative
                return ExactDecimal(coefficient: up ? (negative ? -1 : 1) : 0, exponent: Int32(clamping: -places))
            }
            d *= pow10[-k]
        }
        var (q, r) = n.dividedWide(by: d)
        if r != 0 {
            let twice = WideUInt(r).multiplied(by: 2)!
            let half = WideUInt(d)
            let up: Bool
            switch mode {
            case .down: up = false
            case .floor: up = negative
            case .ceiling: up = !negative
            case .halfUp: up = !(twice < half)
            case .halfEven: up = half < twice || (!(twice < half) && q.l0 & 1 == 1)
            }
            if up { q = q.adding(WideUInt(1))! }
        }
        guard q.fitsUInt128, q.decimalDigits <= 38 else { throw ArithmeticError.overflow }
        let c = Int128(q.low128)
        return ExactDecimal(coefficient: negative ? -c : c, exponent: Int32(clamping: -places))
    }

    /// Rounds to `places` digits after the point.
    public func rounded(places: Int, _ mode: Rounding = .halfEven) -> ExactDecimal {
        let target = -places
        if Int(exponent) >= target { return self }
        let drop = target - Int(exponent)
        if drop > 38 {
            let up = (mode == .ceiling && coefficient > 0) || (mode == .floor && coefficient < 0)
            return up ? ExactDecimal(coefficient: coefficient > 0 ? 1 : -1, exponent: Int32(target)) : .zero
        }
        let p = Int128(ExactDecimal.pow10[drop])
        var q = coefficient / p
        let r = coefficient % p  // same sign as coefficient
        if r != 0 {
            let twice = r.magnitude * 2
            let half: Bool
            switch mode {
            case .halfEven: half = twice > p.magnitude || (twice == p.magnitude && q.magnitude % 2 == 1)
            case .halfUp: half = twice >= p.magnitude
            case .down: half = false
            case .floor: half = coefficient < 0
            case .ceiling: half = coefficient > 0
            }
            if half { q += coefficient < 0 ? -1 : 1 }
        }
        return ExactDecimal(coefficient: q, exponent: Int32(target))
    }

    /// -1, 0 or 1, comparing values exactly.
    @inline(__always)
    public static func compare(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if a.exponent == b.exponent { return a.coefficient < b.coefficient ? -1 : (a.coefficient == b.coefficient ? 0 : 1) }
        return compareSlow(a, b)
    }

    static func compareSlow(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if a.signum != b.signum { return a.signum < b.signum ? -1 : 1 }
        if a.signum == 0 { return 0 }
        // Same sign, both non-zero: compare adjusted exponents, then digits.
        let aa = Int(a.exponent) + a.digits, ba = Int(b.exponent) + b.digits
        if aa != ba { return (aa < ba) == (a.signum > 0) ? -1 : 1 }
        let e = min(Int(a.exponent), Int(b.exponent))
        let x = scaleUp(WideUInt(a.coefficient.magnitude), Int(a.exponent) - e)!
        let y = scaleUp(WideUInt(b.coefficient.magnitude), Int(b.exponent) - e)!
        if x == y { return 0 }
        return (x < y) == (a.signum > 0) ? -1 : 1
    }

    /// `a ^ n` for a whole-number exponent, by repeated squaring with 38-digit
    /// intermediates and one final rounding to 28 digits.
    public static func power(_ a: ExactDecimal, _ n: Int) throws -> ExactDecimal {
        if n == 0 { return .one }
        if n < 0 {
            if a.isZero { throw ArithmeticError.divisionByZero }
            return try divide(.one, power(a, -n))
        }
        var result = ExactDecimal.one
        var base = a
        var e = n
        while true {
            if e & 1 == 1 { result = try mulWide(result, base) }
            e >>= 1
            if e == 0 { break }
            base = try mulWide(base, base)
        }
        return try rounded(negative: result.coefficient < 0, mag: WideUInt(result.coefficient.magnitude),
                           exp: Int(result.exponent))
    }

    private static func mulWide(_ a: ExactDecimal, _ b: ExactDecimal) throws -> ExactDecimal {
        let mag = WideUInt.product(a.coefficient.magnitude, b.coefficient.magnitude)
        return try rounded(negative: (a.coefficient < 0) != (b.coefficient < 0), mag: mag,
                           exp: Int(a.exponent) + Int(b.exponent), precision: 38)
    }
}

extension ExactDecimal: Equatable, Hashable, Comparable {
    /// Equal values (`1.0 == 1`).
    public static func == (a: ExactDecimal, b: ExactDecimal) -> Bool { compare(a, b) == 0 }
    /// Exact ordering.
    public static func < (a: ExactDecimal, b: ExactDecimal) -> Bool { compare(a, b) < 0 }
    /// Equal values hash alike.
    public func hash(into h: inout Hasher) {
        let n = normalized()
        h.combine(n.coefficient)
        h.combine(n.exponent)
    }
}

// MARK: - Text and Double conversion

extension ExactDecimal: CustomStringConvertible {
    /// Parses `123`, `-1.5`, `2_000`, `1e6`, `1.2E-3`. Digits beyond 38 are
    /// rounded half-even. Returns nil for anything else.
    public init?(parsing text: Substring) {
        var coef = WideUInt()
        var exp = 0
        var negative = false
        var sawDigit = false
        var sawPoint = false
        var digitsKept = 0
        var sticky = false
        var roundExtra = 0  // digits dropped before the point
        var i = text.utf8.startIndex
        let u = text.utf8
        if i < u.endIndex, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") {
            negative = u[i] == UInt8(ascii: "-"); i = u.index(after: i)
        }
        var dropped: [UInt8] = []
        while i < u.endIndex {
            let c = u[i]
            if c >= 48 && c <= 57 {
                sawDigit = true
                if digitsKept < 38 {
                    if !(coef.isZero && c == 48) { digitsKept += 1 }
                    coef = coef.multiplied(by: 10)!.adding(WideUInt(UInt128(c - 48)))!
                    if sawPoint { exp -= 1 }
                } else {
                    dropped.append(c - 48)
                    if !sawPoint { roundExtra += 1 }
                }
            } else if c == UInt8(ascii: "_") {
            } else if c == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                guard sawDigit, let e = Int(String(text[u.index(after: i)...])), abs(e) < 10_000_000 else { return nil }
                exp += e
                i = u.endIndex
                break
            } else {
                return nil
            }
            i = u.index(after: i)
        }
        guard sawDigit else { return nil }
        exp += roundExtra
        if let first = dropped.first {
            sticky = dropped.dropFirst().contains { $0 != 0 }
            let up = first > 5 || (first == 5 && (sticky || coef.l0 & 1 == 1))
            if up { coef = coef.adding(WideUInt(1))! }
        }
        guard let d = try? ExactDecimal.rounded(negative: negative, mag: coef, exp: exp, precision: 38) else { return nil }
        self = d
    }

    /// Plain notation without trailing zeros (`2000`, `0.1`, `-1.25`);
    /// scientific (`1.5e+45`) when the number is very large or very small.
    public var description: String {
        if exponent == 0, let s = small { return String(s) }  // the common case: a whole number
        let n = normalized()
        if n.coefficient == 0 { return "0" }
        let digits = n.small.map { String($0.magnitude) } ?? String(n.coefficient.magnitude)
        let sign = n.coefficient < 0 ? "-" : ""
        let e = Int(n.exponent)
        let adjusted = e + digits.count - 1
        if adjusted > 40 || adjusted < -20 {
            var mant = digits
            if mant.count > 1 { mant.insert(".", at: mant.index(after: mant.startIndex)) }
            return "\(sign)\(mant)e\(adjusted >= 0 ? "+" : "")\(adjusted)"
        }
        if e >= 0 { return sign + digits + String(repeating: "0", count: e) }
        let point = digits.utf8.count + e
        if point > 0 {
            let u = digits.utf8
            let cut = u.index(u.startIndex, offsetBy: point)
            return sign + String(u[..<cut])! + "." + String(u[cut...])!
        }
        return sign + "0." + String(repeating: "0", count: -point) + digits
    }

    /// The nearest binary float (lossy).
    public var doubleValue: Double { Double(description) ?? .nan }

    /// Converts a binary float, keeping 15 significant digits (what a Double
    /// can be trusted with); nil for NaN or infinity.
    public init?(_ d: Double, significantDigits: Int = 15) {
        guard d.isFinite else { return nil }
        if d == 0 { self = .zero; return }
        var buf = [CChar](repeating: 0, count: 64)
        _ = withVaList([significantDigits - 1, d]) { vsnprintf(&buf, 64, "%.*e", $0) }
        let s = String(cString: buf)
        guard let v = ExactDecimal(parsing: Substring(s)) else { return nil }
        self = v.normalized()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
