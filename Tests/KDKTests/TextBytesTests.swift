import Foundation
import XCTest
@testable import KDK
import CTextScan

/// The byte-level text functions (`TextBytes`) give what the Foundation and
/// standard-library calls they replaced give, on random Unicode text:
/// combining marks, CJK, CR LF, emoji, and the characters whose canonical
/// decomposition is ASCII (the Kelvin sign is `K`).
final class TextBytesTests: XCTestCase {
    /// Pieces texts are made of: each is a hazard for one function or another.
    static let pieces: [String] = [
        "a", "b", "e", "K", "k", "s", "z", "A", "Z", "0", "7", "_", "#", "##", ";", "`", " ", "  ", "\t", "\n", "\r", "\r\n",
        "ab", "ba", "aa", "Post", "KDK", "#KDK", "#kdk_2", "x#y", "50#", "\u{0B}", "\u{0C}",
        "发", "帖", "赢", "币", "#发帖赢", "中#话题", "，", "。",
        "\u{301}", "\u{307}", "e\u{301}", "\u{E9}", "\u{C9}", "İ", "ı", "ß", "ẞ", "Σ", "σ", "ς", "ΑΣ ", "ŉ", "ǅ", "ﬁ",
        "\u{212A}", "\u{037E}", "\u{1FEF}", "\u{2126}", "Å", "\u{212B}",
        "\u{A0}", "\u{3000}", "\u{2028}", "\u{85}", "\u{200B}", "\u{FEFF}", "\u{1680}",
        "👍", "👍🏽", "👨\u{200D}👩\u{200D}👧", "\u{1F1FA}\u{1F1F8}", "\u{1F1EB}", "\u{0600}", "\u{0915}\u{094D}\u{0937}", "각", "\u{1100}\u{1161}",
        "ａ", "Ａ", "１", "\u{10400}", "\u{10428}", "𝒜",
        "か", "カ", "\u{3099}", "ｶ\u{FF9E}", "Ж", "\u{483}", "\u{AD}", "©", "\u{A9}\u{FE0F}", "\u{34F}", "\u{36F}", "\u{370}",
    ]

    /// A random text of up to `n` pieces, from a seeded generator (so a
    /// failure names a text that can be made again).
    static func text(_ rng: inout SplitMix, _ n: Int = 12) -> String {
        (0..<Int(rng.next() % UInt64(n + 1))).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
    }

    /// A random text of ASCII pieces only (where split, replace and
    /// contains take the byte path).
    static func asciiText(_ rng: inout SplitMix, _ n: Int = 12) -> String {
        let ascii = pieces.filter { $0.utf8.allSatisfy { $0 < 0x80 } }
        return (0..<Int(rng.next() % UInt64(n + 1))).map { _ in ascii[Int(rng.next() % UInt64(ascii.count))] }.joined()
    }

