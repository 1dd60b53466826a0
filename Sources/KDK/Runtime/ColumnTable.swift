import Foundation

/// Rows stored by column: what `read_csv` returns. To kdk code it is a list
/// of records, each a view of one row (`Record(table:row:)`), so indexing,
/// `filter`, `sort_by` and the rest work unchanged and never copy a row; a
/// field is made into a `Value` when it is read.
///
/// Each column keeps its values in one contiguous array of their own type
/// (`Column`), so a million rows of nine columns are about twenty
/// allocations, not ten million: whole numbers as `Int64`, other numbers and
/// amounts as `ExactDecimal`, text as one UTF-8 buffer with end offsets (or,
/// when values repeat, each distinct text once and a code per row), times and
/// dates unboxed, and `none` as a clear bit in a validity bitmap.
public final class ColumnTable: Sendable {
    /// The column names, which are the rows' fields.
    public let shape: Shape
    let columns: [Column]
    /// How many rows.
    public let count: Int

    init(shape: Shape, columns: [Column], count: Int) {
        self.shape = shape
        self.columns = columns
        self.count = count
    }

    /// Row `r`'s value in column `c`.
    @inline(__always)
    func value(_ c: Int, _ r: Int) -> Value { columns[c].value(r) }

    /// Every row, as views: the list kdk code sees.
    public var rows: [Value] { (0..<count).map { .record(Record(table: self, row: $0)) } }
}

/// Which rows of a column hold a value: one bit per row, clear for `none`.
struct Validity: Sendable {
    /// One bit per row, kept only from the first none on: while every row
    /// is present (most columns) appending a row is counting it.
    private(set) var words: [UInt64] = []
    private(set) var count = 0
    /// Whether any row is none.
    private(set) var anyNone = false

    init() {}

    /// `count` rows, every one present.
    init(allPresent count: Int) { self.count = count }

    /// (Inlined: a call per cell was 5% of reading a CSV.)
    @inline(__always)
    mutating func append(_ present: Bool) {
        if !anyNone && present { count += 1; return }
        appendBit(present)
    }

    private mutating func appendBit(_ present: Bool) {
        if !anyNone {
            // The first none: every row before it is present.
            words = [UInt64](repeating: ~0, count: count / 64)
            if count & 63 != 0 { words.append((1 << UInt64(count & 63)) - 1) }
            anyNone = true
        }
        if count & 63 == 0 { words.append(0) }
        if present { words[count >> 6] |= 1 << UInt64(count & 63) }
        count += 1
    }

    @inline(__always)
    subscript(_ r: Int) -> Bool { !anyNone || words[r >> 6] & (1 << UInt64(r & 63)) != 0 }

    /// Another's bits after these. (No `reserveCapacity`: it reserves
    /// exactly, so appending piece after piece would copy every time.)
    mutating func append(contentsOf other: Validity) {
        if !anyNone && !other.anyNone { count += other.count; return }
        for r in 0..<other.count { append(other[r]) }
    }
}

/// Text cells in one UTF-8 buffer: cell `r` is `bytes[ends[r-1]..<ends[r]]`.
/// Offsets are 32-bit, which halves their size; a column is limited to
/// 4 GiB of text (the reader reports it).
@usableFromInline struct TextBuffer: Sendable {
    var bytes: [UInt8] = []
    var ends: [UInt32] = []

    static let capacity = Int(UInt32.max)

    var count: Int { ends.count }

    /// Appends a cell; false when the column would pass 4 GiB.
    @inline(__always)
    mutating func append(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count + cell.count <= TextBuffer.capacity else { return false }
        bytes.append(contentsOf: cell)
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
        return true
    }

