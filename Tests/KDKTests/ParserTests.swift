import XCTest
@testable import KDK

/// Parser tests render the tree as an S-expression so shapes are easy to read.
final class ParserTests: XCTestCase {
    func show(_ e: Expr) -> String {
        switch e.kind {
        case .literal(let v): return v.literal()
        case .unitLiteral(let d, let u, _): return "(\(d) \(u))"
        case .name(let n): return n
        case .binary(let op, let a, let b): return "(\(op.symbol) \(show(a)) \(show(b)))"
        case .negate(let a): return "(neg \(show(a)))"
        case .and(let a, let b): return "(and \(show(a)) \(show(b)))"
        case .or(let a, let b): return "(or \(show(a)) \(show(b)))"
        case .not(let a): return "(not \(show(a)))"
        case .coalesce(let a, let b): return "(?? \(show(a)) \(show(b)))"
        case .range(let a, let b, let c): return "(\(c ? "..." : "..<") \(show(a)) \(show(b)))"
        case .call(let f, let args): return "(\(show(f))\(args.map { " " + ($0.label.map { $0 + ":" } ?? "") + show($0.value) }.joined()))"
        case .methodCall(let r, let n, _, let args): return "(.\(n) \(show(r))\(args.map { " " + show($0.value) }.joined()))"
        case .field(let r, let n, _): return "(. \(show(r)) \(n))"
        case .lambda(let ps, let b): return "(fn [\(ps.map { $0.name }.joined(separator: " "))] \(show(b)))"
        case .ifElse(let c, let a, let b): return "(if \(show(c)) \(show(a)) \(show(b)))"
        case .list(let xs): return "[\(xs.map(show).joined(separator: " "))]"
        case .record(let fs): return "{\(fs.map { "\($0.name): \(show($0.value))" }.joined(separator: " "))}"
        case .block(let ls, let r): return "(block \(ls.map { "\($0.name)=\(show($0.value)) " }.joined())\(show(r)))"
        case .with(let b, let fs): return "(with \(show(b)) \(fs.map { $0.name }.joined(separator: " ")))"
        case .index(let a, let i): return "(idx \(show(a)) \(show(i)))"
        case .text: return "text"
        }
    }

    func parse(_ s: String) -> String {
        let (script, diags) = Parser.parse(SourceFile(name: "t", text: s))
        if !diags.isEmpty { return "error: " + diags.map { $0.message }.joined(separator: "; ") }
        guard case .expr(let e)? = script.statements.last else { return "no expression" }
        return show(e)
    }

    func testPrecedence() {
        XCTAssertEqual(parse("1 + 2 * 3"), "(+ 1 (* 2 3))")
        XCTAssertEqual(parse("-2 ^ 2"), "(neg (^ 2 2))")
        XCTAssertEqual(parse("2 ^ 3 ^ 2"), "(^ 2 (^ 3 2))")
        XCTAssertEqual(parse("a or b and not c"), "(or a (and b (not c)))")
        XCTAssertEqual(parse("x ?? 1 + 2"), "(?? x (+ 1 2))")
        XCTAssertEqual(parse("1 + 2...5"), "(... (+ 1 2) 5)")
        XCTAssertEqual(parse("a in 1...5"), "(in a (... 1 5))")
        XCTAssertEqual(parse("not a == b"), "(not (== a b))")
    }

    func testUnitLiteralsBindTighterThanDivision() {
        XCTAssertEqual(parse("0.05 USDT/KDK"), "(/ (0.05 USDT) KDK)")
        XCTAssertEqual(parse("2_000 KDK * 3"), "(* (2000 KDK) 3)")
    }

    func testPipesAndMethods() {
        XCTAssertEqual(parse("xs |> sum"), "(sum xs)")
        XCTAssertEqual(parse("xs |> top(3, by: f)"), "(top xs 3 by:f)")
        XCTAssertEqual(parse("xs.filter(f).map(g)"), "(.map (.filter xs f) g)")
    }

    func testLambdasBlocksRecordsAndWith() {
        XCTAssertEqual(parse("(a, b) => a + b"), "(fn [a b] (+ a b))")
        XCTAssertEqual(parse("x => y => x"), "(fn [x] (fn [y] x))")
        XCTAssertEqual(parse("{ let a = 1; a }"), "(block a=1 a)")
        XCTAssertEqual(parse("{a: 1}"), "{a: 1}")
        XCTAssertEqual(parse("{}"), "{}")
        XCTAssertEqual(parse("r with {a: 2}"), "(with r a)")
        XCTAssertEqual(parse("if a then b else c"), "(if a b c)")
    }

    func testSeveralErrorsInOneRun() {
        let (_, diags) = Parser.parse(SourceFile(name: "t", text: "let a = )\nlet b = 1\nlet c = (\n"))
        XCTAssertEqual(diags.count, 2)
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let src = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        let (_, diags) = Parser.parse(SourceFile(name: "t", text: src))
        XCTAssertTrue(diags.contains { $0.message.contains("nested too deeply") })
        let chain = (0..<50_000).map { _ in "1" }.joined(separator: " + ")
        let (_, d2) = Parser.parse(SourceFile(name: "t", text: chain))
        XCTAssertTrue(d2.contains { $0.message.contains("too long or nested too deeply") })
        let prefix = String(repeating: "-", count: 100_000) + "1"
        let (_, d3) = Parser.parse(SourceFile(name: "t", text: prefix))
        XCTAssertFalse(d3.isEmpty)
    }

    func testModelBlocks() {
        let (script, diags) = Parser.parse(SourceFile(name: "t", text: """
            scenario Bigger extends Skeptic {
              capex = 7T USD
              score(p) = p * 2
            }
            """))
        XCTAssertTrue(diags.isEmpty)
        guard case .model(let m)? = script.statements.first else { return XCTFail() }
        XCTAssertEqual(m.kind, "scenario")
        XCTAssertEqual(m.base, "Skeptic")
        XCTAssertEqual(m.fields.map { $0.name }, ["capex", "score"])
        XCTAssertEqual(m.fields[1].params?.map { $0.name }, ["p"])
    }
}
