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
    /// The power of ten the coefficient is scaled by (within ±2^30: every
    /// context's range, decTest's ±999,999,999 included, lies inside that,
    /// so an exponent beyond it is kept at the bound, still out of range).
    public internal(set) var exponent: Int32 {
        @inline(__always) get { packed >> 1 }
        @inline(__always) set { packed = ExactDecimal.pack(newValue) | packed & 1 }
    }
    /// Shown as a percentage (`10%`), never part of the value (`10% == 0.1`):
    /// set by a percent literal and by rates (`irr`, `cagr`), and kept by
    /// arithmetic that keeps a rate a rate (see `Operators.marked`).
    public internal(set) var isPercent: Bool {
        @inline(__always) get { packed & 1 != 0 }
        @inline(__always) set { packed = packed & ~1 | (newValue ? 1 : 0) }
    }
    /// The exponent shifted left one bit; the low bit is the percentage mark.
    /// Packed because a separate flag made every `Value` copy larger: +4-7%
    /// instructions on arithmetic-heavy programs, against 0-2% this way.
    private var packed: Int32

    static let exponentBound: Int32 = (1 << 30) - 1

    @inline(__always)
    static func pack(_ e: Int32) -> Int32 { min(max(e, -exponentBound), exponentBound) << 1 }

    /// Significant digits kept by arithmetic (Python `decimal`'s default).
    public static let precision = 28
    /// The largest adjusted exponent (`1e+999999` has adjusted exponent 999,999).
    public static let maxExponent = 999_999
    /// The smallest adjusted exponent of a normal number; below it results are
    /// subnormal, down to `1e-1000026` (Python's `Etiny`).
    public static let minExponent = -999_999

    /// Why an operation has no result.
    public enum ArithmeticError: Error, Equatable {
        case overflow
        case divisionByZero
        /// An integer quotient (`div`, `mod`) with more digits than the precision.
        case divisionImpossible
        /// A literal or text whose value lies outside the exponent range.
        case outOfRange
        case undefined(String)
    }

    /// `coefficient × 10^exponent`, exactly.
    public init(coefficient: Int128, exponent: Int32) {
        self.coefficient = coefficient
        self.packed = ExactDecimal.pack(exponent)
    }
    /// The packed exponent as it is (fast paths, whose exponents are in range).
    @inline(__always)
    init(coefficient: Int128, packed: Int32) {
        self.coefficient = coefficient
        self.packed = packed
    }
    /// An integer, exactly.
    public init(_ i: Int) { coefficient = Int128(i); packed = 0 }

    /// The number as a 64-bit integer when `ExactDecimal(Int(i))` gives it
    /// back exactly: a whole number at exponent 0, not a percentage. What a
    /// column, a plan or an entrant keeps as an integer instead of a value.
    public var wholeInt64: Int64? { exponent == 0 && !isPercent ? Int64(exactly: coefficient) : nil }

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

    /// Rounds `sign × mag × 10^exp` (plus a sticky "something non-zero below
    /// the last digit of `mag`") to the context's precision and rounding mode,
    /// and checks the exponent range the way Python's `decimal` does: a result
    /// whose adjusted exponent exceeds `emax` overflows (an error); one below
    /// `emin` is subnormal and keeps only the digits at or above `etiny`,
    /// rounding to zero when none are left (Python's default context does not
    /// trap underflow).
    static func rounded(negative: Bool, mag: WideUInt, exp: Int, sticky: Bool = false,
                        _ ctx: DecimalContext = .standard) throws -> ExactDecimal {
        var mag = mag
        var exp = exp
        let d = mag.decimalDigits
        let drop = max(d - ctx.precision, ctx.etiny - exp, 0)
        if drop > 0 || sticky {
            var sticky = sticky
            var roundDigit: UInt64 = 0
            if drop > d + 1 {
                // Every digit lies below the rounding digit.
                sticky = sticky || !mag.isZero
                mag = WideUInt()
            } else if drop > 0 {
                // Remove all but the last dropped digit, remembering if any was non-zero.
                var k = drop - 1
                while k > 0 {
                    let step = min(k, 19)
                    let (q, r) = mag.divided(by: UInt64(pow10[step]))
                    if r != 0 { sticky = true }
                    mag = q
                    k -= step
                }
                (mag, roundDigit) = mag.divided(by: UInt64(10))
            }
            exp += drop
            let half = roundDigit > 5 || (roundDigit == 5 && sticky) ? 1 : (roundDigit == 5 ? 0 : -1)
            if ctx.rounding.roundsAway(negative: negative, half: half, inexact: roundDigit != 0 || sticky,
                                       lastDigit: mag.divided(by: 10).1) {
                mag = mag.adding(WideUInt(1))!  // mag has at most `precision` digits: cannot overflow
                if mag.decimalDigits > ctx.precision {
                    mag = mag.divided(by: UInt64(10)).0
                    exp += 1
                }
            }
        }
        if mag.isZero { return .zero }
        if exp + mag.decimalDigits - 1 > ctx.emax { throw ArithmeticError.overflow }
        let c = Int128(mag.low128)
        return ExactDecimal(coefficient: negative ? -c : c, exponent: Int32(exp))
    }

    /// Whether a coefficient of at most 19 digits (an Int64) at this
    /// exponent is already a finished result: no rounding, in range.
    @inline(__always)
    static func fitsAsIs(_ exponent: Int32) -> Bool {
        exponent >= Int32(minExponent - precision + 1) && exponent <= Int32(maxExponent - 18)
    }

    /// The value rounded to the context (Python's unary `+`): unchanged when
    /// it already fits, the common case, decided by three comparisons.
    @inline(__always)
    public func plus() throws -> ExactDecimal {
        if small != nil, ExactDecimal.fitsAsIs(exponent) { return self }
        return try plus(.standard)
    }

    func plus(_ ctx: DecimalContext) throws -> ExactDecimal {
        if coefficient == 0 { return .zero }
        return try ExactDecimal.rounded(negative: coefficient < 0, mag: WideUInt(coefficient.magnitude),
                                        exp: Int(exponent), ctx)
    }

    /// `-self`, rounded to the context like every arithmetic result.
    public func minus() throws -> ExactDecimal { try negated().plus().percent(isPercent) }

    /// `|self|`, rounded to the context.
    public func absolute() throws -> ExactDecimal { try (isNegative ? negated() : self).plus().percent(isPercent) }

    var small: Int64? {
        let s = Int64(truncatingIfNeeded: coefficient)
        return Int128(s) == coefficient ? s : nil
    }

    /// The value as an `Int` when it is a whole number in range.
    public var intValue: Int? {
        // A whole number written as one (an index, a count) without the
        // generic `Int(exactly:)`, whose first call took 0.7 µs.
        if exponent == 0 { return coefficient >= Int128(Int.min) && coefficient <= Int128(Int.max) ? Int(truncatingIfNeeded: coefficient) : nil }
        return int128Value.flatMap { Int(exactly: $0) }
    }

    /// The value as an `Int128` when it is a whole number in range.
    var int128Value: Int128? {
        if exponent == 0 { return coefficient }
        let n = normalized()
        if n.exponent < 0 { return nil }
        if n.exponent > 18 { return nil }
        let (p, o) = n.coefficient.multipliedReportingOverflow(by: Int128(ExactDecimal.pow10[Int(n.exponent)]))
        return o ? nil : p
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

/// The precision, rounding and exponent range an operation rounds to.
/// kdk itself always uses `standard` (Python's default context with
/// Emax 999,999); other contexts exist so the IBM decTest suites, written for
/// precision 9 or 16 and other rounding modes, can run against the same code.
struct DecimalContext: Sendable {
    var precision = ExactDecimal.precision
    var rounding: ExactDecimal.Rounding = .halfEven
    var emax = ExactDecimal.maxExponent
    var emin = ExactDecimal.minExponent
    /// The smallest exponent a subnormal result keeps.
    var etiny: Int { emin - precision + 1 }
    static let standard = DecimalContext()
}

extension ExactDecimal {
    /// How a result is rounded when digits are dropped: the rounding modes of
    /// Python's `decimal` (`ROUND_HALF_EVEN`, `ROUND_HALF_UP`, `ROUND_DOWN`,
    /// `ROUND_UP`, `ROUND_FLOOR`, `ROUND_CEILING`, `ROUND_HALF_DOWN`, `ROUND_05UP`).
    public enum Rounding: Sendable {
        case halfEven, halfUp, down, up, floor, ceiling, halfDown, zeroFiveUp
    }
}

extension ExactDecimal.Rounding {
    /// Whether the kept digits move one unit away from zero. `half` is the
    /// dropped part against one half of a unit (-1, 0, 1); `lastDigit` is the
    /// last kept digit, computed only for the modes that look at it (on a
    /// wide value it costs a division).
    func roundsAway(negative: Bool, half: Int, inexact: Bool, lastDigit: @autoclosure () -> UInt64) -> Bool {
        guard inexact else { return false }
        switch self {
        case .down: return false
        case .up: return true
        case .floor: return negative
        case .ceiling: return !negative
        case .halfUp: return half >= 0
        case .halfDown: return half > 0
        case .halfEven: return half > 0 || (half == 0 && lastDigit() & 1 == 1)
        case .zeroFiveUp: let d = lastDigit(); return d == 0 || d == 5
        }
    }
}

extension ExactDecimal {
    /// `a + b`, rounded half-even to 28 digits when it has more.
    @inline(__always)
    public static func add(_ a: ExactDecimal, _ b: ExactDecimal) throws -> ExactDecimal {
        // Two Int64 coefficients at one exponent: at most 19 digits, no rounding;
        // only the top of the exponent range needs the general path. (Exponents
        // compare packed, with the mark bit set on both.)
        if a.packed | 1 == b.packed | 1, a.exponent <= Int32(maxExponent - 18), let x = a.small, let y = b.small {
            let (s, o) = x.addingReportingOverflow(y)
            if !o { return ExactDecimal(coefficient: Int128(s), packed: a.packed & ~1) }
        }
        return try add(a, b, .standard)
    }

    static func add(_ a: ExactDecimal, _ b: ExactDecimal, _ ctx: DecimalContext) throws -> ExactDecimal {
        if a.coefficient == 0 { return try b.plus(ctx) }
        if b.coefficient == 0 { return try a.plus(ctx) }
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
            // one place lower so every rounding mode still sees it.
            let msd = Int(hi.exponent) + hi.digits
            let work = msd - 41
            hiMag = scaleUp(hiMag, Int(hi.exponent) - work)!
            var sticky = false
            var k = work - Int(lo.exponent)  // > 0: the exponents differ by more than 76 - hi.digits
            while k > 0 && !loMag.isZero {
                let step = min(k, 19)
                let (q, r) = loMag.divided(by: UInt64(pow10[step]))
                if r != 0 { sticky = true }
                loMag = q
                k -= step
            }
            hiMag = hiMag.multiplied(by: 10)!
            loMag = loMag.multiplied(by: 10)!
            if sticky { loMag = loMag.adding(WideUInt(1))! }
            exp = work - 1
        }
        let hiNeg = hi.coefficient < 0, loNeg = lo.coefficient < 0
        if hiNeg == loNeg {
            return try rounded(negative: hiNeg, mag: hiMag.adding(loMag)!, exp: exp, ctx)
        }
        if hiMag < loMag {
            return try rounded(negative: loNeg, mag: loMag.subtracting(hiMag), exp: exp, ctx)
        }
        return try rounded(negative: hiNeg, mag: hiMag.subtracting(loMag), exp: exp, ctx)
    }

    /// `a - b`, rounded like `add`.
    @inline(__always)
    public static func subtract(_ a: ExactDecimal, _ b: ExactDecimal) throws -> ExactDecimal {
        if a.packed | 1 == b.packed | 1, a.exponent <= Int32(maxExponent - 18), let x = a.small, let y = b.small {
            let (s, o) = x.subtractingReportingOverflow(y)
            if !o { return ExactDecimal(coefficient: Int128(s), packed: a.packed & ~1) }
        }
        return try add(a, b.negated(), .standard)
    }

    /// `-self`, exactly (no rounding: for building values; `minus()` is the
    /// arithmetic operation).
    public func negated() -> ExactDecimal { ExactDecimal(coefficient: -coefficient, exponent: exponent) }

    /// `a × b`, rounded half-even to 28 digits.
    @inline(__always)
    public static func multiply(_ a: ExactDecimal, _ b: ExactDecimal) throws -> ExactDecimal {
        if let x = a.small, let y = b.small {
            let (p, o) = x.multipliedReportingOverflow(by: y)
            if !o {
                let e = Int(a.exponent) + Int(b.exponent)
                if p == 0 { return .zero }
                if e >= minExponent && e <= maxExponent - 18 {
                    return ExactDecimal(coefficient: Int128(p), exponent: Int32(e))
                }
            }
        }
        return try multiply(a, b, .standard)
    }

    static func multiply(_ a: ExactDecimal, _ b: ExactDecimal, _ ctx: DecimalContext) throws -> ExactDecimal {
        let mag = WideUInt.product(a.coefficient.magnitude, b.coefficient.magnitude)
        return try rounded(negative: (a.coefficient < 0) != (b.coefficient < 0), mag: mag,
                           exp: Int(a.exponent) + Int(b.exponent), ctx)
    }

    /// `a / b`, correctly rounded half-even to 28 digits; division by zero throws.
    public static func divide(_ a: ExactDecimal, _ b: ExactDecimal) throws -> ExactDecimal {
        if b.coefficient != 0, let x = a.small, let y = b.small, y != -1, x % y == 0,
           let e = Int32(exactly: Int(a.exponent) - Int(b.exponent)), fitsAsIs(e) {
            return ExactDecimal(coefficient: Int128(x / y), exponent: e)
        }
        return try divide(a, b, .standard)
    }

    static func divide(_ a: ExactDecimal, _ b: ExactDecimal, _ ctx: DecimalContext) throws -> ExactDecimal {
        if b.coefficient == 0 { throw ArithmeticError.divisionByZero }
        if a.coefficient == 0 { return .zero }
        let negative = (a.coefficient < 0) != (b.coefficient < 0)
        // Scale the dividend so the quotient has at least precision + 1 digits;
        // the remainder is then the sticky part below the rounding digit.
        let k = max(0, ctx.precision + 1 + b.digits - a.digits)
        let num = scaleUp(WideUInt(a.coefficient.magnitude), k)!
        let (q, r) = num.dividedWide(by: b.coefficient.magnitude)
        return try rounded(negative: negative, mag: q, exp: Int(a.exponent) - Int(b.exponent) - k,
                           sticky: r != 0, ctx)
    }

    /// The integer quotient truncated toward zero and the remainder, with the
    /// sign of `a`, so that `a == q*b + r` exactly: Python's `//` and `%` on
    /// `Decimal`. A quotient of more than 28 digits is an error (Python's
    /// DivisionImpossible), as is division by zero.
    public static func divMod(_ a: ExactDecimal, _ b: ExactDecimal) throws -> (ExactDecimal, ExactDecimal) {
        if b.coefficient != 0, a.exponent == b.exponent, fitsAsIs(a.exponent), let x = a.small, let y = b.small,
           !(x == Int64.min && y == -1) {
            return (ExactDecimal(coefficient: Int128(x / y), exponent: 0), ExactDecimal(coefficient: Int128(x % y), exponent: a.exponent))
        }
        return try divMod(a, b, .standard)
    }

    static func divMod(_ a: ExactDecimal, _ b: ExactDecimal, _ ctx: DecimalContext) throws -> (ExactDecimal, ExactDecimal) {
        if b.coefficient == 0 { throw ArithmeticError.divisionByZero }
        if a.coefficient == 0 { return (.zero, .zero) }
        let qNeg = (a.coefficient < 0) != (b.coefficient < 0)
        let adjA = Int(a.exponent) + a.digits - 1, adjB = Int(b.exponent) + b.digits - 1
        // |a| < |b|: the quotient is 0 and the remainder is a.
        if adjA < adjB { return (.zero, try a.plus(ctx)) }
        // |a| / |b| > 10^(adjA - adjB - 1): too many quotient digits for sure.
        if adjA - adjB - 1 >= ctx.precision { throw ArithmeticError.divisionImpossible }
        // Align both to the smaller exponent. The larger side grows to at most
        // precision + 38 digits; the divisor stays within 38 (see below).
        let e = min(Int(a.exponent), Int(b.exponent))
        let num = scaleUp(WideUInt(a.coefficient.magnitude), Int(a.exponent) - e)!
        // b.exponent > e only when a.exponent < b.exponent, and then the
        // aligned divisor has adjB - e + 1 <= adjA - a.exponent + 1 = a.digits digits.
        let den = scaleUp(WideUInt(b.coefficient.magnitude), Int(b.exponent) - e)!
        let (q, r) = num.dividedWide(by: den.low128)
        if q.decimalDigits > ctx.precision { throw ArithmeticError.divisionImpossible }
        let qc = Int128(q.low128)
        let quotient = ExactDecimal(coefficient: qNeg ? -qc : qc, exponent: 0)
        let remainder = try rounded(negative: a.coefficient < 0, mag: WideUInt(r), exp: e, ctx)
        return (quotient, remainder)
    }

    /// Rounds toward zero to a whole number.
    public func truncated() -> ExactDecimal {
        if exponent >= 0 { return self }
        let drop = -Int(exponent)
        if drop > 38 { return .zero }
        return ExactDecimal(coefficient: coefficient / Int128(ExactDecimal.pow10[drop]), exponent: 0)
    }

    /// `x * y / z`, computed exactly and rounded once to `places` decimals:
    /// what pro-rata shares need (a 28-digit intermediate could round up
    /// and make shares add to more than the whole).
    public static func mulDiv(_ x: ExactDecimal, _ y: ExactDecimal, _ z: ExactDecimal, places: Int,
                              _ mode: Rounding = .down) throws -> ExactDecimal {
        if z.coefficient == 0 { throw ArithmeticError.divisionByZero }
        let negative = ((x.coefficient < 0) != (y.coefficient < 0)) != (z.coefficient < 0)
        if let q = mulDivShort(x, y, z, places: places, mode, negative: negative) { return q }
        return try mulDivWide(x, y, z, places: places, mode, negative: negative)
    }

    /// `mulDiv` in 128 bits, when the factors are below 2^63 and the scaled
    /// product fits (amounts, shares and prices); nil otherwise.
    @inline(__always)
    static func mulDivShort(_ x: ExactDecimal, _ y: ExactDecimal, _ z: ExactDecimal, places: Int, _ mode: Rounding,
                            negative: Bool) -> ExactDecimal? {
        guard x.coefficient.magnitude < 1 << 63, y.coefficient.magnitude < 1 << 63 else { return nil }
        let k = Int(x.exponent) + Int(y.exponent) - Int(z.exponent) + places
        guard k >= 0 && k <= 38 else { return nil }
        let (n, over) = (x.coefficient.magnitude * y.coefficient.magnitude).multipliedReportingOverflow(by: pow10[k])
        guard !over, n != 0 else { return nil }
        let d = z.coefficient.magnitude
        var q = n / d
        let r = n - q * d
        if r != 0 {
            let vsHalf = r < d - r ? -1 : (r == d - r ? 0 : 1)
            if mode.roundsAway(negative: negative, half: vsHalf, inexact: true, lastDigit: UInt64(q % 10)) { q += 1 }
        }
        guard q < pow10[38] else { return nil }
        return ExactDecimal(coefficient: negative ? -Int128(q) : Int128(q), exponent: Int32(clamping: -places))
    }

    /// `mulDiv` for any operands, in 256 bits.
    static func mulDivWide(_ x: ExactDecimal, _ y: ExactDecimal, _ z: ExactDecimal, places: Int, _ mode: Rounding,
                           negative: Bool) throws -> ExactDecimal {
        var n = WideUInt.product(x.coefficient.magnitude, y.coefficient.magnitude)
        if n.isZero { return ExactDecimal(coefficient: 0, exponent: Int32(clamping: -places)) }
        let k = Int(x.exponent) + Int(y.exponent) - Int(z.exponent) + places
        var d = z.coefficient.magnitude
        if k > 0 {
            guard n.decimalDigits + k <= 77, let scaled = scaleUp(n, k) else { throw ArithmeticError.overflow }
            n = scaled
        } else if k < 0 {
            guard ExactDecimal.digitCount(d) - k <= 38 else {
                // The quotient is below one unit at this many places (and below half of it).
                let up = mode.roundsAway(negative: negative, half: -1, inexact: true, lastDigit: 0)
                return ExactDecimal(coefficient: up ? (negative ? -1 : 1) : 0, exponent: Int32(clamping: -places))
            }
            d *= pow10[-k]
        }
        var (q, r) = n.dividedWide(by: d)
        if r != 0 {
            let twice = WideUInt(r).multiplied(by: 2)!
            let half = WideUInt(d)
            let vsHalf = twice < half ? -1 : (half < twice ? 1 : 0)
            if mode.roundsAway(negative: negative, half: vsHalf, inexact: true, lastDigit: q.divided(by: 10).1) {
                q = q.adding(WideUInt(1))!
            }
        }
        guard q.fitsUInt128, q.decimalDigits <= 38 else { throw ArithmeticError.overflow }
        let c = Int128(q.low128)
        return ExactDecimal(coefficient: negative ? -c : c, exponent: Int32(clamping: -places))
    }

    /// Rounds to `places` digits after the point, exactly (the result keeps
    /// every digit above that place; `round` in kdk adds Python's limit).
    public func rounded(places: Int, _ mode: Rounding = .halfEven) -> ExactDecimal {
        let target = -places
        if Int(exponent) >= target { return self }
        let drop = target - Int(exponent)
        let negative = coefficient < 0
        if drop > 38 {
            let up = mode.roundsAway(negative: negative, half: -1, inexact: coefficient != 0, lastDigit: 0)
            return up ? ExactDecimal(coefficient: negative ? -1 : 1, exponent: Int32(target)) : .zero
        }
        let p = Int128(ExactDecimal.pow10[drop])
        var q = coefficient / p
        let r = coefficient % p  // same sign as coefficient
        let twice = r.magnitude * 2
        let vsHalf = twice < p.magnitude ? -1 : (twice == p.magnitude ? 0 : 1)
        if mode.roundsAway(negative: negative, half: vsHalf, inexact: r != 0, lastDigit: UInt64(q.magnitude % 10)) {
            q += negative ? -1 : 1
        }
        return ExactDecimal(coefficient: q, exponent: Int32(target))
    }

    /// -1, 0 or 1, comparing values exactly.
    @inline(__always)
    public static func compare(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if a.packed | 1 == b.packed | 1 { return a.coefficient < b.coefficient ? -1 : (a.coefficient == b.coefficient ? 0 : 1) }
        return compareSlow(a, b)
    }

    static func compareSlow(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        // Exponents a few apart (0.04 and 2.5, an amount and its cap): the
        // one with the larger exponent, scaled to the other's, fits Int128
        // when it is below 2^64, and the coefficients compare as integers.
        let d = Int(a.exponent) - Int(b.exponent)
        if d > 0 && d <= 18 && a.coefficient.magnitude < 1 << 64 {
            let x = a.coefficient * Int128(pow10[d])
            return x < b.coefficient ? -1 : (x == b.coefficient ? 0 : 1)
        }
        if d < 0 && d >= -18 && b.coefficient.magnitude < 1 << 64 {
            let y = b.coefficient * Int128(pow10[-d])
            return a.coefficient < y ? -1 : (a.coefficient == y ? 0 : 1)
        }
        return compareByDigits(a, b)
    }

    /// `compare` for any two values: signs, then adjusted exponents, then
    /// the coefficients scaled to one exponent.
    static func compareByDigits(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
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

    /// `a ^ n` for a whole-number exponent: repeated squaring with 38-digit
    /// intermediates (and an exponent range wide enough that no intermediate
    /// overflows or underflows early), then one rounding to 28 digits; a
    /// negative `n` divides 1 by the 38-digit power. `0 ^ 0` is an error, as
    /// in Python.
    public static func power(_ a: ExactDecimal, _ n: Int) throws -> ExactDecimal {
        try power(a, n, .standard)
    }

    static func power(_ a: ExactDecimal, _ n: Int, _ ctx: DecimalContext) throws -> ExactDecimal {
        if n == 0 {
            if a.isZero { throw ArithmeticError.undefined("0 ^ 0 is undefined") }
            return .one
        }
        if a.isZero {
            if n < 0 { throw ArithmeticError.divisionByZero }
            return .zero
        }
        // Exponents to ±2e9 still fit the Int32 exponent, and lie far beyond
        // any context's range, so an intermediate that leaves them decides the result.
        let wide = DecimalContext(precision: 38, rounding: .halfEven, emax: 2_000_000_000, emin: -2_000_000_000)
        var result = ExactDecimal.one
        var base = a
        var e = n.magnitude
        do {
            while true {
                if e & 1 == 1 { result = try multiply(result, base, wide) }
                e >>= 1
                if e == 0 { break }
                base = try multiply(base, base, wide)
            }
        } catch ArithmeticError.overflow where n < 0 {
            return .zero  // the reciprocal of a power beyond 1e2000000000 underflows to zero
        }
        if n < 0 {
            // A power that underflowed the wide range has a reciprocal beyond any range.
            if result.isZero { throw ArithmeticError.overflow }
            return try divide(.one, result, ctx)
        }
        return try result.plus(ctx)
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
    /// rounded half-even. Returns nil for anything else, and for a number
    /// outside kdk's range (`parse` tells the two apart).
    public init?(parsing text: Substring) {
        guard case .value(let d) = ExactDecimal.parse(text) else { return nil }
        self = d
    }

    /// What reading a number from text gives.
    public enum ParseResult: Equatable, Sendable {
        case value(ExactDecimal)
        /// The text is not written as a number.
        case notANumber
        /// A number, but beyond `1e+999999` or with digits below `1e-1000026`
        /// (it would need rounding to a subnormal or to zero).
        case outOfRange
    }

    /// Reads a number written as kdk and Python write them: the one rule for
    /// literals, `number("...")`, CSV cells and JSON numbers. Zero is zero at
    /// any exponent; a non-zero number must be representable exactly.
    public static func parse(_ text: Substring) -> ParseResult {
        if let d = parseShort(text) { return .value(d) }
        return parseLong(text)
    }

    /// `parse` for any text: digits beyond 38 are rounded half-even.
    static func parseLong(_ text: Substring) -> ParseResult {
        var coef = WideUInt()
        var exp = 0
        var negative = false
        var sawDigit = false
        var sawPoint = false
        var digitsKept = 0
        var roundExtra = 0  // digits dropped before the point
        var firstDropped: UInt8? = nil
        var droppedNonZero = false  // a non-zero digit after the first dropped one
        let u = text.utf8
        var i = u.startIndex
        if i < u.endIndex, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") {
            negative = u[i] == UInt8(ascii: "-"); i = u.index(after: i)
        }
        while i < u.endIndex {
            let c = u[i]
            if c >= 48 && c <= 57 {
                sawDigit = true
                if digitsKept < 38 {
                    if !(coef.isZero && c == 48) { digitsKept += 1 }
                    coef = coef.multiplied(by: 10)!.adding(WideUInt(UInt128(c - 48)))!
                    if sawPoint { exp -= 1 }
                } else {
                    if firstDropped == nil { firstDropped = c - 48 } else if c != 48 { droppedNonZero = true }
                    if !sawPoint { roundExtra += 1 }
                }
            } else if c == UInt8(ascii: "_") {
            } else if c == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                guard sawDigit, let e = exponentValue(text[u.index(after: i)...]) else { return .notANumber }
                exp += e
                i = u.endIndex
                break
            } else {
                return .notANumber
            }
            i = u.index(after: i)
        }
        guard sawDigit else { return .notANumber }
        if coef.isZero { return .value(.zero) }
        exp += roundExtra
        if let first = firstDropped {
            let up = first > 5 || (first == 5 && (droppedNonZero || coef.l0 & 1 == 1))
            if up { coef = coef.adding(WideUInt(1))! }
            if coef.decimalDigits > 38 { coef = coef.divided(by: 10).0; exp += 1 }
        }
        // The value keeps its digits as written (`1000` stays 1000 × 10^0,
        // which the Int64 fast paths need); the range is checked on its
        // normalized form.
        guard exp >= Int(Int32.min), exp <= Int(Int32.max) else { return .outOfRange }
        let c = Int128(coef.low128)
        let d = ExactDecimal(coefficient: negative ? -c : c, exponent: Int32(exp))
        return d.isInRange ? .value(d) : .outOfRange
    }

    /// `parse` for the common case, in 64 bits: an optional sign, then at
    /// most 18 digits with at most one point (`18352.99`, `-0.5`); nil for
    /// anything else (more digits, `_`, an exponent), which `parse` reads.
    @inline(__always)
    static func parseShort(_ text: Substring) -> ExactDecimal? {
        var u = text.utf8
        var negative = false
        if let first = u.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            u = u.dropFirst()
        }
        var coef: UInt64 = 0, digits = 0, places = 0, sawPoint = false
        for c in u {
            if c &- 48 < 10 {
                coef = coef &* 10 &+ UInt64(c &- 48)
                digits += 1
                if sawPoint { places += 1 }
            } else if c == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                return nil
            }
        }
        guard digits > 0, digits <= 18 else { return nil }
        if coef == 0 { return .zero }
        return ExactDecimal(coefficient: negative ? -Int128(coef) : Int128(coef), exponent: Int32(-places))
    }

    /// An exponent's digits with an optional sign, saturating far beyond any
    /// exponent kdk can hold (so `1e-9223372036854775808` is out of range, not a crash).
    private static func exponentValue(_ t: Substring) -> Int? {
        var negative = false
        var u = t.utf8[...]
        if let f = u.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { negative = f == UInt8(ascii: "-"); u = u.dropFirst() }
        guard !u.isEmpty else { return nil }
        var v = 0
        for c in u {
            guard c >= 48 && c <= 57 else { return nil }
            v = min(v * 10 + Int(c - 48), 1_000_000_000_000)
        }
        return negative ? -v : v
    }

    /// What kdk says of a number it cannot hold.
    public static let outOfRangeMessage = "number out of range: kdk's numbers lie between 1e-1000026 and 1e+1000000 in size"

    /// Whether a value built directly (a literal scaled by `K` or `%`, a
    /// host's coefficient and exponent) lies in kdk's range.
    public var isInRange: Bool {
        if coefficient == 0 { return true }
        let n = normalized()
        return Int(n.exponent) >= ExactDecimal.minExponent - ExactDecimal.precision + 1
            && Int(n.exponent) + n.digits - 1 <= ExactDecimal.maxExponent
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
        let s = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let v = ExactDecimal(parsing: Substring(s)) else { return nil }
        self = v.normalized()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ExactDecimal {
    /// The same value, shown as a percentage or not.
    @inline(__always)
    public func percent(_ on: Bool) -> ExactDecimal {
        var d = self
        d.isPercent = on
        return d
    }
}
