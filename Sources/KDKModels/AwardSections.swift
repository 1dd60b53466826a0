import KDK

/// Each reward method, paying eligible entrants through the ledger.
final class SectionPass {
    let award: Award
    let ledger: Ledger
    let entrants: Award.Entrants
    /// The entrants as rows of one table, when screening kept them so.
    let entrantRows: TableRows?
    var m: Machine { award.m }
    private var peopleMemo: [Int]?

    init(award: Award, ledger: Ledger, entrants: Award.Entrants) {
        self.award = award
        self.ledger = ledger
        self.entrants = entrants
        entrantRows = entrants.rows
    }

    func pay(_ s: RewardPlan.Section, _ si: Int) throws {
        switch s.method {
        case .leaderboard(let tiers, let periods): try leaderboard(si, tiers, periods)
        case .raffle(let winners, let seed, let prize, let floor): try raffle(si, s, winners, seed, prize, floor)
        case .share(let by, let cap): try share(si, s, by, cap)
        case .firstCome(let winners, let prize): try firstCome(si, winners, prize)
        case .everyone(let prize): try everyone(si, s, prize)
        }
    }

    /// Whether a winner may take the prize. One that may not is listed as
    /// excluded (once) and, under "forfeit", takes its place without the prize.
    func qualifies(_ e: Award.Entrant, _ si: Int, period: Value? = nil) throws -> Bool {
        guard let q = award.qualifies else { return true }
        if try ModelSupport.truth(m.call(q, .record(e.entry)), "qualifies") { return true }
        let value = award.shown(q, e.entry)
        ledger.exclude(e, [("rule", .text(award.forfeit ? "qualifies (prize forfeited)" : "qualifies")), ("value", value), ("score", e.score)])
        ledger.note(e, si, period: period, "does not qualify (\(value.literal()))\(award.forfeit ? ": its prize is forfeited" : "")")
        return false
    }

    func claimed(_ e: Award.Entrant, _ si: Int, period: Value? = nil) -> Bool {
        guard let by = ledger.claimedElsewhere(e, si) else { return false }
        ledger.note(e, si, period: period, "already rewarded by \(by) (one reward per campaign)")
        return true
    }

    // MARK: leaderboard

    /// Ranked tiers: highest score first, ties by the tie-break key, then
    /// input order; each key's best entry competes (per period, if any).
    func leaderboard(_ si: Int, _ tiers: Tiers, _ periods: [Period]?) throws {
        var groups: [(period: Value?, members: RowNumbers)] = []
        if let periods {
            var buckets = [[Int]](repeating: [], count: periods.count)
            let window = try ModelSupport.field(award.obj, "window", m)
            for (i, e) in entrants.enumerated() {
                // The period an entry's time falls in: the last one starting at or before it.
                guard case .time(let t)? = e.entry["time"], try Arithmetic.contains(window, .time(t)),
                      let p = Period.index(of: t, in: periods) else {
                    ledger.note(e, si, "has no time inside the window")
                    continue
                }
                buckets[p].append(i)
            }
            groups = zip(periods, buckets).map { ($0.range, RowNumbers($1)) }
        } else {
            groups = [(nil, RowNumbers(run: entrants.indices))]
        }
        let last = tiers.prizes.count
        // Each key's number on one core while the groups are ordered on
        // another: neither reads what the other makes. When the entrants are
        // rows of one table, their authors (the keys, without one_prize_per)
        // and default tie-break fields are read from its columns.
        let entrants = self.entrants, award = self.award, numberAll = ledger.plan.legacy && !ledger.tracing
        let readsColumns = (numberAll && award.onePer == nil) || award.tieBreak == nil
        let rows = readsColumns ? entrantRows ?? TableRows(records: entrants.map(\.entry)) : nil
        let prepared = m.onCores(2) { job -> Prepared in
            job == 0 ? .keys(KeyNumbers(entrants, all: numberAll, authors: award.onePer == nil ? rows : nil))
                     : .orders(Result { try SectionPass.order(groups.map { $0.members }, of: entrants, rows: rows, award) })
        }
        guard case .keys(var keys) = prepared[0], case .orders(let ordered) = prepared[1] else { throw EvalError("the leaderboard's keys were not worked out") }
        let orders = try ordered.get()
        for ((period, _), order) in zip(groups, orders) {
            var seen = [Bool](repeating: false, count: entrants.count)
            var rank = 1
            let onePer = Value.text("one prize per \(award.onePerName)"), legacy = ledger.plan.legacy, tracing = ledger.tracing
            // Entries that are not their key's best, listed as excluded in
            // bulk: before anything else is excluded (`qualifies`), and at the end.
            var notBest: [Int] = []
            defer { NotBestEntries.flush(&notBest, of: entrants, rows: rows ?? entrantRows, into: ledger, rule: onePer) }
            // The walk reads each entry's key number, not the entrant, until
            // it needs the entrant: most entries are passed over.
            for i in order {
                try m.step()
                let k = keys.number(i)
                if k >= 0 {
                    if seen[Int(k)] {
                        // Not the key's best entry. A tiers campaign lists it (as it always has).
                        if legacy { notBest.append(i) }
                        continue
                    }
                    seen[Int(k)] = true
                }
                // Past the last prize a tiers campaign goes on only to list
                // the entries above; nothing else happens unless tracing.
                if rank > last && legacy && !tracing { continue }
                let e = entrants[i]
                if claimed(e, si, period: period) { continue }
                if rank > last {
                    ledger.note(e, si, period: period, "ranked \(rank) by score \(e.score.literal()); prizes go to ranks 1-\(last)")
                    if !ledger.plan.legacy && !ledger.tracing { break }
                    rank += 1
                    continue
                }
                NotBestEntries.flush(&notBest, of: entrants, rows: rows ?? entrantRows, into: ledger, rule: onePer)
                if try !qualifies(e, si, period: period) {
                    if award.forfeit { rank += 1 }
                    continue
                }
                guard let (amount, _) = RewardPlan.amount(tiers.prizes[rank - 1]) else { throw EvalError("a prize must be an amount") }
                try ledger.pay(e, si, amount, [("rank", .number(ExactDecimal(rank))), ("score", e.score)], period: period)
                rank += 1
            }
        }
    }

