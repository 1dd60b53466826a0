import KDK

/// Comparing two award results: who gains and who loses.
enum Payouts {
    /// One row per key and token whose payout differs: `{key, before, after,
    /// change}`, token by token in the order the results list them, each
    /// token's rows from the largest gain to the largest loss.
    static func diff(_ before: Value, _ after: Value, _ m: Machine) throws -> Value {
        let a = try rows(before, "diff's first result"), b = try rows(after, "diff's second result")
        var tokens: [String] = []
        for r in a + b { for (name, v) in zip(r.shape.names, r.values) where name != "key" && name != "sections" && !tokens.contains(name) {
            if RewardPlan.amount(v) != nil { tokens.append(name) }
        } }
        func table(_ rs: [Record]) -> [String: Record] {
            var t: [String: Record] = [:]
            for r in rs { t[Raffle.keyText(r["key"] ?? .none)] = r }
            return t
        }
        let ta = table(a), tb = table(b)
        var keys: [(String, Value)] = []
        var seen = Set<String>()
        for r in a + b {
            let k = Raffle.keyText(r["key"] ?? .none)
            if seen.insert(k).inserted { keys.append((k, r["key"] ?? .none)) }
        }
        var out: [Value] = []
        for token in tokens {
            var changes: [(Value, Value, Value, Value)] = []
            for (k, key) in keys {
                try m.step()
                let x = ta[k]?[token], y = tb[k]?[token]
                guard let sample = x ?? y, let (_, unit) = RewardPlan.amount(sample) else { continue }
                let zero = RewardPlan.value(.zero, unit)
                let from = x ?? zero, to = y ?? zero
                let change = try Arithmetic.subtract(to, from)
                if try Arithmetic.compare(change, zero) != 0 { changes.append((key, from, to, change)) }
            }
            try changes.sort { p, q in try Arithmetic.compare(p.3, q.3) > 0 }
            out += changes.map { .record(Record.make([("key", $0.0), ("before", $0.1), ("after", $0.2), ("change", $0.3)])) }
        }
        return .list(out)
    }

    static func rows(_ v: Value, _ what: String) throws -> [Record] {
        guard case .record(let r) = v, case .list(let rows)? = r["payouts"] else {
            throw EvalError("\(what) must be what award gives (a record with payouts), not \(Arithmetic.describe(v))")
        }
        return try rows.map { try ModelSupport.record($0, what) }
    }
}
