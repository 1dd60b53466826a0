import KDK

/// A kind of reward section, declared once: the constructor analysts write
/// in `rewards = [...]` (its parameters and documentation) and how its
/// arguments become a planned section (checked before any data is read).
/// How it pays is `SectionPass` (AwardSections.swift), by its `Method`.
struct SectionKind: Sendable {
    let name: String
    let params: [Parameter]
    let doc: String
    /// The section's method, token, budget (the most it can pay) and whether
    /// it takes what the other sections leave of its token, from the
    /// constructor's arguments.
    let plan: @Sendable (Record, ModelObject, Machine) throws -> (RewardPlan.Method, UnitID?, ExactDecimal, Bool)

    /// Every kind, in the order the docs list them.
    static let all: [SectionKind] = [leaderboard, raffle, share, firstCome, everyone]

    /// The constructors, for the campaign kind's functions. Each gives a
    /// record of its arguments, tagged with its kind, checked when the
    /// campaign is (RewardPlan), so errors point at the section.
    static var constructors: [Builtin] {
        all.map { kind in
            Builtin(kind.name, kind.params + [.optional("name")], doc: kind.doc) { a, _ in
                var fields: [(String, Value)] = [(tag, .text(kind.name))]
                for (p, v) in zip(a.callee.params, a.values) where v != .none { fields.append((p.name, v)) }
                return .record(Record.make(fields))
            }
        }
    }

    /// The field of a constructor's record that names its kind.
    static let tag = "method"
    private static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The kind a constructor's record was made by.
    static func of(_ r: Record) -> SectionKind? {
        guard case .text(let name)? = r[tag] else { return nil }
        return byName[name]
    }

    /// "leaderboard(...), raffle(...) ... or everyone(...)".
    static var listed: String {
        let calls = all.map { "\($0.name)(...)" }
        return calls.dropLast().joined(separator: ", ") + " or " + calls[calls.count - 1]
    }

    private static func times(_ n: Int, _ d: ExactDecimal) throws -> ExactDecimal { try ExactDecimal.multiply(d, ExactDecimal(n)) }

    static let leaderboard = SectionKind(
        name: "leaderboard", params: [Parameter("tiers").accepting(.list), .optional("period")],
        doc: "a section paying ranked tiers, over the window or per period: leaderboard(tiers: [...], period: 1 days)"
    ) { r, obj, m in
        let tiers = try Tiers(r["tiers"] ?? .none, m) { e, _, _ in e }
        guard let (total, unit) = RewardPlan.amount(tiers.total) else { throw EvalError("a leaderboard's prizes must be amounts") }
        var periods: [Period]?
        if let p = r["period"], p != .none { periods = try RewardPlan.cut(window: ModelSupport.field(obj, "window", m), every: p) }
        return (.leaderboard(tiers, periods: periods), unit, try times(periods?.count ?? 1, total), false)
    }

    static let raffle = SectionKind(
        name: "raffle",
        params: [Parameter("winners").accepting(.number), Parameter("seed").accepting(.text), .optional("prize"), .optional("pool"), .optional("floor")],
        doc: "a section drawing winners by SHA-256 ticket: raffle(winners: 100, prize: 5 KDK, seed: \"...\"), or pool: and floor: for a random split"
    ) { r, _, m in
        let winners = try RewardPlan.count(r["winners"], "a raffle's winners")
        guard case .text(let seed)? = r["seed"], !seed.isEmpty else {
            throw EvalError("a raffle needs a published seed: raffle(..., seed: \"kdk-2025-12-31\")",
                            help: "publish the seed before the draw; anyone can then re-derive the winners")
        }
        let prize = r["prize"] ?? .none, pool = r["pool"] ?? .none
        switch (prize, pool) {
        case (_, .none) where prize != .none:
            if let f = r["floor"], f != .none { throw EvalError("floor goes with pool: a raffle with a prize pays each winner the prize") }
            let (p, unit) = try RewardPlan.money(prize, "a raffle's prize", m)
            return (.raffle(winners: winners, seed: seed, prize: p, floor: .zero), unit, try times(winners, p), false)
        case (.none, _) where pool != .none:
            let (total, unit) = try RewardPlan.money(pool, "a raffle's pool", m)
            var floor = ExactDecimal.zero
            if let f = r["floor"], f != .none {
                let (fl, fu) = try RewardPlan.money(f, "a raffle's floor", m, positive: false)
                guard fu == unit else { throw EvalError("the floor \(f) is not in the pool's token (\(pool))") }
                floor = fl
            }
            if try times(winners, floor) > total {
                throw EvalError("\(winners) winners at a floor of \(RewardPlan.value(floor, unit)) need \(RewardPlan.value(try times(winners, floor), unit)), more than the raffle's pool \(pool)")
            }
            return (.raffle(winners: winners, seed: seed, prize: nil, floor: floor), unit, total, false)
        default:
            throw EvalError("a raffle pays either prize: (each winner the same) or pool: (split at random), not \(prize == .none ? "neither" : "both")")
        }
    }

    static let share = SectionKind(
        name: "share", params: [Parameter("pool"), .optional("by"), .optional("cap")],
        doc: "a section splitting a pool pro rata by points (by: p => ..., else the score), at most cap per key"
    ) { r, _, m in
        let (total, unit) = try RewardPlan.money(r["pool"], "a share's pool", m)
        var cap: ExactDecimal?
        if let c = r["cap"], c != .none {
            let (cd, cu) = try RewardPlan.money(c, "a share's cap", m)
            guard cu == unit else { throw EvalError("the cap \(c) is not in the pool's token (\(RewardPlan.value(total, unit)))") }
            cap = cd
        }
        let by = try ModelSupport.function(r["by"] ?? .none, "a share's by")
        return (.share(by: by, cap: cap), unit, total, false)
    }

    static let firstCome = SectionKind(
        name: "first_come", params: [Parameter("winners").accepting(.number), Parameter("prize")],
        doc: "a section paying the first winners by time, then id: first_come(winners: 500, prize: 1 KDK)"
    ) { r, _, m in
        let winners = try RewardPlan.count(r["winners"], "first_come's winners")
        let (p, unit) = try RewardPlan.money(r["prize"], "first_come's prize", m)
        return (.firstCome(winners: winners, prize: p), unit, try times(winners, p), false)
    }

    static let everyone = SectionKind(
        name: "everyone", params: [Parameter("prize"), .optional("pool")],
        doc: "a section paying every eligible key the prize (split equally if the pool cannot)"
    ) { r, _, m in
        let (p, unit) = try RewardPlan.money(r["prize"], "everyone's prize", m)
        var budget = ExactDecimal.zero
        if let pool = r["pool"], pool != .none {
            let (b, bu) = try RewardPlan.money(pool, "everyone's pool", m)
            guard bu == unit else { throw EvalError("the pool \(pool) is not in the prize's token (\(RewardPlan.value(p, unit)))") }
            budget = b
        }
        // Without a pool it takes what the other sections leave of its token.
        return (.everyone(prize: p), unit, budget, r["pool"] == nil || r["pool"] == Value.none)
    }
}
