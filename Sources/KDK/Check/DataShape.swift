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

    /// Two types known to be equal, else unknown (the branches of an `if`).
    func joined(_ other: UType) -> UType { self == other ? self : .unknown }
}
