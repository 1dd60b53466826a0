import Foundation

/// Checking and compiling source: every diagnostic in one run, the model
/// kinds' checks, and the REPL's view of statements.
extension Engine {

    /// Parses and checks `source`. Returns all diagnostics (errors and
    /// warnings) without running anything. `importRoot` is the folder that
    /// `import` may read from (nil: imports are refused). `timeout`
    /// (seconds) bounds parsing and checking: past it, a time-limit error.
    public func check(_ source: String, name: String = "<input>", importRoot: URL? = nil, dataRoot: URL? = nil,
                      timeout: Double? = nil) -> [Diagnostic] {
        let file = SourceFile(name: name, text: source)
        let (compiled, diags) = analyze(file, importRoot: importRoot, dataRoot: dataRoot, timeout: timeout, onlyForModels: true)
        guard let (compiler, image) = compiled else {
            return Engine.capped(diags + modelChecksDespite(diags, file, importRoot: importRoot, dataRoot: dataRoot))
        }
        return Engine.capped(diags + Engine.validateModels(compiler, image))
    }

    /// Every error in one run: when other definitions have errors, the model
    /// kinds' checks still run on the models, if the program without the
    /// definitions at fault checks cleanly (a model that uses one of them
    /// is left for later).
    func modelChecksDespite(_ diags: [Diagnostic], _ file: SourceFile, importRoot: URL?, dataRoot: URL?) -> [Diagnostic] {
        let errors = diags.filter { $0.severity == .error && $0.file === file }
        // Not after a limit: a deadline that passed stays passed.
        guard !errors.isEmpty, errors.count == diags.filter({ $0.severity == .error }).count,
              !errors.contains(where: { $0.code == DiagnosticCode.limit.rawValue }) else { return [] }
        let (script, syntax) = Parser.parse(file)
        guard !syntax.contains(where: { $0.severity == .error }), script.statements.contains(where: { if case .model = $0 { return true }; return false }) else { return [] }
        // Keep the statements no error points into; models with errors go too.
        let kept = script.statements.filter { st in !errors.contains { st.range.start <= $0.range.start && $0.range.start < max(st.range.end, st.range.start + 1) } }
        guard kept.count < script.statements.count else { return [] }
        let text = kept.map { file.slice($0.range) }.joined(separator: "\n")
        let reduced = SourceFile(name: file.name, text: text)
        let (compiled, rest) = analyze(reduced, importRoot: importRoot, dataRoot: dataRoot)
        guard let (compiler, image) = compiled, !rest.contains(where: { $0.severity == .error }) else { return [] }
        // Report against the real file: each kept statement's text moved.
        var offsets: [(from: Int, to: Int)] = []
        var at = 0
        for st in kept {
            offsets.append((at, st.range.start))
            at += st.range.end - st.range.start + 1
        }
        return Engine.validateModels(compiler, image).filter { $0.severity == .error }.map { d in
            var moved = d
            guard moved.file === reduced, let k = offsets.lastIndex(where: { $0.from <= d.range.start }) else { return d }
            let shift = offsets[k].to - offsets[k].from
            moved.file = file
            moved.range = SourceRange(d.range.start + shift, d.range.end + shift)
            moved.labels = d.labels.map { Diagnostic.Label(SourceRange($0.range.start + shift, $0.range.end + shift), $0.message) }
            return moved
        }
    }

