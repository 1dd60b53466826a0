import Foundation

/// The checker: resolves every name to a slot, capture, global, unit or
/// library function, and reports before anything runs: undefined names (with
/// "did you mean"), duplicate definitions, wrong arity and unknown named
/// arguments, unit mismatches that the text alone shows, `let` and field
/// cycles, and model blocks that break their kind's schema.
final class Checker {
    let builtins: [String: Builtin]
    let kinds: [String: ModelKind]
    var diagnostics: [Diagnostic] = []
    let res = Resolution()

    var globals: [GlobalEntry] = []
    var globalIndex: [String: Int] = [:]
    var unitNames: [String: UnitID] = [:]
    var unitDecimals: [UnitID: Int] = [:]
    /// Display decimals declared with `unit USDT decimals 6 display 2`.
    var unitDisplay: [UnitID: Int] = [:]
    /// Top-level lets each global let needs right away (not inside lambdas).
    var letDeps = GlobalTable<[(Int, SourceRange)]>()
    var globalTypes = GlobalTable<UType>()
    /// Whether each global is being resolved (false) or done (true).
    var resolution = GlobalTable<Bool>()
    /// Effective field names of each model global, once asked for.
    var modelFields: [Int: [String]] = [:]
    /// Which model extends which, for field look-ups up a chain (built once).
    var modelTreeCache: ModelTree?
    var currentGlobal: Int?
    /// The file being checked first; others come in through imports.
    var mainFile: SourceFile?
    var filePrefix: [ObjectIdentifier: String] = [:]
    /// Import aliases (`import "x.kdk" as fin`) visible in each file.
    var aliases: [ObjectIdentifier: Set<String>] = [:]
    /// Reads an imported file: (display name, text) for a path relative to
    /// the importing file's name, or an error message.
    var loader: ((String, SourceFile) -> Result<(String, String), ImportError>)?
    var imported: [String: Bool] = [:]
    /// Fields the field being checked needs right away.
    var fieldDeps: [String]?
    /// Per model global: each declared field's immediate field dependencies.
    var declaredFieldDeps: [Int: [String: (deps: [String], range: SourceRange)]] = [:]
    /// Types for the parameters of the lambda about to be resolved (set by a
    /// call that knows what it will pass, such as `map` over a known list).
    var lambdaParamTypes: [UType] = []
    /// What each lambda's body is known to give.
    var lambdaResults: [ObjectIdentifier: UType] = [:]
    /// The folder data files are read from at check time (nil: not read).
    var dataRoot: URL?
    /// Field reads before `??`, which may name a field a record lacks.
    var softFields: Set<ObjectIdentifier> = []
    /// The shape of the entries each model global is given (`C.award(posts)`).
    var entryShapes: [Int: EntryShape] = [:]
    /// For completion (`Engine.fields(at:in:)`): where a field name is being
    /// typed, and the fields its receiver is known to have. Set only then,
    /// so an ordinary check records nothing.
    var completingField: Int?
    var fieldsAtCompletion: [String]?
    /// Whether to keep each expression's unit in the result (for `--dump`).
    var recordsTypes = false
    /// Where the stack runs out: checking a long chain of definitions
    /// (`let a0 = a1 + 1` ...) recurses once per link.
    let stackLimit = StackGuard.limit()
    /// Set once the stack or the time ran out, so the error is reported once
    /// and every level unwinds without more work.
    var stopped = false
    /// When checking must stop (seconds since 1970), polled every 4,096 nodes.
    var deadline: Double?
    var nodesChecked = 0
    /// While globals are resolved in dependency order (pass 2).
    var inDependencyOrder = false
    var file: SourceFile

    init(file: SourceFile, builtins: [String: Builtin], kinds: [String: ModelKind]) {
        self.file = file
        self.builtins = builtins
        self.kinds = kinds
        for (n, _) in UnitRegistry.durations { unitNames[n] = UnitRegistry.shared.named(n) }
        for c in UnitRegistry.builtinCurrencies { unitNames[c] = UnitRegistry.shared.named(c) }
    }

    func error(_ msg: String, _ r: SourceRange, code: DiagnosticCode = .check, help: String? = nil, file f: SourceFile? = nil,
               labels: [Diagnostic.Label] = [], suggestion: String? = nil) {
        var d = Diagnostic(.error, msg, at: r, in: f ?? file, help: help.map { [$0] } ?? [], code: code, suggestion: suggestion)
        d.labels = labels
        diagnostics.append(d)
    }

    /// `error(code: .arguments, "...", r)`: the code first, where the message is long.
    func error(code: DiagnosticCode, _ msg: String, _ r: SourceRange, help: String? = nil, suggestion: String? = nil) {
        error(msg, r, code: code, help: help, suggestion: suggestion)
    }

