import KDK

/// A campaign's tiers, checked: they start at rank 1, are contiguous, do not
/// overlap, and their prizes fit the token's decimals. `at` places an error
/// on the text (the tier at fault, and which of its arguments).
struct Tiers {
    var prizes: [Value] = []   // prizes[r - 1] is the prize for rank r
    let total: Value

    init(_ list: Value, _ m: Machine, at: (EvalError, _ tier: Int?, _ argument: Int?) -> EvalError) throws {
        var spans: [(l: Int, h: Int, prize: Value, index: Int)] = []
        for (i, t) in try ModelSupport.list(list, "tiers").enumerated() {
            let r = try ModelSupport.record(t, "tiers")
            guard case .range(let rg)? = r["ranks"], case .number(let lo) = rg.lower, case .number(let hi) = rg.upper,
                  let l = lo.intValue, var h = hi.intValue, let prize = r["prize"] else {
                throw at(EvalError("each tier must be tier(rank, prize) or tier(first...last, prize)"), i, nil)
            }
            if !rg.closed, h > Int.min { h -= 1 }  // ..<Int.min is left to the range check below, not a trap
            guard l >= 1, h >= l, h - l < 1_000_000 else {
                throw at(EvalError("tier ranks \(l)...\(h) are not a valid range of ranks"), i, 0)
            }
            spans.append((l, h, prize, i))
        }
        spans.sort { $0.l < $1.l }
        var next = 1
        var total: Value = .number(.zero)
        for (l, h, prize, i) in spans {
            if l < next {
                throw at(EvalError("tiers overlap: rank \(l) is paid twice", help: "make the tiers disjoint, e.g. 1, 2...6, 7...21"), i, 0)
            }
            if l > next {
                throw at(EvalError("tiers leave ranks \(next)...\(l - 1) without a prize", help: "tiers must be contiguous from rank 1"), i, 0)
            }
            do {
                try RewardPlan.fitsDecimals(prize, m)
                for _ in l...h { prizes.append(prize) }
                total = try Arithmetic.add(total, Arithmetic.multiply(prize, .number(ExactDecimal(h - l + 1))))
            } catch let e as EvalError {
                throw at(e, i, 1)
            }
            next = h + 1
        }
        if spans.isEmpty { throw at(EvalError("a campaign needs at least one tier"), nil, nil) }
        self.total = total
    }
}

/// One part of a campaign's period: a leaderboard with `period: 1 days` ranks
/// each day's entries on their own.
struct Period {
    let start: Instant
    let end: Instant
    /// `start ..< end`, in the window's offset.
    var range: Value { .range(RangeValue(.time(start), .time(end), closed: false)) }

    /// The last of `periods` (in order) starting at or before `t`, by binary
    /// search: one look-up per entry, among up to 10,000 periods.
    static func index(of t: Instant, in periods: [Period]) -> Int? {
        var lo = 0, hi = periods.count  // periods[..<lo] start at or before t
        while lo < hi {
            let mid = (lo + hi) / 2
            if periods[mid].start <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? lo - 1 : nil
    }
}

/// A campaign's rewards: its sections with their methods and prizes, in the
/// order they claim winners, and what each may pay at most (its budget),
/// checked against the pool before any data is read.
struct RewardPlan {
    enum Method {
        /// Ranked tiers, over the whole window or per period.
        case leaderboard(Tiers, periods: [Period]?)
        /// `winners` drawn by ticket; each gets `prize`, or (prize nil) the
        /// budget is split at random with `floor` each.
        case raffle(winners: Int, seed: String, prize: ExactDecimal?, floor: ExactDecimal)
        /// The budget split pro rata by points (`by`, else the score), `cap` per key.
        case share(by: Function?, cap: ExactDecimal?)
        /// The first `winners` keys by time, then id.
        case firstCome(winners: Int, prize: ExactDecimal)
        /// Every eligible key; the budget split equally if it cannot pay each the prize.
        case everyone(prize: ExactDecimal)
    }

