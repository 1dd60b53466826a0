/// What the checker knows of a record's fields or a list's items: from
/// record literals, `with`, `map` to a record, and the header of a data file
/// whose path is a literal. Only what is certain is recorded, so a field the
/// shape lacks is an error, and where the shape is unknown the checker is
/// silent.
indirect enum DataShape: Equatable {
    /// A record with exactly these fields (and what is known of each).
    /// `origin` says where the shape came from, for messages.
    case record(fields: [String], types: [UType], origin: ShapeOrigin?)
    /// A list whose items all have this type.
    case list(of: UType)

    /// The type of one field, if the record has it.
    func field(_ name: String) -> UType? {
        guard case .record(let fields, let types, _) = self, let i = fields.firstIndex(of: name) else { return nil }
        return types[i]
    }
}

/// Where a known record shape came from: a data file read at check time, a
/// `shape` declaration, or a host's typed input (`input 'posts'`, or the
/// result of a host function), or an item of one.
enum ShapeOrigin: Equatable {
    case file(String)
    case shape(String)
    /// `what` names the input (`input 'posts'`, `the result of f`);
    /// `item`: the shape is that of its items.
    case input(String, item: Bool)

    /// The origin of the items of a list from here.
    var items: ShapeOrigin {
        if case .input(let what, _) = self { return .input(what, item: true) }
        return self
    }

    /// How messages name it: `data/posts.csv`, `shape Post`, `an item of input 'posts'`.
    var name: String {
        switch self {
        case .file(let path): return path
        case .shape(let s): return "shape \(s)"
        case .input(let what, let item): return item ? "an item of \(what)" : what
        }
    }
}

extension UType {
    /// The fields of a known record.
    var recordFields: (fields: [String], types: [UType], origin: ShapeOrigin?)? {
        if case .shaped(.record(let f, let t, let o)) = self { return (f, t, o) }
        return nil
    }

    /// The type of a known list's items.
    var element: UType? {
        if case .shaped(.list(let e)) = self { return e }
        return nil
    }

    /// What the checker knows of a value read at check time (a JSON file):
    /// records and lists by their structure, numbers and units; `origin`
    /// names the file for messages.
    static func of(_ v: Value, origin: ShapeOrigin?, depth: Int = 0) -> UType {
        guard depth < 32 else { return .unknown }
        switch v {
        case .number: return .plain
        case .quantity(_, let u): return .unit(u)
        case .record(let r):
            return .shaped(.record(fields: r.shape.names, types: r.values.map { of($0, origin: nil, depth: depth + 1) }, origin: origin))
        case .list(let items):
            let types = items.prefix(10_000).map { of($0, origin: origin, depth: depth + 1) }
            return (types.first.map { first in types.dropFirst().reduce(first) { $0.unified($1) } } ?? .unknown).listOf
        case .none: return .unknown
        default: return .other
        }
    }

    /// A list of items of this type.
    var listOf: UType { .shaped(.list(of: self)) }

    /// What two items of one list have in common: the same type, records
    /// with the same fields (each field unified), numbers (the literal 0
    /// is a number too), else unknown.
    func unified(_ other: UType) -> UType {
        if self == other { return self }
        switch (self, other) {
        case (.zero, .plain), (.plain, .zero): return .plain
        case (.shaped(.record(let f1, let t1, let o1)), .shaped(.record(let f2, let t2, _))) where f1 == f2:
            return .shaped(.record(fields: f1, types: zip(t1, t2).map { $0.unified($1) }, origin: o1))
        default: return .unknown
        }
    }
}