    /// Appends a quoted cell's bytes with each doubled quote (`""`) as one,
    /// a run at a time between quotes (a byte at a time into a new array
    /// was a tenth of reading posts whose texts quote a word); false when
    /// the column would pass 4 GiB.
    mutating func append(unquoting cell: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count + cell.count <= TextBuffer.capacity else { return false }
        guard let base = cell.baseAddress else { ends.append(UInt32(truncatingIfNeeded: bytes.count)); return true }
        var run = 0
        while run < cell.count, let quote = memchr(base + run, 34, cell.count - run) {
            // The run up to and with the first quote of the pair; the second is left out.
            let end = base.distance(to: quote.assumingMemoryBound(to: UInt8.self)) + 1
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: cell[run..<end]))
            run = end + 1
        }
        if run < cell.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: cell[run...])) }
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
        return true
    }

    /// Another's cells after these; false when the column would pass 4 GiB.
    mutating func append(contentsOf other: TextBuffer) -> Bool {
        guard bytes.count + other.bytes.count <= TextBuffer.capacity else { return false }
        let base = UInt32(truncatingIfNeeded: bytes.count)
        bytes.append(contentsOf: other.bytes)
        ends.append(contentsOf: other.ends.lazy.map { base &+ $0 })
        return true
    }

    @inline(__always)
    func range(_ r: Int) -> Range<Int> { (r == 0 ? 0 : Int(ends[r - 1]))..<Int(ends[r]) }

    /// Cell `r` as text (the bytes were checked to be UTF-8 when read).
    func text(_ r: Int) -> String { text(at: range(r)) }

    /// The text of the bytes at `span`.
    func text(at span: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[span]), as: UTF8.self) }
    }
}

/// One column of a table.
enum Column: Sendable {
    /// Numbers with no fractional digits that fit 64 bits.
    case integers(IntegerBuffer, Validity)
    /// Other numbers, or amounts of one unit.
    case decimals([ExactDecimal], unit: UnitID?, Validity)
    /// Text, each cell's bytes in one buffer.
    case text(TextBuffer, Validity)
    /// Text where values repeat: each distinct text once, a code per row.
    case codes([UInt32], [String], Validity)
    case bools([Bool], Validity)
    case times(InstantBuffer, Validity)
    case dates([CivilDate], Validity)
    /// Anything else, one value per row.
    case values([Value])
    /// Column `c` of another table at rows `rows` (a view: see `ExtendedRows`).
    case picked(ColumnTable, Int, RowNumbers)
    /// Per row, a column of another table at that row (`source >= 0`) or a
    /// value of its own (`values[-source - 1]`): an added field (`ExtendedRows`).
    case added(ColumnTable, RowNumbers, FewValues<Int32>, [Value])

    @inline(__always)
    func value(_ r: Int) -> Value {
        switch self {
        case .integers(let xs, let ok): return ok[r] ? .number(ExactDecimal(coefficient: Int128(xs[r]), exponent: 0)) : .none
        case .decimals(let xs, let unit, let ok):
            guard ok[r] else { return .none }
            if let unit { return .quantity(xs[r], unit) }
            return .number(xs[r])
        case .text(let buffer, let ok): return ok[r] ? .text(buffer.text(r)) : .none
        case .codes(let codes, let texts, let ok): return ok[r] ? .text(texts[Int(codes[r])]) : .none
        case .bools(let xs, let ok): return ok[r] ? .bool(xs[r]) : .none
        case .times(let xs, let ok): return ok[r] ? .time(xs[r]) : .none
        case .dates(let xs, let ok): return ok[r] ? .date(xs[r]) : .none
        case .values(let xs): return xs[r]
        case .picked, .added: return viewValue(r)
        }
    }

    /// A view's value: out of line, since it reads another table's column
    /// (this function again), and inlining that into itself made the
    /// optimizer run for many minutes.
    @inline(never)
    private func viewValue(_ r: Int) -> Value {
        switch self {
        case .picked(let table, let c, let rows): return table.value(c, rows[r])
        case .added(let table, let rows, let sources, let values):
            let s = Int(sources[r])
            return s >= 0 ? table.value(s, rows[r]) : values[-s - 1]
        default: return value(r)
        }
    }

    /// A column of these values (nil for none), stored as the narrowest
    /// kind that holds every one of them exactly; `.values` when they mix.
    static func of(_ values: [Value?]) -> Column {
        var b = ColumnBuilder()
        for v in values { b.append(v ?? .none) }
        return b.column
    }
}

/// Builds a column a value at a time, in the kind the first value suggests,
/// widening to `.values` when a later value does not fit it (so any list of
/// values round-trips exactly).
struct ColumnBuilder {
    private enum Kind { case undecided, integers, decimals(UnitID?), text, bools, times, dates, values }
    private var kind = Kind.undecided
    private var ok = Validity()
    private var noneCount = 0
    private var ints = IntegerBuffer()
    private var decimals: [ExactDecimal] = []
    private var texts: [String] = []
    private var bools: [Bool] = []
    private var times = InstantBuffer()
    private var dates: [CivilDate] = []
    private var values: [Value] = []

