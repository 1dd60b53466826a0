import Foundation
import XCTest
@testable import KDK
import KDKModels

/// Runs the cases in `Tests/Conformance/*.kdk`, one test method per file.
///
/// A case is the source lines up to an expectation line:
///
///     0.1 + 0.2
///     #=> 0.3                       the value, written as a kdk literal
///     1234.5 USD
///     #:> 1,234.50 USD              the value as `kdk run` shows it to people
///     2_000 KDK + 5 USD
///     #!check> 1:1 units differ     an error the checker reports (before anything runs)
///     #!check> 1:1 [E0201] units differ   ... with that diagnostic code
///     1 / 0
///     #!run> 1:1 division by zero   an error the run reports
///     print("hi")
///     #>> hi                        a line that print() writes (one #>> per line, before the expectation)
///     1 +
///     #| case:1:4: error: ...       the whole rendered diagnostic output, line by line (before the expectation;
///                                   before a value, the warnings)
///     #!check> 1:4 expected
///
/// An error expectation names the stage that must catch it: a `#!check>` error
/// that only shows up at run time fails. Line and column are the case's own; the
/// text must occur in the message or its help.
///
/// `KDK_CASE=units.kdk` runs one file's cases, `KDK_CASE=units.kdk:12` the
/// case that starts on line 12 of it.
final class ConformanceTests: XCTestCase {
    enum Stage: String { case check, run }

    struct Case {
        var file: String
        var line: Int
        var source: String
        var expectValue: String?
        /// `#:> text`: the value as shown to people (`display(style:)`).
        var expectShown: String?
        var expectError: (stage: Stage, line: Int, column: Int, text: String)?
        /// `#~> number tolerance`: a number (or an amount) within a relative tolerance.
        var expectApprox: (value: Double, tolerance: Double)?
        var expectOutput: [String]
        var expectRendered: [String]
    }

