/// Value arithmetic with kdk's rules (exact decimals, unit checks), for model
/// kinds and hosts written in Swift.
public enum Arithmetic {
    public static func add(_ a: Value, _ b: Value) throws -> Value { try Operators.add(a, b) }
    public static func subtract(_ a: Value, _ b: Value) throws -> Value { try Operators.subtract(a, b) }
    public static func multiply(_ a: Value, _ b: Value) throws -> Value { try Operators.multiply(a, b) }
    public static func divide(_ a: Value, _ b: Value) throws -> Value { try Operators.divide(a, b) }
    /// -1, 0 or 1; an error for values that do not order (different units, kinds).
    public static func compare(_ a: Value, _ b: Value) throws -> Int { try Operators.compare(a, b) }
    public static func contains(_ container: Value, _ x: Value) throws -> Bool { try Operators.contains(container, x) }
    public static func describe(_ v: Value) -> String { Operators.describe(v) }
}
