import KDK

/// One run of a campaign over its entries: the rules decide who is eligible,
/// then each reward section, in claim order, pays from its budget.
struct Award {
    let obj: ModelObject
    private(set) var m: Machine
    let plan: RewardPlan
    let rules: [(name: String, test: Function, why: Function?)]
    let score: Function?
    let tieBreak: Function?
    let onePer: Function?
    let qualifies: Function?
    let forfeit: Bool

    init(_ v: Value, _ m: Machine) throws {
        guard case .model(let obj) = v else { throw EvalError("award needs a campaign") }
        self.obj = obj
        self.m = m
        plan = try RewardPlan(obj, m, warn: false)
        rules = try ModelSupport.list(ModelSupport.field(obj, "rules", m), "rules").map { r in
            let rec = try ModelSupport.record(r, "rules")
            guard case .text(let n)? = rec["name"], case .function(let f)? = rec["test"] else {
                throw EvalError("each rule must be rule(\"name\", p => ...)")
            }
            if case .function(let why)? = rec["why"] { return (n, f, why) }
            return (n, f, nil)
        }
        score = try ModelSupport.function(ModelSupport.field(obj, "score", m), "score")
        if score == nil && plan.needsScore {
            throw EvalError("\(obj.name) needs score(p) = ...", help: "its leaderboards rank by it, and a share without by: splits by it")
        }
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

    /// The tie-break key: the campaign's; nil for the default, earlier time
    /// then smaller id (read as columns by `tieColumns`, not made per entry).
    func tieKey(_ e: Record) throws -> Value? {
        try tieBreak.map { try m.call($0, .record(e)) }
    }

    /// The entrants' tie-break keys as columns to compare one after another:
    /// time, then id, by default.
    func tieColumns(_ entrants: Entrants) -> [[Value]] {
        guard tieBreak != nil else { return ["time", "id"].map { Array(Award.field($0, of: entrants.indices.lazy.map { entrants[$0].entry })) } }
        return Award.tieColumns(entrants.indices.map { entrants[$0].tie ?? .none })
    }

    /// The tie-break keys as integer columns (`integerColumns`), read from
    /// the entrants without making columns of values; nil when a key is not
    /// a whole number, time or date.
    /// `rows`: the entrants as rows of their table, whose columns are read
    /// straight when they hold such integers.
    /// Each column is made when called (`TableRows.integerColumns`).
    func integerTieColumns(_ entrants: Entrants, rows: TableRows?) -> [@Sendable () -> [Int64]]? {
        func made(_ columns: [[Int64]]) -> [@Sendable () -> [Int64]] { columns.map { c in { c } } }
        guard tieBreak != nil else {
            var out: [@Sendable () -> [Int64]] = []
            for name in ["time", "id"] {
                if let c = rows?.integerColumns(name) { out += c; continue }
                guard let c = Award.integerColumns(Award.field(name, of: entrants.indices.lazy.map { entrants[$0].entry })) else { return nil }
                out += made(c)
            }
            return out
        }
        var out: [[Int64]] = []
        for c in Award.tieColumns(entrants.indices.map { entrants[$0].tie ?? .none }) {
            guard let ints = Award.integerColumns(c) else { return nil }
            out += ints
        }
        return made(out)
    }

    /// A field of each record (none where missing), its slot looked up
    /// once per shape rather than by name for every record; read lazily.
    static func field<S: Collection>(_ name: String, of records: S) -> LazyMapSequence<S, Value> where S.Element == Record {
        var shape: Shape? = nil, slot: Int? = nil
        return records.lazy.map { r in
            let s = r.shape
            if s !== shape { shape = s; slot = s.slot(name) }
            return slot.map { r[at: $0] } ?? .none
        }
    }

    /// A key column as 64-bit integers that order as the values do: whole
    /// numbers within 64 bits; times as seconds, then nanoseconds; dates as
    /// days. Nil when any value is another kind (none included): the keys are
    /// then compared as values. Sorting on integers is several times faster
    /// than on values, and gives the same order.
    static func integerColumns<S: Sequence>(_ column: S) -> [[Int64]]? where S.Element == Value {
        var values = column.makeIterator()
        guard let first = values.next() else { return [] }
        switch first {
        case .number:
            var out: [Int64] = []
            out.reserveCapacity(column.underestimatedCount)
            for v in column {
                guard case .number(let d) = v, d.exponent == 0, let i = Int64(exactly: d.coefficient) else { return nil }
                out.append(i)
            }
            return [out]
        case .time:
            var seconds: [Int64] = [], nanos: [Int64] = []
            seconds.reserveCapacity(column.underestimatedCount); nanos.reserveCapacity(column.underestimatedCount)
            for v in column {
                guard case .time(let t) = v else { return nil }
                seconds.append(t.seconds); nanos.append(Int64(t.nanos))
            }
            return [seconds, nanos]
        case .date:
            var out: [Int64] = []
            for v in column {
                guard case .date(let d) = v else { return nil }
                out.append(d.days)
            }
            return [out]
        default: return nil
        }
    }

    /// When an entry came: its time, then its id.
    static func arrival(_ e: Record) -> Value { .list([e["time"] ?? .none, e["id"] ?? .none]) }

    /// Ascending order of keys; none sorts last, so entries without a time
    /// come after those with one.
    static func orderKey(_ a: Value, _ b: Value) throws -> Int {
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

    /// Tie-break keys as columns to compare one after another: a list key
    /// (`[time, id]`, the default) split into one column per item when every
    /// key is a list of the same length, so a comparison reads scalars and
    /// retains no list; otherwise the keys as one column.
    static func tieColumns(_ keys: [Value]) -> [[Value]] {
        var width: Int? = nil
        for k in keys {
            guard case .list(let parts) = k, parts.count == (width ?? parts.count) else { return [keys] }
            width = parts.count
        }
        return (0..<(width ?? 0)).map { c in keys.map { if case .list(let parts) = $0 { return parts[c] }; return .none } }
    }

    /// The name the one-prize rule is reported under (`one prize per author`).
    var onePerName: String {
        onePer.map { $0.fieldsReadFromFirstParameter.count == 1 ? $0.fieldsReadFromFirstParameter[0] : "key" } ?? "author"
    }

    /// An eligible entry.
    struct Entrant {
        let entry: Record
        let index: Int       // input order
        private let kept: Score
        /// The score, as the score function gave it.
        var score: Value { kept.value }
        /// The score when it is a whole number that fits 64 bits.
        var wholeScore: Int64? { if case .whole(let x) = kept { return x }; return nil }
        /// one_prize_per's key and the campaign's tie-break key, boxed: most
        /// campaigns have neither, and their room in each of a million
        /// entrants was 60 MB.
        private let extras: Extras?
        /// The one-prize key: one_prize_per's, else the author (none: no
        /// limit), read from the entry when asked (a text made for each of
        /// a million entrants, and kept, cost 20 ms and 40 MB).
        var key: Value? { keyIsAuthor ? entry["author"] : extras?.key }
        /// Whether the key is the entry's author (the campaign has no one_prize_per).
        var keyIsAuthor: Bool { extras?.key == nil }
        /// The campaign's tie-break key; nil when it has none (time, then id).
        var tie: Value? { extras?.tie }

        /// `onePerKey`: one_prize_per's key, nil when the campaign has none.
        init(index: Int, entry: Record, score: Score, tie: Value?, onePerKey: Value?) {
            self.index = index
            self.entry = entry
            kept = score
            extras = tie == nil && onePerKey == nil ? nil : Extras(tie: tie, key: onePerKey)
        }

        /// A score as an entrant keeps it: a whole number (the usual score,
        /// likes + 2 * comments) or none in 9 bytes, any other value boxed.
        /// A value is 25 bytes aligned to 16: kept as one, an entrant was 80
        /// bytes, now 48 (five million entrants: 160 MB less, and the
        /// scores' values, 160 MB more while entrants were made, not made).
        enum Score {
            case whole(Int64)
            case none
            case other(Boxed)

            init(_ v: Value) {
                if case .number(let d) = v, let i = d.wholeInt64 { self = .whole(i) }
                else if case .none = v { self = .none }
                else { self = .other(Boxed(v)) }
            }

            var value: Value {
                switch self {
                case .whole(let i): return .number(ExactDecimal(Int(i)))
                case .none: return .none
                case .other(let b): return b.value
                }
            }

            final class Boxed {
                let value: Value
                init(_ value: Value) { self.value = value }
            }
        }

        final class Extras {
            let tie: Value?
            let key: Value?
            init(tie: Value?, key: Value?) { self.tie = tie; self.key = key }
        }
        /// Who is paid: the key, else the id; nil when the entry has neither.
        /// Worked out when asked, not stored: a million entrants are kept.
        var payKey: Value? {
            let pay = key ?? entry["id"]
            return pay == Value.none ? nil : pay
        }
        var keyText: String? { payKey.map(Raffle.keyText) }
    }

    /// The rules over every entry: the excluded rows, and the eligible.
    /// The first entries run in order on this machine, which evaluates what
    /// the rules use (the campaign's fields, lets); the rest run on every
    /// core when that gives the same answer (`Machine.inParallel`), else in
    /// order.
    /// When the list is every row of a table (`rowsOf`), the rows are taken
    /// by number.
    func screen(_ list: ValueList) throws -> (excluded: ExtendedRows, eligible: Entrants) {
        let head = min(list.count, 64), table = list.rowsOf
        let before = m.stepsTaken
        var (excluded, eligible) = try screen((0..<head).map { list[$0] }, 0..<head)
        if head < list.count, let rows = table.map({ TableRows(allOf: $0, from: head) }) ?? TableRows(list.array[head...]),
           let part = try? screenOverColumns(rows, list, from: head, after: eligible) {
            // As many steps as the first entries took each, in order (at
            // most Int.max: no limit is that large).
            let (steps, over) = ((m.stepsTaken - before) / head).multipliedReportingOverflow(by: list.count - head)
            try m.charge(over ? Int.max : steps)
            excluded.append(contentsOf: part.excluded)
            return (excluded, part.eligible)
        }
        let entries = list.array
        let rest = m.inParallel(count: entries.count - head) { w, r in
            [try self.on(w).screen(entries, (head + r.lowerBound)..<(head + r.upperBound))]
        }
        for part in try rest ?? [screen(entries, head..<entries.count)] {
            excluded.append(contentsOf: part.excluded)
            eligible += part.eligible
        }
        return (excluded, Entrants(eligible))
    }

    /// The rules, score and keys over the entries from `head`, when they are
    /// rows of one table and each function has a plan over columns
    /// (`TableRows`): each rule over the entries every rule before it
    /// passed, as in order. Throws when a plan cannot give what calling the
    /// function gives; the caller then calls them on each entry.
    /// `earlier`: the eligible entries before `head`, which the eligible list
    /// starts with.
    func screenOverColumns(_ rows: TableRows, _ entries: ValueList, from head: Int, after earlier: [Entrant]) throws
        -> (excluded: ExtendedRows, eligible: Entrants) {
        guard onePer == nil, tieBreak == nil, rules.allSatisfy({ TableRows.canEvaluate($0.test) }),
              score.map(TableRows.canEvaluate) ?? true else { throw EvalError("not over columns") }
        let n = entries.count - head
        // The first rule each entry fails (`none`: none), small for a million entries.
        let none = UInt16.max
        guard rules.count < Int(none) else { throw EvalError("too many rules to evaluate over columns") }
        var failed = [UInt16](repeating: none, count: n)
        var passing = Array(0..<n)
        for (k, rule) in rules.enumerated() {
            let (still, failing) = try rows.split(rule.test, at: passing, m)
            for i in failing { failed[i] = UInt16(k) }
            passing = still
        }
        // Whole-number scores (the usual) as 64-bit integers; any other
        // score kept as the entrant keeps it.
        var wholes: [Int64]? = nil, kept: [Entrant.Score]? = nil
        if let score {
            do { wholes = try rows.wholeNumbers(score, at: passing, m, else: Self.whole) }
            catch is NotWhole { kept = try rows.evaluate(score, at: passing, m, as: Entrant.Score.init) }
        }
        var excluded = ExtendedRows()
        // The value a rule looked at, as `shown` gives it: its one field is
        // the row's own, and then what an excluded row adds is the same for
        // every row the rule excludes (made once, not per row).
        let added: [[(String, ExtendedRows.Addition)]?] = rules.map { rule in
            let fields = rule.test.fieldsReadFromFirstParameter
            return fields.count == 1 ? [("rule", .value(.text(rule.name))), ("value", .field(fields[0]))] : nil
        }
        // When every rule's additions are the same for all the rows it
        // excludes, the excluded rows are one run of the table's rows,
        // gathered as row numbers and rules and added at the end.
        let inBulk = added.allSatisfy { $0 != nil }
        let (excludedRows, excludedBy) = inBulk ? Self.failures(failed, none: none) : ([], [])
        for i in 0..<n where !inBulk && failed[i] != none {
            let k = Int(failed[i])
            guard case .record(let e) = entries[head + i] else { throw EvalError("not a record") }
            excluded.append(e, added[k] ?? [("rule", .value(.text(rules[k].name))), ("value", .value(shown(rules[k].test, e)))])
        }
        if let names = added.first??.map({ $0.0 }), !excludedRows.isEmpty {
            let fields = names.indices.map { c in (names[c], ExtendedRows.AddedValues.byKind(added.map { $0![c].1 }, kindOf: excludedBy)) }
            if !excluded.append(rows, at: excludedRows, fields) {
                excluded.append(try excludedRows.map { i in
                    guard case .record(let e) = entries[head + i] else { throw EvalError("not a record") }
                    return e
                }, fields)
            }
        }
        if kept == nil, let columns = Self.columns(earlier, rows, passing, from: head, scores: score == nil ? nil : wholes) {
            return (excluded, Entrants(columns))
        }
        var eligible = earlier
        eligible.reserveCapacity(earlier.count + passing.count)
        for (k, i) in passing.enumerated() {
            guard case .record(let e) = entries[head + i] else { throw EvalError("not a record") }
            let s: Entrant.Score = kept?[k] ?? wholes.map { .whole($0[k]) } ?? .none
            eligible.append(Entrant(index: head + i, entry: e, score: s, tie: nil, onePerKey: nil))
        }
        return (excluded, Entrants(eligible))
    }

    /// A score that is a whole number within 64 bits, as one.
    static func whole(_ v: Value) throws -> Int64 {
        guard case .number(let d) = v, let x = d.wholeInt64 else { throw NotWhole() }
        return x
    }
    struct NotWhole: Error {}

    /// The entries that failed a rule, in order, and the rule each failed
    /// (`failed`: each entry's first failed rule, or `none`): every entry
    /// is written at the next place, which moves on only past a failure. A
    /// branch per entry, taken by half of them unpredictably, and an append
    /// each cost 0.11 s for ten million.
    static func failures(_ failed: [UInt16], none: UInt16) -> (rows: [Int], rules: [Int]) {
        let count = failed.reduce(0) { $0 + ($1 == none ? 0 : 1) }
        // One place more than the failures: the last entry is written there when it passed.
        var rows = [Int](repeating: 0, count: count + 1), rules = [Int](repeating: 0, count: count + 1)
        var at = 0
        rows.withUnsafeMutableBufferPointer { r in
            rules.withUnsafeMutableBufferPointer { k in
                failed.withUnsafeBufferPointer { f in
                    for i in f.indices {
                        r[at] = i
                        k[at] = Int(f[i])
                        at += f[i] == none ? 0 : 1
                    }
                }
            }
        }
        rows.removeLast()
        rules.removeLast()
        return (rows, rules)
    }

    /// The eligible entrants as columns: `earlier` (screened one by one),
    /// then the entries from `head` at `passing` (indexes into `rows`);
    /// `scores`: the passing entries' scores (nil: the campaign has none).
    /// Nil unless every earlier entrant is a row of the same table with a
    /// whole-number score (or none, when the campaign has no score).
    static func columns(_ earlier: [Entrant], _ rows: TableRows, _ passing: [Int], from head: Int, scores: [Int64]?) -> Entrants.Columns? {
        let scored = scores != nil
        var eligibleRows = RowNumbers(), earlierScores: [Int64] = []
        eligibleRows.reserveCapacity(earlier.count + passing.count)
        // Whether each entrant's place among the entries is its row (every
        // row of the table read): then the places are not kept.
        var placeIsRow = true
        for e in earlier {
            guard let (t, r) = e.entry.tableRow, t === rows.table, e.tie == nil, e.keyIsAuthor else { return nil }
            if scored {
                guard let x = e.wholeScore else { return nil }
                earlierScores.append(x)
            }
            eligibleRows.append(r)
            placeIsRow = placeIsRow && e.index == r
        }
        if let run = rows.rows.run, run.upperBound <= UInt32.max {
            // The usual: the rows from one on, so entry `i`'s row is `base + i`:
            // mapped at once (appended one by one, 0.09 s for 5M entrants).
            let base = run.lowerBound
            eligibleRows.append(contentsOf: RowNumbers(narrow: passing.map { UInt32(truncatingIfNeeded: base + $0) }))
            placeIsRow = placeIsRow && base == head
        } else {
            for i in passing {
                let r = rows.rows[i]
                eligibleRows.append(r)
                placeIsRow = placeIsRow && head + i == r
            }
        }
        let places = placeIsRow ? nil : RowNumbers(earlier.lazy.map(\.index) + passing.lazy.map { head + $0 })
        return Entrants.Columns(table: rows.table, rows: eligibleRows, indexes: places, scores: scores.map { earlierScores + $0 })
    }

    /// This award, run by another machine (a worker of `inParallel`).
    func on(_ w: Machine) -> Award {
        var a = self
        a.m = w
        return a
    }

    /// The rules over entries `range`.
    func screen(_ entries: [Value], _ range: Range<Int>) throws -> (excluded: ExtendedRows, eligible: [Entrant]) {
        var excluded = ExtendedRows()
        var eligible: [Entrant] = []
        try m.forEachItem(entries, in: range) { index, v in
            let e = try ModelSupport.record(v, "award's entries")
            if let (rule, value) = try failing(e) {
                excluded.append(e, [("rule", .text(rule)), ("value", value)])
                return
            }
            let s = try score.map { try m.call($0, .record(e)) } ?? .none
            eligible.append(Entrant(index: index, entry: e, score: Entrant.Score(s), tie: try tieKey(e), onePerKey: try onePer.map { try m.call($0, .record(e)) }))
        }
        return (excluded, eligible)
    }

    func run(_ entries: ValueList) throws -> Value { try run(entries, trace: nil).result }

    func run(_ entries: ValueList, trace: String?) throws -> (result: Value, ledger: Ledger) {
        let (excluded, eligible) = try screen(entries)
        let ledger = Ledger(plan: plan, trace: trace)
        ledger.excluded = excluded
        let pass = SectionPass(award: self, ledger: ledger, entrants: eligible)
        for (si, s) in plan.sections.enumerated() {
            try pass.pay(s, si)
        }
        return (try ledger.result(entries: entries.count, eligible: eligible.count, m), ledger)
    }

    func explain(_ v: Value, among all: Value) throws -> Value {
        let e = try ModelSupport.record(v, "explain's entry")
        var steps: [Value] = []
        var passed = true
        for r in rules {
            let ok = try ModelSupport.truth(m.call(r.test, .record(e)), "rule '\(r.name)'")
            var step: [(String, Value)] = [("rule", .text(r.name)), ("passed", .bool(ok)), ("value", shown(r.test, e))]
            if !ok, let why = r.why { step.append(("why", try m.call(why, .record(e)))) }
            steps.append(.record(Record.make(step)))
            if !ok { passed = false; break }
        }
        var out: [(String, Value)] = [("rules", .list(steps)), ("eligible", .bool(passed))]
        if passed, let score { out.append(("score", try m.call(score, .record(e)))) }
        guard passed, case .list(let entries) = all else { return .record(Record.make(out)) }
        if !plan.legacy {
            let key = try onePer.map { try m.call($0, .record(e)) } ?? e["author"] ?? e["id"] ?? .none
            let (_, ledger) = try run(entries, trace: Raffle.keyText(key))
            out.append(("key", key))
            out.append(("rewards", .list(ledger.traced.filter { $0.prize != nil }.map { $0.row })))
            out.append(("not_rewarded", .list(ledger.traced.filter { $0.prize == nil }.map { $0.row })))
            return .record(Record.make(out))
        }
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
        return .record(Record.make(out))
    }
}
