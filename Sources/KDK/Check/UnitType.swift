/// What the checker knows, from the text alone, about the unit of an
/// expression. Only known-against-known mismatches are reported, so the
/// checker never rejects a program that could run.
enum UType: Equatable {
    case unknown
    /// A plain number.
    case plain
    /// The literal 0, which goes with any unit.
    case zero
    case unit(UnitID)
    /// Known not to be a number (text, bool, list...).
    case other
    /// A record or a list whose structure is known from the text (a record
    /// literal, a data file read at check time): field access is checked.
    case shaped(DataShape)

    var name: String {
        switch self {
        case .unit(let u): return UnitRegistry.shared.name(u)
        case .plain, .zero: return "a plain number"
        default: return "?"
        }
    }

    /// The mismatch message for `+ - == <` and friends, if any, in the
    /// run's words (`Operators.unitConflict`).
    static func conflict(_ a: UType, _ b: UType) -> (String, String)? {
        switch (a, b) {
        case (.unit(let u), .unit(let v)): return Operators.unitConflict(u, v)
        case (.unit(let u), .plain): return Operators.unitConflict(u, nil)
        case (.plain, .unit(let v)): return Operators.unitConflict(nil, v)
        default: return nil
        }
    }

    static func product(_ a: UType, _ b: UType, divide: Bool) -> UType {
        switch (a, b) {
        case (.plain, .plain), (.zero, .plain), (.plain, .zero), (.zero, .zero): return .plain
        case (.unit(let u), .plain), (.unit(let u), .zero): return .unit(u)
        case (.plain, .unit(let u)), (.zero, .unit(let u)):
            if !divide { return .unit(u) }
            if let (r, _) = try? UnitRegistry.shared.combine(nil, u, power: -1) { return r.map { .unit($0) } ?? .plain }
            return .unknown
        case (.unit(let u), .unit(let v)):
            if divide && u == v { return .plain }
            if let (r, _) = try? UnitRegistry.shared.combine(u, v, power: divide ? -1 : 1) { return r.map { .unit($0) } ?? .plain }
            return .unknown
        default: return .unknown
        }
    }
}
