import Foundation
import XCTest
import KDK
@testable import KDKRepl

final class SessionTests: XCTestCase {
    /// What a session wrote: results and diagnostics.
    final class Out: Sendable {
        let written = Locked<[String]>([]), diagnostics = Locked<[String]>([])
        var lines: [String] { written.value }
        var errors: [String] { diagnostics.value }
    }

    func session(_ root: URL = FileManager.default.temporaryDirectory) -> (Session, Out) {
        let out = Out()
        let s = Session(root: root, output: { line in out.written.update { $0.append(line) } },
                        errors: { e in out.diagnostics.update { $0.append(e) } })
        return (s, out)
    }

    func testDefinitionsPersistAndRedefinitionReplaces() {
        let (s, out) = session()
        s.handle("let hurdle = 10%")
        s.handle("scenario S {\n  capex = 5T USD\n  need = capex * hurdle\n}")
        s.handle("S.need")
        s.handle("let hurdle = 12%")
        s.handle("S.need")
        XCTAssertEqual(out.lines, ["500,000,000,000.00 USD", "600,000,000,000.00 USD"])
        XCTAssertEqual(out.errors, [])
    }

    /// Where checking cannot tell (rows read from a file), `:type` and Tab
    /// use the values the session has; a redefinition forgets them.
    func testTypeAndCompletionUseLiveValues() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "id,author,likes\n1,li,30\n".write(to: folder.appendingPathComponent("posts.csv"), atomically: true, encoding: .utf8)
        let (s, out) = session(folder)
        s.handle("let name = \"posts.csv\"")
        s.handle("let posts = read_csv(name)")
        s.handle(":type posts[0].likes")
        s.handle(":type posts")
        XCTAssertEqual(out.lines, ["number", "list of 1 records {id, author, likes}"])
        XCTAssertEqual(s.completions(line: "posts[0].a", cursor: 10).candidates, ["author"])
        XCTAssertEqual(Array(s.completions(line: "posts[0].", cursor: 9).candidates.prefix(3)), ["author", "id", "likes"])
        s.handle("let name = \"other.csv\"")
        XCTAssertNil(s.values["posts"], "posts may depend on name")
        XCTAssertEqual(out.errors, [])
    }

    /// A table wider than the terminal is cut to fit it.
    func testTablesFitTheTerminal() {
        let (s, out) = session()
        s.width = { 60 }
        s.handle("[{id: 1, text: \"a long text that does not fit the terminal at all\", likes: 3, kyc_verified: true}]")
        XCTAssertEqual(out.lines.last?.components(separatedBy: "\n"), [
            "id  text                                      likes",
            "──  ────────────────────────────────────────  ─────",
            " 1  a long text that does not fit the termi…      3",
            "… 1 more column: kyc_verified",
        ].map { $0 })
    }

    func testLastResultIsUnderscore() {
        let (s, out) = session()
        s.handle("21 * 2")
        s.handle("_ + 1")
        XCTAssertEqual(out.lines, ["42", "43"])
    }

    func testErrorsDoNotEndTheSessionOrKeepBrokenDefinitions() {
        let (s, out) = session()
        s.handle("let x = nope")
        s.handle("let y = 1")
        s.handle("y")
        XCTAssertEqual(out.lines, ["1"])
        XCTAssertEqual(out.errors.count, 1)
        XCTAssertTrue(out.errors[0].contains("'nope' is not defined"))
        XCTAssertFalse(s.definitions.contains { $0.name == "x" })
    }

    func testMetaCommands() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-repl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "let a = 1\nfn twice(x) = x * 2\n".write(to: dir.appendingPathComponent("defs.kdk"), atomically: true, encoding: .utf8)
        let (s, out) = session(dir)
        s.handle(":load defs.kdk")
        s.handle("twice(a)")
        s.handle(":env")
        XCTAssertTrue(out.lines.contains("2"))
        XCTAssertTrue(out.lines.last!.contains("let a = 1") && out.lines.last!.contains("fn twice(x)"))
        try "let a = 5\nfn twice(x) = x * 2\n".write(to: dir.appendingPathComponent("defs.kdk"), atomically: true, encoding: .utf8)
        s.handle(":reload")
        s.handle("twice(a)")
        XCTAssertEqual(out.lines.last, "10")
        s.handle(":help pmt")
        XCTAssertTrue(out.lines.last!.hasPrefix("pmt(rate, nper, pv"))
        s.handle(":time 1 + 1")
        XCTAssertTrue(out.lines.last!.hasPrefix("("))
        s.handle(":reset")
        XCTAssertTrue(s.definitions.isEmpty)
        s.handle(":lod x")
        XCTAssertTrue(out.errors.last!.contains("did you mean :load"))
        XCTAssertFalse(s.handle(":quit"))
    }

    func testCompletion() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-complete-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertTrue(FileManager.default.createFile(atPath: dir.appendingPathComponent("data/posts.csv").path, contents: Data()))
        let (s, _) = session(dir)
        s.handle("scenario Skeptic { capex = 5T USD; hurdle = 10% }")
        s.handle("let post = {likes: 1, author: \"li\"}")
        XCTAssertEqual(s.completions(line: "Skeptic.ca", cursor: 10).candidates, ["capex"])
        XCTAssertEqual(s.completions(line: "post.li", cursor: 7).candidates, ["likes"])
        // After `expr.`: the value's fields first, then only the functions
        // that take it as their first argument.
        let afterPost = s.completions(line: "post.", cursor: 5).candidates
        XCTAssertEqual(Array(afterPost.prefix(2)), ["author", "likes"])
        XCTAssertTrue(afterPost.contains("keys") && afterPost.contains("to_json"), "\(afterPost)")
        XCTAssertFalse(afterPost.contains("sum") || afterPost.contains("lower") || afterPost.contains("award"), "\(afterPost)")
        s.handle("let xs = [1, 2]")
        let afterList = s.completions(line: "xs.", cursor: 3).candidates
        XCTAssertTrue(afterList.contains("sum") && afterList.contains("map") && afterList.contains("len"), "\(afterList)")
        XCTAssertFalse(afterList.contains("lower") || afterList.contains("pmt"), "\(afterList)")
        XCTAssertEqual(s.completions(line: "Skeptic.", cursor: 8).candidates.prefix(3), ["capex", "hurdle", "name"])
        // A quantity is offered what takes an amount, not what needs a plain number or a date.
        let afterCapex = s.completions(line: "Skeptic.capex.", cursor: 14).candidates
        XCTAssertTrue(afterCapex.contains("round") && afterCapex.contains("format") && afterCapex.contains("to"), "\(afterCapex)")
        XCTAssertFalse(afterCapex.contains("sqrt") || afterCapex.contains("pmt") || afterCapex.contains("days_between") || afterCapex.contains("mod"), "\(afterCapex)")
        XCTAssertFalse(s.completions(line: "Skeptic.", cursor: 8).candidates.contains("award"))
        XCTAssertTrue(s.completions(line: "Ske", cursor: 3).candidates.contains("Skeptic"))
        XCTAssertTrue(s.completions(line: "su", cursor: 2).candidates.contains("sum"))
        XCTAssertEqual(s.completions(line: "le", cursor: 2).candidates, ["leaderboard", "len", "let"])
        XCTAssertEqual(s.completions(line: ":re", cursor: 3).candidates, [":reload", ":reset"])
        XCTAssertEqual(s.completions(line: "read_csv(\"data/po", cursor: 17).candidates, ["data/posts.csv"])
        XCTAssertEqual(s.completions(line: "read_csv(\"da", cursor: 12).candidates, ["data/"])
    }

    func testLoadedFileErrorsNameTheFileAndLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "let a = 1\n\nlet b = a + nope\n".write(to: dir.appendingPathComponent("bad.kdk"), atomically: true, encoding: .utf8)
        try "let rate = 10%\nfn cost(x) = x * rate\n".write(to: dir.appendingPathComponent("good.kdk"), atomically: true, encoding: .utf8)
        let (s, out) = session(dir)
        s.handle(":load bad.kdk")
        XCTAssertEqual(out.errors.last?.split(separator: "\n").first, "bad.kdk:3:13: error: 'nope' is not defined")
        XCTAssertEqual(out.errors.last?.split(separator: "\n").dropFirst().first, "3 | let b = a + nope")
        // A later input that breaks a loaded definition names the file too.
        s.handle(":load good.kdk")
        s.handle("let rate = \"ten\"")
        s.handle("cost(5)")
        XCTAssertEqual(out.errors.last?.split(separator: "\n").first, "good.kdk:2:14: error: cannot multiply a number and a text")
        XCTAssertEqual(s.failures, 2)
    }

    func testWarningsAboutEarlierEntriesAreNotRepeated() {
        let (s, out) = session()
        s.handle("fn sum(xs) = 0")
        XCTAssertEqual(out.errors.count, 1)
        XCTAssertTrue(out.errors[0].hasPrefix("<repl>:1:4: warning: 'sum' hides the library function"), out.errors[0])
        s.handle("nope")
        s.handle("1 + 1")
        XCTAssertEqual(out.errors.count, 2)
        XCTAssertTrue(out.errors[1].hasPrefix("<repl>:1:1: error: 'nope' is not defined"), out.errors[1])
        XCTAssertFalse(out.errors[1].contains("warning"), out.errors[1])
    }

    func testTypeAndDocCommands() {
        let (s, out) = session()
        s.handle("let q = 5 USD")
        s.handle(":type q * 2")
        XCTAssertEqual(out.lines.last, "quantity in USD")
        s.handle(":type q > 1 USD")
        XCTAssertEqual(out.lines.last, "bool")
        s.handle(":type [1, 2]")
        XCTAssertEqual(out.lines.last, "list of numbers")
        s.handle(":type [{a: 1, b: 2 USD}].map(r => r with {c: 3})[0]")
        XCTAssertEqual(out.lines.last, "record {a, b, c}")
        s.handle(":doc pmt")
        XCTAssertEqual(out.lines.last?.split(separator: "\n").first, "pmt(rate, nper, pv, fv: 0, when: \"end\")")
        s.handle(":doc pmtt")
        XCTAssertEqual(out.errors.last, "error: no entry for 'pmtt'; did you mean pmt?")
        XCTAssertEqual(s.failures, 1)
    }

    func testIncompleteInput() {
        XCTAssertTrue(Engine.isIncomplete("scenario S {"))
        XCTAssertTrue(Engine.isIncomplete("[1,"))
        XCTAssertTrue(Engine.isIncomplete("1 +"))
        XCTAssertTrue(Engine.isIncomplete("if x then"))
        XCTAssertFalse(Engine.isIncomplete("1 + 1"))
        XCTAssertFalse(Engine.isIncomplete("xs.map(f)"))
    }
}
