/// What the checker knows of a record's fields or a list's items: from
/// record literals, `with`, `map` to a record, and the header of a data file
/// whose path is a literal. Only what is certain is recorded, so a field the
/// shape lacks is an error, and where the shape is unknown the checker is
/// silent.
indirect enum DataShape: Equatable {
    /// A record with exactly these fields (and what is known of each).
    /// `origin` names where the shape came from, for messages (`data/posts.csv`).
    case record(fields: [String], types: [UType], origin: String?)
    /// A list whose items all have this type.
    case list(of: UType)

    /// The type of one field, if the record has it.
    func field(_ name: String) -> UType? {
        guard case .record(let fields, let types, _) = self, let i = fields.firstIndex(of: name) else { return nil }
        return types[i]
    }
}

extension UType {
    /// The fields of a known record.
    var recordFields: (fields: [String], types: [UType], origin: String?)? {
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
    static func of(_ v: Value, origin: String?, depth: Int = 0) -> UType {
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
