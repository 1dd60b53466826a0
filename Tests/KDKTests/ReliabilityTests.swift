import Foundation
import XCTest
@testable import KDK
import KDKModels

/// Hostile and unlucky input ends in a value or a located error within the
/// limits, never a crash, a hang or silent loss. Small sizes here; the full
/// sizes are in scripts/fuzz/hostile.py --scale full.
final class ReliabilityTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-rel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func run(_ src: String, limits: Limits = Limits()) throws -> Value {
        try CoreModels.engine().compile(src).run(limits: limits, access: HostAccess(fileRoot: dir, allowWrite: true, output: { _ in }))
    }

    func message(_ src: String, limits: Limits = Limits()) -> String {
        do { _ = try run(src, limits: limits); return "no error" } catch let d as DiagnosticList {
            return d.diagnostics.map { $0.message }.joined(separator: "; ")
        } catch { return "\(error)" }
    }

    /// A chain of lets is checked one link at a time: 20,000 links on this
    /// thread's stack (one recursion per link used to need ~12 KB each).
    func testALongChainOfLetsChecksWithoutRecursion() throws {
        let n = 20_000
        let src = (0..<n).map { "let a\($0) = a\($0 + 1) + 1" }.joined(separator: "\n") + "\nlet a\(n) = 0\na0 - a\(n - 5)"
        let diags = CoreModels.engine().check(src)
        XCTAssertTrue(diags.isEmpty, "\(diags.first?.message ?? "")")
        // A cycle in a long chain is still found (iteratively) and named.
        let cyclic = (0..<n).map { "let a\($0) = a\(($0 + 1) % n) + 1" }.joined(separator: "\n") + "\na0"
        let found = CoreModels.engine().check(cyclic).map { $0.message }
        XCTAssertEqual(found.count, 1)
        XCTAssertTrue(found.first?.hasPrefix("'a0' depends on itself: a0 -> a1 -> a2") == true, "\(found)")
    }

    /// Walking a value with shared structure is counted: a list doubled 60
    /// times is built in 60 steps but has 2^60 elements.
    func testWalksOverSharedStructureEndAtALimit() throws {
        let doubled = "let x = reduce(range(0, 60), [1], (a, i) => [a, a])\n"
        let small = Limits(maxSteps: 1_000_000)
        XCTAssertEqual(try run(doubled + "x == x", limits: small), .bool(true))  // the same list: no walk
        XCTAssertEqual(message(doubled + "x == reduce(range(0, 60), [1], (a, i) => [a, a])", limits: small), "step limit exceeded (1000000 steps)")
        XCTAssertEqual(message(doubled + "[x] == [reduce(range(0, 60), [1], (a, i) => [a, a])]", limits: small), "step limit exceeded (1000000 steps)")
        XCTAssertEqual(message(doubled + "unique([x, reduce(range(0, 60), [1], (a, i) => [a, a])])", limits: small), "step limit exceeded (1000000 steps)")
        XCTAssertEqual(message(doubled + "x in [reduce(range(0, 60), [1], (a, i) => [a, a])]", limits: small), "step limit exceeded (1000000 steps)")
        XCTAssertEqual(message(doubled + "to_json(x)", limits: small), "step limit exceeded (1000000 steps)")
        XCTAssertEqual(message(doubled + "sort([x, reduce(range(0, 60), [1], (a, i) => [a, a]), [0]])", limits: small), "step limit exceeded (1000000 steps)")
        XCTAssertEqual(message(doubled + "x < reduce(range(0, 60), [1], (a, i) => [a, a])", limits: small), "step limit exceeded (1000000 steps)")
        XCTAssertEqual(message(doubled + "to_json(x)", limits: Limits(maxSize: 10_000)), "size limit exceeded: JSON text of more than 10000 characters")
    }

    /// JSON deeper than the reader accepts is an error, never `null`; what the
    /// reader accepts round-trips.
    func testDeepValuesRoundTripThroughJSONOrFail() throws {
        XCTAssertEqual(try run("let v = reduce(range(0, 500), 1, (a, x) => [a])\nparse_json(to_json(v)) == v"), .bool(true))
        XCTAssertEqual(message("to_json(reduce(range(0, 600), 1, (a, x) => [a]))"),
                       "too deeply nested for JSON (more than 512 levels, which the JSON reader refuses too)")
        XCTAssertEqual(message("write_json(\"deep.json\", reduce(range(0, 600), 1, (a, x) => [a]))"),
                       "too deeply nested for JSON (more than 512 levels, which the JSON reader refuses too)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("deep.json").path))
    }

    /// A value nested 100,000 deep is compared, not walked off the stack.
    func testDeepValuesAreComparedWithinTheStack() throws {
        let deep = "reduce(range(0, 100000), 1, (a, x) => [a])"
        let outcome: String = try withLargeStack(size: 1 << 28) {
            do { _ = try CoreModels.engine().compile("\(deep) == \(deep)").run(); return "no error" } catch let d as DiagnosticList {
                return d.diagnostics.map { $0.message }.joined(separator: "; ")
            }
        }
        XCTAssertEqual(outcome, "value nested too deeply to walk")
    }

    func testOnlyRegularFilesAreRead() throws {
        let fifo = dir.appendingPathComponent("pipe.csv").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertEqual(message("read_csv(\"pipe.csv\")"), "'pipe.csv' is not a regular file (a pipe, socket or device)")
        XCTAssertEqual(message("read_json(\"pipe.csv\")"), "'pipe.csv' is not a regular file (a pipe, socket or device)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        XCTAssertEqual(message("read_csv(\"sub\")"), "'sub' is a folder, not a file")
        XCTAssertEqual(message("write_csv(\"sub\", [{a: 1}])"), "'sub' is a folder, not a file")
        // kdk check does not open the pipe either (it would wait for a writer).
        let diags = CoreModels.engine().check("read_csv(\"pipe.csv\")", dataRoot: dir)
        XCTAssertTrue(diags.isEmpty)
    }

    func testDuplicateCSVHeadersAreAnError() throws {
        try Data("id,amount,amount\n1,2,3\n".utf8).write(to: dir.appendingPathComponent("dup.csv"))
        XCTAssertEqual(message("read_csv(\"dup.csv\")"), "dup.csv:1:1: columns 2 and 3 are both named 'amount'")
    }

    func testCSVFieldsAreCappedByTheSizeLimit() throws {
        try Data(("a,b\n" + String(repeating: "x", count: 5_000)).utf8).write(to: dir.appendingPathComponent("long.csv"))
        XCTAssertEqual(message("read_csv(\"long.csv\")", limits: Limits(maxSize: 1_000)), "long.csv:2:1: a field longer than 1000 bytes (the size limit)")
        try Data(("a\n\"" + String(repeating: "x", count: 5_000)).utf8).write(to: dir.appendingPathComponent("quoted.csv"))
        XCTAssertEqual(message("read_csv(\"quoted.csv\")", limits: Limits(maxSize: 1_000)), "quoted.csv:2:1: a field longer than 1000 bytes (the size limit)")
    }

    /// Writing never replaces a read-only file, and keeps a file's mode.
    func testWritesKeepModeAndRefuseReadOnlyFiles() throws {
        let path = dir.appendingPathComponent("out.csv").path
        XCTAssertEqual(try run("write_csv(\"out.csv\", [{a: 1}])"), .number(ExactDecimal(1)))
        XCTAssertEqual(chmod(path, 0o640), 0)
        _ = try run("write_csv(\"out.csv\", [{a: 2}])")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, 0o640)
        XCTAssertEqual(chmod(path, 0o444), 0)
        if getuid() != 0 || access(path, W_OK) != 0 {  // root may write anything; then only the mode is checked
            XCTAssertEqual(message("write_csv(\"out.csv\", [{a: 3}])"), "'out.csv' is read-only: kdk does not replace it")
            XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "a\n2\n")
        }
    }

    func testASourceFileMayStartWithAByteOrderMark() throws {
        let path = dir.appendingPathComponent("bom.kdk")
        try Data([0xEF, 0xBB, 0xBF] + Array("1 + 1\n".utf8)).write(to: path)
        XCTAssertEqual(try Engine.readSource(path.path), "1 + 1\n")
    }
}