    static var conformanceDir: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Conformance")
    }

    static func loadCases(_ f: String) throws -> [Case] {
        let text = try String(contentsOf: conformanceDir.appendingPathComponent(f), encoding: .utf8)
        var cases: [Case] = []
        var buf: [String] = []
        var start = 1
        var output: [String] = [], rendered: [String] = []
        for (i, line) in text.components(separatedBy: "\n").enumerated() {
            if line.hasPrefix("#>> ") || line == "#>>" { output.append(String(line.dropFirst(4))); continue }
            if line.hasPrefix("#| ") || line == "#|" { rendered.append(String(line.dropFirst(3))); continue }
            let stage: Stage? = line.hasPrefix("#!check> ") ? .check : line.hasPrefix("#!run> ") ? .run : nil
            if line.hasPrefix("#=> ") || line.hasPrefix("#~> ") || line.hasPrefix("#:> ") || line == "#=." || stage != nil {
                var c = Case(file: f, line: start, source: buf.joined(separator: "\n"), expectOutput: output, expectRendered: rendered)
                if line.hasPrefix("#~> ") {
                    let parts = line.dropFirst(4).split(separator: " ")
                    c.expectApprox = (Double(parts[0]) ?? .nan, parts.count > 1 ? Double(parts[1]) ?? 1e-9 : 1e-9)
                } else if line.hasPrefix("#=> ") {
                    c.expectValue = String(line.dropFirst(4))
                } else if line.hasPrefix("#:> ") {
                    c.expectShown = String(line.dropFirst(4))
                } else if let stage {
                    let rest = line.drop { $0 != " " }.dropFirst()
                    let parts = rest.split(separator: " ", maxSplits: 1)
                    let lc = parts[0].split(separator: ":")
                    c.expectError = (stage, Int(lc[0]) ?? 0, Int(lc[1]) ?? 0, parts.count > 1 ? String(parts[1]) : "")
                }
                cases.append(c)
                buf = []; output = []; rendered = []
                start = i + 2
            } else if line.hasPrefix("#!") {
                throw NSError(domain: "conformance", code: 1, userInfo: [NSLocalizedDescriptionKey:
                    "\(f):\(i + 1): unknown expectation '\(line)' (use #!check> or #!run>)"])
            } else if buf.isEmpty && (line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("## ")) {
                start = i + 2
            } else {
                buf.append(line)
            }
        }
        return cases
    }

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: conformanceDir.path)) ?? []).filter { $0.hasSuffix(".kdk") }.sorted()
    }

    /// Runs one file's cases (or those `KDK_CASE` selects) and returns how many ran.
    @discardableResult
    func run(_ file: String) throws -> Int {
        let filter = ProcessInfo.processInfo.environment["KDK_CASE"]
        if let filter, filter.split(separator: ":").first.map(String.init) != file { return 0 }
        let onlyLine = filter.flatMap { f in f.split(separator: ":").dropFirst().first.flatMap { Int($0) } }
        let cases = try Self.loadCases(file).filter { onlyLine == nil || $0.line == onlyLine }
        // Every case runs on both evaluators of `fn` bodies: bytecode (the
        // default) and the tree of closures (docs/design.md).
        let engine = CoreModels.engine()
        var tree = engine
        tree.usesBytecode = false
        var failures = 0
        for c in cases { if !check(c, engine) || !check(c, tree, evaluator: "tree") { failures += 1 } }
        print("conformance: \(file): \(cases.count - failures) of \(cases.count) cases passed")
        return cases.count
    }

    /// Runs one case; false (after reporting) when it fails.
    func check(_ c: Case, _ engine: Engine, evaluator: String? = nil) -> Bool {
        let where_ = "\(c.file):\(c.line)" + (evaluator.map { " (\($0) evaluator)" } ?? "")
        let out = Locked<[String]>([])
        let access = HostAccess(fileRoot: Self.conformanceDir, output: { line in out.update { $0 += line.components(separatedBy: "\n") } })
        var ok = true
        func fail(_ message: String) { XCTFail("\(where_): \(message)"); ok = false }
        var stage = Stage.check
        do {
            let program = try engine.compile(c.source, name: "case", dataRoot: Self.conformanceDir)
            stage = .run
            let v = try program.run(limits: Limits(maxSteps: 5_000_000, maxDepth: 2_000, maxSize: 10_000_000), access: access)
            if let e = c.expectError {
                fail("expected a \(e.stage.rawValue) error '\(e.text)' at \(e.line):\(e.column), got value \(v.literal())")
            } else if let (want, tol) = c.expectApprox {
                var got: Double? = nil
                switch v { case .number(let d), .quantity(let d, _): got = d.doubleValue; default: break }
                if got == nil || abs(got! - want) > tol * max(1, abs(want)) { fail("expected \(want) within \(tol), got \(v.literal())") }
            } else if let want = c.expectValue, v.literal() != want {
                fail("expected \(want), got \(v.literal())")
            } else if let want = c.expectShown, v.display(style: program.displayStyle) != want {
                fail("expected to show \(want), got \(v.display(style: program.displayStyle))")
            }
            // `#|` lines before a value: the warnings, rendered.
            if !c.expectRendered.isEmpty {
                let got = program.warnings.map { $0.render(color: false) }.joined(separator: "\n").components(separatedBy: "\n")
                if got != c.expectRendered {
                    fail("rendered warnings differ:\n--- expected\n\(c.expectRendered.joined(separator: "\n"))\n--- got\n\(got.joined(separator: "\n"))")
                }
            }
        } catch let d as DiagnosticList {
            // Hosts branch on codes: every diagnostic has one.
            for diag in d.diagnostics where diag.code.flatMap(DiagnosticCode.init(rawValue:)) == nil {
                fail("a diagnostic without a code: \(diag.message)")
            }
            guard let e = c.expectError else {
                fail("unexpected \(stage.rawValue) error:\n\(d.description)")
                return false
            }
            // `#!check> 1:4 [E0101] text`: the diagnostic's code too.
            var text = Substring(e.text), code: Substring?
            if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
                code = text[text.index(after: text.startIndex)..<close]
                text = text[text.index(after: close)...].drop { $0 == " " }
            }
            let hit = d.diagnostics.contains { diag in
                guard diag.severity == .error, let loc = diag.location else { return false }
                return loc.line == e.line && loc.column == e.column && (diag.message + " " + diag.help.joined(separator: " ")).contains(text)
                    && (code == nil || diag.code.map { Substring($0) } == code)
            }
            if !hit {
                fail("expected \(e.stage.rawValue) error '\(e.text)' at \(e.line):\(e.column), got:\n\(d.description)")
            } else if e.stage != stage {
                fail("expected the \(e.stage.rawValue) stage to report '\(e.text)', but the \(stage.rawValue) stage did")
            }
            if !c.expectRendered.isEmpty {
                let got = d.diagnostics.map { $0.render(color: false) }.joined(separator: "\n").components(separatedBy: "\n")
                    .reversed().drop { $0.isEmpty }.reversed()
                if Array(got) != c.expectRendered {
                    fail("rendered diagnostics differ:\n--- expected\n\(c.expectRendered.joined(separator: "\n"))\n--- got\n\(got.joined(separator: "\n"))")
                }
            }
        } catch {
            fail("unexpected error \(error)")
        }
        if !c.expectOutput.isEmpty && out.value != c.expectOutput {
            fail("expected output \(c.expectOutput), got \(out.value)")
        }
        return ok
    }

    /// Every file in Tests/Conformance has a test method below, so a new file
    /// cannot be skipped by mistake; and the suite keeps its size.
    func testEveryFileHasATest() throws {
        let covered: Set<String> = ["campaign.kdk", "control.kdk", "data.kdk", "declarations.kdk", "diagnostics.kdk", "display.kdk",
                                    "finance.kdk", "functions.kdk", "library.kdk", "limits.kdk", "lists.kdk", "models.kdk",
                                    "numbers.kdk", "originality.kdk", "records.kdk", "rewards.kdk", "scenarios.kdk", "syntax.kdk", "text.kdk", "time.kdk", "uncertainty.kdk",
                                    "units.kdk"]
        XCTAssertEqual(Set(Self.files), covered, "add a test method for each conformance file")
        let total = try Self.files.reduce(0) { $0 + (try Self.loadCases($1).count) }
        XCTAssertGreaterThanOrEqual(total, 600, "the suite should keep at least 600 cases")
    }

    func testCampaign() throws { try run("campaign.kdk") }
    func testControl() throws { try run("control.kdk") }
    func testData() throws { try run("data.kdk") }
    func testDeclarations() throws { try run("declarations.kdk") }
    func testDisplay() throws { try run("display.kdk") }
    func testDiagnostics() throws { try run("diagnostics.kdk") }
    func testFinance() throws { try run("finance.kdk") }
    func testFunctions() throws { try run("functions.kdk") }
    func testLibrary() throws { try run("library.kdk") }
    func testLimits() throws { try run("limits.kdk") }
    func testLists() throws { try run("lists.kdk") }
    func testModels() throws { try run("models.kdk") }
    func testNumbers() throws { try run("numbers.kdk") }
    func testOriginality() throws { try run("originality.kdk") }
    func testUncertainty() throws { try run("uncertainty.kdk") }
    func testRecords() throws { try run("records.kdk") }
    func testRewards() throws { try run("rewards.kdk") }
    func testScenarios() throws { try run("scenarios.kdk") }
    func testSyntax() throws { try run("syntax.kdk") }
    func testText() throws { try run("text.kdk") }
    func testTime() throws { try run("time.kdk") }
    func testUnits() throws { try run("units.kdk") }
}
