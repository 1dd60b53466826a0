import CTextScan

/// Counting and finding characters (extended grapheme clusters) over a
/// text's UTF-8 bytes, with the standard library's answers. Its walk
/// (`s.count`, `s.index(_:offsetBy:)`) takes several nanoseconds a
/// character; here most of a text is crossed without it (`TextBytesTests`).
///
/// Unicode's segmentation rules (UAX #29) put a character boundary between
/// two "plain" scalars, whatever comes before or after them: scalars whose
/// Grapheme_Cluster_Break is Other or Control (not CR), that are not
/// Extended_Pictographic, not Prepend, not Hangul jamo or syllables, and not
/// Indic consonants. No rule joins such a pair (GB3–GB13). So in a run of
/// plain scalars each starts a character, and a combining mark of
/// U+0300–U+036F (Extend) after one that is not a control belongs to it.
/// A stretch with any other scalar, from the last certain boundary to the
/// next one, is counted by the standard library. Large texts keep crumbs
/// (`TextCrumbs`, below) so that indexing in a loop is not quadratic.
extension TextBytes {
    /// The length of the plain scalar at byte `i` (1 to 3), or 0 when it is
    /// not plain. Plain: ASCII but CR; U+00C0–U+02FF and U+0370–U+0482
    /// (Latin, Greek, Cyrillic letters); U+3000–U+3029, kana, CJK ideographs
    /// U+3400–U+9FFF, fullwidth forms U+FF01–U+FF5E. A test checks each of
    /// them against the standard library.
    @inline(__always)
    static func plainLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let c = b[i]
        if c < 0x80 { return c == 0x0D ? 0 : 1 }
        if c >= 0xC3 && c <= 0xD2 {
            guard i + 1 < b.count else { return 0 }
            let v = (UInt32(c) & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
            return (0xC0...0x2FF).contains(v) || (0x370...0x482).contains(v) ? 2 : 0
        }
        // Leads E4-E9 start U+4000-U+9FFF, all CJK ideographs (or Yijing
        // symbols): plain, whatever the continuation bytes.
        if c >= 0xE4 && c <= 0xE9 { return i + 2 < b.count ? 3 : 0 }
        if c >= 0xE3 && c <= 0xEF {
            guard i + 2 < b.count else { return 0 }
            let v = (UInt32(c) & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
            switch v {
            case 0x3400...0x9FFF, 0x3000...0x3029, 0x3041...0x3096, 0x30A1...0x30FA, 0xFF01...0xFF5E: return 3
            default: return 0
            }
        }
        return 0
    }

    /// Whether byte `i` starts a combining mark of U+0300–U+036F.
    @inline(__always)
    static func isPlainMark(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        b[i] == 0xCC || (b[i] == 0xCD && i + 1 < b.count && b[i + 1] <= 0xAF)
    }

    /// The length of the scalar whose lead byte is `c`.
    @inline(__always)
    static func scalarLength(_ c: UInt8) -> Int {
        c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4
    }

    /// Walks `s` (whose bytes are `b`) from byte `from`, which starts a
    /// character, over at most `limit` characters: how many it passed, and
    /// the byte where the next one starts (`b.count` at the end).
    static func walk(_ s: String, _ b: UnsafeBufferPointer<UInt8>, from: Int = 0, limit: Int = .max) -> (count: Int, at: Int) {
        let n = b.count
        var count = 0, i = from
        // The start of the last plain scalar, while its character may still
        // be joined by what follows (-1 when none is open).
        var open = -1
        // No word from `i` is plain before this byte (one was not, just now).
        var wordsFrom = 0
        while i < n {
            // Runs of eight ASCII bytes, none of them CR: eight characters
            // each (up to the limit).
            if b[i] < 0x80, let base = b.baseAddress {
                var j = i
                let stop = limit - count < n - i ? i + (limit - count) : n
                while j + 32 <= stop {
                    let p = UnsafeRawPointer(base + j)
                    let w0 = p.loadUnaligned(as: UInt64.self), w1 = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                    let w2 = p.loadUnaligned(fromByteOffset: 16, as: UInt64.self), w3 = p.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                    if (w0 | w1 | w2 | w3) & 0x8080_8080_8080_8080 != 0 || anyZero(w0 ^ cr, w1 ^ cr, w2 ^ cr, w3 ^ cr) { break }
                    j += 32
                }
                while j + 8 <= stop {
                    let w = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)
                    if w & 0x8080_8080_8080_8080 != 0 || has(w, 0x0D) { break }
                    j += 8
                }
                if j > i { count += j - i; open = j - 1; i = j; continue }
            }
            // At the limit before a plain scalar: done (without the
            // blocks below, whose first use is slow to load).
            if count == limit && plainLength(b, i) > 0 { return (count, i) }
            // Runs of plain scalars and marks (mixed text): each byte of
            // class 1 starts a character (`plainBytes`). A mark must not
            // start the run: what it follows is not known here. Blocks of
            // 16 bytes in SIMD registers (`kdk_plain_run`), then words of eight.
            if i >= wordsFrom && b[i] != 0xCC, let base = b.baseAddress {
                var blockCount = 0
                var j = i + kdk_plain_run(base + i, n - i, limit - count, &blockCount), passed = blockCount
                plainBytes.withUnsafeBufferPointer { table in
                    guard let t = table.baseAddress else { return }
                    while j + 8 <= n && limit - count - passed >= 8 {
                        let w = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)
                        // Eight classes summed: the count, plus 0x10 or more if any byte is not plain.
                        var sum = t[Int(w & 0xFF)] &+ t[Int(w >> 8 & 0xFF)] &+ t[Int(w >> 16 & 0xFF)] &+ t[Int(w >> 24 & 0xFF)]
                        sum = sum &+ t[Int(w >> 32 & 0xFF)] &+ t[Int(w >> 40 & 0xFF)] &+ t[Int(w >> 48 & 0xFF)] &+ t[Int(w >> 56)]
                        guard sum < 0x10 else { wordsFrom = j + 8; break }
                        passed += Int(sum)
                        j += 8
                    }
                }
                if j > i {
                    // The run ends inside a scalar: it ends before that one.
                    if j < n && b[j] & 0xC0 == 0x80 {
                        repeat { j -= 1 } while b[j] & 0xC0 == 0x80
                        if b[j] != 0xCC { passed -= 1 }
                    }
                    count += passed; i = j
                    // The last character's start: back over continuations and marks.
                    open = j - 1
                    while b[open] & 0xC0 == 0x80 || b[open] == 0xCC { open -= 1 }
                    continue
                }
            }
            let plain = plainLength(b, i)
            if plain > 0 {
                if count == limit { return (count, i) }
                count += 1; open = i; i += plain
                continue
            }
            if open >= 0 && !isControl(b[open]) && isPlainMark(b, i) { i += 2; continue }
            // A stretch for the standard library: from the open character
            // (or here) to the next pair of plain scalars, or the end.
            let start = open >= 0 ? open : i
            if open >= 0 { count -= 1 }
            var end = i + scalarLength(b[i]), lastWasPlain = false
            while end < n {
                let p = plainLength(b, end)
                if p > 0 && lastWasPlain { break }
                lastWasPlain = p > 0
                end += p > 0 ? p : scalarLength(b[end])
            }
            let u = s.utf8
            let stretch = s[u.index(u.startIndex, offsetBy: start)..<u.index(u.startIndex, offsetBy: end)]
            // A character takes a byte at least, so a limit past the
            // stretch's bytes is past its characters: no walk to it.
            if limit - count < end - start,
               let j = stretch.index(stretch.startIndex, offsetBy: limit - count, limitedBy: stretch.endIndex), j < stretch.endIndex {
                return (limit, u.distance(from: u.startIndex, to: j))
            }
            count += stretch.count
            open = -1
            i = end
        }
        return (count, n)
    }

    /// Where character `limit` after the one at byte `from` starts, when
    /// every byte up to it is in a run of plain scalars: `kdk_plain_run`
    /// alone (`walk`'s other paths around it took 290 instructions of a
    /// read 150 characters on in mixed text, about what the run takes);
    /// nil otherwise.
    @inline(__always)
    static func plainWalk(_ b: UnsafeBufferPointer<UInt8>, from: Int, limit: Int) -> Int? {
        // The run must start a character: a mark's lead CC is not of class 1.
        guard let base = b.baseAddress, from < b.count, plainBytes[Int(b[from])] == 1 else { return nil }
        var count = 0
        let end = from + kdk_plain_run(base + from, b.count - from, limit, &count)
        // Ended at the limit on a byte of class 1, which starts a character.
        guard count == limit, end < b.count, plainBytes[Int(b[end])] == 1 else { return nil }
        return end
    }

    /// Each byte's class in a run of plain scalars: 1 when it starts a
    /// plain character (ASCII but controls; leads C3–CB and CE–D1, U+00C0–
    /// U+02FF and U+0380–U+047F; leads E4–E9, ideographs U+4000–U+9FFF), 0
    /// for a continuation byte or the lead CC of a combining mark U+0300–
    /// U+033F (which joins the character before it, never a control here),
    /// 0x10 for any other byte. Eight classes summed are a count under 0x10
    /// when all eight bytes are plain. A lookup a byte: several times faster
    /// than testing the ranges, and than Swift's SIMD types measured here.
    static let plainBytes: [UInt8] = (0...255).map { (b: Int) -> UInt8 in
        switch b {
        case 0x20...0x7E, 0xC3...0xCB, 0xCE...0xD1, 0xE4...0xE9: return 1
        case 0x80...0xBF, 0xCC: return 0
        default: return 0x10
        }
    }

    /// Eight CRs.
    static let cr: UInt64 = 0x0D0D_0D0D_0D0D_0D0D

    /// Whether any byte of four words of ASCII is zero (no high bits, so
    /// `x - 1` borrows into bit 7 only from a zero byte).
    @inline(__always)
    static func anyZero(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        return ((a &- ones) | (b &- ones) | (c &- ones) | (d &- ones)) & 0x8080_8080_8080_8080 != 0
    }

    /// `s.count`: how many characters.
    static func characterCount(_ s: String, _ crumbs: inout TextCrumbs) -> Int {
        if let (n, _, _) = crumbs.lastCounted(s) { return n }
        return withBytes(s) { b in crumbs.walker(s, b).walk(to: .max).count }
    }

    /// `s.count`, with the crumbs of machine `m` when there is one.
    static func characterCount(_ s: String, _ m: Machine? = nil) -> Int {
        if let m { return characterCount(s, &m.textCrumbs) }
        var none = TextCrumbs.none
        return characterCount(s, &none)
    }

    /// The bytes of the characters a slice `s[r]` takes, and how many
    /// characters they are. Ends that do not count from the end are walked
    /// to, without counting the whole text.
    static func characterSpan(_ s: String, _ r: RangeValue, _ crumbs: inout TextCrumbs) throws -> (bytes: Range<Int>, count: Int) {
        try withBytes(s) { b in
            let walker = crumbs.walker(s, b)
            if let (lower, upper) = try Slice.forward(r) {
                let (first, from) = walker.walk(to: lower)
                guard let upper else {
                    let (all, to) = walker.walk(to: .max)
                    return (from..<to, all - first)
                }
                guard upper > lower else { return (from..<from, 0) }
                let (last, to) = walker.walk(to: upper)
                return (from..<to, last - first)
            }
            let bounds = try Slice.bounds(r, count: walker.walk(to: .max).count)
            return (walker.walk(to: bounds.lowerBound).at..<walker.walk(to: bounds.upperBound).at, bounds.count)
        }
    }

    /// The positions of the characters a slice `s[r]` takes.
    static func characterRange(_ s: String, _ r: RangeValue, _ crumbs: inout TextCrumbs) throws -> Range<String.Index> {
        let bytes = try characterSpan(s, r, &crumbs).bytes, u = s.utf8
        return u.index(u.startIndex, offsetBy: bytes.lowerBound)..<u.index(u.startIndex, offsetBy: bytes.upperBound)
    }

    /// `s[r]`, a new text, remembered with its count when large.
    static func slice(_ s: String, _ r: RangeValue, _ crumbs: inout TextCrumbs) throws -> String {
        let (bytes, count) = try characterSpan(s, r, &crumbs)
        let piece = copy(s, bytes)
        crumbs.made(piece, count: count)
        return piece
    }

    static func characterRange(_ s: String, _ r: RangeValue) throws -> Range<String.Index> {
        var none = TextCrumbs.none
        return try characterRange(s, r, &none)
    }

    /// Character `i` of `s` (negative: from the end), walking only as far
    /// as it lies, or from the count when it is known; nil when out of range.
    static func character(_ s: String, _ i: Int, _ crumbs: inout TextCrumbs) -> String? {
        // The text used last, counted: no look-up by its bytes, and a byte
        // a character (ASCII without CR) is read with no walk. A few code
        // lines, which a first `s[i]` on a large text fetches one by one.
        if let (count, b, directory) = crumbs.lastCounted(s) {
            let j = i < 0 ? i &+ count : i
            guard j >= 0 && j < count else { return nil }
            if count == b.count { return character(s, b, at: j) }
            return directoryCharacter(b, directory, j) ?? character(s, b, at: crumbs.walkLast(to: j, b))
        }
        return walkingToCharacter(s, i, &crumbs)
    }

    /// Character `j` (in range) of a plain text, found by its directory
    /// (read here: the crumbs' walk is not needed, nor holding them, whose
    /// references counted cost 40 instructions of each read); nil for a
    /// text without one.
    @inline(__always)
    private static func directoryCharacter(_ b: UnsafeBufferPointer<UInt8>, _ directory: UnsafePointer<UInt32>?, _ j: Int) -> String? {
        guard let directory, let base = b.baseAddress, case let at = kdk_plain_find(base, b.count, directory, j), at < b.count else { return nil }
        return plainCharacter(b, at: at)
    }

    /// Character `i` of the text whose two words are `bits` (see
    /// `TextCrumbs.lastCounted`), when it is the text used last, counted,
    /// and plain (`directoryCharacter`); nil otherwise, for the caller's
    /// general path (which walks, or names the index out of range). The
    /// text itself is not needed, so a caller can read a text in place
    /// without copying it. A text a byte a character takes the general path:
    /// read in place it took more time, not less (index_loop on ASCII, ten
    /// interleaved runs: median 8.0 ms against 5.6), in the load of its
    /// byte, which missed the cache; why, not found.
    static func characterOfLast(_ bits: (UInt, UInt), _ i: Int, _ crumbs: inout TextCrumbs) -> String? {
        guard let (count, b, directory) = crumbs.lastCounted(bits: bits) else { return nil }
        let j = i < 0 ? i &+ count : i
        guard j >= 0 && j < count && count != b.count else { return nil }
        return directoryCharacter(b, directory, j)
    }

    /// `character` for a text not counted, or not the one used last.
    @inline(never)
    private static func walkingToCharacter(_ s: String, _ i: Int, _ crumbs: inout TextCrumbs) -> String? {
        withBytes(s) { b in
            let walker = crumbs.walker(s, b)
            var i = i
            if i < 0 {
                guard let count = walker.crumbs?.count else { return characterFromEnd(s, i) }
                guard i >= -count else { return nil }
                i += count
            }
            let (count, at) = walker.walk(to: i)
            guard count == i && at < b.count else { return nil }
            return character(s, b, at: at)
        }
    }

    /// The character of `s` (whose bytes are `b`) starting at byte `at`,
    /// made from the bytes: a first `String(Substring)` took 1.5 µs. A plain
    /// scalar followed by another (or by the end) is a character; else one
    /// is walked.
    @inline(__always)
    private static func character(_ s: String, _ b: UnsafeBufferPointer<UInt8>, at: Int) -> String {
        let plain = plainLength(b, at)
        let end = plain > 0 && (at + plain == b.count || plainLength(b, at + plain) > 0) ? at + plain : walk(s, b, from: at, limit: 1).at
        return String(validUTF8: b, at..<end)
    }

    /// The character at byte `at` of a plain text (one with a directory):
    /// its bytes up to the next that starts a character, which in such a
    /// text is any but a continuation byte or a mark's lead CC. No walk for
    /// an accented letter (`e` and U+0301), which took 27 ns more a read.
    @inline(__always)
    private static func plainCharacter(_ b: UnsafeBufferPointer<UInt8>, at: Int) -> String {
        var end = at + 1
        while end < b.count && (b[end] & 0xC0 == 0x80 || b[end] == 0xCC) { end += 1 }
        return String(validUTF8: b, at..<end)
    }

    /// Character `i < 0` of a text whose count is not known: the standard
    /// library's walk back (apart, so that the usual path is shorter code).
    @inline(never)
    private static func characterFromEnd(_ s: String, _ i: Int) -> String? {
        guard i > Int.min, let j = s.index(s.endIndex, offsetBy: i, limitedBy: s.startIndex) else { return nil }
        return String(s[j])
    }

    static func character(_ s: String, _ i: Int) -> String? {
        var none = TextCrumbs.none
        return character(s, i, &none)
    }
}

