import ArgumentParser
import Foundation
import KDK

/// `kdk fmt`: rewrites files in the one layout (`Formatter`), or with
/// `--check` only says which would change, for CI.
struct Fmt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Format .kdk files in place, in kdk's one layout (comments kept).",
        discussion: """
        Indentation is two spaces per open bracket, and one level more for a line that continues a statement (it starts with |>, .name or an operator, or the line before ended with one). One space around operators and after commas; model fields align their =; trailing comments on consecutive lines align. A line over 100 characters is broken inside its first ( or [ that holds commas. Line breaks are never removed, and kdk checks the tokens before writing, so formatting cannot change what a file means. A file with syntax errors is reported and left alone. docs/editors.md has the full rules.

        Examples:
          kdk fmt rules.kdk                  format in place
          kdk fmt --check examples/*.kdk     exit 1 if any file is not formatted (CI)
          kdk fmt --stdout rules.kdk         print the result instead
        """)

    @Argument(help: "The files to format.") var files: [String]
    @Flag(help: "Change nothing; list the files that are not formatted and exit 1 if there are any.") var check = false
    @Flag(help: "Print the formatted text instead of writing the file.") var stdout = false

    func run() throws {
        var failed = false
        for f in files {
            let source = try Terminal.loadSource(f)
            let formatted: String
            do { formatted = try Formatter.format(source, name: f) } catch let d as DiagnosticList {
                Terminal.report(d.diagnostics)
                failed = true
                continue
            }
            if stdout { print(formatted, terminator: ""); continue }
            if formatted == source { continue }
            if check {
                print("\(f): not formatted (run: kdk fmt \(f))")
                failed = true
                continue
            }
            do { try write(formatted, to: f) } catch {
                Terminal.report([Diagnostic(.error, "cannot write '\(f)': \(error.localizedDescription)", at: .none)])
                failed = true
                continue
            }
            print("\(f): formatted")
        }
        if failed { throw ExitCode(1) }
    }

    /// Replaces the file whole (a new file renamed over it), keeping its permissions.
    func write(_ text: String, to path: String) throws {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw CocoaError(.fileWriteNoPermission)
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        if let mode = attributes?[.posixPermissions] {
            try? FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        }
    }
}
