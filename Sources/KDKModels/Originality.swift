import CMinHash
import Foundation
import KDK

/// Original content: `similarity(a, b)`, the exact measure, and
/// `mark_copies(rows, text:, owner:, similarity:)`, which finds each row's
/// earliest similar row and marks it a copy when that row's owner is another.
///
/// Similarity is the Jaccard similarity of two texts' sets of character
/// 3-shingles (three consecutive characters, as grapheme clusters, so an emoji
/// or a letter with its combining mark is one character), after this
/// normalization: Unicode NFKC, lower case, words that are URLs (`http://`,
/// `https://`) or #tags (start with `#`) dropped (every entry carries the
/// campaign's tag, and farms vary them), runs of white space as one space. A text of fewer than 3 characters is one shingle; an
/// empty one has none and is similar to nothing. Three characters suit both
/// scripts: a CJK word is one or two characters, so longer shingles would
/// miss reorderings, and Latin bigrams are shared by unrelated texts.
///
/// The fast path (`keyed`) computes the same measure without strings, and
/// candidates come from MinHash with bands (b bands of r rows: a pair of
/// similarity s shares a band with probability 1 − (1 − s^r)^b), and every
/// candidate is verified with the exact similarity, so nothing is marked
/// that is not similar. r and b are chosen from the threshold t so that a
/// pair at t + 0.05 is missed with probability under 1e-6, and one at t
/// with at most 1% (`bands(for:)`).
/// Hash seeds are fixed and rows are taken in (time, id) order, so the answer
/// is the same for any input order and thread count.
enum Originality {
    static let shingleLength = 3
    /// The probability of missing a pair at the threshold + 0.05 must stay under this.
    static let missTarget = 1e-6
    /// At most this many hashes per text (b × r): as many as `kdk_minhash` computes.
    static let maxHashes = Int(KDK_MINHASH_COUNT)

    // MARK: the exact measure

    /// The text as compared (see above).
    static func normalized(_ s: String) -> [Character] {
        let folded = s.precomposedStringWithCompatibilityMapping.lowercased()
        var out: [Character] = []
        var pendingSpace = false
        for word in folded.split(whereSeparator: { $0.isWhitespace }) {
            if word.hasPrefix("http://") || word.hasPrefix("https://") || word.hasPrefix("#") { continue }
            if pendingSpace { out.append(" ") }
            out.append(contentsOf: word)
            pendingSpace = true
        }
        return out
    }

    /// The distinct shingles of a text.
    static func shingles(_ s: String) -> Set<String> {
        let cs = normalized(s)
        if cs.isEmpty { return [] }
        if cs.count < shingleLength { return [String(cs)] }
        var out = Set<String>()
        for i in 0...(cs.count - shingleLength) { out.insert(String(cs[i..<(i + shingleLength)])) }
        return out
    }

    /// Jaccard similarity of two shingle sets, exact (28 digits): |A ∩ B| / |A ∪ B|;
    /// 0 when both are empty.
    static func jaccard(_ a: Set<String>, _ b: Set<String>) -> ExactDecimal {
        let common = a.count <= b.count ? a.filter(b.contains).count : b.filter(a.contains).count
        return ratio(common, a.count + b.count - common)
    }

    /// common / union to 28 digits; 0 when nothing is shared.
    static func ratio(_ common: Int, _ union: Int) -> ExactDecimal {
        guard union > 0, common > 0 else { return .zero }
        return (try? ExactDecimal.divide(ExactDecimal(common), ExactDecimal(union))) ?? .zero
    }

    // MARK: the same measure, fast

    /// Turns texts into shingle keys, reusing its space from text to text.
    ///
    /// A text's normalized characters become 21-bit codes: a character of
    /// one Unicode scalar is that scalar's value, so the codes are the text
    /// (`exact`). A character of several scalars (an emoji with a skin tone,
    /// a letter with a combining mark) gets a hash of its scalars above every
    /// scalar, good for MinHash; such a text is compared by `shingles`.
    /// A key is three codes side by side, or for a text of one or two
    /// characters one key with the top bits set, so equal keys of exact
    /// codes are equal shingles.
    ///
    /// Texts whose every scalar `direct` maps (most posts) are read scalar
    /// by scalar without strings; the others go through `normalized`, which
    /// costs ten times more. The two agree (OriginalityTests).
    struct Shingler {
        private var codes: [UInt32] = []
        /// The last text's keys: with repeats, or sorted and distinct.
        private(set) var keys: [UInt64] = []
        /// Whether the last text's keys are exact.
        private(set) var exact = true

