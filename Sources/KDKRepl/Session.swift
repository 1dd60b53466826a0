import Foundation
import KDK
import KDKModels

/// The REPL's state and logic, apart from the terminal: definitions so far,
/// the last result (`_`), meta-commands and completion. The terminal loop
/// (`Repl`) and piped input both drive it; tests drive it directly.
///
/// Each input is compiled together with the definitions kept so far, so a
/// redefined name replaces the old one and everything defined in terms of it
/// (model fields included) follows: late binding across inputs.
public final class Session {
    /// The engine inputs are compiled with.
    public var engine: Engine
    /// The folder files are read from.
    public let root: URL
    /// Limits for each input.
    public let limits: Limits
    /// Whether diagnostics are coloured.
    public let color: Bool
    /// Results and `print` output.
    public var output: @Sendable (String) -> Void
    /// Diagnostics.
    public var errors: @Sendable (String) -> Void
    /// Polled while an input runs (Ctrl-C).
    public var isCancelled: @Sendable () -> Bool = { false }

    /// Definitions kept so far, by name.
    public private(set) var definitions: [(name: String, text: String)] = []
    /// The last value shown (`_`).
    public private(set) var lastResult: Value?
    var loadedFile: String?

    /// A session with nothing defined yet.
    public init(engine: Engine = CoreModels.engine(), root: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                limits: Limits = Limits(), color: Bool = false,
                output: @escaping @Sendable (String) -> Void = { print($0) },
                errors: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.engine = engine
        self.root = root
        self.limits = limits
        self.color = color
        self.output = output
        self.errors = errors
    }

