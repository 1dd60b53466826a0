/// A readable listing of a compiled program, for debugging the checker and
/// the compiler (`kdk run --dump`), in the spirit of expr's `Disassemble`:
/// every top-level definition and statement as a tree, each node with what
/// the checker resolved (slot, capture, global, library function, unit), the
/// unit it knows the node has, and what the compiler chose for it (a folded
/// constant, a fused shape, a direct call).
///
///     fn fib(n)  frame 1
///       if  [fused: if local #0 < 2]
///         binary <  : bool  [number fast path: local #0 < 2]
///           name n -> local #0
struct ProgramDump {
    let program: CheckedProgram
    let plan: [ObjectIdentifier: [String]]
    /// The bytecode of each top-level `fn` that has it, by global index.
    let bytecode: [Int: Bytecode]
    var lines: [String] = []

    static func render(_ program: CheckedProgram, plan: [ObjectIdentifier: [String]], bytecode: [Int: Bytecode] = [:]) -> String {
        var d = ProgramDump(program: program, plan: plan, bytecode: bytecode)
        d.all()
        return d.lines.joined(separator: "\n")
    }

    mutating func all() {
        for (i, g) in program.globals.enumerated() {
            switch g.kind {
            case .host(let v):
                lines.append("global #\(i) \(g.name) = host value \(v.literal())")
            case .value(let b):
                lines.append("global #\(i) let \(g.name)  frame \(program.thunk(b.value).frameSize)")
                node(b.value, 1)
            case .function(let f):
                lines.append("global #\(i) fn \(g.name)(\(f.params.map { $0.name }.joined(separator: ", ")))  frame \(program.declared(f.body).frameSize)")
                defaults(f.params, 1)
                node(f.body, 1)
                if let bc = bytecode[i] {
                    lines.append("  bytecode (\(bc.frameSize) registers)")
                    lines += bc.listing.map { "    " + $0 }
                }
            case .model(let m):
                let base = program.modelBases[i].map { " extends global #\($0) (\(program.globals[$0].name))" } ?? ""
                lines.append("global #\(i) \(m.kind) \(g.name)\(base)")
                for f in m.fields {
                    if let ps = f.params {
                        lines.append("  method \(f.name)(\(ps.map { $0.name }.joined(separator: ", ")))  frame \(program.declared(f.body).frameSize)")
                        defaults(ps, 2)
                    } else {
                        lines.append("  field \(f.name)  frame \(program.thunk(f.body).frameSize)")
                    }
                    node(f.body, 2)
                }
            }
        }
        var n = 0
        for st in program.script.statements {
            guard case .expr(let e) = st else { continue }
            n += 1
            lines.append("statement \(n)  frame \(program.thunk(e).frameSize)")
            node(e, 1)
        }
    }

    mutating func defaults(_ params: [Param], _ depth: Int) {
        for p in params { if let d = p.defaultValue { lines.append(indent(depth) + "default of \(p.name):"); node(d, depth + 1) } }
    }

    func indent(_ depth: Int) -> String { String(repeating: "  ", count: depth) }

    mutating func node(_ e: Expr, _ depth: Int, label: String = "") {
        var line = indent(depth) + label + describe(e)
        if let ref = program.ref(e) { line += " -> " + describe(ref) }
        switch program.type(e) {
        case .unit(let u): line += "  : \(UnitRegistry.shared.name(u))"
        case .plain, .zero: line += "  : number"
        default: break
        }
        if let notes = plan[ObjectIdentifier(e)], !notes.isEmpty { line += "  [\(notes.joined(separator: "; "))]" }
        lines.append(line)
        switch e.kind {
        case .call(let callee, let args):
            node(callee, depth + 1, label: "callee: ")
            for a in args { node(a.value, depth + 1, label: a.label.map { "\($0): " } ?? "") }
        case .methodCall(let recv, _, _, let args):
            node(recv, depth + 1, label: "receiver: ")
            for a in args { node(a.value, depth + 1, label: a.label.map { "\($0): " } ?? "") }
        case .record(let fields), .with(_, let fields):
            if case .with(let base, _) = e.kind { node(base, depth + 1, label: "base: ") }
            for f in fields { node(f.value, depth + 1, label: "\(f.name): ") }
        case .block(let lets, let result):
            for (b, slot) in zip(lets, program.blockSlots(e)) { node(b.value, depth + 1, label: "let \(b.name) (local #\(slot)) = ") }
            node(result, depth + 1, label: "result: ")
        case .lambda(let params, let body):
            defaults(params, depth + 1)
            node(body, depth + 1)
        default:
            for c in e.children { node(c, depth + 1) }
        }
    }

    func describe(_ e: Expr) -> String {
        switch e.kind {
        case .literal(let v): return "literal \(v.literal())"
        case .unitLiteral(let d, let u, _): return "amount \(d) \(u)"
        case .name(let n): return "name \(n)"
        case .text(let parts): return "text (\(parts.count) part\(parts.count == 1 ? "" : "s"))"
        case .list(let items): return "list (\(items.count) item\(items.count == 1 ? "" : "s"))"
        case .record: return "record"
        case .negate: return "negate"
        case .binary(let op, _, _): return "binary \(op.symbol)"
        case .and: return "and"
        case .or: return "or"
        case .not: return "not"
        case .coalesce: return "??"
        case .range(_, _, let closed): return "range \(closed ? "..." : "..<")"
        case .ifElse: return "if"
        case .lambda(let ps, _):
            let info = program.lambda(e)
            let caps = info.captures.isEmpty ? "" : "  captures [\(info.captures.map(describe).joined(separator: ", "))]"
            return "lambda (\(ps.map { $0.name }.joined(separator: ", ")))  frame \(info.frameSize)\(caps)"
        case .block: return "block"
        case .call: return "call"
        case .methodCall(_, let name, _, _):
            let fb = program.methodFallback(e).map { ", else " + describe($0) } ?? ""
            return "method .\(name) (a field or kind method of the receiver\(fb))"
        case .field(_, let name, _): return "field .\(name)"
        case .index: return "index"
        case .with: return "with"
        }
    }

    func describe(_ ref: NameRef) -> String {
        switch ref {
        case .local(let s): return "local #\(s)"
        case .capture(let i): return "capture #\(i)"
        case .global(let i): return "global #\(i) (\(program.globals[i].name))"
        case .builtin(let b): return "library \(b.name)"
        case .unit(let u): return "unit \(UnitRegistry.shared.name(u))"
        case .field(let n): return "model field \(n)"
        }
    }
}