    mutating func append(_ v: Value) {
        if case .undecided = kind {
            switch v {
            case .none:
                noneCount += 1; ok.append(false)
                return
            case .number(let d) where d.exponent == 0 && Int64(exactly: d.coefficient) != nil: kind = .integers
            case .number: kind = .decimals(nil)
            case .quantity(_, let u): kind = .decimals(u)
            case .text: kind = .text
            case .bool: kind = .bools
            case .time: kind = .times
            case .date: kind = .dates
            default: widen()
            }
            if case .values = kind {} else { pad(noneCount) }
        }
        switch (kind, v) {
        case (_, .none) where !isValues: ok.append(false); pad(1)
        case (.integers, .number(let d)):
            if d.exponent == 0, let i = Int64(exactly: d.coefficient) { ints.append(i); ok.append(true) }
            else {
                // A fraction after whole numbers: keep them all as decimals.
                decimals = ints.all.map { ExactDecimal(coefficient: Int128($0), exponent: 0) }
                ints = IntegerBuffer()
                kind = .decimals(nil)
                decimals.append(d); ok.append(true)
            }
        case (.decimals(nil), .number(let d)): decimals.append(d); ok.append(true)
        case (.decimals(let u?), .quantity(let d, let w)) where u == w: decimals.append(d); ok.append(true)
        case (.text, .text(let s)): texts.append(s); ok.append(true)
        case (.bools, .bool(let b)): bools.append(b); ok.append(true)
        case (.times, .time(let t)): times.append(t); ok.append(true)
        case (.dates, .date(let d)): dates.append(d); ok.append(true)
        case (.values, _): values.append(v)
        default: widen(); values.append(v)
        }
    }

    /// `append(.number(i))` for a whole number, without the value.
    @inline(__always)
    mutating func append(whole i: Int64) {
        guard case .integers = kind else { return append(.number(ExactDecimal(coefficient: Int128(i), exponent: 0))) }
        ints.append(i)
        ok.append(true)
    }

    /// `append(.time(t))`, without the value.
    @inline(__always)
    mutating func append(time t: Instant) {
        guard case .times = kind else { return append(.time(t)) }
        times.append(t)
        ok.append(true)
    }

    /// `append(.bool(b))`, without the value.
    @inline(__always)
    mutating func append(bool b: Bool) {
        guard case .bools = kind else { return append(.bool(b)) }
        bools.append(b)
        ok.append(true)
    }

    private var isValues: Bool { if case .values = kind { return true }; return false }

    /// How many rows.
    var count: Int { isValues ? values.count : ok.count }

    /// Room for `n` rows in the kind's array (a column read in blocks is
    /// otherwise grown, copied and faulted in a dozen times).
    mutating func reserveCapacity(_ n: Int) {
        switch kind {
        case .integers: ints.reserveCapacity(n)
        case .decimals: decimals.reserveCapacity(n)
        case .text: texts.reserveCapacity(n)
        case .bools: bools.reserveCapacity(n)
        case .times: times.reserveCapacity(n)
        case .dates: dates.reserveCapacity(n)
        case .values: values.reserveCapacity(n)
        case .undecided: break
        }
    }

    /// Another builder's rows after these: what appending its values one
    /// by one gives, without a value per row when both hold the same kind
    /// (or whole numbers meet decimals).
    mutating func append(contentsOf other: ColumnBuilder) {
        switch (kind, other.kind) {
        case (.integers, .integers): ints.append(contentsOf: other.ints)
        case (.decimals(let u), .decimals(let w)) where u == w: decimals += other.decimals
        case (.integers, .decimals(nil)):
            decimals = ints.all.map { ExactDecimal(coefficient: Int128($0), exponent: 0) } + other.decimals
            ints = IntegerBuffer()
            kind = .decimals(nil)
        case (.decimals(nil), .integers): decimals += other.ints.all.map { ExactDecimal(coefficient: Int128($0), exponent: 0) }
        case (.bools, .bools): bools += other.bools
        case (.times, .times): times.append(contentsOf: other.times)
        case (.dates, .dates): dates += other.dates
        case (.text, .text): texts += other.texts
        default:
            let column = other.column
            for r in 0..<other.count { append(column.value(r)) }
            return
        }
        ok.append(contentsOf: other.ok)
    }

