/// A hashable text for the keys that have one (numbers by value, texts,
/// bools, times, dates, quantities); nil for others, compared one by one.
enum KeyText {
    static func of(_ v: Value) -> String? {
        switch v {
        case .none: return "_"
        case .number(let d): return "n" + d.description
        case .text(let s): return "t" + s
        case .bool(let b): return b ? "T" : "F"
        case .time(let t): return "i\(t.seconds).\(t.nanos)"
        case .date(let d): return "d\(d.days)"
        default: return nil  // quantities too: 60 minutes equals 1 hours
        }
    }
}

/// Lists: immutable, so every function returns a new list.
enum ListLibrary {
    typealias W = Operators

    /// A stable sort with a throwing "comes before" test.
    static func stableSort(_ xs: [Value], by less: (Value, Value) throws -> Bool) throws -> [Value] {
        var idx = Array(xs.indices)
        try idx.sort { i, j in
            if try less(xs[i], xs[j]) { return true }
            if try less(xs[j], xs[i]) { return false }
            return i < j
        }
        return idx.map { xs[$0] }
    }

    /// Sorts by a key (the value itself when no key function is given),
    /// ascending or descending; ties keep their input order.
    static func sortByKey(_ xs: [Value], key: Function?, descending: Bool, _ m: Machine) throws -> [Value] {
        try m.checkSize(xs.count)
        let keys = try key.map { try m.results(of: $0, over: xs) } ?? xs
        if let packed = sortedSmallWholes(keys, descending: descending) { return packed.map { xs[Int($0 & 0xFFFF_FFFF)] } }
        var idx = Array(xs.indices)
        // Numbers (the common case) compare without the general dispatch.
        if keys.allSatisfy({ if case .number = $0 { return true }; return false }) {
            let ds = keys.map { if case .number(let d) = $0 { return d }; return ExactDecimal.zero }
            idx.sort { i, j in
                let c = ExactDecimal.compare(ds[i], ds[j])
                return c == 0 ? i < j : (descending ? c > 0 : c < 0)
            }
        } else {
            try idx.sort { i, j in
                let c = try W.compare(keys[i], keys[j], m)
                return c == 0 ? i < j : (descending ? c > 0 : c < 0)
            }
        }
        return idx.map { xs[$0] }
    }

    /// The stable order of `keys` when they are numbers that share one
    /// exponent and whose coefficients fit 32 bits (ids, counts, scores),
    /// else nil: each is packed with its index into one `Int64`
    /// (`key << 32 | index`, so equal keys keep their order), sorted without
    /// a comparison closure, three times faster than comparing decimals
    /// (scripts/bench/programs/sort.kdk). The low 32 bits of each are an index.
    static func sortedSmallWholes(_ keys: [Value], descending: Bool) -> [Int64]? {
        guard case .number(let first)? = keys.first, keys.count < Int(Int32.max) else { return nil }
        let e = first.exponent
        var packed: [Int64] = []
        packed.reserveCapacity(keys.count)
        for (i, key) in keys.enumerated() {
            guard case .number(let d) = key, d.exponent == e, let k = Int32(exactly: d.coefficient), k != .min else { return nil }
            packed.append((descending ? -Int64(k) : Int64(k)) << 32 | Int64(i))
        }
        packed.sort()
        return packed
    }

    /// A count of items to take: a whole number, not negative.
    static func count(_ a: Arguments, _ name: String, _ fn: String) throws -> Int {
        let n = try a.int(name)
        guard n >= 0 else { throw EvalError("\(fn): the number of items must not be negative, not \(n)") }
        return n
    }

    /// `first(xs, test)`: the first item that passes (the first item without a test).
    struct FirstFold: Fold {
        var name: String { "first" }
        var function: String? { "test" }
        func next(_ s: inout FoldState, _ x: Value, _ r: Value?, _ m: Machine?) throws -> Bool {
            // `if let`, not `r.map(truth)`: forming that closure allocated per item.
            if let r, try !truth(r) { return true }
            s.value = x
            return false
        }
        func finish(_ s: FoldState) -> Value { s.value }
    }