/// Where every 1,024th character of a large text starts, found as walks go
/// by, so that `s[i]`, slices and `len` in a loop over a text walk at most
/// 1,023 characters past the nearest crumb (or the last character reached)
/// instead of from the start (a loop indexing each character of a text was
/// quadratic). A text a library call or a slice has just made comes with
/// its count (`TextCrumbs.made`). One machine's, so used on one thread, and
/// its walk calls nothing that could reach it again: its fields go without
/// the run-time exclusivity check, which was 89 instructions of each read
/// in a loop (callgrind).
final class CharacterCrumbs {
    static let step = 1024
    /// The text, held so that its bytes stay where they are (the address
    /// is how the text is recognized).
    let text: String
    let address: UnsafePointer<UInt8>
    let size: Int
    /// The text's two words, as bits: compared, they tell the text without
    /// a copy of it (`TextCrumbs.lastCounted`).
    let textBits: (UInt, UInt)
    /// `offsets[k]`: the byte where character `k * step` starts.
    @exclusivity(unchecked) private(set) var offsets: [Int] = [0]
    /// How many characters, once known. Once a walk has reached the end,
    /// `offsets` has every crumb up to it.
    @exclusivity(unchecked) private(set) var count: Int?
    /// The character the last walk reached, and the byte where it starts:
    /// a loop reading forward (`s[i]`, then `s[i + 150]`) walks on from
    /// there rather than from the crumb.
    @exclusivity(unchecked) private var reached = (character: 0, at: 0)
    /// For a text of plain scalars only (Latin, CJK, marks...), once
    /// counted in full: how many characters start before each 64-byte chunk
    /// (`kdk_plain_directory`), 6% of the text's size. Character i is then
    /// found in a few steps wherever it lies (`kdk_plain_find`), as python's
    /// `str` indexes code points: no walk from a crumb, and the count is
    /// made faster than the walk laying crumbs. Other texts keep the crumbs.
    @exclusivity(unchecked) private var directory: UnsafeMutableBufferPointer<UInt32>?
    @exclusivity(unchecked) private var directoryTried = false

