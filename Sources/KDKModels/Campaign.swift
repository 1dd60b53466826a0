import KDK

/// The `campaign` kind: rank entries by a score and pay tiered prizes.
///
///     campaign PostToWinKDK {
///       window = 2025-12-19T12:00+08:00 ..< 2025-12-30T24:00+08:00
///       pool   = 2_000 KDK
///       tiers  = [tier(1, 400 KDK), tier(2...6, 200 KDK), tier(7...21, 40 KDK)]
///       rules  = [rule("in window", p => p.time in window)]
///       score(p) = p.likes + 2 * p.comments + 3 * p.shares
///     }
///     PostToWinKDK.award(posts)
public enum CampaignModel {
    /// The kind, to register with an engine.
    public static let kind = ModelKind(
        name: "campaign",
        doc: "rank entries by score and pay tiered prizes from a pool",
        fields: [
            .init("pool", required: true, doc: "the total prize pool, e.g. 2_000 KDK"),
            .init("tiers", required: true, doc: "[tier(1, 400 KDK), tier(2...6, 200 KDK)]: prizes by rank"),
            .init("score", required: true, doc: "score(p) = ...: how an entry ranks, highest first"),
            .init("window", default: Value.none, doc: "the campaign period, for use in rules"),
            .init("rules", default: .list([]), doc: "[rule(\"name\", p => ...)]: every rule must hold for an entry to be eligible"),
            .init("tie_break", default: Value.none, doc: "p => key: equal scores rank by this key, ascending (default: earlier time, then smaller id)"),
            .init("one_prize_per", default: Value.none, doc: "p => key: only each key's best entry can win (default: p.author when entries have it)"),
            .init("qualifies", default: Value.none, doc: "p => bool: whether a winner may take the prize (e.g. identity verified)"),
            .init("entry", default: Value.none, doc: "the entries' shape (shape Post {...}): rules and score are checked against it before anything runs"),
            .init("on_disqualified", default: .text("pass_down"), doc: "\"pass_down\" (the next entrant takes the place) or \"forfeit\" (the prize stays unallocated)"),
        ],
        methods: [
            Builtin("award", [Parameter("campaign").accepting(.model), Parameter("entries")],
                    doc: "rank entries and pay prizes: {winners, excluded, paid, unallocated, entries, eligible}") { a, m in
                try Award(a["campaign"], m).run(a.list("entries"))
            },
            Builtin("explain", [Parameter("campaign").accepting(.model), Parameter("entry"), Parameter.optional("entries")],
                    doc: "one entry's story: each rule and its value, its score, and (given all entries) its rank and prize") { a, m in
                try Award(a["campaign"], m).explain(a["entry"], among: a["entries"])
            },
        ],
        functions: [
            Builtin("tier", [Parameter("ranks").accepting([.number, .range]), Parameter("prize")], doc: "prize for a rank (1) or ranks (2...6), each") { a, _ in
                let ranks: Value
                switch a["ranks"] {
                case .number: ranks = .range(RangeValue(a["ranks"], a["ranks"], closed: true))
                case .range: ranks = a["ranks"]
                default: throw EvalError("tier's ranks must be a rank or a range of ranks such as 2...6")
                }
                return .record(Record.make([("ranks", ranks), ("prize", a["prize"])]))
            },
            Builtin("rule", [Parameter("name").accepting(.text), Parameter("test")], doc: "a named eligibility rule: rule(\"original\", p => p.original)") { a, _ in
                guard case .text = a["name"] else { throw EvalError("a rule's name must be text") }
                guard case .function = a["test"] else { throw EvalError("a rule's test must be a function, e.g. p => p.original") }
                return .record(Record.make([("name", a["name"]), ("test", a["test"])]))
            },
        ],
        entries: .init(arguments: ["award": 0, "explain": 1],
                       functionFields: ["score", "rules", "tie_break", "one_prize_per", "qualifies"]),
        validate: { obj, m in _ = try Tiers(obj, m, warn: true) })
}

/// A campaign's tiers, checked: they start at rank 1, are contiguous, do not
/// overlap, and pay no more than the pool.
struct Tiers {
    var prizes: [Value] = []   // prizes[r - 1] is the prize for rank r
    let pool: Value
    let total: Value