    struct Section {
        var name: String
        var methodName: String
        var method: Method
        /// The token it pays in (nil: plain numbers).
        var unit: UnitID?
        /// The most it can pay.
        var budget: ExactDecimal
        /// Its position in `rewards` (for errors and the result's order).
        var index: Int
    }

    /// One token of the pool.
    struct Pool {
        var unit: UnitID?
        var amount: ExactDecimal
    }

    /// The pool, one amount per token, in the order written.
    let pools: [Pool]
    /// Whether the pool was written as a list (then `paid` and `unallocated` are lists too).
    let poolIsList: Bool
    /// Sections in claim order.
    let sections: [Section]
    /// Whether this is a `tiers =` campaign (its result keeps the original fields).
    let legacy: Bool
    /// "campaign": a key is paid by one section at most; "section": by each.
    let onePerCampaign: Bool

    var needsScore: Bool {
        sections.contains { s in
            switch s.method {
            case .leaderboard: return true
            case .share(let by, _): return by == nil
            default: return false
            }
        }
    }

    /// The places a share or split rounds down to: the token's declared
    /// decimals, else the places it is shown with (2 for USD and USDT), else
    /// whole units.
    func places(_ unit: UnitID?, _ m: Machine) -> Int {
        guard let unit else { return 0 }
        return m.decimals(of: unit) ?? DisplayStyle.standard.decimals[unit] ?? 0
    }

    static func fitsDecimals(_ prize: Value, _ m: Machine) throws {
        if case .quantity(let amount, let unit) = prize, let d = m.decimals(of: unit), amount.rounded(places: d) != amount {
            throw EvalError("\(prize) has more decimals than \(UnitRegistry.shared.name(unit)) allows (\(d))")
        }
    }