    init(_ text: String, address: UnsafePointer<UInt8>, size: Int, count: Int? = nil) {
        self.text = text
        textBits = unsafeBitCast(text, to: (UInt, UInt).self)
        self.address = address
        self.size = size
        self.count = count
    }

    deinit { directory?.deallocate() }

    /// The directory, valid while these crumbs are kept.
    var directoryAddress: UnsafePointer<UInt32>? { directory.flatMap { UnsafePointer($0.baseAddress) } }

    /// Makes the directory when the text is plain throughout (tried once):
    /// then the count is known.
    private func makeDirectory() {
        directoryTried = true
        guard size <= Int(UInt32.max) else { return }
        let chunks = (size + 63) / 64
        let d = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: chunks + 3)
        guard let base = d.baseAddress, kdk_plain_directory(address, size, base) != 0 else { d.deallocate(); return }
        directory = d
        count = Int(d[chunks])
    }

    /// Whether `b` are its text's bytes (a held text's bytes cannot be a copy's).
    func holds(_ b: UnsafeBufferPointer<UInt8>) -> Bool { address == b.baseAddress && size == b.count }

    /// Its text's bytes, valid while it holds the text.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: address, count: size) }

    /// `TextBytes.walk(s, b, limit: i)`, starting from the crumb before
    /// character `i` (laid down on the way when it is not yet known).
    func walk(to i: Int, _ b: UnsafeBufferPointer<UInt8>) -> (count: Int, at: Int) {
        // Counting in full: by the directory, when the text is plain.
        if i == .max && count == nil && !directoryTried { makeDirectory() }
        if let count, i >= count { return (count, size) }
        // As many characters as bytes: a byte each, no crumbs needed.
        if count == size { return (i, i) }
        // (A byte past the end, which the directory cannot give, would
        // take the walk below rather than be read.)
        if i >= 0, let d = directory?.baseAddress, case let at = kdk_plain_find(address, size, d, i), at < size { return (i, at) }
        let step = CharacterCrumbs.step, k = i / step
        // Below the count (checked above), crumb k lies before the end.
        while offsets.count <= k {
            let from = offsets[offsets.count - 1]
            let (c, at) = TextBytes.walk(text, b, from: from, limit: step)
            if c < step { count = (offsets.count - 1) * step + c; break }
            offsets.append(at)
        }
        let crumb = min(k, offsets.count - 1)
        // `step` characters in as many bytes are a byte each (ASCII): no walk.
        if crumb + 1 < offsets.count && offsets[crumb + 1] - offsets[crumb] == step { return (i, offsets[crumb] + i - crumb * step) }
        var (from, at) = (crumb * step, offsets[crumb])
        if reached.character > from && reached.character <= i { (from, at) = reached }
        if let end = TextBytes.plainWalk(b, from: at, limit: i - from) {
            reached = (i, end)
            return (i, end)
        }
        let (c, end) = TextBytes.walk(text, b, from: at, limit: i - from)
        if from + c == i { reached = (i, end) }
        return (from + c, end)
    }
}

