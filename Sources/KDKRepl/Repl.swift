import Foundation
import KDK

/// The interactive loop: prompts, multi-line input, history, Ctrl-C and
/// Ctrl-D, around a `Session`. With input that is not a terminal it reads
/// plain lines and prints no prompts, so `echo '1 + 1' | kdk` prints `2`.
public struct Repl {
    /// Runs the REPL until :quit or Ctrl-D. Returns false when input was
    /// piped and some entry failed (the caller exits 1), true otherwise.
    @discardableResult
    public static func run(limits: Limits, root: URL) -> Bool {
        let interactive = isatty(0) == 1
        let env = ProcessInfo.processInfo.environment
        let color = isatty(1) == 1 && isatty(2) == 1 && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
        let stderr = FileHandle.standardError
        let session = Session(limits: limits, color: color, output: { text in
            try? FileHandle.standardOutput.write(contentsOf: Data((text + "\n").utf8))
        }, errors: { text in
            try? stderr.write(contentsOf: Data((text + "\n").utf8))
        })
        if !interactive {
            plain(session)
            return session.failures == 0
        }
        Interrupt.install()
        session.isCancelled = { Interrupt.isSet }
        // Tables fit the terminal as it is now (it may have been resized).
        session.width = { Repl.terminalWidth() }
        let home = env["KDK_HISTORY"] ?? (env["HOME"] ?? NSTemporaryDirectory()) + "/.kdk_history"
        let editor = LineEditor(historyPath: home, completer: { line, cursor in session.completions(line: line, cursor: cursor) })
        // libedit counts a prompt's width by its characters; the escape
        // sequences are marked invisible (\u{1} ... \u{2}, which libedit's
        // readline turns into its EL_PROMPT_ESC literal markers).
        let (bold, reset) = color ? ("\u{1}\u{1B}[1;36m\u{2}", "\u{1}\u{1B}[0m\u{2}") : ("", "")
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
                // One history entry, newlines kept: recalled, it runs again.
                editor.remember(input)
                Interrupt.clear()
                if !session.handle(input) { break loop }
                _ = Interrupt.take()
            }
        }
        editor.save()
        return true
    }

    /// The terminal's width in columns, nil when standard output is not one.
    static func terminalWidth() -> Int? {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Piped input: complete inputs only, results and errors only; an error
    /// does not stop the rest (the exit status reports it).
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
