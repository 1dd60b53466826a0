import KDK

/// The `campaign` kind: rank entries by a score and pay tiered prizes, or
/// pay through reward sections (leaderboards, raffles, pool shares,
/// first-come and everyone prizes) that share the rules, window and pool.
///
///     campaign PostToWinKDK {
///       window = 2025-12-19T12:00+08:00 ..< 2025-12-30T24:00+08:00
///       pool   = 2_000 KDK
///       tiers  = [tier(1, 400 KDK), tier(2...6, 200 KDK), tier(7...21, 40 KDK)]
///       rules  = [rule("in window", p => p.time in window)]
///       score(p) = p.likes + 2 * p.comments + 3 * p.shares
///     }
///     PostToWinKDK.award(posts)
///
/// With sections: `rewards = [leaderboard(tiers: [...]), raffle(winners: 100,
/// prize: 5 KDK, seed: "...")]`; see docs/models.md.
public enum CampaignModel {
    /// The kind, to register with an engine.
    public static let kind = ModelKind(
        name: "campaign",
        doc: "rank entries by score and pay tiered prizes from a pool, or pay through reward sections (leaderboards, raffles, shares, first-come, everyone)",
        fields: [
            .init("pool", required: true, doc: "the total prize pool, e.g. 2_000 KDK (with rewards, one amount per token: [2_000 KDK, 5_000 USDT])"),
            .init("tiers", required: true, unless: ["rewards"], doc: "[tier(1, 400 KDK), tier(2...6, 200 KDK)]: prizes by rank"),
            .init("score", required: true, unless: ["rewards"], doc: "score(p) = ...: how an entry ranks, highest first"),
            .init("rewards", default: Value.none, doc: "[leaderboard(...), raffle(...), share(...), first_come(...), everyone(...)]: sections paid from the pool, instead of tiers"),
            .init("one_reward_per", default: .text("campaign"), doc: "\"campaign\" (a key is paid by one section at most) or \"section\" (by each)"),
            .init("claim_order", default: Value.none, doc: "[\"raffle\", \"leaderboard\"]: the order sections claim winners in (default: as listed)"),
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
                    doc: "rank entries and pay prizes: {winners, excluded, paid, unallocated, entries, eligible, sections, payouts}") { a, m in
                let entries = if case .list(let entries) = a["entries"] { entries } else { ValueList(try a.list("entries")) }
                return try Award(a["campaign"], m).run(entries)
            },
            Builtin("explain", [Parameter("campaign").accepting(.model), Parameter("entry"), Parameter.optional("entries")],
                    doc: "one entry's story: each rule and its value, its score, and (given all entries) its rank and prize, or which section paid it and why the others did not") { a, m in
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
            Builtin("rule", [Parameter("name").accepting(.text), Parameter("test"), Parameter("why", default: .none)],
                    doc: "a named eligibility rule: rule(\"original\", p => p.original), with why: p => \"...\" to say in explain why an entry failed it") { a, _ in
                guard case .text = a["name"] else { throw EvalError("a rule's name must be text") }
                guard case .function = a["test"] else { throw EvalError("a rule's test must be a function, e.g. p => p.original") }
                switch a["why"] {
                case .none: return .record(Record.make([("name", a["name"]), ("test", a["test"])]))
                case .function: return .record(Record.make([("name", a["name"]), ("test", a["test"]), ("why", a["why"])]))
                default: throw EvalError("a rule's why must be a function of the entry, e.g. p => \"posted at \\(p.time)\"")
                }
            },
            Builtin("sha256", [Parameter("text").accepting(.text)], doc: "the hex SHA-256 of a text's UTF-8 bytes: re-derive a raffle's tickets") { a, _ in
                guard case .text(let t) = a["text"] else { throw EvalError("sha256 takes text, not \(Arithmetic.describe(a["text"]))") }
                return .text(Raffle.sha256(t))
            },
            Builtin("diff", [Parameter("before").accepting(.record), Parameter("after").accepting(.record)],
                    doc: "who gains and who loses between two award results: [{key, before, after, change}]") { a, m in
                try Payouts.diff(a["before"], a["after"], m)
            },
        ] + SectionKind.constructors,
        entries: .init(arguments: ["award": 0, "explain": 1],
                       functionFields: ["score", "rules", "tie_break", "one_prize_per", "qualifies", "rewards"]),
        validate: { obj, m in
            let plan = try RewardPlan(obj, m, warn: true)
            if plan.needsScore, case .none = try ModelSupport.field(obj, "score", m) {
                throw EvalError("\(obj.name) needs score(p) = ...", help: "its leaderboards rank by it, and a share without by: splits by it")
                    .about(field: "rewards")
            }
        })
}

