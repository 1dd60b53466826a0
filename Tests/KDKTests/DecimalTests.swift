import Foundation
import XCTest
@testable import KDK

final class DecimalTests: XCTestCase {
    func d(_ s: String) -> ExactDecimal { ExactDecimal(parsing: Substring(s))! }

    func testParsingAndDisplay() {
        XCTAssertEqual(d("2_000").description, "2000")
        XCTAssertEqual(d("0.10").description, "0.1")
        XCTAssertEqual(d("-1.250").description, "-1.25")
        XCTAssertEqual(d("1e-7").description, "0.0000001")
        XCTAssertEqual(d("1e45").description, "1e+45")
        XCTAssertNil(ExactDecimal(parsing: "1.2.3"))
        XCTAssertNil(ExactDecimal(parsing: "abc"))
    }

    func testExactEquality() throws {
        XCTAssertEqual(try ExactDecimal.add(d("0.1"), d("0.2")), d("0.3"))
        XCTAssertEqual(d("1.0"), d("1"))
        XCTAssertEqual(d("1.0").hashValue, d("1").hashValue)
        XCTAssertLessThan(d("-3"), d("2"))
        XCTAssertLessThan(d("0.099"), d("0.1"))
    }

    func testOverflowAndDivisionByZeroAreErrors() {
        XCTAssertThrowsError(try ExactDecimal.multiply(d("1e999999"), d("10")))
        XCTAssertThrowsError(try ExactDecimal.divide(d("1"), d("0")))
        XCTAssertThrowsError(try ExactDecimal.divMod(d("1"), d("0")))
    }

    func testRoundingModes() {
        XCTAssertEqual(d("2.5").rounded(places: 0), d("2"))
        XCTAssertEqual(d("3.5").rounded(places: 0), d("4"))
        XCTAssertEqual(d("-2.5").rounded(places: 0), d("-2"))
        XCTAssertEqual(d("2.675").rounded(places: 2), d("2.68"))
        XCTAssertEqual(d("1.999").rounded(places: 2, .down), d("1.99"))
        XCTAssertEqual(d("-1.001").rounded(places: 0, .floor), d("-2"))
        XCTAssertEqual(d("1.001").rounded(places: 0, .ceiling), d("2"))
    }

    /// Random `+ - * /` on operands of mixed sizes and exponents must agree
    /// with Python's `decimal` (default context: 28 digits, half-even).
    func testAgreesWithPythonDecimal() throws {
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
                ?? ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map({ "\($0)/python3" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("python3 not found")
        }
        var rng = SplitMix(seed: 20251219)
        func operand() -> String {
            let digits = Int(rng.next() % 30) + 1
            var s = (0..<digits).map { _ in String(rng.next() % 10) }.joined()
            if rng.next() % 2 == 0, digits > 1 { s.insert(".", at: s.index(s.startIndex, offsetBy: Int(rng.next() % UInt64(digits - 1)) + 1)) }
            if rng.next() % 4 == 0 { s += "e\(Int(rng.next() % 60) - 30)" }
            return (rng.next() % 3 == 0 ? "-" : "") + s
        }
        let ops = ["+", "-", "*", "/"]
        var cases: [(String, String, String)] = []
        for _ in 0..<4000 {
            var b = operand()
            let op = ops[Int(rng.next() % 4)]
            if op == "/" && ExactDecimal(parsing: Substring(b))!.isZero { b = "7" }
            cases.append((operand(), op, b))
        }
        let script = """
            import sys
            from decimal import Decimal, getcontext
            for line in sys.stdin:
                a, op, b = line.split()
                a, b = Decimal(a), Decimal(b)
                r = a + b if op == '+' else a - b if op == '-' else a * b if op == '*' else a / b
                print(r)
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", script]
        let inPipe = Pipe(), outPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        try p.run()
        let input = cases.map { "\($0.0) \($0.1) \($0.2)" }.joined(separator: "\n") + "\n"
        DispatchQueue.global().async {
            inPipe.fileHandleForWriting.write(Data(input.utf8))
            try? inPipe.fileHandleForWriting.close()
        }
        let out = String(decoding: outPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let expected = out.split(separator: "\n")
        XCTAssertEqual(expected.count, cases.count)
        var mismatches = 0
        for (c, e) in zip(cases, expected) {
            let a = d(c.0), b = d(c.2)
            let r: ExactDecimal
            switch c.1 {
            case "+": r = try ExactDecimal.add(a, b)
            case "-": r = try ExactDecimal.subtract(a, b)
            case "*": r = try ExactDecimal.multiply(a, b)
            default: r = try ExactDecimal.divide(a, b)
            }
            let want = d(String(e))
            if r != want {
                mismatches += 1
                if mismatches < 10 { XCTFail("\(c.0) \(c.1) \(c.2): kdk \(r), python \(e)") }
            }
        }
        XCTAssertEqual(mismatches, 0)
    }
}

/// A small deterministic generator for reproducible random tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
