import Foundation

/// Record shapes through the checker: list functions pass a known list's item
/// type to their function argument's parameter (`posts.filter(p => p.likes > 9)`
/// checks `likes` against the rows), as each function's parameters declare
/// (`Parameter.receives`) and carry it to their result (`Builtin.listResult`);
/// `read_csv("literal.csv")` reads the file's header, and field access on a
/// known record is checked.
extension Checker {
    /// The argument given for parameter `name` of `b` (`prefix`: arguments
    /// before `args`, a method call's receiver), if any.
    static func argument(for name: String, of b: Builtin, in args: [Arg], prefix: Int) -> (arg: Arg, index: Int)? {
        var position = prefix
        for (k, a) in args.enumerated() {
            if let l = a.label {
                if l == name { return (a, k) }
                continue
            }
            if position < b.params.count, b.params[position].name == name { return (a, k) }
            position += 1
        }
        return nil
    }

    /// Resolves a call's arguments in order; a lambda given to a parameter
    /// that receives the list's items learns their type. `list` is the
    /// list's type when it is not among `args` (a method call's receiver).
    func resolveArguments(_ function: Builtin?, _ args: [Arg], list: UType? = nil) -> [UType] {
        var types: [UType] = []
        var position = list == nil ? 0 : 1
        for a in args {
            let index: Int? = a.label.map { l in function?.params.firstIndex { $0.name == l } } ?? position
            if a.label == nil { position += 1 }
            if let function, let i = index, i < function.params.count, let receives = function.params[i].receives,
               case .lambda = a.value.kind, let item = (list ?? types.first)?.element {
                switch receives {
                case .item: lambdaParamTypes = [item]
                case .accumulatorAndItem: lambdaParamTypes = [.unknown, item]
                }
            }
            types.append(resolve(a.value))
        }
        return types
    }

    /// What a library function gives, when its declaration and the shapes of
    /// its arguments say: the same list for `filter`, the mapped items for
    /// `map`, an item for `first`. `prefix`: 1 for a method call.
    func listResult(_ b: Builtin, _ args: [Arg], _ types: [UType], list: UType, prefix: Int) -> UType? {
        guard let item = list.element, let declared = b.listResult else { return nil }
        switch declared {
        case .sameItems: return list
        case .item: return item
        case .withFields(let added):
            guard let (fields, types, origin) = item.recordFields else { return nil }
            let kept = fields.indices.filter { !added.contains(fields[$0]) }
            return UType.shaped(.record(fields: kept.map { fields[$0] } + added, types: kept.map { types[$0] } + added.map { _ in .unknown },
                                        origin: origin)).listOf
        case .mapped(let by):
            guard let (f, _) = Checker.argument(for: by, of: b, in: args, prefix: prefix), case .lambda = f.value.kind else { return nil }
            return (lambdaResults[ObjectIdentifier(f.value)] ?? .unknown).listOf
        case .itemUnlessCount(let p):
            // first(xs) and first(xs, test) give an item; first(xs, n) a list.
            guard let (a, k) = Checker.argument(for: p, of: b, in: args, prefix: prefix) else { return item }
            if case .lambda = a.value.kind { return item }
            let t = k < types.count ? types[k] : .unknown
            return t == .plain || t == .zero ? list : nil
        }
    }