    func scalars(_ s: String) -> String { s.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " ") }

    func testCaseMappingAsTheStandardLibraryDoes() {
        var rng = SplitMix(seed: 1)
        for round in 0..<20_000 {
            let s = round % 2 == 0 ? Self.asciiText(&rng) : Self.text(&rng)
            XCTAssertEqual(TextBytes.caseMapped(s, upper: false), s.lowercased(), scalars(s))
            XCTAssertEqual(TextBytes.caseMapped(s, upper: true), s.uppercased(), scalars(s))
        }
    }

    /// A scalar the mapping leaves alone is copied as bytes: that holds for
    /// every scalar in Unicode, not only the sampled ones.
    func testEveryScalarThatDoesNotChangeMapsToItself() {
        var wrong: [String] = []
        for v in 0...0x10FFFF {
            guard let c = Unicode.Scalar(v) else { continue }
            let p = c.properties
            if !p.changesWhenLowercased && p.lowercaseMapping != String(c) { wrong.append("lower \(String(v, radix: 16))") }
            if !p.changesWhenUppercased && p.uppercaseMapping != String(c) { wrong.append("upper \(String(v, radix: 16))") }
            // caseMapped skips these without looking (UTF-8 lead bytes E3-E9).
            if (0x3000...0x9FFF).contains(v) && (p.changesWhenLowercased || p.changesWhenUppercased) { wrong.append("CJK \(String(v, radix: 16))") }
        }
        XCTAssertEqual(wrong, [])
    }

    func testTrimAsFoundationDoes() {
        var rng = SplitMix(seed: 2)
        for _ in 0..<20_000 {
            let s = Self.text(&rng)
            XCTAssertEqual(TextBytes.trimmed(s), s.trimmingCharacters(in: .whitespacesAndNewlines), scalars(s))
        }
        for v in 0...0x10FFFF {
            guard let c = Unicode.Scalar(v) else { continue }
            let s = "x" + String(c)
            XCTAssertEqual(TextBytes.trimmed(s), s.trimmingCharacters(in: .whitespacesAndNewlines), scalars(s))
        }
    }

    /// The ideographs a hashtag takes without a property look-up are letters.
    func testIdeographsAreTagCharacters() {
        for v in Array(0x3400...0x4DBF) + Array(0x4E00...0x9FFF) {
            XCTAssertTrue(Unicode.Scalar(UInt32(v))!.properties.isAlphabetic, String(v, radix: 16))
        }
        XCTAssertFalse(HashtagRule.isTagCharacter("\u{4DC0}"))  // a Yijing hexagram, between the two ranges
    }

    func testHashtagsAsBefore() {
        var rng = SplitMix(seed: 3)
        for _ in 0..<20_000 {
            let s = Self.text(&rng, 16)
            XCTAssertEqual(TextBytes.hashtags(s), Self.hashtagsByScalars(s), scalars(s))
        }
    }

    func testSplitReplaceContainsAsFoundationDoes() throws {
        var rng = SplitMix(seed: 4)
        var byPath = [0, 0]  // byte path taken: ASCII text, other text
        for round in 0..<60_000 {
            // An ASCII text, or any text; an ASCII needle (the byte path) two
            // times in three, else any needle.
            let s = round % 2 == 0 ? Self.asciiText(&rng, 16) : Self.text(&rng, 16)
            let needle = round % 3 == 2 ? Self.text(&rng, 2) : Self.asciiText(&rng, 2)
            let new = Self.text(&rng, 2)
            guard !needle.isEmpty else { continue }
            if let split = TextBytes.split(s, needle).map(Self.texts) {
                byPath[round % 2] += 1
                XCTAssertEqual(split, s.components(separatedBy: needle), "split \(scalars(s)) by \(scalars(needle))")
            }
            if let replaced = try TextBytes.replace(s, needle, new) {
                XCTAssertEqual(replaced, s.replacingOccurrences(of: needle, with: new), "replace \(scalars(needle)) in \(scalars(s))")
            }
            if let found = TextBytes.contains(s, needle) {
                XCTAssertEqual(found, s.contains(needle), "\(scalars(needle)) in \(scalars(s))")
            }
        }
        XCTAssertGreaterThan(byPath[0], 12_000)
        XCTAssertGreaterThan(byPath[1], 10_000)
    }

    /// `replace` of one byte on texts long enough for its 16-byte blocks
    /// (matches in runs, at block edges, none), with replacements from
    /// empty to past a block, as Foundation does; and the count of a byte.
    func testReplacingOneByteInBlocksAsFoundationDoes() throws {
        var rng = SplitMix(seed: 44)
        let news = ["", "b", "aa", "é", "#KDK!", String(repeating: "z", count: 16), String(repeating: "发", count: 6), String(repeating: "yz", count: 20)]
        var fast = 0
        for round in 0..<3_000 {
            let s = (0..<(10 + Int(rng.next() % 120))).map { _ -> String in
                switch rng.next() % 4 {
                case 0: return "a"
                case 1: return String(repeating: "a", count: Int(rng.next() % 40))
                case 2: return Self.asciiText(&rng, 3)
                default: return round % 3 == 0 ? Self.text(&rng, 2) : "Post #KDK 发帖赢 ab, x"
                }
            }.joined()
            let new = news[Int(rng.next() % UInt64(news.count))]
            let bytes = Array(s.utf8)
            XCTAssertEqual(bytes.withUnsafeBufferPointer { TextBytes.count(UInt8(ascii: "a"), in: $0) }, bytes.filter { $0 == UInt8(ascii: "a") }.count)
            var beforeHigh: Int32 = 0
            _ = bytes.withUnsafeBufferPointer { kdk_count_byte($0.baseAddress!, $0.count, UInt8(ascii: "a"), &beforeHigh) }
            XCTAssertEqual(beforeHigh != 0, zip(bytes, bytes.dropFirst()).contains { $0 == UInt8(ascii: "a") && $1 >= 0x80 }, scalars(s))
            if beforeHigh == 0 { fast += 1 }
            if let r = try TextBytes.replace(s, "a", new) {
                XCTAssertEqual(r, s.replacingOccurrences(of: "a", with: new), "replace a with \(new) in \(scalars(s))")
            }
        }
        XCTAssertGreaterThan(fast, 1_500)
    }

    /// Each scalar of Unicode right after and right before a match of a
    /// letter and of a control character (where the byte path and Foundation
    /// could part: does a match end or start there?).
    func testEveryScalarNextToAMatch() throws {
        for v in 0...0x10FFFF where v != 0x61 && v != 0x0A {
            guard let c = Unicode.Scalar(v) else { continue }
            let s = "xa\(c)a\n\(c)\ny"
            for needle in ["a", "\n"] {
                if let x = TextBytes.split(s, needle).map(Self.texts) { XCTAssertEqual(x, s.components(separatedBy: needle), scalars(s)) }
                if let r = try TextBytes.replace(s, needle, "b") { XCTAssertEqual(r, s.replacingOccurrences(of: needle, with: "b"), scalars(s)) }
                if let f = TextBytes.contains(s, needle) { XCTAssertEqual(f, s.contains(needle), scalars(s)) }
            }
        }
    }

    func testPrefixAndSuffixAsTheStandardLibraryDoes() {
        var rng = SplitMix(seed: 6)
        var byteFound = 0
        for round in 0..<40_000 {
            let s = Self.text(&rng, 10)
            let scalars = Array(s.unicodeScalars)
            let k = Int(rng.next() % UInt64(scalars.count + 1))
            // Often a prefix or suffix of s's own scalars (which may end inside
            // a character), else a random text.
            let prefix = round % 3 == 2 ? Self.text(&rng, 3) : String(String.UnicodeScalarView(scalars[0..<k]))
            let suffix = round % 3 == 2 ? Self.text(&rng, 3) : String(String.UnicodeScalarView(scalars[k...]))
            if let p = TextBytes.hasPrefix(s, prefix) { byteFound += 1; XCTAssertEqual(p, s.hasPrefix(prefix), "\(self.scalars(s)) starts with \(self.scalars(prefix))") }
            if let x = TextBytes.hasSuffix(s, suffix) { XCTAssertEqual(x, s.hasSuffix(suffix), "\(self.scalars(s)) ends with \(self.scalars(suffix))") }
        }
        XCTAssertGreaterThan(byteFound, 15_000)
    }

    /// A buffer's texts, in order.
    static func texts(_ b: TextBuffer) -> [String] { (0..<b.count).map { b.text($0) } }

    /// `split`'s list is its pieces in one buffer, made when read: it reads
    /// (count, items from either end, all at once, equality) as the list of
    /// the pieces does, and `join` of it, straight from the buffer, is the
    /// join of those pieces.
    func testSplitListsReadAsListsOfTheirPieces() throws {
        var rng = SplitMix(seed: 21)
        var byBuffer = 0
        for _ in 0..<3_000 {
            let s = Self.text(&rng, 16), sep = Self.asciiText(&rng, 2), glue = Self.text(&rng, 2)
            guard !sep.isEmpty, let buffer = TextBytes.split(s, sep) else { continue }
            byBuffer += 1
            let pieces = s.components(separatedBy: sep), list = ValueList(texts: buffer)
            XCTAssertEqual(list.count, pieces.count)
            XCTAssertEqual((0..<list.count).map { list[$0] }, pieces.map { .text($0) }, scalars(s))
            XCTAssertEqual(list.array, pieces.map { .text($0) })
            XCTAssertEqual(Value.list(list), .list(pieces.map { .text($0) }))
            XCTAssertEqual(TextBytes.join(buffer, separator: glue), pieces.joined(separator: glue), scalars(s))
            XCTAssertNotNil(list.textsOf)
        }
        XCTAssertGreaterThan(byBuffer, 1_500)
        XCTAssertNil(ValueList([.text("a")]).textsOf)
        // In a program: the list is a list like any other.
        let engine = Engine()
        for (src, want) in [("split(\"b a c\", \" \")", "[\"b\", \"a\", \"c\"]"), ("join(split(\"a b\", \" \"), \"+\")", "\"a+b\""),
                            ("sort(split(\"b a c\", \" \"))[0]", "\"a\""), ("split(\"a,b\", \",\") + [\"c\"]", "[\"a\", \"b\", \"c\"]"),
                            ("split(\"x y\", \" \")[-1]", "\"y\""), ("len(split(\",,\", \",\"))", "3")] {
            XCTAssertEqual(try engine.compile(src).run().literal(), want, src)
        }
    }

    func testJoinAsJoined() {
        var rng = SplitMix(seed: 8)
        for round in 0..<10_000 {
            let items: [Value] = (0..<Int(rng.next() % 6)).map { k in
                round % 3 == 0 && k == 2 ? .number(ExactDecimal(k)) : .text(Self.text(&rng, 4))
            }
            let sep = Self.text(&rng, 2)
            XCTAssertEqual(TextBytes.join(items, separator: sep), items.map { $0.plain }.joined(separator: sep))
        }
    }

    /// What the character walk takes for granted, checked against the
    /// standard library for every scalar it calls plain: nothing joins one
    /// to what comes before or after it (a letter, a mark's base, a
    /// Prepend, a ZWJ after an emoji, a virama after a consonant, a
    /// regional indicator, Hangul jamo), and a mark of U+0300–U+036F joins it.
    func testPlainScalarsAreCharactersOfTheirOwn() {
        var plain = 0
        for v in 0...0x10FFFF {
            guard let scalar = Unicode.Scalar(v) else { continue }
            let x = String(scalar)
            guard TextBytes.withBytes(x, { TextBytes.plainLength($0, 0) == $0.count }) else { continue }
            plain += 1
            for pair in ["a" + x, x + "a", x + x, x + "\r\n", "\u{0600}a" + x, "👍\u{200D}" + x, "\u{0915}\u{094D}" + x,
                         "\u{1F1FA}" + x, x + "\u{1F1FA}", "\u{1100}" + x, x + "\u{1161}", x + "\u{11A8}", "각" + x] {
                XCTAssertEqual(TextBytes.characterCount(pair), pair.count, scalars(pair))
            }
            XCTAssertEqual(("a" + x).count, 2, scalars(x))
            XCTAssertEqual((x + "a").count, 2, scalars(x))
            XCTAssertEqual(("👍\u{200D}" + x).count, 2, scalars(x))
            XCTAssertEqual(("\u{0915}\u{094D}" + x).count, 2, scalars(x))
            XCTAssertEqual(("\u{1F1FA}" + x).count, 2, scalars(x))
            XCTAssertEqual(("\u{1100}" + x).count, 2, scalars(x))
            XCTAssertEqual((x + "\u{1161}").count, 2, scalars(x))
            XCTAssertEqual((x + "\u{11A8}").count, 2, scalars(x))
            XCTAssertEqual((x + "\u{0301}").count, scalar.properties.generalCategory == .control ? 2 : 1, scalars(x))
        }
        XCTAssertEqual(plain, 0x7F + 0x240 + 0x113 + 0x2A + 0x56 + 0x5A + 0x6C00 + 0x5E)
        for v in 0x300...0x36F {
            let mark = String(Unicode.Scalar(UInt32(v))!)
            XCTAssertTrue(TextBytes.withBytes(mark) { TextBytes.isPlainMark($0, 0) })
            XCTAssertEqual(("a" + mark).count, 1, scalars(mark))
            XCTAssertEqual(("a" + mark + "\u{301}b").count, 2, scalars(mark))
            XCTAssertEqual(TextBytes.characterCount("发" + mark + "b" + mark), 2, scalars(mark))
        }
    }

    func testCharacterIndexes() throws {
        var rng = SplitMix(seed: 5)
        for round in 0..<10_000 {
            let s = round % 2 == 0 ? Self.asciiText(&rng) : Self.text(&rng)
            let chars = Array(s)
            XCTAssertEqual(TextBytes.characterCount(s), chars.count, scalars(s))
            for lo in 0...chars.count {
                for hi in lo...chars.count {
                    let r = RangeValue(.number(ExactDecimal(lo)), .number(ExactDecimal(hi)), closed: false)
                    XCTAssertEqual(String(s[try TextBytes.characterRange(s, r)]), String(chars[lo..<hi]), "\(scalars(s)) [\(lo)..<\(hi)]")
                }
            }
            for i in -chars.count - 2...chars.count + 2 {
                let j = i < 0 ? chars.count + i : i
                let want: Character? = j >= 0 && j < chars.count ? chars[j] : nil
                XCTAssertEqual(TextBytes.character(s, i), want.map(String.init), "\(scalars(s)) [\(i)]")
            }
        }
        XCTAssertNil(TextBytes.character("abc", Int.min))
    }

    /// The byte classes of a run of plain scalars: a lead of class 1 starts
    /// only plain scalars, the lead CC only marks, and no control is in a class.
    func testPlainByteClasses() {
        for v in 0...0x10FFFF {
            guard let scalar = Unicode.Scalar(v) else { continue }
            TextBytes.withBytes(String(scalar)) { b in
                switch TextBytes.plainBytes[Int(b[0])] {
                case 1: XCTAssertEqual(TextBytes.plainLength(b, 0), b.count, scalars(String(scalar)))
                case 0: XCTAssertTrue(TextBytes.isPlainMark(b, 0) && b[0] == 0xCC, scalars(String(scalar)))
                default: break
                }
            }
            if scalar.properties.generalCategory == .control, v < 0x80 { XCTAssertEqual(TextBytes.plainBytes[v], 0x10) }
        }
        XCTAssertEqual(TextBytes.plainBytes.filter { $0 == 1 }.count, 0x5F + 9 + 4 + 6)
    }

    /// The 16-byte blocks of `kdk_plain_run` (SSSE3 and SSE2) classify each byte as
    /// `plainBytes` does, at each place in a block, count the characters the
    /// bytes of class 1 start, stop at the limit, and count past 255 blocks.
    func testPlainRunsInBlocksAsTheByteClasses() {
        for plainRun in [kdk_plain_run, kdk_plain_run_sse2] { checkPlainRuns(plainRun) }
    }

    func checkPlainRuns(_ plainRun: (UnsafePointer<UInt8>, Int, Int, UnsafeMutablePointer<Int>) -> Int) {
        func run(_ bytes: [UInt8], limit: Int = .max) -> (passed: Int, count: Int) {
            var count = 0
            let passed = bytes.withUnsafeBufferPointer { plainRun($0.baseAddress!, $0.count, limit, &count) }
            return (passed, count)
        }
        for v in 0...255 {
            for at in 0..<16 {
                var bytes = [UInt8](repeating: 0x61, count: 40)
                bytes[at + 16] = UInt8(v)
                let (passed, count) = run(bytes)
                if TextBytes.plainBytes[v] < 0x10 {
                    XCTAssertEqual(passed, 32, "byte \(v) at \(at)")
                    XCTAssertEqual(count, 31 + Int(TextBytes.plainBytes[v]), "byte \(v) at \(at)")
                } else {
                    XCTAssertEqual(passed, 16, "byte \(v) at \(at)")
                    XCTAssertEqual(count, 16, "byte \(v) at \(at)")
                }
            }
        }
        for limit in 0..<70 {
            let (passed, count) = run([UInt8](repeating: 0x61, count: 64), limit: limit)
            XCTAssertEqual(passed, min(64, limit), "limit \(limit)")
            XCTAssertEqual(count, min(64, limit), "limit \(limit)")
        }
        let mixed = Array(String(repeating: "发a\u{301}Ж ", count: 3_000).utf8)
        func starts(_ bytes: ArraySlice<UInt8>) -> Int { bytes.reduce(0) { $0 + Int(TextBytes.plainBytes[Int($1)]) } }
        let (passed, count) = run(mixed)
        XCTAssertEqual(passed, mixed.count / 16 * 16)
        XCTAssertEqual(count, starts(mixed[..<passed]))
        // To a limit: the bytes passed start exactly `limit` characters and
        // end at the next one's start, or at a block's end when the blocks ran out.
        let blocks = mixed.count / 16 * 16
        for limit in Array(0..<300) + [4_000, 9_999, 10_000, 10_001, 20_000] {
            let (passed, count) = run(mixed, limit: limit)
            XCTAssertEqual(count, starts(mixed[..<passed]), "limit \(limit)")
            XCTAssertEqual(count, min(limit, starts(mixed[..<blocks])), "limit \(limit)")
            if passed % 16 != 0 { XCTAssertEqual(TextBytes.plainBytes[Int(mixed[passed])], 1, "limit \(limit)") }
            if count < limit { XCTAssertEqual(passed, blocks, "limit \(limit)") }
        }
    }

    /// Slices, trims and interpolations of texts over 4 MB (copied into
    /// storage in huge pages: ASCII, mixed, and ASCII with an "é" far in)
    /// hold the characters an array gives.
    func testLargeSlicesAndTrimsAsArrays() throws {
        for s in [String(repeating: "Post #KDK to win ab, Cafe x ", count: 200_000),
                  String(repeating: "Post #KDK 发帖赢 ab, Cafe\u{301} x ", count: 200_000),
                  String(repeating: "a", count: 300) + "é" + String(repeating: "Post #KDK to win ab ", count: 250_000)] {
            let chars = Array(s)
            var engine = Engine()
            engine.define("s", .text(""))
            let slice = try engine.compile("s[3..<len(s) - 2]"), trimmed = try engine.compile("trim(\"  \" + s + \"\\n\")")
            XCTAssertEqual(try slice.run(inputs: ["s": .text(s)]), .text(String(chars[3..<chars.count - 2])))
            XCTAssertEqual(try trimmed.run(inputs: ["s": .text(s)]), .text(s.trimmingCharacters(in: .whitespacesAndNewlines)))
            XCTAssertEqual(try engine.compile("\"<\\(s)>\\(1)\"").run(inputs: ["s": .text(s)]), .text("<" + s + ">1"))
        }
    }

    /// Long runs of ASCII and ideographs (crossed eight bytes at a time)
    /// with a hazard now and then, ending anywhere in a word: counts,
    /// indexes and slices as an array of characters gives them.
    func testRunsOfIdeographsAndASCII() throws {
        var rng = SplitMix(seed: 8)
        let plain = ["发", "帖", "赢", "中", "a", "K", " ", "#", "鿿", "䀀", "\u{301}", "e\u{301}\u{33F}", "\u{E9}", "Ж", "ѿ", "ǿ", "\u{C0}", "Ά"]
        // A run ending at every offset, just before a scalar that joins the
        // character before it (its start is where a slice must begin).
        var texts: [String] = []
        for pad in 0..<17 {
            for lead in ["e\u{301}", "发\u{300}\u{301}", "\u{E9}", "\t\u{301}"] {
                for joiner in ["\u{3099}", "\u{34F}", "\u{36F}", "\u{483}", "\u{200D}", "\u{FE0F}", "\u{903}", "\r\n"] {
                    texts.append(String(repeating: "a", count: pad) + lead + joiner + "b发")
                }
            }
        }
        for round in 0..<3_000 + texts.count {
            let s = round >= 3_000 ? texts[round - 3_000] : (0..<Int(rng.next() % 40)).map { _ in
                rng.next() % 9 == 0 ? Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] : plain[Int(rng.next() % UInt64(plain.count))]
            }.joined()
            let chars = Array(s)
            XCTAssertEqual(TextBytes.characterCount(s), chars.count, "round \(round): \(scalars(s))")
            for i in 0...chars.count {
                XCTAssertEqual(TextBytes.character(s, i), i < chars.count ? String(chars[i]) : nil, "round \(round) [\(i)]: \(scalars(s))")
                let r = RangeValue(.number(ExactDecimal(i)), .number(ExactDecimal(chars.count)), closed: false)
                XCTAssertEqual(String(s[try TextBytes.characterRange(s, r)]), String(chars[i...]), "round \(round) [\(i)...]: \(scalars(s))")
            }
        }
    }

    /// Large texts indexed at random through remembered crumbs give what a
    /// walk from the start gives: characters, slices (forward and from the
    /// end), counts and out-of-range indexes, whichever was asked first; and
    /// a loop indexing every character of a 60,000-character text in a
    /// program is linear (it took minutes when each index walked from the start).
    func testCrumbsGiveWhatAWalkGives() throws {
        var rng = SplitMix(seed: 21)
        for round in 0..<6 {
            let s = round == 0 ? String(repeating: "a", count: 40_000) : (0..<3_000).map { _ in Self.text(&rng, 4) }.joined()
            let n = Array(s).count
            var crumbs = TextCrumbs()
            for _ in 0..<300 {
                let i = Int(rng.next() % UInt64(n + 20))
                XCTAssertEqual(TextBytes.character(s, i, &crumbs), TextBytes.character(s, i), "round \(round) [\(i)]")
                let lo = Int(rng.next() % UInt64(n + 5)) - (rng.next() % 3 == 0 ? n : 0), hi = Int(rng.next() % UInt64(n + 5))
                let r = RangeValue(.number(ExactDecimal(lo)), .number(ExactDecimal(hi)), closed: rng.next() % 2 == 0)
                XCTAssertEqual(try TextBytes.characterRange(s, r, &crumbs), try TextBytes.characterRange(s, r), "round \(round) [\(lo), \(hi)]")
                if rng.next() % 50 == 0 { XCTAssertEqual(TextBytes.characterCount(s, &crumbs), n) }
            }
            XCTAssertEqual(TextBytes.characterCount(s, &crumbs), n)
        }
        let source = "let s = join(range(20000).map(i => \"发a\u{301}\"), \"\")\nrange(len(s)).count(i => s[i] == \"a\u{301}\")"
        let t0 = Date()
        XCTAssertEqual(try Engine().compile(source).run(), .number(ExactDecimal(20_000)))
        XCTAssertLessThan(Date().timeIntervalSince(t0), 30, "indexing each character in a loop should be linear")
    }

    /// A large text made by a library call, an interpolation or a slice is
    /// remembered with its count as it is made (so `len` and `s[i]` on it
    /// take no walk), and that count is the one a fresh walk gives: a
    /// slice's is the characters between its ends, because a text cut at
    /// character boundaries keeps them (UAX #29's rules look back only over
    /// scalars that cannot start a character, or count regional indicators
    /// from a boundary).
    func testMadeTextsComeWithTheirCount() throws {
        var rng = SplitMix(seed: 31), counted = 0
        for round in 0..<8 {
            let s = (0..<8_000).map { _ in Self.text(&rng, 4) }.joined(), n = Array(s).count
            var crumbs = TextCrumbs()
            XCTAssertNil(crumbs.count(of: s))
            crumbs.made(s)
            XCTAssertEqual(crumbs.count(of: s), n, "round \(round)")
            // `+`: counted when both sides' counts are known and they meet
            // between plain scalars (a mark, a ZWJ or a flag after joins).
            for _ in 0..<40 {
                let y = Self.text(&rng, 3), (a, b) = rng.next() % 2 == 0 ? (s, y) : (y, s), joined = a + b
                crumbs.made(joined, joining: a, b)
                if let c = crumbs.count(of: joined) { XCTAssertEqual(c, Array(joined).count, "round \(round): + \(scalars(y))"); counted += 1 }
                if crumbs.count(of: s) == nil { crumbs.made(s) }
            }
            for _ in 0..<40 {
                let i = Int(rng.next() % UInt64(n + 5))
                XCTAssertEqual(TextBytes.character(s, i, &crumbs), TextBytes.character(s, i), "round \(round) [\(i)]")
                let lo = Int(rng.next() % UInt64(n / 3)), hi = lo + n / 2 + Int(rng.next() % UInt64(n))
                let r = RangeValue(.number(ExactDecimal(lo)), .number(ExactDecimal(hi)), closed: rng.next() % 2 == 0)
                let piece = try TextBytes.slice(s, r, &crumbs), chars = Array(piece)
                XCTAssertGreaterThanOrEqual(piece.utf8.count, TextCrumbs.minBytes)
                XCTAssertEqual(crumbs.count(of: piece), chars.count, "round \(round) [\(lo), \(hi)]")
                XCTAssertEqual(TextBytes.characterCount(piece, &crumbs), chars.count)
                // From either end, and just past them.
                let j = Int(rng.next() % UInt64(2 * chars.count + 4)) - chars.count - 2, k = j < 0 ? chars.count + j : j
                let want = k >= 0 && k < chars.count ? String(chars[k]) : nil
                XCTAssertEqual(TextBytes.character(piece, j, &crumbs), want, "round \(round) [\(lo), \(hi)][\(j)]")
                // A count known from the start still has crumbs laid as walks go by.
                if want != nil && piece.utf8.count != chars.count {
                    let laid = TextBytes.withBytes(piece) { crumbs.walker(piece, $0).crumbs?.offsets.count ?? 0 }
                    XCTAssertGreaterThan(laid, k / CharacterCrumbs.step, "round \(round) [\(lo), \(hi)][\(j)]")
                }
            }
        }
        XCTAssertGreaterThan(counted, 100)
        // ASCII without CR is a byte a character, with no crumbs walked;
        // with a CR LF it is walked (the pair is one character).
        for text in [String(repeating: "Post #KDK to win\t\n", count: 1_500), String(repeating: "Post #KDK to win\r\n", count: 1_500)] {
            var crumbs = TextCrumbs()
            crumbs.made(text)
            let chars = Array(text)
            XCTAssertEqual(crumbs.count(of: text), chars.count)
            for i in [0, 1, 17, 18, 1_023, 1_024, 20_000, chars.count - 1, chars.count, -1, -chars.count, -chars.count - 1] {
                let k = i < 0 ? chars.count + i : i
                XCTAssertEqual(TextBytes.character(text, i, &crumbs), k >= 0 && k < chars.count ? String(chars[k]) : nil, "[\(i)]")
            }
            let r = RangeValue(.number(ExactDecimal(5)), .number(ExactDecimal(20_005)), closed: false)
            XCTAssertEqual(try TextBytes.slice(text, r, &crumbs), String(chars[5..<20_005]))
        }
        // A small text, and a machine's call results: only large texts.
        var crumbs = TextCrumbs()
        crumbs.made("发帖赢")
        XCTAssertNil(crumbs.count(of: "发帖赢"))
        let m = Machine(image: try Engine().compile("1").image, limits: Limits(), access: HostAccess(output: { _ in }), isCancelled: { false })
        let s = String(repeating: "Cafe\u{301} 发帖 ", count: 3_000)
        XCTAssertEqual(m.made(.text(s)), .text(s))
        XCTAssertEqual(m.textCrumbs.count(of: s), 24_000)
        // In programs: counts and characters of texts each kind of maker made.
        let post = "Cafe\u{301} 发帖 👨\u{200D}👩\u{200D}👧 🇺🇸", text = Array(repeating: post, count: 3_000).joined(separator: "|")
        let program = """
            let s = join(range(3000).map(i => "Cafe\\u{301} 发帖 👨\\u{200D}👩\\u{200D}👧 🇺🇸"), "|")
            [len(s), len(lower(s)), len(trim(s)), len(replace(s, "a", "aa")), len("\\(s)!"), len(s[5..<20000]),
             len(s[-20000..<-3]), s[20000], upper(s)[-1], s[5..<20000][19994], "\\(s)!"[-1], s[5..<20000][-1]]
            """
        let chars = Array(text), n = chars.count
        let want: [Value] = [n, n, n, n + 3_000, n + 1, 19_995, 19_997].map { .number(ExactDecimal($0)) }
            + [chars[20_000], chars[n - 1], chars[19_999], "!", chars[19_999]].map { .text(String($0)) }
        XCTAssertEqual(try Engine().compile(program).run(), .list(want))
        // Each maker remembers the count: a call in a program, in a lambda
        // and in a function's bytecode, an interpolation, `+` (slices: above;
        // `s` is the oldest of five, no longer kept).
        let makers = try Engine().compile("""
            let s = join(range(3000).map(i => "Cafe\\u{301} 发帖"), "|")
            let l = [s].map(x => lower(x))[0]
            fn up(x) = upper(x)
            let u = up(s)
            let i = "<\\(s)>"
            let j = s + "!"
            0
            """)
        _ = try makers.runReporting(limits: makers.defaultLimits, access: HostAccess(), isCancelled: { false }, inputs: [:], afterwards: { m in
            for (name, count) in [("l", 23_999), ("u", 23_999), ("i", 24_001), ("j", 24_000)] {
                guard let k = makers.globalNames.firstIndex(of: name), case .text(let text) = m.globals[k] else { return XCTFail(name) }
                XCTAssertEqual(m.textCrumbs.count(of: text), count, name)
            }
        })
    }

    /// Reading forward walks on from the last character reached: each
    /// character, every 37th, backward, and back and forth, against an
    /// array of them.
    func testReadingForwardWalksOnFromTheLastCharacterReached() {
        var rng = SplitMix(seed: 37)
        let s = (0..<3_000).map { _ in Self.text(&rng, 4) }.joined(), chars = Array(s)
        XCTAssertGreaterThanOrEqual(s.utf8.count, TextCrumbs.minBytes)
        for stride in [1, 37, 700] {
            var crumbs = TextCrumbs()
            crumbs.made(s)
            for i in Swift.stride(from: 0, through: chars.count, by: stride) {
                XCTAssertEqual(TextBytes.character(s, i, &crumbs), i < chars.count ? String(chars[i]) : nil, "by \(stride) [\(i)]")
            }
        }
        var crumbs = TextCrumbs()
        crumbs.made(s)
        for i in Swift.stride(from: 2_000, to: 1_000, by: -1) {
            XCTAssertEqual(TextBytes.character(s, i, &crumbs), String(chars[i]), "back to [\(i)]")
        }
        for _ in 0..<2_000 {
            let i = Int(rng.next() % UInt64(chars.count)), j = min(chars.count - 1, i + Int(rng.next() % 40))
            XCTAssertEqual(TextBytes.character(s, i, &crumbs), String(chars[i]), "[\(i)]")
            XCTAssertEqual(TextBytes.character(s, j, &crumbs), String(chars[j]), "[\(i)] then [\(j)]")
        }
    }

    /// Plain text where a mark now and then follows a control, so starts a
    /// character of its own: read forward, a walk from such a character
    /// must not take the plain run's way (which would not count it).
    func testReadingForwardFromAMarkThatStartsACharacter() {
        var rng = SplitMix(seed: 41)
        let pieces = ["a", "发", "e\u{301}", "Ж", " ", "Post ", "\t\u{301}", "\n\u{300}\u{301}"]
        let s = (0..<20_000).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined(), chars = Array(s)
        for stride in [1, 2, 3, 17, 150] {
            var crumbs = TextCrumbs()
            crumbs.made(s)
            var mismatches = 0
            for i in Swift.stride(from: 0, to: chars.count, by: stride) where TextBytes.character(s, i, &crumbs) != String(chars[i]) { mismatches += 1 }
            XCTAssertEqual(mismatches, 0, "by \(stride)")
        }
    }

    /// The text used last is known by its storage, without reading its
    /// bytes: not a copy of it, nor a shorter text; a text used again
    /// becomes the last.
    func testTheTextUsedLastIsKnownByItsStorage() {
        let s = String(repeating: "Post #KDK to win ", count: 2_000), t = String(repeating: "发帖赢 Cafe\u{301} ", count: 2_000)
        var crumbs = TextCrumbs()
        crumbs.made(s)
        XCTAssertEqual(crumbs.lastCounted(s)?.count, s.count)
        let copy = String(decoding: Array(s.utf8), as: UTF8.self)
        XCTAssertNil(crumbs.lastCounted(copy))
        XCTAssertEqual(TextBytes.characterCount(copy, &crumbs), s.count)
        XCTAssertNil(crumbs.lastCounted(String(s.dropLast())))
        crumbs.made(t)
        XCTAssertNil(crumbs.lastCounted(s))
        XCTAssertEqual(crumbs.lastCounted(t)?.count, t.count)
        XCTAssertEqual(TextBytes.character(s, -1, &crumbs), " ")
        XCTAssertEqual(crumbs.lastCounted(s)?.count, s.count)
        // From the last text's crumbs: each end, a byte a character or not.
        for (text, chars) in [(s, Array(s)), (t, Array(t))] {
            for i in [0, 1, 1_023, 1_024, 20_000, chars.count - 1, chars.count, -1, -chars.count, -chars.count - 1, Int.min] {
                let k = i < 0 ? chars.count + i : i
                XCTAssertEqual(TextBytes.character(text, i, &crumbs), k >= 0 && k < chars.count ? String(chars[k]) : nil, "[\(i)]")
                XCTAssertTrue(crumbs.lastCounted(text) != nil)
            }
        }
    }

    /// The pieces whose bytes are all plain (a continuation or a mark's lead
    /// CC, or a byte that starts a plain character): a text of them, which
    /// starts with one of class 1, gets a directory.
    static let plainPieces = pieces.filter { $0.utf8.allSatisfy { TextBytes.plainBytes[Int($0)] < 0x10 } }

    /// The directory and the look-up in it (`kdk_plain_find`, with BMI2's
    /// pdep here and without), on random
    /// plain texts of 1 to 700 bytes (whole 64-byte chunks and the bytes
    /// after them), against the standard library's characters: every
    /// character's first byte, the count; and no directory for a text that
    /// starts with a mark, is empty, or holds any other scalar.
    func testPlainDirectoryFindsEachCharacter() {
        var rng = SplitMix(seed: 43)
        XCTAssertTrue(Self.plainPieces.contains("e\u{301}") && Self.plainPieces.contains("\u{301}") && Self.plainPieces.contains("发"))
        let others = Self.pieces.filter { !Self.plainPieces.contains($0) }
        var found = 0
        for round in 0..<1_500 {
            var s = "a"
            if round % 5 == 0 {
                // Runs of one piece (ASCII, then ideographs, then marks...):
                // characters spread unevenly, far from where a guess puts them.
                for _ in 0..<2 + round % 7 { s += String(repeating: Self.plainPieces[Int(rng.next() % UInt64(Self.plainPieces.count))], count: 1 + Int(rng.next() % 300)) }
            }
            while s.utf8.count < 1 + round % 700 { s += Self.plainPieces[Int(rng.next() % UInt64(Self.plainPieces.count))] }
            let bytes = Array(s.utf8), chunks = (bytes.count + 63) / 64
            var before = [UInt32](repeating: 0, count: chunks + 3)
            XCTAssertEqual(kdk_plain_directory(bytes, bytes.count, &before), 1, scalars(s))
            let starts = s.indices.map { s.utf8.distance(from: s.utf8.startIndex, to: $0) }
            XCTAssertEqual(Int(before[chunks]), starts.count, scalars(s))
            for (i, at) in starts.enumerated()
            where kdk_plain_find(bytes, bytes.count, before, i) != at || kdk_plain_find_broadword(bytes, bytes.count, before, i) != at {
                XCTFail("\(scalars(s)) [\(i)]: not byte \(at)"); break
            }
            found += starts.count
            // Any other scalar, anywhere; or a mark first.
            let other = others[Int(rng.next() % UInt64(others.count))], cut = s.index(s.startIndex, offsetBy: Int(rng.next() % UInt64(starts.count)))
            for t in [s[..<cut] + other + s[cut...], "\u{301}" + s] {
                let b = Array(t.utf8)
                var d = [UInt32](repeating: 0, count: (b.count + 63) / 64 + 3)
                XCTAssertEqual(kdk_plain_directory(b, b.count, &d), 0, scalars(t))
            }
        }
        XCTAssertGreaterThan(found, 100_000)
        var none: [UInt32] = [0, 0, 0]
        XCTAssertEqual(kdk_plain_directory([], 0, &none), 0)
    }

    /// A large plain text, read through its crumbs: made by a call, or
    /// counted when first read in full; every 37th character forward, at
    /// random, from the end, and sliced, against an array of characters. The
    /// directory is there for it, and not for a text with an emoji.
    func testLargePlainTextsAreReadByTheirDirectory() throws {
        var rng = SplitMix(seed: 47)
        var s = "Post"
        while s.utf8.count < 40_000 { s += Self.plainPieces[Int(rng.next() % UInt64(Self.plainPieces.count))] }
        let chars = Array(s), n = chars.count
        for madeByACall in [true, false] {
            var crumbs = TextCrumbs()
            if madeByACall { crumbs.made(s) } else { XCTAssertEqual(TextBytes.characterCount(s, &crumbs), n) }
            XCTAssertNotNil(crumbs.lastCounted(s)?.directory)
            for i in stride(from: 0, through: n, by: 37) {
                XCTAssertEqual(TextBytes.character(s, i, &crumbs), i < n ? String(chars[i]) : nil, "[\(i)]")
            }
            for _ in 0..<2_000 {
                let i = Int(rng.next() % UInt64(2 * n + 4)) - n - 2, k = i < 0 ? n + i : i
                XCTAssertEqual(TextBytes.character(s, i, &crumbs), k >= 0 && k < n ? String(chars[k]) : nil, "[\(i)]")
            }
            for _ in 0..<200 {
                let lo = Int(rng.next() % UInt64(n)), hi = lo + Int(rng.next() % UInt64(n - lo + 1))
                let r = RangeValue(.number(ExactDecimal(lo)), .number(ExactDecimal(hi)), closed: false)
                XCTAssertEqual(try TextBytes.slice(s, r, &crumbs), String(chars[lo..<hi]), "[\(lo)..<\(hi)]")
                crumbs.made(s)
            }
        }
        let t = s + "👍" + s
        var crumbs = TextCrumbs()
        crumbs.made(t)
        XCTAssertEqual(crumbs.lastCounted(t)?.count, 2 * n + 1)
        XCTAssertNil(crumbs.lastCounted(t)?.directory)
        XCTAssertEqual(TextBytes.character(t, n, &crumbs), "👍")
        XCTAssertEqual(TextBytes.character(t, 2 * n, &crumbs), String(chars[n - 1]))
    }

    /// Bytes that are each a character: ASCII without CR, at every place in
    /// and after the 64-byte steps.
    func testBytesAreCharactersWhenASCIIWithoutCR() {
        let text = Array(String(repeating: "Post #KDK\t to win\n", count: 12).utf8)
        for n in [0, 1, 15, 63, 64, 65, 130, text.count] {
            XCTAssertEqual(kdk_bytes_are_characters(text, n), 1, "\(n)")
        }
        for at in 0..<text.count {
            for byte: UInt8 in [0x0D, 0x80, 0xE5, 0xFF] {
                var bytes = text
                bytes[at] = byte
                XCTAssertEqual(kdk_bytes_are_characters(bytes, bytes.count), 0, "\(byte) at \(at)")
                XCTAssertEqual(kdk_bytes_are_characters(bytes, at), 1, "\(byte) after \(at)")
            }
        }
    }

    /// A text in a global, read by index in a loop (a plain one in place,
    /// not copied out of the global, when it is the text used last): each
    /// character, from both ends, on ASCII, plain and emoji texts, against
    /// an array of its characters; out of range, the same error as any
    /// index; a list in a global, and a global read before it is evaluated.
    func testIndexingATextInAGlobal() throws {
        for post in ["Post #KDK to win ", "发帖赢 Cafe\u{301} x ", "👍 ok\r\n ", "a"] {
            let text = String(repeating: post, count: 2_000), chars = Array(text), n = chars.count
            let literal = post.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined()
            let prelude = "let s = join(range(2000).map(i => \"\(literal)\"), \"\")\n"
            let all = try Engine().compile(prelude + "range(len(s)).map(i => s[i])").run()
            XCTAssertEqual(all, .list(chars.map { .text(String($0)) }), post)
            let ends = try Engine().compile(prelude + "[s[0], s[-1], s[\(n / 2)], s[-\(n)], range(300).map(i => s[mod(i * 13 + 1, len(s))])]").run()
            XCTAssertEqual(ends, .list([chars[0], chars[n - 1], chars[n / 2], chars[0]].map { .text(String($0)) }
                + [.list((0..<300).map { .text(String(chars[($0 * 13 + 1) % n])) })]), post)
            // Read in a loop, the last read out of range.
            for (i, loop) in [(n, "range(3).map(k => s[k + \(n - 2)])"), (-n - 1, "range(3).map(k => s[\(1 - n) - k])")] {
                XCTAssertThrowsError(try Engine().compile(prelude + loop).run(), post) { error in
                    XCTAssertTrue("\(error)".contains("index \(i) is out of range for a text of \(n) characters"), "\(error)")
                }
            }
        }
        XCTAssertEqual(try Engine().compile("let xs = [1, 2, 3]\nrange(3).map(i => xs[i])").run(), .list([1, 2, 3].map { .number(ExactDecimal($0)) }))
        XCTAssertEqual(try Engine().compile("fn f(i) = s[i]\nlet s = \"abc\"\nf(2)").run(), .text("c"))
    }

    /// `s[lo..<hi]` and `s[lo...hi]` in a program (walking to the ends, or
    /// counting when one is negative) against slicing an array of characters.
    func testSlicesInAProgram() throws {
        var engine = Engine()
        engine.define("s", .text("")); engine.define("lo", .number(.zero)); engine.define("hi", .number(.zero))
        let open = try engine.compile("s[lo..<hi]"), closed = try engine.compile("s[lo...hi]")
        var rng = SplitMix(seed: 9)
        for round in 0..<3_000 {
            let s = round % 2 == 0 ? Self.asciiText(&rng, 8) : Self.text(&rng, 8)
            let chars = Array(s), n = chars.count
            let lo = Int(rng.next() % UInt64(2 * n + 5)) - n - 2, hi = Int(rng.next() % UInt64(2 * n + 5)) - n - 2
            func clamp(_ i: Int) -> Int { min(n, max(0, i < 0 ? n + i : i)) }
            let a = clamp(lo), b = clamp(hi), bc = hi < 0 && n + hi < 0 ? b : min(n, clamp(hi) + (clamp(hi) < n ? 1 : 0))
            let inputs: [String: Value] = ["s": .text(s), "lo": .number(ExactDecimal(lo)), "hi": .number(ExactDecimal(hi))]
            XCTAssertEqual(try open.run(inputs: inputs), .text(String(chars[a..<max(a, b)])), "\(scalars(s)) [\(lo)..<\(hi)]")
            XCTAssertEqual(try closed.run(inputs: inputs), .text(String(chars[a..<max(a, bc)])), "\(scalars(s)) [\(lo)...\(hi)]")
        }
    }

    /// Every sequence of up to 3 bytes from a set that covers each UTF-8
    /// boundary (and random longer ones): valid exactly when the standard
    /// library can make a String of them.
    func testUTF8ValidityAsTheStandardLibraryDecides() {
        let edges: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF,
                              0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
        var cases: [[UInt8]] = [[]]
        for a in edges { cases.append([a]); for b in edges { cases.append([a, b]); for c in edges { cases.append([a, b, c]) } } }
        var rng = SplitMix(seed: 10)
        for _ in 0..<200_000 { cases.append((0..<Int(rng.next() % 7)).map { _ in edges[Int(rng.next() % UInt64(edges.count))] }) }
        for _ in 0..<2_000 { cases.append(Array(Self.text(&rng).utf8)) }
        for bytes in cases {
            XCTAssertEqual(bytes.withUnsafeBufferPointer(TextBytes.isValidUTF8), String(validating: bytes, as: UTF8.self) != nil, "\(bytes)")
        }
    }

    /// The eight-bytes-at-a-time tests against a byte-by-byte look.
    /// Counting a byte eight at a time, and finding a needle (looking at the
    /// next bytes before calling memchr), against plain loops over random
    /// bytes of every length up to 70, including the high bytes.
    func testCountAndFindAsPlainLoops() {
        var rng = SplitMix(seed: 12)
        let alphabet: [UInt8] = [0x00, 0x01, 0x0D, 0x61, 0x62, 0x7F, 0x80, 0xE1, 0xFE, 0xFF]
        for round in 0..<20_000 {
            let hay = (0..<round % 71).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let needle = (0..<1 + Int(rng.next() % 2)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let from = hay.isEmpty ? 0 : Int(rng.next() % UInt64(hay.count))
            hay.withUnsafeBufferPointer { h in
                needle.withUnsafeBufferPointer { n in
                    XCTAssertEqual(TextBytes.count(n[0], in: h), hay.filter { $0 == n[0] }.count, "\(hay) \(n[0])")
                    let want = hay.count - needle.count < from ? nil : (from...(hay.count - needle.count)).first { Array(hay[$0..<$0 + needle.count]) == needle }
                    XCTAssertEqual(TextBytes.find(n, in: h, from: from), want, "\(needle) in \(hay) from \(from)")
                }
            }
        }
    }

    func testWordTests() {
        var rng = SplitMix(seed: 13)
        let interesting: [UInt8] = [0, 1, 10, 13, 34, 44, 0x7F, 0x80, 0xBF, 0xC0, 0xE4, 0xFF]
        for _ in 0..<200_000 {
            let bytes = (0..<8).map { _ in rng.next() % 2 == 0 ? interesting[Int(rng.next() % UInt64(interesting.count))] : UInt8(truncatingIfNeeded: rng.next()) }
            let w = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            for x: UInt8 in [10, 13, 34, 44] { XCTAssertEqual(TextBytes.has(w, x), bytes.contains(x), "\(bytes) \(x)") }
            XCTAssertEqual(TextBytes.scalarStarts(w), bytes.filter { $0 & 0xC0 != 0x80 }.count, "\(bytes)")
        }
    }

    /// The hashtag scan as it was, over an array of scalars (the reference).
    static func hashtagsByScalars(_ s: String) -> [String] {
        let scalars = Array(s.unicodeScalars)
        var out: [String] = []
        var i = 0
        while i < scalars.count {
            if scalars[i] == "#", i == 0 || HashtagRule.startsTag(after: scalars[i - 1]) {
                var j = i + 1
                while j < scalars.count && HashtagRule.isTagCharacter(scalars[j]) { j += 1 }
                if j > i + 1 { out.append(String(String.UnicodeScalarView(scalars[i..<j]))) }
                i = j
            } else {
                i += 1
            }
        }
        return out
    }
}
