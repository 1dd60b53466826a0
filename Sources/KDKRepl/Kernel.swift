import Foundation
import KDK
import Synchronization

/// kdk's side of a notebook kernel (`kdk kernel --stdio`): requests as JSON
/// lines in, JSON lines out, over the REPL's `Session`, so a notebook keeps
/// definitions across cells, runs `:load` and the other commands, and stays
/// usable after an error. The Jupyter kernel (`kdk jupyter install`) is a
/// thin ipykernel wrapper that relays messages to this; other tools can
/// speak it directly. docs/notebooks.md describes the protocol.
///
/// Requests carry an `id` and an `op`; every event and reply repeats the id:
/// - `{"op": "execute", "code": "..."}`: zero or more `stream` events
///   (`name`: `stdout` or `stderr`, `text`) and `display` events (`data`: a
///   MIME bundle), then `{"status": "ok", "data": bundle or null}` or
///   `{"status": "error", "ename", "evalue", "traceback": [lines]}`;
/// - `{"op": "complete", "code", "cursor"}`: `matches`, `cursor_start`,
///   `cursor_end` (offsets in Unicode scalars, as Jupyter counts them);
/// - `{"op": "inspect", "code", "cursor"}`: `found` and `data`;
/// - `{"op": "is_complete", "code"}`: `status` (`complete` or `incomplete`)
///   and `indent`.
public final class Kernel {
    public let session: Session
    let write: @Sendable (String) -> Void
    /// The request whose events are being written.
    private let current = RequestID()

    public init(root: URL, limits: Limits, write: @escaping @Sendable (String) -> Void) {
        self.write = write
        session = Session(root: root, limits: limits, color: true)
        let current = self.current
        let send: @Sendable ([String: Any]) -> Void = { message in
            var message = message
            message["id"] = current.value.withLock { $0 }
            write(Kernel.json(message))
        }
        session.output = { text in send(["event": "stream", "name": "stdout", "text": text + "\n"]) }
        session.show = { shown in send(["event": "display", "data": MimeBundle.of(shown)]) }
    }

    /// Handles one request line, writing its events and its reply.
    public func handle(_ line: String) {
        guard let data = line.data(using: .utf8), let request = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let op = request["op"] as? String else {
            write(Kernel.json(["event": "reply", "status": "error", "evalue": "not a request: \(line.prefix(80))"]))
            return
        }
        let id = request["id"] as? Int ?? 0
        current.value.withLock { $0 = id }
        var reply: [String: Any]
        let code = request["code"] as? String ?? ""
        switch op {
        case "execute": reply = execute(code)
        case "complete": reply = complete(code, cursor: request["cursor"] as? Int ?? code.unicodeScalars.count)
        case "inspect": reply = inspect(code, cursor: request["cursor"] as? Int ?? code.unicodeScalars.count)
        case "is_complete":
            let open = !code.hasPrefix(":") && Engine.isIncomplete(code)
            reply = ["status": open ? "incomplete" : "complete", "indent": open ? "  " : ""]
        default: reply = ["status": "error", "evalue": "unknown op '\(op)'"]
        }
        reply["id"] = id
        reply["event"] = "reply"
        write(Kernel.json(reply))
    }

    /// Runs a cell: its value as a MIME bundle, or the error as kdk shows it.
    func execute(_ code: String) -> [String: Any] {
        let errors = Mutex<[String]>([])
        session.errors = { text in errors.withLock { $0.append(text) } }
        var result: [String: Any]? = nil
        session.present = { value, style in result = value.isNone ? nil : MimeBundle.of(value, style) }
        Interrupt.clear()
        let failuresBefore = session.failures
        session.handle(code)
        let said = errors.withLock { $0 }
        if session.failures > failuresBefore {
            let traceback = said.joined(separator: "\n").components(separatedBy: "\n")
            let first = traceback.first { !$0.isEmpty }.map(Kernel.plain) ?? "error"
            return ["status": "error", "ename": "kdk", "evalue": first, "traceback": traceback]
        }
        // Warnings of a cell that ran.
        if !said.isEmpty {
            write(Kernel.json(["id": current.value.withLock { $0 }, "event": "stream", "name": "stderr", "text": said.joined(separator: "\n") + "\n"]))
        }
        return ["status": "ok", "data": result ?? NSNull()]
    }

