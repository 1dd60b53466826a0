/// Value arithmetic with kdk's rules (exact decimals, unit checks), for model
/// kinds and hosts written in Swift.
public enum Arithmetic {
    /// Sum with the unit rules (same units; durations convert; 0 goes with any unit).
    public static func add(_ a: Value, _ b: Value) throws -> Value { try Operators.add(a, b) }
    /// Difference with the unit rules.
    public static func subtract(_ a: Value, _ b: Value) throws -> Value { try Operators.subtract(a, b) }
    /// Product; units multiply into compound units.
    public static func multiply(_ a: Value, _ b: Value) throws -> Value { try Operators.multiply(a, b) }
    /// Quotient; `q / q` of one unit is a plain number. Division by zero throws.
    public static func divide(_ a: Value, _ b: Value) throws -> Value { try Operators.divide(a, b) }
    /// -1, 0 or 1; an error for values that do not order (different units, kinds).
    public static func compare(_ a: Value, _ b: Value) throws -> Int { try Operators.compare(a, b) }
    /// `x in container` for a range, list, text or record.
    public static func contains(_ container: Value, _ x: Value) throws -> Bool { try Operators.contains(container, x) }
    /// How a value is named in error messages ("a list", "USD").
    public static func describe(_ v: Value) -> String { Operators.describe(v) }
}
