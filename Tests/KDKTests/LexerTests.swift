import XCTest
@testable import KDK

final class LexerTests: XCTestCase {
    func kinds(_ s: String) -> [Token.Kind] {
        Lexer.tokenize(SourceFile(name: "t", text: s)).0.map { $0.kind }
    }

    func testNumbersWithSuffixesAndPercent() {
        XCTAssertEqual(kinds("5T 650B 2.5M 10K 10% 2_000 1e6"), [
            .number(ExactDecimal(parsing: "5e12")!), .number(ExactDecimal(parsing: "650e9")!),
            .number(ExactDecimal(parsing: "2.5e6")!), .number(ExactDecimal(parsing: "1e4")!),
            .number(ExactDecimal(parsing: "0.1")!), .number(ExactDecimal(2000)), .number(ExactDecimal(1_000_000)), .eof,
        ])
    }

    func testRangeIsNotADecimalPoint() {
        XCTAssertEqual(kinds("2...6"), [.number(ExactDecimal(2)), .op(.closedRange), .number(ExactDecimal(6)), .eof])
        XCTAssertEqual(kinds("2..<6"), [.number(ExactDecimal(2)), .op(.halfOpenRange), .number(ExactDecimal(6)), .eof])
    }

    func testTimesAndDates() {
        let k = kinds("2025-12-19T12:00+08:00 2025-12-19")
        guard case .temporal(.time(let t)) = k[0], case .temporal(.date(let d)) = k[1] else { return XCTFail("\(k)") }
        XCTAssertEqual(t.seconds, 1_766_116_800)
        XCTAssertEqual(t.offsetMinutes, 480)
        XCTAssertEqual(Calendar.format(date: d), "2025-12-19")
    }

    func testMissingOffsetIsAnErrorWithHelp() {
        let (_, errs) = Lexer.tokenize(SourceFile(name: "t", text: "2025-12-19T12:00"))
        XCTAssertEqual(errs.count, 1)
        XCTAssertTrue(errs[0].message.contains("no UTC offset"))
        XCTAssertTrue(errs[0].help.first?.contains("+08:00") ?? false)
    }

    func testStringPartsAndInterpolation() {
        let k = kinds("\"a\\n\\(x)b\"")
        guard case .string(let parts) = k[0] else { return XCTFail() }
        XCTAssertEqual(parts.count, 3)
        XCTAssertEqual(parts[0], .literal("a\n"))
        XCTAssertEqual(parts[1], .interpolation(SourceRange(6, 7)))
        XCTAssertEqual(parts[2], .literal("b"))
    }

    func testNewlinesSeparateOnlyOutsideParensAndAfterCompleteLines() {
        XCTAssertEqual(kinds("a\nb"), [.ident("a"), .newline, .ident("b"), .eof])
        XCTAssertEqual(kinds("(a\nb)"), [.op(.leftParen), .ident("a"), .ident("b"), .op(.rightParen), .eof])
        XCTAssertEqual(kinds("a +\nb"), [.ident("a"), .op(.plus), .ident("b"), .eof])
        XCTAssertEqual(kinds("a\n|> b"), [.ident("a"), .op(.pipe), .ident("b"), .eof])
        XCTAssertEqual(kinds("a\n  .b"), [.ident("a"), .op(.dot), .ident("b"), .eof])
        XCTAssertEqual(kinds("a # note\nb"), [.ident("a"), .newline, .ident("b"), .eof])
    }

    func testUnicodeIdentifiersAndKeywords() {
        XCTAssertEqual(kinds("发帖数 let"), [.ident("发帖数"), .keyword(.let), .eof])
    }

    func testInvalidCharactersAreReportedOnce() {
        let (_, errs) = Lexer.tokenize(SourceFile(name: "t", text: "1 $ 2"))
        XCTAssertEqual(errs.map { $0.range.start }, [2])
    }
}
