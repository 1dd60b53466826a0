import ArgumentParser
import Foundation
import KDK

/// `kdk fmt`: rewrites files in the one layout (`Formatter`), or with
/// `--check` only says which would change, for CI.
struct Fmt: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Format .kdk files in place, in kdk's one layout (comments and line breaks kept).",
        discussion: """
        Indentation is two spaces per open bracket, continuation lines (starting with |>,
        .name or an operator, or after a line ending in one) one level more; one space
        around operators and after commas; model fields align their =; trailing comments
        on consecutive lines align. Line breaks are never added or removed, so the
        meaning cannot change (kdk checks the tokens before writing). A file with syntax
        errors is reported and left alone.

        Examples:
          kdk fmt rules.kdk                    format in place
          kdk fmt --check examples/*.kdk       exit 1 if any file is not formatted (CI)
          kdk fmt --stdout rules.kdk           print the formatted text instead
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
