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
/// Candidates come from MinHash with bands (b bands of r rows: a pair of
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
    /// At most this many hashes per text (b × r).
    static let maxHashes = 128

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
        let union = a.count + b.count - common
        guard union > 0, common > 0 else { return .zero }
        return (try? ExactDecimal.divide(ExactDecimal(common), ExactDecimal(union))) ?? .zero
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

    /// 64-bit FNV-1a of a shingle's UTF-8 bytes.
    @inline(__always)
    static func fnv(_ s: Substring.UTF8View) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in s { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h
    }

    /// SplitMix64's finalizer: a fixed permutation of 64-bit values.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// What `mark_copies` keeps of a text: its band keys (each the hash of
    /// r MinHash values, under b × r fixed seeds) and its shingles' hashes,
    /// sorted, for a quick first comparison. No signature is kept: at a
    /// million texts that would be a gigabyte.
    struct Sketch {
        var keys: [UInt64] = []
        var hashes: [UInt32] = []
    }

    static let seeds: [UInt64] = (0..<UInt64(maxHashes)).map { mix($0 &* 0x2545_F491_4F6C_DD1D) }

    static func sketch(_ text: String, bands b: Int, rows r: Int) -> Sketch {
        let set = shingles(text)
        guard !set.isEmpty else { return Sketch() }
        let hashes = set.map { fnv($0[...].utf8) }
        let k = b * r
        var sig = [UInt64](repeating: .max, count: k)
        for h in hashes {
            for i in 0..<k {
                let v = mix(h ^ seeds[i])
                if v < sig[i] { sig[i] = v }
            }
        }
        var keys: [UInt64] = []
        keys.reserveCapacity(b)
        for band in 0..<b {
            var key = UInt64(band)
            for row in 0..<r { key = mix(key ^ sig[band * r + row]) }
            keys.append(key)
        }
        return Sketch(keys: keys, hashes: hashes.map { UInt32(truncatingIfNeeded: $0 >> 32) }.sorted())
    }

    /// Jaccard similarity of two sorted hash lists (distinct shingles can
    /// share a 32-bit hash, so this is a first comparison, not the answer).
    static func roughJaccard(_ a: [UInt32], _ b: [UInt32]) -> Double {
        var i = 0, j = 0, common = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] { common += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        let union = a.count + b.count - common
        return union == 0 ? 0 : Double(common) / Double(union)
    }

    // MARK: mark_copies

    /// What `mark_copies` finds for the rows, in their order: for each, the
    /// row it copies and how similar they are, or nil. Rows are taken in
    /// (time, id) order; a row's candidates are the earlier rows that share
    /// a band with it, compared from the earliest, so the first that is
    /// similar enough is the earliest.
    static func copies(texts: [String], owners: [Value], order: [Int], threshold: ExactDecimal, sketches: [Sketch]) -> [(Int, ExactDecimal)?] {
        let n = texts.count
        var rank = [Int32](repeating: 0, count: n)
        for (k, i) in order.enumerated() { rank[i] = Int32(k) }
        // Every (band key, rank), sorted: the rows sharing a key are a run,
        // earliest first. Sorting once costs less than a table of buckets
        // and keeps 12 bytes per row and band.
        var pairs: [(key: UInt64, rank: Int32)] = []
        pairs.reserveCapacity(n * (sketches.first { !$0.keys.isEmpty }?.keys.count ?? 0))
        for i in 0..<n { for key in sketches[i].keys { pairs.append((key, rank[i])) } }
        pairs.sort { $0.key != $1.key ? $0.key < $1.key : $0.rank < $1.rank }
        // For each row, where each of its runs starts and where it sits in it.
        let bandsPerRow = sketches.first { !$0.keys.isEmpty }?.keys.count ?? 0
        var runs = [(start: Int32, at: Int32)](repeating: (0, 0), count: n * bandsPerRow)
        var filled = [Int](repeating: 0, count: n)
        var start = 0
        for p in pairs.indices {
            if p > 0, pairs[p].key != pairs[p - 1].key { start = p }
            let row = order[Int(pairs[p].rank)]
            runs[row * bandsPerRow + filled[row]] = (Int32(start), Int32(p))
            filled[row] += 1
        }
        let t = threshold.doubleValue
        var out: [(Int, ExactDecimal)?] = Array(repeating: nil, count: n)
        var next: [Int32] = [], ends: [Int32] = []
        for j in 0..<n where !sketches[j].keys.isEmpty {
            // The earlier rows of its runs, merged earliest first, each once;
            // the first similar enough ends the search, so a text copied a
            // thousand times costs each copy a step or two, not a pass over
            // the others.
            next.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            for b in 0..<filled[j] {
                let run = runs[j * bandsPerRow + b]
                if run.start < run.at { next.append(run.start); ends.append(run.at) }
            }
            var last: Int32 = -1
            while true {
                var pick = -1
                for k in next.indices where next[k] < ends[k] && (pick < 0 || pairs[Int(next[k])].rank < pairs[Int(next[pick])].rank) { pick = k }
                guard pick >= 0 else { break }
                let c = pairs[Int(next[pick])].rank
                next[pick] += 1
                if c == last { continue }
                last = c
                let i = order[Int(c)]
                // 32-bit hashes can only merge shingles: a little slack, then the exact measure.
                guard roughJaccard(sketches[i].hashes, sketches[j].hashes) >= t - 0.02 else { continue }
                let sim = jaccard(shingles(texts[i]), shingles(texts[j]))
                if sim >= threshold {
                    if !Value.equal(owners[i], owners[j]) { out[j] = (i, sim) }
                    break
                }
            }
        }
        return out
    }

    static let functions: [Builtin] = [
        Builtin("similarity", [Parameter("a").accepting(.text), Parameter("b").accepting(.text)], result: .plain,
                doc: "how alike two texts are, 0 to 1: Jaccard similarity of their 3-character shingles after NFKC, lower case, URLs and #tags dropped") { a, _ in
            .number(jaccard(shingles(try a.text("a")), shingles(try a.text("b"))))
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
            var records: [Record] = [], texts: [String] = [], owners: [Value] = [], ids: [Value] = [], times: [Value] = []
            try m.forEachItem(rows) { row in
                guard case .record(let r) = row, let id = r["id"], let time = r["time"] else {
                    throw EvalError("mark_copies needs rows with an id and a time (the first to post a text owns it)")
                }
                records.append(r)
                ids.append(id)
                times.append(time)
            }
            texts.reserveCapacity(rows.count)
            try m.forEachCall(textOf, rows) { _, t in
                guard case .text(let s) = t else { throw EvalError("mark_copies: text must give a text, not \(Arithmetic.describe(t))") }
                texts.append(s)
                return true
            }
            try m.forEachCall(ownerOf, rows) { _, o in owners.append(o); return true }
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
            let (b, r) = bands(for: threshold.doubleValue)
            let sketches = m.inParallel(count: texts.count, minimumPerThread: 2048) { _, range in range.map { sketch(texts[$0], bands: b, rows: r) } }
                ?? texts.map { sketch($0, bands: b, rows: r) }
            let found = copies(texts: texts, owners: owners, order: order, threshold: threshold, sketches: sketches)
            return .list(zip(records, found).map { rec, copy in
                .record(rec.extended(copy.map { [("copy_of", ids[$0.0]), ("similarity", .number($0.1))] }
                                     ?? [("copy_of", .none), ("similarity", .none)]))
            })
        },
    ]
}
