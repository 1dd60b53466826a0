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

    /// The mismatch message for `+ - == <` and friends, if any.
    static func conflict(_ a: UType, _ b: UType) -> (String, String)? {
        switch (a, b) {
        case (.unit(let u), .unit(let v)):
            if UnitRegistry.shared.sameDimension(u, v) { return nil }
            let un = UnitRegistry.shared.name(u), vn = UnitRegistry.shared.name(v)
            return ("the units differ: \(un) and \(vn)", "there is no implicit conversion; convert with to(x, \(un), rate) or multiply by a rate in \(un)/\(vn)")
        case (.unit(let u), .plain), (.plain, .unit(let u)):
            let un = UnitRegistry.shared.name(u)
            return ("one side is in \(un) and the other is a plain number", "give the number its unit, e.g. 5 \(un)")
        default:
            return nil
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
