import Foundation
import XCTest
@testable import KDK
@testable import KDKModels

/// `mark_copies` against an exact all-pairs computation on generated posts
/// with planted copies (exact, words inserted, deleted or swapped, emoji and
/// punctuation changed, full-width forms, Latin and CJK): no row is marked
/// that the exact answer does not mark, every copy at the threshold + 0.05
/// or more is found, and the answer does not depend on the input order or
/// the thread count.
final class OriginalityTests: XCTestCase {
    static let latin = ["launchpad", "kdk", "token", "campaign", "great", "project", "today", "join", "community", "reward",
                        "early", "future", "build", "market", "trade", "post", "win", "friends", "love", "moon"]
    static let cjk = ["发帖", "赢", "新币", "项目", "前景", "一起", "冲", "社区", "奖励", "今天", "看好", "未来", "交易", "朋友"]

    /// Posts, each an original or a planted copy (by another author, or its
    /// own author re-posting), in time order; seeded.
    static func posts(_ n: Int, seed: UInt64) -> [(id: Int, author: String, minute: Int, text: String)] {
        var rng = SplitMix(seed: seed)
        func below(_ k: Int) -> Int { Int(rng.next() % UInt64(k)) }
        var out: [(id: Int, author: String, minute: Int, text: String)] = []
        var words: [[String]] = []
        for i in 0..<n {
            let author = "u\(below(n / 4 + 1))"
            var text: [String]
            if words.isEmpty || below(3) != 0 {
                let pool = below(2) == 0 ? latin : cjk
                text = (0..<(8 + below(16))).map { _ in pool[below(pool.count)] }
            } else {
                text = words[below(words.count)]
                switch below(6) {
                case 0: break                                             // exact
                case 1: text.insert(latin[below(latin.count)], at: below(text.count + 1))
                case 2: if text.count > 2 { text.remove(at: below(text.count)) }
                case 3: if text.count > 3 { let k = below(text.count - 1); text.swapAt(k, k + 1) }
                case 4: text.append(["🚀", "!!", "🔥", "。"][below(4)])
                default: text = text.map { $0 == "kdk" ? "ＫＤＫ" : $0 }   // full width, folded by NFKC
                }
            }
            words.append(text)
            let tag = below(2) == 0 ? "#PostToWinLaunchpadKDK" : "#发帖赢Launchpad新币KDK"
            out.append((i + 1, author, i, text.joined(separator: " ") + " " + tag))
        }
        return out
    }

    func source(_ posts: [(id: Int, author: String, minute: Int, text: String)], threshold: String) -> String {
        let rows = posts.map { p in
            "{id: \(p.id), author: \"\(p.author)\", time: 2025-12-19T12:00Z + \(p.minute) minutes, text: \"\(p.text)\"}"
        }
        return "let posts = [\(rows.joined(separator: ",\n"))]\n"
            + "mark_copies(posts, text: p => p.text, owner: p => p.author, similarity: \(threshold)).map(p => [p.id, p.copy_of, p.similarity])"
    }

    /// The exact answer: for each post, the earliest earlier one at least
    /// `t` similar; a copy when its author is another.
    func exact(_ posts: [(id: Int, author: String, minute: Int, text: String)], _ t: Double) -> [(copyOf: Int?, best: Double?)] {
        let sets = posts.map { Originality.shingles($0.text) }
        return posts.indices.map { j in
            for i in 0..<j {
                let sim = Originality.jaccard(sets[i], sets[j]).doubleValue
                if sim >= t { return (posts[i].author != posts[j].author ? posts[i].id : nil, sim) }
            }
            return (nil, nil)
        }
    }

    func marked(_ src: String, threads: Int = 2) throws -> [[Value]] {
        var limits = Limits()
        limits.threads = threads
        guard case .list(let rows) = try CoreModels.engine().compile(src).run(limits: limits) else { throw EvalError("not a list") }
        return rows.map { if case .list(let r) = $0 { return r.array }; return [] }
    }

    func testAgainstAllPairs() throws {
        let posts = Self.posts(1_500, seed: 34)
        for t in [0.85, 0.7] {
            let want = exact(posts, t)
            let got = try marked(source(posts, threshold: "\(t)"))
            var found = 0, missedNearThreshold = 0, planted = 0
            for (k, row) in got.enumerated() {
                let copyOf: Int? = { if case .number(let d) = row[1] { return d.intValue }; return nil }()
                if let c = copyOf {
                    // Never a false positive: the pair is verified exactly.
                    guard case .number(let sim) = row[2] else { return XCTFail("no similarity for \(k)") }
                    let exactSim = Originality.jaccard(Originality.shingles(posts[c - 1].text), Originality.shingles(posts[k].text))
                    XCTAssertEqual(sim, exactSim)
                    XCTAssertGreaterThanOrEqual(sim.doubleValue, t)
                }
                if want[k].copyOf != nil { planted += 1 }
                if copyOf == want[k].copyOf { if copyOf != nil { found += 1 } ; continue }
                // A difference only where the exact answer's pair is below t + 0.05.
                XCTAssertLessThan(want[k].best ?? 1, t + 0.05, "post \(k + 1) at \(t): got \(String(describing: copyOf)), want \(String(describing: want[k].copyOf))")
                missedNearThreshold += 1
            }
            XCTAssertGreaterThan(planted, 200, "the generator plants copies")
            print("mark_copies at \(t): \(found) of \(planted) copies found exactly, \(missedNearThreshold) differ near the threshold")
        }
    }

