import Foundation

/// Reads the `ValueType` of a `Decodable` Swift type without data: it runs
/// the type's `init(from:)` against a decoder that answers every request
/// with a placeholder and notes what was asked for (the keys, and the type
/// read at each). Swift has no other way to list a Codable type's keys;
/// `ValueEncoder` maps the same types the same way.
enum TypeProbe {
    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    /// How deep nested types are followed (a recursive type stops here as `any`).
    static let maxDepth = 24

    static func type<T: Decodable>(of t: T.Type) throws -> ValueType {
        do { return try probe(t, depth: 0).0 } catch let e as Unreadable { throw e } catch {
            throw Unreadable(description: "cannot tell the kdk type of \(T.self) without data (its init(from:) needs real values: \(error)); declare a ValueType instead")
        }
    }

    /// The type of `T` and a placeholder instance of it.
    static func probe<T: Decodable>(_ t: T.Type, depth: Int) throws -> (ValueType, T) {
        if let (type, value) = scalar(t) { return (type, value) }
        if let o = T.self as? OptionalProbe.Type {
            let (inner, _) = try o.wrappedType(depth: depth)
            return (.optional(inner), o.none as! T)  // `o` is `T`'s own Optional type
        }
        let d = ProbeDecoder(depth: depth)
        let value = try T(from: d)
        return (d.result(), value)
    }

    /// The types `ValueEncoder` encodes as one kdk scalar, with a placeholder.
    static func scalar<T>(_ t: T.Type) -> (ValueType, T)? {
        let found: (ValueType, Any)?
        switch t {
        case is Bool.Type: found = (.bool, false)
        case is String.Type: found = (.text, "")
        case is Date.Type: found = (.time, Date(timeIntervalSince1970: 0))
        case is URL.Type: found = (.text, URL(fileURLWithPath: "/"))
        case is Foundation.Decimal.Type: found = (.number, Foundation.Decimal(0))
        case is Double.Type: found = (.number, 0.0)
        case is Float.Type: found = (.number, Float(0))
        case is Int.Type: found = (.number, 0)
        case is Int8.Type: found = (.number, Int8(0))
        case is Int16.Type: found = (.number, Int16(0))
        case is Int32.Type: found = (.number, Int32(0))
        case is Int64.Type: found = (.number, Int64(0))
        case is UInt.Type: found = (.number, UInt(0))
        case is UInt8.Type: found = (.number, UInt8(0))
        case is UInt16.Type: found = (.number, UInt16(0))
        case is UInt32.Type: found = (.number, UInt32(0))
        case is UInt64.Type: found = (.number, UInt64(0))
        case is Value.Type: found = (.any, Value.none)
        default: found = nil
        }
        return found.flatMap { f in (f.1 as? T).map { (f.0, $0) } }
    }
}

/// `Optional<Wrapped>` as the probe sees it: the wrapped type, and nil.
protocol OptionalProbe {
    static func wrappedType(depth: Int) throws -> (ValueType, Any)
    static var none: Any { get }
}

extension Optional: OptionalProbe where Wrapped: Decodable {
    static func wrappedType(depth: Int) throws -> (ValueType, Any) {
        let (t, v) = try TypeProbe.probe(Wrapped.self, depth: depth)
        return (t, v)
    }
    // Not `Optional<Wrapped>.none`: inside this extension that names this
    // very property, and would call itself forever.
    static var none: Any { let nothing: Wrapped? = nil; return nothing as Any }
}

/// The decoder the probe runs a type's `init(from:)` against.
private final class ProbeDecoder: Decoder {
    let depth: Int
    var codingPath: [CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]
    /// What was asked for: a record's fields, a list's item type, one scalar.
    var fields: [ValueType.Field] = []
    var nullable: Set<String> = []
    var isRecord = false
    /// Keys come from the data (`allKeys`: a dictionary): any record.
    var keysFromData = false
    var item: ValueType?
    var isList = false
    var single: ValueType?

    init(depth: Int) { self.depth = depth }

    func result() -> ValueType {
        if keysFromData { return .any }
        if isRecord {
            return .record(fields.map { f in nullable.contains(f.name) && !isOptional(f.type) ? ValueType.Field(f.name, .optional(f.type)) : f })
        }
        if isList { return .list(of: item ?? .any) }
        return single ?? .any
    }