        mutating func shingle(_ text: String, distinct: Bool) {
            readCodes(text)
            keys.removeAll(keepingCapacity: true)
            switch codes.count {
            case 0: break
            case 1: keys.append(oneCharacter | UInt64(codes[0]))
            case 2: keys.append(twoCharacters | UInt64(codes[0]) << 21 | UInt64(codes[1]))
            default:
                for i in 0...(codes.count - shingleLength) {
                    let high = UInt64(codes[i]) << 42, middle = UInt64(codes[i + 1]) << 21
                    keys.append(high | middle | UInt64(codes[i + 2]))
                }
            }
            guard distinct, keys.count > 1 else { return }
            keys.withUnsafeMutableBufferPointer(Shingler.shellSort)
            var kept = 1
            for k in 1..<keys.count where keys[k] != keys[kept - 1] {
                keys[kept] = keys[k]
                kept += 1
            }
            keys.removeLast(keys.count - kept)
        }

        private mutating func readCodes(_ s: String) {
            codes.removeAll(keepingCapacity: true)
            exact = true
            // Where the word being read starts in `codes`, or -1 between words.
            var start = -1
            for u in s.unicodeScalars {
                guard let v = direct(u.value) else { return readNormalized(s) }
                if v == 0x20 || (0x09...0x0D).contains(v) {
                    if start >= 0 { endWord(at: start) }
                    start = -1
                } else {
                    if start < 0 {
                        if !codes.isEmpty { codes.append(0x20) }
                        start = codes.count
                    }
                    codes.append(v)
                }
            }
            if start >= 0 { endWord(at: start) }
        }

        /// Drops the word just read, and the space before it, when it is a URL or a #tag.
        private mutating func endWord(at start: Int) {
            let word = codes[start...]
            guard word.first == 0x23 /* # */ || word.starts(with: Shingler.http) || word.starts(with: Shingler.https) else { return }
            codes.removeLast(codes.count - (start > 0 ? start - 1 : 0))
        }

        /// The codes of a text with scalars `direct` does not map, through strings.
        private mutating func readNormalized(_ s: String) {
            codes.removeAll(keepingCapacity: true)
            for c in normalized(s) {
                let scalars = c.unicodeScalars
                if scalars.count == 1, let u = scalars.first {
                    codes.append(u.value)
                } else {
                    var h: UInt64 = 0
                    for u in scalars { h = Hashing.mix(h ^ UInt64(u.value)) }
                    codes.append(0x11_0000 + UInt32(h % 0xF_0000))
                    exact = false
                }
            }
        }

        /// Sorts in place without allocating (a text has a few hundred keys
        /// at most; the standard library's sort allocates a buffer each time).
        static func shellSort(_ a: inout UnsafeMutableBufferPointer<UInt64>) {
            var gap = 1
            while gap < a.count / 3 { gap = 3 * gap + 1 }
            while gap > 0 {
                for i in gap..<a.count {
                    let v = a[i]
                    var j = i
                    while j >= gap, a[j - gap] > v { a[j] = a[j - gap]; j -= gap }
                    a[j] = v
                }
                gap /= 3
            }
        }

        static let http = "http://".unicodeScalars.map(\.value), https = "https://".unicodeScalars.map(\.value)
    }

    /// A scalar's normalized form, when it is one scalar that is a character
    /// of its own (no mark or joiner attaches to it) and the text's other
    /// scalars are such too: ASCII, lower-cased; full-width ASCII forms,
    /// which NFKC makes ASCII; CJK unified ideographs, CJK and general
    /// punctuation and emoji that NFKC and lower case keep as they are
    /// (every one checked against Foundation's NFKC, OriginalityTests); else nil.
    @inline(__always)
    static func direct(_ v: UInt32) -> UInt32? {
        switch v {
        case 0x41...0x5A: return v + 0x20
        case 0..<0x80, 0x4E00...0x9FFF, 0x3001...0x3002, 0x300C...0x3011, 0x2013...0x2014, 0x2018...0x2019, 0x201C...0x201D,
             0x1F300...0x1F3FA, 0x1F400...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1F9FF: return v
        case 0xFF21...0xFF3A: return v - 0xFEE0 + 0x20
        case 0xFF01...0xFF5E: return v - 0xFEE0
        default: return nil
        }
    }

    static let oneCharacter: UInt64 = 1 << 63, twoCharacters: UInt64 = 3 << 62