extension ReliabilityTests {
    /// Compiled functions are freed with their program, however they refer
    /// to each other: a fn calling itself, two calling each other, one
    /// passing itself to `map`, a lambda calling them (each was a cycle).
    func testFunctionsThatReferToEachOtherAreFreedWithTheirProgram() throws {
        let sources = [
            "fn f(n) = if n <= 0 then 0 else f(n - 1)\nf(3)",
            "fn even(n) = if n == 0 then true else odd(n - 1)\nfn odd(n) = if n == 0 then false else even(n - 1)\neven(10)",
            "fn depth(n) = if n <= 0 then 0 else sum(map([n - 1], depth)) + 1\ndepth(3)",
            "fn g(n) = n + 1\nfn h(xs) = map(xs, x => g(x) + h([]).len())\nh([1, 2])",
        ]
        for source in sources {
            weak var compiled: CompiledFunction?
            weak var image: ProgramImage?
            do {
                let program = try Engine().compile(source)
                XCTAssertNoThrow(try program.run(), source)
                compiled = program.image.functions.first
                image = program.image
                XCTAssertNotNil(compiled, source)
            }
            XCTAssertNil(compiled, "a compiled function outlived its program: \(source)")
            XCTAssertNil(image, "the program image outlived its program: \(source)")
        }
    }

