import Foundation

/// A unit of measure, interned process-wide so that a quantity carries only a
/// 32-bit id (no reference counting in the hot path).
///
/// Every unit is a product of named units with integer powers (`USDT/KDK` is
/// USDT¹·KDK⁻¹). Named units are either their own dimension (currencies and
/// tokens: `KDK`, `USD`) or a multiple of a base (durations: `hours` is 3600
/// `seconds`). Units of one dimension convert among themselves; others never do.
public struct UnitID: Hashable, Sendable {
    /// Index in the registry.
    public let raw: UInt32
}

struct UnitInfo {
    /// Named units and their powers, sorted by name: how the unit is written.
    let factors: [(String, Int)]
    /// Base dimensions and powers, sorted: what the unit measures.
    let dims: [(String, Int)]
    /// How many base units one of this unit is (3600 for hours).
    let scale: ExactDecimal
    let name: String
}

/// Every unit the process has seen, shared by all programs.
///
/// Process-wide so that a `Value` stays a small enum with no registry
/// reference; every access goes through one lock (`Guarded`, which unlocks on
/// a throw too), and what scripts can add is bounded: at most `capacity`
/// distinct units, after which declaring or computing a new one is an error.
public final class UnitRegistry: Sendable {
    /// The one registry.
    public static let shared = UnitRegistry()

    /// The most distinct units (named and compound) the registry keeps.
    public let capacity: Int

    /// Why a unit cannot be made.
    public struct Full: Error {}

    private struct State {
        var infos: [UnitInfo] = []
        var byFactors: [String: UInt32] = [:]
        /// Named units by name, with their base dimension and scale.
        var named: [String: (dim: String, scale: ExactDecimal)] = [:]
    }
    private let state: Guarded<State>

    /// Duration units built into the language, with their length in seconds.
    public static let durations: [(String, Int)] = [
        ("seconds", 1), ("minutes", 60), ("hours", 3600), ("days", 86_400), ("weeks", 604_800),
    ]
    /// Currencies built into the language; anything else is declared with `unit NAME`.
    public static let builtinCurrencies = ["USD", "USDT"]
    /// Every unit name a program may use without declaring it (for completion).
    public static var builtinNames: [String] { builtinCurrencies + durations.map { $0.0 } }

    /// A registry of its own: `shared` for kdk, a small one for tests.
    init(capacity: Int = 100_000) {
        self.capacity = capacity
        var st = State()
        for (n, s) in UnitRegistry.durations { st.named[n] = ("seconds", ExactDecimal(s)) }
        for c in UnitRegistry.builtinCurrencies { st.named[c] = (c, .one) }
        state = Guarded(st)
    }

    /// Whether a name is a built-in duration unit.
    public static func isDuration(_ name: String) -> Bool { durations.contains { $0.0 == name } }

    /// The id of a named unit, registering it (as its own dimension) if new.
    /// For the host and the built-in units; past `capacity` the unit is still
    /// made, since a host's own declarations are its to bound.
    public func named(_ name: String) -> UnitID {
        state.withLock { st in
            if st.named[name] == nil { st.named[name] = (name, .one) }
            return UnitRegistry.intern([(name, 1)], &st, capacity: nil)!
        }
    }

    /// `named`, for a unit a script declares: throws `Full` past `capacity`.
    func declared(_ name: String) throws -> UnitID {
        let id: UnitID? = state.withLock { st in
            if let id = st.byFactors[UnitRegistry.key([(name, 1)])] { return UnitID(raw: id) }
            guard st.infos.count < capacity else { return nil }
            if st.named[name] == nil { st.named[name] = (name, .one) }
            return UnitRegistry.intern([(name, 1)], &st, capacity: capacity)
        }
        guard let id else { throw Full() }
        return id
    }

    /// The unit `seconds`.
    public var seconds: UnitID { named("seconds") }

    private static func key(_ f: [(String, Int)]) -> String { f.map { "\($0.0)^\($0.1)" }.joined(separator: " ") }