    init(_ obj: ModelObject, _ m: Machine, warn: Bool) throws {
        let poolValue = try ModelSupport.field(obj, "pool", m)
        var pools: [Pool] = []
        for v in (isList(poolValue) ? try ModelSupport.list(poolValue, "pool") : [poolValue]) {
            guard let (d, u) = RewardPlan.amount(v) else {
                throw EvalError("pool must be an amount (2_000 KDK) or a list of amounts in different tokens, not \(Arithmetic.describe(v))").about(field: "pool")
            }
            if pools.contains(where: { $0.unit == u }) {
                throw EvalError("the pool names \(v) twice: give one amount per token").about(field: "pool")
            }
            pools.append(Pool(unit: u, amount: d))
        }
        if pools.isEmpty { throw EvalError("the pool is empty").about(field: "pool") }
        self.pools = pools
        self.poolIsList = isList(poolValue)
        let onePer = try ModelSupport.field(obj, "one_reward_per", m)
        switch onePer {
        case .text("campaign"): onePerCampaign = true
        case .text("section"): onePerCampaign = false
        default: throw EvalError("one_reward_per must be \"campaign\" or \"section\", not \(onePer)").about(field: "one_reward_per")
        }

        let rewards = try ModelSupport.field(obj, "rewards", m)
        var sections: [Section] = []
        if case .none = rewards {
            legacy = true
            let tiers = try Tiers(ModelSupport.field(obj, "tiers", m), m) { e, i, a in e.about(field: "tiers", item: i, argument: a) }
            if isList(poolValue) {
                throw EvalError("a tiers campaign has one pool", help: "use rewards = [...] to pay in several tokens").about(field: "pool")
            }
            _ = try Arithmetic.compare(tiers.total, poolValue)  // prizes in another token: the comparison's own error
            guard let (total, unit) = RewardPlan.amount(tiers.total) else {
                throw EvalError("the tiers' prizes must be amounts").about(field: "tiers")
            }
            sections = [Section(name: "leaderboard", methodName: "leaderboard", method: .leaderboard(tiers, periods: nil),
                                unit: unit, budget: total, index: 0)]
        } else {
            legacy = false
            let items = try ModelSupport.list(rewards, "rewards")
            if items.isEmpty { throw EvalError("rewards is empty: a campaign needs at least one section").about(field: "rewards") }
            var rests: [Int] = []  // everyone() sections without a pool: they take what the others leave
            for (i, item) in items.enumerated() {
                do {
                    let (section, takesRest) = try RewardPlan.section(item, i, obj, m)
                    if sections.contains(where: { $0.name == section.name }) {
                        throw EvalError("two sections are named '\(section.name)'", help: "name each: \(section.methodName)(..., name: \"daily\")")
                    }
                    guard pools.contains(where: { $0.unit == section.unit }) else {
                        let token = section.unit.map { UnitRegistry.shared.name($0) } ?? "plain numbers"
                        throw EvalError("\(section.name) pays in \(token), which the pool does not hold",
                                        help: "add it to the pool: pool = [..., 1_000 \(token)]")
                    }
                    if takesRest { rests.append(sections.count) }
                    sections.append(section)
                } catch let e as EvalError {
                    throw e.about(field: "rewards", item: i)
                }
            }
            // An everyone() without a pool takes what the other sections leave of its token.
            for r in rests {
                let unit = sections[r].unit
                if rests.contains(where: { $0 != r && sections[$0].unit == unit }) {
                    throw EvalError("two everyone() sections take the rest of the pool", help: "give one of them a pool: everyone(prize: ..., pool: ...)")
                        .about(field: "rewards", item: sections[r].index)
                }
                var rest = pools.first { $0.unit == unit }!.amount
                for (j, s) in sections.enumerated() where j != r && s.unit == unit { rest = try ExactDecimal.subtract(rest, s.budget) }
                if rest.signum <= 0 {
                    throw EvalError("\(sections[r].name) has nothing left: the other sections take the whole pool",
                                    help: "raise the pool or give \(sections[r].name) a pool of its own").about(field: "rewards", item: sections[r].index)
                }
                sections[r].budget = rest
            }
            sections = try RewardPlan.claimOrder(sections, ModelSupport.field(obj, "claim_order", m))
        }
        self.sections = sections
        for p in pools {
            var total = ExactDecimal.zero
            for s in sections where s.unit == p.unit { total = try ExactDecimal.add(total, s.budget) }
            let poolShown = RewardPlan.value(p.amount, p.unit), totalShown = RewardPlan.value(total, p.unit)
            let parts = sections.filter { $0.unit == p.unit }.map { "\($0.name) \(RewardPlan.value($0.budget, $0.unit))" }
            let what = legacy ? "the tiers pay" : "the rewards pay up to"
            let each = legacy || parts.count < 2 ? "" : " (\(parts.joined(separator: ", ")))"
            if total > p.amount {
                throw EvalError("\(what) \(totalShown)\(each) but the pool is \(poolShown)", help: "lower the prizes or raise the pool").about(field: "pool")
            }
            if total < p.amount && warn {
                let never = RewardPlan.value(try ExactDecimal.subtract(p.amount, total), p.unit)
                if legacy {
                    m.warn("\(obj.name)'s tiers pay \(totalShown) of its \(poolShown) pool: \(never) is never paid",
                           help: "check the tiers; \"top 5\" and \"top 15\" tiers usually mean ranks 2-6 and 7-21, not 2-5 and 6-15")
                } else {
                    m.warn("\(obj.name)'s rewards pay at most \(totalShown) of its \(poolShown) pool: \(never) is never paid",
                           help: "check each section's prizes, or give the rest to a section: everyone(prize: ...) without a pool takes it")
                }
            }
        }
    }

    static func value(_ d: ExactDecimal, _ unit: UnitID?) -> Value { unit.map { .quantity(d, $0) } ?? .number(d) }

    static func amount(_ v: Value) -> (ExactDecimal, UnitID?)? {
        switch v {
        case .quantity(let d, let u): return (d, u)
        case .number(let d): return (d, nil)
        default: return nil
        }
    }

    /// A whole number of winners, 1 to 10 million.
    static func count(_ v: Value?, _ what: String) throws -> Int {
        guard case .number(let d)? = v, let n = d.intValue, n >= 1, n <= 10_000_000 else {
            throw EvalError("\(what) must be a whole number of winners from 1 to 10,000,000, not \(v.map { Arithmetic.describe($0) } ?? "none")")
        }
        return n
    }

