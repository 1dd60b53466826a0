import Foundation

/// A kdk value. Scalars are stored inline; lists share storage
/// copy-on-write; records, ranges, functions and models are references to
/// immutable objects, so copying a value never copies a payload.
public enum Value: Sendable {
    case none
    case bool(Bool)
    case number(ExactDecimal)
    case quantity(ExactDecimal, UnitID)
    case text(String)
    case time(Instant)
    case date(CivilDate)
    case list(ValueList)
    case record(Record)
    case range(RangeValue)
    case function(Function)
    case model(ModelObject)
    /// An uncertain number or quantity (`normal(5 USD, 1 USD)`).
    case distribution(Distribution)

    /// The kind's name as users see it in messages.
    public var typeName: String {
        switch self {
        case .none: return "none"
        case .bool: return "bool"
        case .number: return "number"
        case .quantity(_, let u): return "quantity in \(UnitRegistry.shared.name(u))"
        case .text: return "text"
        case .time: return "time"
        case .date: return "date"
        case .list: return "list"
        case .record: return "record"
        case .range: return "range"
        case .function: return "function"
        case .model(let m): return m.kind.name
        case .distribution(let d): return d.unit.map { "distribution in \(UnitRegistry.shared.name($0))" } ?? "distribution"
        }
    }

    /// A list of these items.
    @inlinable public static func list(_ items: [Value]) -> Value { .list(ValueList(items)) }

    /// Whether this is none.
    public var isNone: Bool { if case .none = self { return true }; return false }

    /// The field of a record, read where the value lies (`globals[g].field(...)`
    /// borrows the element; binding the record outside counted a reference).
    @inline(__always)
    func field(_ name: String, hash: Int) -> Value? {
        if case .record(let rec) = self, let i = rec.shape.slot(name, hash: hash) { return rec[at: i] }
        return nil
    }
}

/// Field names of a record, interned so that records with the same fields
/// share one shape and field lookups compare small arrays.
public final class Shape: Sendable {
    /// Field names, in order.
    public let names: [String]
    let index: [String: Int]
    /// Hashes of the names: a field access compares these first, since
    /// comparing two different strings is far slower than two integers.
    let hashes: [Int]

    private init(_ names: [String]) {
        self.names = names
        self.hashes = names.map { $0.hashValue }
        var d: [String: Int] = [:]
        for (i, n) in names.enumerated() where d[n] == nil { d[n] = i }
        index = d
    }

    private static let interned = Guarded<[[String]: Shape]>([:])

    /// The shared shape for these field names.
    public static func of(_ names: [String]) -> Shape {
        interned.withLock { table in
            if let s = table[names] { return s }
            let s = Shape(names)
            if table.count < 100_000 { table[names] = s }
            return s
        }
    }

    /// The slot of a field whose name's `hashValue` the caller computed once.
    @inline(__always)
    func slot(_ name: String, hash: Int) -> Int? {
        if hashes.count <= 8 {
            for i in 0..<hashes.count where hashes[i] == hash && names[i] == name { return i }
            return nil
        }
        return index[name]
    }

    /// The index of a field, if present.
    @inline(__always)
    public func slot(_ name: String) -> Int? {
        if names.count <= 8 {
            for i in 0..<names.count where names[i] == name { return i }
            return nil
        }
        return index[name]
    }
}

/// A record's shape and value count (stored in the record).
public struct RecordHeader: Sendable {
    let shape: Shape
    /// How many values are initialized (all of them once built).
    var count: Int
}

/// An immutable record: `{author: "li", likes: 12}`. Its values are stored
/// in the same allocation as the object (one allocation per record, which
/// matters for a million CSV rows), or it is a view of one row of a `ColumnTable`.
///
/// A struct around the storage object, because `ManagedBuffer` is explicitly
/// not `Sendable`; the wrapper is `@unchecked Sendable` since a record's
/// values are written only by `make` and `build`, before it is returned, and
/// are read-only after that (ConcurrencyTests and scripts/tsan share records
/// across tasks); a table is immutable.
public struct Record: @unchecked Sendable {
    /// A `RecordStorage` when `row` is negative, else the `ColumnTable` this is a row of.
    private let object: AnyObject
    private let row: Int

    private init(storage: RecordStorage) { object = storage; row = -1 }

