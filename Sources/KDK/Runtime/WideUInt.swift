/// A 256-bit unsigned integer, just wide enough for the exact product of two
/// 38-digit coefficients (76 digits) before rounding. Written by hand because
/// Swift has no 256-bit integer and a general bignum would be slower here.
struct WideUInt: Comparable {
    /// Little-endian 64-bit limbs.
    var l0: UInt64 = 0, l1: UInt64 = 0, l2: UInt64 = 0, l3: UInt64 = 0

    init() {}
    init(_ v: UInt128) {
        l0 = UInt64(truncatingIfNeeded: v)
        l1 = UInt64(truncatingIfNeeded: v >> 64)
    }

    var isZero: Bool { (l0 | l1 | l2 | l3) == 0 }
    var fitsUInt128: Bool { (l2 | l3) == 0 }
    var low128: UInt128 { UInt128(l1) << 64 | UInt128(l0) }

    subscript(i: Int) -> UInt64 {
        get { i == 0 ? l0 : i == 1 ? l1 : i == 2 ? l2 : l3 }
        set { switch i { case 0: l0 = newValue; case 1: l1 = newValue; case 2: l2 = newValue; default: l3 = newValue } }
    }

    static func < (a: WideUInt, b: WideUInt) -> Bool {
        for i in stride(from: 3, through: 0, by: -1) where a[i] != b[i] { return a[i] < b[i] }
        return false
    }

    /// a * b for 128-bit operands: never overflows 256 bits.
    static func product(_ a: UInt128, _ b: UInt128) -> WideUInt {
        let (hi, lo) = a.multipliedFullWidth(by: b)
        var r = WideUInt(lo)
        r.l2 = UInt64(truncatingIfNeeded: hi)
        r.l3 = UInt64(truncatingIfNeeded: hi >> 64)
        return r
    }

    /// self * m; returns nil when the result does not fit in 256 bits.
    func multiplied(by m: UInt64) -> WideUInt? {
        var r = WideUInt()
        var carry: UInt64 = 0
        for i in 0..<4 {
            let (hi, lo) = self[i].multipliedFullWidth(by: m)
            let (s, o) = lo.addingReportingOverflow(carry)
            r[i] = s
            carry = hi &+ (o ? 1 : 0)
        }
        return carry == 0 ? r : nil
    }

    /// self + b; returns nil on overflow.
    func adding(_ b: WideUInt) -> WideUInt? {
        var r = WideUInt()
        var carry: UInt64 = 0
        for i in 0..<4 {
            let (s1, o1) = self[i].addingReportingOverflow(b[i])
            let (s2, o2) = s1.addingReportingOverflow(carry)
            r[i] = s2
            carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        return carry == 0 ? r : nil
    }

    /// self - b, for self >= b.
    func subtracting(_ b: WideUInt) -> WideUInt {
        var r = WideUInt()
        var borrow: UInt64 = 0
        for i in 0..<4 {
            let (s1, o1) = self[i].subtractingReportingOverflow(b[i])
            let (s2, o2) = s1.subtractingReportingOverflow(borrow)
            r[i] = s2
            borrow = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        return r
    }

    /// Divides by a non-zero 64-bit divisor, returning quotient and remainder.
    func divided(by d: UInt64) -> (WideUInt, UInt64) {
        var q = WideUInt()
        var rem: UInt64 = 0
        for i in stride(from: 3, through: 0, by: -1) {
            let (qi, ri) = d.dividingFullWidth((rem, self[i]))
            q[i] = qi
            rem = ri
        }
        return (q, rem)
    }

    /// Divides by a non-zero 128-bit divisor (shift-subtract; only used when the
    /// divisor does not fit in 64 bits, which is rare).
    func dividedWide(by d: UInt128) -> (WideUInt, UInt128) {
        if d <= UInt128(UInt64.max) {
            let (q, r) = divided(by: UInt64(d))
            return (q, UInt128(r))
        }
        var q = WideUInt()
        var rem = WideUInt()
        let dw = WideUInt(d)
        for bit in stride(from: 255, through: 0, by: -1) {
            // rem = rem << 1 | bit
            rem.l3 = rem.l3 << 1 | rem.l2 >> 63
            rem.l2 = rem.l2 << 1 | rem.l1 >> 63
            rem.l1 = rem.l1 << 1 | rem.l0 >> 63
            rem.l0 = rem.l0 << 1 | (self[bit / 64] >> UInt64(bit % 64)) & 1
            if !(rem < dw) {
                rem = rem.subtracting(dw)
                q[bit / 64] |= 1 << UInt64(bit % 64)
            }
        }
        return (q, rem.low128)
    }

    /// Number of decimal digits (0 for zero).
    var decimalDigits: Int {
        if fitsUInt128 { return ExactDecimal.digitCount(low128) }
        var n = 0
        var v = self
        while !v.fitsUInt128 {
            v = v.divided(by: 10_000_000_000_000_000_000 as UInt64).0
            n += 19
        }
        return n + ExactDecimal.digitCount(v.low128)
    }
}
