import ArgumentParser
import CFreedMemory
import Foundation
import KDK
import KDKModels

/// Shared plumbing of the commands: reading sources, running programs on a
/// large stack, printing results and diagnostics.
enum Terminal {
    static var stderrIsTTY: Bool { isatty(2) == 1 }
    static var useColor: Bool { stderrIsTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

    static func report(_ diags: [Diagnostic]) {
        guard !diags.isEmpty else { return }
        let text = diags.map { $0.namingCommandLineFlags().render(color: useColor) }.joined(separator: "\n\n")
        try? FileHandle.standardError.write(contentsOf: Data((text + "\n").utf8))
    }

    static func loadSource(_ path: String) throws -> String {
        do { return try Engine.readSource(path) } catch let d as DiagnosticList {
            report(d.diagnostics)
            throw ExitCode(1)
        }
    }

    /// Prints what a script compiles to, without running it.
    static func dump(source: String, name: String, root: URL) throws {
        let listing: Result<String, DiagnosticList> = try withLargeStack {
            do { return .success(try CoreModels.engine().dump(source, name: name, importRoot: root)) } catch let d as DiagnosticList { return .failure(d) }
        }
        switch listing {
        case .success(let text): print(text)
        case .failure(let d):
            report(d.diagnostics)
            throw ExitCode(1)
        }
    }

    /// Runs a program and prints its value: as JSON, as a kdk literal
    /// (`kdk eval`), or for people (`kdk run`: grouped money, tables).
    static func execute(source: String, name: String, json: Bool, literal: Bool, limits: Limits, root: URL) throws {
        try execute(load: { source }, name: name, json: json, literal: literal, limits: limits, root: root)
    }

    /// Reads (with `load`), compiles and runs a program and prints its value.
    /// With `timings`, a table of each top-level statement's time follows on stderr.
    static func execute(load: @escaping @Sendable () throws -> String, name: String, json: Bool, literal: Bool, limits: Limits, root: URL,
                        timings: Bool = false) throws {
        kdk_keep_freed_memory()  // one-shot: freed memory is reused, not given back
        let engine = CoreModels.engine()
        let access = HostAccess(fileRoot: root, allowWrite: true, output: { line in
            try? FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8))
        })
        // Reading, compiling, running, showing and freeing the value all happen
        // on the large stack (a value nested a million deep is released
        // recursively). --timeout is one deadline for the whole command:
        // parsing and checking poll it, the run gets what is left (and says
        // where it stopped); the wait, a second later, also ends reading and
        // the freeing of a large program that ran out of time.
        let start = Date()
        let left = { @Sendable in limits.timeout.map { max(0.001, $0 - Date().timeIntervalSince(start)) } }
        let outcome: Result<(String?, [Diagnostic], [StatementTiming]), DiagnosticList>
        do {
            outcome = try withLargeStack(timeout: limits.timeout.map { $0 + 1 }) {
            do {
                let source = try load()
                let program = try engine.compile(source, name: name, importRoot: root, timeout: left())
                report(program.warnings)
                var runLimits = limits
                runLimits.timeout = left()
                let (value, w, took) = timings ? try program.runTimed(limits: runLimits, access: access)
                                               : try { let (v, w) = try program.runReporting(limits: runLimits, access: access); return (v, w, []) }()
                if json {
                    do { return .success((try JSONWriter.encode(value), w, took)) } catch let e as EvalError {
                        throw DiagnosticList([Diagnostic(.error, "the result cannot be written as JSON: \(e.message)", at: .none, code: .runtime)])
                    }
                }
                if value.isNone { return .success((nil, w, took)) }
                return .success((literal ? value.literal() : value.display(style: program.displayStyle), w, took))
            } catch let d as DiagnosticList {
                return .failure(d)
            }
            }
        } catch let d as DiagnosticList {
            outcome = .failure(d)
        }
        switch outcome {
        case .success(let (text, warnings, took)):
            report(warnings)
            if let text { print(text) }
            if timings { reportTimings(took) }
        case .failure(let d):
            report(d.diagnostics)
            throw ExitCode(1)
        }
    }

    /// The table `kdk run --timings` writes to stderr: one row per top-level
    /// statement, in order, its line and wall-clock seconds (to a tenth of
    /// a microsecond: a fast statement takes a few).
    static func reportTimings(_ timings: [StatementTiming]) {
        var lines = ["   line      seconds  statement"]
        for t in timings {
            var text = t.statement.trimmingCharacters(in: .whitespaces)
            if text.count > 60 { text = String(text.prefix(59)) + "…" }
            let line = String(t.line), seconds = String(format: "%.7f", t.seconds)
            lines.append(String(repeating: " ", count: max(0, 7 - line.count)) + line
                         + String(repeating: " ", count: max(0, 13 - seconds.count)) + seconds + "  " + text)
        }
        try? FileHandle.standardError.write(contentsOf: Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
