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