    /// Completions for the word at `cursor` (scalars into `code`), from the
    /// REPL's completer on the cursor's line.
    func complete(_ code: String, cursor: Int) -> [String: Any] {
        let (line, lineStart, column) = Kernel.line(of: code, at: cursor)
        let characters = String(String.UnicodeScalarView(line.unicodeScalars.prefix(column))).count
        let (start, candidates) = session.completions(line: line, cursor: characters)
        let startScalars = String(line.prefix(start)).unicodeScalars.count
        return ["status": "ok", "matches": candidates, "cursor_start": lineStart + startScalars, "cursor_end": cursor]
    }

    /// A library function's, keyword's or kind's entry, or a definition
    /// and its type, for the word at `cursor`.
    func inspect(_ code: String, cursor: Int) -> [String: Any] {
        let scalars = Array(code.unicodeScalars)
        func isWord(_ u: Unicode.Scalar) -> Bool { u.properties.isAlphabetic || u == "_" || ("0"..."9").contains(u) }
        var a = min(cursor, scalars.count), b = a
        while a > 0, isWord(scalars[a - 1]) { a -= 1 }
        while b < scalars.count, isWord(scalars[b]) { b += 1 }
        let word = String(String.UnicodeScalarView(scalars[a..<b]))
        guard !word.isEmpty else { return ["status": "ok", "found": false, "data": [:] as [String: Any]] }
        var text = session.entry(for: word)
        if text == nil, let d = session.definitions.last(where: { $0.name == word }) {
            text = d.text + ((try? session.typeDescription(word)).map { "\n  " + $0 } ?? "")
        }
        guard let text else { return ["status": "ok", "found": false, "data": [:] as [String: Any]] }
        return ["status": "ok", "found": true, "data": ["text/plain": text]]
    }

    /// The line of `code` holding scalar offset `cursor`: its text, where it
    /// starts and the cursor's column (both in scalars).
    static func line(of code: String, at cursor: Int) -> (String, Int, Int) {
        let scalars = Array(code.unicodeScalars)
        let at = min(max(0, cursor), scalars.count)
        var start = at
        while start > 0, scalars[start - 1] != "\n" { start -= 1 }
        var end = at
        while end < scalars.count, scalars[end] != "\n" { end += 1 }
        return (String(String.UnicodeScalarView(scalars[start..<end])), start, at - start)
    }

    /// Text without its ANSI colour codes.
    static func plain(_ s: String) -> String {
        s.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
    }

    static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The id of the request running, read by output from any thread.
final class RequestID: Sendable {
    let value = Mutex<Int>(0)
}

/// A value as a notebook shows it: every form a front end may choose from.
public enum MimeBundle {
    /// Rows shown in a table before the "showing N of M" note.
    public static let maxRows = 50

    /// `text/plain` as the REPL shows it; `text/html` for a table;
    /// `application/json` as `kdk eval --json` writes it, when it can be.
    public static func of(_ value: Value, _ style: DisplayStyle) -> [String: Any] {
        var bundle: [String: Any] = ["text/plain": value.display(style: style)]
        if let rows = value.tableRows { bundle["text/html"] = Table.html(rows, maxRows: maxRows, style: style) }
        if let text = try? JSONWriter.encode(value), let data = text.data(using: .utf8),
           let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) {
            bundle["application/json"] = json
        }
        return bundle
    }

    /// What `display(x)` or a chart shows.
    public static func of(_ shown: Shown) -> [String: Any] {
        switch shown {
        case .value(let v, let style): return of(v, style)
        case .svg(let svg, let text): return ["image/svg+xml": svg, "text/plain": text]
        }
    }
}
