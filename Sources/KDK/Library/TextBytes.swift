import CTextScan
import Foundation

/// Text functions written over a text's UTF-8 bytes, with the results of the
/// Foundation and standard-library calls they replace (`TextBytesTests`
/// compares them on random Unicode text). Those calls decode every text into
/// scalars, characters or UTF-16 first, which made `lower`, `trim`,
/// `hashtags` and indexing several times slower than python3 on large texts;
/// here ASCII bytes are handled as bytes and only other scalars are decoded.
enum TextBytes {
    /// `body` over the text's UTF-8 bytes (native strings are contiguous;
    /// a bridged one is copied once).
    static func withBytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let r = try s.utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = s
        copy.makeContiguousUTF8()
        return try copy.utf8.withContiguousStorageIfAvailable(body)!
    }

    /// The scalar starting at byte `i` of valid UTF-8, and its length in bytes.
    @inline(__always)
    static func scalar(at i: Int, _ b: UnsafeBufferPointer<UInt8>) -> (Unicode.Scalar, Int) {
        let lead = UInt32(b[i])
        let value: UInt32, n: Int
        if lead < 0x80 { return (Unicode.Scalar(UInt8(lead)), 1) }
        if lead < 0xE0 {
            value = (lead & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F); n = 2
        } else if lead < 0xF0 {
            value = (lead & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F); n = 3
        } else {
            value = (lead & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F); n = 4
        }
        // A String's UTF-8 is valid, so this never fails; U+FFFD keeps it total.
        return (Unicode.Scalar(value) ?? "\u{FFFD}", n)
    }

    /// Where the scalar that ends just before byte `i` starts.
    @inline(__always)
    static func scalarStart(before i: Int, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        var j = i - 1
        while j > 0 && b[j] & 0xC0 == 0x80 { j -= 1 }
        return j
    }

    // MARK: case

    /// `s.lowercased()` or `s.uppercased()`: each scalar's full case mapping
    /// (as the standard library does it: `ß` upper is `SS`, no context rules
    /// such as a word-final `ς`). A scalar that the mapping leaves alone
    /// (`changesWhenLowercased` is false: every CJK character) is copied as bytes.
    static func caseMapped(_ s: String, upper: Bool) -> String {
        withBytes(s) { b in
            var firstChange = 0
            while firstChange < b.count {
                let c = b[firstChange]
                if c >= 0x80 || (upper ? (c >= 0x61 && c <= 0x7A) : (c >= 0x41 && c <= 0x5A)) { break }
                firstChange += 1
            }
            if firstChange == b.count { return s }  // nothing to map: the same text
            if isASCII(UnsafeBufferPointer(rebasing: b[firstChange...])) {
                // One branch-free pass the compiler vectorizes.
                return String(filling: b.count) { o in
                    let from: UInt8 = upper ? 0x61 : 0x41
                    for i in 0..<b.count {
                        let c = b[i]
                        o[i] = c ^ (c &- from < 26 ? 0x20 : 0)
                    }
                    return b.count
                }
            }
            var out = [UInt8]()
            out.reserveCapacity(b.count + 16)
            let from: UInt8 = upper ? 0x61 : 0x41
            // Bytes that stay as they are are copied a run at a time; a
            // stretch of ASCII is copied and then mapped in place, in the
            // branch-free pass above (a letter at a time, it was two appends
            // a letter).
            let twoByte = upper ? Self.twoByteUppercases : Self.twoByteLowercases
            var run = 0, i = firstChange
            while i < b.count {
                let c = b[i]
                // A scalar of two bytes that the mapping leaves alone (a combining accent).
                if c >= 0xC2 && c < 0xE0 && i + 1 < b.count && !twoByte[Int(c & 0x1F) << 6 | Int(b[i + 1] & 0x3F)] { i += 2; continue }
                if c < 0x80 {
                    var end = i + 1
                    while end < b.count && b[end] < 0x80 { end += 1 }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<end]))
                    out.withUnsafeMutableBufferPointer { o in
                        for k in (o.count - (end - i))..<o.count { o[k] ^= o[k] &- from < 26 ? 0x20 : 0 }
                    }
                    run = end
                    i = end
                    continue
                }
                if c >= 0xE3 && c <= 0xE9 { i += 3; continue }  // U+3000-U+9FFF (CJK): no case
                let (scalar, n) = scalar(at: i, b)
                let p = scalar.properties
                if upper ? p.changesWhenUppercased : p.changesWhenLowercased {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<i]))
                    out.append(contentsOf: (upper ? p.uppercaseMapping : p.lowercaseMapping).utf8)
                    run = i + n
                }
                i += n
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run...]))
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Whether each scalar of two UTF-8 bytes (U+0080–U+07FF) changes when
    /// uppercased, or lowercased: worked out once from the scalars'
    /// properties, which `caseMapped` looked up for each such scalar (a
    /// combining accent every 25 characters made that most of its time).
    static let twoByteUppercases = twoByteScalars { $0.changesWhenUppercased }
    static let twoByteLowercases = twoByteScalars { $0.changesWhenLowercased }

    private static func twoByteScalars(_ test: (Unicode.Scalar.Properties) -> Bool) -> [Bool] {
        (0..<0x800).map { v in v >= 0x80 && Unicode.Scalar(UInt32(v)).map { test($0.properties) } == true }
    }

    // MARK: trim

    /// `s.trimmingCharacters(in: .whitespacesAndNewlines)`: the text without
    /// the white space and line breaks at either end (the same text, not a
    /// copy, when there are none).
    static func trimmed(_ s: String) -> String {
        withBytes(s) { b in
            var start = 0, end = b.count
            while start < end {
                let (c, n) = scalar(at: start, b)
                guard isWhiteSpace(c) else { break }
                start += n
            }
            while end > start {
                let j = scalarStart(before: end, b)
                guard isWhiteSpace(scalar(at: j, b).0) else { break }
                end = j
            }
            if start == 0 && end == b.count { return s }
            return copy(s, start..<end)
        }
    }

    /// The bytes `range` of `s`, which start and end
    /// on scalars, as a new text, copied as a `Substring` (which the standard
    /// library need not check as UTF-8 again); a large one into storage in
    /// huge pages (`String.reserving`): the copy's page faults were most of
    /// a slice's time.
    static func copy(_ s: String, _ range: Range<Int>) -> String {
        let u = s.utf8
        let part = s[u.index(u.startIndex, offsetBy: range.lowerBound)..<u.index(u.startIndex, offsetBy: range.upperBound)]
        guard range.count >= 2 * HugePages.size else { return String(part) }
        var out = String.reserving(range.count)
        out.append(contentsOf: part)
        return out
    }

    @inline(__always)
    static func isWhiteSpace(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII { return c == " " || (c.value >= 0x09 && c.value <= 0x0D) }
        return CharacterSet.whitespacesAndNewlines.contains(c)
    }

    // MARK: hashtags

    /// The `#tags` of a text, by `HashtagRule`, in order.
    static func hashtags(_ s: String) -> [String] {
        withBytes(s) { hashtags(bytes: $0) }
    }

    /// The tags in valid UTF-8 bytes.
    static func hashtags(bytes b: UnsafeBufferPointer<UInt8>) -> [String] {
        var out: [String] = []
        var i = 0
        while i < b.count {
            guard b[i] == UInt8(ascii: "#") else { i += 1; continue }
            if i > 0 {
                let before = b[i - 1] < 0x80 ? Unicode.Scalar(b[i - 1]) : scalar(at: scalarStart(before: i, b), b).0
                if !HashtagRule.startsTag(after: before) { i += 1; continue }
            }
            var j = i + 1
            while j < b.count {
                let (c, n) = scalar(at: j, b)
                guard HashtagRule.isTagCharacter(c) else { break }
                j += n
            }
            if j > i + 1 { out.append(String(validUTF8: b, i..<j)) }
            i = j
        }
        return out
    }

    // MARK: eight bytes at a time

    /// Whether any of the 8 bytes of `w` is `x` (the exact zero-byte test of
    /// "Bit Twiddling Hacks", on `w` with `x` xored out).
    @inline(__always)
    static func has(_ w: UInt64, _ x: UInt8) -> Bool {
        let v = w ^ (0x0101_0101_0101_0101 &* UInt64(x))
        return (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080 != 0
    }

    /// How many of the 8 bytes of `w` start a UTF-8 scalar (are not
    /// continuation bytes, 10xxxxxx).
    @inline(__always)
    static func scalarStarts(_ w: UInt64) -> Int {
        8 - (w & ~(w << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
    }

    // MARK: validity

    /// Whether the bytes are well-formed UTF-8 (Unicode's table 3-7: no
    /// overlong forms, no surrogates, nothing past U+10FFFF), without making
    /// a String of them: what `String(validating:)` decides, with no copy.
    /// In C (`kdk_utf8_valid`) because the CSV row scan checks each row with it.
    static func isValidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress else { return true }
        return kdk_utf8_valid(base, Int64(b.count)) != 0
    }

    // MARK: search

    /// Whether every byte is ASCII, eight at a time.
    static func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress else { return true }
        var i = 0
        while i + 8 <= b.count {
            if UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < b.count { if b[i] >= 0x80 { return false }; i += 1 }
        return true
    }

    /// Where `needle` next occurs in `hay` at or after byte `from`: `memchr`
    /// for its first byte (vectorized in libc), then `memcmp` for the rest.
    /// The next 16 bytes are looked at first, one by one: where matches are
    /// close together (a space in words) a call of `memchr` costs more.
    /// (glibc's two-way `memmem` is not exported to Swift.)
    @inline(__always)
    static func find(_ needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let h = hay.baseAddress, let n = needle.baseAddress, !needle.isEmpty else { return nil }
        let last = hay.count - needle.count, first = n[0]
        var i = from
        while i <= last {
            let near = min(last + 1, i + 16)
            while i < near && h[i] != first { i += 1 }
            let at: Int
            if i < near {
                at = i
            } else {
                guard i <= last, let hit = memchr(h + i, Int32(first), last - i + 1) else { return nil }
                at = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - h
            }
            if needle.count == 1 || memcmp(h + at + 1, n + 1, needle.count - 1) == 0 { return at }
            i = at + 1
        }
        return nil
    }

    /// How many bytes of `b` are `x` (`kdk_count_byte`, 16 at a time).
    static func count(_ x: UInt8, in b: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = b.baseAddress else { return 0 }
        var beforeHigh: Int32 = 0
        return kdk_count_byte(base, b.count, x, &beforeHigh)
    }

    /// Copies `count` bytes; a short run byte by byte, where a call of
    /// `memmove` would cost more than the copy (pieces between matches).
    @inline(__always)
    static func copy(_ dst: UnsafeMutablePointer<UInt8>, _ src: UnsafePointer<UInt8>, _ count: Int) {
        if count > 16 { dst.update(from: src, count: count); return }
        var k = 0
        while k < count { dst[k] = src[k]; k += 1 }
    }

    /// Runs `body` over the bytes of `s` and `needle` when the needle is
    /// ASCII and not empty; nil otherwise. Foundation's search compares
    /// composed character sequences under canonical equivalence (`é` matches
    /// `e` + U+0301, and `e` does not match inside it); for an ASCII needle
    /// the only characters that are canonically ASCII are the Kelvin sign
    /// (`K`), U+037E (`;`) and U+1FEF (`` ` ``), so a text with one of those
    /// goes to Foundation when the needle has its letter.
    static func asciiNeedle<R>(_ s: String, _ needle: String,
                               _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) throws -> R?) rethrows -> R? {
        try withBytes(needle) { n in
            guard !n.isEmpty, isASCII(n) else { return nil }
            return try withBytes(s) { b in
                if n.contains(where: { $0 == UInt8(ascii: "K") || $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "`") }) && !isASCII(b) {
                    for lookalike: [UInt8] in [[0xE2, 0x84, 0xAA], [0xCD, 0xBE], [0xE1, 0xBF, 0xAF]] {
                        if lookalike.withUnsafeBufferPointer({ find($0, in: b, from: 0) }) != nil { return nil }
                    }
                }
                return try body(b, n)
            }
        }
    }

    /// Whether byte `i` of `s` (whose bytes are `b`) is where one character
    /// of `s` ends and the next starts. Between two ASCII bytes it always is,
    /// but for CR LF; elsewhere the standard library's rule decides.
    @inline(__always)
    static func isCharacterBoundary(_ s: String, _ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        if i == 0 || i == b.count { return true }
        let before = b[i - 1], after = b[i]
        if before < 0x80 && after < 0x80 { return !(before == 0x0D && after == 0x0A) }
        // No rule of UAX #29 joins an ASCII scalar to a plain one after it,
        // nor a plain scalar or a combining mark (U+0300–U+036F) to ASCII
        // after it (see TextCharacters.swift): a word of CJK or an accented
        // letter beside a space is told apart here, not by the standard
        // library's walk (split on a mixed text spent a third of its time there).
        if before < 0x80 && plainLength(b, i) > 0 { return true }
        if after < 0x80 {
            var lead = i - 1
            while lead > 0 && b[lead] & 0xC0 == 0x80 { lead -= 1 }
            if plainLength(b, lead) > 0 || isPlainMark(b, lead) { return true }
        }
        return s.utf8.index(s.utf8.startIndex, offsetBy: i).samePosition(in: s) != nil
    }

    /// Whether Foundation's `replacingOccurrences` and `contains` take a match
    /// of an ASCII needle that ends at byte `j`; nil when only Foundation can
    /// tell. Both take every match that ends on a character boundary, and
    /// also some that do not (a spacing mark after it, such as U+0903), so a
    /// match followed by a scalar that joins it is left to Foundation.
    @inline(__always)
    static func foundationTakesMatch(endingAt j: Int, _ s: String, _ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        if j == b.count || b[j] < 0x80 { return true }
        return !isControl(b[j - 1]) && isCharacterBoundary(s, b, j) ? true : nil
    }

    /// An ASCII control character. Foundation joins one to a combining mark
    /// after it (LF + U+0301 is one composed sequence to it, two characters
    /// to the standard library), so a match that ends in one and is followed
    /// by a non-ASCII scalar is left to Foundation; likewise for `split`, a
    /// match that starts with one after a non-ASCII scalar.
    @inline(__always)
    static func isControl(_ c: UInt8) -> Bool { c < 0x20 || c == 0x7F }

    /// `s.components(separatedBy: sep)` for an ASCII separator: the pieces
    /// between the matches that start and end on character boundaries (so a
    /// CR LF pair, or a letter and its accent, is never split), one after
    /// another in one buffer (a String per piece was most of splitting a
    /// text of millions of words; `ValueList(texts:)` makes each when read).
    static func split(_ s: String, _ sep: String) -> TextBuffer? {
        asciiNeedle(s, sep) { b, n in
            // Room for every candidate match, counted first: growing the
            // ends of millions of pieces copies them several times over.
            var candidates = 0, at = 0
            if n.count == 1 {
                candidates = count(n[0], in: b)
            } else {
                while let i = find(n, in: b, from: at) { candidates += 1; at = i + n.count }
            }
            var out = TextBuffer()
            out.bytes.reserveCapacity(b.count - candidates * n.count)
            out.ends.reserveCapacity(candidates + 1)
            var pieceStart = 0, from = 0
            while let i = find(n, in: b, from: from) {
                let j = i + n.count
                if (j < b.count && b[j] >= 0x80 && isControl(b[j - 1])) || (i > 0 && b[i - 1] >= 0x80 && isControl(b[i])) { return nil }
                guard isCharacterBoundary(s, b, i), isCharacterBoundary(s, b, j) else { from = i + 1; continue }
                // Past the buffer's 4 GiB (a host's size limit above it): the library's split.
                guard out.append(UnsafeBufferPointer(rebasing: b[pieceStart..<i])) else { return nil }
                pieceStart = j
                from = j
            }
            return out.append(UnsafeBufferPointer(rebasing: b[pieceStart...])) ? out : nil
        }
    }

    /// `s.replacingOccurrences(of: old, with: new)` for an ASCII `old`
    /// (which, unlike `components`, does replace inside a CR LF pair); `new`
    /// may be any text. `checkSize` is given the result's size in bytes
    /// (before it is allocated) whenever a result is returned.
    static func replace(_ s: String, _ old: String, _ new: String, checkSize: (Int) throws -> Void = { _ in }) throws -> String? {
        try asciiNeedle(s, old) { b, n in
            if n.count == 1 { return try replaceByte(s, b, n[0], new, checkSize: checkSize) }
            var matches: [Int] = []
            var from = 0
            while let at = find(n, in: b, from: from) {
                guard foundationTakesMatch(endingAt: at + n.count, s, b) != nil else { return nil }
                matches.append(at)
                from = at + n.count
            }
            if matches.isEmpty { try checkSize(b.count); return s }
            return try withBytes(new) { r in
                // The result's size is known, so it is written in place, once.
                let (grown, over) = matches.count.multipliedReportingOverflow(by: r.count - n.count)
                let (size, past) = b.count.addingReportingOverflow(grown)
                try checkSize(over || past ? Int.max : size)
                return String(filling: size) { out in
                    guard let dst = out.baseAddress, let src = b.baseAddress else { return 0 }
                    var at = 0, read = 0
                    for m in matches {
                        copy(dst + at, src + read, m - read)
                        at += m - read
                        if let rb = r.baseAddress { copy(dst + at, rb, r.count) }
                        at += r.count
                        read = m + n.count
                    }
                    copy(dst + at, src + read, b.count - read)
                    return at + b.count - read
                }
            }
        }
    }

    /// `replace` of one ASCII byte: its matches counted first, so the result
    /// is sized before the copy. When no match is followed by a byte over
    /// 0x7F, Foundation takes every match, and the copy is made in 16-byte
    /// blocks (`kdk_replace_byte`); otherwise match by match here, where a
    /// match Foundation may not take (nil) is found.
    static func replaceByte(_ s: String, _ b: UnsafeBufferPointer<UInt8>, _ x: UInt8, _ new: String,
                            checkSize: (Int) throws -> Void) throws -> String? {
        guard let src = b.baseAddress else { try checkSize(0); return s }
        var beforeHigh: Int32 = 0
        let matches = kdk_count_byte(src, b.count, x, &beforeHigh)
        if matches == 0 { try checkSize(b.count); return s }
        return try withBytes(new) { r in
            let (grown, over) = matches.multipliedReportingOverflow(by: r.count - 1)
            let (size, past) = b.count.addingReportingOverflow(grown)
            try checkSize(over || past ? Int.max : size)
            if beforeHigh == 0 {
                return withUnsafePointer(to: UInt8(0)) { none in
                    String(filling: size) { out in
                        guard let dst = out.baseAddress else { return 0 }
                        return kdk_replace_byte(src, b.count, x, r.baseAddress ?? none, r.count, dst, size)
                    }
                }
            }
            var declined = false
            let needle = [x]
            let out = needle.withUnsafeBufferPointer { n in
                String(filling: size) { out in
                    guard let dst = out.baseAddress else { return 0 }
                    var at = 0, read = 0
                    while let m = find(n, in: b, from: read) {
                        guard foundationTakesMatch(endingAt: m + 1, s, b) != nil else { declined = true; return 0 }
                        copy(dst + at, src + read, m - read)
                        at += m - read
                        if let rb = r.baseAddress { copy(dst + at, rb, r.count) }
                        at += r.count
                        read = m + 1
                    }
                    copy(dst + at, src + read, b.count - read)
                    return at + b.count - read
                }
            }
            return declined ? nil : out
        }
    }

    /// `s.contains(sub)` for an ASCII `sub`.
    static func contains(_ s: String, _ sub: String) -> Bool? {
        asciiNeedle(s, sub) { b, n in
            guard let at = find(n, in: b, from: 0) else { return false }
            return foundationTakesMatch(endingAt: at + n.count, s, b)
        }
    }

    // MARK: prefix and suffix

    /// `s.hasPrefix(prefix)` when the prefix is `s`'s first bytes and ends
    /// where a character of `s` ends (then the characters are the same
    /// ones); nil otherwise, for the standard library to compare characters
    /// under canonical equivalence.
    static func hasPrefix(_ s: String, _ prefix: String) -> Bool? {
        let n = prefix.utf8.count
        guard n <= s.utf8.count, sameBytes(s, at: 0, prefix) else { return nil }
        return s.utf8.index(s.utf8.startIndex, offsetBy: n).samePosition(in: s) != nil ? true : nil
    }

    /// `s.hasSuffix(suffix)` when the suffix is `s`'s last bytes and starts
    /// where a character of `s` starts; nil otherwise.
    static func hasSuffix(_ s: String, _ suffix: String) -> Bool? {
        let n = suffix.utf8.count
        guard n <= s.utf8.count else { return nil }
        let start = s.utf8.index(s.utf8.endIndex, offsetBy: -n)
        return sameBytes(s, at: s.utf8.count - n, suffix) && start.samePosition(in: s) != nil ? true : nil
    }

    /// Whether `s` has the bytes of `x` at byte `at` (which leaves room for them).
    static func sameBytes(_ s: String, at: Int, _ x: String) -> Bool {
        withBytes(s) { b in
            withBytes(x) { x in
                guard let sb = b.baseAddress, let xb = x.baseAddress else { return x.isEmpty }
                return memcmp(sb + at, xb, x.count) == 0
            }
        }
    }

    // MARK: join

    /// The buffer's texts one after another, with `separator` between:
    /// its bytes copied piece by piece (`join` over `split`'s list).
    static func join(_ texts: TextBuffer, separator: String) -> String {
        let n = texts.count
        let total = texts.bytes.count + separator.utf8.count * max(0, n - 1)
        return withBytes(separator) { sep in
            texts.bytes.withUnsafeBufferPointer { src in
                String(filling: total) { out in
                    guard let dst = out.baseAddress, let s = src.baseAddress else { return 0 }
                    var at = 0, start = 0
                    for k in 0..<n {
                        if k > 0, let p = sep.baseAddress { copy(dst + at, p, sep.count); at += sep.count }
                        let end = Int(texts.ends[k])
                        copy(dst + at, s + start, end - start)
                        at += end - start
                        start = end
                    }
                    return at
                }
            }
        }
    }

    /// The texts one after another, with `separator` between: their bytes
    /// copied into one buffer (`[String].joined` over `plain` texts cost
    /// five times python3's `join` on millions of short pieces). Sizing the
    /// result first, then copying, beat one pass into a growing buffer.
    static func join(_ items: [Value], separator: String) -> String {
        var total = separator.utf8.count * max(0, items.count - 1), texts = 0
        items.withUnsafeBufferPointer { items in
            for k in items.indices { if case .text(let t) = items[k] { total += t.utf8.count; texts += 1 } }
        }
        if texts == items.count {
            // All texts (the usual case): written straight into the result.
            return withBytes(separator) { sep in
                String(filling: total) { out in
                    guard let dst = out.baseAddress else { return 0 }
                    var at = 0
                    items.withUnsafeBufferPointer { items in
                        for k in items.indices {
                            guard case .text(var t) = items[k] else { continue }
                            if k > 0, let s = sep.baseAddress { copy(dst + at, s, sep.count); at += sep.count }
                            // A text's bytes where they are (a word's spilled
                            // to the stack): 94 instructions a word through
                            // `initialize(from: t.utf8)`, 70 this way.
                            at += t.withUTF8 { src in
                                if let p = src.baseAddress { copy(dst + at, p, src.count) }
                                return src.count
                            }
                        }
                    }
                    return at
                }
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(total)
        withBytes(separator) { sep in
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(contentsOf: sep) }
                withBytes(item.plain) { out.append(contentsOf: $0) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