    /// The similarity of two texts, given their sorted, distinct keys: by
    /// the keys when both are exact, else by their shingles as strings.
    static func similarity(_ a: String, _ ka: Shingler, _ b: String, _ kb: Shingler) -> ExactDecimal {
        guard ka.exact, kb.exact else { return jaccard(shingles(a), shingles(b)) }
        let x = ka.keys, y = kb.keys
        var i = 0, j = 0, common = 0
        while i < x.count, j < y.count {
            if x[i] == y[j] { common += 1; i += 1; j += 1 } else if x[i] < y[j] { i += 1 } else { j += 1 }
        }
        return ratio(common, x.count + y.count - common)
    }

    static func similarity(_ a: String, _ b: String) -> ExactDecimal {
        var ka = Shingler(), kb = Shingler()
        ka.shingle(a, distinct: true)
        kb.shingle(b, distinct: true)
        return similarity(a, ka, b, kb)
    }

    // MARK: candidates

    /// Rows and bands for threshold `t`, with at most 128 hashes: the most
    /// rows per band (the fewest false candidates), and as many bands as fit,
    /// such that a pair at t + 0.05 (at most 0.999) is missed with
    /// probability (1 − s^r)^b under 1e-6 and a pair at t itself with
    /// probability at most 1%.
    static func bands(for t: Double) -> (bands: Int, rows: Int) {
        let s = min(0.999, t + 0.05)
        var best = (bands: maxHashes, rows: 1)
        for r in 1...maxHashes {
            let b = maxHashes / r
            if missProbability(s, bands: b, rows: r) < missTarget, missProbability(t, bands: b, rows: r) <= 0.01 { best = (b, r) }
        }
        return best
    }

    /// The probability that a pair of similarity `s` shares no band.
    static func missProbability(_ s: Double, bands b: Int, rows r: Int) -> Double { pow(1 - pow(s, Double(r)), Double(b)) }


    /// The MinHash permutations: a shingle key k goes to x, the high 32 bits
    /// of `Hashing.mix(k)`, then to a·x + c (mod 2^32) for each of 128 fixed odd a
    /// and fixed c (as datasketch's a·x + b mod p, one per hash).
    static let multipliers: [UInt32] = (0..<UInt64(maxHashes)).map { UInt32(truncatingIfNeeded: Hashing.mix($0 &* 0x2545_F491_4F6C_DD1D)) | 1 }
    static let offsets: [UInt32] = (0..<UInt64(maxHashes)).map { UInt32(truncatingIfNeeded: Hashing.mix($0 &+ 0x5851_F42D_4C95_7F2D) >> 32) }

    /// A text's b band keys (each a 32-bit hash of r MinHash values),
    /// appended to `out`; false when the text has no shingles (it is similar
    /// to nothing). `x` and `sig` are scratch space.
    static func bandKeys(_ text: String, bands b: Int, rows r: Int, into out: inout [UInt32], shingler: inout Shingler, x: inout [UInt32], sig: inout [UInt32]) -> Bool {
        shingler.shingle(text, distinct: false)  // repeats change no minimum
        guard !shingler.keys.isEmpty else { return false }
        x.removeAll(keepingCapacity: true)
        for key in shingler.keys { x.append(UInt32(truncatingIfNeeded: Hashing.mix(key) >> 32)) }
        sig.removeAll(keepingCapacity: true)
        sig.append(contentsOf: repeatElement(.max, count: maxHashes))
        x.withUnsafeBufferPointer { x in
            sig.withUnsafeMutableBufferPointer { sig in
                kdk_minhash(x.baseAddress, x.count, multipliers, offsets, sig.baseAddress)
            }
        }
        for band in 0..<b {
            var h = UInt64(band)
            for row in 0..<r { h = Hashing.mix(h ^ UInt64(sig[band * r + row])) }
            out.append(UInt32(truncatingIfNeeded: h >> 32))
        }
        return true
    }

    /// The rows that share a band key with an earlier row, in one band: the
    /// ranks of every run of two or more rows (earliest first), and for each
    /// row after a run's first, where its run starts and where it sits.
    struct BandRuns {
        var ranks: [Int32] = []
        var later: [(row: Int32, start: Int32, at: Int32)] = []
    }

