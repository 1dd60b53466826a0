import KDK

/// What `kdk sql` gives: one of three results of a campaign's award.
public enum SQLResult: String, CaseIterable, Sendable {
    /// One row per winner: section, rank, key, id, an amount per token.
    case winners
    /// One row per key paid: key, an amount per token, sections.
    case payouts
    /// One row per token: paid, unallocated, entries, eligible, excluded.
    case totals
}

/// A campaign compiled to one SQL query over a table of its entries, that
/// gives what `award` gives, to the token. It follows `Award` and
/// `SectionPass` step by step: the rules in order (the first failed one
/// excludes), each key's best entry, sections in claim order (a key paid by
/// an earlier section skipped when the campaign pays once), ranks that
/// pass down or forfeit, raffle tickets from SHA-256, the capped share
/// water-filled without recursion. Amounts are whole numbers of the
/// token's smallest unit until the last step; nothing divides decimals.
/// Ties end at `id`: the engine has no input order, so ids must be unique.
public struct CampaignSQL {
    public struct Options: Sendable {
        public var dialect: SQLDialect
        /// The table of entries: `posts`, or `analytics.posts` (each part quoted).
        public var table: String
        public var result: SQLResult
        public init(dialect: SQLDialect, table: String, result: SQLResult = .winners) {
            self.dialect = dialect
            self.table = table
            self.result = result
        }
    }

    /// The query, or every reason the campaign cannot compile for the
    /// dialect (E05xx, each about the part of the campaign at fault).
    /// `shape`: the entries' shape (a `shape` declaration's value) when the
    /// campaign has no `entry = ...`; `shapeName` names it in messages.
    public static func compile(_ campaign: Value, _ options: Options, shape: Value? = nil, shapeName: String? = nil,
                               _ m: Machine) -> (sql: String?, problems: [EvalError]) {
        var problems: [EvalError] = []
        do {
            let builder = try Builder(campaign, options, shape: shape, shapeName: shapeName, m, problems: &problems)
            guard problems.isEmpty else { return (nil, problems) }
            return (builder.query(), [])
        } catch let e as EvalError {
            return (nil, problems + [e])
        } catch {
            return (nil, problems + [EvalError("\(error)")])
        }
    }
}

/// One campaign's query, put together CTE by CTE.
private struct Builder {
    let d: SQLDialect
    let options: Options
    typealias Options = CampaignSQL.Options
    let award: Award
    var plan: RewardPlan { award.plan }
    /// The entries' computed columns, in the first CTE.
    var rules: [String] = []
    var score: SQLExpression?
    var key: SQLExpression?
    var qualifies: String = "TRUE"
    var tie: String?
    /// A share's points per entry, by section index (its `by`).
    var points: [Int: SQLExpression] = [:]
    let hasTime: Bool
    /// The places of each pool token's smallest unit.
    var places: [Int] = []
    var needsPeople = false

