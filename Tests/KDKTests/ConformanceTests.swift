import Foundation
import XCTest
@testable import KDK
import KDKModels

/// Runs every case in `Tests/Conformance/*.kdk`.
///
/// A case is the source lines up to an expectation line:
///
///     0.1 + 0.2
///     #=> 0.3                       the value, written as a kdk literal
///     2_000 KDK + 5 USD
///     #!> 1:1 units differ          an error at line:column (of the case) whose message contains the text
///     print("hi")
///     #>> hi                        a line that print() writes (one #>> per line, before #=> or alone)
final class ConformanceTests: XCTestCase {
    struct Case {
        var file: String
        var line: Int
        var source: String
        var expectValue: String?
        var expectError: (line: Int, column: Int, text: String)?
        /// `#~> number tolerance`: a number (or an amount) within a relative tolerance.
        var expectApprox: (value: Double, tolerance: Double)?
        var expectOutput: [String]
    }

    static var conformanceDir: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Conformance")
    }

    static func loadCases() throws -> [Case] {
        let files = try FileManager.default.contentsOfDirectory(atPath: conformanceDir.path).filter { $0.hasSuffix(".kdk") }.sorted()
        var cases: [Case] = []
        for f in files {
            let text = try String(contentsOf: conformanceDir.appendingPathComponent(f), encoding: .utf8)
            var buf: [String] = []
            var start = 1
            var output: [String] = []
            for (i, line) in text.components(separatedBy: "\n").enumerated() {
                if line.hasPrefix("#>> ") || line == "#>>" {
                    output.append(String(line.dropFirst(4)))
                    continue
                }
                if line.hasPrefix("#=> ") || line.hasPrefix("#!> ") || line.hasPrefix("#~> ") || line == "#=." {
                    var c = Case(file: f, line: start, source: buf.joined(separator: "\n"), expectOutput: output)
                    if line.hasPrefix("#~> ") {
                        let parts = line.dropFirst(4).split(separator: " ")
                        c.expectApprox = (Double(parts[0]) ?? .nan, parts.count > 1 ? Double(parts[1]) ?? 1e-9 : 1e-9)
                    } else if line == "#=." {
                        c.expectValue = nil
                    } else if line.hasPrefix("#=> ") {
                        c.expectValue = String(line.dropFirst(4))
                    } else {
                        let rest = line.dropFirst(4)
                        let parts = rest.split(separator: " ", maxSplits: 1)
                        let lc = parts[0].split(separator: ":")
                        c.expectError = (Int(lc[0]) ?? 0, Int(lc[1]) ?? 0, parts.count > 1 ? String(parts[1]) : "")
                    }
                    cases.append(c)
                    buf = []
                    output = []
                    start = i + 2
                } else if buf.isEmpty && (line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("## ")) {
                    start = i + 2
                } else {
                    buf.append(line)
                }
            }
        }
        return cases
    }

    func testConformance() throws {
        let cases = try Self.loadCases()
        XCTAssertGreaterThanOrEqual(cases.count, 300, "the suite should keep at least 300 cases")
        let engine = CoreModels.engine()
        var failures = 0
        for c in cases {
            let where_ = "\(c.file):\(c.line)"
            if ProcessInfo.processInfo.environment["KDK_TRACE"] != nil { FileHandle.standardError.write(Data("case \(where_)\n".utf8)) }
            final class Lines: @unchecked Sendable { var items: [String] = [] }
            let out = Lines()
            let access = HostAccess(fileRoot: Self.conformanceDir, output: { out.items += $0.components(separatedBy: "\n") })
            do {
                let program = try engine.compile(c.source, name: "case")
                let v = try program.run(limits: Limits(maxSteps: 5_000_000, maxDepth: 2_000, maxSize: 10_000_000), access: access)
                if let e = c.expectError {
                    failures += 1
                    XCTFail("\(where_): expected error '\(e.text)' at \(e.line):\(e.column), got value \(v.literal())")
                } else if let (want, tol) = c.expectApprox {
                    var got: Double? = nil
                    switch v { case .number(let d), .quantity(let d, _): got = d.doubleValue; default: break }
                    if got == nil || abs(got! - want) > tol * max(1, abs(want)) {
                        failures += 1
                        XCTFail("\(where_): expected \(want) within \(tol), got \(v.literal())")
                    }
                } else if let want = c.expectValue, v.literal() != want {
                    failures += 1
                    XCTFail("\(where_): expected \(want), got \(v.literal())")
                }
            } catch let d as DiagnosticList {
                guard let e = c.expectError else {
                    failures += 1
                    XCTFail("\(where_): unexpected error:\n\(d.description)")
                    continue
                }
                let hit = d.diagnostics.contains { diag in
                    guard diag.severity == .error, let loc = diag.location else { return false }
                    return loc.line == e.line && loc.column == e.column && (diag.message + " " + diag.help.joined(separator: " ")).contains(e.text)
                }
                if !hit {
                    failures += 1
                    XCTFail("\(where_): expected error '\(e.text)' at \(e.line):\(e.column), got:\n\(d.description)")
                }
            }
            if !c.expectOutput.isEmpty && out.items != c.expectOutput {
                failures += 1
                XCTFail("\(where_): expected output \(c.expectOutput), got \(out.items)")
            }
        }
        print("conformance: \(cases.count - failures) of \(cases.count) cases passed")
    }
}
