import KDK

/// The `launchpad` kind: share a token sale among users in proportion to
/// what they committed, with a per-user cap.
///
///     launchpad KDKSale {
///       token  = KDK
///       price  = 0.04 USDT/KDK
///       supply = 10M KDK
///       cap    = 200_000 KDK
///       min_commit = 10 USDT
///     }
///     KDKSale.allocate(read_csv("commitments.csv"))   # user, committed
public enum LaunchpadModel {
    /// The kind, to register with an engine.
    public static let kind = ModelKind(
        name: "launchpad",
        doc: "allocate a token sale pro rata to commitments, with a cap per user",
        fields: [
            .init("entry", default: Value.none, doc: "the commitments' shape (shape Commitment {...}), checked before anything runs"),
            .init("token", required: true, doc: "the token sold, a declared unit such as KDK"),
            .init("price", required: true, doc: "price per token, e.g. 0.04 USDT/KDK"),
            .init("supply", required: true, doc: "tokens for sale, e.g. 10M KDK"),
            .init("cap", default: Value.none, doc: "most tokens one user may receive"),
            .init("min_commit", default: Value.none, doc: "smallest commitment that takes part, in the price's currency"),
        ],
        methods: [
            Builtin("allocate", [Parameter("launchpad").accepting(.model), Parameter("commitments")],
                    doc: "allocations {user, committed, allocation, cost, refund}, with sold, dust, unsold and excluded") { a, m in
                try Sale(a["launchpad"], m).allocate(a.list("commitments"))
            },
        ],
        functions: [
            Builtin("average_balance", [Parameter("snapshots").accepting(.list), Parameter("window")],
                    doc: "time-weighted commitments: each user's mean balance over the snapshot hours in the window") { a, m in
                try averageBalance(a.list("snapshots"), a["window"], m)
            },
        ],
        entries: .init(arguments: ["allocate": 0], required: ["user", "committed"]),
        validate: { obj, m in _ = try Sale(.model(obj), m) })

    /// Mean balance per user over the distinct snapshot times inside the
    /// window; a user missing from a snapshot had nothing then. Times count
    /// by the moment: `2025-12-15T01:00+08:00` and `2025-12-14T17:00Z` are
    /// one snapshot time.
    static func averageBalance(_ rows: [Value], _ window: Value, _ m: Machine) throws -> Value {
        var instants = Set<Instant>()
        var times = Set<String>()  // dates, or other values used as times
        var order: [String] = []
        var users: [String: (Value, Value)] = [:]  // key -> (user, total)
        for v in rows {
            let r = try ModelSupport.record(v, "snapshots")
            guard let user = r["user"], let t = r["time"], let bal = r["balance"] else {
                throw EvalError("each snapshot needs user, time and balance")
            }
            guard try Arithmetic.contains(window, t) else { continue }
            if case .time(let i) = t { instants.insert(i) } else { times.insert(t.literal()) }
            let key = user.literal()
            if let (u, total) = users[key] { users[key] = (u, try Arithmetic.add(total, bal)) }
            else { users[key] = (user, bal); order.append(key) }
            try m.step()
        }
        let hours = Value.number(ExactDecimal(instants.count + times.count))
        return .list(try order.map { k in
            let (u, total) = users[k]!
            return .record(Record.make([("user", u), ("committed", try Arithmetic.divide(total, hours))]))
        })
    }
}

/// A launchpad's fields, checked, and the allocation.
struct Sale {
    let obj: ModelObject
    let m: Machine
    let token: UnitID
    let currency: UnitID
    let price: ExactDecimal   // currency per token
    let supply: ExactDecimal  // tokens
    let cap: ExactDecimal?
    let minCommit: ExactDecimal?
    let places: Int

    init(_ v: Value, _ m: Machine) throws {
        guard case .model(let obj) = v else { throw EvalError("allocate needs a launchpad") }
        self.obj = obj
        self.m = m
        guard case .quantity(_, let t) = try ModelSupport.field(obj, "token", m) else {
            throw EvalError("token must be a unit such as KDK", help: "declare it with: unit KDK decimals 8")
        }
        token = t
        places = m.decimals(of: t) ?? 0
        let priceValue = try ModelSupport.field(obj, "price", m)
        guard case .quantity(let p, _) = priceValue, p.signum > 0,
              case .quantity(let one, let c) = try Arithmetic.multiply(priceValue, .quantity(.one, t)), one == p,
              // price * 1 token must be a plain currency (USDT), not a compound unit.
              !UnitRegistry.shared.name(c).contains(where: { "*/^".contains($0) }) else {
            throw EvalError("price must be a positive price per \(UnitRegistry.shared.name(t)), e.g. 0.04 USDT/\(UnitRegistry.shared.name(t))")
        }
        price = p
        currency = c
        func amount(_ name: String, in unit: UnitID, optional: Bool) throws -> ExactDecimal? {
            let v = try ModelSupport.field(obj, name, m)
            if case .none = v, optional { return nil }
            guard case .quantity(let d, let u) = v, u == unit, !d.isNegative else {
                throw EvalError("\(name) must be an amount in \(UnitRegistry.shared.name(unit)), not \(v)")
            }
            return d
        }
        supply = try amount("supply", in: t, optional: false)!
        guard supply.rounded(places: places, .down) == supply else {
            throw EvalError("supply \(supply) has more decimals than \(UnitRegistry.shared.name(t)) allows (\(places))")
        }
        let tokenPlaces = places
        cap = try amount("cap", in: t, optional: true).map { $0.rounded(places: tokenPlaces, .down) }
        minCommit = try amount("min_commit", in: c, optional: true)
    }