    init(_ campaign: Value, _ options: Options, shape: Value?, shapeName: String?, _ m: Machine, problems: inout [EvalError]) throws {
        d = options.dialect
        self.options = options
        award = try Award(campaign, m)
        guard case .model(let obj) = campaign else { throw EvalError("kdk sql compiles a campaign") }
        // The entries' shape: the campaign's entry = ..., else the one given.
        let declared = try ModelSupport.field(obj, "entry", m)
        let shapeValue = declared == .none ? shape : declared
        guard case .record(let s)? = shapeValue else {
            throw EvalError("kdk sql needs the entries' shape to type the table's columns: \(obj.name) has no entry = ...",
                            help: "declare shape Post { id: number, ... } and entry = Post in the campaign, or pass --shape Post").coded(.sqlShape)
        }
        let name = declared == .none ? (shapeName ?? "given") : "of \(obj.name)'s entries"
        let fields = SQLExpression.kinds(of: s)
        for field in fields.keys.sorted() where field.lowercased().hasPrefix("kdk_") {
            problems.append(EvalError("the field '\(field)' starts with kdk_, which the query keeps for its own columns").coded(.sqlShape).about(field: "entry"))
        }
        guard fields["id"] == .integer || fields["id"] == .text else {
            throw EvalError("kdk sql needs the entries to have an id (a whole number or text): equal scores and arrival times end at it",
                            help: "add id: number to the shape").coded(.sqlShape)
        }
        hasTime = fields["time"] == .time
        var t = SQLExpression.Translator(dialect: d, fields: fields, shapeName: name)

        func attempt<T>(_ focus: (String, Int?), _ body: () throws -> T) -> T? {
            do { return try body() } catch let e as EvalError {
                problems.append(e.about(field: focus.0, item: focus.1))
                return nil
            } catch { return nil }
        }
        for (i, r) in award.rules.enumerated() {
            if let x = attempt(("rules", i), { try t.translate(r.test, "rule '\(r.name)'", m) }) {
                if x.kind != .bool { problems.append(EvalError("rule '\(r.name)' gives \(x.kind.name), not a bool").coded(.sqlExpression).about(field: "rules", item: i)) }
                rules.append(x.sql)
            }
        }
        if let f = award.score { score = attempt(("score", nil)) { try t.translate(f, "score", m) } }
        if let s = score, !s.kind.isNumber {
            problems.append(EvalError("score gives \(s.kind.name), not a number").coded(.sqlExpression).about(field: "score"))
        }
        if let f = award.onePer {
            key = attempt(("one_prize_per", nil)) { try t.translate(f, "one_prize_per", m) }
        } else if let author = fields["author"] {
            key = SQLExpression(sql: d.identifier("author"), kind: author)
        }
        if let k = key, k.kind != .text && k.kind != .integer {
            problems.append(EvalError("one_prize_per gives \(k.kind.name): kdk sql takes keys that are text or whole numbers").coded(.sqlExpression).about(field: "one_prize_per"))
        }
        if let f = award.qualifies, let q = attempt(("qualifies", nil), { try t.translate(f, "qualifies", m) }) { qualifies = "((\(q.sql)) IS TRUE)" }
        if let f = award.tieBreak, let x = attempt(("tie_break", nil), { try t.translate(f, "tie_break", m) }) { tie = x.sql }

        for (pi, pool) in plan.pools.enumerated() {
            var p = plan.places(pool.unit, m)
            for s in plan.sections where s.unit == pool.unit {
                for amount in Builder.amounts(of: s) + [s.budget] { p = max(p, Builder.scale(amount)) }
            }
            p = max(p, Builder.scale(pool.amount))
            places.append(p)
            let units = Builder.units(pool.amount, p)
            if units == nil {
                let token = pool.unit.map { UnitRegistry.shared.name($0) } ?? "the pool"
                problems.append(EvalError("the pool \(RewardPlan.value(pool.amount, pool.unit)) is \(Builder.scale(pool.amount) > 18 ? "too fine" : "too large") in \(token)'s smallest unit (\(p) places) for 64-bit integers",
                                          help: "SQL engines add amounts as BIGINT (Spark's DECIMAL(38) too would overflow its products); keep pool × 10^places under 9.2 × 10^18")
                    .coded(.sqlOverflow).about(field: "pool", item: plan.poolIsList ? pi : nil))
            }
        }
        for s in plan.sections {
            let focus = ("rewards", plan.legacy ? nil : Optional(s.index))
            switch s.method {
            case .leaderboard(_, let periods):
                if periods != nil && !hasTime {
                    problems.append(EvalError("a leaderboard with a period needs the entries' time: the shape has no time field")
                        .coded(.sqlShape).about(field: focus.0, item: focus.1))
                }
            case .share(let by, _):
                needsPeople = true
                let x: SQLExpression? = by.map { f in attempt(focus) { try t.translate(f, "\(s.name)'s by", m) } } ?? score
                if let x {
                    if x.kind != .integer {
                        problems.append(EvalError("\(s.name)'s points are \(x.kind.name): kdk sql splits by whole-number points only",
                                                  help: "points made of whole-number fields (likes, shares) compile").coded(.sqlFeature).about(field: focus.0, item: focus.1))
                    }
                    points[s.index] = x
                }
            case .raffle, .firstCome, .everyone:
                needsPeople = true
            }
        }
    }

