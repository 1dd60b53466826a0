import CLibEdit
import Foundation

import Synchronization

/// Line editing, history and completion on libedit's readline interface.
///
/// libedit calls back through C function pointers, which cannot capture
/// context, so the completer and its pending matches live in one global for
/// the one editor a process has, behind a mutex (touched only on the thread
/// that runs the prompt, inside `readline`; the lock makes that checked
/// rather than assumed). The pseudo-terminal test (Tests/KDKReplTests/pty)
/// exercises completion.
private struct CompletionState {
    var completer: Completer?
    var matches: [String] = []
    var index = 0
}

private let completion = Mutex(CompletionState())

/// The REPL's completer, which reads its session. Unchecked: it is called
/// only from libedit's hook, inside `readline`, on the thread that runs the
/// prompt and owns the session; no other thread ever calls it.
private struct Completer: @unchecked Sendable {
    let call: (String, Int) -> (Int, [String])
}

private func generator(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    completion.withLock { c in
        if state == 0 { c.index = 0 }
        guard c.index < c.matches.count else { return nil }
        defer { c.index += 1 }
        return strdup(c.matches[c.index])
    }
}

private func completionHook(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    let buffer = String(cString: kdk_line_buffer())
    // libedit gives byte offsets; the completer works in characters.
    let bytes = Array(buffer.utf8)
    let upto = String(decoding: bytes.prefix(Int(end)), as: UTF8.self)
    guard let (ourStart, found) = completion.withLock({ c in c.completer.map { $0.call(buffer, upto.count) } }) else { return nil }
    // libedit replaces the text from `start`; our word may begin later (after
    // a '.'), so each candidate carries what lies between.
    let chars = Array(upto)
    let theirs = String(decoding: bytes.prefix(Int(start)), as: UTF8.self).count
    let between = theirs < ourStart && ourStart <= chars.count ? String(chars[theirs..<ourStart]) : ""
    let candidates = found.map { between + $0 }
    completion.withLock { $0.matches = candidates }
    guard !candidates.isEmpty else { return nil }
    // No space after a completion: `sum (xs)` would not be a call.
    kdk_set_append_character(0)
    guard let text else { return nil }
    return rl_completion_matches(text, generator)
}

/// The terminal side of the REPL.
public final class LineEditor {
    /// What a read gave.
    public enum Input { case line(String), interrupted, end }

    let historyPath: String
    var lastAdded: String?
    /// Most lines kept in the history file.
    public static let historyLimit = 1000

    /// Loads the history and installs the completer.
    public init(historyPath: String, completer: @escaping (String, Int) -> (Int, [String])) {
        self.historyPath = historyPath
        setlocale(LC_CTYPE, "")  // or UTF-8 (the Chinese hashtags) is edited byte by byte
        kdk_set_readline_name("kdk")
        let box = Completer(call: completer)
        completion.withLock { $0.completer = box }
        kdk_set_completion(completionHook)
        // libedit's own word breaks are kept (changing them crashes some
        // versions); candidates are widened to its word in the hook instead.
        using_history()
        stifle_history(Int32(LineEditor.historyLimit))
        _ = read_history(historyPath)
    }

    /// Reads one line; `interrupted` when Ctrl-C was pressed at the prompt.
    public func read(prompt: String) -> Input {
        Interrupt.clear()
        guard let p = readline(prompt) else {
            if Interrupt.take() { return .interrupted }
            return .end
        }
        defer { free(p) }
        if Interrupt.take() { return .interrupted }
        return .line(String(cString: p))
    }

    /// Adds a line to the history, skipping a repeat of the line before, and
    /// appends it to the history file at once: another session's lines are
    /// kept, and a closed terminal (SIGHUP) loses nothing.
    public func remember(_ line: String) {
        let t = line.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t != lastAdded else { return }
        add_history(line)
        lastAdded = t
        withFileLock {
            let fd = open(historyPath, O_WRONLY | O_APPEND | O_CREAT, 0o600)
            guard fd >= 0 else { return }
            defer { close(fd) }
            var st = stat()
            let empty = fstat(fd, &st) == 0 && st.st_size == 0
            let text = (empty ? LineEditor.historyHeader + "\n" : "") + LineEditor.encoded(line) + "\n"
            _ = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        }
    }

    /// The first line of libedit's history file.
    static let historyHeader = "_HiStOrY_V2_"

    /// An entry as libedit writes it (strvis with VIS_WHITE): white space,
    /// backslashes and control characters as octal escapes, so an entry is
    /// one line; other bytes (UTF-8) as they are. libedit's own
    /// `append_history` appends one entry too many, so kdk appends itself.
    static func encoded(_ line: String) -> String {
        var out: [UInt8] = []
        for b in line.utf8 {
            if b < 0x21 || b == 0x5C || b == 0x7F {
                let octal = String(b, radix: 8)
                out += Array(("\\" + String(repeating: "0", count: 3 - octal.count) + octal).utf8)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Keeps the history file to its last `historyLimit` entries, rewritten
    /// under the lock (every entry was written when it was entered).
    public func save() {
        withFileLock {
            guard let text = try? String(contentsOfFile: historyPath, encoding: .utf8) else { return }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
            guard lines.first == Substring(LineEditor.historyHeader), lines.count - 1 > LineEditor.historyLimit else { return }
            let kept = [Substring(LineEditor.historyHeader)] + lines.suffix(LineEditor.historyLimit)
            try? (kept.joined(separator: "\n") + "\n").write(toFile: historyPath, atomically: true, encoding: .utf8)
        }
    }

    /// Runs `body` holding an exclusive lock on `<history>.lock`, so sessions
    /// writing the file at the same moment take turns; the file stays
    /// readable by its owner only.
    func withFileLock(_ body: () -> Void) {
        let fd = open(historyPath + ".lock", O_CREAT | O_RDWR, 0o600)
        if fd >= 0 { flock(fd, LOCK_EX) }
        body()
        chmod(historyPath, 0o600)
        if fd >= 0 { flock(fd, LOCK_UN); close(fd) }
    }
}

/// Ctrl-C: a flag the evaluator polls (cancelling the run) and the prompt
/// checks (clearing the line). Installed without SA_RESTART so a read at the
/// prompt returns.
public enum Interrupt {
    /// Set by the signal handler; read by the prompt's thread and polled by
    /// the evaluation thread, hence atomic (lock-free, so safe in a handler).
    static let flag = Atomic<Int32>(0)

    /// Whether Ctrl-C was pressed since the last `clear` or `take`.
    public static var isSet: Bool { flag.load(ordering: .relaxed) != 0 }
    /// Forgets an earlier Ctrl-C.
    public static func clear() { flag.store(0, ordering: .relaxed) }
    /// Whether Ctrl-C was pressed, clearing it.
    public static func take() -> Bool { flag.exchange(0, ordering: .relaxed) != 0 }

    /// Installs the SIGINT handler.
    public static func install() {
        var action = sigaction()
        #if os(Linux)
        action.__sigaction_handler.sa_handler = { _ in Interrupt.flag.store(1, ordering: .relaxed) }
        #else
        action.__sigaction_u.__sa_handler = { _ in Interrupt.flag.store(1, ordering: .relaxed) }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        // A parent (a test runner, a shell script) may have blocked SIGINT,
        // and a blocked mask is inherited: unblock it.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
