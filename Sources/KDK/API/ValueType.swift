import Foundation

/// The type of a kdk value as a host sees it: what an input must hold
/// (`Engine.define(_:as:)`), what a program gives (`Program.resultType`),
/// what a host function takes and returns. The checker uses it before any
/// data exists: a field a record type lacks is a compile error.
///
///     let post: ValueType = .record(["id": .number, "author": .text, "likes": .number])
///     engine.define("p", as: post)                  // or: as: Post.self (a Decodable)
public indirect enum ValueType: Sendable, Equatable, CustomStringConvertible {
    /// Not known before running; any value.
    case any
    case bool
    /// A plain number (no unit).
    case number
    /// An amount in this unit (`"USD"`).
    case quantity(unit: String)
    case text
    case time
    case date
    /// A list whose items all have this type.
    case list(of: ValueType)
    /// A record with exactly these fields, in this order.
    case record([Field])
    /// This type, or none.
    case optional(ValueType)
    /// A function (a lambda, a `fn`, a library function).
    case function

    /// One field of a record type.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var type: ValueType
        public init(_ name: String, _ type: ValueType) { self.name = name; self.type = type }
    }

    /// A record type from `["id": .number, ...]`, fields in the order written.
    public static func record(_ fields: KeyValuePairs<String, ValueType>) -> ValueType {
        .record(fields.map { Field($0.key, $0.value) })
    }

    /// The type `ValueEncoder` gives values of the Swift type `T` (structs
    /// are records of their coding keys, arrays lists, optionals may be none,
    /// `Date` a time, integers and `Decimal` numbers). Throws when `T`
    /// decodes in a way that cannot be read without data (a custom `init(from:)`
    /// that branches on the data it finds).
    public static func of<T: Decodable>(_ type: T.Type) throws -> ValueType {
        try TypeProbe.type(of: type)
    }

    public var description: String {
        switch self {
        case .any: return "any value"
        case .bool: return "bool"
        case .number: return "number"
        case .quantity(let u): return "quantity in \(u)"
        case .text: return "text"
        case .time: return "time"
        case .date: return "date"
        case .list(let e): return e == .any ? "list" : "list of \(e)"
        case .record(let fs): return "record {" + fs.map { "\($0.name): \($0.type)" }.joined(separator: ", ") + "}"
        case .optional(let t): return "\(t) or none"
        case .function: return "function"
        }
    }

    /// Why `value` is not of this type (nil when it is), naming the field or
    /// item at fault: "field 'likes' is missing", "item 3: text, not a number".
    /// Walks only as deep as the type, and each list item once.
    public func mismatch(_ value: Value) -> String? {
        switch (self, value) {
        case (.any, _): return nil
        case (.optional, .none): return nil
        case (.optional(let t), _): return t.mismatch(value)
        case (.bool, .bool), (.number, .number), (.text, .text), (.time, .time), (.date, .date), (.function, .function):
            return nil
        case (.quantity(let u), .quantity(_, let v)):
            return UnitRegistry.shared.sameDimension(UnitRegistry.shared.named(u), v) ? nil
                : "\(ValueType.shown(value)), not an amount in \(u)"
        case (.list(let e), .list(let items)):
            for (i, item) in items.enumerated() {
                if let why = e.mismatch(item) { return "item \(i + 1): \(why)" }
            }
            return nil
        case (.record(let fields), .record(let r)):
            for f in fields {
                guard let v = r[f.name] else {
                    if case .optional = f.type { continue }
                    return "field '\(f.name)' is missing"
                }
                if let why = f.type.mismatch(v) { return "field '\(f.name)': \(why)" }
            }
            return nil
        default:
            return "\(ValueType.shown(value)), not \(self.withArticle)"
        }
    }

    /// Whether a value of type `self` may be what a host expecting `wanted`
    /// gets: false only when that is certain not to be so.
    public func canBe(_ wanted: ValueType) -> Bool {
        switch (self, wanted) {
        case (.any, _), (_, .any): return true
        case (.optional(let a), .optional(let b)): return a.canBe(b)
        case (_, .optional(let b)): return canBe(b)
        case (.optional(let a), _): return a.canBe(wanted)
        case (.quantity(let a), .quantity(let b)):
            return UnitRegistry.shared.sameDimension(UnitRegistry.shared.named(a), UnitRegistry.shared.named(b))
        case (.list(let a), .list(let b)): return a.canBe(b)
        case (.record(let have), .record(let want)):
            // Every field the host needs is there (extra fields are fine).
            return want.allSatisfy { w in
                if let h = have.first(where: { $0.name == w.name }) { return h.type.canBe(w.type) }
                if case .optional = w.type { return true }
                return false
            }
        default: return self == wanted
        }
    }

    /// A value as a message shows it: a scalar as written (`5 KDK`, text
    /// cut at 40 characters), anything else by its kind (`a list`).
    static func shown(_ v: Value) -> String {
        switch v {
        case .number, .quantity, .bool, .time, .date: return v.literal()
        case .text(let s): return s.count > 40 ? Value.text(String(s.prefix(40))).literal() + "..." : v.literal()
        case .none: return "none"
        case .model(let m): return "a \(m.kind.name)"
        default: return "a \(v.typeName)"
        }
    }

    /// "a number", "an amount in USD", "a record {...}".
    var withArticle: String {
        switch self {
        case .any: return "any value"
        case .quantity(let u): return "an amount in \(u)"
        case .optional(let t): return "\(t.withArticle) or none"
        default: return "a \(self)"
        }
    }

    /// What the checker knows of a value of this type; `input` names the
    /// host's input it is (or whose items it is), for messages.
    func checkerType(input: String? = nil) -> UType {
        checkerType(origin: input.map { .input($0, item: false) })
    }

    private func checkerType(origin: ShapeOrigin?) -> UType {
        switch self {
        case .number: return .plain
        case .quantity(let u): return .unit(UnitRegistry.shared.named(u))
        case .list(let e): return e.checkerType(origin: origin?.items).listOf
        case .record(let fs):
            return .shaped(.record(fields: fs.map { $0.name }, types: fs.map { $0.type.checkerType() }, origin: origin))
        case .bool, .text, .time, .date, .function: return .other
        case .any, .optional: return .unknown
        }
    }

    /// The type the checker's knowledge `t` describes (`any` where it knows nothing).
    static func from(_ t: UType) -> ValueType {
        switch t {
        case .plain, .zero: return .number
        case .unit(let u): return .quantity(unit: UnitRegistry.shared.name(u))
        case .shaped(.list(let e)): return .list(of: from(e))
        case .shaped(.record(let fields, let types, _)): return .record(zip(fields, types).map { Field($0, from($1)) })
        case .other, .unknown: return .any
        }
    }
}