    // MARK: one entrant per key

    /// One entrant per key (its earliest entry), in order of arrival: time, then id, then input order.
    func people(_ si: Int) throws -> [Int] {
        if let p = peopleMemo { return p }
        if let e = entrants.first(where: { $0.keyText == nil }) {
            throw EvalError("\(ledger.plan.sections[si].name) pays people, but an eligible entry has no author or id: \(Value.record(e.entry).literal())",
                            help: "give entries an author or id, or set one_prize_per = p => ...")
        }
        let entrants = self.entrants
        let arrival = entrants.indices.map { Award.arrival(entrants[$0].entry) }
        let order = try entrants.indices.sorted { i, j in
            let c = try Award.orderKey(arrival[i], arrival[j])
            return c != 0 ? c < 0 : i < j
        }
        var seen = Set<String>()
        let people = order.filter { seen.insert(entrants[$0].keyText!).inserted }
        peopleMemo = people
        return people
    }

    func ordinal(_ n: Int) -> String {
        let suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th" : (n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th")
        return "\(n)\(suffix)"
    }

    // MARK: raffle

    /// Keys drawn in ascending order of their ticket, sha256(seed + ":" + key).
    func raffle(_ si: Int, _ s: RewardPlan.Section, _ n: Int, _ seed: String, _ prize: ExactDecimal?, _ floor: ExactDecimal) throws {
        let people = try people(si)
        var tickets: [(i: Int, ticket: String, key: String)] = []
        for i in people {
            try m.step()
            let key = entrants[i].keyText!  // people() has refused entries without a key
            tickets.append((i, Raffle.ticket(seed: seed, key: key), key))
        }
        tickets.sort { $0.ticket != $1.ticket ? $0.ticket < $1.ticket : $0.key < $1.key }
        var drawn: [(i: Int, ticket: String, key: String, qualified: Bool)] = []
        for (position, t) in tickets.enumerated() {
            try m.step()
            let e = entrants[t.i]
            if claimed(e, si) { continue }
            if drawn.count == n {
                ledger.note(e, si, "drawn \(ordinal(position + 1)) of \(tickets.count) (ticket \(t.ticket)); the \(n) winners were drawn first")
                if !ledger.tracing { break }
                continue
            }
            let ok = try qualifies(e, si)
            if !ok && !award.forfeit { continue }
            drawn.append((t.i, t.ticket, t.key, ok))
        }
        var amounts = drawn.map { _ in prize ?? .zero }
        if prize == nil && !drawn.isEmpty {
            // The random split: each winner the floor, then the rest by weight, rounded down.
            let places = ledger.plan.places(s.unit, m)
            let rest = try ExactDecimal.subtract(s.budget, ExactDecimal.multiply(floor, ExactDecimal(drawn.count)))
            let weights = drawn.map { Raffle.weight(seed: seed, key: $0.key) }
            var total = ExactDecimal.zero
            for w in weights { total = try ExactDecimal.add(total, w) }
            var given = ExactDecimal.zero
            for k in drawn.indices {
                amounts[k] = try ExactDecimal.add(floor, ExactDecimal.mulDiv(rest, weights[k], total, places: places, .down))
                given = try ExactDecimal.add(given, amounts[k])
            }
            ledger.sectionDust[si] = try ExactDecimal.subtract(s.budget, given)
        }
        for (k, d) in drawn.enumerated() where d.qualified {
            try ledger.pay(entrants[d.i], si, amounts[k], [("rank", .number(ExactDecimal(k + 1))), ("ticket", .text(d.ticket))])
        }
    }

    // MARK: first_come

    /// The first `n` keys by time, then id.
    func firstCome(_ si: Int, _ n: Int, _ prize: ExactDecimal) throws {
        let people = try people(si)
        var taken = 0
        for (position, i) in people.enumerated() {
            try m.step()
            let e = entrants[i]
            if claimed(e, si) { continue }
            if taken == n {
                ledger.note(e, si, "came \(ordinal(position + 1)) of \(people.count); the first \(n) were paid")
                if !ledger.tracing { break }
                continue
            }
            if try !qualifies(e, si) {
                if award.forfeit { taken += 1 }
                continue
            }
            taken += 1
            try ledger.pay(e, si, prize, [("rank", .number(ExactDecimal(taken)))])
        }
    }

    // MARK: everyone

    /// Every key the prize; if the budget cannot pay that many, the budget split equally.
    func everyone(_ si: Int, _ s: RewardPlan.Section, _ prize: ExactDecimal) throws {
        var takers: [(i: Int, qualified: Bool)] = []
        for i in try people(si) {
            try m.step()
            let e = entrants[i]
            if claimed(e, si) { continue }
            let ok = try qualifies(e, si)
            if ok || award.forfeit { takers.append((i, ok)) }
        }
        guard !takers.isEmpty else { return }
        var each = prize
        if try ExactDecimal.multiply(prize, ExactDecimal(takers.count)) > s.budget {
            each = try ExactDecimal.mulDiv(s.budget, .one, ExactDecimal(takers.count), places: ledger.plan.places(s.unit, m), .down)
            ledger.sectionDust[si] = try ExactDecimal.subtract(s.budget, ExactDecimal.multiply(each, ExactDecimal(takers.count)))
        }
        for (k, t) in takers.enumerated() where t.qualified {
            if each.isZero { ledger.note(entrants[t.i], si, "the pool split \(takers.count) ways rounds down to 0"); continue }
            try ledger.pay(entrants[t.i], si, each, [("rank", .number(ExactDecimal(k + 1)))])
        }
    }

    // MARK: share

    /// The budget pro rata by each key's points (the sum over its eligible
    /// entries of `by`, else the score), at most `cap` each, water-filled.
    func share(_ si: Int, _ s: RewardPlan.Section, _ by: Function?, _ cap: ExactDecimal?) throws {
        let people = try people(si)
        var points: [String: ExactDecimal] = [:]
        var pointUnit: UnitID?? = .none
        for e in entrants {
            try m.step()
            let v = try by.map { try m.call($0, .record(e.entry)) } ?? e.score
            guard let (d, u) = RewardPlan.amount(v) else {
                throw EvalError("\(s.name)'s points must be numbers, not \(Arithmetic.describe(v))")
            }
            if d.isNegative { throw EvalError("\(s.name)'s points must not be negative: \(v.literal()) for \(e.keyText!)") }
            if let pu = pointUnit, pu != u { throw EvalError("\(s.name)'s points mix units: \(v.literal())") }
            pointUnit = .some(u)
            points[e.keyText!] = try ExactDecimal.add(points[e.keyText!] ?? .zero, d)
        }
        let shown = { (d: ExactDecimal) in RewardPlan.value(d, pointUnit ?? nil) }
        var takers: [(i: Int, points: ExactDecimal, qualified: Bool)] = []
        for i in people {
            let e = entrants[i]
            let p = points[e.keyText!] ?? .zero
            if p.isZero { ledger.note(e, si, "no points"); continue }
            if claimed(e, si) { continue }
            let ok = try qualifies(e, si)
            if ok || award.forfeit { takers.append((i, p, ok)) }
        }
        // Most points first (then arrival), so the winners read as a ranking.
        takers = takers.indices.sorted { a, b in takers[a].points != takers[b].points ? takers[a].points > takers[b].points : a < b }.map { takers[$0] }
        let split = try ProRata.split(s.budget, weights: takers.map { $0.points }, limits: takers.map { _ in cap },
                                      places: ledger.plan.places(s.unit, m), m)
        ledger.sectionDust[si] = split.dust
        for (k, t) in takers.enumerated() where t.qualified {
            if split.shares[k].isZero { ledger.note(entrants[t.i], si, "its share rounds down to 0"); continue }
            try ledger.pay(entrants[t.i], si, split.shares[k], [("rank", .number(ExactDecimal(k + 1))), ("score", shown(t.points))])
        }
    }

    /// What a leaderboard works out before its walk, on two cores.
    enum Prepared {
        case keys(KeyNumbers)
        case orders(Result<[RowNumbers], Error>)
    }

    /// Each group's members in rank order: highest score first, ties by the
    /// tie-break key, then input order. Whole-number scores and time or
    /// number tie keys are sorted as integers, read from the table's columns
    /// (`rows`) or from the entrants (arrays of values for a million
    /// entrants took hundreds of megabytes); the keys are in arrays of their
    /// own: reading them through `entrants[i]` copied the whole entrant at
    /// every comparison.
    static func order(_ groups: [RowNumbers], of entrants: Award.Entrants, rows: TableRows?, _ award: Award) throws -> [RowNumbers] {
        if let scores = entrants.wholeScores, let ties = award.integerTieColumns(entrants, rows: rows) {
            let columns: [@Sendable () -> [Int64]] = [{ scores }] + ties
            return groups.map { members in
                RankSort.order(members, columns: columns) ?? {
                    let made = columns.map { $0() }
                    return RowNumbers(members.sorted { i, j in
                        for (k, column) in made.enumerated() where column[i] != column[j] { return k == 0 ? column[i] > column[j] : column[i] < column[j] }
                        return i < j
                    })
                }()
            }
        }
        let scores = entrants.indices.map { entrants[$0].score }
        let ties = award.tieColumns(entrants)
        return try groups.map { members in
            RowNumbers(try members.sorted { i, j in
                let c = try Arithmetic.compare(scores[i], scores[j])
                if c != 0 { return c > 0 }
                for column in ties {
                    let t = try Award.orderKey(column[i], column[j])
                    if t != 0 { return t < 0 }
                }
                return i < j
            })
        }
    }
}

