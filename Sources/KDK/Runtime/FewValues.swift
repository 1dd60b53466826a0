/// A value per row, for columns whose rows take few distinct values (a time
/// column's zones; where an excluded row's added field comes from: a rule's
/// name, the field it read): kept once while every row has the same, then a
/// byte per row naming one of at most 256, and past 256 each row's own.
/// Ten million rows in a few zones take 10 MB rather than 80, and an
/// award's excluded rows' two added fields 10 MB rather than 80.
struct FewValues<Element: Equatable & Sendable>: Sendable {
    /// The values rows take: the first is every row's until `codes` names each row's.
    private var distinct: [Element] = []
    /// Each row's value, an index into `distinct`, once two differ.
    private var codes: [UInt8] = []
    /// Each row's value, once more than 256 differ (then the others are not read).
    private var each: [Element]?
    /// The value coded last and its code: the next row's, most often.
    private var last: (value: Element, code: UInt8)?
    private(set) var count = 0

    init() {}

    /// `value` for `count` rows.
    init(repeating value: Element, count: Int) { append(value, count: count) }

    /// Row `i` takes `values[picks[i]]`: the codes made in one pass, not a
    /// look-up a row (an award's five million excluded rows, by the rule
    /// that excluded each, took 0.1 s a field that way).
    init(picking values: [Element], by picks: [Int]) {
        self.init()
        var codeOf: [UInt8] = []
        for v in values {
            if let i = distinct.firstIndex(of: v) { codeOf.append(UInt8(i)); continue }
            guard distinct.count < 256 else {
                self = FewValues()
                for k in picks { append(values[k]) }
                return
            }
            distinct.append(v)
            codeOf.append(UInt8(distinct.count - 1))
        }
        count = picks.count
        if distinct.count > 1 { codes = picks.map { codeOf[$0] } }
    }

    subscript(r: Int) -> Element {
        if let each { return each[r] }
        if !codes.isEmpty { return distinct[Int(codes[r])] }
        precondition(r >= 0 && r < count, "Index out of range")
        return distinct[0]
    }

    /// Every value some row takes (and perhaps a few more: a join that went
    /// row by row past 256 may leave some unused).
    var values: [Element] { each ?? distinct }

    /// `n` more rows taking `value`.
    mutating func append(_ value: Element, count n: Int = 1) {
        defer { count += n }
        if each != nil { each!.append(contentsOf: repeatElement(value, count: n)); return }
        if codes.isEmpty && (distinct.isEmpty || distinct[0] == value) {
            if distinct.isEmpty { distinct = [value] }
            return
        }
        guard let c = code(of: value) else {
            var all = (0..<count).map { self[$0] }
            all.append(contentsOf: repeatElement(value, count: n))
            (each, distinct, codes, last) = (all, [], [], nil)
            return
        }
        if n == 1 { codes.append(c) } else { codes.append(contentsOf: repeatElement(c, count: n)) }
    }

    /// Another's rows after these, each value `mapped`.
    mutating func append(contentsOf other: FewValues, mapped: (Element) -> Element = { $0 }) {
        guard other.count > 0 else { return }
        if each == nil, other.each == nil {
            if other.codes.isEmpty { return append(mapped(other.distinct[0]), count: other.count) }
            // The other's values as this one's codes, each looked up once.
            var mine: [UInt8] = []
            for v in other.distinct {
                guard let c = count == 0 && mine.isEmpty ? startCoding(mapped(v)) : code(of: mapped(v)) else { break }
                mine.append(c)
            }
            if mine.count == other.distinct.count {
                codes += other.codes.lazy.map { mine[Int($0)] }
                count += other.count
                return
            }
        }
        for r in 0..<other.count { append(mapped(other[r])) }
    }

    /// The first value of an empty list, coded from the start (a join of a
    /// coded list after nothing).
    private mutating func startCoding(_ value: Element) -> UInt8 {
        distinct = [value]
        last = (value, 0)
        return 0
    }

    /// `value`'s code, added if new, the rows so far coded if they were
    /// not; nil once there would be more than 256.
    private mutating func code(of value: Element) -> UInt8? {
        if codes.isEmpty && count > 0 { codes = Array(repeating: 0, count: count) }
        if let last, last.value == value { return last.code }
        let c: UInt8
        if let i = distinct.firstIndex(of: value) {
            c = UInt8(i)
        } else {
            guard distinct.count < 256 else { return nil }
            distinct.append(value)
            c = UInt8(distinct.count - 1)
        }
        last = (value, c)
        return c
    }
}
