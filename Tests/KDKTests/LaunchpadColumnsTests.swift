import Foundation
import XCTest
@testable import KDK
import KDKModels

/// A launchpad's allocation over a table (`read_csv`) reads its `user` and
/// `committed` columns and gives its rows back as a table; it must give
/// exactly what the same rows as plain records give, errors included.
final class LaunchpadColumnsTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-sale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// The sale over `csv` read as a table and as plain records: the two
    /// results (or errors), and whether the table's allocations are rows of
    /// a table (the columns were used).
    func both(_ csv: String, types: String = ", types: {committed: USDT}") throws -> (columns: String, records: String, asTable: Bool) {
        try Data(csv.utf8).write(to: dir.appendingPathComponent("c.csv"))
        func run(_ rows: String) -> (String, Bool) {
            let src = """
                unit KDK decimals 8
                launchpad S { token = KDK; price = 0.04 USDT/KDK; supply = 100_000 KDK; cap = 3_000 KDK; min_commit = 10 USDT }
                S.allocate(\(rows))
                """
            do {
                let v = try CoreModels.engine().compile(src).run(access: HostAccess(fileRoot: dir, allowWrite: false, output: { _ in }))
                guard case .record(let r) = v, case .list(let xs)? = r["allocations"] else { return (v.literal(), false) }
                let asTable = xs.array.allSatisfy { if case .record(let x) = $0 { return x.tableRow != nil }; return false }
                return (v.literal(), asTable && !xs.isEmpty)
            } catch {
                // The message, without the source line and caret (the two programs differ there).
                return ("error: " + String("\(error)".split(separator: "\n")[0]), false)
            }
        }
        let (columns, asTable) = run("read_csv(\"c.csv\"\(types))")
        let (records, _) = run("read_csv(\"c.csv\"\(types)).map(p => p with {user: p.user})")
        return (columns, records, asTable)
    }

    func testRandomSalesGiveWhatRecordsGive() throws {
        var rng = SplitMix(seed: 31)
        // Users repeat; two spellings of one name (é composed and not) are one user.
        let names = ["li", "mei", "wu", "发帖赢", "Caf\u{E9}", "Cafe\u{301}", "a,b", "x"] + (0..<40).map { "u\($0)" }
        var onColumns = 0
        for round in 0..<80 {
            var csv = "id,user,committed\n"
            for i in 0..<Int(rng.next() % 120) {
                let user = names[Int(rng.next() % UInt64(names.count))]
                let amount: String
                switch rng.next() % 10 {
                case 0: amount = ""                                       // none: nothing committed
                case 1: amount = "\(rng.next() % 10).\(rng.next() % 100)"  // below min_commit
                case 2: amount = "\(200_000 + rng.next() % 900_000)"      // far above the cap
                default: amount = "\(10 + rng.next() % 5_000).\(rng.next() % 10)"
                }
                csv += "\(i + 1),\(user.contains(",") ? "\"\(user)\"" : user),\(amount)\n"
            }
            let types = round % 3 == 0 ? "" : ", types: {committed: USDT}"
            let (columns, records, asTable) = try both(csv, types: types)
            XCTAssertEqual(columns, records, "round \(round):\n\(csv)")
            if asTable { onColumns += 1 }
        }
        XCTAssertGreaterThan(onColumns, 60)
    }

    func testErrorsAndOtherColumnsAsRecordsHaveThem() throws {
        // A negative commitment names its user, either way.
        var (columns, records, _) = try both("user,committed\nli,20\nmei,-5\nwu,-7\n")
        XCTAssertEqual(columns, records)
        XCTAssertTrue(columns.contains("a commitment of \"mei\" is negative: -5"), columns)
        // Users that are numbers, and amounts in another unit: read as records.
        (columns, records, _) = try both("user,committed\n1,20\n2,30\n1,15\n", types: "")
        XCTAssertEqual(columns, records)
        XCTAssertTrue(columns.contains("allocation: 875 KDK"), columns)
        (columns, records, _) = try both("user,committed\nli,20\n", types: ", types: {committed: KDK}")
        XCTAssertEqual(columns, records)
        XCTAssertTrue(columns.hasSuffix("error: committed must be an amount in USDT, not 20 KDK"), columns)
    }
}
