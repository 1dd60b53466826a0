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

    /// All field names of a model global: its kind's schema, its base's, its own.
    /// Computed from the base down, without recursion (a chain of thousands
    /// of `extends`); a cycle of bases is cut where it closes.
    func modelFieldNames(_ gi: Int) -> [String]? {
        if let f = modelFields[gi] { return f }
        var chain: [Int] = []  // this model, then its bases not yet known
        var inChain = Set<Int>()
        var cur: Int? = gi
        while let c = cur, modelFields[c] == nil, let m = modelDecl(c), inChain.insert(c).inserted {
            chain.append(c)
            cur = baseIndex(m)
        }
        if chain.isEmpty { return nil }
        for (k, c) in chain.enumerated().reversed() {
            let m = modelDecl(c)!  // in the chain only when it is a model
            var names: [String] = []
            var have = Set<String>()
            func add(_ n: String) { if have.insert(n).inserted { names.append(n) } }
            for f in kinds[m.kind]?.fields ?? [] { add(f.name) }
            // The base's names: known now, unless the chain closed a cycle there.
            if let bi = baseIndex(m), k + 1 < chain.count || !inChain.contains(bi), let bn = modelFields[bi] { bn.forEach(add) }
            for f in m.fields { add(f.name) }
            modelFields[c] = names
        }
        return modelFields[gi]
    }

    func checkModel(_ gi: Int, _ m: ModelDecl) {
        guard let kind = kinds[m.kind] else {
            error(code: .model, "unknown model kind '\(m.kind)'", m.kindRange,
                  help: Suggest.help(for: m.kind, in: Array(kinds.keys)) ?? "the kinds are \(kinds.keys.sorted().joined(separator: ", "))")
            return
        }
        var inheritedDeclared = Set<String>()
        if let b = m.base, let br = m.baseRange {
            guard let bi = globalIndex[b] else {
                error(code: .undefinedName, "'\(b)' is not defined", br, help: Suggest.help(for: b, in: globals.compactMap { modelDecl(globalIndex[$0.name]!) != nil ? $0.name : nil }))
                return
            }
            guard let bm = modelDecl(bi) else { error(code: .model, "'\(b)' is not a model, so '\(m.name)' cannot extend it", br); return }
            if bm.kind != m.kind { error(code: .model, "a \(m.kind) cannot extend \(b), which is a \(bm.kind)", br) }
            // Follow the chain to find cycles and what the bases declare.
            var seen: Set<Int> = [gi]
            var cur: Int? = bi
            while let c = cur, let cm = modelDecl(c) {
                if seen.contains(c) {
                    error(code: .model, "'\(m.name)' extends itself through \(b)", br)
                    return
                }
                seen.insert(c)
                cm.fields.forEach { inheritedDeclared.insert($0.name) }
                cur = baseIndex(cm)
            }
        }
        let all = modelFieldNames(gi) ?? []
        let allSet = Set(all)  // once, not per field: a model may have thousands
        let schema = Set(kind.fields.map { $0.name })
        var seen: [String: SourceRange] = [:]
        var deps: [String: (deps: [String], range: SourceRange)] = [:]
        for f in m.fields {
            if seen[f.name] != nil { error(code: .model, "field '\(f.name)' is given twice in \(m.name)", f.nameRange) }
            seen[f.name] = f.nameRange
            if !kind.openFields && !schema.contains(f.name) && !inheritedDeclared.contains(f.name) {
                error(code: .model, "a \(kind.name) has no field '\(f.name)'", f.nameRange,
                      help: Suggest.help(for: f.name, in: kind.fields.map { $0.name }) ?? "its fields are \(kind.fields.map { $0.name }.joined(separator: ", "))")
            }
            if kind.method(f.name) != nil {
                error(code: .model, "'\(f.name)' is a method of every \(kind.name) and cannot be a field", f.nameRange)
            }
            let c = Context(parent: nil, fields: allSet, deferred: f.params != nil)
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
        let given = { (name: String) in seen[name] != nil || inheritedDeclared.contains(name) }
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
        var chain: [Int] = []
        var inChain = Set<Int>()
        var cur: Int? = gi
        while let c = cur, inChain.insert(c).inserted, let cm = modelDecl(c) { chain.append(c); cur = baseIndex(cm) }
        chain.removeAll { $0 != gi && declaredFieldDeps[$0] == nil }
        // The definition in force for a field: the most derived one.
        var known: [String: (deps: [String], range: SourceRange, own: Bool)?] = [:]
        func effective(_ n: String) -> (deps: [String], range: SourceRange, own: Bool)? {
            if let k = known[n] { return k }
            let found = chain.lazy.compactMap { c in self.declaredFieldDeps[c]?[n].map { ($0.deps, $0.range, c == gi) } }.first
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