    /// Interns a factor list; nil when it is new and `capacity` is reached.
    private static func intern(_ factors: [(String, Int)], _ st: inout State, capacity: Int?) -> UnitID? {
        let f = factors.filter { $0.1 != 0 }.sorted { $0.0 < $1.0 }
        let k = key(f)
        if let id = st.byFactors[k] { return UnitID(raw: id) }
        if let capacity, st.infos.count >= capacity { return nil }
        var dims: [String: Int] = [:]
        var scale = ExactDecimal.one
        for (n, p) in f {
            let (d, s) = st.named[n] ?? (n, .one)
            dims[d, default: 0] += p
            if s != .one { scale = (try? ExactDecimal.power(s, p)) ?? scale }
        }
        let info = UnitInfo(factors: f, dims: dims.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                            scale: scale, name: UnitRegistry.format(f))
        st.infos.append(info)
        let id = UInt32(st.infos.count - 1)
        st.byFactors[k] = id
        return UnitID(raw: id)
    }

    static func format(_ f: [(String, Int)]) -> String {
        let num = f.filter { $0.1 > 0 }.map { $0.1 == 1 ? $0.0 : "\($0.0)^\($0.1)" }
        let den = f.filter { $0.1 < 0 }.map { $0.1 == -1 ? $0.0 : "\($0.0)^\(-$0.1)" }
        var s = num.isEmpty ? "1" : num.joined(separator: "*")
        if !den.isEmpty { s += "/" + den.joined(separator: "/") }
        return s
    }

    func info(_ u: UnitID) -> UnitInfo {
        state.withLock { $0.infos[Int(u.raw)] }
    }

    /// How many units exist now.
    var count: Int { state.withLock { $0.infos.count } }

    /// How a unit is written (`USDT/KDK`).
    public func name(_ u: UnitID) -> String { info(u).name }

    /// Whether two units measure the same thing (and so convert).
    public func sameDimension(_ a: UnitID, _ b: UnitID) -> Bool {
        if a == b { return true }
        let x = info(a), y = info(b)
        return x.dims.elementsEqual(y.dims, by: { $0 == $1 })
    }

    /// Whether a unit measures time.
    public func isDuration(_ u: UnitID) -> Bool {
        let d = info(u).dims
        return d.count == 1 && d[0].0 == "seconds" && d[0].1 == 1
    }

    /// The factor that converts an amount in `from` into `to` (same dimension).
    public func conversionFactor(from: UnitID, to: UnitID) throws -> ExactDecimal {
        if from == to { return .one }
        return try ExactDecimal.divide(info(from).scale, info(to).scale)
    }

    /// The unit of a product `a^pa * b^pb` (pb = -1 for a quotient), and the
    /// factor to apply to the amount. A nil unit means a plain number. Throws
    /// `Full` when the product is a new unit and the registry is full.
    public func combine(_ a: UnitID?, _ b: UnitID?, power pb: Int) throws -> (UnitID?, ExactDecimal) {
        var f: [String: Int] = [:]
        if let a { for (n, p) in info(a).factors { f[n, default: 0] += p } }
        if let b { for (n, p) in info(b).factors { f[n, default: 0] += p * pb } }
        // Read the named units' dimensions under the lock, then compute outside it.
        let named = state.withLock { st in f.keys.map { ($0, st.named[$0] ?? ($0, .one)) } }
        let dimOf = Dictionary(uniqueKeysWithValues: named)
        // Units of one base dimension (hours and days) merge into the first one.
        var byDim: [String: String] = [:]
        var merged: [String: Int] = [:]
        var factor = ExactDecimal.one
        for (n, p) in f.sorted(by: { $0.key < $1.key }) where p != 0 {
            let (d, s) = dimOf[n] ?? (n, .one)
            if let keep = byDim[d], keep != n {
                let r = try ExactDecimal.power(ExactDecimal.divide(s, dimOf[keep]?.scale ?? .one), p)
                factor = try ExactDecimal.multiply(factor, r)
                merged[keep, default: 0] += p
            } else {
                byDim[d] = n
                merged[n, default: 0] += p
            }
        }
        let rest = merged.filter { $0.value != 0 }
        // Dimensionless: remaining duration units cancel into a plain factor.
        if rest.isEmpty { return (nil, factor) }
        let id = state.withLock { UnitRegistry.intern(rest.map { ($0.key, $0.value) }, &$0, capacity: capacity) }
        guard let id else { throw Full() }
        return (id, factor)
    }
}
