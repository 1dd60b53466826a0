import Foundation
import XCTest
@testable import KDK
import KDKModels

/// A campaign's rules and score over a table's rows are evaluated over its
/// columns (`ColumnPlan`); whatever the rule, the award must be the one
/// calling the rule on each row gives: the same winners, exclusions and
/// values, or the same error.
final class ColumnPlanTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var rng = SplitMix(seed: 7)
        // `maybe` and `flag` have empty cells (none), and `late` from row 300
        // on (an error there is met over columns, not in the first rows run
        // in order); the rest have none, so that most rules run without error.
        // `post` is a different text on every row (a text column, read as
        // bytes by `hashtags`), empty on one late row.
        var csv = "id,author,likes,maybe,late,price,text,ok,flag,time,post\n"
        for i in 0..<400 {
            let likes = "\(Int(rng.next() % 50) - 5)"
            let maybe = rng.next() % 4 == 0 ? "" : "\(rng.next() % 30)"
            let price = ["1.50", "0.25", "3", "2.125"][Int(rng.next() % 4)]
            let text = ["gm #KDK", "#PostToWinLaunchpadKDK hi", "plain words", "#发帖赢Launchpad新币KDK 冲", "\"a, b #x\"", "\"\"",
                        "#KDK and #PostToWinLaunchpadKDK"][Int(rng.next() % 7)]
            let ok = ["true", "false"][Int(rng.next() % 2)]
            let flag = ["true", "false", ""][Int(rng.next() % 3)]
            let time = "2025-12-\(19 + Int(rng.next() % 12))T\(10 + Int(rng.next() % 10)):00+08:00"
            let late = i < 300 ? "\(rng.next() % 9)" : ""
            // Authors repeat (one prize each); two spellings of Café are one author.
            let author = i % 10 == 3 ? ["Caf\u{E9}", "Cafe\u{301}", "发帖"][i / 10 % 3] : "a\(rng.next() % 40)"
            let post = i == 350 ? "" : ["gm #KDK", "#PostToWinLaunchpadKDK hi", "x#KDK", "#发帖赢Launchpad新币KDK 冲", "#KDK and #PostToWinLaunchpadKDK",
                                         "Cafe\u{301}#KDK", "#KDK\u{301}"][Int(rng.next() % 7)] + " \(i)"
            csv += "\(i + 1),\(author),\(likes),\(maybe),\(late),\(price),\(text),\(ok),\(flag),\(time),\(post)\n"
        }
        try Data(csv.utf8).write(to: dir.appendingPathComponent("posts.csv"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// The award's result (or error) over the table's rows and over the same
    /// rows as plain records, and whether the first used the columns.
    func both(rules: [String], score: String, fields: String = "", entries: String = "read_csv(\"posts.csv\")") throws -> (columns: String, rows: String, usedColumns: Bool) {
        func run(_ entries: String) throws -> (String, Bool) {
            let src = """
                unit KDK decimals 2
                let entries = \(entries)
                let topics = ["#发帖赢Launchpad新币KDK", "#PostToWinLaunchpadKDK"].map(lower)
                let few = ["a1", "a2", "a3"]
                campaign C {
                  window = 2025-12-19T12:00+08:00 ..< 2025-12-30T24:00+08:00
                  pool   = 2_000 KDK
                  tiers  = [tier(1, 400 KDK), tier(2...6, 200 KDK), tier(7...21, 40 KDK)]
                  rules  = [\(rules.enumerated().map { "rule(\"r\($0.offset)\", p => \($0.element))" }.joined(separator: ", "))]
                  score(p) = \(score)
                  qualifies = p => p.ok or mod(p.id, 3) == 0
                  \(fields)
                }
                C.award(entries)
                """
            do {
                let (outcome, counts) = try CoreModels.engine().compile(src).runCounting(access: HostAccess(fileRoot: dir, allowWrite: false, output: { _ in }))
                return (try outcome.get().literal(), counts.columnEvaluations > 0)
            } catch { return ("error: \(error)", false) }
        }
        let (columns, used) = try run(entries)
        let (rows, _) = try run("\(entries).map(p => p with {id: p.id})")
        return (columns, rows, used)
    }

    /// Random rules and scores from the parts a plan evaluates, with values
    /// of the wrong kind now and then (none in arithmetic, a number where a
    /// bool is needed), so that errors are compared too.
    func testRandomRulesGiveWhatRowsGive() throws {
        var rng = SplitMix(seed: 2025)
        func pick(_ xs: [String]) -> String { xs[Int(rng.next() % UInt64(xs.count))] }
        func number(_ depth: Int) -> String {
            if depth == 0 {
                return pick(["p.likes", "(p.maybe ?? 0)", "p.price", "(p.maybe ?? p.likes)", "3", "len(p.text)", "2.5", "len(hashtags(p.text))",
                             "p.likes", "p.price", "-p.likes", rng.next() % 8 == 0 ? "p.maybe" : "p.likes", rng.next() % 3 == 0 ? "p.late" : "p.likes"])
            }
            return "(\(number(depth - 1)) \(pick(["+", "-", "*"])) \(number(depth - 1)))"
        }
        func test(_ depth: Int) -> String {
            if depth == 0 {
                return pick([
                    "p.time in window", "p.ok", "(p.flag ?? false)", "\(number(1)) > \(number(0))", "\(number(0)) == \(number(0))",
                    "hashtags(p.text).any(t => lower(t) in topics)", "p.author in few", "p.author not in few",
                    "lower(p.text) == \"gm #kdk\"", "len(trim(p.text)) <= 9", "p.maybe != none", rng.next() % 5 == 0 ? "p.likes" : "p.ok",
                    rng.next() % 5 == 0 ? "p.flag" : "p.ok", "upper(p.author) == \"A7\"",
                    "hashtags(p.text).any(t => len(t) > 4)", "p.price >= 1.5",
                    "hashtags(p.post).any(t => lower(t) in topics)", "len(hashtags(p.post)) > 1",
                    // Other folds over a row's list with a lambda (each a `Fold`, planned like `any`).
                    "hashtags(p.text).all(t => len(t) > 3)", "hashtags(p.text).count(t => lower(t) in topics) > 0",
                    "(hashtags(p.text).first(t => len(t) > 3) ?? \"\") == \"#KDK\"", "len(hashtags(p.text).max_by(t => len(t)) ?? \"\") > 5",
                    "hashtags(p.text).min_by(t => len(t)) == \"#KDK\"",
                    rng.next() % 4 == 0 ? "hashtags(p.text).all(t => len(t))" : "hashtags(p.text).min_by(t => t) != none",
                ])
            }
            switch rng.next() % 4 {
            case 0: return "not (\(test(depth - 1)))"
            case 1: return "(\(test(depth - 1)) and \(test(depth - 1)))"
            case 2: return "(\(test(depth - 1)) or \(test(depth - 1)))"
            default: return test(0)
            }
        }
        var usedColumns = 0, errors = 0
        let rounds = 100
        for round in 0..<rounds {
            let rules = (0..<Int(rng.next() % 3 + 1)).map { _ in test(Int(rng.next() % 3)) }
            let score = rng.next() % 4 == 0 ? "p.likes" : number(Int(rng.next() % 2))
            let (columns, rows, used) = try both(rules: rules, score: score)
            XCTAssertEqual(columns, rows, "round \(round): rules \(rules), score \(score)")
            if used { usedColumns += 1 }
            if columns.hasPrefix("error") { errors += 1 }
        }
        // Not vacuous: most rounds ran over columns, and some compared errors.
        XCTAssertGreaterThan(usedColumns, rounds / 3)
        XCTAssertGreaterThan(errors, 0)
        XCTAssertLessThan(errors, rounds / 2)
    }

    /// A rule read as bools straight from typed columns (`ColumnPlan.bools`)
    /// gives what the rows give: each comparison of integers with a whole
    /// number, either side, at and around equality; bool columns; `not`,
    /// `and`, `or` of them.
    func testRulesReadAsBoolsAsRowByRow() throws {
        for op in ["==", "!=", "<", "<=", ">", ">="] {
            for k in ["3", "-5", "0", "44"] {
                let r = try both(rules: ["p.likes \(op) \(k)", "\(k) \(op) p.likes + 1"], score: "p.likes")
                XCTAssertTrue(r.usedColumns, "\(op) \(k)")
                XCTAssertEqual(r.columns, r.rows, "\(op) \(k)")
            }
        }
        let r = try both(rules: ["not (p.ok and p.likes > 10) or (p.time in window and not p.ok)"], score: "p.likes")
        XCTAssertTrue(r.usedColumns)
        XCTAssertEqual(r.columns, r.rows)
    }

    /// Entries that are rows of a table but not every row once (a row twice,
    /// rows left out): the eligible are kept as columns with their places
    /// among the entries, and the award is the one the rows give.
    func testEntriesThatAreSomeRowsOfATable() throws {
        for entries in ["({let t = read_csv(\"posts.csv\"); t + t})", "read_csv(\"posts.csv\").filter(p => mod(p.id, 3) != 1)"] {
            for score in ["p.likes", "p.price", "p.maybe ?? 1.5"] {
                let r = try both(rules: ["p.likes > 3", "p.time in window"], score: score, entries: entries)
                XCTAssertTrue(r.usedColumns, "\(entries), \(score): \(r.columns)")
                XCTAssertEqual(r.columns, r.rows, "\(entries), \(score)")
            }
        }
    }

    /// The seed campaign's rules run over columns, and what a plan cannot
    /// evaluate (a call of a user function) is called on each row.
    func testWhichLambdasRunOverColumns() throws {
        let seed = try both(rules: ["p.time in window", "hashtags(p.text).any(t => lower(t) in topics)", "p.flag ?? false"],
                            score: "(p.maybe ?? 0) + 2 * p.likes")
        XCTAssertEqual(seed.columns, seed.rows)
        XCTAssertTrue(seed.usedColumns)
        let engine = CoreModels.engine()
        for (lambda, planned) in [("p => p.likes > 3", true), ("p => print(p)", false), ("p => {let x = p.likes; x > 3}", false),
                                  ("p => p.likes > len(few)", true), ("p => p.likes > len(few.map(x => x + 1))", true),
                                  ("p => [p.likes].any(x => x > 1)", false),
                                  ("p => hashtags(p.text).any(t => t == p.author)", true), ("(p, q) => p.likes", false),
                                  ("p => hashtags(p.text).count(t => len(t) > 2) > 0", true),
                                  ("p => hashtags(p.text).max_by(t => len(t)) == \"#x\"", true), ("p => hashtags(p.text).max_by(len) == \"#x\"", false)] {
            let v = try engine.compile("let few = [1]\n\(lambda)").run(access: HostAccess(output: { _ in }))
            guard case .function(let f) = v else { return XCTFail(lambda) }
            XCTAssertEqual(TableRows.canEvaluate(f), planned, lambda)
        }
    }

    /// A part of a rule that does not read the row is worked out once,
    /// whatever the spelling: `topics.map(lower)` inside the rule runs over
    /// columns and gives what the rows give.
    func testRowIndependentCallsAreWorkedOutOnce() throws {
        let spelled = try both(rules: ["hashtags(p.text).any(t => lower(t) in topics.map(lower))"], score: "p.likes")
        XCTAssertEqual(spelled.columns, spelled.rows)
        XCTAssertTrue(spelled.usedColumns)
        let hoisted = try both(rules: ["hashtags(p.text).any(t => lower(t) in topics)"], score: "p.likes")
        XCTAssertEqual(hoisted.columns, spelled.columns)
    }

    /// What the leaderboard passes over (an author's other entries, listed
    /// in bulk, and winners that do not qualify, one at a time) is listed in
    /// the order it ranks them: by score, highest first.
    func testPassedOverEntriesAreListedInRankOrder() throws {
        let src = """
            unit KDK decimals 2
            campaign C {
              pool   = 2_000 KDK
              tiers  = [tier(1, 400 KDK), tier(2...6, 200 KDK), tier(7...21, 40 KDK)]
              rules  = [rule("any", p => p.likes > -10)]
              score(p) = p.likes
              qualifies = p => p.ok or mod(p.id, 3) == 0
            }
            C.award(read_csv("posts.csv")).excluded.map(x => [x.rule, x.score])
            """
        let v = try CoreModels.engine().compile(src).run(access: HostAccess(fileRoot: dir, allowWrite: false, output: { _ in }))
        guard case .list(let rows) = v else { return XCTFail("\(v)") }
        var rules = Set<String>(), scores: [Int] = []
        for row in rows.array {
            guard case .list(let pair) = row, case .text(let rule) = pair.array[0], case .number(let d) = pair.array[1], let s = Int("\(d)") else {
                return XCTFail("\(row)")
            }
            rules.insert(rule)
            scores.append(s)
        }
        XCTAssertEqual(rules, ["one prize per author", "qualifies"])
        XCTAssertEqual(scores, scores.sorted(by: >))
    }

    /// One prize per another field than the author, over a table's rows
    /// (keys are not the authors the leaderboard numbers from the table's
    /// column) and over records: the same award.
    func testOnePrizePerAnotherFieldOverRows() throws {
        for key in ["p.text", "p.likes", "p.flag", "p.author"] {
            let r = try both(rules: ["p.likes > 3"], score: "p.likes", fields: "one_prize_per = p => \(key)")
            XCTAssertEqual(r.columns, r.rows, key)
            XCTAssertTrue(r.columns.contains("one prize per"), key)
        }
    }

    /// A table with a column named as an excluded entry's added field
    /// (`value`) cannot take the rule and value as columns of their own: the
    /// excluded rows are then made one at a time, with the same result.
    func testExcludedRowsOfATableWithAValueColumn() throws {
        var csv = "id,author,likes,value,time,text,ok\n"
        for i in 0..<200 { csv += "\(i + 1),a\(i % 30),\(i % 17),v\(i),2025-12-\(15 + i % 16)T12:00+08:00,#KDK \(i % 5),\(i % 4 != 0)\n" }
        try Data(csv.utf8).write(to: dir.appendingPathComponent("posts.csv"))
        let r = try both(rules: ["p.likes > 3", "p.time in window"], score: "p.likes")
        XCTAssertTrue(r.usedColumns)
        XCTAssertEqual(r.columns, r.rows)
        // The rule's value replaces the row's own `value`, as for a record.
        XCTAssertTrue(r.columns.contains("excluded: [{id: 1, author: \"a0\", likes: 0, value: 0, time: 2025-12-15T12:00+08:00, text: \"#KDK 0\", ok: false, rule: \"r0\"}, "), r.columns)
    }

    /// A call with an effect is never worked out once for all rows: a rule
    /// that prints prints once per row it reaches, as row by row.
    func testEffectsStayPerRow() throws {
        func prints(_ entries: String) throws -> Int {
            let out = Locked<[String]>([])
            let src = """
                unit KDK decimals 2
                fn noisy() = if true then len([print("checked")]) else 0
                campaign C {
                  pool  = 10 KDK
                  tiers = [tier(1, 10 KDK)]
                  rules = [rule("noisy", p => p.likes >= noisy())]
                  score(p) = p.likes
                }
                C.award(\(entries)).entries
                """
            _ = try CoreModels.engine().compile(src).run(access: HostAccess(fileRoot: dir, allowWrite: false, output: { line in out.update { $0.append(line) } }))
            return out.value.count
        }
        let rows = try prints("read_csv(\"posts.csv\").map(p => p with {id: p.id})")
        XCTAssertGreaterThan(rows, 1)
        XCTAssertEqual(try prints("read_csv(\"posts.csv\")"), rows)
    }

    /// Whole-number scores and tie-break keys are ranked as integers (times
    /// as seconds, then nanoseconds); a fractional score is ranked by
    /// comparing values. Both must give the same order, through ties on
    /// score, time, nanoseconds, id and a campaign's own tie-break list.
    func testRankOrderOnIntegersAsOnValues() throws {
        var rng = SplitMix(seed: 77)
        for trial in 0..<12 {
            var csv = "id,author,likes,b,time\n"
            let nanos = trial % 3 == 0
            for i in 0..<300 {
                let second = Int(rng.next() % 3), fraction = nanos ? ".\(rng.next() % 2)" : ""
                csv += "\(Int(rng.next() % 1000)),a\(i % 90),\(rng.next() % 4),\(rng.next() % 3),2025-12-20T12:00:0\(second)\(fraction)+08:00\n"
            }
            try Data(csv.utf8).write(to: dir.appendingPathComponent("ties.csv"))
            let tie = ["", "tie_break = p => [p.b, p.time, p.id]", "tie_break = p => [p.b, p.time, p.b, p.id, p.likes]"][trial % 3]
            func ranks(_ score: String) throws -> String {
                let src = """
                    unit KDK decimals 2
                    campaign C {
                      pool  = 100 KDK
                      tiers = [tier(1...40, 1 KDK)]
                      rules = [rule("any", p => p.likes >= 0)]
                      score(p) = \(score)
                      \(tie)
                    }
                    C.award(read_csv("ties.csv")).winners.map(w => [w.id, w.author, w.rank])
                    """
                return try CoreModels.engine().compile(src).run(access: HostAccess(fileRoot: dir, allowWrite: false, output: { _ in })).literal()
            }
            XCTAssertEqual(try ranks("p.likes"), try ranks("p.likes * 1.0"), "trial \(trial), \(tie)")
        }
    }

    /// Whole-number arithmetic over integer columns is done on 64-bit
    /// integers (`ColumnPlan.integers`): the scores must be the numbers the
    /// row-by-row path gives, also where a step passes 64 bits (the general
    /// path then takes over), with percentages, none, decimals and units
    /// left to it.
    func testWholeNumberArithmeticAsRowByRow() throws {
        for score in ["p.likes + 2 * p.id - 3 * p.likes", "-p.likes * 7", "p.likes * 9223372036854775807", "-(p.likes - 9223372036854775807) - 9",
                      "p.id * 4611686018427387904 + p.likes", "9223372036854775807 + p.likes", "-9223372036854775807 - p.likes - 1",
                      "p.likes * 10%", "(p.maybe ?? 0) * 2 + p.likes", "p.price * 2 + p.likes", "p.likes * 1.5", "p.likes - p.likes", "p.maybe * 2 + 1"] {
            let r = try both(rules: ["p.likes > -10"], score: score)
            // A none in arithmetic is an error over columns too: then each row is run.
            XCTAssertEqual(r.usedColumns, !score.hasPrefix("p.maybe"), score)
            XCTAssertEqual(r.columns, r.rows, score)
        }
    }

    /// A time column against a range of times is compared on the instants
    /// (`ColumnPlan.timesInRange`): at each end exactly, a nanosecond
    /// either side, in other offsets, and none, `in` and `not in` must give
    /// what each row gives.
    func testTimesInARangeAsRowByRow() throws {
        let times = ["2025-12-19T12:00+08:00", "2025-12-19T04:00Z", "2025-12-19T03:59:59.999999999Z", "2025-12-19T04:00:00.000000001Z",
                     "2025-12-30T24:00+08:00", "2025-12-30T15:59:59.999999999Z", "2025-12-31T00:00:00.000000001+08:00", "", "2025-12-25T01:00-05:30"]
        var csv = "id,author,likes,ok,time\n"
        // Past the first 64 entries, which are run row by row.
        for k in 0..<200 { csv += "\(k + 1),a\(k),\(k),true,\(times[k % times.count])\n" }
        try Data(csv.utf8).write(to: dir.appendingPathComponent("posts.csv"))
        for rule in ["p.time in window", "p.time not in window", "p.time in 2025-12-19T12:00+08:00...2025-12-30T24:00+08:00"] {
            let r = try both(rules: [rule], score: "p.likes")
            XCTAssertTrue(r.usedColumns, rule)
            XCTAssertEqual(r.columns, r.rows, rule)
        }
    }

    /// `read_csv`'s list knows it is every row of its table, in order
    /// (`ValueList.rowsOf`), and an award over it takes the rows by number;
    /// no other list claims it, and the award is the one the same rows give
    /// when found one by one.
    func testAListOfEveryRowKnowsItsTable() throws {
        func list(_ src: String) throws -> ValueList {
            let v = try CoreModels.engine().compile(src).run(access: HostAccess(fileRoot: dir, allowWrite: false, output: { _ in }))
            guard case .list(let l) = v else { XCTFail("\(src): not a list"); return [] }
            return l
        }
        let all = try list("read_csv(\"posts.csv\")")
        guard case .record(let first)? = all.first, let (table, _) = first.tableRow else { return XCTFail("not rows of a table") }
        XCTAssertTrue(all.rowsOf === table)
        XCTAssertEqual(all.count, table.count)
        // Its items are made as read: each the table's row, by index, in
        // order, and as an array (made once, then the same array).
        for (i, item) in all.enumerated() {
            guard case .record(let r) = item, let (t, row) = r.tableRow else { return XCTFail("item \(i) is not a row") }
            XCTAssertTrue(t === table && row == i)
            XCTAssertEqual(all[i], table.rows[i])
        }
        XCTAssertEqual(all.array, table.rows)
        XCTAssertEqual(all.array.withUnsafeBufferPointer { $0.baseAddress }, all.array.withUnsafeBufferPointer { $0.baseAddress })
        XCTAssertEqual(Array(all[2..<5]), Array(table.rows[2..<5]))
        for derived in ["read_csv(\"posts.csv\").filter(p => true)", "read_csv(\"posts.csv\")[0..<400]", "read_csv(\"posts.csv\").sort_by(p => p.id)",
                        "read_csv(\"posts.csv\").map(p => p)", "read_csv(\"posts.csv\") + []"] {
            XCTAssertNil(try list(derived).rowsOf, derived)
        }
        // A row left out: the list is not every row.
        try Data("id,likes\n1,2\n2,x y\n3,4\n".utf8).write(to: dir.appendingPathComponent("bad.csv"))
        XCTAssertNil(try list("read_csv(\"bad.csv\", types: {likes: \"number\"}, on_error: \"skip\")").rowsOf)
        let r = try both(rules: ["p.likes > 3", "p.time in window"], score: "p.likes")
        let filtered = try both(rules: ["p.likes > 3", "p.time in window"], score: "p.likes", entries: "read_csv(\"posts.csv\").filter(p => true)")
        XCTAssertTrue(r.usedColumns && filtered.usedColumns)
        XCTAssertEqual(r.columns, filtered.columns)
    }

    /// Grouping rows by a text column from its bytes (`TableRows.groups`,
    /// the leaderboard's one-prize keys): each row's group numbered in order
    /// of first appearance and each group's first row, as a dictionary of
    /// the texts gives them, for ASCII and other texts, over all rows or some.
    func testGroupsByATextColumnAsByItsTexts() throws {
        var rng = SplitMix(seed: 23)
        for (trial, pool) in [["a", "b1", "a longer author name", "", "zz"], ["Caf\u{E9}", "Cafe\u{301}", "x", "发帖"]].enumerated() {
            var csv = "id,author\n"
            for k in 0..<5_000 { csv += "\(k),\"\(pool[Int(rng.next() % UInt64(pool.count))])\(rng.next() % 700)\"\n" }
            try Data(csv.utf8).write(to: dir.appendingPathComponent("g\(trial).csv"))
            let v = try CoreModels.engine().compile("read_csv(\"g\(trial).csv\", types: {author: \"text\"})")
                .run(access: HostAccess(fileRoot: dir, allowWrite: false, output: { _ in }))
            guard case .list(let all) = v else { return XCTFail("not a list") }
            let picked = all.array.enumerated().filter { $0.offset % 3 != 1 }.map { $0.element }
            for entries in [all.array, picked] {
                guard let rows = TableRows(entries[...]), let (group, first, count) = rows.groups(by: "author"),
                      let (bare, none, same) = rows.groups(by: "author", firsts: false) else { return XCTFail("no groups") }
                XCTAssertEqual(bare, group)
                XCTAssertEqual(none, [])
                XCTAssertEqual(same, count)
                XCTAssertEqual(count, first.count)
                var index: [String: Int] = [:], want: [Int] = [], wantFirst: [Int] = []
                for (k, e) in entries.enumerated() {
                    guard case .record(let r) = e, case .text(let author)? = r["author"] else { return XCTFail("no author") }
                    if let g = index[author] { want.append(g); continue }
                    index[author] = wantFirst.count
                    want.append(wantFirst.count)
                    wantFirst.append(k)
                }
                XCTAssertEqual(group.map(Int.init), want)
                XCTAssertEqual(first, wantFirst)
            }
        }
    }
}