    /// The file a data function's literal path names, inside the data root.
    func literalDataFile(_ args: [Arg]) -> (path: String, url: URL)? {
        guard let root = dataRoot, let first = args.first, first.label == nil || first.label == "path",
              case .text(let parts) = first.value.kind, parts.count <= 1 else { return nil }
        let path: String
        switch parts.first {
        case .literal(let s)?: path = s
        case nil: path = ""
        default: return nil
        }
        let url = (path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)).standardizedFileURL
        let rootPath = root.standardizedFileURL.resolvingSymlinksInPath().path
        guard url.resolvingSymlinksInPath().path.hasPrefix(rootPath.hasSuffix("/") ? rootPath : rootPath + "/") else { return nil }
        // Only a regular file is opened here (a FIFO would wait for a writer); the run reports anything else.
        guard (try? FileKind.check(url, path, writing: false)) != nil else { return nil }
        return (path, url)
    }

    /// `read_json("data/x.json")` / `read_jsonl(...)` with a literal path to a
    /// file of at most 4 MB that exists at check time: what its value is
    /// (a list of objects with the same keys is a list of records).
    func jsonFileShape(_ format: DataFileFormat, _ args: [Arg]) -> UType? {
        guard let (path, url) = literalDataFile(args),
              let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size]) as? NSNumber, size.intValue <= 4 << 20,
              let data = FileKind.bytes(url) else { return nil }
        var values: [Value] = []
        if format == .json {
            var r = JSONReader(data)
            guard let v = try? r.document() else { return nil }
            values = [v]
        } else {
            for line in data.split(separator: 10) where !line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) {
                var r = JSONReader([UInt8](line))
                guard let v = try? r.document() else { return nil }
                values.append(v)
            }
            return UType.of(.list(values), origin: .file(path))
        }
        return values.first.map { UType.of($0, origin: .file(path)) }
    }

    /// `read_csv("data/posts.csv", types: {...})` with a literal path to a file
    /// that exists at check time: a list of records with the file's columns.
    func dataFileShape(_ args: [Arg]) -> UType? {
        guard let (path, url) = literalDataFile(args), let header = CSVReader.header(of: url), Set(header).count == header.count else { return nil }
        // Declared column types: a unit, "number", "text"...
        var declared: [String: UType] = [:]
        if let t = args.first(where: { $0.label == "types" }), case .record(let fields) = t.value.kind {
            for f in fields { declared[f.name] = declaredType(f.value) }
        }
        return UType.shaped(.record(fields: header, types: header.map { declared[$0] ?? .unknown }, origin: .file(path))).listOf
    }

    /// A column's declared type, as `read_csv`'s `types:` and a `shape`
    /// write it: a unit's name (`USDT`), or a text naming a kind (`"number"`).
    func declaredType(_ e: Expr) -> UType {
        switch e.kind {
        case .name(let u): return unitNames[u].map { .unit($0) } ?? .unknown
        case .text(let parts):
            // The kinds `read_csv` reads (`CellType`), by the same names.
            guard parts.count == 1, case .literal(let kind) = parts[0], let cell = CellType(.text(kind)) else { return .unknown }
            if case .number = cell { return .plain }
            return .other
        default: return .unknown
        }
    }

    /// The help for `x.length` and friends: kdk's `len(x)`.
    static func lengthHabit(_ name: String) -> String? {
        switch name {
        case "length", "size", "len", "count": return "the number of items is len(x)" + (name == "count" ? " (count(x, test) counts those that pass a test)" : "")
        default: return nil
        }
    }

    /// `r.name` on a record whose fields are known: an error when it has no
    /// such field (unless `??` gives a default), else that field's type.
    func checkedField(_ recvType: UType, _ e: Expr, _ name: String, _ nr: SourceRange) -> UType? {
        guard let (fields, types, origin) = recvType.recordFields else { return nil }
        if nr.start == completingField { fieldsAtCompletion = fields }
        if let i = fields.firstIndex(of: name) { return types[i] }
        if softFields.contains(ObjectIdentifier(e)) { return .unknown }
        let listed = fields.joined(separator: ", ")
        let message: String, note: String
        switch origin {
        case .file(let f)? where !f.lowercased().hasSuffix(".csv"): message = "\(f) has no field '\(name)'"; note = "the fields in \(f) are \(listed)"
        case .file(let f)?: message = "\(f) has no column '\(name)'"; note = "the columns of \(f) are \(listed)"
        case .shape(let s)?: message = "\(s) has no field '\(name)'"; note = "the fields of shape \(s) are \(listed)"
        case .input(let what, let item)?:
            message = "\(ShapeOrigin.input(what, item: item).name) has no field '\(name)'"
            note = "the host declares \(item ? "the items of " + what : what) with the fields \(listed)"
        case nil: message = "this record has no field '\(name)'"; note = "its fields are \(listed)"
        }
        diagnostics.append(Diagnostic(.error, message, at: nr, in: file, notes: [note],
                                      help: Suggest.help(for: name, in: fields).map { [$0] } ?? [], code: .noSuchField,
                                      suggestion: Suggest.closest(to: name, in: fields)))
        return .unknown
    }
}