    /// A placeholder for `n` none rows in the typed array.
    private mutating func pad(_ n: Int) {
        guard n > 0 else { return }
        switch kind {
        case .integers: ints.appendPlaceholders(n)
        case .decimals: decimals.append(contentsOf: repeatElement(ExactDecimal(coefficient: 0, exponent: 0), count: n))
        case .text: texts.append(contentsOf: repeatElement("", count: n))
        case .bools: bools.append(contentsOf: repeatElement(false, count: n))
        case .times: times.appendPlaceholders(n)
        case .dates: dates.append(contentsOf: repeatElement(CivilDate(days: 0), count: n))
        case .undecided, .values: break
        }
    }

    /// Every value so far as a `Value`, and `.values` from now on.
    private mutating func widen() {
        let sofar = built
        kind = .values
        values = (0..<ok.count).map { sofar?.value($0) ?? .none }
        ints = IntegerBuffer(); decimals = []; texts = []; bools = []; times = InstantBuffer(); dates = []
    }

    private var built: Column? {
        switch kind {
        case .undecided, .values: return nil
        case .integers: return .integers(ints, ok)
        case .decimals(let u): return .decimals(decimals, unit: u, ok)
        case .text: return Column.texts(texts, ok)
        case .bools: return .bools(bools, ok)
        case .times: return .times(times, ok)
        case .dates: return .dates(dates, ok)
        }
    }

    /// The column.
    var column: Column {
        if case .undecided = kind { return .values(Array(repeating: .none, count: ok.count)) }
        return built ?? .values(values)
    }
}

extension Column {
    /// A text column of these texts (see `texts(_:_:)` for the buffer).
    static func texts(_ cells: [String], _ ok: Validity) -> Column {
        var buffer = TextBuffer()
        for s in cells {
            var s = s
            _ = s.withUTF8 { buffer.append($0) }
        }
        return texts(buffer, ok)
    }

    /// The text cells of `buffer` as a column: coded when its texts repeat
    /// (of the first 4,096 at most a quarter distinct, and of all at most
    /// 65,536), else the buffer itself. With `m`, a large column's halves
    /// are coded on two cores and joined: the second half's texts the first
    /// has take its codes, the others the next codes in the order they first
    /// come, so the codes are those of one pass.
    static func texts(_ buffer: TextBuffer, _ ok: Validity, on m: Machine? = nil) -> Column {
        let n = buffer.count
        guard n > 0 else { return .text(buffer, ok) }
        let halves = m != nil && n >= 1 << 16 ? [0..<n / 2, n / 2..<n] : [0..<n]
        let parts = m?.onCores(halves.count) { k in codes(buffer, halves[k], sampling: k == 0) } ?? [codes(buffer, 0..<n, sampling: true)]
        guard var (interner, codes) = parts[0] else { return .text(buffer, ok) }
        if parts.count > 1 {
            guard let (second, more) = parts[1] else { return .text(buffer, ok) }
            var joined = [UInt32]()
            for span in second.firstSpans {
                guard let code = interner.code(span) else { return .text(buffer, ok) }
                joined.append(code)
            }
            codes += more.lazy.map { joined[Int($0)] }
        }
        return .codes(codes, interner.firstSpans.map { buffer.text(at: $0) }, ok)
    }

    /// The codes of the cells at `rows`, and their interner; nil when they
    /// are too many, or (`sampling`) more than a quarter of the first 4,096.
    private static func codes(_ buffer: TextBuffer, _ rows: Range<Int>, sampling: Bool) -> (ByteInterner, [UInt32])? {
        var interner = ByteInterner(buffer)
        var codes = [UInt32]()
        codes.reserveCapacity(rows.count)
        let sample = min(rows.count, codingSample)
        for r in rows {
            guard let code = interner.code(r) else { return nil }
            codes.append(code)
            if sampling && codes.count == sample && !repeats(interner.count, among: sample) { return nil }
        }
        return (interner, codes)
    }

    /// How many first cells of a text column decide whether it is coded.
    static let codingSample = 4096

    /// Whether `distinct` texts among a column's first `cells` repeat enough
    /// to code the column: at most a quarter are distinct.
    static func repeats(_ distinct: Int, among cells: Int) -> Bool { distinct * 4 <= cells }
}

