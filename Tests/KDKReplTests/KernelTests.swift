import Foundation
import XCTest
import KDK
@testable import KDKRepl

/// The notebook kernel's protocol (`kdk kernel --stdio`), request by
/// request: the JSON lines a front end gets back.
final class KernelTests: XCTestCase {
    /// A kernel over a folder with a small CSV, and the lines it wrote.
    func kernel() throws -> (Kernel, Locked<[String]>) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-kernel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "id,author,likes\n1,li,30\n2,wu,50\n".write(to: folder.appendingPathComponent("posts.csv"), atomically: true, encoding: .utf8)
        let lines = Locked<[String]>([])
        let k = Kernel(root: folder, limits: Limits(), write: { line in lines.update { $0.append(line) } })
        return (k, lines)
    }

    static func object(_ line: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? ["unreadable": line]
    }

    func request(_ k: Kernel, _ lines: Locked<[String]>, _ fields: [String: Any]) -> (events: [[String: Any]], reply: [String: Any]) {
        let before = lines.value.count
        k.handle(String(decoding: try! JSONSerialization.data(withJSONObject: fields), as: UTF8.self))
        let written = lines.value[before...].map(KernelTests.object)
        return (Array(written.dropLast()), written.last ?? [:])
    }

    func testExecuteGivesEveryFormOfTheValue() throws {
        let (k, lines) = try kernel()
        let (_, defined) = request(k, lines, ["id": 1, "op": "execute", "code": "let posts = read_csv(\"posts.csv\")"])
        XCTAssertEqual(defined["status"] as? String, "ok")
        XCTAssertTrue(defined["data"] is NSNull)
        let (events, reply) = request(k, lines, ["id": 2, "op": "execute", "code": "print(\"two rows\")\nposts.map(p => {id: p.id, likes: p.likes})"])
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events[0]["event"] as? String, "stream")
        XCTAssertEqual(events[0]["id"] as? Int, 2)
        XCTAssertEqual(events[0]["text"] as? String, "two rows\n")
        XCTAssertEqual(reply["id"] as? Int, 2)
        let data = try XCTUnwrap(reply["data"] as? [String: Any])
        XCTAssertEqual(data["text/plain"] as? String, "id  likes\n──  ─────\n 1     30\n 2     50")
        XCTAssertEqual(data["text/html"] as? String, """
            <table class="kdk">
            <thead><tr><th style="text-align:right">id</th><th style="text-align:right">likes</th></tr></thead>
            <tbody>
            <tr><td style="text-align:right">1</td><td style="text-align:right">30</td></tr>
            <tr><td style="text-align:right">2</td><td style="text-align:right">50</td></tr>
            </tbody>
            </table>
            """)
        XCTAssertEqual((data["application/json"] as? [[String: Any]])?.map { $0["likes"] as? Int }, [30, 50])
    }

    func testDisplayAndChartsAreDisplayEvents() throws {
        let (k, lines) = try kernel()
        let (events, reply) = request(k, lines, ["id": 7, "op": "execute",
                                                  "code": "display(\"<b>\")\nchart([{year: 2026, v: 1}, {year: 2027, v: 2}])\n3"])
        XCTAssertEqual(events.map { $0["event"] as? String }, ["display", "display"])
        XCTAssertEqual((events[0]["data"] as? [String: Any])?["text/plain"] as? String, "\"<b>\"")
        let chart = try XCTUnwrap(events[1]["data"] as? [String: Any])
        XCTAssertTrue((chart["image/svg+xml"] as? String)?.contains("<svg") ?? false)
        XCTAssertTrue((chart["text/plain"] as? String)?.contains("│") ?? false)
        XCTAssertEqual((reply["data"] as? [String: Any])?["text/plain"] as? String, "3")
    }

    func testAnErrorIsTheCaretDiagnosticAndTheSessionGoesOn() throws {
        let (k, lines) = try kernel()
        _ = request(k, lines, ["id": 1, "op": "execute", "code": "let fee = 2 USD"])
        let (_, failed) = request(k, lines, ["id": 2, "op": "execute", "code": "fee + 1"])
        XCTAssertEqual(failed["status"] as? String, "error")
        XCTAssertEqual(failed["evalue"] as? String, "<repl>:1:1: error: cannot add these: one side is in USD and the other is a plain number")
        let traceback = try XCTUnwrap(failed["traceback"] as? [String]).map(Kernel.plain)
        XCTAssertEqual(Array(traceback.prefix(3)), ["<repl>:1:1: error: cannot add these: one side is in USD and the other is a plain number",
                                                    "1 | fee + 1", "  | ^^^^^^^"])
        // A cell cut short is its own error, not the next definition's.
        let (_, cut) = request(k, lines, ["id": 3, "op": "execute", "code": "fee *"])
        XCTAssertEqual(cut["evalue"] as? String, "<repl>:1:6: error: expected an expression, found the end of the input")
        let (_, ok) = request(k, lines, ["id": 4, "op": "execute", "code": "fee * 3"])
        XCTAssertEqual((ok["data"] as? [String: Any])?["text/plain"] as? String, "6.00 USD")
    }

    func testCompletionKnowsLiveFieldsAndNamedArguments() throws {
        let (k, lines) = try kernel()
        _ = request(k, lines, ["id": 1, "op": "execute", "code": "let posts = read_csv(\"posts.csv\")"])
        let (_, fields) = request(k, lines, ["id": 2, "op": "complete", "code": "let x = 1\nposts[0].li", "cursor": 21])
        XCTAssertEqual(fields["matches"] as? [String], ["likes"])
        XCTAssertEqual(fields["cursor_start"] as? Int, 19)
        XCTAssertEqual(fields["cursor_end"] as? Int, 21)
        let (_, named) = request(k, lines, ["id": 3, "op": "complete", "code": "mark_copies(posts, te", "cursor": 21])
        XCTAssertEqual((named["matches"] as? [String])?.first, "text:")
        // Offsets count Unicode scalars, as Jupyter does: 发帖 is two.
        let (_, wide) = request(k, lines, ["id": 4, "op": "complete", "code": "\"发帖\"; su", "cursor": 8])
        XCTAssertEqual(wide["cursor_start"] as? Int, 6)
        XCTAssertTrue((wide["matches"] as? [String])?.contains("sum") ?? false)
    }

    func testInspectAndCompleteness() throws {
        let (k, lines) = try kernel()
        let (_, pmt) = request(k, lines, ["id": 1, "op": "inspect", "code": "pmt(0.05, 10, 1000)", "cursor": 1])
        XCTAssertEqual(pmt["found"] as? Bool, true)
        XCTAssertEqual((pmt["data"] as? [String: Any])?["text/plain"] as? String,
                       "pmt(rate, nper, pv, fv: 0, when: \"end\")\n  payment per period (numpy-financial)")
        _ = request(k, lines, ["id": 2, "op": "execute", "code": "let hurdle = 10%"])
        let (_, mine) = request(k, lines, ["id": 3, "op": "inspect", "code": "hurdle", "cursor": 3])
        XCTAssertEqual((mine["data"] as? [String: Any])?["text/plain"] as? String, "let hurdle = 10%\n  number")
        for (code, status) in [("scenario S {", "incomplete"), ("[1, 2,", "incomplete"), ("1 +", "incomplete"), ("1 + 1", "complete"), (":env", "complete")] {
            let (_, r) = request(k, lines, ["id": 9, "op": "is_complete", "code": code])
            XCTAssertEqual(r["status"] as? String, status, code)
        }
    }

    func testNotARequestIsAnErrorReply() throws {
        let (k, lines) = try kernel()
        k.handle("{oops")
        let reply = KernelTests.object(lines.value.last ?? "")
        XCTAssertEqual(reply["status"] as? String, "error")
        XCTAssertEqual(reply["evalue"] as? String, "not a request: {oops")
    }
}
