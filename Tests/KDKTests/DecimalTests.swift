import Foundation
import XCTest
@testable import KDK

final class DecimalTests: XCTestCase {
    func d(_ s: String) -> ExactDecimal { ExactDecimal(parsing: Substring(s))! }

    /// A whole number in Int's range, however it is written; nil past it
    /// or with a fraction.
    func testIntValueAtTheEdgesOfInt() {
        let max = Int128(Int.max), min = Int128(Int.min)
        let cases: [(Int128, Int32, Int?)] = [
            (max, 0, Int.max), (min, 0, Int.min), (max + 1, 0, nil), (min - 1, 0, nil), (0, 0, 0), (-7, 0, -7),
            (max * 10, -1, Int.max), (min * 10, -1, Int.min), (15, -1, nil), (20, -1, 2), (3, 2, 300),
            (Int128(Int.max / 10 + 1), 1, nil), (-9, 18, -9_000_000_000_000_000_000), (1, 19, nil),
        ]
        for (coefficient, exponent, want) in cases {
            XCTAssertEqual(ExactDecimal(coefficient: coefficient, exponent: exponent).intValue, want, "\(coefficient)e\(exponent)")
        }
    }

    func testParsingAndDisplay() {
        XCTAssertEqual(d("2_000").description, "2000")
        XCTAssertEqual(d("0.10").description, "0.1")
        XCTAssertEqual(d("-1.250").description, "-1.25")
        XCTAssertEqual(d("1e-7").description, "0.0000001")
        XCTAssertEqual(d("1e45").description, "1e+45")
        XCTAssertNil(ExactDecimal(parsing: "1.2.3"))
        XCTAssertNil(ExactDecimal(parsing: "abc"))
    }

    /// Comparing by scaling one coefficient (exponents up to 18 apart, the
    /// scaled one below 2^64) agrees with comparing by digits, at the edges
    /// of both conditions and with signs, zeros and equal values.
    func testCompareByScalingAsByDigits() {
        var rng = SplitMix(seed: 17)
        let edges: [Int128] = [0, 1, 9, 10, 99, Int128(UInt64.max), Int128(UInt64.max) + 1, Int128(Int64.max), 10_000_000_000_000_000_000,
                               Int128(UInt64.max) * 1_000_000, 9_999_999_999_999_999_999_999_999_999]
        func random() -> ExactDecimal {
            var c = rng.next() % 3 == 0 ? edges[Int(rng.next() % UInt64(edges.count))] : Int128(rng.next() >> (rng.next() % 64))
            if rng.next() % 4 == 0, c.magnitude < 1 << 64 { c *= Int128(ExactDecimal.pow10[Int(rng.next() % 12)]) }
            if rng.next() % 2 == 0 { c = -c }
            return ExactDecimal(coefficient: c, exponent: Int32(Int(rng.next() % 41) - 20))
        }
        for _ in 0..<200_000 {
            let a = random()
            // Half the time, the same value written with another exponent.
            var b = random()
            if rng.next() % 2 == 0, a.coefficient.magnitude < 1 << 64, a.exponent > -20 {
                let k = Int(rng.next() % 3)
                b = ExactDecimal(coefficient: a.coefficient * Int128(ExactDecimal.pow10[k]), exponent: a.exponent - Int32(k))
            }
            XCTAssertEqual(ExactDecimal.compareSlow(a, b), ExactDecimal.compareByDigits(a, b), "\(a) vs \(b)")
            XCTAssertEqual(ExactDecimal.compareSlow(b, a), ExactDecimal.compareByDigits(b, a), "\(b) vs \(a)")
        }
    }