    func warning(_ msg: String, _ r: SourceRange, help: String? = nil) {
        diagnostics.append(Diagnostic(.warning, msg, at: r, in: file, help: help.map { [$0] } ?? [], code: .warning))
    }

    // MARK: function contexts

    /// The scope of one function body (or thunk) being checked.
    final class Context {
        let parent: Context?
        let info: FunctionInfo
        var scopes: [[String: (slot: Int, type: UType)]] = [[:]]
        var next = 0
        var captureIndex: [String: Int] = [:]
        /// Names that are fields of the enclosing model, if inside one.
        let fields: Set<String>
        /// The model global whose field this is (its fields, inherited ones
        /// too, are names here: looked up, not listed).
        let model: Int?
        /// Inside a lambda or function body: references are not needed at once.
        let deferred: Bool
        init(parent: Context?, fields: Set<String>, model: Int? = nil, deferred: Bool) {
            self.parent = parent
            self.info = FunctionInfo()
            self.fields = fields
            self.model = model
            self.deferred = deferred
        }
        func declare(_ name: String, type: UType = .unknown) -> Int {
            let s = next
            next += 1
            info.frameSize = max(info.frameSize, next)
            scopes[scopes.count - 1][name] = (s, type)
            return s
        }
    }

    var ctx: Context!

    func withContext<T>(_ c: Context, _ body: () -> T) -> T {
        let saved = ctx
        ctx = c
        defer { ctx = saved }
        return body()
    }

    /// Looks a name up from the innermost scope outwards.
    func lookup(_ name: String, in c: Context?) -> (NameRef, UType)? {
        guard let c else { return lookupGlobal(name) }
        for scope in c.scopes.reversed() {
            if let (s, t) = scope[name] { return (.local(s), t) }
        }
        if let i = c.captureIndex[name] { return (.capture(i), .unknown) }
        if c.fields.contains(name) || c.model.map({ hasModelField($0, name) }) == true { return (.field(name), .unknown) }
        if let p = c.parent, let (ref, t) = lookup(name, in: p) {
            switch ref {
            case .local, .capture:
                let i = c.info.captures.count
                c.info.captures.append(ref)
                c.captureIndex[name] = i
                return (.capture(i), t)
            default:
                return (ref, t)
            }
        }
        if c.parent != nil { return nil }
        return lookupGlobal(name)
    }

    func lookupGlobal(_ name: String) -> (NameRef, UType)? {
        if let p = filePrefix[ObjectIdentifier(file)], let i = globalIndex[p + name] {
            return (.global(i), typeOfGlobal(i))
        }
        if let i = globalIndex[name] {
            if let cg = currentGlobal, !ctx.deferred, case .value = globals[i].kind {
                letDeps[cg] = (letDeps[cg] ?? []) + [(i, .none)]
            }
            return (.global(i), typeOfGlobal(i))
        }
        if let u = unitNames[name] { return (.unit(u), .unit(u)) }
        if let b = builtins[name] { return (.builtin(b), .unknown) }
        return nil
    }

    func allNames() -> [String] {
        var names = Array(globalIndex.keys) + Array(unitNames.keys) + Array(builtins.keys)
        var c = ctx
        while let x = c {
            for s in x.scopes { names += s.keys }
            names += x.fields
            if let m = x.model { names += modelFieldNames(m) ?? [] }
            c = x.parent
        }
        return names
    }

    // MARK: program

    func check(_ script: Script, hostValues: [(String, Value)] = [], hostTypes: [String: ValueType] = [:]) {
        // Values the host provides are globals like any other; an input
        // declared with a type is known by it (its fields are checked).
        for (name, v) in hostValues {
            globalIndex[name] = globals.count
            globals.append(GlobalEntry(name: name, kind: .host(v), file: file, range: .none))
            if let t = hostTypes[name] {
                globalTypes[globals.count - 1] = t.checkerType(input: "input '\(name)'")
                continue
            }
            switch v {
            case .number: globalTypes[globals.count - 1] = .plain
            case .quantity(_, let u): globalTypes[globals.count - 1] = .unit(u)
            default: globalTypes[globals.count - 1] = .other
            }
        }
        // Pass 1: collect units and top-level names (of imported files too).
        globals.reserveCapacity(globals.count + script.statements.count)
        globalIndex.reserveCapacity(globals.count + script.statements.count)
        // About one name per 16 bytes of source: growing by doubling costs more.
        res.names.reserveCapacity(script.file.bytes.count / 16)
        res.thunks.reserveCapacity(script.statements.count)
        letDeps.reserve(globals.count + script.statements.count)
        globalTypes.reserve(globals.count + script.statements.count)
        resolution.reserve(globals.count + script.statements.count)
        declare(script)
        file = script.file
        if stopped { return }
        for (name, i) in globalIndex where unitNames[name] != nil {
            error("'\(name)' is a unit and cannot also be defined", globals[i].range)
        }
        // Pass 2: resolve every global (each after what it names) and statement.
        inDependencyOrder = true
        for i in dependencyOrder() { resolveGlobal(i) }
        inDependencyOrder = false
        if stopped { return }
        file = script.file
        // The top-level expressions' types are kept: a host asks for the result's type.
        let recording = recordsTypes
        recordsTypes = true
        defer { recordsTypes = recording }
        for st in script.statements {
            if case .expr(let e) = st {
                let c = Context(parent: nil, fields: [], deferred: false)
                withContext(c) { _ = resolve(e) }
                res.thunks[ObjectIdentifier(e)] = c.info
            }
        }
        reportLetCycles()
        checkEntryShapes()
    }