/// The crumbs of the few large texts a run made or indexed last. A
/// machine keeps them for its run (they hold the texts) and drops them when
/// it is reset.
struct TextCrumbs {
    /// Texts below this many bytes are walked from the start: fast enough.
    static let minBytes = 1 << 14
    /// How many texts are remembered, the most recently used kept.
    static let kept = 4
    private var recent: [CharacterCrumbs] = []
    private var remembers = true

    init() {}

    /// Crumbs that remember nothing (a call without a machine).
    static var none: TextCrumbs { var c = TextCrumbs(); c.remembers = false; return c }

    /// How to walk `s` (whose bytes are `b`): with its crumbs when it is
    /// large, made now if it has none.
    mutating func walker(_ s: String, _ b: UnsafeBufferPointer<UInt8>) -> Walker {
        Walker(text: s, bytes: b, crumbs: crumbs(s, b, count: nil))
    }

    /// Remembers a large text just made, with its character count: `count`
    /// when the maker knows it (a slice), else counted now, its crumbs laid
    /// on the way. So `len(s)` and `s[i]` on a text a function has made take
    /// microseconds, as on python's `str`, which is counted as it is made; the
    /// walk (a few milliseconds for 15M characters) is part of the making.
    /// A text already remembered is not counted again.
    mutating func made(_ s: String, count: Int? = nil) {
        guard remembers, s.utf8.count >= TextCrumbs.minBytes else { return }
        TextBytes.withBytes(s) { b in
            // ASCII without CR is a byte a character: counted at a check's speed.
            let known = count ?? (b.baseAddress.map { kdk_bytes_are_characters($0, b.count) != 0 } == true ? b.count : nil)
            guard let c = crumbs(s, b, count: known), c.count == nil else { return }
            _ = c.walk(to: .max, b)
        }
    }

