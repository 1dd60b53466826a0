import Foundation

/// Reading a program's definitions without running it: what `kdk sql`
/// needs of a campaign (its rules, sections and pool, worked out as `award`
/// would, with the lets they use), without reading any data.
extension Engine {
    /// Compiles `source` and hands `body` the value of its top-level
    /// definition `global` (a model, a let), evaluated on a machine of the
    /// program: other definitions are evaluated only as that value needs
    /// them, and no statement runs. `body` also gets `diagnose`, which
    /// places an error (one a model kind made with `about(field:)` points at
    /// the part of the model at fault) in the source. Throws a
    /// `DiagnosticList` for a source with errors, a missing definition, or
    /// an error `body` throws.
    public func inspect<T>(_ source: String, name: String = "<input>", importRoot: URL? = nil, global: String,
                           _ body: (_ value: Value, _ m: Machine, _ diagnose: (EvalError) -> Diagnostic) throws -> T) throws -> T {
        let file = SourceFile(name: name, text: source)
        let (compiled, diags) = analyze(file, importRoot: importRoot)
        guard let (compiler, image) = compiled else { throw DiagnosticList(diags.filter { $0.severity == .error }) }
        let modelErrors = Engine.validateModels(compiler, image).filter { $0.severity == .error }
        if !modelErrors.isEmpty { throw DiagnosticList(modelErrors) }
        guard let i = compiler.program.globals.firstIndex(where: { $0.name == global }) else {
            let names = compiler.program.globals.filter { $0.file === file }.map { $0.name }
            throw DiagnosticList([Diagnostic(.error, "\(name) defines no '\(global)'", at: .none,
                                             help: Suggest.help(for: global, in: names).map { [$0] } ?? [],
                                             code: .undefinedName)])
        }
        let m = Machine(image: image, limits: limits, access: HostAccess(output: { _ in }), isCancelled: { false })
        let diagnose = { (e: EvalError) -> Diagnostic in Engine.located(e, global: i, compiler.program) }
        do {
            return try body(try m.global(i), m, diagnose)
        } catch let e as EvalError {
            throw DiagnosticList([diagnose(e)])
        }
    }

    /// An error raised about a definition, placed in the source: at the part
    /// of a model its focus names, else where the error was raised, else at
    /// the definition's name.
    static func located(_ e: EvalError, global i: Int, _ program: CheckedProgram) -> Diagnostic {
        var d = e.diagnostic
        let g = program.globals[i]
        if let focus = e.focus, let (expr, file) = Engine.locate(focus, model: i, program) {
            if case .model(let decl) = g.kind, file === g.file {
                d.labels = [Diagnostic.Label(decl.nameRange, "in \(decl.kind) \(decl.name)")]
            }
            d.range = expr.range
            d.file = file
        } else if d.file == nil, case .model(let decl) = g.kind {
            d.range = decl.nameRange
            d.file = g.file
        }
        return d
    }
}

extension EvalError {
    /// This error with a stable code of its own (`kdk sql`'s E05xx).
    public func coded(_ code: DiagnosticCode) -> EvalError {
        var e = self
        e.code = code
        return e
    }
}