    /// A prize or pool amount: not negative, within the token's decimals.
    static func money(_ v: Value?, _ what: String, _ m: Machine, positive: Bool = true) throws -> (ExactDecimal, UnitID?) {
        guard let v, let (d, u) = amount(v), positive ? d.signum > 0 : !d.isNegative else {
            throw EvalError("\(what) must be a\(positive ? " positive" : "n") amount such as 5 KDK, not \(v.map { Arithmetic.describe($0) } ?? "none")")
        }
        try fitsDecimals(v, m)
        return (d, u)
    }

    /// One section from what `leaderboard(...)`, `raffle(...)` and the others
    /// give (a record made by its kind's constructor), and whether it takes
    /// the rest of the pool.
    static func section(_ item: Value, _ index: Int, _ obj: ModelObject, _ m: Machine) throws -> (Section, Bool) {
        guard case .record(let r) = item, let kind = SectionKind.of(r) else {
            throw EvalError("each reward must be a section: " + SectionKind.listed)
        }
        let name: String
        switch r["name"] {
        case .text(let n)?: name = n
        case .none?, nil: name = kind.name
        case let other?: throw EvalError("a section's name must be text, not \(Arithmetic.describe(other))")
        }
        let (method, unit, budget, takesRest) = try kind.plan(r, obj, m)
        return (Section(name: name, methodName: kind.name, method: method, unit: unit, budget: budget, index: index), takesRest)
    }

    /// The sections reordered by `claim_order` (a list of their names), when given.
    static func claimOrder(_ sections: [Section], _ order: Value) throws -> [Section] {
        if case .none = order { return sections }
        let names = try ModelSupport.list(order, "claim_order").map { v -> String in
            guard case .text(let t) = v else { throw EvalError("claim_order lists section names, not \(Arithmetic.describe(v))").about(field: "claim_order") }
            return t
        }
        guard names.count == sections.count, Set(names).count == names.count,
              let ordered = Optional(names.compactMap { n in sections.first { $0.name == n } }), ordered.count == names.count else {
            throw EvalError("claim_order must name each section once: \(sections.map { "\"\($0.name)\"" }.joined(separator: ", "))").about(field: "claim_order")
        }
        return ordered
    }

    /// The window cut into periods of `every`, counted from midnight (in the
    /// window's own offset) of the day the window starts, the first and last
    /// clipped to the window. UTC+8 days for a UTC+8 window.
    static func cut(window: Value, every: Value) throws -> [Period] {
        guard case .range(let w) = window, case .time(let start) = w.lower, case .time(let end) = w.upper else {
            throw EvalError("a leaderboard with a period needs the campaign's window as a range of times",
                            help: "window = 2025-12-19T12:00+08:00 ..< 2025-12-30T24:00+08:00")
        }
        // The period's length in seconds: how far it moves a time.
        let moved = try? Arithmetic.add(.time(Instant(seconds: 0, offsetMinutes: 0)), every)
        guard case .quantity = every, case .time(let t)? = moved, t.nanos == 0, t.seconds >= 60 else {
            throw EvalError("a period must be a duration of whole minutes or more, such as 1 days, not \(every)")
        }
        let offset = Int64(start.offsetMinutes) * 60
        let local = start.seconds + offset
        let midnight = (local >= 0 ? local / 86_400 : (local - 86_399) / 86_400) * 86_400 - offset
        var periods: [Period] = []
        var from = midnight
        while from < end.seconds {
            let to = from + t.seconds
            if to > start.seconds {
                periods.append(Period(start: Instant(seconds: max(from, start.seconds), offsetMinutes: start.offsetMinutes),
                                      end: Instant(seconds: min(to, end.seconds), offsetMinutes: start.offsetMinutes)))
            }
            if periods.count > 10_000 { throw EvalError("a period of \(every) cuts the window into more than 10,000 periods") }
            from = to
        }
        return periods
    }
}

private func isList(_ v: Value) -> Bool { if case .list = v { return true }; return false }