    /// `x + y`, just made: remembered with its count when the counts of
    /// both are known without a long walk (a small one is walked) and they
    /// meet between two plain scalars, where UAX #29 always breaks (and a
    /// rule that looks back never crosses a plain scalar, so each side keeps
    /// its characters). Otherwise it is counted when first read: a text
    /// built by `+` in a loop is not walked at every step.
    mutating func made(_ s: String, joining x: String, _ y: String) {
        guard remembers, s.utf8.count >= TextCrumbs.minBytes, !x.isEmpty, !y.isEmpty,
              let cx = x.utf8.count < TextCrumbs.minBytes ? TextBytes.characterCount(x) : count(of: x),
              let cy = y.utf8.count < TextCrumbs.minBytes ? TextBytes.characterCount(y) : count(of: y) else { return }
        let meetBetweenPlain = TextBytes.withBytes(x) { TextBytes.plainLength($0, TextBytes.scalarStart(before: $0.count, $0)) > 0 }
            && TextBytes.withBytes(y) { TextBytes.plainLength($0, 0) > 0 }
        if meetBetweenPlain { made(s, count: cx + cy) }
    }

    /// The crumbs of `s`, found or made (with `count`, when known), moved
    /// to the most recent; nil when it is small or not its own bytes.
    private mutating func crumbs(_ s: String, _ b: UnsafeBufferPointer<UInt8>, count: Int?) -> CharacterCrumbs? {
        guard remembers, b.count >= TextCrumbs.minBytes, let base = b.baseAddress else { return nil }
        // Bytes where a remembered text's are are that text's: it is held,
        // so no copy can be there. The text used last (indexing in a loop)
        // is not moved.
        if let c = recent.last, c.holds(b) { return c }
        if let k = recent.firstIndex(where: { $0.holds(b) }) {
            let c = recent.remove(at: k)
            recent.append(c)
            return c
        }
        // Only a text's own bytes are remembered (not a copy `withBytes` made).
        guard s.utf8.withContiguousStorageIfAvailable({ $0.baseAddress == base }) == true else { return nil }
        let c = CharacterCrumbs(s, address: base, size: b.count, count: count)
        if recent.count == TextCrumbs.kept { recent.removeFirst() }
        recent.append(c)
        return c
    }