/// Models checked against the entries they are given: `C.award(posts)` with
/// `posts` of a known shape checks every read of an entry's field in C's
/// `score`, `rules` and other entry functions (its base's too), and the
/// fields the kind requires of every entry.
extension Checker {
    /// `Model.method(args)`: when the method takes entries and their shape
    /// is known, remember it for the model (the first one found).
    func noteEntries(_ recv: Expr, _ method: String, _ args: [Arg], _ types: [UType]) {
        guard case .name = recv.kind, case .global(let gi)? = res.names[ObjectIdentifier(recv)],
              case .model(let decl) = globals[gi].kind, let entries = kinds[decl.kind]?.entries,
              let index = entries.arguments[method], index < types.count, index < args.count else { return }
        let t = types[index]
        guard let shape = (t.element ?? t).recordFields else { return }
        for name in entries.required where !shape.fields.contains(name) {
            let what = shape.origin.map { "\($0.name) has no column '\(name)'" } ?? "these entries have no field '\(name)'"
            diagnostics.append(Diagnostic(.error, "\(what): \(decl.kind).\(method) needs \(entries.required.joined(separator: " and ")) in every entry",
                                          at: args[index].value.range, in: file,
                                          notes: [(shape.origin.map { "the columns of \($0.name) are " } ?? "their fields are ") + shape.fields.joined(separator: ", ")],
                                          help: Suggest.help(for: name, in: shape.fields).map { [$0] } ?? [], code: .noSuchField))
        }
        if entryShapes[gi] == nil { entryShapes[gi] = EntryShape(fields: shape.fields, types: shape.types, origin: shape.origin) }
    }

    /// After everything is resolved: each model with known entries, and the
    /// models it extends, have their entry functions checked.
    func checkEntryShapes() {
        var checked = Set<ObjectIdentifier>()
        // Models that declare their entries' shape (`entry = Post`).
        for (gi, g) in globals.enumerated() {
            guard case .model(let decl) = g.kind, kinds[decl.kind]?.entries != nil else { continue }
            let saved = file
            file = g.file
            if let shape = declaredEntries(decl) { entryShapes[gi] = shape }
            file = saved
        }
        for (gi, shape) in entryShapes.sorted(by: { $0.key < $1.key }) {
            var next: Int? = gi
            var seen = Set<Int>()
            while let m = next, !seen.contains(m), case .model(let decl) = globals[m].kind {
                seen.insert(m)
                let fieldNames = kinds[decl.kind]?.entries?.functionFields ?? []
                let saved = file
                file = globals[m].file
                for f in decl.fields where fieldNames.contains(f.name) && checked.insert(ObjectIdentifier(f.body)).inserted {
                    // `score(p) = ...` takes an entry; so does every lambda inside `rules = [...]`.
                    let params = Set((f.params ?? []).map { $0.name })
                    walkEntryReads(f.body, params, shape, inFunction: f.params != nil)
                }
                file = saved
                next = baseIndex(decl)
            }
        }
    }