    // MARK: amounts

    static func scale(_ d: ExactDecimal) -> Int {
        let text = d.description
        guard let dot = text.firstIndex(of: ".") else { return 0 }
        return text.distance(from: text.index(after: dot), to: text.endIndex)
    }

    /// `d` in units of 10^-places, if that fits 64 bits.
    static func units(_ d: ExactDecimal, _ places: Int) -> Int64? {
        guard let p = try? ExactDecimal.power(ExactDecimal(10), places), let u = try? ExactDecimal.multiply(d, p), u.isInteger,
              let i = u.intValue, i < 1_000_000_000_000_000_000 else { return nil }
        return Int64(i)
    }

    /// The fixed amounts a section pays (prizes, caps, floors).
    static func amounts(of s: RewardPlan.Section) -> [ExactDecimal] {
        switch s.method {
        case .leaderboard(let tiers, _): return tiers.prizes.compactMap { RewardPlan.amount($0)?.0 }
        case .raffle(_, _, let prize, let floor): return [prize ?? floor, floor]
        case .share(_, let cap): return cap.map { [$0] } ?? []
        case .firstCome(_, let prize), .everyone(let prize): return [prize]
        }
    }

    func pool(of s: RewardPlan.Section) -> Int { plan.pools.firstIndex { $0.unit == s.unit } ?? 0 }
    func units(_ amount: ExactDecimal, of s: RewardPlan.Section) -> String { "\(Builder.units(amount, places[pool(of: s)]) ?? 0)" }

    // MARK: the query

    func q(_ name: String) -> String { d.identifier(name) }
    var id: String { q("id") }
    /// Arrival: time, then id (entries without a time last).
    var arrival: String { (hasTime ? "\(q("time")) ASC NULLS LAST, " : "") + "\(id) ASC NULLS LAST" }
    /// A leaderboard's order: score, then the tie-break (time, then id, by default).
    var ranking: String {
        "kdk_score DESC NULLS LAST, " + (tie.map { "\($0) ASC NULLS LAST, " } ?? (hasTime ? "\(q("time")) ASC NULLS LAST, " : "")) + "\(id) ASC"
    }
    var keyText: String {
        guard let key else { return "CAST(NULL AS \(d.textType))" }
        return key.kind == .text ? key.sql : "CAST(\(key.sql) AS \(d.textType))"
    }

    /// The entries with the first rule each fails (null: eligible).
    var rowsCTE: String {
        let failed = rules.isEmpty ? "CAST(NULL AS INTEGER)"
            : "CASE " + rules.enumerated().map { "WHEN (\($1)) IS NOT TRUE THEN \($0)" }.joined(separator: " ") + " END"
        return "kdk_rows AS (\n  SELECT *, \(failed) AS kdk_failed\n  FROM \(d.table(options.table))\n)"
    }

    var eligibleCTE: String {
        var cols = ["\(score?.sql ?? "CAST(NULL AS INTEGER)") AS kdk_score", "\(keyText) AS kdk_key",
                    "COALESCE(\(keyText), CAST(\(id) AS \(d.textType))) AS kdk_pay", "\(qualifies) AS kdk_ok"]
        for (index, p) in points.sorted(by: { $0.key < $1.key }) { cols.append("\(p.sql) AS kdk_points\(index)") }
        return "kdk_eligible AS (\n  SELECT *, \(cols.joined(separator: ", "))\n  FROM kdk_rows WHERE kdk_failed IS NULL\n)"
    }

    /// One entry per key, its earliest.
    var peopleCTE: String {
        "kdk_people AS (\n  SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY kdk_pay ORDER BY \(arrival)) AS kdk_first FROM kdk_eligible) kdk_x WHERE kdk_first = 1\n)"
    }