    /// Handles one complete input (code or a meta-command). Returns false
    /// when the session should end.
    @discardableResult
    public func handle(_ input: String) -> Bool {
        let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return true }
        if trimmed.hasPrefix(":") { return meta(trimmed) }
        evaluate(input)
        return true
    }

    func report(_ diags: [Diagnostic]) {
        if diags.isEmpty { return }
        errors(diags.map { $0.render(color: color) }.joined(separator: "\n\n"))
    }

    /// Compiles and runs `input` after the kept definitions; keeps the new ones.
    @discardableResult
    func evaluate(_ input: String) -> Value? {
        let (statements, _) = Engine.statements(in: input)
        let newNames = Set(statements.compactMap { $0.name })
        let kept = definitions.filter { !newNames.contains($0.name) }
        // The input goes first so its line numbers are the user's own.
        let source = ([input] + kept.map { $0.text }).joined(separator: "\n")
        var withLast = self.engine
        if let last = lastResult { withLast.define("_", last) }
        let engine = withLast
        let out = output
        let access = HostAccess(fileRoot: root, allowWrite: true, output: { out($0) })
        let lim = limits, cancelled = isCancelled, root = self.root
        let result: Result<(Value, [Diagnostic], [Diagnostic]), DiagnosticList>
        do {
            result = try withLargeStack {
                do {
                    let program = try engine.compile(source, name: "<repl>", importRoot: root,
                                                     evaluate: Set(newNames.filter { !$0.hasPrefix("unit ") && !$0.hasPrefix("import ") }))
                    let (v, w) = try program.runReporting(limits: lim, access: access, isCancelled: cancelled)
                    return .success((v, program.warnings, w))
                } catch let d as DiagnosticList { return .failure(d) }
            }
        } catch {
            errors("error: \(error)")
            return nil
        }
        switch result {
        case .failure(let d):
            report(d.diagnostics)
            return nil
        case .success(let (value, compileWarnings, runWarnings)):
            report((compileWarnings + runWarnings).filter { w in
                // Warnings about old definitions were shown when they were entered.
                guard let loc = w.location else { return true }
                return loc.line <= input.split(separator: "\n", omittingEmptySubsequences: false).count
            })
            definitions = kept + statements.compactMap { s in s.name.map { ($0, s.text) } }
            let hasExpression = statements.contains { $0.name == nil }
            if hasExpression {
                lastResult = value
                if !value.isNone { output(value.display()) }
            }
            return value
        }
    }

    // MARK: meta-commands

    /// Commands and what they do.
    public static let metaCommands: [(String, String)] = [
        (":help", "this list; :help NAME shows a function's or keyword's entry"),
        (":load", ":load FILE runs a file and keeps its definitions"),
        (":reload", "loads the last file again"),
        (":reset", "forgets every definition"),
        (":env", "lists what is defined"),
        (":time", ":time EXPR evaluates and shows how long it took"),
        (":quit", "leaves (so does Ctrl-D)"),
    ]

    func meta(_ line: String) -> Bool {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let cmd = parts[0], arg = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch cmd {
        case ":quit", ":q", ":exit": return false
        case ":help", ":h": output(help(arg))
        case ":reset": definitions = []; lastResult = nil; output("forgot every definition")
        case ":env": output(env())
        case ":load", ":l": load(arg)
        case ":reload", ":r":
            guard let f = loadedFile else { errors("error: nothing loaded yet; use :load FILE"); return true }
            load(f)
        case ":time", ":t":
            let start = DispatchTime.now()
            evaluate(arg)
            let s = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            output(String(format: "(%.3f s)", s))
        default:
            let close = DidYouMean.closest(to: cmd, in: Session.metaCommands.map { $0.0 })
            errors("error: unknown command \(cmd)" + (close.map { "; did you mean \($0)?" } ?? "") + " (:help lists them)")
        }
        return true
    }

    func load(_ path: String) {
        guard !path.isEmpty else { errors("error: :load needs a file name"); return }
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
        do {
            let text = try Engine.readSource(url.path)
            loadedFile = path
            if evaluate(text) != nil { output("loaded \(path) (\(definitions.count) definitions)") }
        } catch let d as DiagnosticList {
            report(d.diagnostics)
        } catch {
            errors("error: cannot read \(path)")
        }
    }

    func env() -> String {
        if definitions.isEmpty && lastResult == nil { return "nothing defined yet" }
        var lines = definitions.map { d -> String in
            let first = d.text.split(separator: "\n").first.map(String.init) ?? d.text
            return first.count > 70 ? String(first.prefix(69)) + "…" : first
        }
        if let last = lastResult { lines.append("_ = " + String(last.literal().prefix(60))) }
        return lines.joined(separator: "\n")
    }

    static let keywordHelp: [String: String] = [
        "let": "let name = expr: a definition (top-level ones may come in any order)",
        "fn": "fn name(a, b = default) = expr: a function",
        "if": "if cond then a else b: an expression; else is required",
        "unit": "unit KDK decimals 8: declares a unit and its decimal places",
        "import": "import \"file.kdk\" [as name]: brings in another file's definitions",
        "with": "value with { field: new }: a changed copy of a record, or a variant of a model",
        "extends": "KIND Name extends Base { ... }: a model variant that overrides some fields",
        "in": "x in range_or_list_or_text: membership",
        "none": "the missing value; a ?? b gives b when a is none",
    ]

    func help(_ name: String) -> String {
        if name.isEmpty {
            return (["Type kdk code to evaluate it; definitions are kept. Commands:"]
                + Session.metaCommands.map { "  \($0.0.padding(toLength: 9, withPad: " ", startingAt: 0)) \($0.1)" }
                + ["Tab completes names, fields after '.', and file names inside read_csv(\"."]).joined(separator: "\n")
        }
        if let b = engine.library.functions[name] {
            let params = b.params.map { p in p.defaultValue == nil || !p.optional ? p.name : "\(p.name): \(p.defaultValue.map { $0.literal() } ?? "none")" }
            return "\(name)(\(params.joined(separator: ", ")))\n  \(b.doc)"
        }
        if let k = Session.keywordHelp[name] { return k }
        if let kind = engine.kinds[name] {
            return "\(name): \(kind.doc)\n" + kind.fields.map { "  \($0.name)\($0.required ? " (required)" : ""): \($0.doc)" }.joined(separator: "\n")
                + (kind.methods.isEmpty ? "" : "\n  methods: " + kind.methods.map { $0.name }.joined(separator: ", "))
        }
        return "no entry for '\(name)'"
    }
}
