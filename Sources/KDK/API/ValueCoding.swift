import Foundation

/// Encodes any `Encodable` Swift value as a kdk value: structs become
/// records (fields in declaration order), arrays lists, optionals none,
/// `Date` a time, `Decimal` and integers exact numbers, `Double` the
/// shortest decimal that reads back as the same `Double`. A `nil` optional
/// is the field with value none (so `r.bonus ?? 0` works), and decodes back
/// as `nil`.
///
///     struct Post: Codable { var id: Int; var author: String; var likes: Int }
///     let v = try ValueEncoder().encode([Post(id: 1, author: "li", likes: 12)])
public struct ValueEncoder {
    /// An encoder/decoder; it has no options.
    public init() {}

    /// The kdk value for `value`.
    public func encode<T: Encodable>(_ value: T) throws -> Value {
        let e = EncoderImpl(codingPath: [])
        try e.box(value)
        return e.result()
    }
}

/// Decodes a kdk value into any `Decodable` Swift type (the inverse of
/// `ValueEncoder`). A number decodes into an integer only when it is whole
/// and in range; into `Double` approximately.
public struct ValueDecoder {
    public init() {}

    /// A `T` read from `value`; throws `DecodingError` naming the field on a mismatch.
    public func decode<T: Decodable>(_ type: T.Type, from value: Value) throws -> T {
        try DecoderImpl(value: value, codingPath: []).unbox(type)
    }
}

// MARK: - Encoding

/// A node being built: a finished value, or a record or list filled by a container.
private final class Node {
    enum Kind { case value(Value), record([(String, Node)]), list([Node]), empty }
    var kind: Kind = .empty
    func value() -> Value {
        switch kind {
        case .value(let v): return v
        case .record(let fs): return .record(Record.make(fs.map { ($0.0, $0.1.value()) }))
        case .list(let items): return .list(items.map { $0.value() })
        case .empty: return .none
        }
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { stringValue = "\(intValue)"; self.intValue = intValue }
}

private final class EncoderImpl: Encoder {
    var codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] = [:]
    let node = Node()
    init(codingPath: [CodingKey]) { self.codingPath = codingPath }

    func result() -> Value { node.value() }

    func box<T: Encodable>(_ v: T) throws {
        switch v {
        case let d as Date: node.kind = .value(Value(d))
        case let d as Foundation.Decimal:
            guard let x = Value(d) else { throw EncodingError.invalidValue(v, .init(codingPath: codingPath, debugDescription: "decimal out of range")) }
            node.kind = .value(x)
        case let u as URL: node.kind = .value(.text(u.absoluteString))
        case let x as Value: node.kind = .value(x)
        default: try v.encode(to: self)
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .record = node.kind {} else { node.kind = .record([]) }
        return KeyedEncodingContainer(Keyed<Key>(encoder: self))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        if case .list = node.kind {} else { node.kind = .list([]) }
        return Unkeyed(encoder: self)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { Single(encoder: self) }

    func child(_ key: CodingKey) -> EncoderImpl { EncoderImpl(codingPath: codingPath + [key]) }

    static func scalar<T: Encodable>(_ v: T, _ path: [CodingKey]) throws -> Value {
        let e = EncoderImpl(codingPath: path)
        try e.box(v)
        return e.result()
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: EncoderImpl
        var codingPath: [CodingKey] { encoder.codingPath }
        func put(_ key: Key, _ n: Node) {
            guard case .record(var fs) = encoder.node.kind else { return }
            if let i = fs.firstIndex(where: { $0.0 == key.stringValue }) { fs[i].1 = n } else { fs.append((key.stringValue, n)) }
            encoder.node.kind = .record(fs)
        }
        func putValue(_ key: Key, _ v: Value) { let n = Node(); n.kind = .value(v); put(key, n) }
        mutating func encodeNil(forKey key: Key) throws { putValue(key, .none) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            let c = encoder.child(key)
            try c.box(value)
            put(key, c.node)
        }
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try encodeOptional(value, key) }
        // Each of these has a default that leaves a nil out; a field kdk code reads must be there.
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeOptional<T: Encodable>(_ value: T?, _ key: Key) throws {
            if let value { try encode(value, forKey: key) } else { putValue(key, .none) }
        }
        mutating func nestedContainer<N: CodingKey>(keyedBy: N.Type, forKey key: Key) -> KeyedEncodingContainer<N> {
            let c = encoder.child(key); put(key, c.node); return c.container(keyedBy: N.self)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
            let c = encoder.child(key); put(key, c.node); return c.unkeyedContainer()
        }
        mutating func superEncoder() -> Encoder { encoder }
        mutating func superEncoder(forKey key: Key) -> Encoder { let c = encoder.child(key); put(key, c.node); return c }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let encoder: EncoderImpl
        var codingPath: [CodingKey] { encoder.codingPath }
        var count: Int { if case .list(let l) = encoder.node.kind { return l.count }; return 0 }
        func append(_ n: Node) { if case .list(var l) = encoder.node.kind { l.append(n); encoder.node.kind = .list(l) } }
        mutating func encodeNil() throws { let n = Node(); n.kind = .value(.none); append(n) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            let c = encoder.child(AnyKey(intValue: count)); try c.box(value); append(c.node)
        }
        mutating func nestedContainer<N: CodingKey>(keyedBy: N.Type) -> KeyedEncodingContainer<N> {
            let c = encoder.child(AnyKey(intValue: count)); append(c.node); return c.container(keyedBy: N.self)
        }
        mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
            let c = encoder.child(AnyKey(intValue: count)); append(c.node); return c.unkeyedContainer()
        }
        mutating func superEncoder() -> Encoder { encoder }
    }

