import ArgumentParser
import Foundation
import KDK
import KDKModels

@main
struct KDKCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kdk",
        abstract: "kdk: exact-money rules, token allocations and investment scenarios.",
        discussion: """
        kdk evaluates declarations written in the kdk language: campaign reward rules,
        token-sale allocations and investment scenarios, with exact decimal numbers and
        checked units.

        Examples:
          kdk run examples/ai_capex.kdk         run a script, show its last value
          kdk run rules.kdk --json              ... as JSON
          kdk eval '0.1 + 0.2 == 0.3'           evaluate an expression
          kdk eval 'unit KDK; 2_000 KDK * 0.05 USDT/KDK'   declare a token, price it
          kdk check rules.kdk                   check without running
          kdk sql rules.kdk --dialect duckdb --table posts   the campaign as one SQL query
          kdk fmt rules.kdk                     format in place (--check for CI)
          kdk lsp                               the language server, for editors
          kdk jupyter install --user            the Jupyter kernel, for notebooks
          kdk                                   start the interactive REPL

        Exit status: 0 success, 1 a diagnostic (syntax, check, runtime error or limit),
        2 a usage error. Diagnostics go to standard error as path:line:col: error: ...
        """,
        version: KDKInfo.version,
        subcommands: [Run.self, Eval.self, Check.self, SQLCommand.self, Fmt.self, Lsp.self, ReplCommand.self, KernelCommand.self, JupyterCommand.self],
        defaultSubcommand: ReplCommand.self)

    /// Parses arguments with usage errors mapped to exit status 2.
    static func main() {
        do {
            // `kdk run FILE` and nothing else, the commonest command line, is
            // run without parsing: the parser's reflection over the command
            // tree was 16M of the 36M instructions of `kdk run` on `1`
            // (callgrind), about a third of its start-up. The limits are
            // `Run`'s defaults (CLITests checks they are `Limits()`).
            let args = Array(CommandLine.arguments.dropFirst())
            if args.count == 2, args[0] == "run", !args[1].hasPrefix("-") {
                try Run.run(file: args[1], json: false, dataRoot: nil, limits: Limits())
                return
            }
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode {
                exit(withError: error)
            }
            try? FileHandle.standardError.write(contentsOf: Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}


/// Options shared by the commands that run programs.
struct LimitOptions: ParsableArguments {
    @Option(help: "Stop after this many steps (function calls and loop iterations); 0 for no limit.")
    var maxSteps: Int = 200_000_000
    @Option(help: "Deepest allowed recursion.")
    var maxDepth: Int = 10_000
    @Option(help: "Largest list or text a program may build (elements or bytes).")
    var maxSize: Int = 50_000_000
    @Option(help: "Stop after this many seconds (reading, checking and running); 0 for no limit.")
    var timeout: Double?
    @Option(help: "Threads for work over many rows (reading a CSV, a campaign's rules over its entries); default: one per core, 1 for none.")
    var threads: Int?

    var limits: Limits {
        // 0 means no limit for steps and time, here as in `Limits`.
        var l = Limits(maxSteps: maxSteps, maxDepth: min(maxDepth, 1_000_000), maxSize: maxSize, timeout: timeout)
        l.threads = threads
        return l
    }
}