    /// Reports `p.name` where `p` is an entry parameter and entries have no `name`.
    /// `inFunction`: inside an entry function already, where a nested
    /// lambda's parameters are something else (a tag, a number) and only
    /// shadow; outside one, a lambda is an entry function (`rule("x", p => ...)`).
    func walkEntryReads(_ e: Expr, _ entryParams: Set<String>, _ shape: EntryShape,
                        inFunction: Bool, depth: Int = 0) {
        guard depth < 200 else { return }
        switch e.kind {
        case .field(let recv, let name, let nr):
            if nr.start == completingField, case .name(let p) = recv.kind, entryParams.contains(p) { fieldsAtCompletion = shape.fields }
            if case .name(let p) = recv.kind, entryParams.contains(p), !shape.fields.contains(name), !softFields.contains(ObjectIdentifier(e)) {
                let where_: String, listed: String
                switch shape.origin {
                case .file(let f)?: where_ = "the entries (rows of \(f))"; listed = "the columns of \(f) are "
                case .shape(let s)?: where_ = "the entries (shape \(s))"; listed = "the fields of shape \(s) are "
                case .input(let what, let item)?: where_ = "the entries (\(ShapeOrigin.input(what, item: item).name))"; listed = "the host declares them with the fields "
                case nil: where_ = "the entries"; listed = "their fields are "
                }
                diagnostics.append(Diagnostic(.error, "\(where_) have no field '\(name)'", at: nr, in: file,
                                              notes: [listed + shape.fields.joined(separator: ", ")],
                                              help: Suggest.help(for: name, in: shape.fields).map { [$0] } ?? [], code: .noSuchField,
                                              suggestion: Suggest.closest(to: name, in: shape.fields)))
            }
            walkEntryReads(recv, entryParams, shape, inFunction: inFunction, depth: depth + 1)
        case .lambda(let params, let body):
            let names = params.map { $0.name }
            let inner = inFunction ? entryParams.subtracting(names) : entryParams.union(names)
            walkEntryReads(body, inner, shape, inFunction: true, depth: depth + 1)
        case .block(let lets, let result):
            let shadowed = entryParams.subtracting(lets.map { $0.name })
            for l in lets { walkEntryReads(l.value, shadowed, shape, inFunction: inFunction, depth: depth + 1) }
            walkEntryReads(result, shadowed, shape, inFunction: inFunction, depth: depth + 1)
        default:
            for c in e.children { walkEntryReads(c, entryParams, shape, inFunction: inFunction, depth: depth + 1) }
        }
    }
}

/// `shape Post { id: number, amount: USDT }`: a named record shape that data
/// can be held to (`read_csv(path, shape: Post)`), parameters declared with
/// (`fn score(p: Post)`), and models' entries declared as (`entry = Post`).
extension Checker {
    /// The record type of the shape named `name`; an error at `r` when no
    /// shape has that name.
    func shapeRecord(_ name: String, _ r: SourceRange) -> UType? {
        guard let gi = globalIndex[name], case .value(let b) = globals[gi].kind, b.isShape, case .record(let fields) = b.value.kind else {
            let shapes = globals.compactMap { g -> String? in if case .value(let b) = g.kind, b.isShape { return g.name }; return nil }
            error("'\(name)' is not a shape", r, code: .undefinedName,
                  help: Suggest.help(for: name, in: shapes) ?? "declare it: shape \(name) { id: number, author: text }",
                  suggestion: Suggest.closest(to: name, in: shapes))
            return nil
        }
        return .shaped(.record(fields: fields.map { $0.name }, types: fields.map { declaredType($0.value) }, origin: .shape(name)))
    }

    /// `read_csv(path, shape: Post)`: rows of exactly that shape.
    func declaredRows(_ args: [Arg]) -> UType? {
        guard let a = args.first(where: { $0.label == "shape" }), case .name(let n) = a.value.kind else { return nil }
        return shapeRecord(n, a.value.range)?.listOf
    }

    /// A model's `entry = Post`: its entries' shape, declared.
    func declaredEntries(_ decl: ModelDecl) -> EntryShape? {
        guard let f = decl.fields.first(where: { $0.name == "entry" }), case .name(let n) = f.body.kind,
              let shape = shapeRecord(n, f.body.range)?.recordFields else { return nil }
        return EntryShape(fields: shape.fields, types: shape.types, origin: shape.origin)
    }
}

/// What the checker knows of a model's entries: their fields, and where that came from.
struct EntryShape {
    let fields: [String]
    let types: [UType]
    let origin: ShapeOrigin?
}
