/// Where each row of an added field takes its value (`ExtendedRows`): a
/// column of the base table (`source >= 0`) or a value of its own
/// (`values[-source - 1]`). Kept as a byte per row naming one of at most 256
/// sources (an award's excluded rows take a rule's name and the field it
/// read: a few sources for millions of rows), and past 256 as each row's.
/// Ten million excluded rows' two added fields were 80 MB as `Int32`s.
struct AddedSources: Sendable {
    private var distinct: [Int32] = []
    private var codes: [UInt8] = []
    /// Each row's source, once more than 256 differ (then the others are empty).
    private var wide: [Int32]?
    /// The source appended last and its code: the next row's, most often.
    private var last: (source: Int32, code: UInt8)?

    init() {}

    /// `source` for `count` rows.
    init(repeating source: Int32, count: Int) { append(source, count: count) }

    var count: Int { wide?.count ?? codes.count }

    subscript(r: Int) -> Int32 {
        if let wide { return wide[r] }
        return distinct[Int(codes[r])]
    }

    /// `n` more rows taking `source`.
    mutating func append(_ source: Int32, count n: Int = 1) {
        guard wide == nil, let c = code(of: source) else {
            var all = wide ?? (0..<count).map { self[$0] }
            wide = nil  // held once, so the append does not copy it
            all.append(contentsOf: repeatElement(source, count: n))
            (wide, distinct, codes, last) = (all, [], [], nil)
            return
        }
        if n == 1 { codes.append(c) } else { codes.append(contentsOf: repeatElement(c, count: n)) }
    }

    /// Another's rows after these, its values moved `shift` places on
    /// (they follow this column's values).
    mutating func append(contentsOf other: AddedSources, shiftingValuesBy shift: Int32) {
        func moved(_ s: Int32) -> Int32 { s < 0 ? s - shift : s }
        if wide == nil, other.wide == nil {
            // The other's sources as this one's codes, each looked up once.
            var mine: [UInt8] = []
            for s in other.distinct {
                guard let c = code(of: moved(s)) else { break }
                mine.append(c)
            }
            if mine.count == other.distinct.count {
                codes += other.codes.lazy.map { mine[Int($0)] }
                return
            }
        }
        for r in 0..<other.count { append(moved(other[r])) }
    }

    /// `source`'s code, added if new; nil once there would be more than 256.
    private mutating func code(of source: Int32) -> UInt8? {
        if let last, last.source == source { return last.code }
        let c: UInt8
        if let i = distinct.firstIndex(of: source) {
            c = UInt8(i)
        } else {
            guard distinct.count < 256 else { return nil }
            distinct.append(source)
            c = UInt8(distinct.count - 1)
        }
        last = (source, c)
        return c
    }
}
