import Foundation

/// Conversions between kdk values and Swift values. Numbers convert exactly
/// from and to `Int` and Foundation's `Decimal`; `Double` is explicit and
/// lossy (a binary float has no exact decimal).
extension Value {
    /// An exact whole number.
    public init(_ i: Int) { self = .number(ExactDecimal(i)) }
    /// A text.
    public init(_ s: String) { self = .text(s) }
    /// A bool.
    public init(_ b: Bool) { self = .bool(b) }
    /// A list.
    public init(_ items: [Value]) { self = .list(items) }

    /// A record with fields in the given order.
    public init(record fields: KeyValuePairs<String, Value>) {
        self = .record(Record.make(fields.map { ($0.key, $0.value) }))
    }

    /// A record with fields in the given order.
    public init(record fields: [(String, Value)]) {
        self = .record(Record.make(fields))
    }

    /// An exact number from Foundation's `Decimal` (38 digits at most).
    public init?(_ d: Foundation.Decimal) {
        guard let x = ExactDecimal(parsing: Substring(NSDecimalNumber(decimal: d).stringValue)) else { return nil }
        self = .number(x)
    }

    /// A number from a binary float: the shortest decimal that reads back as
    /// the same `Double` (0.1, not 0.1000000000000000055...); nil for NaN
    /// and infinities.
    public init?(approximating d: Double) {
        guard d.isFinite, let x = ExactDecimal(parsing: Substring(d.description)) else { return nil }
        self = .number(x.normalized())
    }

    /// An amount in a unit, e.g. `Value(amount: 2000, unit: "KDK")`.
    public init?(amount: Foundation.Decimal, unit: String) {
        guard case .number(let x)? = Value(amount) else { return nil }
        self = .quantity(x, UnitRegistry.shared.named(unit))
    }

    /// An instant; shown in UTC unless an offset is given.
    public init(_ date: Date, offsetMinutes: Int = 0) {
        // Whole seconds and the fraction, to the nanosecond (what a Double's 53 bits carry near today is about 0.2 µs).
        // A Date beyond years 1-9999 (or not finite) is kept at that range's
        // edge rather than trapping; arithmetic on it then reports the range.
        let t = date.timeIntervalSince1970
        let whole = t.isFinite ? min(max(t.rounded(.down), Double(Operators.validSeconds.lowerBound)), Double(Operators.validSeconds.upperBound)) : 0
        let nanos = t.isFinite && whole == t.rounded(.down) ? min(999_999_999, max(0, Int32(((t - whole) * 1e9).rounded()))) : 0
        self = .time(Instant(seconds: Int64(whole), offsetMinutes: Int32(clamping: offsetMinutes), nanos: nanos))
    }

    /// A whole number that fits `Int`; nil otherwise.
    public var int: Int? { if case .number(let d) = self { return d.intValue }; return nil }
    /// The bool, if this is one.
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    /// The text, if this is one.
    public var string: String? { if case .text(let s) = self { return s }; return nil }
    /// The items, if this is a list.
    public var list: [Value]? { if case .list(let l) = self { return l.array }; return nil }
    /// The amount of a number or quantity as Foundation's `Decimal`.
    public var decimal: Foundation.Decimal? {
        switch self {
        case .number(let d), .quantity(let d, _): return Foundation.Decimal(string: d.description, locale: Locale(identifier: "en_US_POSIX"))
        default: return nil
        }
    }
    /// The amount as a binary float: lossy, and so explicit.
    public var approximateDouble: Double? {
        switch self {
        case .number(let d), .quantity(let d, _): return d.doubleValue
        default: return nil
        }
    }
    /// The unit's name for a quantity.
    public var unitName: String? { if case .quantity(_, let u) = self { return UnitRegistry.shared.name(u) }; return nil }
    /// A time or date as a `Date` (a date is its midnight UTC).
    public var date: Date? {
        switch self {
        case .time(let t): return Date(timeIntervalSince1970: TimeInterval(t.seconds) + TimeInterval(t.nanos) / 1e9)
        case .date(let d): return Date(timeIntervalSince1970: TimeInterval(d.days * 86_400))
        default: return nil
        }
    }
    /// A record's fields, in order.
    public var fields: [(String, Value)]? { if case .record(let r) = self { return r.fields }; return nil }
    /// A record's field by name.
    public subscript(field name: String) -> Value? { if case .record(let r) = self { return r[name] }; return nil }
}