    /// `max_by` (`want` 1) and `min_by` (-1): the item whose key is
    /// furthest that way, compared as `<` compares; the first of equals.
    struct ExtremeFold: Fold {
        let want: Int
        var name: String { want > 0 ? "max_by" : "min_by" }
        var function: String? { "key" }
        func next(_ s: inout FoldState, _ x: Value, _ key: Value?, _ m: Machine?) throws -> Bool {
            let k = key ?? x
            if let best = s.key, try W.compare(k, best, m).signum() != want { return true }
            s.key = k
            s.value = x
            return true
        }
        func finish(_ s: FoldState) -> Value { s.value }
    }

    /// `any` (`all` false): whether an item passes (every item passes); without
    /// a test, whether an item is (every item is) true. `count` says whether
    /// the answer is known.
    struct AnyAllFold: Fold {
        let any: Bool
        var name: String { any ? "any" : "all" }
        var function: String? { "test" }
        func next(_ s: inout FoldState, _ x: Value, _ r: Value?, _ m: Machine?) throws -> Bool {
            let passes = if let r { try truth(r) } else { x == .bool(true) }
            if passes == any { s.count = 1; return false }
            return true
        }
        func finish(_ s: FoldState) -> Value { .bool((s.count > 0) == any) }
    }

    /// `count(xs, test)`: how many pass (all, without a test); `len` over a pipeline.
    struct CountFold: Fold {
        /// `count` (with its test), or `len` (ending a pipeline).
        let counting: Bool
        var name: String { counting ? "count" : "len" }
        var function: String? { counting ? "test" : nil }
        func next(_ s: inout FoldState, _ x: Value, _ r: Value?, _ m: Machine?) throws -> Bool {
            if let r, try !truth(r) { return true }
            s.count += 1
            return true
        }
        func finish(_ s: FoldState) -> Value { .number(ExactDecimal(s.count)) }
    }

