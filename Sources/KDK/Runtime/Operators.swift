/// Arithmetic and comparison on values, with the unit rules:
/// same units add and compare; durations convert among themselves; units
/// multiply and divide into compound units; a plain number scales a quantity;
/// zero is unit-free (so `q > 0` and `0 + q` work).
enum Operators {
    static let units = UnitRegistry.shared

    @inline(__always)
    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ExactDecimal.ArithmeticError { throw EvalError.from(e) }
    }

    /// The unit of a product or quotient (see `UnitRegistry.combine`), with
    /// kdk's errors.
    static func combine(_ a: UnitID?, _ b: UnitID?, power: Int) throws -> (UnitID?, ExactDecimal) {
        do { return try wrap { try units.combine(a, b, power: power) } } catch is UnitRegistry.Full { throw EvalError.tooManyUnits }
    }

    static func describe(_ v: Value) -> String {
        switch v {
        case .quantity(_, let u): return units.name(u)
        case .none: return "none"
        default: return "a \(v.typeName)"
        }
    }

    static func mismatch(_ op: String, _ a: Value, _ b: Value) -> EvalError {
        if case .none = a { return noneError(op) }
        if case .none = b { return noneError(op) }
        func unit(_ v: Value) -> UnitID?? {
            switch v {
            case .quantity(_, let u): return .some(u)
            case .number: return .some(nil)
            default: return nil
            }
        }
        if let u = unit(a), let v = unit(b), let (reason, help) = unitConflict(u, v) {
            return EvalError("cannot \(opVerb(op)) these: \(reason)", help: help)
        }
        return EvalError("cannot \(opVerb(op)) \(describe(a)) and \(describe(b))")
    }

    /// Why two operands' units do not go together (nil: a plain number), in
    /// the words both the checker and the run use; nil when they do.
    static func unitConflict(_ a: UnitID?, _ b: UnitID?) -> (reason: String, help: String)? {
        switch (a, b) {
        case (let u?, let v?):
            if units.sameDimension(u, v) { return nil }
            let un = units.name(u), vn = units.name(v)
            return ("the units differ: \(un) and \(vn)", "there is no implicit conversion; convert with to(x, \(un), rate) or multiply by a rate in \(un)/\(vn)")
        case (let u?, nil), (nil, let u?):
            let un = units.name(u)
            return ("one side is in \(un) and the other is a plain number", "give the number its unit, e.g. 5 \(un)")
        case (nil, nil):
            return nil
        }
    }

    static func noneError(_ op: String) -> EvalError {
        EvalError("cannot \(opVerb(op)) none (a missing value)", help: "give a default with ??, e.g. x ?? 0")
    }

    static func opVerb(_ op: String) -> String {
        switch op {
        case "+": return "add"
        case "-": return "subtract"
        case "*": return "multiply"
        case "/": return "divide"
        case "^": return "raise"
        default: return "compare"
        }
    }

    // MARK: percentages

    // Which results of plain numbers are shown as percentages, as a
    // spreadsheet carries a cell's format: rate ± rate is a rate (10% + 2%),
    // a rate scaled by a number is a rate (10% * 2, 10% / 4), and a rate of
    // a rate or a ratio of rates is a plain number (10% * 10%, 10% / 5%).
    // `1 + rate` is a plain number (1.1). Quantities never show as percentages.
    /// `r`, the result of `x op y`, marked by `rule` when either operand is
    /// a percentage (arithmetic results are never marked themselves, so the
    /// common case is one test of two flags).
    @inline(__always)
    static func marked(_ r: ExactDecimal, _ x: ExactDecimal, _ y: ExactDecimal, _ rule: (ExactDecimal, ExactDecimal) -> Bool) -> ExactDecimal {
        guard x.isPercent || y.isPercent else { return r }
        return r.percent(rule(x, y))
    }
    @inline(__always) static func percentSum(_ x: ExactDecimal, _ y: ExactDecimal) -> Bool { x.isPercent && y.isPercent }
    @inline(__always) static func percentProduct(_ x: ExactDecimal, _ y: ExactDecimal) -> Bool { x.isPercent != y.isPercent }
    @inline(__always) static func percentQuotient(_ x: ExactDecimal, _ y: ExactDecimal) -> Bool { x.isPercent && !y.isPercent }

    // MARK: + and -

    // MARK: plain numbers: the one place each operation's mark is decided

    @inline(__always) static func sum(_ x: ExactDecimal, _ y: ExactDecimal) throws -> ExactDecimal {
        marked(try wrap { try ExactDecimal.add(x, y) }, x, y, percentSum)
    }
    @inline(__always) static func difference(_ x: ExactDecimal, _ y: ExactDecimal) throws -> ExactDecimal {
        marked(try wrap { try ExactDecimal.subtract(x, y) }, x, y, percentSum)
    }
    @inline(__always) static func product(_ x: ExactDecimal, _ y: ExactDecimal) throws -> ExactDecimal {
        marked(try wrap { try ExactDecimal.multiply(x, y) }, x, y, percentProduct)
    }
    @inline(__always) static func quotient(_ x: ExactDecimal, _ y: ExactDecimal) throws -> ExactDecimal {
        marked(try wrap { try ExactDecimal.divide(x, y) }, x, y, percentQuotient)
    }

    @inline(__always)
    static func add(_ a: Value, _ b: Value) throws -> Value {
        if case .number(let x) = a, case .number(let y) = b { return .number(try sum(x, y)) }
        return try addSlow(a, b, negate: false)
    }

    @inline(__always)
    static func subtract(_ a: Value, _ b: Value) throws -> Value {
        if case .number(let x) = a, case .number(let y) = b { return .number(try difference(x, y)) }
        return try addSlow(a, b, negate: true)
    }

    /// The start of a sum (`sum`, a fused pipeline's `sum`) before `first`,
    /// its first item: a zero with the item's percentage mark, so rates sum
    /// to a rate as `10% + 5%` does (an unmarked 0 would make it a plain
    /// number). An empty sum is a plain 0.
    static func sumStart(_ first: Value) -> Value {
        if case .number(let x) = first { return .number(sumStart(x)) }
        return .number(.zero)
    }
    @inline(__always) static func sumStart(_ first: ExactDecimal) -> ExactDecimal { ExactDecimal.zero.percent(first.isPercent) }

    static func addSlow(_ a: Value, _ b: Value, negate: Bool) throws -> Value {
        let op = negate ? "-" : "+"
        switch (a, b) {
        case (.quantity(var x, var u), .quantity(var y, let v)):
            if u != v {
                // Durations of different units: the sum is in the finer unit.
                guard units.sameDimension(u, v) else { throw mismatch(op, a, b) }
                if try wrap({ try units.conversionFactor(from: u, to: v) }) > .one {
                    x = try convert(x, from: u, to: v, op: op, a, b)
                    u = v
                } else {
                    y = try convert(y, from: v, to: u, op: op, a, b)
                }
            }
            return .quantity(try wrap { negate ? try ExactDecimal.subtract(x, y) : try ExactDecimal.add(x, y) }, u)
        case (.quantity(let x, let u), .number(let y)) where y.isZero:
            return .quantity(try wrap { try x.plus() }, u)
        case (.number(let x), .quantity(let y, let u)) where x.isZero:
            return .quantity(negate ? try wrap { try y.minus() } : try wrap { try y.plus() }, u)
        case (.time(let t), .quantity(let d, let u)) where units.isDuration(u):
            return try shifted(t, by: d, u, negate: negate)
        case (.quantity(let d, let u), .time(let t)) where !negate && units.isDuration(u):
            return try shifted(t, by: d, u, negate: false)
        case (.time(let t1), .time(let t2)) where negate:
            let (s, o) = t1.seconds.subtractingReportingOverflow(t2.seconds)
            if o { throw EvalError("time out of range") }
            if t1.nanos == t2.nanos { return duration(seconds: s) }
            // A fraction of a second: exact, in seconds.
            let ns = ExactDecimal(coefficient: Int128(s) * 1_000_000_000 + Int128(t1.nanos - t2.nanos), exponent: -9)
            return .quantity(try wrap { try ns.plus() }, units.seconds)
        case (.date(let d), .quantity(let q, let u)) where units.isDuration(u):
            let secs = try durationSeconds(q, u)
            guard secs % 86_400 == 0 else { throw EvalError("a date moves by whole days only", help: "add days, e.g. d + 3 days") }
            let days = secs / 86_400
            let (n, o) = negate ? d.days.subtractingReportingOverflow(days) : d.days.addingReportingOverflow(days)
            guard !o, Operators.validDays.contains(n) else { throw EvalError("date out of range (years 1 to 9999)") }
            return .date(CivilDate(days: n))
        case (.date(let d1), .date(let d2)) where negate:
            return .quantity(ExactDecimal(Int(d1.days - d2.days)), units.named("days"))
        case (.text(let x), .text(let y)) where !negate:
            return .text(x + y)
        case (.list(let x), .list(let y)) where !negate:
            return .list(x.array + y.array)
        default:
            throw mismatch(op, a, b)
        }
    }

    /// Times and dates stay within years 1 to 9999 (ISO 8601's four-digit years).
    static let validDays: ClosedRange<Int64> = -719_162...2_932_896
    static let validSeconds: ClosedRange<Int64> = (-719_162 * 86_400)...(2_932_897 * 86_400 - 1)

    static func checkedTime(_ s: Int64, _ overflow: Bool, _ offset: Int32, nanos: Int32 = 0) throws -> Value {
        guard !overflow, validSeconds.contains(s) else { throw EvalError("time out of range (years 1 to 9999)") }
        return .time(Instant(seconds: s, offsetMinutes: offset, nanos: nanos))
    }

    /// `t ± d` for a duration `d` in unit `u`, to the nanosecond.
    static func shifted(_ t: Instant, by d: ExactDecimal, _ u: UnitID, negate: Bool) throws -> Value {
        let secs = try wrap { try ExactDecimal.multiply(d, units.conversionFactor(from: u, to: units.seconds)) }
        let ns = try wrap { try ExactDecimal.multiply(secs, ExactDecimal(coefficient: 1, exponent: 9)) }
        guard ns.isInteger, let n = ns.intValue else {
            throw EvalError(ns.isInteger ? "time out of range (years 1 to 9999)" : "durations added to times must be whole nanoseconds")
        }
        let total = Int128(t.nanos) + (negate ? -Int128(n) : Int128(n))
        // Floor division: nanoseconds stay within 0..<1e9.
        var carry = total / 1_000_000_000, rest = total % 1_000_000_000
        if rest < 0 { rest += 1_000_000_000; carry -= 1 }
        guard let c = Int64(exactly: carry) else { throw EvalError("time out of range (years 1 to 9999)") }
        let (s, o) = t.seconds.addingReportingOverflow(c)
        return try checkedTime(s, o, t.offsetMinutes, nanos: Int32(rest))
    }

    static func convert(_ y: ExactDecimal, from v: UnitID, to u: UnitID, op: String, _ a: Value, _ b: Value) throws -> ExactDecimal {
        if u == v { return y }
        guard units.sameDimension(u, v) else { throw mismatch(op, a, b) }
        return try wrap { try ExactDecimal.multiply(y, units.conversionFactor(from: v, to: u)) }
    }

    static func durationSeconds(_ d: ExactDecimal, _ u: UnitID) throws -> Int64 {
        let s = try wrap { try ExactDecimal.multiply(d, units.conversionFactor(from: u, to: units.seconds)) }
        guard s.isInteger, let i = s.intValue else { throw EvalError("durations added to times must be whole seconds") }
        return Int64(i)
    }

    /// A duration in the largest unit that divides it exactly.
    static func duration(seconds s: Int64) -> Value {
        for (name, len) in UnitRegistry.durations.reversed() where s % Int64(len) == 0 {
            return .quantity(ExactDecimal(Int(s / Int64(len))), units.named(name))
        }
        return .quantity(ExactDecimal(Int(s)), units.seconds)
    }

    // MARK: * / ^

    @inline(__always)
    static func multiply(_ a: Value, _ b: Value) throws -> Value {
        if case .number(let x) = a, case .number(let y) = b { return .number(try product(x, y)) }
        switch (a, b) {
        case (.quantity(let x, let u), .number(let y)), (.number(let y), .quantity(let x, let u)):
            return .quantity(try wrap { try ExactDecimal.multiply(x, y) }, u)
        case (.quantity(let x, let u), .quantity(let y, let v)):
            return try compound(x, y, u, v, power: 1, divide: false)
        default:
            throw mismatch("*", a, b)
        }
    }

    @inline(__always)
    static func divide(_ a: Value, _ b: Value) throws -> Value {
        if case .number(let x) = a, case .number(let y) = b { return .number(try quotient(x, y)) }
        switch (a, b) {
        case (.quantity(let x, let u), .number(let y)):
            return .quantity(try wrap { try ExactDecimal.divide(x, y) }, u)
        case (.number(let x), .quantity(let y, let v)):
            let (unit, f) = try combine(nil, v, power: -1)
            let q = try wrap { try ExactDecimal.multiply(ExactDecimal.divide(x, y), f) }
            return unit.map { .quantity(q, $0) } ?? .number(q)
        case (.quantity(let x, let u), .quantity(let y, let v)):
            return try compound(x, y, u, v, power: -1, divide: true)
        default:
            throw mismatch("/", a, b)
        }
    }

    static func compound(_ x: ExactDecimal, _ y: ExactDecimal, _ u: UnitID, _ v: UnitID, power: Int, divide: Bool) throws -> Value {
        if divide && u == v { return .number(try wrap { try ExactDecimal.divide(x, y) }) }
        let (unit, f) = try combine(u, v, power: power)
        let q = try wrap { try ExactDecimal.multiply(divide ? ExactDecimal.divide(x, y) : ExactDecimal.multiply(x, y), f) }
        return unit.map { .quantity(q, $0) } ?? .number(q)
    }

    static func power(_ a: Value, _ b: Value) throws -> Value {
        guard case .number(let e) = b else {
            if case .none = b { throw noneError("^") }
            throw EvalError("an exponent must be a plain number, not \(describe(b))")
        }
        switch a {
        case .number(let x):
            if let n = e.intValue, n.magnitude <= 1_000_000_000 { return .number(try wrap { try ExactDecimal.power(x, n) }) }
            if e.isInteger { throw EvalError("exponent \(e) is too large") }
            let d = Foundation.pow(x.doubleValue, e.doubleValue)
            guard let r = ExactDecimal(d) else {
                throw EvalError("\(x) ^ \(e) has no real value", help: x.isNegative ? "a negative number has no real fractional power" : nil)
            }
            return .number(r)
        case .quantity(let x, let u):
            guard let n = e.intValue, n.magnitude <= 64 else {
                throw EvalError("a quantity can only be raised to a whole power", help: "divide by its unit first: (q / \(units.name(u))) ^ x")
            }
            let q = try wrap { try ExactDecimal.power(x, n) }  // 0 ^ 0 is an error here too
            if n == 0 { return .number(q) }
            let (unit, _) = try combine(nil, u, power: n)
            return unit.map { .quantity(q, $0) } ?? .number(q)
        default:
            throw mismatch("^", a, b)
        }
    }

    static func negate(_ a: Value) throws -> Value {
        switch a {
        case .number(let x): return .number(try wrap { try x.minus() })
        case .quantity(let x, let u): return .quantity(try wrap { try x.minus() }, u)
        case .distribution(let d): return Distribution.negated(d)
        case .none: throw noneError("-")
        default: throw EvalError("cannot negate \(describe(a))")
        }
    }

    // MARK: comparison

    /// Ordering for `< <= > >=` and sorting: numbers, quantities of one
    /// dimension, texts (by Unicode scalars), times, dates, bools; lists item
    /// by item, each pair counted on `m` (when given) as a walk, so sorting
    /// values with shared structure ends at a limit.
    static func compare(_ a: Value, _ b: Value, _ m: Machine? = nil) throws -> Int {
        switch (a, b) {
        case (.number(let x), .number(let y)): return ExactDecimal.compare(x, y)
        case (.quantity(let x, let u), .quantity(let y, let v)):
            let y2 = try convert(y, from: v, to: u, op: "<", a, b)
            return ExactDecimal.compare(x, y2)
        case (.quantity(let x, _), .number(let y)) where y.isZero: return x.signum
        case (.number(let x), .quantity(let y, _)) where x.isZero: return -y.signum
        case (.text(let x), .text(let y)):
            if x == y { return 0 }
            return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars) ? -1 : 1
        case (.time(let x), .time(let y)): return Instant.compare(x, y)
        case (.date(let x), .date(let y)): return x.days < y.days ? -1 : (x.days == y.days ? 0 : 1)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        case (.list(let x), .list(let y)):
            if Value.sameStorage(x, y) { return 0 }
            try m?.charge(min(x.count, y.count))
            for (p, q) in zip(x, y) { let c = try compare(p, q, m); if c != 0 { return c } }
            return x.count < y.count ? -1 : (x.count == y.count ? 0 : 1)
        default:
            throw mismatch("<", a, b)
        }
    }

    /// Whether a value is in a range, from its order against the lower end
    /// and (asked only when it is at or after that) the upper end, each as
    /// `compare` gives it: at or after the lower, before the upper (or at
    /// it, for a closed range). Column plans over a time column use it too.
    @inline(__always)
    static func inRange(after lower: Int, before upper: @autoclosure () throws -> Int, closed: Bool) rethrows -> Bool {
        guard lower >= 0 else { return false }
        let hi = try upper()
        return closed ? hi <= 0 : hi < 0
    }

    /// `x in r`: a range, a list or a text.
    static func contains(_ container: Value, _ x: Value, _ m: Machine? = nil) throws -> Bool {
        switch container {
        case .range(let r):
            if case .none = x { return false }
            return try inRange(after: compare(x, r.lower), before: compare(x, r.upper), closed: r.closed)
        case .list(let items):
            if let m { return try items.contains { try Value.equal($0, x, m) } }
            return items.contains { Value.equal($0, x) }
        case .text(let s):
            guard case .text(let sub) = x else { throw EvalError("'in' on a text needs a text on the left, not \(describe(x))") }
            return sub.isEmpty || (TextBytes.contains(s, sub) ?? s.contains(sub))
        case .record(let r):
            guard case .text(let name) = x else { return false }
            return r.shape.slot(name) != nil
        default:
            throw EvalError("'in' needs a range, list or text on the right, not \(describe(container))")
        }
    }
}