    /// Keys an earlier section paid, when the campaign pays each key once.
    func unclaimed(_ k: Int, _ alias: String) -> [String] {
        guard plan.onePerCampaign, k > 0 else { return [] }
        return (0..<k).map { "NOT EXISTS (SELECT 1 FROM kdk_w\($0) kdk_p WHERE kdk_p.kdk_pay = \(alias).kdk_pay)" }
    }

    /// ` WHERE` and the conditions, if any.
    func whereAll(_ conditions: [String]) -> String {
        conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
    }

    /// How many rank-taking entries come before each: qualified ones, or
    /// (forfeit) all, since a disqualified winner keeps the place.
    func before(_ order: String, partition: String? = nil) -> String {
        let takes = award.forfeit ? "1" : "CASE WHEN kdk_ok THEN 1 ELSE 0 END"
        let over = (partition.map { "PARTITION BY \($0) " } ?? "") + "ORDER BY \(order)"
        return "COALESCE(SUM(\(takes)) OVER (\(over) ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS kdk_before"
    }

    /// A winners CTE's columns: section, rank, key, id, units.
    func winnerColumns(_ k: Int, rank: String, units: String, period: String = "CAST(NULL AS INTEGER)") -> String {
        "\(k) AS kdk_s, \(period) AS kdk_period, CAST(\(rank) AS \(d.bigint)) AS kdk_rank, kdk_pay, \(id) AS kdk_id, \(units) AS kdk_units"
    }

    /// Whether a section pays per period (then winners have a period column).
    var hasPeriods: Bool { plan.sections.contains { if case .leaderboard(_, let p) = $0.method { return p != nil }; return false } }

    /// The eligible entries with the period (numbered from 0) each falls in:
    /// the periods are cut before the query is written (RewardPlan.cut).
    func inPeriods(_ periods: [Period]) -> String {
        let closed: Bool = { if case .range(let w)? = try? award.m.field(award.obj, "window"), w.closed { return true }; return false }()
        let rows = periods.enumerated().map { [String($0), d.time($1.start), d.time($1.end)] }
        let time = q("time")
        let last = closed ? " OR (kdk_per.kdk_period = \(periods.count - 1) AND \(time) = kdk_per.kdk_to)" : ""
        return "SELECT kdk_el.*, kdk_per.kdk_period AS kdk_in_period FROM kdk_eligible kdk_el JOIN \(d.inlineTable("kdk_per", ["kdk_period", "kdk_from", "kdk_to"], rows))"
            + " ON \(time) >= kdk_per.kdk_from AND (\(time) < kdk_per.kdk_to\(last))"
    }