    /// The count, bytes and directory (if it is plain) of `s` when it is the
    /// text used last and counted: found without reading its bytes, and
    /// read without holding its crumbs (no reference counting). Two texts
    /// alike to the bit (a String is two words: its length and flags, and
    /// its storage) are one text: the crumbs hold theirs, so its storage can
    /// be neither freed nor changed in place.
    func lastCounted(_ s: String) -> (count: Int, bytes: UnsafeBufferPointer<UInt8>, directory: UnsafePointer<UInt32>?)? {
        lastCounted(bits: unsafeBitCast(s, to: (UInt, UInt).self))
    }

    /// `lastCounted` of the text whose two words are `bits`.
    func lastCounted(bits: (UInt, UInt)) -> (count: Int, bytes: UnsafeBufferPointer<UInt8>, directory: UnsafePointer<UInt32>?)? {
        guard let c = recent.last, c.textBits == bits, let count = c.count else { return nil }
        return (count, c.bytes, c.directoryAddress)
    }

    /// Where character `i` starts in the text used last (whose bytes are
    /// `b`), when `lastCounted` has found it.
    func walkLast(to i: Int, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        recent[recent.count - 1].walk(to: i, b).at
    }

    /// The count remembered for `s`, if it is known without a walk.
    func count(of s: String) -> Int? {
        TextBytes.withBytes(s) { b in recent.first { $0.holds(b) }?.count }
    }

    mutating func removeAll() { if !recent.isEmpty { recent = [] } }

    struct Walker {
        let text: String
        let bytes: UnsafeBufferPointer<UInt8>
        let crumbs: CharacterCrumbs?

        /// How many characters there are up to character `i` (at most
        /// `i`), and the byte where the next one starts.
        func walk(to i: Int) -> (count: Int, at: Int) {
            crumbs?.walk(to: i, bytes) ?? TextBytes.walk(text, bytes, limit: i)
        }
    }
}