/// A leaderboard's entries that are not their key's best, listed as
/// excluded (rule, key, score) in one run rather than one at a time.
enum NotBestEntries {
    /// Lists `entrants` at `indexes` and empties `indexes`.
    /// `rows`: the entrants as rows of one table, which the excluded rows
    /// are taken from by number (five million records gathered first were
    /// 80 MB and a retain each).
    static func flush(_ indexes: inout [Int], of entrants: Award.Entrants, rows: TableRows?, into ledger: Ledger, rule: Value) {
        guard !indexes.isEmpty else { return }
        // A key that is the entry's author is its own field, not a value per entry.
        let authors = entrants.keysAreAuthors
        let keys = authors ? [] : indexes.map { entrants[$0].key ?? .none }
        // Whole-number scores (the usual) as numbers, not values: five
        // million of those were 160 MB.
        let scores: ExtendedRows.AddedValues = entrants.wholeScores(at: indexes).map { .wholes($0) } ?? .each(indexes.map { entrants[$0].score })
        let fields: [(String, ExtendedRows.AddedValues)] = [("rule", .same(.value(rule))), ("value", authors ? .same(.field("author")) : .each(keys)),
                                                            ("score", scores)]
        if let rows, ledger.excluded.append(rows, at: indexes, fields) { indexes = []; return }
        ledger.excluded.append(indexes.map { entrants[$0].entry }, fields)
        indexes = []
    }
}

