import Foundation
import KDK
import KDKModels

/// A line-by-line REPL without line editing (the libedit REPL replaces it
/// on terminals). Definitions accumulate: each input is run after the
/// definitions so far, and redefining a name replaces the earlier one.
/// When standard input is not a terminal it prints no prompts, so
/// `echo '1 + 1' | kdk` prints `2`.
struct PlainRepl {
    let limits: Limits
    var definitions: [(name: String?, text: String)] = []

    init(limits: Limits) { self.limits = limits }

    static func definedName(_ text: String) -> String? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == "=" || $0 == "{" }).map(String.init)
        guard words.count >= 2 else { return nil }
        switch words[0] {
        case "let", "fn", "unit": return words[1]
        default:
            // A model block: `scenario A {` or `scenario B extends A {`.
            if words[0].first?.isLetter == true, words[1].first?.isLetter == true,
               (words.count >= 3 && words[2] == "extends") || text.split(separator: "\n")[0].contains("{") { return words[1] }
            return nil
        }
    }

    mutating func loop() throws {
        let interactive = isatty(0) == 1
        let engine = CoreModels.engine()
        if interactive { print("kdk \(KDKVersion.string): type an expression; :quit to leave") }
        var pending = ""
        while true {
            if interactive { print(pending.isEmpty ? "kdk> " : "...> ", terminator: ""); fflush(stdout) }
            guard let line = readLine() else { break }
            if pending.isEmpty {
                let t = line.trimmingCharacters(in: .whitespaces)
                if t == ":quit" || t == ":q" { break }
                if t.isEmpty { continue }
            }
            pending += (pending.isEmpty ? "" : "\n") + line
            if PlainRepl.isIncomplete(pending) { continue }
            let input = pending
            pending = ""
            let name = PlainRepl.definedName(input.trimmingCharacters(in: .whitespaces))
            let kept = definitions.filter { $0.name == nil || $0.name != name }.map { $0.text }
            let prefix = kept.joined(separator: "\n")
            let source = prefix.isEmpty ? input : prefix + "\n" + input
            let isDefinition = name != nil
            let lim = limits
            let result: Result<Value, DiagnosticList> = (try? withLargeStack {
                do {
                    let p = try engine.compile(source, name: "<repl>")
                    return .success(try p.run(limits: lim, access: HostAccess(fileRoot: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))))
                } catch let d as DiagnosticList { return .failure(d) }
            }) ?? .failure(DiagnosticList([]))
            switch result {
            case .success(let v):
                if isDefinition {
                    definitions.removeAll { $0.name == name }
                    definitions.append((name, input))
                } else if !v.isNone {
                    print(v.display())
                }
            case .failure(let d):
                // Errors in earlier definitions cannot occur (they ran), so offsets belong to this input.
                Terminal.report(d.diagnostics)
            }
        }
    }

    /// Whether brackets are still open (so the input continues on the next line).
    static func isIncomplete(_ s: String) -> Bool {
        var depth = 0
        var inString = false
        var prev: Character = " "
        for c in s {
            if inString { if c == "\"" && prev != "\\" { inString = false } }
            else if c == "\"" { inString = true }
            else if c == "#" { }
            else if "([{".contains(c) { depth += 1 }
            else if ")]}".contains(c) { depth -= 1 }
            prev = c
        }
        return depth > 0
    }
}