/// Codes for the distinct cells of a text buffer, compared as bytes. Written
/// by hand: a `[String: UInt32]` made a String per cell and hashed it with
/// Unicode normalization, 14% of reading a 1M-row CSV; and two texts that
/// differ in bytes must keep their own bytes.
struct ByteInterner {
    private let buffer: TextBuffer
    /// For each code, where its bytes first are in the buffer: the start
    /// times 2^32, plus the length. Read with the bytes when a hash matches,
    /// in one load: the row's end and start in the buffer were two more
    /// (cache misses, a third of interning five million authors).
    private var spans: [UInt64] = []
    /// Open addressing: 0 for empty, else the text's 32-bit hash over its
    /// code + 1. The hash picks the slot (so growing needs no rehash of the
    /// bytes) and is compared before the bytes are (so a probe past other
    /// texts seldom reads them).
    private var slots = [UInt64](repeating: 0, count: 1 << 12)
    /// Most distinct texts (a column is coded only below it).
    private let limit: Int
    static let limit = 65_536

    /// `expected`: about how many distinct texts there will be, for room
    /// that need not grow (each growth rehashes every slot).
    init(_ buffer: TextBuffer, limit: Int = ByteInterner.limit, expected: Int = 0) {
        self.buffer = buffer
        self.limit = min(limit, Int(Int32.max))
        if expected > 2_048 {
            slots = [UInt64](repeating: 0, count: 1 << (64 - (UInt64(min(expected, 1 << 30)) * 2 - 1).leadingZeroBitCount))
            // Room for the expected texts at once (grown by doubling, the
            // smaller copies stay in the heap).
            spans.reserveCapacity(min(expected, 1 << 30))
        }
    }

    var count: Int { spans.count }

    /// Where each code's bytes first are in the buffer.
    var firstSpans: [Range<Int>] {
        spans.map { Int($0 >> 32)..<Int(($0 >> 32) + ($0 & 0xFFFF_FFFF)) }
    }

    /// Row `r`'s code, new if its bytes are; nil past `limit` distinct texts.
    mutating func code(_ r: Int) -> UInt32? { code(buffer.range(r)) }

    /// `code(r)` of each row in turn, given to `body`, a batch of rows at a
    /// time: the batch's hashes first, then each one's slot read before any
    /// is probed, so that the cache misses of a batch (a table of millions
    /// of texts is far larger than the cache) overlap instead of following
    /// one another. False past `limit` distinct texts.
    mutating func codes(_ rows: RowNumbers, _ body: (UInt32) -> Void) -> Bool {
        let batch = 16
        var spans = [Range<Int>](repeating: 0..<0, count: batch), hashes = [UInt32](repeating: 0, count: batch)
        var filled = 0, touched: UInt64 = 0
        func probe() -> Bool {
            if self.spans.count + filled > slots.count / 2 { grow() }
            let mask = slots.count - 1
            for k in 0..<filled { touched &+= slots[Int(hashes[k]) & mask] }
            for k in 0..<filled {
                guard let code = code(spans[k], hash: hashes[k]) else { return false }
                body(code)
            }
            filled = 0
            return true
        }
        for r in rows {
            let span = buffer.range(r)
            spans[filled] = span
            hashes[filled] = hash(span)
            filled += 1
            if filled == batch, !probe() { return false }
        }
        guard probe() else { return false }
        sink = touched
        return true
    }

    /// What `codes` read ahead, kept so that its reads are not left out.
    private var sink: UInt64 = 0

    /// The code of the bytes at `span` of the buffer, new if they are; nil
    /// past `limit` distinct texts.
    mutating func code(_ span: Range<Int>) -> UInt32? { code(span, hash: hash(span)) }

    private mutating func code(_ span: Range<Int>, hash h: UInt32) -> UInt32? {
        if spans.count * 2 >= slots.count { grow() }
        let mask = slots.count - 1
        var i = Int(h) & mask
        while slots[i] != 0 {
            let slot = slots[i]
            if UInt32(truncatingIfNeeded: slot >> 32) == h {
                let code = Int(UInt32(truncatingIfNeeded: slot)) - 1
                if same(spans[code], span) { return UInt32(code) }
            }
            i = (i + 1) & mask
        }
        guard spans.count < limit else { return nil }
        // The buffer's offsets and lengths fit 32 bits (`TextBuffer.capacity`).
        spans.append(UInt64(span.lowerBound) << 32 | UInt64(span.count))
        slots[i] = UInt64(h) << 32 | UInt64(spans.count)
        return UInt32(spans.count - 1)
    }