    static let functions: [Builtin] = [
        Builtin("len", Parameter("x").accepting([.list, .text, .record, .range]), result: .plain,
                pipeline: .end(Folding(fold: CountFold(counting: false))),
                doc: "number of items in a list, characters in a text, or fields in a record") { a in
            switch a.value {
            case .list(let l): return .number(ExactDecimal(l.count))
            case .text(let s): return .number(ExactDecimal(TextBytes.characterCount(s, a.machine)))
            case .record(let r): return .number(ExactDecimal(r.count))
            case .range(let r): return .number(ExactDecimal(try WholeRange(r, "len").count))
            default: throw EvalError("len needs a list, text, record or range, not \(Operators.describe(a.value))")
            }
        },
        Builtin("map", [Parameter("xs").accepting(.sequence), Parameter("f").receiving()], gives: .mapped(by: "f"), pipeline: .map,
                doc: "apply f to each item") { a, m in
            let xs = try a.list("xs"), f = try a.function("f")
            var out: [Value] = []
            out.reserveCapacity(xs.count)
            try m.forEachCall(f, xs) { _, y in out.append(y); return true }
            return .list(out)
        },
        Builtin("filter", [Parameter("xs").accepting(.sequence), Parameter("keep").receiving()], gives: .sameItems, pipeline: .filter,
                doc: "the items for which keep(x) is true") { a, m in
            let xs = try a.list("xs"), f = try a.function("keep")
            var out: [Value] = []
            // Room for every item: untouched pages cost nothing, regrowing copies.
            out.reserveCapacity(xs.count)
            try m.forEachCall(f, xs) { x, keep in
                if try Machine.truth(keep, "filter") { out.append(x) }
                return true
            }
            return .list(out)
        },
        Builtin("reduce", [Parameter("xs").accepting(.sequence), Parameter("initial"), Parameter("f").receiving(.accumulatorAndItem)],
                pipeline: .accumulate, doc: "fold: f(f(initial, x1), x2) ...") { a, m in
            let xs = try a.list("xs"), f = try a.function("f")
            return try m.foldCall(f, a["initial"], xs)
        },
        Builtin("any", [Parameter("xs").accepting(.sequence), Parameter.optional("test").receiving()], fold: AnyAllFold(any: true),
                doc: "whether any item passes the test (or is true)"),
        Builtin("all", [Parameter("xs").accepting(.sequence), Parameter.optional("test").receiving()], fold: AnyAllFold(any: false),
                doc: "whether every item passes the test (or is true)"),
        Builtin("count", [Parameter("xs").accepting(.sequence), Parameter.optional("test").receiving()], result: .plain,
                fold: CountFold(counting: true), doc: "how many items pass the test (all items without one)"),
        Builtin("first", [Parameter("xs").accepting(.sequence), Parameter.optional("test").receiving()], gives: .itemUnlessCount("test"),
                pipeline: .end(Folding(fold: FirstFold())), doc: "the first item (passing the test), or none; first(xs, n): the first n items") { a, m in
            let xs = try a.list("xs")
            if case .number = a["test"] { return .list(Array(xs.prefix(try count(a, "test", "first")))) }
            return try FirstFold().run(xs, try a.optionalFunction("test"), m)
        },
        Builtin("max_by", [Parameter("xs").accepting(.sequence), Parameter("key").receiving()], gives: .item,
                fold: ExtremeFold(want: 1), doc: "the item with the largest key(x) (the first of equals), or none"),
        Builtin("min_by", [Parameter("xs").accepting(.sequence), Parameter("key").receiving()], gives: .item,
                fold: ExtremeFold(want: -1), doc: "the item with the smallest key(x) (the first of equals), or none"),
        Builtin("last", [Parameter("xs").accepting(.sequence), Parameter.optional("n")], gives: .itemUnlessCount("n"),
                doc: "the last item, or none; last(xs, n): the last n items") { a, _ in
            let xs = try a.list("xs")
            if a.isNone("n") { return xs.last ?? .none }
            return .list(Array(xs.suffix(try count(a, "n", "last"))))
        },
        Builtin("sort", [Parameter("xs").accepting(.sequence), Parameter.optional("by").receiving(), Parameter("descending", default: .bool(false))],
                gives: .sameItems, doc: "sorted ascending (stable), optionally by a key function") { a, m in
            guard case .bool(let desc) = a["descending"] else { throw EvalError("sort: descending must be true or false") }
            return .list(try sortByKey(try a.list("xs"), key: try a.optionalFunction("by"), descending: desc, m))
        },
        Builtin("sort_by", [Parameter("xs").accepting(.sequence), Parameter("key").receiving()], gives: .sameItems, doc: "sorted ascending by key(x), stable") { a, m in
            .list(try sortByKey(try a.list("xs"), key: try a.function("key"), descending: false, m))
        },
        Builtin("top", [Parameter("xs").accepting(.sequence), Parameter("n"), Parameter.optional("by").receiving()], gives: .sameItems,
                doc: "the n largest items (by a key), largest first; ties keep input order") { a, m in
            let n = try a.int("n")
            guard n >= 0 else { throw EvalError("top: n must not be negative") }
            return .list(Array(try sortByKey(try a.list("xs"), key: try a.optionalFunction("by"), descending: true, m).prefix(n)))
        },
        Builtin("reverse", [Parameter("xs").accepting(.sequence)], gives: .sameItems, doc: "the items in reverse order") { a, _ in
            if case .text(let s) = a["xs"] { return .text(String(s.reversed())) }
            return .list(try a.list("xs").reversed())
        },
        Builtin("range", [Parameter("start").accepting(.amount), Parameter.optional("end"), Parameter("step", default: .number(.one))],
                pipeline: .wholeNumbers, doc: "numbers from start up to (not including) end: range(3) is [0, 1, 2]") { a, m in
            var lo = ExactDecimal.zero, hi: ExactDecimal
            if case .none = a["end"] { hi = try a.number("start") } else { lo = try a.number("start"); hi = try a.number("end") }
            let step = try a.number("step")
            guard !step.isZero else { throw EvalError("range: step must not be 0") }
            let span = try W.wrap { try ExactDecimal.divide(ExactDecimal.subtract(hi, lo), step) }
            let count = span.isNegative ? 0 : (span.rounded(places: 0, .ceiling).intValue ?? Int.max)
            try m.checkSize(count)
            var out: [Value] = []
            out.reserveCapacity(count)
            if lo.exponent == 0, step.exponent == 0, let l = lo.small, let s = step.small,
               case (_, false) = s.multipliedReportingOverflow(by: Int64(count)), case (_, false) = l.addingReportingOverflow(s * Int64(count)) {
                // Whole numbers: no decimal arithmetic needed.
                var x = l
                for _ in 0..<count { out.append(.number(ExactDecimal(coefficient: Int128(x), exponent: 0))); x += s }
                return .list(out)
            }
            var x = lo
            for _ in 0..<count { out.append(.number(x)); x = try W.wrap { try ExactDecimal.add(x, step) } }
            return .list(out)
        },
        Builtin("enumerate", [Parameter("xs").accepting(.sequence)], doc: "records {index, value}, index from 0") { a, _ in
            let shape = Shape.of(["index", "value"])
            return .list(try a.list("xs").enumerated().map { .record(Record.make(shape: shape, values: [.number(ExactDecimal($0.offset)), $0.element])) })
        },
        Builtin("zip", [Parameter("xs").accepting(.sequence), Parameter("ys")], doc: "pairs [x, y], as long as the shorter list") { a, _ in
            .list(zip(try a.list("xs"), try a.list("ys")).map { .list([$0, $1]) })
        },
        Builtin("flatten", [Parameter("xss").accepting(.list)], doc: "one list from a list of lists") { a, m in
            let xss = try a.list("xss")
            try m.checkSize(xss.reduce(0) { n, x in if case .list(let l) = x { return n + l.count }; return n + 1 })
            var out: [Value] = []
            for x in xss { if case .list(let inner) = x { out += inner } else { out.append(x) } }
            return .list(out)
        },
        Builtin("contains", [Parameter("xs").accepting(.sequence), Parameter("x")], doc: "whether a list has the item, or a text the substring") { a, m in
            .bool(try W.contains(a["xs"], a["x"], m))
        },
        Builtin("group_by", [Parameter("xs").accepting(.sequence), Parameter("key").receiving()],
                doc: "groups as records {key, items}, in order of first appearance") { a, m in
            let xs = try a.list("xs")
            let keys = try m.results(of: try a.function("key"), over: xs)
            var order: [Value] = []
            var groups: [[Value]] = []
            var index: [String: Int] = [:]
            for (x, k) in zip(xs, keys) {
                let h = KeyText.of(k)
                if let i = try h.flatMap({ index[$0] }) ?? (h == nil ? order.firstIndex(where: { try Value.equal($0, k, m) }) : nil) {
                    groups[i].append(x)
                } else {
                    if let h { index[h] = order.count }
                    order.append(k)
                    groups.append([x])
                }
            }
            let shape = Shape.of(["key", "items"])
            return .list(zip(order, groups).map { .record(Record.make(shape: shape, values: [$0, .list($1)])) })
        },
        Builtin("unique_by", [Parameter("xs").accepting(.sequence), Parameter("key").receiving()], gives: .sameItems, doc: "the first item for each key, in order") { a, m in
            let xs = try a.list("xs")
            var out: [Value] = []
            var seen = Set<String>()
            var others: [Value] = []
            var i = 0
            try m.forEachCall(try a.function("key"), xs) { x, k in
                defer { i += 1 }
                if let h = KeyText.of(k) {
                    if seen.insert(h).inserted { out.append(x) }
                } else if try !others.contains(where: { try Value.equal($0, k, m) }) {
                    others.append(k)
                    out.append(x)
                }
                return true
            }
            return .list(out)
        },
        Builtin("unique", [Parameter("xs").accepting(.sequence)], gives: .sameItems, doc: "the items without repeats, first occurrence kept") { a, m in
            var out: [Value] = []
            var seen = Set<String>()
            for x in try a.list("xs") {
                // Numbers and texts by a hash key; other values by comparison (counted as steps).
                if let h = KeyText.of(x) {
                    if seen.insert(h).inserted { out.append(x) }
                } else {
                    var dup = false
                    for o in out { try m.step(); if try Value.equal(o, x, m) { dup = true; break } }
                    if !dup { out.append(x) }
                }
            }
            return .list(out)
        },
    ]
}
