extension Checker {
    func modelDecl(_ gi: Int) -> ModelDecl? {
        if case .model(let m) = globals[gi].kind { return m }
        return nil
    }

    /// The model global a declaration extends, if valid.
    func baseIndex(_ m: ModelDecl) -> Int? {
        guard let b = m.base, let bi = globalIndex[b], modelDecl(bi) != nil else { return nil }
        return bi
    }

    /// All field names of a model global: its kind's schema, then what each
    /// model from the root of its chain down declares. Computed for this
    /// model only, when asked (an error's list, `M.f`), without recursion;
    /// a cycle of bases is cut where it closes.
    func modelFieldNames(_ gi: Int) -> [String]? {
        if let f = modelFields[gi] { return f }
        guard let m = modelDecl(gi) else { return nil }
        var chain: [ModelDecl] = []
        var inChain = Set<Int>()
        var cur: Int? = gi
        while let c = cur, let cm = modelDecl(c), inChain.insert(c).inserted {
            chain.append(cm)
            cur = baseIndex(cm)
        }
        var names: [String] = []
        var have = Set<String>()
        for f in kinds[m.kind]?.fields ?? [] where have.insert(f.name).inserted { names.append(f.name) }
        for cm in chain.reversed() {
            for f in cm.fields where have.insert(f.name).inserted { names.append(f.name) }
        }
        modelFields[gi] = names
        return names
    }

    /// Whether `name` is a field of model global `gi`: in its kind's schema,
    /// or declared by it or a model it extends.
    func hasModelField(_ gi: Int, _ name: String) -> Bool {
        guard let m = modelDecl(gi) else { return false }
        if kinds[m.kind]?.fields.contains(where: { $0.name == name }) == true { return true }
        return modelTree.declarer(of: name, for: gi, includingSelf: true) != nil
    }

    var modelTree: ModelTree {
        if let t = modelTreeCache { return t }
        let t = ModelTree(self)
        modelTreeCache = t
        return t
    }

    func checkModel(_ gi: Int, _ m: ModelDecl) {
        guard let kind = kinds[m.kind] else {
            error(code: .model, "unknown model kind '\(m.kind)'", m.kindRange,
                  help: Suggest.help(for: m.kind, in: Array(kinds.keys)) ?? "the kinds are \(kinds.keys.sorted().joined(separator: ", "))",
                  suggestion: Suggest.closest(to: m.kind, in: Array(kinds.keys)))
            return
        }
        let tree = modelTree
        if let b = m.base, let br = m.baseRange {
            guard let bi = globalIndex[b] else {
                let models = globals.compactMap { modelDecl(globalIndex[$0.name]!) != nil ? $0.name : nil }
                error(code: .undefinedName, "'\(b)' is not defined", br, help: Suggest.help(for: b, in: models),
                      suggestion: Suggest.closest(to: b, in: models))
                return
            }
            guard let bm = modelDecl(bi) else { error(code: .model, "'\(b)' is not a model, so '\(m.name)' cannot extend it", br); return }
            if bm.kind != m.kind { error(code: .model, "a \(m.kind) cannot extend \(b), which is a \(bm.kind)", br) }
            if !tree.reachesARoot(gi) {
                error(code: .model, "'\(m.name)' extends itself through \(b)", br)
                return
            }
        }
        // Declared by a model it extends (looked up, not collected: a chain
        // of thousands of models is checked in time linear in its fields).
        let inherited = { (name: String) in tree.declarer(of: name, for: gi, includingSelf: false) != nil }
        let schema = Set(kind.fields.map { $0.name })
        var seen: [String: SourceRange] = [:]
        var deps: [String: (deps: [String], range: SourceRange)] = [:]
        for f in m.fields {
            if seen[f.name] != nil { error(code: .model, "field '\(f.name)' is given twice in \(m.name)", f.nameRange) }
            seen[f.name] = f.nameRange
            if !kind.openFields && !schema.contains(f.name) && !inherited(f.name) {
                error(code: .model, "a \(kind.name) has no field '\(f.name)'", f.nameRange,
                      help: Suggest.help(for: f.name, in: kind.fields.map { $0.name }) ?? "its fields are \(kind.fields.map { $0.name }.joined(separator: ", "))",
                      suggestion: Suggest.closest(to: f.name, in: kind.fields.map { $0.name }))
            }
            if kind.method(f.name) != nil {
                error(code: .model, "'\(f.name)' is a method of every \(kind.name) and cannot be a field", f.nameRange)
            }
            let c = Context(parent: nil, fields: [], model: gi, deferred: f.params != nil)
            fieldDeps = []
            withContext(c) {
                if let ps = f.params { declareParams(ps) }
                resolve(f.body)
            }
            deps[f.name] = (fieldDeps ?? [], f.nameRange)
            fieldDeps = nil
            if f.params != nil { res.declared[ObjectIdentifier(f.body)] = c.info } else { res.thunks[ObjectIdentifier(f.body)] = c.info }
        }
        declaredFieldDeps[gi] = deps
        let given = { (name: String) in seen[name] != nil || inherited(name) }
        for f in kind.fields where f.required && f.defaultValue == nil && !given(f.name) && !f.unless.contains(where: given) {
            let or = f.unless.map { " (or '\($0)')" }.joined()
            error(code: .model, "\(m.kind) \(m.name) is missing the required field '\(f.name)'\(or)", m.nameRange,
                  help: f.doc.isEmpty ? "add \(f.name) = ..." : "add \(f.name) = ...  (\(f.doc))")
        }
        reportFieldCycle(gi, m)
    }