    /// Band `band`'s runs: the (key, rank) pairs of the rows with shingles,
    /// in rank order, sorted by key with a stable radix sort (two passes of
    /// 16 bits), so each run is a key's rows, earliest first. A radix sort,
    /// written here, takes a tenth of the standard library's comparison
    /// sort at a million rows, twenty times over.
    static func runs(band: Int, bands b: Int, keys: UnsafeBufferPointer<UInt32>, hasKeys: [Bool], order: [Int]) -> BandRuns {
        var packed: [UInt64] = []
        packed.reserveCapacity(order.count)
        for (rank, row) in order.enumerated() where hasKeys[row] { packed.append(UInt64(keys[row * b + band]) << 32 | UInt64(rank)) }
        var other = [UInt64](repeating: 0, count: packed.count)
        for shift in [UInt64(32), 48] {
            var count = [Int](repeating: 0, count: 1 << 16 + 1)
            for v in packed { count[Int((v >> shift) & 0xFFFF) + 1] += 1 }
            for d in 0..<(1 << 16) { count[d + 1] += count[d] }
            for v in packed {
                let d = Int((v >> shift) & 0xFFFF)
                other[count[d]] = v
                count[d] += 1
            }
            swap(&packed, &other)
        }
        var out = BandRuns()
        var p = 0
        while p < packed.count {
            var q = p + 1
            while q < packed.count, packed[q] >> 32 == packed[p] >> 32 { q += 1 }
            if q - p > 1 {
                let start = Int32(out.ranks.count)
                for k in p..<q {
                    let rank = Int32(truncatingIfNeeded: packed[k])
                    if k > p { out.later.append((Int32(order[Int(rank)]), start, Int32(out.ranks.count))) }
                    out.ranks.append(rank)
                }
            }
            p = q
        }
        return out
    }