    init(_ obj: ModelObject, _ m: Machine, warn: Bool) throws {
        pool = try ModelSupport.field(obj, "pool", m)
        // Each error names the tier at fault (its position in `tiers`, and the
        // ranks or prize argument), so `kdk check` points at it.
        var spans: [(l: Int, h: Int, prize: Value, index: Int)] = []
        for (i, t) in try ModelSupport.list(ModelSupport.field(obj, "tiers", m), "tiers").enumerated() {
            let r = try ModelSupport.record(t, "tiers")
            guard case .range(let rg)? = r["ranks"], case .number(let lo) = rg.lower, case .number(let hi) = rg.upper,
                  let l = lo.intValue, var h = hi.intValue, let prize = r["prize"] else {
                throw EvalError("each tier must be tier(rank, prize) or tier(first...last, prize)").about(field: "tiers", item: i)
            }
            if !rg.closed, h > Int.min { h -= 1 }  // ..<Int.min is left to the range check below, not a trap
            guard l >= 1, h >= l, h - l < 1_000_000 else {
                throw EvalError("tier ranks \(l)...\(h) are not a valid range of ranks").about(field: "tiers", item: i, argument: 0)
            }
            spans.append((l, h, prize, i))
        }
        spans.sort { $0.l < $1.l }
        var next = 1
        var total: Value = .number(.zero)
        for (l, h, prize, i) in spans {
            if l < next {
                throw EvalError("tiers overlap: rank \(l) is paid twice", help: "make the tiers disjoint, e.g. 1, 2...6, 7...21")
                    .about(field: "tiers", item: i, argument: 0)
            }
            if l > next {
                throw EvalError("tiers leave ranks \(next)...\(l - 1) without a prize", help: "tiers must be contiguous from rank 1")
                    .about(field: "tiers", item: i, argument: 0)
            }
            if case .quantity(let amount, let unit) = prize, let d = m.decimals(of: unit),
               amount.rounded(places: d) != amount {
                throw EvalError("the prize \(prize) has more decimals than \(UnitRegistry.shared.name(unit)) allows (\(d))")
                    .about(field: "tiers", item: i, argument: 1)
            }
            for _ in l...h { prizes.append(prize) }
            do {
                total = try Arithmetic.add(total, Arithmetic.multiply(prize, .number(ExactDecimal(h - l + 1))))
            } catch let e as EvalError {
                throw e.about(field: "tiers", item: i, argument: 1)
            }
            next = h + 1
        }
        if spans.isEmpty { throw EvalError("a campaign needs at least one tier").about(field: "tiers") }
        self.total = total
        let over = try Arithmetic.compare(total, pool)
        if over > 0 {
            throw EvalError("the tiers pay \(total) but the pool is \(pool)", help: "lower the prizes or raise the pool").about(field: "pool")
        }
        if over < 0 && warn {
            m.warn("\(obj.name)'s tiers pay \(total) of its \(pool) pool: \(try Arithmetic.subtract(pool, total)) is never paid",
                   help: "check the tiers; \"top 5\" and \"top 15\" tiers usually mean ranks 2-6 and 7-21, not 2-5 and 6-15")
        }
    }
}

/// One run of a campaign over its entries.
struct Award {
    let obj: ModelObject
    let m: Machine
    let tiers: Tiers
    let rules: [(name: String, test: Function)]
    let score: Function
    let tieBreak: Function?
    let onePer: Function?
    let qualifies: Function?
    let forfeit: Bool

    init(_ v: Value, _ m: Machine) throws {
        guard case .model(let obj) = v else { throw EvalError("award needs a campaign") }
        self.obj = obj
        self.m = m
        tiers = try Tiers(obj, m, warn: false)
        rules = try ModelSupport.list(ModelSupport.field(obj, "rules", m), "rules").map { r in
            let rec = try ModelSupport.record(r, "rules")
            guard case .text(let n)? = rec["name"], case .function(let f)? = rec["test"] else {
                throw EvalError("each rule must be rule(\"name\", p => ...)")
            }
            return (n, f)
        }
        guard let s = try ModelSupport.function(ModelSupport.field(obj, "score", m), "score") else {
            throw EvalError("\(obj.name) needs score(p) = ...")
        }
        score = s
        tieBreak = try ModelSupport.function(ModelSupport.field(obj, "tie_break", m), "tie_break")
        onePer = try ModelSupport.function(ModelSupport.field(obj, "one_prize_per", m), "one_prize_per")
        qualifies = try ModelSupport.function(ModelSupport.field(obj, "qualifies", m), "qualifies")
        switch try ModelSupport.field(obj, "on_disqualified", m) {
        case .text("pass_down"): forfeit = false
        case .text("forfeit"): forfeit = true
        case let other: throw EvalError("on_disqualified must be \"pass_down\" or \"forfeit\", not \(other)")
        }
    }

    /// The first rule an entry fails, with the value the rule looked at.
    func failing(_ e: Record) throws -> (String, Value)? {
        for r in rules where try !ModelSupport.truth(m.call(r.test, .record(e)), "rule '\(r.name)'") {
            return (r.name, shown(r.test, e))
        }
        return nil
    }

    func shown(_ f: Function, _ e: Record) -> Value {
        let fields = f.fieldsReadFromFirstParameter
        if fields.count == 1 { return e[fields[0]] ?? .none }
        if fields.isEmpty { return .none }
        return .record(Record.make(fields.map { ($0, e[$0] ?? .none) }))
    }

    /// The tie-break key: the campaign's, else earlier time then smaller id.
    func tieKey(_ e: Record) throws -> Value {
        if let t = tieBreak { return try m.call(t, .record(e)) }
        return .list([e["time"] ?? .none, e["id"] ?? .none])
    }