/// Each entrant's one-prize key as a number, equal for equal keys: texts
/// (the usual author) as themselves, other keys by their literal, apart so
/// that no text can pass for a key of another kind; -1 for no key. A tiers
/// campaign's walk in rank order goes through every entry: there all numbers
/// are worked out first, in entrant order, so the walk reads four bytes per
/// entry rather than the entrant (half a million of those were cache misses).
/// A walk that stops after the last prize numbers only the entries it meets.
struct KeyNumbers {
    private let entrants: Award.Entrants
    private var numbers: [Int32] = []
    private var texts: [String: Int32] = [:], others: [String: Int32] = [:]
    /// How many distinct keys so far.
    private(set) var count = 0

    /// `authors`: the entrants as rows of their table when each key is the
    /// row's author; a column of texts is numbered by its bytes there
    /// (`TableRows.groups`, which keeps kdk's `==` on texts).
    init(_ entrants: Award.Entrants, all: Bool, authors: TableRows? = nil) {
        self.entrants = entrants
        guard all else { return }
        if let (group, _, groups) = authors?.groups(by: "author", firsts: false) {
            numbers = group
            count = groups
            return
        }
        texts.reserveCapacity(entrants.count)
        numbers = entrants.map { number(of: $0.key) }
    }

    /// Entrant `i`'s number.
    mutating func number(_ i: Int) -> Int32 { numbers.isEmpty ? number(of: entrants[i].key) : numbers[i] }

    private mutating func number(of key: Value?) -> Int32 {
        guard let key else { return -1 }
        func number(_ k: String, in table: inout [String: Int32], next: inout Int) -> Int32 {
            if let n = table[k] { return n }
            table[k] = Int32(next)
            next += 1
            return Int32(next - 1)
        }
        if case .text(let s) = key { return number(s, in: &texts, next: &count) }
        return number(key.literal(), in: &others, next: &count)
    }
}
