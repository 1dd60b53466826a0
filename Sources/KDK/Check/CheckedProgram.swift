/// What the checker hands the compiler, and all the compiler reads: the
/// program's syntax with every name resolved to a slot, capture, global,
/// unit, library function or model field; the frame layout of every function
/// and thunk; the unit known for each expression; the top-level definitions
/// (of imported files too) and the model kinds and bases they use.
struct CheckedProgram {
    /// The main file's statements.
    let script: Script
    let file: SourceFile
    /// Top-level definitions, in the order their slots are numbered.
    let globals: [GlobalEntry]
    let globalIndex: [String: Int]
    /// Display decimals declared with `unit KDK decimals 8`.
    let unitDecimals: [UnitID: Int]
    /// How values are shown: the standard style with the declared `display` places.
    let display: DisplayStyle
    /// The model kinds the program may use, by name.
    let kinds: [String: ModelKind]
    /// For each model that `extends` another: the base's global slot.
    let modelBases: [Int: Int]
    /// Warnings the checker found (errors stop before a CheckedProgram exists).
    let warnings: [Diagnostic]
    /// What is known of each global's value (a let's unit or shape).
    let globalTypes: GlobalTable<UType>
    private let res: Resolution

    init(script: Script, file: SourceFile, globals: [GlobalEntry], globalIndex: [String: Int], unitDecimals: [UnitID: Int], display: DisplayStyle,
         kinds: [String: ModelKind], modelBases: [Int: Int], warnings: [Diagnostic], globalTypes: GlobalTable<UType> = GlobalTable(), resolution: Resolution) {
        self.script = script
        self.file = file
        self.globals = globals
        self.globalIndex = globalIndex
        self.unitDecimals = unitDecimals
        self.display = display
        self.kinds = kinds
        self.modelBases = modelBases
        self.warnings = warnings
        self.globalTypes = globalTypes
        self.res = resolution
    }

    /// The globals some expression names (a host's inputs among them).
    var globalsNamed: Set<Int> {
        Set(res.names.values.compactMap { if case .global(let i) = $0 { i } else { nil } })
    }

    /// What a name (or a qualified `alias.name`, or a field of a known model) refers to.
    func ref(_ e: Expr) -> NameRef? { res.names[ObjectIdentifier(e)] }
    /// The unit a unit literal (`2_000 KDK`) stands for.
    func unit(_ e: Expr) -> UnitID? { res.units[ObjectIdentifier(e)] }
    /// What is known of an expression's unit (recorded only when dumping).
    func type(_ e: Expr) -> UType { res.types[ObjectIdentifier(e)] ?? .unknown }
    /// The frame and captures of a lambda.
    func lambda(_ e: Expr) -> FunctionInfo { res.functions[ObjectIdentifier(e)] ?? FunctionInfo() }
    /// The frame of a `fn` or model method, by its body.
    func declared(_ body: Expr) -> FunctionInfo { res.declared[ObjectIdentifier(body)] ?? FunctionInfo() }
    /// The frame of a thunk: a top-level let, statement or model field, by its expression.
    func thunk(_ e: Expr) -> FunctionInfo { res.thunks[ObjectIdentifier(e)] ?? FunctionInfo() }
    /// The frame slots of a block's `let`s.
    func blockSlots(_ e: Expr) -> [Int] { res.blockSlots[ObjectIdentifier(e)] ?? [] }
    /// For `a.f(x)`: the library or top-level function `f` to call when `a` has no field `f`.
    func methodFallback(_ e: Expr) -> NameRef? { res.methodFallback[ObjectIdentifier(e)] }
}

extension Checker {
    /// The checked program, once `check` has reported no errors.
    func checkedProgram(_ script: Script) -> CheckedProgram {
        var bases: [Int: Int] = [:]
        for (i, g) in globals.enumerated() {
            if case .model(let m) = g.kind, let b = baseIndex(m) { bases[i] = b }
        }
        return CheckedProgram(script: script, file: script.file, globals: globals, globalIndex: globalIndex,
                              unitDecimals: unitDecimals,
                              display: DisplayStyle(decimals: DisplayStyle.standard.decimals.merging(unitDisplay) { $1 }), kinds: kinds, modelBases: bases,
                              warnings: diagnostics.filter { $0.severity == .warning }, globalTypes: globalTypes, resolution: res)
    }
}