    func orderKey(_ a: Value, _ b: Value) throws -> Int {
        // none sorts last, so entries without a time rank after those with one.
        switch (a, b) {
        case (.none, .none): return 0
        case (.none, _): return 1
        case (_, .none): return -1
        case (.list(let x), .list(let y)):
            for (p, q) in zip(x, y) { let c = try orderKey(p, q); if c != 0 { return c } }
            return 0
        default: return try Arithmetic.compare(a, b)
        }
    }

    func run(_ entries: [Value]) throws -> Value {
        var excluded: [Value] = []
        var eligible: [(entry: Record, score: Value, tie: Value)] = []
        try m.forEachItem(entries) { v in
            let e = try ModelSupport.record(v, "award's entries")
            if let (rule, value) = try failing(e) {
                excluded.append(.record(ModelSupport.extend(e, [("rule", .text(rule)), ("value", value)])))
                return
            }
            eligible.append((e, try m.call(score, .record(e)), try tieKey(e)))
        }
        // Highest score first; ties by the tie-break key; then input order.
        var order = Array(eligible.indices)
        var failure: Error?
        order.sort { i, j in
            if failure != nil { return i < j }
            do {
                let c = try Arithmetic.compare(eligible[i].score, eligible[j].score)
                if c != 0 { return c > 0 }
                let t = try orderKey(eligible[i].tie, eligible[j].tie)
                return t != 0 ? t < 0 : i < j
            } catch { failure = error; return i < j }
        }
        if let failure { throw failure }

        var seenKeys = Set<String>()
        var winners: [Value] = []
        var paid: Value = .number(.zero)
        var rank = 1
        let lastRank = tiers.prizes.count
        for i in order {
            let (e, s, _) = eligible[i]
            // One prize per key (by default per author, when entries have one).
            let key: Value? = try onePer.map { try m.call($0, .record(e)) } ?? e["author"]
            if let key {
                if !seenKeys.insert(key.literal()).inserted {
                    let per = onePer.map { $0.fieldsReadFromFirstParameter.count == 1 ? $0.fieldsReadFromFirstParameter[0] : "key" } ?? "author"
                    excluded.append(.record(ModelSupport.extend(e, [("rule", .text("one prize per \(per)")),
                                                                    ("value", key), ("score", s)])))
                    continue
                }
            }
            if rank > lastRank {
                continue
            }
            if let q = qualifies, try !ModelSupport.truth(m.call(q, .record(e)), "qualifies") {
                excluded.append(.record(ModelSupport.extend(e, [("rule", .text(forfeit ? "qualifies (prize forfeited)" : "qualifies")),
                                                                ("value", shown(q, e)), ("score", s)])))
                if forfeit { rank += 1 }
                continue
            }
            let prize = tiers.prizes[rank - 1]
            winners.append(.record(ModelSupport.extend(e, [("rank", .number(ExactDecimal(rank))), ("score", s), ("prize", prize)])))
            paid = try Arithmetic.add(paid, prize)
            rank += 1
        }
        let unallocated = try Arithmetic.subtract(tiers.pool, paid)
        return .record(Record.make([
            ("winners", .list(winners)), ("excluded", .list(excluded)), ("paid", paid), ("unallocated", unallocated),
            ("entries", .number(ExactDecimal(entries.count))), ("eligible", .number(ExactDecimal(eligible.count))),
        ]))
    }

    func explain(_ v: Value, among all: Value) throws -> Value {
        let e = try ModelSupport.record(v, "explain's entry")
        var steps: [Value] = []
        var passed = true
        for r in rules {
            let ok = try ModelSupport.truth(m.call(r.test, .record(e)), "rule '\(r.name)'")
            steps.append(.record(Record.make([("rule", .text(r.name)), ("passed", .bool(ok)), ("value", shown(r.test, e))])))
            if !ok { passed = false; break }
        }
        var out: [(String, Value)] = [("rules", .list(steps)), ("eligible", .bool(passed))]
        if passed { out.append(("score", try m.call(score, .record(e)))) }
        if passed, case .list(let entries) = all {
            let result = try run(entries)
            guard case .record(let rec) = result, case .list(let winners)? = rec["winners"], case .list(let excluded)? = rec["excluded"] else {
                return .record(Record.make(out))
            }
            let same: (Value) -> Bool = { w in if case .record(let r) = w { return r["id"] != nil ? r["id"]! == (e["id"] ?? .none) : r.isIdentical(to: e) }; return false }
            if let w = winners.first(where: same), case .record(let wr) = w {
                out.append(("rank", wr["rank"] ?? .none))
                out.append(("prize", wr["prize"] ?? .none))
            } else if let x = excluded.first(where: same), case .record(let xr) = x {
                out.append(("excluded_by", xr["rule"] ?? .none))
            } else {
                out.append(("rank", .none))
                out.append(("prize", .none))
                out.append(("note", .text("eligible, but ranked below the last prize")))
            }
        }
        return .record(Record.make(out))
    }
}
