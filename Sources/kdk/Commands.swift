import ArgumentParser
import Foundation
import KDK
import KDKModels
import KDKRepl

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a .kdk file and show the value of its last expression.",
        discussion: "The value is shown unless it is none; a list of records is shown as a table.")

    @Argument(help: "The script to run.") var file: String
    @Flag(help: "Show the result as JSON.") var json = false
    @Flag(help: "Do not run: print what the script compiles to (resolved names, frame slots, known units, fused shapes).")
    var dump = false
    @Flag(help: "After the result, write to stderr how long each top-level statement took (wall-clock seconds; a let is counted where it is first used).")
    var timings = false
    @Option(help: "The folder the script may read and write data files and imports in (default: the script's folder).")
    var dataRoot: String?
    @OptionGroup var options: LimitOptions

    func run() throws {
        if dump {
            try Terminal.dump(source: try Terminal.loadSource(file), name: file, root: Run.root(file, dataRoot))
            return
        }
        try Run.run(file: file, json: json, dataRoot: dataRoot, limits: options.limits, timings: timings)
    }

    /// Runs `file` (also `kdk run FILE` without the parser, KDKCommand.main).
    static func run(file: String, json: Bool, dataRoot: String?, limits: Limits, timings: Bool = false) throws {
        try Terminal.execute(load: { try Engine.readSource(file) }, name: file, json: json, literal: false, limits: limits,
                             root: root(file, dataRoot), timings: timings)
    }

    /// Where the script may read data and imports: `--data-root`, else its folder.
    static func root(_ file: String, _ dataRoot: String?) -> URL {
        dataRoot.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: file).deletingLastPathComponent()
    }
}

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate an expression (or a ;-separated program) and show its value.",
        discussion: "Example: kdk eval 'let x = 5T USD; x * 10%'")

    @Flag(help: "Show the result as JSON.") var json = false
    @OptionGroup var options: LimitOptions
    // Taken as-is, so a program may start with '-' (`kdk eval -1 + 2`).
    @Argument(parsing: .allUnrecognized, help: "The program text.") var program: [String]

    func validate() throws {
        if program.isEmpty { throw ValidationError("give the program text, e.g. kdk eval '1 + 1'") }
    }

    func run() throws {
        try Terminal.execute(source: program.joined(separator: " "), name: "<eval>", json: json, literal: true, limits: options.limits,
                             root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse and check files without running them; exit 1 on any error.")

    @Argument(help: "The files to check.") var files: [String]
    @Flag(help: "Print the diagnostics as one JSON array, for tools: file, line, column, end_line, end_column, severity, code, message, notes, help, labels.")
    var json = false
    @Option(help: "Stop parsing and checking a file after this many seconds (an error); 0 for no limit.") var timeout: Double?
    @Option(help: "Also list what in each campaign cannot compile to this SQL dialect (duckdb, postgres, spark, bigquery), as kdk sql would refuse it.")
    var sql: SQLDialect?

    func run() throws {
        var failed = false
        var all: [Diagnostic] = []
        let engine = CoreModels.engine()
        for f in files {
            let diags: [Diagnostic]
            do {
                // On the large stack `kdk run` uses, so what runs also checks. The
                // deadline is polled while parsing and checking; the wait, a
                // little later, also ends reading and splitting into tokens.
                let limit = timeout.flatMap { $0 > 0 ? $0 : nil }  // 0: no limit, as for kdk run
                let dialect = sql
                diags = try withLargeStack(timeout: limit.map { $0 + 1 }) {
                    let source = try Engine.readSource(f), root = URL(fileURLWithPath: f).deletingLastPathComponent()
                    let found = engine.check(source, name: f, importRoot: root, timeout: limit)
                    guard let dialect, !found.contains(where: { $0.severity == .error }) else { return found }
                    return found + SQLCompiler.check(source, name: f, importRoot: root, dialect: dialect)
                }
            } catch let d as DiagnosticList {
                diags = d.diagnostics
            }
            if diags.contains(where: { $0.severity == .error }) { failed = true }
            if json { all += diags; continue }
            Terminal.report(diags)
            if !diags.contains(where: { $0.severity == .error }) { print("\(f): ok") }
        }
        if json { print("[" + all.map { $0.namingCommandLineFlags().json }.joined(separator: ",\n ") + "]") }
        if failed { throw ExitCode(1) }
    }
}

struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Start the interactive REPL (the default when no command is given).")

    @OptionGroup var options: LimitOptions

    func run() throws {
        // Piped input in which some entry failed exits 1.
        if !Repl.run(limits: options.limits, root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
            throw ExitCode(1)
        }
    }
}
