import Foundation
import XCTest
import KDK
import KDKModels

final class ImportTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-imports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("common"), withIntermediateDirectories: true)
        try write("common/rules.kdk", "unit KDK decimals 8\nlet pool = 2_000 KDK\nfn prize(rank) = if rank == 1 then 400 KDK else 200 KDK\n")
        try write("common/finance.kdk", "let rate = 10%\nfn compound(x, years = 1) = x * (1 + rate) ^ years\nscenario Base { r = rate }\n")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func run(_ source: String) throws -> String {
        try CoreModels.engine().compile(source, name: dir.appendingPathComponent("main.kdk").path, importRoot: dir).run().literal()
    }

    func errors(_ source: String) -> [String] {
        CoreModels.engine().check(source, name: dir.appendingPathComponent("main.kdk").path, importRoot: dir)
            .filter { $0.severity == .error }.map { $0.message }
    }

    func testPlainAndQualifiedImports() throws {
        XCTAssertEqual(try run("""
            import "common/rules.kdk"
            import "common/finance.kdk" as fin
            [pool, prize(1), fin.compound(100), fin.rate, fin.compound(100, years: 2), fin.Base.r]
            """), "[2000 KDK, 400 KDK, 110, 10%, 121, 10%]")
    }

    func testQualifiedNamesStayQualified() {
        XCTAssertEqual(errors("import \"common/finance.kdk\" as fin\ncompound(1)"), ["'compound' is not defined"])
        XCTAssertEqual(errors("import \"common/finance.kdk\" as fin\nfin.nope"), ["'fin' has no definition named 'nope'"])
    }

    func testImportingTwiceReadsOnce() throws {
        XCTAssertEqual(try run("import \"common/rules.kdk\"\nimport \"common/rules.kdk\"\npool"), "2000 KDK")
    }

    func testImportsStayInsideTheRoot() {
        XCTAssertTrue(errors("import \"../outside.kdk\"").first?.contains("outside the folder") ?? false)
        XCTAssertTrue(errors("import \"missing.kdk\"").first?.contains("cannot find") ?? false)
    }

    func testCyclesAndErrorsInImportedFiles() throws {
        try write("a.kdk", "import \"b.kdk\"\nlet a = 1\n")
        try write("b.kdk", "import \"a.kdk\"\nlet b = 2\n")
        XCTAssertTrue(errors("import \"a.kdk\"").contains { $0.contains("import cycle") })
        try write("broken.kdk", "let x = (\n")
        let d = CoreModels.engine().check("import \"broken.kdk\"", name: dir.appendingPathComponent("main.kdk").path, importRoot: dir)
        XCTAssertTrue(d.contains { $0.file?.name.hasSuffix("broken.kdk") == true })
    }

    func testHermeticByDefault() {
        XCTAssertTrue(CoreModels.engine().check("import \"x.kdk\"").contains { $0.message.contains("not allowed") })
    }
}