    struct Single: SingleValueEncodingContainer {
        let encoder: EncoderImpl
        var codingPath: [CodingKey] { encoder.codingPath }
        mutating func encodeNil() throws { encoder.node.kind = .value(.none) }
        mutating func encode(_ value: Bool) throws { encoder.node.kind = .value(.bool(value)) }
        mutating func encode(_ value: String) throws { encoder.node.kind = .value(.text(value)) }
        mutating func encode(_ value: Double) throws {
            guard let v = Value(approximating: value) else {
                throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "kdk numbers are finite"))
            }
            encoder.node.kind = .value(v)
        }
        mutating func encode(_ value: Float) throws { try encode(Double(value)) }
        mutating func encode(_ value: Int) throws { encoder.node.kind = .value(Value(value)) }
        mutating func encode(_ value: Int8) throws { try encode(Int(value)) }
        mutating func encode(_ value: Int16) throws { try encode(Int(value)) }
        mutating func encode(_ value: Int32) throws { try encode(Int(value)) }
        mutating func encode(_ value: Int64) throws { try encode(Int(value)) }
        mutating func encode(_ value: UInt) throws { encoder.node.kind = .value(.number(ExactDecimal(coefficient: Int128(value), exponent: 0))) }
        mutating func encode(_ value: UInt8) throws { try encode(Int(value)) }
        mutating func encode(_ value: UInt16) throws { try encode(Int(value)) }
        mutating func encode(_ value: UInt32) throws { try encode(Int(value)) }
        mutating func encode(_ value: UInt64) throws { encoder.node.kind = .value(.number(ExactDecimal(coefficient: Int128(value), exponent: 0))) }
        mutating func encode<T: Encodable>(_ value: T) throws { try encoder.box(value) }
    }
}

// MARK: - Decoding

private struct DecoderImpl: Decoder {
    let value: Value
    var codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func mismatch(_ want: String) -> DecodingError {
        .typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "expected \(want), found \(value.typeName) \(value.literal().prefix(60))"))
    }

    func unbox<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is Date.Type:
            guard let d = value.date else { throw mismatch("a time or date") }
            return d as! T
        case is Foundation.Decimal.Type:
            guard let d = value.decimal else { throw mismatch("a number") }
            return d as! T
        case is Value.Type:
            return value as! T
        default:
            return try T(from: self)
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .record(let r) = value else { throw mismatch("a record") }
        return KeyedDecodingContainer(Keyed<Key>(record: r, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .list(let l) = value else { throw mismatch("a list") }
        return Unkeyed(items: l.array, codingPath: codingPath)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { self }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let record: Record
        var codingPath: [CodingKey]
        var allKeys: [Key] { record.shape.names.compactMap { Key(stringValue: $0) } }
        func contains(_ key: Key) -> Bool { record[key.stringValue] != nil }
        func child(_ key: Key) throws -> DecoderImpl {
            guard let v = record[key.stringValue] else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no field '\(key.stringValue)'"))
            }
            return DecoderImpl(value: v, codingPath: codingPath + [key])
        }
        func decodeNil(forKey key: Key) throws -> Bool { (record[key.stringValue] ?? .none).isNone }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).unbox(type) }
        func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) throws -> KeyedDecodingContainer<N> {
            try child(key).container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { try child(key).unkeyedContainer() }
        func superDecoder() throws -> Decoder { DecoderImpl(value: .record(record), codingPath: codingPath) }
        func superDecoder(forKey key: Key) throws -> Decoder { try child(key) }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let items: [Value]
        var codingPath: [CodingKey]
        var currentIndex = 0
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }
        mutating func next() throws -> DecoderImpl {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "the list has no more items"))
            }
            defer { currentIndex += 1 }
            return DecoderImpl(value: items[currentIndex], codingPath: codingPath + [AnyKey(intValue: currentIndex)])
        }
        mutating func decodeNil() throws -> Bool {
            if !isAtEnd, items[currentIndex].isNone { currentIndex += 1; return true }
            return false
        }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().unbox(type) }
        mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> { try next().container(keyedBy: type) }
        mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }
        mutating func superDecoder() throws -> Decoder { try next() }
    }
}

extension DecoderImpl: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value.isNone }
    func decode(_ type: Bool.Type) throws -> Bool { guard let b = value.bool else { throw mismatch("a bool") }; return b }
    func decode(_ type: String.Type) throws -> String {
        switch value {
        case .text(let s): return s
        default: throw mismatch("text")
        }
    }
    func decode(_ type: Double.Type) throws -> Double { guard let d = value.approximateDouble else { throw mismatch("a number") }; return d }
    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func integer<I: FixedWidthInteger>(_ t: I.Type) throws -> I {
        // Through Int128, so all of UInt64 (past Int.max) decodes.
        guard case .number(let d) = value, let i = d.int128Value, let x = I(exactly: i) else { throw mismatch("a whole number that fits \(I.self)") }
        return x
    }
    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try unbox(type) }
}
