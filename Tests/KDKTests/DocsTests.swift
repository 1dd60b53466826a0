import Foundation
import XCTest
import KDK
import KDKModels

/// Every ```kdk block in docs/*.md and the README must compile and run without error.
final class DocsTests: XCTestCase {
    func testDocExamplesRun() throws {
        let docs = CLITests.root.appendingPathComponent("docs")
        let files = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") } + ["../README.md"]
        var blocks = 0
        var checked = 0
        for f in files {
            let text = try String(contentsOf: docs.appendingPathComponent(f), encoding: .utf8)
            var inBlock = false
            var buf: [String] = []
            var start = 0
            for (i, line) in text.components(separatedBy: "\n").enumerated() {
                if line == "```kdk" { inBlock = true; buf = []; start = i + 2; continue }
                if inBlock && line == "```" {
                    inBlock = false
                    blocks += 1
                    do {
                        _ = try CoreModels.engine().compile(buf.joined(separator: "\n"), name: "\(f):\(start)").run()
                        // A line `code  # => value`: the block up to that line must give
                        // that value (as a literal); `code  # shows text`: it must show
                        // as that text (as `kdk run` shows it to people).
                        for (k, l) in buf.enumerated() {
                            guard let mark = l.range(of: "# => ") ?? l.range(of: "# shows ") else { continue }
                            let want = String(l[mark.upperBound...])
                            let code = String(l[..<mark.lowerBound])
                            if code.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                            let src = (buf.prefix(k) + [code]).joined(separator: "\n")
                            let program = try CoreModels.engine().compile(src)
                            let v = try program.run()
                            let got = l[mark].hasPrefix("# =>") ? v.literal() : v.display(style: program.displayStyle)
                            XCTAssertEqual(got, want, "\(f):\(start + k)")
                            checked += 1
                        }
                    } catch {
                        XCTFail("\(f) block at line \(start):\n\(error)")
                    }
                    continue
                }
                if inBlock { buf.append(line) }
            }
        }
        XCTAssertGreaterThanOrEqual(blocks, 10)
        XCTAssertGreaterThan(checked, 20)
    }

    func testExamplesRun() throws {
        let dir = CLITests.root.appendingPathComponent("examples")
        for f in try FileManager.default.contentsOfDirectory(atPath: dir.path).filter({ $0.hasSuffix(".kdk") }) {
            let src = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
            XCTAssertNoThrow(try CoreModels.engine().compile(src, name: f).run(access: HostAccess(fileRoot: dir, allowWrite: true, output: { _ in })), f)
        }
    }
}

extension DocsTests {
    /// Every library function has an entry (a `###` heading naming it) in docs/library.md.
    func testEveryLibraryFunctionIsDocumented() throws {
        let text = try String(contentsOf: CLITests.root.appendingPathComponent("docs/library.md"), encoding: .utf8)
        let headings = text.components(separatedBy: "\n").filter { $0.hasPrefix("### ") }.joined(separator: " ")
        for name in Library.standard.functions.keys.sorted() {
            XCTAssertTrue(headings.contains("`\(name)("), "docs/library.md has no entry for \(name)")
        }
        let models = try String(contentsOf: CLITests.root.appendingPathComponent("docs/models.md"), encoding: .utf8)
        for name in (CoreModels.functions + CoreModels.kinds.flatMap { $0.functions + $0.methods }).map({ $0.name }) {
            XCTAssertTrue(models.contains("`\(name)("), "docs/models.md has no entry for \(name)")
        }
    }
}

extension DocsTests {
    /// docs/embedding.md shows the example host exactly as it is built and run.
    func testEmbeddingGuideShowsTheExampleHost() throws {
        let doc = try String(contentsOf: CLITests.root.appendingPathComponent("docs/embedding.md"), encoding: .utf8)
        let main = try String(contentsOf: CLITests.root.appendingPathComponent("examples/host/Sources/campaign-host/main.swift"), encoding: .utf8)
        XCTAssertTrue(doc.contains("```swift\n" + main + "```"), "docs/embedding.md is out of date with examples/host")
    }

    /// Every diagnostic code has a row in docs/language.md's table.
    func testEveryDiagnosticCodeIsDocumented() throws {
        let text = try String(contentsOf: CLITests.root.appendingPathComponent("docs/language.md"), encoding: .utf8)
        for code in DiagnosticCode.allCases {
            XCTAssertTrue(text.contains("| `\(code.rawValue)` |"), "docs/language.md has no row for \(code.rawValue)")
        }
    }
}