    /// The 64-bit reading of short numbers gives what the general one does,
    /// on random texts of digits, points, signs, `_` and `e`.
    func testShortNumbersParseAsLongOnes() {
        var rng = SplitMix(seed: 23)
        let alphabet = Array("0123456789000.-+_e")
        for _ in 0..<200_000 {
            let text = String((0..<Int(rng.next() % 23)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            let short = ExactDecimal.parse(Substring(text)), long = ExactDecimal.parseLong(Substring(text))
            XCTAssertEqual(short, long, text)
            // The same digits and exponent, not only the same value (`1000` stays 1000 × 10^0).
            if case .value(let a) = short, case .value(let b) = long {
                XCTAssertEqual([a.coefficient, Int128(a.exponent)], [b.coefficient, Int128(b.exponent)], text)
            }
        }
        XCTAssertEqual(ExactDecimal.parseShort("18352.99"), ExactDecimal(coefficient: 1_835_299, exponent: -2))
        XCTAssertNil(ExactDecimal.parseShort("1234567890123456789"))
    }

    /// `mulDiv` in 128 bits gives what the 256-bit path gives, in every
    /// rounding mode, with signs, halves (z = 2, 4) and products near 2^128.
    func testShortMulDivAsWide() throws {
        var rng = SplitMix(seed: 29)
        let modes: [ExactDecimal.Rounding] = [.halfEven, .halfUp, .down, .up, .floor, .ceiling, .halfDown, .zeroFiveUp]
        func random() -> ExactDecimal {
            var c = Int128(rng.next() >> (rng.next() % 64))
            if rng.next() % 5 == 0 { c = Int128(Int64.max) - Int128(rng.next() % 3) }
            if rng.next() % 2 == 0 { c = -c }
            return ExactDecimal(coefficient: c, exponent: Int32(Int(rng.next() % 21) - 10))
        }
        var short = 0
        for round in 0..<200_000 {
            let x = random(), y = random()
            var z = random()
            if round % 4 == 0 { z = ExactDecimal(coefficient: [2, 4, -2, 8][round / 4 % 4], exponent: 0) }
            guard z.coefficient != 0 else { continue }
            let places = Int(rng.next() % 12)
            let mode = modes[round % modes.count]
            let negative = ((x.coefficient < 0) != (y.coefficient < 0)) != (z.coefficient < 0)
            guard let got = ExactDecimal.mulDivShort(x, y, z, places: places, mode, negative: negative) else { continue }
            short += 1
            let want = try ExactDecimal.mulDivWide(x, y, z, places: places, mode, negative: negative)
            XCTAssertEqual([got.coefficient, Int128(got.exponent)], [want.coefficient, Int128(want.exponent)], "\(x) * \(y) / \(z) at \(places) \(mode)")
        }
        XCTAssertGreaterThan(short, 50_000)
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

extension DecimalTests {
    /// A random decimal with up to `digits` digits and an exponent in `exponents`.
    func random(_ rng: inout SplitMix, digits: Int, exponents: ClosedRange<Int>) -> ExactDecimal {
        let n = Int(rng.next() % UInt64(digits)) + 1
        var c: Int128 = 0
        for _ in 0..<n { c = c * 10 + Int128(rng.next() % 10) }
        let e = exponents.lowerBound + Int(rng.next() % UInt64(exponents.count))
        return ExactDecimal(coefficient: rng.next() % 3 == 0 ? -c : c, exponent: Int32(e))
    }

    /// `a == div(a, b) * b + mod(a, b)` exactly whenever the quotient fits in
    /// 28 digits; otherwise div and mod are errors. The check runs in a
    /// 38-digit context, where these operands multiply and add without rounding.
    func testDivModIdentity() throws {
        var rng = SplitMix(seed: 7)
        let exact = DecimalContext(precision: 38, rounding: .halfEven, emax: 999_999, emin: -999_999)
        var fits = 0, impossible = 0
        for _ in 0..<20_000 {
            let a = random(&rng, digits: 20, exponents: -12...12)
            var b = random(&rng, digits: 15, exponents: -12...12)
            if b.isZero { b = ExactDecimal(3) }
            do {
                let (q, r) = try ExactDecimal.divMod(a, b)
                XCTAssertTrue(q.isInteger)
                XCTAssertLessThan(ExactDecimal.compare(try r.absolute(), try b.absolute()), 0, "\(a) mod \(b)")
                XCTAssertTrue(r.isZero || r.isNegative == a.isNegative, "mod takes the sign of a: \(a) mod \(b) = \(r)")
                let back = try ExactDecimal.add(ExactDecimal.multiply(q, b, exact), r, exact)
                XCTAssertEqual(back, a, "div/mod of \(a) by \(b): q \(q), r \(r)")
                fits += 1
            } catch ExactDecimal.ArithmeticError.divisionImpossible {
                // The quotient really has more than 28 digits.
                let q = try ExactDecimal.divide(a, b, exact).truncated()
                XCTAssertGreaterThan(q.normalized().digits + Int(q.normalized().exponent), 28, "\(a) div \(b)")
                impossible += 1
            }
        }
        XCTAssertGreaterThan(fits, 10_000)
        XCTAssertGreaterThan(impossible, 100)
    }

    /// `(a + b) - b == a` whenever `a + b` was not rounded.
    func testAddThenSubtractIsExactWithoutRounding() throws {
        var rng = SplitMix(seed: 11)
        let wide = DecimalContext(precision: 38, rounding: .halfEven, emax: 999_999, emin: -999_999)
        var exactCases = 0
        for _ in 0..<20_000 {
            let a = random(&rng, digits: 20, exponents: -15...15)
            let b = random(&rng, digits: 20, exponents: -15...15)
            // The exact sum spans at most this many digits; when that is
            // within 38, the wide context holds it exactly.
            let top = max(Int(a.exponent) + a.digits, Int(b.exponent) + b.digits) + 1
            guard top - min(Int(a.exponent), Int(b.exponent)) <= 38 else { continue }
            let s = try ExactDecimal.add(a, b)
            guard s == (try ExactDecimal.add(a, b, wide)) else { continue }  // rounded to 28 digits
            exactCases += 1
            XCTAssertEqual(try ExactDecimal.subtract(s, b), a, "(\(a) + \(b)) - \(b)")
        }
        XCTAssertGreaterThan(exactCases, 10_000)
    }

    /// Every result is rounded to 28 digits, whichever path computes it.
    func testEveryResultIsRounded() throws {
        let x = ExactDecimal(parsing: "1234567890123456789012345678901")!  // 31 digits, kept exactly as a literal
        let r = ExactDecimal(parsing: "1234567890123456789012345679000")!
        XCTAssertEqual(try ExactDecimal.add(x, .zero), r)
        XCTAssertEqual(try ExactDecimal.add(.zero, x), r)
        XCTAssertEqual(try ExactDecimal.subtract(x, .zero), r)
        XCTAssertEqual(try x.minus(), r.negated())
        XCTAssertEqual(try x.negated().absolute(), r)
        XCTAssertEqual(try ExactDecimal.multiply(x, .one), r)
    }

    func testParseTellsOutOfRangeFromNotANumber() {
        XCTAssertEqual(ExactDecimal.parse("1e-9223372036854775808"), .outOfRange)
        XCTAssertEqual(ExactDecimal.parse("1e-1000038"), .outOfRange)
        XCTAssertEqual(ExactDecimal.parse("1e+1000000"), .outOfRange)
        XCTAssertEqual(ExactDecimal.parse("1e-1000026"), .value(ExactDecimal(coefficient: 1, exponent: -1_000_026)))
        XCTAssertEqual(ExactDecimal.parse("0e-99999999999"), .value(.zero))
        XCTAssertEqual(ExactDecimal.parse("1e"), .notANumber)
        XCTAssertEqual(ExactDecimal.parse("1e+-5"), .notANumber)
        XCTAssertEqual(ExactDecimal.parse("--1"), .notANumber)
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