    /// A closure or model that outlives its run keeps its program alive and
    /// runs on a machine of its own program when another program calls it:
    /// its code reads its own globals, not the caller's (it read the slot of
    /// the same index in the caller, a wrong value).
    func testClosuresAndModelsOfAnotherProgramRunInTheirOwn() throws {
        let engine = CoreModels.engine()
        let made = try engine.compile("""
            let rate = 2
            fn scale(x) = x * rate
            scenario S {
              base = 10 * rate
              times(x) = x * base
            }
            [scale, x => scale(x) + rate, S]
            """).run()
        guard case .list(let parts) = made, parts.count == 3 else { return XCTFail("\(made)") }
        var e = CoreModels.engine()
        e.define("f", parts[0])
        e.define("g", parts[1])
        e.define("s", parts[2])
        let using = try e.compile("""
            let zz = 1000
            let rate = 7
            [f(3), g(3), map([1, 2], f), s.base, s.times(2), map([1], s.times).sum(), (s with { base = 1 }).times(5)]
            """)
        XCTAssertEqual(try using.run().literal(), "[6, 8, [2, 4], 20, 40, 20, 5]")
    }
}

extension ReliabilityTests {
    /// A host's deadline covers parsing and checking, as `Limits.timeout` covers a run.
    func testCompileAndCheckHonourATimeout() throws {
        let src = (0..<5_000).map { "let a\($0) = \($0)" }.joined(separator: "\n")
        let diags = CoreModels.engine().check(src, timeout: 1e-9)
        XCTAssertEqual(diags.map { $0.message }, ["time limit exceeded while reading the source"])
        XCTAssertEqual(diags.first?.code, "E0402")
        XCTAssertEqual(diags.first?.location?.line, 4097, "the lexer polls after every 4,096 lines")
        XCTAssertThrowsError(try CoreModels.engine().compile(src, timeout: 1e-9))
        XCTAssertTrue(CoreModels.engine().check(src, timeout: 0).isEmpty, "0 means no limit, as in Limits")
        XCTAssertTrue(CoreModels.engine().check(src, timeout: 60).isEmpty)
        // The checker polls too: a deadline met after parsing stops the check.
        let checker = Checker(file: SourceFile(name: "t", text: src), builtins: Library.standard.functions, kinds: [:])
        checker.deadline = 0
        checker.check(Parser.parse(SourceFile(name: "t", text: src)).0, hostValues: [])
        XCTAssertEqual(checker.diagnostics.map { $0.message }, ["time limit exceeded while checking"])
        // So do the parser, on tokens read in time, and the compiler.
        let file = SourceFile(name: "t", text: src)
        var parser = Parser(file: file, tokens: Lexer.tokenize(file).0)
        parser.deadline = 0
        _ = parser.parseStatements()
        XCTAssertEqual(parser.diagnostics.map { $0.message }, ["time limit exceeded while parsing"])
        let clean = Checker(file: file, builtins: Library.standard.functions, kinds: [:])
        let script = Parser.parse(file).0
        clean.check(script, hostValues: [])
        let compiler = Compiler(clean.checkedProgram(script))
        compiler.deadline = 0
        _ = compiler.compileProgram()
        XCTAssertEqual(compiler.timedOutAt?.name, "a4095")
    }
}

extension ReliabilityTests {
    /// Swift frees nested lists by recursion (about 160 bytes of stack a
    /// level): `Program.value` and `withLargeStack` run on a stack reserved
    /// large enough that a value nested 2,000,000 deep (more than the old
    /// 256 MB thread could free) is made and freed without a crash.
    func testAValueNestedMillionsDeepIsFreedOnTheRunThread() async throws {
        let program = try Engine().compile("len(reduce(range(0, 2000000), 1, (a, x) => [a]))")
        let v = try await program.value(limits: Limits(maxSteps: 0))
        XCTAssertEqual(v, Value(1))
        XCTAssertEqual(try withLargeStack { try program.run(limits: Limits(maxSteps: 0)) }, Value(1))
    }
}
