import Foundation
import XCTest

/// End-to-end tests of the `kdk` binary: standard output, standard error
/// and exit status. `scripts/test` builds the binary before running tests.
final class CLITests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Result { var out: String; var err: String; var status: Int32 }

    func kdk(_ args: [String], stdin: String? = nil, env: [String: String] = [:]) throws -> Result {
        let bin = Self.root.appendingPathComponent(".build/debug/kdk")
        guard FileManager.default.isExecutableFile(atPath: bin.path) else {
            throw XCTSkip("build the kdk binary first (swift build)")
        }
        let p = Process()
        p.executableURL = bin
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inp.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self), status: p.terminationStatus)
    }

    func temp(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-cli-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let f = dir.appendingPathComponent(name)
        try text.write(to: f, atomically: true, encoding: .utf8)
        return f.path
    }

    /// `kdk run` and `kdk eval` keep the memory they free
    /// (`kdk_keep_freed_memory`): a sorted list of 1.5 million values (48
    /// MB) made again after the first is freed lands in the first one's
    /// pages, so making it twice takes about the fresh pages (page faults)
    /// of making it once, not twice as many (glibc's defaults unmap such a
    /// block when it is freed).
    func testOneShotRunsReuseTheMemoryTheyFree() throws {
        #if !os(Linux)
        throw XCTSkip("glibc's allocator only")
        #else
        func freshPages(_ program: String) throws -> Int {
            var before = rusage(), after = rusage()
            getrusage(RUSAGE_CHILDREN.rawValue, &before)
            let r = try kdk(["eval", program])
            getrusage(RUSAGE_CHILDREN.rawValue, &after)
            XCTAssertEqual(r.status, 0, r.err)
            return after.ru_minflt - before.ru_minflt
        }
        let list = "sort(range(1500000).map(i => 0 - i))[0]"
        let start = try freshPages("1"), once = try freshPages(list) - start, twice = try freshPages("\(list) + \(list)") - start
        XCTAssertGreaterThan(once, 10_000, "1.5 million values are more than 10,000 pages")
        XCTAssertLessThan(Double(twice), 1.2 * Double(once), "made twice: \(twice) fresh pages, once: \(once)")
        #endif
    }

    /// `kdk fmt`: --check lists what is not formatted and changes nothing;
    /// without it the file is rewritten, keeping its permissions; a file
    /// that does not parse is reported and left alone.
    func testFmtChecksAndRewritesFiles() throws {
        let f = try temp("fmt.kdk", "let x=1+2\nlet posts = [ 1,2 ]\n")
        chmod(f, 0o640)
        let check = try kdk(["fmt", "--check", f])
        XCTAssertEqual(check.status, 1)
        XCTAssertEqual(check.out, "\(f): not formatted (run: kdk fmt \(f))\n")
        XCTAssertEqual(try String(contentsOfFile: f, encoding: .utf8), "let x=1+2\nlet posts = [ 1,2 ]\n")
        let write = try kdk(["fmt", f])
        XCTAssertEqual(write.status, 0, write.err)
        XCTAssertEqual(write.out, "\(f): formatted\n")
        XCTAssertEqual(try String(contentsOfFile: f, encoding: .utf8), "let x = 1 + 2\nlet posts = [1, 2]\n")
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: f)[.posixPermissions] as? NSNumber)?.intValue, 0o640)
        XCTAssertEqual(try kdk(["fmt", "--check", f]).status, 0)

        let broken = try temp("broken.kdk", "let x = (1 +\n")
        let r = try kdk(["fmt", broken])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("broken.kdk:2:1: error: expected an expression, found the end of the input"), r.err)
        XCTAssertEqual(try String(contentsOfFile: broken, encoding: .utf8), "let x = (1 +\n")
    }

    func testEvalPrintsLiteralSyntax() throws {
        let r = try kdk(["eval", "[1, 2.5, \"a\", 0.1 + 0.2 == 0.3]"])
        XCTAssertEqual(r.out, "[1, 2.5, \"a\", true]\n")
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(try kdk(["eval", "9223372036854775807 + 1"]).out, "9223372036854775808\n")
    }

    func testRunShowsLastValueAndTables() throws {
        let f = try temp("t.kdk", "let rows = [{author: \"李雷\", prize: 400}, {author: \"bob\", prize: 40}]\nrows\n")
        let r = try kdk(["run", f])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.out, """
            author  prize
            ──────  ─────
            李雷      400
            bob        40

            """)
    }

    /// `kdk run FILE` alone skips the argument parser (KDKCommand.main): it
    /// must run with the limits the parsed command has by default, here the
    /// depth and size limits, given explicitly to force the parser.
    func testRunWithoutOptionsHasTheParsedDefaults() throws {
        for source in ["fn f(n) = if n == 0 then 0 else 1 + f(n - 1)\nf(20000)", "len(range(60_000_000))", "1 + 2"] {
            let f = try temp("defaults.kdk", source)
            let fast = try kdk(["run", f])
            let parsed = try kdk(["run", f, "--max-depth", "10000", "--max-size", "50000000", "--max-steps", "200000000"])
            XCTAssertEqual(fast.status, parsed.status, source)
            XCTAssertEqual(fast.out, parsed.out, source)
            XCTAssertEqual(fast.err, parsed.err, source)
        }
        let f = try temp("defaults.kdk", "fn f(n) = if n == 0 then 0 else 1 + f(n - 1)\nf(20000)")
        XCTAssertTrue(try kdk(["run", f]).err.contains("recursion too deep (more than 10000 nested calls"))
    }

    /// `--dump` lists what the checker resolved and what the compiler chose,
    /// and runs nothing (the print would show).
    func testRunDumpListsTheCompiledProgram() throws {
        let f = try temp("dump.kdk", """
            fn fib(n) = if n < 2 then n else fib(n - 1) + fib(n - 2)
            let posts = [{likes: 3}]
            print("ran")
            posts.map(p => p.likes * 2 USD) |> sum
            """)
        let r = try kdk(["run", "--dump", f])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(r.out, """
            global #0 fn fib(n)  frame 1
              if  [bytecode: unless r0 < 2, jump]
                binary <
                  name n -> local #0
                  literal 2  : number
                name n -> local #0
                binary +  [bytecode: r1 = r2 + r3]
                  call  [bytecode: r2 = call fib(r2)]
                    callee: name fib -> global #0 (fib)
                    binary -  [bytecode: r2 = r0 - 1]
                      name n -> local #0
                      literal 1  : number
                  call  [bytecode: r3 = call fib(r3)]
                    callee: name fib -> global #0 (fib)
                    binary -  [bytecode: r3 = r0 - 2]
                      name n -> local #0
                      literal 2  : number
              bytecode (4 registers)
                0: unless r0 < 2 jump 2
                1: return r0
                2: r2 = r0 - 1
                3: r2 = call fib(r2)
                4: r3 = r0 - 2
                5: r3 = call fib(r3)
                6: r1 = r2 + r3
                7: return r1
            global #1 let posts  frame 0
              list (1 item)
                record
                  likes: literal 3  : number  [constant]
            statement 1  frame 0
              call  [library call of print]
                callee: name print -> library print
                text (1 part)
            statement 2  frame 0
              call  [fused pipeline: map → sum]
                callee: name sum -> library sum
                method .map (a field or kind method of the receiver, else library map)
                  receiver: name posts -> global #1 (posts)
                  lambda (p)  frame 1  [over columns, as a campaign's rule or score on a table's rows]
                    binary *  : USD
                      field .likes  : number  [field of local #0, read in place]
                        name p -> local #0
                      amount 2 USD  : USD  [constant]

            """)
        let bad = try kdk(["run", "--dump", try temp("bad.kdk", "1 + nope\n")])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("'nope' is not defined"), bad.err)
    }

    /// `--timings` writes, after the result, one row per top-level
    /// statement to stderr: its line, seconds with seven decimals, and the
    /// statement as written (long ones cut at 60 characters).
    func testRunTimingsListsEachStatement() throws {
        let long = "let posts = [" + (1...12).map { "{likes: \($0)}" }.joined(separator: ", ") + "]"
        let f = try temp("timed.kdk", "unit KDK\n\(long)\nfn double(x) = x * 2\nprint(\"ran\")\n  posts.map(p => double(p.likes)) |> sum\n")
        let r = try kdk(["run", "--timings", f])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(r.out, "ran\n156\n")
        let rows = r.err.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(rows.count, 5, r.err)
        XCTAssertEqual(rows[0], "   line      seconds  statement")
        let row = try Regex("^ {6}([0-9]) +[0-9]+\\.[0-9]{7}  (.*)$")
        var lines: [String] = [], statements: [String] = []
        for text in rows[1...3] {
            guard let m = try row.wholeMatch(in: text) else { return XCTFail("not a row: \(text)") }
            lines.append(String(m.output[1].substring ?? "")); statements.append(String(m.output[2].substring ?? ""))
        }
        XCTAssertEqual(lines, ["2", "4", "5"])
        XCTAssertEqual(statements, [String(long.prefix(59)) + "…", "print(\"ran\")", "posts.map(p => double(p.likes)) |> sum"])
        XCTAssertEqual(rows[4], "")
        XCTAssertEqual(try kdk(["run", f]).err, "", "no table without the flag")
    }

    func testRunJSON() throws {
        let f = try temp("j.kdk", "unit KDK\n{amount: 2_000 KDK, at: 2025-12-19T12:00+08:00, n: 0.1, none: none}\n")
        let r = try kdk(["run", f, "--json"])
        XCTAssertEqual(r.out, "{\"amount\": {\"amount\": 2000, \"unit\": \"KDK\"}, \"at\": \"2025-12-19T12:00+08:00\", \"n\": 0.1, \"none\": null}\n")
    }

    func testCheckRejectsUnitMismatchWithCaret() throws {
        let f = try temp("units.kdk", "unit KDK\nlet pool = 2_000 KDK + 5 USD\n")
        let r = try kdk(["check", f])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("\(f):2:12: error: cannot add these: the units differ: KDK and USD"), r.err)
        XCTAssertTrue(r.err.contains("2 | let pool = 2_000 KDK + 5 USD\n  |            ^^^^^^^^^^^^^^^^^"), r.err)
        XCTAssertTrue(r.err.contains("help:"))
    }

    func testCheckJSONForTools() throws {
        let f = try temp("dup.kdk", "let a = 1\nlet a = 2\nlet b = nope\n")
        let r = try kdk(["check", "--json", f])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.err, "")
        let items = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(items.map { $0["code"] as? String }, ["E0104", "E0101"])
        guard items.count == 2 else { return }
        XCTAssertEqual(items[0]["line"] as? Int, 2)
        XCTAssertEqual(items[0]["column"] as? Int, 5)
        let label = try XCTUnwrap((items[0]["labels"] as? [[String: Any]])?.first)
        XCTAssertEqual(label["message"] as? String, "first defined here")
        XCTAssertEqual(label["line"] as? Int, 1)
        XCTAssertEqual(items[1]["message"] as? String, "'nope' is not defined")
        XCTAssertEqual(items[1]["help"] as? [String], ["did you mean 'none'?"])
    }

    func testCheckOK() throws {
        let f = try temp("ok.kdk", "let x = 1\n")
        let r = try kdk(["check", f])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.out, "\(f): ok\n")
    }

    func testHostileInputsExitOneWithDiagnostic() throws {
        let programs = [
            "fn f(n) = f(n + 1); f(0)": "recursion too deep",
            "range(0, 1e12)": "size limit",
            "fn s(n) = if n == 0 then 0 else s(n - 1) + s(n - 1); s(40)": "step limit",
            "1e999999 * 10": "too large",
            "1 / 0": "division by zero",
            "[1][5]": "out of range",
        ]
        for (src, msg) in programs {
            let r = try kdk(["eval", "--max-steps", "2000000", src])
            XCTAssertEqual(r.status, 1, src)
            XCTAssertTrue(r.err.contains("error: ") && r.err.contains(msg), "\(src): \(r.err)")
        }
        let deep = try temp("deep.kdk", String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000))
        let r = try kdk(["run", deep])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("nested too deeply"))
    }

    func testTimeoutFlag() throws {
        let r = try kdk(["eval", "--timeout", "0.2", "--max-steps", "0", "fn s(n) = if n == 0 then 0 else s(n - 1) + s(n - 1); s(60)"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("time limit"), r.err)
    }

    func testInvalidUTF8() throws {
        let dir = FileManager.default.temporaryDirectory
        let f = dir.appendingPathComponent("bad-\(getpid()).kdk")
        try Data([0x6C, 0x65, 0x74, 0x20, 0x78, 0x20, 0x3D, 0x20, 0xFF, 0x0A]).write(to: f)
        let r = try kdk(["run", f.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains(":1:9: error: invalid UTF-8"), r.err)
    }

    func testUsageErrorsExitTwo() throws {
        XCTAssertEqual(try kdk(["frobnicate"]).status, 2)
        XCTAssertEqual(try kdk(["run"]).status, 2)
        XCTAssertEqual(try kdk(["eval", "1", "--max-depth", "lots"]).status, 2)
    }

    func testHelpAndVersion() throws {
        let h = try kdk(["--help"])
        XCTAssertEqual(h.status, 0)
        XCTAssertTrue(h.out.contains("kdk run"))
        XCTAssertTrue(h.out.contains("Exit status"))
        let v = try kdk(["--version"])
        XCTAssertEqual(v.status, 0)
        XCTAssertTrue(v.out.hasPrefix("0."))
    }

    func testMissingFile() throws {
        let r = try kdk(["run", "/nonexistent/x.kdk"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("cannot read"))
    }

    func testPipedReplPrintsOnlyResults() throws {
        let r = try kdk([], stdin: "1 + 1\nlet x = 5\nx * 2\nlet x = 6\nx * 2\nnope\n[1,\n 2]\n")
        XCTAssertEqual(r.out, "2\n10\n12\n[1, 2]\n")
        XCTAssertTrue(r.err.hasPrefix("<repl>:1:1: error: 'nope' is not defined\n"), r.err)
        // Every entry ran, and the failed one makes the exit status 1.
        XCTAssertEqual(r.status, 1)
        let clean = try kdk([], stdin: "1 + 1\n")
        XCTAssertEqual(clean.status, 0)
        XCTAssertEqual(try kdk([], stdin: ":nope\n2\n").status, 1)
    }

    func testPipedReplKeepsModelsAndFollowsRedefinitions() throws {
        let r = try kdk([], stdin: "let rate = 10%\nscenario S {\n  capex = 5T USD\n  need = capex * rate\n}\nS.need\nlet rate = 12%\nS.need\n")
        XCTAssertEqual(r.out, "500,000,000,000.00 USD\n600,000,000,000.00 USD\n")
    }

    /// Misspells each field read as `p.field` in an example, one at a time,
    /// and expects `kdk check` to fail with `message(field + "x")`; the
    /// example itself checks cleanly. Returns how many fields were tried.
    func assertEveryFieldTypoIsACheckError(_ example: String, message: (String) -> String) throws -> Int {
        let examples = Self.root.appendingPathComponent("examples")
        let source = try String(contentsOf: examples.appendingPathComponent(example), encoding: .utf8)
        let reads = Set(source.matches(of: /\bp\.([a-z_]+)\b/).map { String($0.output.1) })
        let typo = examples.appendingPathComponent(".typo-\(getpid())-\(example)")
        defer { try? FileManager.default.removeItem(at: typo) }
        for field in reads.sorted() {
            try source.replacingOccurrences(of: "p.\(field)", with: "p.\(field)x").write(to: typo, atomically: true, encoding: .utf8)
            let r = try kdk(["check", typo.path])
            XCTAssertEqual(r.status, 1, field)
            XCTAssertTrue(r.err.contains(message(field + "x")), r.err)
        }
        XCTAssertEqual(try kdk(["check", examples.appendingPathComponent(example).path]).status, 0)
        return reads.count
    }

    /// Every read of an entry's field in examples/campaign.kdk's rules and
    /// score, misspelt, is a `kdk check` error naming the field (against the
    /// campaign's `entry = Post`, which `kdk sql` types the table by).
    func testATypoInAnyRuleOfTheCampaignExampleIsACheckError() throws {
        let tried = try assertEveryFieldTypoIsACheckError("campaign.kdk") { "error: the entries (shape Post) have no field '\($0)'" }
        XCTAssertGreaterThanOrEqual(tried, 8)
    }

    /// The same for examples/first.kdk, the campaign in plain kdk: its rules
    /// and functions are held to `shape Post`, and its lists are known.
    func testATypoInAnyRuleOfThePlainExampleIsACheckError() throws {
        let tried = try assertEveryFieldTypoIsACheckError("first.kdk") { "has no field '\($0)'" }
        XCTAssertGreaterThanOrEqual(tried, 9)
    }

    func testExamplesRunFromTheCommandLine() throws {
        let r = try kdk(["run", Self.root.appendingPathComponent("examples/campaign.kdk").path])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("paid 2,000 KDK, unallocated 0 KDK"), r.out)
        XCTAssertTrue(r.err.contains("warning: AsNested's tiers pay 1600 KDK of its 2000 KDK pool: 400 KDK is never paid"), r.err)
        let rw = try kdk(["run", Self.root.appendingPathComponent("examples/rewards.kdk").path])
        XCTAssertEqual(rw.status, 0, rw.err)
        XCTAssertTrue(rw.out.contains("\npaid [2600 KDK, 4998.76 USDT], unallocated [0 KDK, 1.24 USDT]\n"), rw.out)
        XCTAssertTrue(rw.out.contains("\nthank-you: 407 posters, paid 203.5 KDK, unallocated 796.5 KDK\n"), rw.out)
        let payouts = try String(contentsOf: Self.root.appendingPathComponent("examples/data/payouts.csv"), encoding: .utf8)
        XCTAssertTrue(payouts.hasPrefix("key,KDK,USDT,sections\nprolific,400 KDK,0 USDT,leaderboard\n"), payouts)
        let l = try kdk(["run", Self.root.appendingPathComponent("examples/launchpad.kdk").path])
        XCTAssertEqual(l.status, 0, l.err)
        XCTAssertTrue(l.out.contains("every token accounted for: true"), l.out)
        XCTAssertTrue(l.out.contains("cost + refund == committed: true"), l.out)
        // The essay's figures as ranges: Monte Carlo, goal seek, tornado, whole lines.
        let shown = try exampleLines("ai_capex_ranges.kdk")
        XCTAssertEqual(Array(shown.prefix(4)), [
            "required revenue a year: 688.01B USD (90%: 495.86B USD to 942.40B USD)",
            "chance it is more than 1.5 times Apple's revenue: 78.9%",
            "chance it is more than $650B: 61.4%",
            "capex at which $650B a year is required (10% hurdle, 23% costs): $5,005,000,000,000.00",
        ])
        XCTAssertTrue(shown.contains("capex      │████████████████████████████████████████ 552.60B USD to 854.61B USD"), shown.joined(separator: "\n"))
        let svg = try String(contentsOf: Self.root.appendingPathComponent("examples/ai_capex_tornado.svg"), encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg ") && svg.contains(">capex</text>") && svg.hasSuffix("</svg>\n"), svg)
        // The seed's "original content only" rule, with explain's reasons, whole lines.
        XCTAssertEqual(Array(try exampleLines("originality.kdk").prefix(5)), [
            "575 of 2000 posts copy another author's earlier post; the generator planted 700 copies and re-posts",
            "excluded as not original: 575",
            "post 3 by user108: copy of post 1 by user270 (similarity 0.93)",
            "post 9 by user200: copy of post 2 by user261 (similarity 0.95)",
            "post 19 by user333: copy of post 10 by user450 (similarity 0.87)",
        ])
    }

    /// The lines an example prints, after checking that it ran.
    func exampleLines(_ name: String) throws -> [String] {
        let r = try kdk(["run", Self.root.appendingPathComponent("examples/" + name).path])
        XCTAssertEqual(r.status, 0, r.err)
        return r.out.split(separator: "\n").map(String.init)
    }

    /// Rewards that cannot spend the pool are a warning naming what is never paid.
    func testRewardsBelowThePoolWarn() throws {
        let r = try kdk(["eval", "unit KDK decimals 8\ncampaign C {\n  pool = 100 KDK\n  rewards = [first_come(winners: 10, prize: 1 KDK)]\n}\nC.pool"])
        XCTAssertEqual(r.out, "100 KDK\n")
        XCTAssertTrue(r.err.hasPrefix("<eval>:2:10: warning: C's rewards pay at most 10 KDK of its 100 KDK pool: 90 KDK is never paid\n"), r.err)
    }

    func testPrintGoesToStdout() throws {
        let r = try kdk(["eval", "print(\"hi\", 2); 3"])
        XCTAssertEqual(r.out, "hi 2\n3\n")
    }

    func testNoColorWhenNotATerminal() throws {
        let r = try kdk(["eval", "1 +"])
        XCTAssertFalse(r.err.contains("\u{1B}["))
    }

    /// `kdk check --sql` lists what cannot compile, where it is; `kdk sql`
    /// refuses the campaign with the same diagnostic and prints a query for
    /// one that compiles.
    func testSQLRefusesWhatCannotCompileAndPrintsAQuery() throws {
        let f = try temp("sql.kdk", "unit KDK decimals 8\nshape Post {\n  id: number\n  likes: number\n  shares: number\n}\n"
                         + "campaign C {\n  entry = Post\n  pool = 10 KDK\n  score(p) = p.likes / p.shares\n  tiers = [tier(1, 10 KDK)]\n}\n")
        let check = try kdk(["check", "--sql", "spark", f])
        XCTAssertEqual(check.status, 1)
        XCTAssertEqual(check.err.components(separatedBy: "\n").first,
                       "\(f):10:14: error: score: / has no exact SQL form: kdk divides exactly, engines round (DuckDB divides decimals in binary floating point)")
        let json = try kdk(["check", "--json", "--sql", "postgres", f])
        XCTAssertTrue(json.out.contains("\"code\": \"E0501\""), json.out)
        let sql = try kdk(["sql", f, "--dialect", "duckdb", "--table", "posts"])
        XCTAssertEqual(sql.status, 1)
        XCTAssertEqual(sql.out, "")
        XCTAssertEqual(sql.err.components(separatedBy: "\n").first, check.err.components(separatedBy: "\n").first)

        let seed = Self.root.appendingPathComponent("examples/campaign.kdk").path
        XCTAssertEqual(try kdk(["check", "--sql", "bigquery", seed]).out, "\(seed): ok\n")
        let query = try kdk(["sql", seed, "--campaign", "PostToWinKDK", "--dialect", "spark", "--table", "analytics.posts", "--result", "payouts"])
        XCTAssertEqual(query.status, 0, query.err)
        let lines = query.out.components(separatedBy: "\n")
        XCTAssertEqual(lines[0], "-- kdk sql: PostToWinKDK, payouts, for spark (kdk \(try versionString()))")
        XCTAssertEqual(lines[1], "SET spark.sql.session.timeZone = UTC;")
        XCTAssertTrue(lines.contains("  FROM `analytics`.`posts`"), query.out)
        let many = try kdk(["sql", Self.root.appendingPathComponent("examples/rewards.kdk").path, "--dialect", "duckdb", "--table", "posts"])
        XCTAssertEqual(many.status, 1)
        XCTAssertTrue(many.err.hasSuffix("has 2 campaigns (PostToWinKDK, ThankYou): say which with --campaign NAME\n"), many.err)
    }

    func versionString() throws -> String {
        try kdk(["--version"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
