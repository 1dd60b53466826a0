import Foundation
import XCTest
@testable import KDK

/// `filter` and `map` over a table's rows run over its columns (the first
/// calls of a fused pipeline, `Machine.overColumns`); whatever the lambdas,
/// the result must be the one calling them on each row gives: the same
/// values, or the same error, naming the same item.
final class PipelineColumnsTests: XCTestCase {
    var dir: URL!
    let rows = 3_000

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-pipe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var rng = SplitMix(seed: 11)
        // `maybe` has empty cells (none), and `late` from row 2,500 on.
        var csv = "id,author,amount,maybe,late,ok,text\n"
        for i in 0..<rows {
            let maybe = rng.next() % 4 == 0 ? "" : "\(rng.next() % 30)"
            let late = i < 2_500 ? "\(rng.next() % 9)" : ""
            let text = ["gm #KDK", "#发帖赢Launchpad新币KDK 冲", "plain", "\"a, b\""][Int(rng.next() % 4)]
            csv += "\(i + 1),a\(rng.next() % 40),\(Int(rng.next() % 500) - 20).\(rng.next() % 100),\(maybe),\(late),\(rng.next() % 2 == 0),\(text)\n"
        }
        try Data(csv.utf8).write(to: dir.appendingPathComponent("commitments.csv"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// The pipeline's result (or error) over the table's rows and over the
    /// same rows as plain records, and whether the first used the columns.
    func both(_ pipeline: String) throws -> (columns: String, rows: String, usedColumns: Bool) {
        func run(_ source: String) -> (String, Bool) {
            let src = "let xs = \(source)\nlet few = [\"a1\", \"a2\"]\n\(pipeline)"
            do {
                let (outcome, counts) = try Engine().compile(src).runCounting(access: HostAccess(fileRoot: dir, allowWrite: false, output: { _ in }))
                return (try outcome.get().literal(), counts.columnEvaluations > 0)
            } catch { return ("error: \(error)", false) }
        }
        let (columns, used) = run("read_csv(\"commitments.csv\")")
        let (plain, _) = run("read_csv(\"commitments.csv\").map(p => p with {id: p.id})")
        return (columns, plain, used)
    }

    func testRandomPipelinesGiveWhatRowsGive() throws {
        var rng = SplitMix(seed: 35)
        func pick(_ xs: [String]) -> String { xs[Int(rng.next() % UInt64(xs.count))] }
        func test() -> String {
            pick(["p.ok", "p.amount > 100", "(p.maybe ?? 0) > 10", "p.author in few", "len(p.text) > 5", "p.late > 3",
                  "p.maybe > 3", "p.amount", "hashtags(p.text).any(t => lower(t) == \"#kdk\")", "not p.ok", "p.id < 2900"])
        }
        func value() -> String { pick(["p.amount", "p.amount * 2 + 1", "p.author", "(p.maybe ?? 0) + p.id", "p.late + 1", "len(p.text)"]) }
        var usedColumns = 0, errors = 0
        let rounds = 60
        for round in 0..<rounds {
            let filters = (0..<Int(rng.next() % 3)).map { _ in ".filter(p => \(test()))" }.joined()
            let map = rng.next() % 2 == 0 ? ".map(p => \(value()))" : ""
            let end = pick(["", " |> len", ".count(x => true)", ".first(x => true)", " |> sum"])
            let pipeline = "xs\(filters)\(map)\(filters.isEmpty && map.isEmpty ? ".filter(p => p.ok)" : "")\(end)"
            let (columns, plain, used) = try both(pipeline)
            XCTAssertEqual(columns, plain, "round \(round): \(pipeline)")
            if used { usedColumns += 1 }
            if columns.hasPrefix("error") { errors += 1 }
        }
        // Not vacuous: most rounds ran over columns, and some compared errors.
        XCTAssertGreaterThan(usedColumns, rounds / 3)
        XCTAssertGreaterThan(errors, 0)
    }

    /// `sort_by` and `group_by` keys over columns.
    func testKeysOverColumns() throws {
        for (pipeline, columnar) in [("xs.sort_by(p => p.amount).map(p => p.id) |> first", true),
                                     ("sort_by(xs, p => -p.amount).map(p => p.id)", true),
                                     ("xs.sort_by(p => p.late).map(p => p.id) |> first", false),  // none among the keys: the same error
                                     ("xs.group_by(p => p.author).map(g => [g.key, len(g.items)])", true),
                                     ("xs.group_by(p => p.maybe).map(g => len(g.items))", true)] {
            let r = try both(pipeline)
            XCTAssertEqual(r.columns, r.rows, pipeline)
            XCTAssertEqual(r.usedColumns, columnar, pipeline)
        }
    }

    func testAFilterAndMapOverColumns() throws {
        let r = try both("xs.filter(p => p.amount > 100 and p.ok).map(p => p.amount) |> sum")
        XCTAssertEqual(r.columns, r.rows)
        XCTAssertTrue(r.usedColumns)
        // A lambda with no plan (a user fn) is called on each row.
        let called = try both("fn big(p) = p.amount > 100\nxs.filter(big) |> len")
        XCTAssertEqual(called.columns, called.rows)
        XCTAssertFalse(called.usedColumns)
    }
}