    /// The CTEs of section `k`: `kdk_w<k>` (its winners) and `kdk_x<k>`
    /// (entries it found disqualified).
    func sectionCTEs(_ s: RewardPlan.Section, _ k: Int) -> [String] {
        let wide = d.wideInteger
        switch s.method {
        case .leaderboard(let tiers, let periods):
            let last = tiers.prizes.count
            var cases: [String] = []
            var r = 0
            while r < last {
                var e = r
                while e + 1 < last, tiers.prizes[e + 1] == tiers.prizes[r] { e += 1 }
                cases.append("WHEN kdk_before < \(e + 1) THEN \(units(RewardPlan.amount(tiers.prizes[r])?.0 ?? .zero, of: s))")
                r = e + 1
            }
            let units = "CASE \(cases.joined(separator: " ")) END"
            guard let periods else {
                return [
                    "kdk_c\(k) AS (\n  SELECT *, ROW_NUMBER() OVER (ORDER BY \(ranking)) AS kdk_pos\n  FROM kdk_best kdk_b\(whereAll(["(kdk_key IS NULL OR kdk_best = 1)"] + unclaimed(k, "kdk_b")))\n)",
                    "kdk_r\(k) AS (\n  SELECT *, \(before("kdk_pos")) FROM kdk_c\(k)\n)",
                    "kdk_w\(k) AS (\n  SELECT \(winnerColumns(k, rank: "kdk_before + 1", units: units))\n  FROM kdk_r\(k) WHERE kdk_ok AND kdk_before < \(last)\n)",
                    "kdk_x\(k) AS (\n  SELECT \(id) AS kdk_id FROM kdk_r\(k) WHERE NOT kdk_ok AND kdk_before < \(last)\n)",
                ]
            }
            // Each period ranks its own entries; each key's best entry per period.
            return [
                "kdk_pb\(k) AS (\n  SELECT *, ROW_NUMBER() OVER (PARTITION BY kdk_in_period, kdk_key ORDER BY \(ranking)) AS kdk_best_in FROM (\(inPeriods(periods))) kdk_pe\n)",
                "kdk_c\(k) AS (\n  SELECT *, ROW_NUMBER() OVER (PARTITION BY kdk_in_period ORDER BY \(ranking)) AS kdk_pos\n  FROM kdk_pb\(k) kdk_b\(whereAll(["(kdk_key IS NULL OR kdk_best_in = 1)"] + unclaimed(k, "kdk_b")))\n)",
                "kdk_r\(k) AS (\n  SELECT *, \(before("kdk_pos", partition: "kdk_in_period")) FROM kdk_c\(k)\n)",
                "kdk_w\(k) AS (\n  SELECT \(winnerColumns(k, rank: "kdk_before + 1", units: units, period: "kdk_in_period"))\n  FROM kdk_r\(k) WHERE kdk_ok AND kdk_before < \(last)\n)",
                "kdk_x\(k) AS (\n  SELECT \(id) AS kdk_id FROM kdk_r\(k) WHERE NOT kdk_ok AND kdk_before < \(last)\n)",
            ]
        case .raffle(let n, let seed, let prize, let floor):
            let ticket = d.sha256(d.text(seed + ":") + " || kdk_pay")
            var ctes = [
                "kdk_c\(k) AS (\n  SELECT *, ROW_NUMBER() OVER (ORDER BY \(d.bytewise("kdk_ticket")), \(d.bytewise("kdk_pay"))) AS kdk_pos\n  FROM (SELECT *, \(ticket) AS kdk_ticket FROM kdk_people) kdk_t\(whereAll(unclaimed(k, "kdk_t")))\n)",
                "kdk_r\(k) AS (\n  SELECT *, \(before("kdk_pos")) FROM kdk_c\(k)\n)",
                "kdk_d\(k) AS (\n  SELECT * FROM kdk_r\(k) WHERE kdk_before < \(n)\(award.forfeit ? "" : " AND kdk_ok")\n)",
            ]
            if let prize {
                ctes.append("kdk_w\(k) AS (\n  SELECT \(winnerColumns(k, rank: "kdk_before + 1", units: units(prize, of: s)))\n  FROM kdk_d\(k) WHERE kdk_ok\n)")
            } else {
                // The random split: the floor each, the rest by weight, rounded down.
                let weight = "1 + " + d.hex8("substr(\(d.sha256(d.text(seed + ":split:") + " || kdk_pay")), 1, 8)")
                let budget = units(s.budget, of: s), fl = units(floor, of: s)
                let share = "\(fl) + CAST(\(d.integerDivision("CAST(\(budget) - \(fl) * kdk_n AS \(wide)) * kdk_weight", "kdk_total")) AS \(d.bigint))"
                ctes.append("kdk_g\(k) AS (\n  SELECT *, \(weight) AS kdk_weight FROM kdk_d\(k)\n)")
                ctes.append("kdk_w\(k) AS (\n  SELECT \(winnerColumns(k, rank: "kdk_before + 1", units: share))\n  FROM kdk_g\(k) CROSS JOIN (SELECT COUNT(*) AS kdk_n, SUM(kdk_weight) AS kdk_total FROM kdk_g\(k)) kdk_a WHERE kdk_ok\n)")
            }
            ctes.append("kdk_x\(k) AS (\n  SELECT \(id) AS kdk_id FROM kdk_r\(k) WHERE NOT kdk_ok AND kdk_before < \(n)\n)")
            return ctes
        case .firstCome(let n, let prize):
            return [
                "kdk_c\(k) AS (\n  SELECT *, ROW_NUMBER() OVER (ORDER BY \(arrival)) AS kdk_pos FROM kdk_people kdk_t\(whereAll(unclaimed(k, "kdk_t")))\n)",
                "kdk_r\(k) AS (\n  SELECT *, \(before("kdk_pos")) FROM kdk_c\(k)\n)",
                "kdk_w\(k) AS (\n  SELECT \(winnerColumns(k, rank: "kdk_before + 1", units: units(prize, of: s)))\n  FROM kdk_r\(k) WHERE kdk_ok AND kdk_before < \(n)\n)",
                "kdk_x\(k) AS (\n  SELECT \(id) AS kdk_id FROM kdk_r\(k) WHERE NOT kdk_ok AND kdk_before < \(n)\n)",
            ]
        case .everyone(let prize):
            let p = units(prize, of: s), budget = units(s.budget, of: s)
            let each = "CASE WHEN CAST(\(p) AS \(wide)) * kdk_n <= \(budget) THEN \(p) ELSE CAST(\(d.integerDivision("CAST(\(budget) AS \(wide))", "kdk_n")) AS \(d.bigint)) END"
            return [
                "kdk_c\(k) AS (\n  SELECT *, ROW_NUMBER() OVER (ORDER BY \(arrival)) AS kdk_pos FROM kdk_people kdk_t\(whereAll(unclaimed(k, "kdk_t") + (award.forfeit ? [] : ["kdk_ok"])))\n)",
                "kdk_e\(k) AS (\n  SELECT *, \(each) AS kdk_each FROM kdk_c\(k) CROSS JOIN (SELECT COUNT(*) AS kdk_n FROM kdk_c\(k)) kdk_a\n)",
                "kdk_w\(k) AS (\n  SELECT \(winnerColumns(k, rank: "kdk_pos", units: "kdk_each"))\n  FROM kdk_e\(k) WHERE kdk_ok AND kdk_each > 0\n)",
                "kdk_x\(k) AS (\n  SELECT \(id) AS kdk_id FROM kdk_people kdk_t\(whereAll(unclaimed(k, "kdk_t") + ["NOT kdk_ok"]))\n)",
            ]
        case .share(_, let cap):
            // Keys by points, most first (then arrival). With a cap C and
            // budget B, the key at position q is capped exactly when
            // (B - (q-1)C) * w_q >= C * (W - P_(q-1)), W the points of all,
            // P the points before it: the capped keys are the first j, and
            // the rest split B - jC by their points, rounded down, as
            // water-filling round by round gives (ProRata.split).
            let b = units(s.budget, of: s)
            let order = "kdk_points DESC, \(arrival)"
            var ctes = [
                "kdk_c\(k) AS (\n  SELECT kdk_t.*, kdk_sp.kdk_points FROM kdk_people kdk_t JOIN (SELECT kdk_pay AS kdk_key_points, SUM(kdk_points\(s.index)) AS kdk_points FROM kdk_eligible GROUP BY kdk_pay) kdk_sp ON kdk_sp.kdk_key_points = kdk_t.kdk_pay\n \(whereAll(["kdk_sp.kdk_points <> 0"] + unclaimed(k, "kdk_t")))\n)",
                "kdk_t\(k) AS (\n  SELECT *, ROW_NUMBER() OVER (ORDER BY \(order)) AS kdk_pos,\n    COALESCE(SUM(kdk_points) OVER (ORDER BY \(order) ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS kdk_prev,\n    SUM(kdk_points) OVER () AS kdk_all\n  FROM kdk_c\(k)\(award.forfeit ? "" : " WHERE kdk_ok")\n)",
            ]
            if let cap {
                let c = units(cap, of: s)
                let capped = "CAST(\(b) - (kdk_pos - 1) * \(c) AS \(wide)) * kdk_points >= CAST(\(c) AS \(wide)) * (kdk_all - kdk_prev)"
                ctes.append("kdk_j\(k) AS (\n  SELECT COUNT(*) AS kdk_capped, COALESCE(SUM(kdk_points), 0) AS kdk_capped_points FROM kdk_t\(k) WHERE \(capped)\n)")
                let rest = "CAST(\(d.integerDivision("CAST(\(b) - kdk_capped * \(c) AS \(wide)) * kdk_points", "NULLIF(kdk_all - kdk_capped_points, 0)")) AS \(d.bigint))"
                ctes.append("kdk_u\(k) AS (\n  SELECT *, CASE WHEN kdk_pos <= kdk_capped THEN \(c) ELSE \(rest) END AS kdk_share FROM kdk_t\(k) CROSS JOIN kdk_j\(k)\n)")
            } else {
                ctes.append("kdk_u\(k) AS (\n  SELECT *, CAST(\(d.integerDivision("CAST(\(b) AS \(wide)) * kdk_points", "kdk_all")) AS \(d.bigint)) AS kdk_share FROM kdk_t\(k)\n)")
            }
            ctes.append("kdk_w\(k) AS (\n  SELECT \(winnerColumns(k, rank: "kdk_pos", units: "kdk_share"))\n  FROM kdk_u\(k) WHERE kdk_ok AND kdk_share > 0\n)")
            ctes.append("kdk_x\(k) AS (\n  SELECT \(id) AS kdk_id FROM kdk_c\(k) WHERE NOT kdk_ok\n)")
            return ctes
        }
    }