    /// Row `row` of `table`, as a record.
    @usableFromInline package init(table: ColumnTable, row: Int) { object = table; self.row = row }

    @inline(__always) private var storage: RecordStorage { unsafeDowncast(object, to: RecordStorage.self) }
    @inline(__always) private var table: ColumnTable { unsafeDowncast(object, to: ColumnTable.self) }

    /// The table and row this is a view of, if it is one.
    package var tableRow: (table: ColumnTable, row: Int)? { row < 0 ? nil : (table, row) }

    /// A record of these values.
    public static func make(shape: Shape, values: [Value]) -> Record {
        let n = values.count
        let buf = RecordStorage.create(minimumCapacity: n) { _ in RecordHeader(shape: shape, count: n) }
        let r = unsafeDowncast(buf, to: RecordStorage.self)
        if n > 0 {
            r.withUnsafeMutablePointerToElements { p in
                values.withUnsafeBufferPointer { src in
                    if let base = src.baseAddress { p.initialize(from: base, count: n) }
                }
            }
        }
        return Record(storage: r)
    }

    /// Builds a record by evaluating each value straight into its storage.
    static func build(shape: Shape, count n: Int, _ value: (Int) throws -> Value) rethrows -> Record {
        let buf = RecordStorage.create(minimumCapacity: n) { _ in RecordHeader(shape: shape, count: 0) }
        let r = unsafeDowncast(buf, to: RecordStorage.self)
        try r.withUnsafeMutablePointers { h, e in
            for i in 0..<n {
                (e + i).initialize(to: try value(i))
                h.pointee.count = i + 1
            }
        }
        return Record(storage: r)
    }

    /// A record from name-value pairs.
    public static func make(_ pairs: [(String, Value)]) -> Record {
        make(shape: .of(pairs.map { $0.0 }), values: pairs.map { $0.1 })
    }

    // The header is read through its pointer: `storage.header` is a class
    // property, and Swift checks each access to it at run time (exclusivity),
    // which made a field read several times slower.
    /// Its field names.
    public var shape: Shape {
        if row >= 0 { return table.shape }
        return storage.withUnsafeMutablePointerToHeader { $0.pointee.shape }
    }
    /// How many fields.
    public var count: Int {
        if row >= 0 { return table.columns.count }
        return storage.withUnsafeMutablePointerToHeader { $0.pointee.count }
    }

    @inline(__always)
    /// The value of field number `i`.
    public subscript(at i: Int) -> Value {
        if row >= 0 { return table.value(i, row) }
        return storage.withUnsafeMutablePointerToElements { $0[i] }
    }

    /// A field by name.
    public subscript(_ name: String) -> Value? { shape.slot(name).map { self[at: $0] } }
    /// The values, in field order.
    public var values: [Value] {
        if row >= 0 { return (0..<count).map { self[at: $0] } }
        return storage.withUnsafeMutablePointerToElements { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }
    /// Name-value pairs, in order.
    public var fields: [(String, Value)] { Array(zip(shape.names, values)) }
    /// Whether both are the very same record (not merely equal): the same
    /// storage, or the same row of the same table.
    public func isIdentical(to other: Record) -> Bool { object === other.object && row == other.row }
}

/// A record's header and values in one allocation.
final class RecordStorage: ManagedBuffer<RecordHeader, Value> {
    deinit {
        withUnsafeMutablePointers { h, e in
            let n = h.pointee.count
            var i = 0
            while i < n, !Reclaimer.mayNest(e[i]) { (e + i).deinitialize(count: 1); i += 1 }
            guard i < n else { return }
            // The values from here on that may hold a list or record go to
            // `Reclaimer`, so a record in a record ten million deep is not
            // freed by recursion.
            var nested: [Value] = []
            while i < n {
                let v = (e + i).move()
                if Reclaimer.mayNest(v) { nested.append(v) }
                i += 1
            }
            Reclaimer.free(consume nested)
        }
    }
}

/// `lower...upper` (closed) or `lower..<upper`.
public final class RangeValue: Sendable {
    /// The first end.
    public let lower: Value
    /// The last end.
    public let upper: Value
    /// Whether `upper` is included (`...`) or not (`..<`).
    public let closed: Bool
    /// A range.
    public init(_ lower: Value, _ upper: Value, closed: Bool) { self.lower = lower; self.upper = upper; self.closed = closed }
}
