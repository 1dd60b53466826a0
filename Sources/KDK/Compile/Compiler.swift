import Foundation

/// Turns the checked syntax tree into closures (`Code`), once. Names were
/// resolved to slots by the checker, constants are folded, and common shapes
/// (`n < 2`, `n - 1`, calls of top-level functions) get specialised closures.
final class Compiler {
    /// The checker's output: the only input.
    let program: CheckedProgram
    /// The file whose code is being compiled (globals may come from imports).
    var file: SourceFile
    /// The image being filled in.
    var image = ProgramImage.Parts()
    /// The compiled form of each top-level `fn`, created before any body is
    /// compiled so that functions can call each other in any order.
    var functions: [Int: CompiledFunction] = [:]

    init(_ program: CheckedProgram) {
        self.program = program
        self.file = program.file
    }

    /// When set, what the compiler chose for each node (a folded constant, a
    /// fused shape, a direct call), for `kdk run --dump`.
    var plan: [ObjectIdentifier: [String]]?
    /// The node being compiled, which `note` describes.
    var current: Expr?

    /// Records a choice for the node being compiled (only when dumping).
    func note(_ what: @autoclosure () -> String) {
        guard plan != nil, let e = current else { return }
        plan![ObjectIdentifier(e), default: []].append(what())
    }

    /// Top-level lets and models to evaluate in order when the program runs;
    /// nil for all of them (the REPL forces only the ones just entered).
    var force: Set<String>?
    /// Whether `map`/`filter` chains run fused (Compiler+Pipelines.swift);
    /// off only in tests that compare the two.
    var fusesPipelines = true
    /// Whether top-level `fn` bodies run as bytecode (Compiler+Bytecode.swift);
    /// off only in tests that compare the two evaluators.
    var usesBytecode = true
    /// When set (seconds since 1970), `compileProgram` stops past it and
    /// records where in `timedOutAt`; the image is then incomplete.
    var deadline: Double?
    var timedOutAt: GlobalEntry?

    func compileProgram() -> ProgramImage {
        let script = program.script
        let globals = program.globals
        image.globalNames = globals.map { $0.name }
        image.globalThunks = Array(repeating: nil, count: globals.count)
        image.initialGlobals = Array(repeating: .none, count: globals.count)
        image.initialGlobalState = Array(repeating: .unevaluated, count: globals.count)
        image.unitDecimals = program.unitDecimals
        image.display = program.display
        for (i, g) in globals.enumerated() {
            if case .host(let v) = g.kind {
                image.initialGlobals[i] = v
                image.initialGlobalState[i] = .ready
            }
            if case .function(let f) = g.kind {
                let info = program.declared(f.body)
                // Which parameters have defaults is known now (calls compiled
                // before this fn's body bind arguments by it); their code comes later.
                let cf = CompiledFunction(name: g.name, paramNames: f.params.map { $0.name },
                                          defaults: f.params.map { p -> Code? in p.defaultValue == nil ? nil : { @Sendable _ in .none } },
                                          frameSize: info.frameSize, range: f.range, file: g.file)
                functions[i] = cf
                image.functions.append(cf)
                image.globalThunks[i] = functionValue(cf)
            }
        }
        for (i, g) in globals.enumerated() {
            if let deadline, i & 4095 == 4095, Date().timeIntervalSince1970 > deadline { timedOutAt = g; break }
            file = g.file
            switch g.kind {
            case .function(let f):
                let cf = functions[i]!
                cf.defaults = f.params.map { p in p.defaultValue.map { compile($0) } }
                compileBody(cf, f.body)
            case .value(let b):
                image.globalThunks[i] = thunk(b.name, b.value)
            case .model(let m):
                image.globalThunks[i] = modelThunk(i, m)
            case .host:
                break
            }
        }
        // Calls between bytecode functions read their callee's code directly.
        for f in functions.values { f.bytecode?.link() }
        file = script.file
        for st in script.statements {
            let step: ProgramImage.Step
            switch st {
            case .expr(let e): step = .expr(thunk("<top level>", e))
            case .letDecl(let b, _):
                guard let i = program.globalIndex[b.name], force?.contains(b.name) ?? true else { continue }
                step = .force(i)
            case .model(let m):
                guard let i = program.globalIndex[m.name], force?.contains(m.name) ?? true else { continue }
                step = .force(i)
            default: continue
            }
            image.main.append(step)
            image.mainRanges.append(st.range)
        }
        return ProgramImage(image, file: program.file)
    }

    /// The callee of a direct call of a top-level `fn`, held unowned: the
    /// image owns every top-level function (`ProgramImage.functions`), code
    /// runs only on a machine of its own image, and a closure or model that
    /// outlives its run keeps the image (`Function.home`). Holding callees
    /// strongly made functions that call each other (`even`/`odd`, or a
    /// `fn` that passes itself to `map`) a reference cycle, never freed.
    struct Callee {
        let fn: Unmanaged<CompiledFunction>