    var hasLeaderboard: Bool { plan.sections.contains { if case .leaderboard = $0.method { return true }; return false } }

    /// Each eligible entry's place among its key's entries, best first.
    var bestCTE: String {
        "kdk_best AS (\n  SELECT *, ROW_NUMBER() OVER (PARTITION BY kdk_key ORDER BY \(ranking)) AS kdk_best FROM kdk_eligible\n)"
    }

    func query() -> String {
        var ctes = [rowsCTE, eligibleCTE]
        if needsPeople { ctes.append(peopleCTE) }
        if hasLeaderboard { ctes.append(bestCTE) }
        for (k, s) in plan.sections.enumerated() { ctes += sectionCTEs(s, k) }
        ctes.append("kdk_winners AS (\n  " + plan.sections.indices.map { "SELECT * FROM kdk_w\($0)" }.joined(separator: "\n  UNION ALL ") + "\n)")
        let tokens = plan.pools.map { p in p.unit.map { UnitRegistry.shared.name($0) } ?? "amount" }
        let sectionsOf: [[Int]] = plan.pools.map { p in plan.sections.indices.filter { plan.sections[$0].unit == p.unit } }
        func inToken(_ i: Int) -> String { "kdk_s IN (\(sectionsOf[i].map(String.init).joined(separator: ", ")))" }
        let body: String
        switch options.result {
        case .winners:
            let name = "CASE kdk_s " + plan.sections.enumerated().map { "WHEN \($0) THEN \(d.text($1.name))" }.joined(separator: " ") + " END"
            var cols = ["\(name) AS \(q("section"))"]
            if hasPeriods {
                // The period as kdk shows its start, in the window's offset.
                var starts: [String] = []
                for s in plan.sections { if case .leaderboard(_, let p?) = s.method { starts = p.map { Value.time($0.start).literal() }; break } }
                cols.append("CASE kdk_period " + starts.enumerated().map { "WHEN \($0) THEN \(d.text($1))" }.joined(separator: " ") + " END AS \(q("period"))")
            }
            cols += ["kdk_rank AS \(q("rank"))", "kdk_pay AS \(q("key"))", "kdk_id AS \(q("id"))"]
            for (i, t) in tokens.enumerated() {
                cols.append("CASE WHEN \(inToken(i)) THEN \(d.amount("kdk_units", places: places[i])) END AS \(q(t.lowercased()))")
            }
            body = "SELECT \(cols.joined(separator: ", "))\nFROM kdk_winners\nORDER BY kdk_s, kdk_period, kdk_rank"
        case .payouts:
            var cols = ["kdk_pay AS \(q("key"))"]
            for (i, t) in tokens.enumerated() {
                cols.append("\(d.amount("SUM(CASE WHEN \(inToken(i)) THEN kdk_units ELSE 0 END)", places: places[i])) AS \(q(t.lowercased()))")
            }
            let names = plan.sections.enumerated().map { "CASE WHEN MAX(CASE WHEN kdk_s = \($0) THEN 1 ELSE 0 END) = 1 THEN \(d.text($1.name)) END" }
            cols.append("\(d.joinPresent(names)) AS \(q("sections"))")
            ctes.append("kdk_paid AS (\n  SELECT *, ROW_NUMBER() OVER (ORDER BY kdk_s, kdk_period, kdk_rank) AS kdk_seq FROM kdk_winners\n)")
            body = "SELECT \(cols.joined(separator: ", "))\nFROM kdk_paid\nGROUP BY kdk_pay\nORDER BY MIN(kdk_seq)"
        case .totals:
            // Aggregates joined, not scalar subqueries: Spark runs each
            // subquery on its own, recomputing the entries (and their
            // rules) every time.
            let excludedBy = plan.sections.indices.map { "SELECT kdk_id FROM kdk_x\($0)" }.joined(separator: " \(d.unionDistinct) ")
            ctes.append("kdk_tally AS (\n  SELECT COUNT(*) AS kdk_entries, COUNT(kdk_failed) AS kdk_failed_n FROM kdk_rows\n)")
            ctes.append("kdk_passed_over AS (\n  SELECT COUNT(*) AS kdk_passed_over_n FROM (\(excludedBy)) kdk_u\n)")
            // A tiers campaign lists each key's other entries as excluded (one prize per key).
            let others = plan.legacy && hasLeaderboard
            if others {
                ctes.append("kdk_others AS (\n  SELECT COUNT(*) AS kdk_others_n FROM kdk_best WHERE kdk_key IS NOT NULL AND kdk_best > 1\n)")
            }
            ctes.append("kdk_paid_units AS (\n  SELECT " + tokens.indices.map { "COALESCE(SUM(CASE WHEN \(inToken($0)) THEN kdk_units ELSE 0 END), 0) AS kdk_paid\($0)" }
                .joined(separator: ", ") + " FROM kdk_winners\n)")
            // One row per token, in the pool's order.
            let perToken = tokens.enumerated().map { i, t in
                let pool = Builder.units(plan.pools[i].amount, places[i]) ?? 0
                return "SELECT \(i) AS kdk_i, \(d.text(t)) AS kdk_token, \(d.amount("kdk_paid\(i)", places: places[i])) AS kdk_paid, \(d.amount("\(pool) - kdk_paid\(i)", places: places[i])) AS kdk_unallocated FROM kdk_paid_units"
            }
            ctes.append("kdk_tokens AS (\n  " + perToken.joined(separator: "\n  UNION ALL ") + "\n)")
            body = "SELECT kdk_token AS \(q("token")), kdk_paid AS \(q("paid")), kdk_unallocated AS \(q("unallocated")), kdk_entries AS \(q("entries")), "
                + "kdk_entries - kdk_failed_n AS \(q("eligible")), kdk_failed_n + kdk_passed_over_n\(others ? " + kdk_others_n" : "") AS \(q("excluded"))\n"
                + "FROM kdk_tokens CROSS JOIN kdk_tally CROSS JOIN kdk_passed_over\(others ? " CROSS JOIN kdk_others" : "")\nORDER BY kdk_i"
        }
        let header = "-- kdk sql: \(award.obj.name), \(options.result.rawValue), for \(d.rawValue) (kdk \(KDKInfo.version))\n"
        return header + (d.preamble.map { $0 + "\n" } ?? "") + "WITH\n" + ctes.joined(separator: ",\n") + "\n" + body + ";\n"
    }
}