extension Value {
    /// Equality: numbers by value (`1.0 == 1`), quantities after conversion,
    /// values of different kinds are unequal, none equals only none.
    public static func equal(_ a: Value, _ b: Value) -> Bool {
        equal(a, b) { (_: Int) throws(Never) in }
    }

    /// Whether two lists are one list (the same storage): then they are
    /// equal, and compare as 0, without a walk.
    @inline(__always)
    static func sameStorage(_ a: ValueList, _ b: ValueList) -> Bool {
        if a.isIdentical(to: b) { return true }
        let x = a.array, y = b.array
        return x.count == y.count && x.withUnsafeBufferPointer { p in y.withUnsafeBufferPointer { q in p.baseAddress == q.baseAddress } }
    }

    /// Equality that counts its work: one step per element compared, so
    /// comparing values with shared structure (a list doubled 60 times is
    /// 2^60 elements to walk) ends at the step limit or the deadline.
    public static func equal(_ a: Value, _ b: Value, _ m: Machine) throws -> Bool {
        try equal(a, b) { n in try m.charge(n) }
    }

    /// Equality, calling `tick` with the number of elements of each pair of
    /// lists or records it compares. Lists sharing their storage are equal
    /// without a walk.
    static func equal<E: Error>(_ a: Value, _ b: Value, tick: (Int) throws(E) -> Void) throws(E) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.quantity(let x, let u), .quantity(let y, let v)):
            if u == v { return x == y }
            guard let y2 = try? Operators.convert(y, from: v, to: u, op: "==", a, b) else { return false }
            return x == y2
        case (.quantity(let x, _), .number(let y)), (.number(let y), .quantity(let x, _)): return x.isZero && y.isZero
        case (.text(let x), .text(let y)): return x == y
        case (.time(let x), .time(let y)): return x == y
        case (.date(let x), .date(let y)): return x == y
        case (.list(let x), .list(let y)):
            guard x.count == y.count else { return false }
            if Value.sameStorage(x, y) { return true }
            try tick(x.count)
            for (p, q) in zip(x, y) where try !equal(p, q, tick: tick) { return false }
            return true
        case (.record(let x), .record(let y)):
            if x.isIdentical(to: y) { return true }
            guard Set(x.shape.names) == Set(y.shape.names) else { return false }
            try tick(x.count)
            for n in x.shape.names where try !equal(x[n] ?? .none, y[n] ?? .none, tick: tick) { return false }
            return true
        case (.range(let x), .range(let y)):
            guard x.closed == y.closed, try equal(x.lower, y.lower, tick: tick) else { return false }
            return try equal(x.upper, y.upper, tick: tick)
        case (.function(let x), .function(let y)): return x === y
        case (.model(let x), .model(let y)): return x === y
        default: return false
        }
    }
}

import Foundation