        /// Calls it over the `argc` arguments pushed, borrowing the function
        /// rather than retaining and releasing it for every call.
        @inline(__always)
        func invoke(_ m: Machine, argc: Int, given: UInt64? = nil) throws -> Value {
            try fn._withUnsafeGuaranteedRef { try m.invokeTopLevel($0, argc: argc, given: given) }
        }
    }

    func callee(_ cf: CompiledFunction) -> Callee { Callee(fn: .passUnretained(cf)) }

    /// The thunk of a top-level `fn`'s global: its function value, made once
    /// per run on first use as a value (`map(xs, f)`), since the value holds
    /// its image and the image cannot hold it back without a cycle.
    func functionValue(_ cf: CompiledFunction) -> CompiledFunction {
        let thunk = CompiledFunction(name: cf.name, paramNames: [], defaults: [], frameSize: 0, range: cf.range, file: cf.file)
        thunk.body = { m in .function(Function(.closure(cf, captures: [], selfObject: nil), home: m.image)) }
        return thunk
    }

    /// A zero-parameter function evaluating `e` in a frame of its own.
    func thunk(_ name: String, _ e: Expr) -> CompiledFunction {
        let info = program.thunk(e)
        let f = CompiledFunction(name: name, paramNames: [], defaults: [], frameSize: info.frameSize, range: e.range, file: file)
        f.body = compile(e)
        return f
    }

    func modelThunk(_ gi: Int, _ m: ModelDecl) -> CompiledFunction {
        let declRange = m.nameRange, declFile = file
        let kind = program.kinds[m.kind] ?? ModelKind(name: m.kind)
        var defs: [FieldDef] = []
        for f in m.fields {
            if let ps = f.params {
                let info = program.declared(f.body)
                let cf = CompiledFunction(name: "\(m.name).\(f.name)", paramNames: ps.map { $0.name }, defaults: [],
                                          frameSize: info.frameSize, range: f.body.range, file: file)
                cf.defaults = ps.map { p in p.defaultValue.map { compile($0) } }
                cf.body = compile(f.body)
                planColumns(of: cf, params: ps, body: f.body)
                defs.append(FieldDef(name: f.name, body: .method(cf), range: f.nameRange, file: file))
            } else {
                defs.append(FieldDef(name: f.name, body: .code(thunk("\(m.name).\(f.name)", f.body)), range: f.nameRange, file: file))
            }
        }
        let baseIndex = program.modelBases[gi]
        let name = m.name
        let builder = CompiledFunction(name: name, paramNames: [], defaults: [], frameSize: 0, range: m.range, file: file)
        let defaults = kind.fields.compactMap { f in f.defaultValue.map { FieldDef(name: f.name, body: .value($0), range: m.nameRange, file: nil) } }
        let ownDefs = defs
        builder.body = { mach in
            let obj: ModelObject
            if let bi = baseIndex {
                guard case .model(let base) = try mach.global(bi) else { throw EvalError("the base of \(name) is not a model") }
                obj = base.variant(name: name, overrides: ownDefs)
            } else {
                var all = defaults
                for d in ownDefs {
                    if let i = all.firstIndex(where: { $0.name == d.name }) { all[i] = d } else { all.append(d) }
                }
                obj = ModelObject(kind: kind, name: name, defs: all, base: nil, home: mach.image)
            }
            let before = mach.warnings.count
            try located(declRange, declFile) { try kind.validate?(obj, mach) }
            for i in before..<mach.warnings.count where mach.warnings[i].file == nil {
                mach.warnings[i].range = declRange
                mach.warnings[i].file = declFile
            }
            return .model(obj)
        }
        return builder
    }

    func compileFunction(name: String, params: [Param], body: Expr, info: FunctionInfo, range: SourceRange) -> CompiledFunction {
        let cf = CompiledFunction(name: name, paramNames: params.map { $0.name }, defaults: [], frameSize: info.frameSize,
                                  range: range, file: file)
        cf.defaults = params.map { p in p.defaultValue.map { compile($0) } }
        cf.body = compile(body)
        return cf
    }

    /// A top-level `fn`'s body: bytecode (Compiler+Bytecode.swift) unless
    /// that is off or the body does not fit its operands, else closures.
    /// Lambdas stay closures: called once per item from a library loop, a
    /// lambda's one expression ran slower as bytecode, whose loop costs more
    /// to enter than the closures it saves (`x => x * 2` in
    /// scripts/bench/programs/pipeline.kdk: 0.12 s against 0.09 s).
    func compileBody(_ cf: CompiledFunction, _ body: Expr) {
        if usesBytecode, let bc = bytecode(cf, body: body) {
            cf.bytecode = bc
            cf.frameSize = bc.frameSize
            cf.body = { m in try m.execute(bc) }
        } else {
            cf.body = compile(body)
        }
    }
}