    private func same(_ first: UInt64, _ span: Range<Int>) -> Bool {
        guard Int(first & 0xFFFF_FFFF) == span.count else { return false }
        guard !span.isEmpty else { return true }
        return buffer.bytes.withUnsafeBytes { b in
            memcmp(b.baseAddress! + Int(first >> 32), b.baseAddress! + span.lowerBound, span.count) == 0
        }
    }

    /// The bytes' hash (`Hashing.bytes`, seeded per process), folded to 32 bits.
    private func hash(_ span: Range<Int>) -> UInt32 {
        buffer.bytes.withUnsafeBytes { b in
            guard let base = b.baseAddress else { return 0 }
            let x = Hashing.bytes(base + span.lowerBound, span.count)
            return UInt32(truncatingIfNeeded: x ^ (x >> 32))
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for slot in old where slot != 0 {
            var i = Int(slot >> 32) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}

/// Records that are other records with fields added (what a campaign's
/// excluded list holds: the entry, the rule, the value), gathered lazily.
/// A run of rows of one table with the same added fields becomes a table of
/// its own whose columns pick from the first (`Column.picked`), so no row is
/// copied and each added field is a column; other records are extended at
/// once. The records are made only when `values` is read.
public struct ExtendedRows: Sendable {
    /// An added field: a value, or the value of one of the row's own fields
    /// (a rule's value is often the field it tested), which a table's row
    /// gives without a copy.
    public enum Addition: Sendable {
        case value(Value)
        case field(String)
    }

    private enum Segment: Sendable {
        case records([Value])
        /// Rows of a table, and for each added field, where each row's value is.
        case rows(ColumnTable, names: [String], rows: RowNumbers, added: [AddedColumn])
    }

    /// An added field over a run of rows: per row, a column of the base
    /// table (`source >= 0`) or a value of its own (`values[-source - 1]`).
    /// A text value that repeats (a rule's name) is kept once.
    struct AddedColumn: Sendable {
        var sources = FewValues<Int32>()
        var values: [Value] = []
        /// Instead of sources and values: a whole number per row (the scores
        /// of entries a leaderboard passes over, millions of them), kept
        /// as whole numbers, not values (until a row that is not one comes).
        var wholes: IntegerBuffer? = nil
        private var texts: [String: Int32] = [:]
        /// The text added last and its source: the same text row after row
        /// (a rule's name) is found without hashing it.
        private var last: (text: String, source: Int32)?

        mutating func append(_ a: Addition, _ table: ColumnTable) {
            mix()
            switch a {
            case .field(let f):
                if let c = table.shape.slot(f) { sources.append(Int32(c)); return }
                values.append(.none)
            case .value(.text(let s)) where texts.count < 256:
                if let last, last.text == s { sources.append(last.source); return }
                if let i = texts[s] { sources.append(i); last = (s, i); return }
                values.append(.text(s))
                texts[s] = -Int32(values.count)
                last = (s, -Int32(values.count))
            case .value(let v):
                values.append(v)
            }
            sources.append(-Int32(values.count))
        }

        /// Another column's rows after these (its values after these values).
        mutating func append(contentsOf other: AddedColumn) {
            if var mine = wholes, let theirs = other.wholes {
                wholes = nil  // held once, so the append does not copy it
                mine.append(contentsOf: theirs)
                wholes = mine
                return
            }
            mix()
            var other = other
            other.mix()
            // The other's values follow these: its sources of values move on.
            let shift = Int32(values.count)
            sources.append(contentsOf: other.sources, mapped: { $0 < 0 ? $0 - shift : $0 })
            values += other.values
        }

        /// Whole numbers as sources and values, like any other addition.
        private mutating func mix() {
            guard let w = wholes else { return }
            wholes = nil
            let base = Int32(values.count)
            for r in 0..<w.count {
                values.append(.number(ExactDecimal(coefficient: Int128(w[r]), exponent: 0)))
                sources.append(-(base + Int32(r) + 1))
            }
        }

        /// The added field of rows `rows` of `base`, as a column.
        func column(_ base: ColumnTable, _ rows: RowNumbers) -> Column {
            if let w = wholes { return .integers(w, Validity(allPresent: w.count)) }
            return .added(base, rows, sources, values)
        }
    }
    private var segments: [Segment] = []

    public init() {}

    /// `r` with `added` fields: each replaces a field of the same name, or
    /// is added after the others.
    public mutating func append(_ r: Record, _ added: [(String, Value)]) {
        append(r, added.map { ($0.0, Addition.value($0.1)) })
    }

    /// `r` with `added` fields, each a value or one of `r`'s own fields.
    public mutating func append(_ r: Record, _ added: [(String, Addition)]) {
        if let (table, row) = r.tableRow {
            // The run so far takes it when the names are the same (none of
            // which is the table's own: checked when the run began).
            if case .rows(let t, let names, var rows, var columns)? = segments.last, t === table,
               names.elementsEqual(added.lazy.map { $0.0 }) {
                segments.removeLast()  // the arrays are now held once, so the appends below do not copy them
                rows.append(row)
                for (k, (_, a)) in added.enumerated() { columns[k].append(a, table) }
                segments.append(.rows(t, names: names, rows: rows, added: columns))
                return
            }
            if added.allSatisfy({ table.shape.slot($0.0) == nil }) {
                var columns = [AddedColumn](repeating: AddedColumn(), count: added.count)
                for (k, (_, a)) in added.enumerated() { columns[k].append(a, table) }
                segments.append(.rows(table, names: added.map { $0.0 }, rows: [row], added: columns))
                return
            }
        }
        let record = Value.record(r.extended(added.map { n, a in
            switch a {
            case .value(let v): return (n, v)
            case .field(let f): return (n, r[f] ?? .none)
            }
        }))
        if case .records(var xs)? = segments.last {
            segments.removeLast()
            xs.append(record)
            segments.append(.records(xs))
        } else {
            segments.append(.records([record]))
        }
    }

    /// Values of an added field for many rows: one addition for all (a
    /// value, or each row's own field), a value each, or one per kind of row
    /// (row `i` gets `kinds[kindOf[i]]`: the rule that excluded it, and the
    /// field it read).
    public enum AddedValues: Sendable {
        case same(Addition)
        case each([Value])
        /// A whole number each (kept as one).
        case wholes([Int64])
        case byKind([Addition], kindOf: [Int])

        /// Row `i`'s addition.
        func addition(_ i: Int) -> Addition {
            switch self {
            case .same(let a): return a
            case .each(let vs): return .value(vs[i])
            case .wholes(let xs): return .value(.number(ExactDecimal(coefficient: Int128(xs[i]), exponent: 0)))
            case .byKind(let kinds, let kindOf): return kinds[kindOf[i]]
            }
        }
    }

    /// The entries at `slots`, each with the `added` fields, as one run of
    /// their table's rows: what each row adds is worked out per field (and
    /// per kind), so a million rows cost a few integers each. False, adding
    /// nothing, when an added name is a field of the table.
    public mutating func append(_ entries: TableRows, at slots: [Int], _ added: [(String, AddedValues)]) -> Bool {
        appendRows(entries.table, RowNumbers(slots.lazy.map { entries.rows[$0] }), added)
    }

    /// `records`, each with the `added` fields: one run of a table's rows
    /// when every record is a row of the same table and no added name is one
    /// of its fields; else one record at a time.
    public mutating func append(_ records: [Record], _ added: [(String, AddedValues)]) {
        var rows = RowNumbers()
        rows.reserveCapacity(records.count)
        let table = records.first?.tableRow?.table
        for r in records {
            guard let table, let (t, row) = r.tableRow, t === table else { break }
            rows.append(row)
        }
        if let table, rows.count == records.count, appendRows(table, rows, added) { return }
        for (i, r) in records.enumerated() { append(r, added.map { ($0.0, $0.1.addition(i)) }) }
    }

    private mutating func appendRows(_ table: ColumnTable, _ rows: RowNumbers, _ added: [(String, AddedValues)]) -> Bool {
        guard added.allSatisfy({ table.shape.slot($0.0) == nil }) else { return false }
        guard !rows.isEmpty else { return true }
        let columns = added.map { _, values -> AddedColumn in
            var c = AddedColumn()
            // An addition's source: a column of the table, or its value kept once.
            func source(_ a: Addition) -> Int32 {
                if case .field(let f) = a, let slot = table.shape.slot(f) { return Int32(slot) }
                if case .value(let v) = a { c.values.append(v) } else { c.values.append(.none) }
                return -Int32(c.values.count)
            }
            switch values {
            case .same(let a):
                c.sources = FewValues(repeating: source(a), count: rows.count)
            case .each(let vs):
                c.values = vs
                for k in 0..<Int32(vs.count) { c.sources.append(-(k + 1)) }
            case .wholes(let xs):
                var w = IntegerBuffer()
                w.reserveCapacity(xs.count)
                for x in xs { w.append(x) }
                c.wholes = w
            case .byKind(let kinds, let kindOf):
                c.sources = FewValues(picking: kinds.map(source), by: kindOf)
            }
            return c
        }
        segments.append(.rows(table, names: added.map { $0.0 }, rows: rows, added: columns))
        return true
    }

    /// Another's records after these. Rows of the same table with the same
    /// fields added join the run before them, so that an award's excluded
    /// rows (the first few screened one by one, the rest over columns) are
    /// one run, and one table (`list`).
    public mutating func append(contentsOf other: ExtendedRows) {
        var rest = other.segments[...]
        if case .rows(let t, let names, var rows, var columns)? = segments.last,
           case .rows(let u, let otherNames, let more, let moreColumns)? = rest.first, t === u, names == otherNames {
            segments.removeLast()  // the arrays are now held once, so the appends below do not copy them
            rows.append(contentsOf: more)
            for k in columns.indices { columns[k].append(contentsOf: moreColumns[k]) }
            segments.append(.rows(t, names: names, rows: rows, added: columns))
            rest = rest.dropFirst()
        }
        segments += rest
    }

    /// How many records.
    public var count: Int {
        segments.reduce(0) { n, s in
            switch s { case .records(let xs): return n + xs.count; case .rows(_, _, let rows, _): return n + rows.count }
        }
    }

    /// The records, in order: rows of the tables made for them.
    public var values: [Value] {
        var out: [Value] = []
        out.reserveCapacity(count)
        for s in segments {
            switch s {
            case .records(let xs): out += xs
            case .rows(let base, let names, let rows, let added): out += Self.table(base, names, rows, added).rows
            }
        }
        return out
    }

    /// The records as a list: each run of a table's rows as the rows of the
    /// table made for them, each record made as it is read (an award's
    /// five million excluded rows made up front were 160 MB and 0.2 s,
    /// whether or not anything read them).
    public var list: ValueList {
        ValueList(joining: segments.map { s in
            switch s {
            case .records(let xs): return ValueList(xs)
            case .rows(let base, let names, let rows, let added): return ValueList(rowsOf: Self.table(base, names, rows, added))
            }
        })
    }

    /// Rows `rows` of `base` with the `added` columns, as a table of views.
    private static func table(_ base: ColumnTable, _ names: [String], _ rows: RowNumbers, _ added: [AddedColumn]) -> ColumnTable {
        let picked = (0..<base.columns.count).map { Column.picked(base, $0, rows) }
        let more = added.map { $0.column(base, rows) }
        return ColumnTable(shape: .of(base.shape.names + names), columns: picked + more, count: rows.count)
    }
}

extension Record {
    /// This record with `added` fields: each replaces a field of the same
    /// name, or is added after the others.
    public func extended(_ added: [(String, Value)]) -> Record {
        var names = shape.names
        var values = self.values
        for (k, v) in added {
            if let i = names.firstIndex(of: k) { values[i] = v } else { names.append(k); values.append(v) }
        }
        return Record.make(shape: .of(names), values: values)
    }
}

/// Values that arrive one at a time (the lines of a JSON Lines file), kept as
/// the rows of a table while every one is a record of the same shape, and as
/// they are from the first that is not (the rows so far stay views).
struct TableBuilder {
    private var shape: Shape?
    private var columns: [ColumnBuilder] = []
    private var count = 0
    private var plain: [Value]?

    mutating func append(_ v: Value) {
        if plain != nil { plain!.append(v); return }
        guard case .record(let r) = v, shape == nil || r.shape === shape else {
            plain = rows + [v]
            return
        }
        if shape == nil {
            shape = r.shape
            columns = Array(repeating: ColumnBuilder(), count: r.count)
        }
        for i in 0..<r.count { columns[i].append(r[at: i]) }
        count += 1
    }

    /// Every value, in order.
    var rows: [Value] {
        if let plain { return plain }
        guard let shape else { return [] }
        return ColumnTable(shape: shape, columns: columns.map { $0.column }, count: count).rows
    }
}