    /// Runs the model kinds' checks (a campaign's tiers against its pool) for
    /// models that can be built without data: no file access, a small step
    /// budget. A model that needs more is left for run time.
    static func validateModels(_ compiler: Compiler, _ image: ProgramImage) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for (i, g) in compiler.program.globals.enumerated() {
            guard case .model(let decl) = g.kind else { continue }
            let m = Machine(image: image, limits: Limits(maxSteps: 100_000, maxDepth: 200, maxSize: 100_000), access: HostAccess(output: { _ in }),
                            isCancelled: { false })
            do {
                _ = try m.global(i)
                out += m.warnings.filter { $0.file != nil }
            } catch let e as EvalError {
                if e.range == decl.nameRange {
                    // A kind's check that names the part at fault (a tier's
                    // prize): point there, and label the model.
                    var d = Engine.located(e, global: i, compiler.program)
                    d.code = DiagnosticCode.model.rawValue
                    out.append(d)
                }
            } catch {}
        }
        return out
    }

    /// The expression a model check's focus names: the field (in the model
    /// or the model it extends), the list item, the call argument.
    static func locate(_ focus: EvalError.Focus, model: Int, _ program: CheckedProgram) -> (Expr, SourceFile)? {
        var next: Int? = model
        var seen = Set<Int>()
        while let gi = next, seen.insert(gi).inserted, case .model(let decl) = program.globals[gi].kind {
            if let f = decl.fields.first(where: { $0.name == focus.field }) {
                var e = f.body
                if let item = focus.item {
                    guard case .list(let items) = e.kind, item < items.count else { return (e, program.globals[gi].file) }
                    e = items[item]
                }
                if let a = focus.argument, case .call(_, let args) = e.kind, a < args.count { e = args[a].value }
                return (e, program.globals[gi].file)
            }
            next = program.modelBases[gi]
        }
        return nil
    }

    /// A listing of what `source` compiles to: each definition and statement
    /// as a tree, with the names the checker resolved, the units it knows
    /// and the shapes the compiler chose (`kdk run --dump`). Throws a
    /// `DiagnosticList` when the source has errors.
    public func dump(_ source: String, name: String = "<input>", importRoot: URL? = nil) throws -> String {
        let (compiled, diags) = analyze(SourceFile(name: name, text: source), importRoot: importRoot, recordPlan: true)
        guard let (compiler, _) = compiled else { throw DiagnosticList(diags.filter { $0.severity == .error }) }
        return ProgramDump.render(compiler.program, plan: compiler.plan ?? [:],
                                  bytecode: compiler.functions.compactMapValues { $0.bytecode })
    }

    /// `dataRoot` (default: `importRoot`): where data files with a literal
    /// path are looked for at check time, so their columns are known.
    /// At most `limit` diagnostics, then one that counts the rest: a file of
    /// garbage gives a page of errors, not a million.
    static func capped(_ diags: [Diagnostic], limit: Int = 100) -> [Diagnostic] {
        guard diags.count > limit else { return diags }
        let rest = diags.count - limit
        return Array(diags.prefix(limit)) + [Diagnostic(.error, "and \(rest) more diagnostic\(rest == 1 ? "" : "s") (only the first \(limit) are shown)", at: .none,
                                                         code: diags[limit].code.flatMap(DiagnosticCode.init(rawValue:)))]
    }

    /// Parses and checks `file`: the script, the checker (what it found
    /// out), and the syntax and check diagnostics in order.
    func checked(_ file: SourceFile, importRoot: URL?, dataRoot: URL?, deadline: Double?, recordTypes: Bool = false,
                 completingField: Int? = nil) -> (Script, Checker, [Diagnostic]) {
        let (script, syntax) = Parser.parse(file, deadline: deadline, completingField: completingField)
        let syntaxErrors = syntax.contains(where: { $0.severity == .error })
        let checker = Checker(file: file, builtins: library.functions, kinds: kinds)
        checker.mainFile = file
        checker.recordsTypes = recordTypes
        checker.deadline = deadline
        checker.completingField = completingField
        if let importRoot { checker.loader = { path, importer in Engine.load(path, from: importer, root: importRoot) } }
        // Data files with a literal path are read (their header) at check time.
        checker.dataRoot = dataRoot ?? importRoot
        // With syntax errors the statements that parsed are still checked
        // (every error in one run); definitions that did not parse count as
        // defined, so their uses are not reported too. Nothing is compiled.
        let placeholders = syntaxErrors ? script.unparsed.filter { n in !hostValues.contains { $0.0 == n } }.map { ($0, Value.none) } : []
        checker.check(script, hostValues: hostValues + placeholders, hostTypes: inputTypes)
        let diags = (syntax + checker.diagnostics).sorted { ($0.file === file ? 0 : 1, $0.range.start) < ($1.file === file ? 0 : 1, $1.range.start) }
        return (script, checker, diags)
    }

    func analyze(_ file: SourceFile, importRoot: URL?, dataRoot: URL? = nil, force: Set<String>? = nil,
                 recordPlan: Bool = false, timeout: Double? = nil,
                 onlyForModels: Bool = false) -> ((Compiler, ProgramImage)?, [Diagnostic]) {
        if let small = StackGuard.tooSmall() { return (nil, [small]) }
        // 0 (or less) means no limit, as in `Limits`.
        let deadline = timeout.flatMap { $0 > 0 ? Date().timeIntervalSince1970 + $0 : nil }
        let (script, checker, diags) = checked(file, importRoot: importRoot, dataRoot: dataRoot, deadline: deadline, recordTypes: recordPlan)
        if diags.contains(where: { $0.severity == .error }) { return (nil, diags) }
        // `check` compiles only to run the model kinds' data-free checks.
        if onlyForModels && !checker.globals.contains(where: { if case .model = $0.kind { return true }; return false }) {
            return (nil, diags)
        }
        let compiler = Compiler(checker.checkedProgram(script))
        compiler.force = force
        compiler.fusesPipelines = fusesPipelines
        compiler.usesBytecode = usesBytecode
        if recordPlan { compiler.plan = [:] }
        compiler.deadline = deadline
        let image = compiler.compileProgram()
        if let g = compiler.timedOutAt {
            return (nil, diags + [Diagnostic(.error, "time limit exceeded while compiling", at: g.range, in: g.file,
                                             help: ["raise the time limit"], code: .limit)])
        }
        return ((compiler, image), diags)
    }

    /// Compiles `source`; throws a `DiagnosticList` when it has errors.
    /// `name` is shown in diagnostics and locates relative imports.
    /// `evaluate`: the top-level lets and models to evaluate in order when the
    /// program runs (nil: all; others are evaluated only when used).
    /// `dataRoot` (default: `importRoot`): where `read_csv("literal.csv")`
    /// is looked for at check time, so the rows' columns are checked.
    /// `timeout` (seconds) bounds parsing and checking, as `Limits.timeout`
    /// bounds a run.
    /// `expecting`: the type the host needs the result to have; a program
    /// whose result cannot have it fails to compile (E0106) at its last
    /// expression.
    public func compile(_ source: String, name: String = "<input>", importRoot: URL? = nil, dataRoot: URL? = nil,
                        evaluate: Set<String>? = nil, timeout: Double? = nil, expecting: ValueType? = nil) throws -> Program {
        let file = SourceFile(name: name, text: source)
        let (compiled, diags) = analyze(file, importRoot: importRoot, dataRoot: dataRoot, force: evaluate, timeout: timeout)
        guard let (compiler, image) = compiled else {
            let all = diags + modelChecksDespite(diags, file, importRoot: importRoot, dataRoot: dataRoot)
            throw DiagnosticList(Engine.capped(all.filter { $0.severity == .error } + all.filter { $0.severity == .warning }))
        }
        // A model kind's checks that need no data (a campaign's tiers against
        // its pool) fail the compile, pointing at the part at fault; their
        // warnings come when the model is used, as before.
        let modelErrors = Engine.validateModels(compiler, image).filter { $0.severity == .error }
        if !modelErrors.isEmpty { throw DiagnosticList(modelErrors + diags.filter { $0.severity == .warning }) }
        let checked = compiler.program
        let last = checked.script.statements.last { if case .expr = $0 { return true }; return false }
        var resultType = ValueType.any
        if case .expr(let e)? = last { resultType = StaticType.valueType(e, checked, inputs: inputTypes) }
        if let wanted = expecting, let error = Engine.unexpected(resultType, wanted, last, file) {
            throw DiagnosticList([error] + diags.filter { $0.severity == .warning })
        }
        // The inputs it names; the typed ones among them are checked at each run.
        let named = checked.globalsNamed
        var used: [(slot: Int, name: String, type: ValueType?)] = []
        for (i, g) in checked.globals.enumerated() where named.contains(i) {
            guard case .host = g.kind else { continue }
            used.append((i, g.name, inputTypes[g.name]))
        }
        return Program(image: image, warnings: diags.filter { $0.severity == .warning }, limits: limits, resultType: resultType,
                       inputs: used, inputsUsed: Set(used.map { $0.name }))
    }

    /// `compile(..., expecting: Bool.self)`: the result must be able to
    /// decode as `T` (see `ValueType.of`).
    public func compile<T: Decodable>(_ source: String, name: String = "<input>", importRoot: URL? = nil, dataRoot: URL? = nil,
                                      timeout: Double? = nil, expecting: T.Type) throws -> Program {
        try compile(source, name: name, importRoot: importRoot, dataRoot: dataRoot, timeout: timeout, expecting: try ValueType.of(T.self))
    }

    /// The error when a program's result (of type `have`) cannot be `wanted`.
    static func unexpected(_ have: ValueType, _ wanted: ValueType, _ last: Stmt?, _ file: SourceFile) -> Diagnostic? {
        guard case .expr(let e)? = last else {
            if case .optional = wanted { return nil }
            return Diagnostic(.error, "the program must give \(wanted.withArticle), but it has no expression to give it (so it gives none)",
                              at: last?.range ?? .none, in: file, help: ["end it with an expression"], code: .resultType)
        }
        guard !have.canBe(wanted) else { return nil }
        return Diagnostic(.error, "the program must give \(wanted.withArticle), but this gives \(have.withArticle)", at: e.range, in: file,
                          help: ["the host compiled it expecting \(wanted)"], code: .resultType)
    }

    /// The top-level statements of `source`, each with the name it defines
    /// (nil for an expression) and its text: what a REPL needs to keep
    /// definitions and replace one when it is defined again.
    /// `line` is the 1-based line each statement starts on.
    public static func statements(in source: String) -> (statements: [(name: String?, text: String, line: Int)], errors: [Diagnostic]) {
        let file = SourceFile(name: "<input>", text: source)
        let (script, diags) = Parser.parse(file)
        return (script.statements.map { st in
            let name: String?
            switch st {
            case .letDecl(let b, _): name = b.name
            case .fnDecl(let f): name = f.name
            case .model(let m): name = m.name
            case .unitDecl(let n, _, _, _): name = "unit " + n
            case .importDecl(let p, _, _): name = "import " + p
            case .expr: name = nil
            }
            return (name, file.slice(st.range), file.location(st.range.start).line)
        }, diags)
    }

    /// The name before the innermost `(` still open at the end of `text`
    /// (a line up to the cursor): `read_csv` in `read_csv("a.csv", ty`; nil
    /// outside a call. Completion offers that function's named arguments.
    public static func openCall(endingAt text: String) -> String? {
        let chars = Array(text)
        var depth = 0, i = chars.count - 1
        while i >= 0 {
            if chars[i] == ")" { depth += 1 }
            if chars[i] == "(" {
                if depth == 0 { break }
                depth -= 1
            }
            i -= 1
        }
        guard i > 0 else { return nil }
        var start = i
        while start > 0, chars[start - 1].isLetter || chars[start - 1].isNumber || chars[start - 1] == "_" { start -= 1 }
        return start < i ? String(chars[start..<i]) : nil
    }

    /// Whether `source` is unfinished: a bracket or string left open, or a
    /// last line ending in an operator. A REPL then asks for another line.
    public static func isIncomplete(_ source: String) -> Bool {
        let (tokens, _) = Lexer.tokenize(SourceFile(name: "<input>", text: source))
        var depth = 0
        for t in tokens {
            if case .op(let o) = t.kind {
                if o.opens { depth += 1 }
                if o.closes { depth -= 1 }
            }
        }
        if depth > 0 { return true }
        guard tokens.count >= 2, case .op(let last) = tokens[tokens.count - 2].kind else {
            if tokens.count >= 2, case .keyword(let k) = tokens[tokens.count - 2].kind, [.and, .or, .not, .then, .else, .in].contains(k) { return true }
            return false
        }
        return Lexer.continuingOps.contains(last) && last != .dot
    }
}
