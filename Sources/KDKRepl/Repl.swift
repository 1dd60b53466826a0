import Foundation
import KDK

/// The interactive loop: prompts, multi-line input, history, Ctrl-C and
/// Ctrl-D, around a `Session`. With input that is not a terminal it reads
/// plain lines and prints no prompts, so `echo '1 + 1' | kdk` prints `2`.
public struct Repl {
    /// Runs the REPL until :quit or Ctrl-D.
    public static func run(limits: Limits, root: URL) {
        let interactive = isatty(0) == 1
        let color = isatty(1) == 1 && isatty(2) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let stderr = FileHandle.standardError
        let session = Session(limits: limits, color: color, output: { text in
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
        }, errors: { text in
            stderr.write(Data((text + "\n").utf8))
        })
        if !interactive {
            plain(session)
            return
        }
        Interrupt.install()
        session.isCancelled = { Interrupt.isSet }
        let home = ProcessInfo.processInfo.environment["KDK_HISTORY"]
            ?? (ProcessInfo.processInfo.environment["HOME"] ?? NSTemporaryDirectory()) + "/.kdk_history"
        let editor = LineEditor(historyPath: home, completer: { line, cursor in session.completions(line: line, cursor: cursor) })
        let (bold, reset) = color ? ("\u{1B}[1;36m", "\u{1B}[0m") : ("", "")
        print("kdk \(KDKInfo.version): exact-money rules and scenarios. :help for commands, Ctrl-D to leave.")
        var pending = ""
        loop: while true {
            let prompt = pending.isEmpty ? "\(bold)kdk>\(reset) " : "\(bold)...>\(reset) "
            switch editor.read(prompt: prompt) {
            case .end:
                if !pending.isEmpty { pending = ""; print(""); continue }
                print("")
                break loop
            case .interrupted:
                // Ctrl-C at the prompt drops what was typed.
                pending = ""
                print("")
                continue
            case .line(let line):
                pending += (pending.isEmpty ? "" : "\n") + line
                if !pending.hasPrefix(":") && Engine.isIncomplete(pending) { continue }
                let input = pending
                pending = ""
                editor.remember(input.replacingOccurrences(of: "\n", with: " "))
                Interrupt.clear()
                if !session.handle(input) { break loop }
                _ = Interrupt.take()
            }
        }
        editor.save()
    }

    /// Piped input: complete inputs only, results and errors only.
    static func plain(_ session: Session) {
        var pending = ""
        while let line = readLine() {
            pending += (pending.isEmpty ? "" : "\n") + line
            if !pending.hasPrefix(":") && Engine.isIncomplete(pending) { continue }
            let input = pending
            pending = ""
            if !session.handle(input) { return }
        }
        if !pending.isEmpty { session.handle(pending) }
    }
}