    func testTheSameAnswerInAnyOrderOnAnyThreadCount() throws {
        let posts = Self.posts(600, seed: 7)
        let one = try marked(source(posts, threshold: "0.85"), threads: 1)
        XCTAssertEqual(try marked(source(posts, threshold: "0.85"), threads: 4).map { $0.map { $0.literal() } }, one.map { $0.map { $0.literal() } })
        var rng = SplitMix(seed: 3)
        let shuffled = posts.shuffled(using: &rng)
        let byID = Dictionary(uniqueKeysWithValues: try marked(source(shuffled, threshold: "0.85")).map { ($0[0].literal(), $0.map { $0.literal() }) })
        for row in one { XCTAssertEqual(byID[row[0].literal()], row.map { $0.literal() }) }
    }

    /// Every scalar the fast path reads directly is one character whose NFKC
    /// and lower case form is the scalar it gives.
    func testDirectScalarsAreTheirOwnNormalForm() {
        var checked = 0
        for v in UInt32(0)...0x1FFFF {
            guard let to = Originality.direct(v), let u = Unicode.Scalar(v), let t = Unicode.Scalar(to) else { continue }
            let folded = String(Character(u)).precomposedStringWithCompatibilityMapping.lowercased()
            XCTAssertEqual(folded.unicodeScalars.map(\.value), [t.value], String(format: "U+%04X", v))
            checked += 1
        }
        XCTAssertGreaterThan(checked, 22_000)
    }

    /// The fast similarity (codes and keys, no strings) equals the defining
    /// one (NFKC strings, sets of 3-character strings) on texts mixing every
    /// kind of character: ASCII, full-width forms, CJK, emoji alone and with
    /// a skin tone or a joiner, combining marks, ideographic spaces, URLs, #tags.
    func testTheFastMeasureEqualsTheDefinition() {
        let pieces = ["kdk", "KDK", "ＫＤＫ", "Ｌａｕｎｃｈ", "发帖", "赢新币", "🚀", "👍🏽", "👨‍👩‍👧", "é", "e\u{301}", "İstanbul", "ß", "ﬁ",
                      "，", "！", "。", "“好”", "—", "#发帖赢Launchpad新币KDK", "#tag", "＃tag", "https://x.co/a", "HTTP://Y", "\u{3000}",
                      "\t", " ", "  ", "\r\n", "a", "ab", "moon", "٣", "Ω", "Å", "㍿", "½"]
        var rng = SplitMix(seed: 11)
        // Half the texts only of pieces the fast path reads directly.
        let direct = pieces.filter { $0.unicodeScalars.allSatisfy { Originality.direct($0.value) != nil } }
        XCTAssertGreaterThan(direct.count, 20)
        func text(_ from: [String]) -> String {
            (0..<Int(rng.next() % 12)).map { _ in from[Int(rng.next() % UInt64(from.count))] }.joined(separator: rng.next() % 3 == 0 ? "" : " ")
        }
        var texts = (0..<400).map { k in text(k % 2 == 0 ? direct : pieces) }
        texts += ["", " ", "a", "ab", "abc", "#only", "http://only", "Ａ", "👍🏽"]
        for (a, b) in zip(texts, texts.shuffled(using: &rng) + texts) {
            XCTAssertEqual(Originality.similarity(a, b), Originality.jaccard(Originality.shingles(a), Originality.shingles(b)), "\(a.debugDescription) vs \(b.debugDescription)")
        }
        for t in texts {
            XCTAssertEqual(Originality.similarity(t, t), ExactDecimal(Originality.shingles(t).isEmpty ? 0 : 1), t.debugDescription)
        }
    }

    /// The parameters keep their promise for every threshold from 0.1 in steps of 0.05.
    func testBandsMissUnderOneInAMillionAtTheThresholdPlusFive() {
        for k in 2...19 {
            let t = Double(k) * 0.05
            let (b, r) = Originality.bands(for: t)
            XCTAssertLessThanOrEqual(b * r, Originality.maxHashes)
            XCTAssertLessThan(Originality.missProbability(min(0.999, t + 0.05), bands: b, rows: r), 1e-6, "t = \(t)")
            XCTAssertLessThanOrEqual(Originality.missProbability(t, bands: b, rows: r), 0.01, "t = \(t)")
        }
    }
}

extension SplitMix: RandomNumberGenerator {}