    /// Declares the units and globals of one file; `prefix` qualifies its
    /// names when it was imported `as` an alias.
    func declare(_ script: Script, prefix: String = "") {
        let saved = file
        file = script.file
        defer { file = saved }
        if !prefix.isEmpty { filePrefix[ObjectIdentifier(script.file)] = prefix }
        for st in script.statements {
            guard canContinue(st.range) else { return }
            switch st {
            case .unitDecl(let name, let decimals, let display, let r):
                if UnitRegistry.isDuration(name) || UnitRegistry.builtinCurrencies.contains(name) {
                    if decimals == nil && display == nil { warning("'\(name)' is already a built-in unit", r) }
                }
                if unitNames[name] != nil, !UnitRegistry.isDuration(name), !UnitRegistry.builtinCurrencies.contains(name) {
                    error("unit '\(name)' is declared twice", r)
                }
                if builtins[name] != nil || Keyword(rawValue: name) != nil {
                    error("'\(name)' cannot be a unit name: it is already a \(builtins[name] != nil ? "library function" : "keyword")", r)
                }
                guard let id = try? UnitRegistry.shared.declared(name) else {
                    error(EvalError.tooManyUnits.message, r)
                    continue
                }
                unitNames[name] = id
                if let d = decimals { unitDecimals[id] = d }
                if let d = display { unitDisplay[id] = d }
            case .letDecl(let b, _):
                declareGlobal(prefix + b.name, .value(b), b.nameRange)
            case .fnDecl(let f):
                declareGlobal(prefix + f.name, .function(f), f.nameRange)
            case .model(let m):
                declareGlobal(prefix + m.name, .model(m), m.nameRange)
            case .importDecl(let path, let alias, let r):
                importFile(path, alias: alias, prefix: prefix, r)
            case .expr(let e):
                if !prefix.isEmpty || script.file !== mainFile {
                    warning("an imported file's top-level expressions are not run", e.range,
                            help: "imports bring in definitions (let, fn, unit, models)")
                }
            }
        }
    }

    func declareGlobal(_ name: String, _ kind: GlobalEntry.Kind, _ r: SourceRange) {
        if let prev = globalIndex[name] {
            if case .host = globals[prev].kind {
                error("'\(name)' is already defined by the host program", r, code: .duplicate, help: "use another name")
                return
            }
            let loc = file.location(globals[prev].range.start)
            let first = globals[prev].file === file ? [Diagnostic.Label(globals[prev].range, "first defined here")] : []
            error("'\(name)' is already defined (line \(loc.line))", r, code: .duplicate, help: "rename one of them", labels: first)
            return
        }
        if builtins[name] != nil {
            warning("'\(name)' hides the library function of the same name", r)
        }
        globalIndex[name] = globals.count
        globals.append(GlobalEntry(name: name, kind: kind, file: file, range: r))
    }

    func typeOfGlobal(_ i: Int) -> UType {
        if let t = globalTypes[i] { return t }
        if resolution[i] == false { return .unknown }
        if case .value = globals[i].kind, resolution[i] != true {
            // In dependency order, a let not yet resolved where its value is
            // needed right away is in a cycle with this one: an error that
            // reportLetCycles names, not a reason to recurse down the chain.
            if inDependencyOrder && !ctx.deferred { return .unknown }
            resolveGlobal(i)
            return globalTypes[i] ?? .unknown
        }
        return .unknown
    }