    func q(_ d: ExactDecimal, _ u: UnitID) -> Value { .quantity(d, u) }

    /// Each user's commitment (several rows of one user add up), in order
    /// of first appearance, and how to give users' rows back with fields
    /// replaced or added.
    struct Commitments {
        var commits: [ExactDecimal]
        var rows: (_ users: [Int], _ fields: [(String, NewColumn)]) -> [Value]
    }

    func allocate(_ rows: [Value]) throws -> Value {
        let given = try TableRows(rows[...]).flatMap { try overColumns($0, rows) } ?? overRecords(rows)
        let commits = given.commits
        var excluded: [Int] = [], reasons: [Value] = [], taking: [Int] = []
        let belowMin = minCommit.map { Value.text("below min_commit (\(q($0, currency)))") }
        for (u, c) in commits.enumerated() {
            if let mc = minCommit, let belowMin, c < mc {
                excluded.append(u); reasons.append(belowMin)
            } else if c.isZero {
                excluded.append(u); reasons.append(.text("nothing committed"))
            } else {
                taking.append(u)
            }
        }
        // Each user's limit: what their commitment buys, and the cap.
        let weights = excluded.isEmpty ? commits : taking.map { commits[$0] }
        let split = try ProRata.split(supply, weights: weights, limit: { i in
            let d = try ExactDecimal.mulDiv(weights[i], .one, price, places: places, .down)
            if let cap, cap < d { return cap }
            return d
        }, places: places, m)
        var costs: [ExactDecimal] = [], refunds: [ExactDecimal] = []
        costs.reserveCapacity(taking.count); refunds.reserveCapacity(taking.count)
        var sold = ExactDecimal.zero
        for (k, c) in weights.enumerated() {
            let a = split.shares[k]
            let cost = try ExactDecimal.multiply(a, price)
            guard cost <= c else { throw EvalError("internal: cost above commitment (\(cost) > \(c))") }
            costs.append(cost)
            refunds.append(try ExactDecimal.subtract(c, cost))
            sold = try ExactDecimal.add(sold, a)
        }
        let out = given.rows(taking, [
            ("committed", .amounts(weights, currency)), ("allocation", .amounts(split.shares, token)),
            ("cost", .amounts(costs, currency)), ("refund", .amounts(refunds, currency)),
        ])
        let left = given.rows(excluded, [("committed", .amounts(excluded.map { commits[$0] }, currency)), ("reason", .values(reasons))])
        return .record(Record.make([
            ("allocations", .list(out)), ("sold", q(sold, token)), ("dust", q(split.dust, token)),
            ("unsold", q(split.unplaced, token)), ("excluded", .list(left)),
        ]))
    }

    /// A commitment's amount: a plain number is in the currency, none is nothing.
    func amount(_ committed: Value) throws -> ExactDecimal {
        switch committed {
        case .number(let d): return d
        case .quantity(let d, let u) where u == currency: return d
        case .none: return .zero
        default: throw EvalError("committed must be an amount in \(UnitRegistry.shared.name(currency)), not \(committed)")
        }
    }

    /// The commitments of any list of records, one record at a time.
    func overRecords(_ rows: [Value]) throws -> Commitments {
        var records: [Record] = [], commits: [ExactDecimal] = []
        var index: [String: Int] = [:]
        for v in rows {
            let r = try ModelSupport.record(v, "commitments")
            guard let user = r["user"], let committed = r["committed"] else {
                throw EvalError("each commitment needs user and committed")
            }
            let c = try amount(committed)
            if c.isNegative { throw EvalError("a commitment of \(user.literal()) is negative: \(c)") }
            // Several rows for one user add up.
            let key: String
            if case .text(let t) = user { key = t } else { key = "\u{0}" + user.literal() }
            if let i = index[key] {
                commits[i] = try ExactDecimal.add(commits[i], c)
            } else {
                index[key] = records.count
                records.append(r)
                commits.append(c)
            }
            try m.step()
        }
        return Commitments(commits: commits) { users, fields in
            users.enumerated().map { k, u in .record(records[u].extended(fields.map { ($0.0, $0.1.value(k)) })) }
        }
    }

    /// The commitments of rows of one table, read from its `user` and
    /// `committed` columns (no record made per row); nil when the table
    /// does not keep them as a text column and a column of numbers in the
    /// currency, and the rows are read one at a time instead.
    func overColumns(_ table: TableRows, _ rows: [Value]) throws -> Commitments? {
        guard let (amounts, unit) = table.numbers("committed"), unit == nil || unit == currency,
              let (group, first, _) = table.groups(by: "user") else { return nil }
        // One row per user (the usual case): the amounts are the commitments.
        let distinct = first.count == amounts.count
        var commits = distinct ? amounts : [ExactDecimal](repeating: .zero, count: first.count)
        for (k, c) in amounts.enumerated() {
            if k & 16_383 == 0 { try m.charge(min(16_384, amounts.count - k)) }
            if c.isNegative {
                let user = try ModelSupport.record(rows[k], "commitments")["user"] ?? .none
                throw EvalError("a commitment of \(user.literal()) is negative: \(c)")
            }
            if distinct { continue }
            let g = Int(group[k])
            commits[g] = first[g] == k ? c : try ExactDecimal.add(commits[g], c)
        }
        return Commitments(commits: commits) { users, fields in table.rows(at: users.map { first[$0] }, with: fields) }
    }
}