    /// A cycle among the fields of one model (with its inherited ones). A
    /// new cycle goes through one of this model's own definitions (one made
    /// only of inherited ones was its base's to report), so the search starts
    /// there, and looks definitions up the chain only as it needs them.
    func reportFieldCycle(_ gi: Int, _ m: ModelDecl) {
        let tree = modelTree
        // The definition in force for a field: the most derived one (of the
        // models checked so far).
        var known: [String: (deps: [String], range: SourceRange, own: Bool)?] = [:]
        func effective(_ n: String) -> (deps: [String], range: SourceRange, own: Bool)? {
            if let k = known[n] { return k }
            let found = tree.declarer(of: n, for: gi, includingSelf: true) { self.declaredFieldDeps[$0]?[n] != nil }
                .flatMap { c in self.declaredFieldDeps[c]?[n].map { ($0.deps, $0.range, c == gi) } }
            known[n] = .some(found)
            return found
        }
        var state: [String: Int] = [:]
        var stack: [String] = []
        func visit(_ n: String) -> Bool {
            if state[n] == 2 { return false }
            if state[n] == 1 {
                let cyc = stack[(stack.firstIndex(of: n) ?? 0)...] + [n]
                let first = effective(cyc.first!)
                let r = first?.own == true ? first!.range : m.nameRange
                error(code: .model, "fields of \(m.name) depend on each other in a cycle: \(cyc.joined(separator: " -> "))", r,
                      help: "one of these fields must be given without referring back")
                return true
            }
            state[n] = 1
            stack.append(n)
            for d in effective(n)?.deps ?? [] where effective(d) != nil { if visit(d) { return true } }
            stack.removeLast()
            state[n] = 2
            return false
        }
        for n in (declaredFieldDeps[gi] ?? [:]).keys.sorted() { if visit(n) { return } }
    }
}

/// Which model extends which, built once per check: each model's place in a
/// depth-first walk of the extends forest, so "does a model this one
/// extends declare `x`" is a look-up in the few models that declare `x`,
/// not a walk up the chain.
struct ModelTree {
    /// Entry and exit times of each model reached from a root (a model that
    /// extends nothing); models on or behind a cycle of bases are absent.
    private var enter: [Int: Int] = [:]
    private var exit: [Int: Int] = [:]
    private var depth: [Int: Int] = [:]
    /// The models that declare each field name themselves.
    private var declarers: [String: [Int]] = [:]

    init(_ checker: Checker) {
        var children: [Int: [Int]] = [:]
        var roots: [Int] = []
        for gi in checker.globals.indices {
            guard let m = checker.modelDecl(gi) else { continue }
            for f in m.fields { declarers[f.name, default: []].append(gi) }
            if let b = checker.baseIndex(m) { children[b, default: []].append(gi) } else { roots.append(gi) }
        }
        var clock = 0
        for root in roots {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            enter[root] = clock; depth[root] = 0; clock += 1
            while let top = stack.last {
                let kids = children[top.node] ?? []
                if top.next < kids.count {
                    stack[stack.count - 1].next += 1
                    let k = kids[top.next]
                    enter[k] = clock; depth[k] = stack.count; clock += 1
                    stack.append((k, 0))
                } else {
                    exit[top.node] = clock; clock += 1
                    stack.removeLast()
                }
            }
        }
    }

    /// Whether following `gi`'s bases ends at a model that extends nothing.
    func reachesARoot(_ gi: Int) -> Bool { enter[gi] != nil }

    /// Whether `a` is `b` or a model `b` extends (directly or not).
    func isAncestor(_ a: Int, of b: Int) -> Bool {
        guard let ea = enter[a], let xa = exit[a], let eb = enter[b], let xb = exit[b] else { return a == b }
        return ea <= eb && xb <= xa
    }

    /// The most derived model among `gi` (if `includingSelf`) and the models
    /// it extends that declares `name` (and passes `accept`).
    func declarer(of name: String, for gi: Int, includingSelf: Bool, accept: (Int) -> Bool = { _ in true }) -> Int? {
        var best: Int?
        for c in declarers[name] ?? [] where (includingSelf || c != gi) && isAncestor(c, of: gi) && accept(c) {
            if best == nil || (depth[c] ?? 0) > (depth[best!] ?? 0) { best = c }
        }
        return best
    }
}
