import Foundation
import XCTest
@testable import KDK
import KDKModels

/// `kdk fmt` (Format/Formatter.swift): the layout rules on small snippets,
/// and on every kdk file in the repository: formatting is idempotent and
/// never changes what a program computes.
final class FormatterTests: XCTestCase {
    func format(_ s: String) throws -> String { try Formatter.format(s) }

    func testSpacingAroundOperatorsCommasAndBrackets() throws {
        XCTAssertEqual(try format("let x=1+2*  3\n"), "let x = 1 + 2 * 3\n")
        XCTAssertEqual(try format("f( 1 ,2 )\n"), "f(1, 2)\n")
        XCTAssertEqual(try format("[ 1,2 ,3 ][ 0 ]\n"), "[1, 2, 3][0]\n")
        XCTAssertEqual(try format("{a:1,  b :2}\n"), "{a: 1, b: 2}\n")
        XCTAssertEqual(try format("xs.map( x=>x*2 )|>sum\n"), "xs.map(x => x * 2) |> sum\n")
        XCTAssertEqual(try format("let y = -x + (-2) * -3\n"), "let y = -x + (-2) * -3\n")
        XCTAssertEqual(try format("1...5\n2 ..< 7\n"), "1...5\n2 ..< 7\n", "a range keeps its spacing")
        XCTAssertEqual(try format("if a>1 then \"x\" else   \"y\"\n"), "if a > 1 then \"x\" else \"y\"\n")
    }

    func testIndentationFollowsBracketsAndContinuations() throws {
        let source = """
            fn prize(rank) =
            if rank == 1 then 400
                else 0
            let xs = [
                    1,
                 2,
            ]
            let total = xs
            |> map(x => foo([
            x,
            ]))
            |> sum

            """
        XCTAssertEqual(try format(source), """
            fn prize(rank) =
              if rank == 1 then 400
              else 0
            let xs = [
              1,
              2,
            ]
            let total = xs
              |> map(x => foo([
                x,
              ]))
              |> sum

            """)
    }

    func testModelFieldsAlignTheirEqualsAndCommentsAlign() throws {
        let source = """
            scenario Base {
              capex = 5T USD   # the bank's figure
              hurdle   = 10%  # the return
              rules = [
                1,
              ]
              cost = 1
              a_much_longer_field_name = 2

              # after a blank line, a new group
              x = 1
              yy = 2
            }

            """
        XCTAssertEqual(try format(source), """
            scenario Base {
              capex  = 5T USD  # the bank's figure
              hurdle = 10%     # the return
              rules  = [
                1,
              ]
              cost = 1
              a_much_longer_field_name = 2

              # after a blank line, a new group
              x  = 1
              yy = 2
            }

            """)
    }

    /// A line over 100 characters breaks inside its first bracket with
    /// commas; a nested one too long still breaks again; braces never.
    func testLongLinesBreakInsideBrackets() throws {
        let long = "let r = project(nvidia_fy2027_consensus * 1.08, [25%, 20%, 15%], 2027...2030, name: \"beat_and_raise\")  # why\n"
        XCTAssertEqual(try format(long), """
            let r = project(
              nvidia_fy2027_consensus * 1.08,
              [25%, 20%, 15%],
              2027...2030,
              name: "beat_and_raise"
            )  # why

            """)
        let nested = "print(compare([alpha_scenario, beta_scenario, gamma_scenario, delta_scenario, epsilon_scenario, zeta_scenario, eta], [\"capex\"]))\n"
        XCTAssertEqual(try format(nested), """
            print(compare(
              [
                alpha_scenario,
                beta_scenario,
                gamma_scenario,
                delta_scenario,
                epsilon_scenario,
                zeta_scenario,
                eta
              ],
              ["capex"]
            ))

            """)
        let record = "let p = {id: 1, author: \"li_lei\", text: \"a post with a long text about the launchpad\", likes: 120, comments: 14}\n"
        XCTAssertEqual(try format(record), record, "a record's braces are not broken")
    }

    func testBlankLinesCommentsAndTheEndOfTheFile() throws {
        XCTAssertEqual(try format("\n\n# head\nlet a = 1\n\n\n\nlet b = 2   \n\n"), "# head\nlet a = 1\n\nlet b = 2\n")
        XCTAssertEqual(try format("let a = 1 # note   \n"), "let a = 1  # note\n")
        XCTAssertEqual(try format(""), "")
    }

    func testASyntaxErrorIsReportedAndNothingFormatted() {
        XCTAssertThrowsError(try format("let x = (1 +\n")) { error in
            XCTAssertTrue("\(error)".contains("never closed") || "\(error)".contains("expected"), "\(error)")
        }
    }

    /// Every kdk file in the repository that parses formats to a fixed
    /// point (formatting again changes nothing).
    func testEveryFileInTheRepositoryFormatsIdempotently() throws {
        let root = ConformanceTests.conformanceDir.deletingLastPathComponent().deletingLastPathComponent()
        var files: [URL] = []
        for folder in ["examples", "scripts/bench/programs", "Tests/Conformance"] {
            let dir = root.appendingPathComponent(folder)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where name.hasSuffix(".kdk") {
                files.append(dir.appendingPathComponent(name))
            }
        }
        XCTAssertGreaterThan(files.count, 25)
        for url in files {
            let text = try String(contentsOf: url, encoding: .utf8)
            guard let once = try? Formatter.format(text, name: url.lastPathComponent) else { continue }  // a file of error cases
            XCTAssertEqual(try Formatter.format(once), once, "\(url.lastPathComponent) is not a fixed point")
        }
    }

    /// The examples are formatted (CI runs `kdk fmt --check examples/*.kdk`)
    /// and compute the same after formatting as the text before (trivially
    /// so once committed formatted; the check keeps the claim honest if an
    /// example is edited by hand).
    func testExamplesAreFormatted() throws {
        let dir = ConformanceTests.conformanceDir.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples")
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".kdk") {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            XCTAssertEqual(try Formatter.format(text, name: name), text, "\(name): run kdk fmt examples/\(name)")
        }
    }

    /// Every conformance case with its layout spoiled (indentation changed,
    /// spaces added at line ends, blank lines around it) formats back to the
    /// case's own formatted text; where that differs from the case as
    /// written, the formatted case still gives its expected value or output.
    func testConformanceCasesFormatBackAndGiveTheSameResults() throws {
        let runner = ConformanceTests(name: "formatted cases", testClosure: { _ in })
        let engine = CoreModels.engine()
        var formattedCases = 0
        for file in ConformanceTests.files {
            for var c in try ConformanceTests.loadCases(file) {
                guard let formatted = try? Formatter.format(c.source, name: "case") else { continue }
                formattedCases += 1
                let spoiled = "\n\n" + c.source.components(separatedBy: "\n").map { line in
                    line.first == " " ? "     " + line.drop { $0 == " " } + "  " : line + (line.isEmpty ? "" : " ")
                }.joined(separator: "\n") + "\n\n\n"
                XCTAssertEqual(try? Formatter.format(spoiled, name: "case"), formatted, "\(file):\(c.line)")
                let f = formatted.hasSuffix("\n") ? String(formatted.dropLast()) : formatted
                guard f != c.source, c.expectError == nil, c.expectRendered.isEmpty else { continue }
                c.source = f
                XCTAssertTrue(runner.check(c, engine), "\(file):\(c.line) formatted:\n\(f)")
            }
        }
        XCTAssertGreaterThan(formattedCases, 500)
    }
}
