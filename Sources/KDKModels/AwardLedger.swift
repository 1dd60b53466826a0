import KDK

/// What one award run has paid so far: winners, exclusions, each key's
/// payout, each section's total, and (for `explain`) the story of one key.
final class Ledger {
    let plan: RewardPlan
    /// The key `explain` follows, as text.
    let traceKey: String?
    var winners: [Value] = []
    var excluded = ExtendedRows()
    private var excludedEntries = Set<Int>()
    /// The first section that paid each key.
    private var rewardedBy: [String: String] = [:]
    /// One payout row per key, in the order keys were first paid.
    private var rows: [(key: Value, amounts: [ExactDecimal], sections: [String])] = []
    private var rowOf: [String: Int] = [:]
    private(set) var paid: [ExactDecimal]
    private var sectionPaid: [ExactDecimal]
    private var sectionWinners: [Int]
    var sectionDust: [ExactDecimal]

    /// One step of the traced key's story: paid by a section, or why not.
    struct Note {
        var section: String
        var period: Value?
        var prize: Value?
        var rank: Value?
        var why: String?
        var row: Value {
            var f: [(String, Value)] = [("section", .text(section))]
            if let period { f.append(("period", period)) }
            if let rank { f.append(("rank", rank)) }
            if let prize { f.append(("prize", prize)) }
            if let why { f.append(("why", .text(why))) }
            return .record(Record.make(f))
        }
    }
    private(set) var traced: [Note] = []

    init(plan: RewardPlan, trace: String?) {
        self.plan = plan
        traceKey = trace
        paid = plan.pools.map { _ in .zero }
        sectionPaid = plan.sections.map { _ in .zero }
        sectionWinners = plan.sections.map { _ in 0 }
        sectionDust = plan.sections.map { _ in .zero }
    }

    var tracing: Bool { traceKey != nil }

    /// The section that already paid this key, when the campaign pays each key once.
    func claimedElsewhere(_ e: Award.Entrant, _ si: Int) -> String? {
        guard plan.onePerCampaign, let k = e.keyText, let by = rewardedBy[k], by != plan.sections[si].name else { return nil }
        return by
    }

    /// Records why the traced key was not paid by a section.
    func note(_ e: Award.Entrant, _ si: Int, period: Value? = nil, _ why: @autoclosure () -> String) {
        guard let t = traceKey, e.keyText == t else { return }
        traced.append(Note(section: plan.sections[si].name, period: period, why: why()))
    }

    /// Lists an entry as excluded, once, whatever the number of sections that pass it over.
    func exclude(_ e: Award.Entrant, _ fields: [(String, Value)]) {
        guard excludedEntries.insert(e.index).inserted else { return }
        excluded.append(e.entry, fields)
    }

    /// Pays an entrant's key from section `si`; `fields` (rank, score...) go on the winner's row.
    func pay(_ e: Award.Entrant, _ si: Int, _ amount: ExactDecimal, _ fields: [(String, Value)], period: Value? = nil) throws {
        let s = plan.sections[si]
        let newTotal = try ExactDecimal.add(sectionPaid[si], amount)
        guard newTotal <= s.budget, let pi = plan.pools.firstIndex(where: { $0.unit == s.unit }) else {
            throw EvalError("internal error: \(s.name) would pay more than its \(RewardPlan.value(s.budget, s.unit))")
        }
        sectionPaid[si] = newTotal
        sectionWinners[si] += 1
        paid[pi] = try ExactDecimal.add(paid[pi], amount)
        let prize = RewardPlan.value(amount, s.unit)
        var extra: [(String, Value)] = plan.legacy ? [] : [("section", .text(s.name))]
        if let period { extra.append(("period", period)) }
        winners.append(.record(e.entry.extended(extra + fields + [("prize", prize)])))

        var row: Int
        if let k = e.keyText, let r = rowOf[k] {
            row = r
        } else {
            row = rows.count
            rows.append((e.payKey ?? .none, plan.pools.map { _ in .zero }, []))
            if let k = e.keyText { rowOf[k] = row }
        }
        rows[row].amounts[pi] = try ExactDecimal.add(rows[row].amounts[pi], amount)
        if rows[row].sections.last != s.name { rows[row].sections.append(s.name) }
        if let k = e.keyText, rewardedBy[k] == nil { rewardedBy[k] = s.name }
        if let t = traceKey, e.keyText == t {
            traced.append(Note(section: s.name, period: period, prize: prize, rank: fields.first { $0.0 == "rank" }?.1))
        }
    }

    /// The award's result record.
    func result(entries: Int, eligible: Int, _ m: Machine) throws -> Value {
        func perPool(_ xs: [ExactDecimal]) -> Value {
            let vs = zip(xs, plan.pools).map { RewardPlan.value($0, $1.unit) }
            return plan.poolIsList ? .list(vs) : vs[0]
        }
        let unallocated = try zip(plan.pools, paid).map { try ExactDecimal.subtract($0.amount, $1) }
        let tokens = plan.pools.map { p in p.unit.map { UnitRegistry.shared.name($0) } ?? "amount" }
        let payouts: [Value] = rows.map { r in
            .record(Record.make([("key", r.key)] + zip(tokens, zip(r.amounts, plan.pools)).map { ($0, RewardPlan.value($1.0, $1.1.unit)) }
                                + [("sections", .text(r.sections.joined(separator: ", ")))]))
        }
        let sections: [Value] = try plan.sections.enumerated().map { si, s in
            .record(Record.make([
                ("name", .text(s.name)), ("method", .text(s.methodName)), ("budget", RewardPlan.value(s.budget, s.unit)),
                ("paid", RewardPlan.value(sectionPaid[si], s.unit)),
                ("unallocated", RewardPlan.value(try ExactDecimal.subtract(s.budget, sectionPaid[si]), s.unit)),
                ("dust", RewardPlan.value(sectionDust[si], s.unit)), ("winners", .number(ExactDecimal(sectionWinners[si]))),
            ]))
        }
        return .record(Record.make([
            ("winners", .list(winners)), ("excluded", .list(excluded.list)), ("paid", perPool(paid)), ("unallocated", perPool(unallocated)),
            ("entries", .number(ExactDecimal(entries))), ("eligible", .number(ExactDecimal(eligible))),
            ("sections", .list(sections)), ("payouts", .list(payouts)),
        ]))
    }
}