    func resolveGlobal(_ i: Int) {
        if resolution[i] != nil { return }
        guard canContinue(globals[i].range) else { return }
        resolution[i] = false
        let savedGlobal = currentGlobal, savedCtx = ctx, savedFile = file
        currentGlobal = i
        file = globals[i].file
        defer { currentGlobal = savedGlobal; ctx = savedCtx; file = savedFile; resolution[i] = true }
        switch globals[i].kind {
        case .value(let b):
            let c = Context(parent: nil, fields: [], deferred: false)
            ctx = c
            let t = resolve(b.value)
            globalTypes[i] = t
            res.thunks[ObjectIdentifier(b.value)] = c.info
        case .function(let f):
            currentGlobal = nil
            let c = Context(parent: nil, fields: [], deferred: true)
            ctx = c
            declareParams(f.params)
            _ = resolve(f.body)
            res.declared[ObjectIdentifier(f.body)] = c.info
        case .model(let m):
            currentGlobal = nil
            checkModel(i, m)
        case .host:
            break
        }
    }

    /// Whether checking may go on (and deeper): stack and time are left.
    /// Reports (once) when not.
    func canContinue(_ r: SourceRange) -> Bool {
        if stopped { return false }
        nodesChecked &+= 1
        if let deadline, nodesChecked & 4095 == 0, Date().timeIntervalSince1970 > deadline {
            stopped = true
            error(code: .limit, "time limit exceeded while checking", r, help: "raise the time limit")
            return false
        }
        if StackGuard.hasRoom(limit: stackLimit) { return true }
        stopped = true
        error(code: .limit, "definitions depend on each other too deeply to check: this one is at the end of a chain too long for the stack", r,
              help: "shorten the chain (a list and a reduce instead of one let per step); a host on a small thread can check inside withLargeStack")
        return false
    }

    func declareParams(_ params: [Param], types: [UType] = []) {
        for (i, p) in params.enumerated() {
            var t = i < types.count ? types[i] : UType.unknown
            if let (name, r) = p.shape { t = shapeRecord(name, r) ?? .unknown }
            _ = ctx.declare(p.name, type: t)
        }
        // Defaults are resolved in the function's frame, after all parameters
        // are declared (they may use earlier ones).
        for p in params { if let d = p.defaultValue { _ = resolve(d) } }
    }

    /// The first cycle among top-level lets, reported once. Iterative, so a
    /// chain of a million lets needs no deeper stack than one.
    func reportLetCycles() {
        let deps = globals.indices.map { (letDeps[$0] ?? []).map { $0.0 } }
        for path in Checker.depthFirst(deps) {
            guard let back = path.last, let start = path.dropLast().firstIndex(of: back) else { continue }
            let cycle = path[start...].map { globals[$0].name }
            error("'\(globals[back].name)' depends on itself: \(cycle.joined(separator: " -> "))", globals[back].range, code: .cycle,
                  help: "one of these values must be given without referring back", file: globals[back].file)
            return
        }
    }

    /// Globals in an order where each `let` comes after the globals its value
    /// names (found syntactically; a shadowing local only adds an edge), so
    /// resolving them in turn does not recurse down a chain of definitions.
    func dependencyOrder() -> [Int] {
        let refs: [[Int]] = globals.map { g in
            guard case .value(let b) = g.kind, canContinue(g.range) else { return [] }
            let prefix = filePrefix[ObjectIdentifier(g.file)]  // an imported file's own names come first, as in lookupGlobal
            var out: [Int] = []
            var pending = [b.value]
            while let e = pending.popLast() {
                switch e.kind {
                case .name(let n):
                    if let j = prefix.flatMap({ globalIndex[$0 + n] }) ?? globalIndex[n] { out.append(j) }
                case .literal, .unitLiteral: break
                case .binary(_, let x, let y): pending.append(x); pending.append(y)  // the common case, without an array of children
                default: pending.append(contentsOf: e.children)
                }
            }
            return out
        }
        var order: [Int] = []
        _ = Checker.depthFirst(refs, finished: { order.append($0) })
        return order
    }

    /// An iterative depth-first walk of a graph given as adjacency lists:
    /// calls `finished` on each node in post-order, and returns the paths
    /// that reached a node still being visited (cycles: the path, then the
    /// node it came back to).
    static func depthFirst(_ edges: [[Int]], finished: (Int) -> Void = { _ in }) -> [[Int]] {
        var state = [UInt8](repeating: 0, count: edges.count)  // 1 visiting, 2 done
        var cycles: [[Int]] = []
        for root in edges.indices where state[root] == 0 {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            state[root] = 1
            while let top = stack.last {
                if top.next < edges[top.node].count {
                    stack[stack.count - 1].next += 1
                    let d = edges[top.node][top.next]
                    if state[d] == 0 { state[d] = 1; stack.append((d, 0)) }
                    else if state[d] == 1 && cycles.isEmpty { cycles.append(stack.map { $0.node } + [d]) }
                } else {
                    stack.removeLast()
                    state[top.node] = 2
                    finished(top.node)
                }
            }
        }
        return cycles
    }
}
