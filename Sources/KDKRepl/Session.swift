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
    /// A kept definition and where it was entered, so a later error in it
    /// names that file and line (`rules.kdk:3`), or `<repl>` for typed input.
    public struct Definition: Sendable {
        /// The name it defines (`unit KDK` and `import "f.kdk"` for those).
        public let name: String
        /// Its source text.
        public let text: String
        /// `<repl>`, or the file it was loaded from.
        public let origin: String
        /// The line of `origin` it starts on.
        public let line: Int
    }

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
    /// Shows an input's value, when set (a notebook's result); otherwise
    /// it is written to `output` as text.
    public var present: ((Value, DisplayStyle) -> Void)?
    /// Receives `display(x)` and charts, when set (a notebook); otherwise
    /// they are written to `output` as text.
    public var show: (@Sendable (Shown) -> Void)?
    /// The terminal's width in columns, when tables must fit one.
    public var width: () -> Int? = { nil }

    /// Definitions kept so far, in the order they were entered.
    public private(set) var definitions: [Definition] = []
    /// The last value shown (`_`).
    public private(set) var lastResult: Value?
    /// The values of the definitions that the inputs so far evaluated, by
    /// name: completion and `:type` use them where checking cannot tell
    /// (the fields of rows read from a file). Forgotten when a definition
    /// changes, since the others may depend on it.
    public private(set) var values: [String: Value] = [:]
    /// How many inputs failed (an error in code, in a file or in a command):
    /// piped input exits 1 when any did.
    public private(set) var failures = 0
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
        errors(diags.map { $0.namingCommandLineFlags().render(color: color) }.joined(separator: "\n\n"))
    }

    func fail(_ message: String) {
        failures += 1
        errors(message)
    }

    /// Compiles and runs `input` (typed, or the text of a loaded file named
    /// `origin`) after the kept definitions, and keeps its definitions.
    @discardableResult
    func evaluate(_ input: String, origin: String = "<repl>") -> Value? {
        let (statements, syntaxErrors) = Engine.statements(in: input)
        // A syntax error is the input's own: reported alone, so an input
        // cut short (`1 +`, a notebook cell) is not blamed on the
        // definition compiled after it.
        if syntaxErrors.contains(where: { $0.severity == .error }) {
            failures += 1
            let file = SourceFile(name: origin, text: input)
            report(syntaxErrors.map { d in var d = d; d.file = file; return d })
            return nil
        }
        let newNames = Set(statements.compactMap { $0.name })
        let kept = definitions.filter { !newNames.contains($0.name) }
        // One program: the input first (so its line numbers are its own), then
        // the kept definitions; diagnostics are mapped back to where each part
        // was entered by `Relocation`.
        let relocation = combined(input, origin: origin, with: kept)
        let engine = engineWithLast
        let out = output
        let access = HostAccess(fileRoot: root, allowWrite: true, output: { out($0) }, show: show)
        let lim = limits, cancelled = isCancelled, root = self.root
        // Imports in a loaded file are relative to that file.
        let name = origin == "<repl>" || origin.hasPrefix("/") ? origin : root.appendingPathComponent(origin).path
        let forced = Set(newNames.filter { !$0.hasPrefix("unit ") && !$0.hasPrefix("import ") })
        let result: Result<(Value, [Diagnostic], DisplayStyle, [String: Value]), DiagnosticList>
        do {
            result = try withLargeStack {
                do {
                    let program = try engine.compile(relocation.source, name: name, importRoot: root, evaluate: forced)
                    let (v, w, values) = try program.runKeepingValues(limits: lim, access: access, isCancelled: cancelled)
                    return .success((v, program.warnings + w, program.displayStyle, values))
                } catch let d as DiagnosticList { return .failure(d) }
            }
        } catch {
            fail("error: \(error)")
            return nil
        }
        switch result {
        case .failure(let d):
            failures += 1
            // Errors anywhere matter (a redefinition can break an older
            // definition); warnings about older entries are not repeated.
            report(d.diagnostics.compactMap { relocation.map($0) })
            return nil
        case .success(let (value, warnings, style, evaluated)):
            report(warnings.compactMap { relocation.map($0) })
            if definitions.contains(where: { newNames.contains($0.name) }) { values = [:] }
            let defined = Set(kept.map(\.name)).union(newNames)
            values.merge(evaluated.filter { defined.contains($0.key) }) { $1 }
            definitions = kept + statements.compactMap { s in
                s.name.map { Definition(name: $0, text: Session.portable(s.text, name: $0, origin: origin), origin: origin, line: s.line) }
            }
            let hasExpression = statements.contains { $0.name == nil }
            if hasExpression {
                lastResult = value
                if let present { present(value, style) } else if !value.isNone { output(value.display(style: style, width: width())) }
            }
            return value
        }
    }

    /// `input` followed by `definitions`, as one program whose diagnostics map
    /// back to where each part was entered.
    func combined(_ input: String, origin: String = "<repl>", with definitions: [Definition]) -> Relocation {
        Relocation([(input, origin, 1)] + definitions.map { ($0.text, $0.origin, $0.line) })
    }

    /// The engine with `_` defined as the last result.
    var engineWithLast: Engine {
        var e = engine
        if let last = lastResult { e.define("_", last) }
        return e
    }

    /// An import kept from a file in another folder, rewritten so that it
    /// still resolves when later inputs (relative to the root) are compiled.
    static func portable(_ text: String, name: String, origin: String) -> String {
        guard name.hasPrefix("import "), origin != "<repl>", origin.contains("/") else { return text }
        let path = String(name.dropFirst("import ".count))
        guard !path.hasPrefix("/") else { return text }
        let folder = (origin as NSString).deletingLastPathComponent
        guard let r = text.range(of: "\"" + path + "\"") else { return text }
        return text.replacingCharacters(in: r, with: "\"" + folder + "/" + path + "\"")
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
        (":type", ":type EXPR shows its kind and unit: from checking, else from the values the session has"),
        (":doc", ":doc NAME shows a function's, keyword's or model kind's entry"),
        (":quit", "leaves (so does Ctrl-D)"),
    ]

    func meta(_ line: String) -> Bool {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let cmd = parts[0], arg = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch cmd {
        case ":quit", ":q", ":exit": return false
        case ":help", ":h": output(arg.isEmpty ? help() : entry(for: arg) ?? noEntry(arg))
        case ":doc", ":d":
            guard !arg.isEmpty else { fail("error: :doc needs a name, e.g. :doc pmt"); return true }
            if let e = entry(for: arg) { output(e) } else { fail("error: " + noEntry(arg)) }
        case ":type":
            guard !arg.isEmpty else { fail("error: :type needs an expression, e.g. :type 5 USD * 2"); return true }
            showType(arg)
        case ":reset": definitions = []; lastResult = nil; values = [:]; output("forgot every definition")
        case ":env": output(env())
        case ":load", ":l": load(arg)
        case ":reload", ":r":
            guard let f = loadedFile else { fail("error: nothing loaded yet; use :load FILE"); return true }
            load(f)
        case ":time", ":t":
            let start = DispatchTime.now()
            evaluate(arg)
            let s = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            output(String(format: "(%.3f s)", s))
        default:
            let close = DidYouMean.closest(to: cmd, in: Session.metaCommands.map { $0.0 })
            fail("error: unknown command \(cmd)" + (close.map { "; did you mean \($0)?" } ?? "") + " (:help lists them)")
        }
        return true
    }

    func load(_ path: String) {
        guard !path.isEmpty else { fail("error: :load needs a file name"); return }
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
        do {
            let text = try Engine.readSource(url.path)
            loadedFile = path
            if evaluate(text, origin: path) != nil { output("loaded \(path) (\(definitions.count) definitions)") }
        } catch let d as DiagnosticList {
            failures += 1
            report(d.diagnostics)
        } catch {
            fail("error: cannot read \(path)")
        }
    }

    /// `:type EXPR`: checked with the kept definitions, never run.
    func showType(_ expr: String) {
        do {
            output(try typeDescription(expr))
        } catch let d as DiagnosticList {
            failures += 1
            report(d.diagnostics)
        } catch {
            fail("error: \(error)")
        }
    }

    /// What `:type` says of `expr`: its type as checking sees it, else, when
    /// only running can tell, the kind of the value the session has for it
    /// (`posts[0].likes` after `let posts = read_csv(...)`). Throws the
    /// check's diagnostics, placed where each part was entered.
    func typeDescription(_ expr: String) throws -> String {
        let relocation = combined(expr, with: definitions)
        do {
            let known = try engineWithLast.staticType(of: relocation.source, name: "<repl>", importRoot: root)
            if known == Engine.unknownType, let v = value(of: expr) { return Session.describe(v) }
            return known
        } catch let d as DiagnosticList {
            throw DiagnosticList(d.diagnostics.compactMap { relocation.map($0) })
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

    /// `:help` without a name: the commands.
    func help() -> String {
        (["Type kdk code to evaluate it; definitions are kept. Commands:"]
            + Session.metaCommands.map { "  \($0.0.padding(toLength: 9, withPad: " ", startingAt: 0)) \($0.1)" }
            + ["Tab completes names, fields after '.', and file names inside read_csv(\"."]).joined(separator: "\n")
    }

    /// What `:doc NAME` and `:help NAME` show: a library function's, keyword's
    /// or model kind's entry; nil when nothing has that name.
    func entry(for name: String) -> String? {
        if let b = engine.library.functions[name] {
            let params = b.params.map { p in p.defaultValue == nil || !p.optional ? p.name : "\(p.name): \(p.defaultValue.map { $0.literal() } ?? "none")" }
            return "\(name)(\(params.joined(separator: ", ")))\n  \(b.doc)"
        }
        if let k = Session.keywordHelp[name] { return k }
        if let kind = engine.kinds[name] {
            return "\(name): \(kind.doc)\n" + kind.fields.map { "  \($0.name)\($0.required ? ($0.unless.isEmpty ? " (required)" : " (required unless \($0.unless.joined(separator: " or ")))") : ""): \($0.doc)" }.joined(separator: "\n")
                + (kind.methods.isEmpty ? "" : "\n  methods: " + kind.methods.map { $0.name }.joined(separator: ", "))
        }
        return nil
    }

    func noEntry(_ name: String) -> String {
        let close = DidYouMean.closest(to: name, in: Array(engine.library.functions.keys) + Array(engine.kinds.keys) + Array(Session.keywordHelp.keys))
        return "no entry for '\(name)'" + (close.map { "; did you mean \($0)?" } ?? "")
    }
}