    private func isOptional(_ t: ValueType) -> Bool { if case .optional = t { return true }; return false }

    func child<T: Decodable>(_ t: T.Type) throws -> (ValueType, T) {
        guard depth < TypeProbe.maxDepth else {
            throw TypeProbe.Unreadable(description: "\(T.self) nests more than \(TypeProbe.maxDepth) levels deep (a recursive type?); declare a ValueType instead")
        }
        return try TypeProbe.probe(t, depth: depth + 1)
    }

    func note(_ key: String, _ t: ValueType) {
        if !fields.contains(where: { $0.name == key }) { fields.append(ValueType.Field(key, t)) }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        isRecord = true
        return KeyedDecodingContainer(Keyed<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer { isList = true; return Unkeyed(decoder: self) }

    func singleValueContainer() throws -> SingleValueDecodingContainer { Single(decoder: self) }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: ProbeDecoder
        var codingPath: [CodingKey] { [] }
        var allKeys: [Key] { decoder.keysFromData = true; return [] }
        func contains(_ key: Key) -> Bool { true }
        func decodeNil(forKey key: Key) throws -> Bool { decoder.nullable.insert(key.stringValue); return false }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try field(type, key) }
        func field<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
            let (t, v) = try decoder.child(type)
            decoder.note(key.stringValue, t)
            return v
        }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try field(type, key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try field(type, key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try field(type, key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try field(type, key) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try field(type, key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try field(type, key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try field(type, key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try field(type, key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try field(type, key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try field(type, key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try field(type, key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try field(type, key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try field(type, key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try field(type, key) }
        func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) throws -> KeyedDecodingContainer<N> {
            throw TypeProbe.Unreadable(description: "nested containers are not read without data")
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
            throw TypeProbe.Unreadable(description: "nested containers are not read without data")
        }
        func superDecoder() throws -> Decoder { decoder }
        func superDecoder(forKey key: Key) throws -> Decoder { decoder }
    }

    /// A list of one item (of none, past the depth limit): enough to learn the item type.
    struct Unkeyed: UnkeyedDecodingContainer {
        let decoder: ProbeDecoder
        var codingPath: [CodingKey] { [] }
        var count: Int? { nil }
        var currentIndex = 0
        var isAtEnd: Bool { currentIndex > 0 }
        mutating func decodeNil() throws -> Bool { false }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type) }
        mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) }
        mutating func decode(_ type: String.Type) throws -> String { try next(type) }
        mutating func decode(_ type: Double.Type) throws -> Double { try next(type) }
        mutating func decode(_ type: Float.Type) throws -> Float { try next(type) }
        mutating func decode(_ type: Int.Type) throws -> Int { try next(type) }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) }
        mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type) }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) }
        mutating func next<T: Decodable>(_ type: T.Type) throws -> T {
            currentIndex += 1
            let (t, v) = try decoder.child(type)
            decoder.item = t
            return v
        }
        mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> {
            throw TypeProbe.Unreadable(description: "nested containers are not read without data")
        }
        mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
            throw TypeProbe.Unreadable(description: "nested containers are not read without data")
        }
        mutating func superDecoder() throws -> Decoder { decoder }
    }

    struct Single: SingleValueDecodingContainer {
        let decoder: ProbeDecoder
        var codingPath: [CodingKey] { [] }
        func decodeNil() -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try value(type) }
        func decode(_ type: Bool.Type) throws -> Bool { try value(type) }
        func decode(_ type: String.Type) throws -> String { try value(type) }
        func decode(_ type: Double.Type) throws -> Double { try value(type) }
        func decode(_ type: Float.Type) throws -> Float { try value(type) }
        func decode(_ type: Int.Type) throws -> Int { try value(type) }
        func decode(_ type: Int8.Type) throws -> Int8 { try value(type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try value(type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try value(type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try value(type) }
        func decode(_ type: UInt.Type) throws -> UInt { try value(type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try value(type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try value(type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try value(type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try value(type) }
        func value<T: Decodable>(_ type: T.Type) throws -> T {
            let (t, v) = try decoder.child(type)
            decoder.single = t
            return v
        }
    }
}