    /// What `mark_copies` finds for the rows, in their order: for each, the
    /// row it copies and how similar they are, or nil. Rows are taken in
    /// `order` (time, then id); a row's candidates are the earlier rows that
    /// share a band with it, compared from the earliest, so the first that
    /// is similar enough is the earliest. Every stage runs on every core.
    static func copies(texts: [String], owners: [Value], order: [Int], threshold: ExactDecimal, _ m: Machine) -> [(Int, ExactDecimal)?] {
        let n = texts.count
        let (b, r) = bands(for: threshold.doubleValue)
        func inParallel<T>(_ count: Int, _ minimum: Int, _ body: (Range<Int>) -> [T]) -> [T] {
            m.inParallel(count: count, minimumPerThread: minimum) { _, range in body(range) } ?? body(0..<count)
        }
        // b band keys per row, written in place by each thread (no signature
        // is kept: at a million texts it would be half a gigabyte).
        let keys = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n * b)
        let hasKeys: [Bool] = inParallel(n, 2048) { range in
            var out: [UInt32] = [], x: [UInt32] = [], sig: [UInt32] = [], shingler = Shingler()
            return range.map { i in
                out.removeAll(keepingCapacity: true)
                guard bandKeys(texts[i], bands: b, rows: r, into: &out, shingler: &shingler, x: &x, sig: &sig) else { return false }
                for k in 0..<b { keys[i * b + k] = out[k] }
                return true
            }
        }
        var bandRuns: [BandRuns] = inParallel(b, 1) { range in
            range.map { runs(band: $0, bands: b, keys: UnsafeBufferPointer(keys), hasKeys: hasKeys, order: order) }
        }
        keys.deallocate()
        // Every band's runs in one list.
        var ranks: [Int32] = [], base: [Int32] = []
        for runs in bandRuns { base.append(Int32(ranks.count)); ranks += runs.ranks }
        // Each row's runs with an earlier row, grouped by row.
        var first = [Int32](repeating: 0, count: n + 1)
        for runs in bandRuns { for e in runs.later { first[Int(e.row) + 1] += 1 } }
        for i in 0..<n { first[i + 1] += first[i] }
        var fill = first
        var entries = [(start: Int32, at: Int32)](repeating: (0, 0), count: Int(first[n]))
        for (band, runs) in bandRuns.enumerated() {
            for e in runs.later { entries[Int(fill[Int(e.row)])] = (base[band] + e.start, base[band] + e.at); fill[Int(e.row)] += 1 }
        }
        bandRuns = []  // a hundred megabytes at a million rows, now in `ranks` and `entries`
        return inParallel(n, 512) { range in
            var next: [Int32] = [], ends: [Int32] = [], kj = Shingler(), ki = Shingler()
            return range.map { j -> (Int, ExactDecimal)? in
                guard first[j] < first[j + 1] else { return nil }
                // The earlier rows of its runs, merged earliest first, each
                // once; the first similar enough ends the search, so a text
                // copied a thousand times costs each copy a step or two, not
                // a pass over the others.
                next.removeAll(keepingCapacity: true)
                ends.removeAll(keepingCapacity: true)
                for e in entries[Int(first[j])..<Int(first[j + 1])] { next.append(e.start); ends.append(e.at) }
                kj.shingle(texts[j], distinct: true)
                var last: Int32 = -1
                while true {
                    var pick = -1, pickRank = Int32.max
                    for k in next.indices where next[k] < ends[k] {
                        let c = ranks[Int(next[k])]
                        if c < pickRank { pick = k; pickRank = c }
                    }
                    guard pick >= 0 else { return nil }
                    next[pick] += 1
                    if pickRank == last { continue }
                    last = pickRank
                    let i = order[Int(pickRank)]
                    ki.shingle(texts[i], distinct: true)
                    let sim = similarity(texts[i], ki, texts[j], kj)
                    if sim >= threshold { return Value.equal(owners[i], owners[j]) ? nil : (i, sim) }
                }
            }
        }
    }

    /// `f` of each row: over the table's columns when the rows are a
    /// table's and `f` has a plan (`p => p.text`), else called on each.
    static func each(_ f: Function, _ rows: [Value], _ m: Machine) throws -> [Value] {
        if TableRows.canEvaluate(f), let table = TableRows(rows[...]), let values = try? table.evaluate(f, at: Array(rows.indices), m) {
            return values
        }
        var out: [Value] = []
        out.reserveCapacity(rows.count)
        try m.forEachCall(f, rows) { _, v in out.append(v); return true }
        return out
    }

    static let functions: [Builtin] = [
        Builtin("similarity", [Parameter("a").accepting(.text), Parameter("b").accepting(.text)], result: .plain,
                doc: "how alike two texts are, 0 to 1: Jaccard similarity of their 3-character shingles after NFKC, lower case, URLs and #tags dropped") { a, _ in
            .number(similarity(try a.text("a"), try a.text("b")))
        },
        Builtin("mark_copies", [Parameter("rows").accepting(.sequence), Parameter("text").receiving(), Parameter("owner").receiving(),
                                Parameter("similarity", default: .number(ExactDecimal(coefficient: 85, exponent: -2)))],
                gives: .withFields(["copy_of", "similarity"]),
                doc: "the rows, each with copy_of (the id of the earliest similar row, when another owner posted it) and similarity, or none") { a, m in
            let rows = try a.list("rows")
            let textOf = try a.function("text"), ownerOf = try a.function("owner")
            let threshold = try a.number("similarity")
            // Below 0.1, 128 hashes cannot keep the guarantee (and nothing so unlike is a copy).
            guard threshold >= ExactDecimal(coefficient: 1, exponent: -1), threshold <= ExactDecimal(1) else {
                throw EvalError("mark_copies: similarity must be from 0.1 to 1, not \(threshold)", help: "0.85 finds lightly edited copies")
            }
            var records: [Record] = [], ids: [Value] = [], times: [Value] = []
            records.reserveCapacity(rows.count)
            try m.forEachItem(rows) { row in
                guard case .record(let r) = row, let id = r["id"], let time = r["time"] else {
                    throw EvalError("mark_copies needs rows with an id and a time (the first to post a text owns it)")
                }
                records.append(r)
                ids.append(id)
                times.append(time)
            }
            let texts = try each(textOf, rows, m).map { t in
                guard case .text(let s) = t else { throw EvalError("mark_copies: text must give a text, not \(Arithmetic.describe(t))") }
                return s
            }
            let owners = try each(ownerOf, rows, m)
            // The rows in (time, id) order: who posted first.
            var order = Array(rows.indices)
            var failure: Error? = nil
            order.sort { i, j in
                do {
                    let c = try Arithmetic.compare(times[i], times[j])
                    if c != 0 { return c < 0 }
                    return try Arithmetic.compare(ids[i], ids[j]) < 0
                } catch { failure = failure ?? error; return i < j }
            }
            if let failure { throw failure }
            let found = copies(texts: texts, owners: owners, order: order, threshold: threshold, m)
            // Rows of a table stay rows of one, with two columns added.
            var out = ExtendedRows()
            for (rec, copy) in zip(records, found) {
                out.append(rec, copy.map { [("copy_of", ids[$0.0]), ("similarity", .number($0.1))] } ?? [("copy_of", .none), ("similarity", .none)])
            }
            return .list(out.values)
        },
    ]
}
