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
        XCTAssertEqual(out.lines, ["500000000000 USD", "600000000000 USD"])
        XCTAssertEqual(out.errors, [])
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
        XCTAssertTrue(s.completions(line: "Ske", cursor: 3).candidates.contains("Skeptic"))
        XCTAssertTrue(s.completions(line: "su", cursor: 2).candidates.contains("sum"))
        XCTAssertEqual(s.completions(line: "le", cursor: 2).candidates, ["len", "let"])
        XCTAssertEqual(s.completions(line: ":re", cursor: 3).candidates, [":reload", ":reset"])
        XCTAssertEqual(s.completions(line: "read_csv(\"data/po", cursor: 17).candidates, ["data/posts.csv"])
        XCTAssertEqual(s.completions(line: "read_csv(\"da", cursor: 12).candidates, ["data/"])
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
