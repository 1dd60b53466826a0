import Foundation

/// Record shapes through the checker: list functions pass a known list's item
/// type to their function argument's parameter (`posts.filter(p => p.likes > 9)`
/// checks `likes` against the rows), `read_csv("literal.csv")` reads the file's
/// header, and field access on a known record is checked.
extension Checker {
    /// Library functions that call their function argument with the items of
    /// their first argument, a list.
    static let itemFunctions: Set<String> = ["map", "filter", "any", "all", "count", "first", "sort", "sort_by", "top",
                                             "group_by", "unique_by", "sum", "mean", "min", "max"]
    /// Library functions whose result is a list of the same items.
    static let sameItemFunctions: Set<String> = ["filter", "sort", "sort_by", "top", "unique_by", "unique", "reverse"]

    /// Resolves a call's arguments in order; a lambda given to a list function
    /// learns the type of the list's items. `list` is the list's type when it
    /// is not among `args` (a method call's receiver).
    func resolveArguments(_ function: String?, _ args: [Arg], list: UType? = nil) -> [UType] {
        var types: [UType] = []
        let passesItems = function.map { Checker.itemFunctions.contains($0) } ?? false
        for a in args {
            if passesItems, case .lambda = a.value.kind, let item = (list ?? types.first)?.element {
                lambdaParamTypes = [item]
            }
            types.append(resolve(a.value))
        }
        return types
    }

    /// What a library function gives, when the shapes of its arguments say:
    /// the same list for `filter`, the mapped items for `map`, an item for `first`.
    func listResult(_ function: String, _ args: [Arg], _ types: [UType], list: UType) -> UType? {
        guard let item = list.element else { return nil }
        let lambda = args.first { if case .lambda = $0.value.kind { return true }; return false }
        switch function {
        case "map":
            guard let f = lambda else { return nil }
            return (lambdaResults[ObjectIdentifier(f.value)] ?? .unknown).listOf
        case "first", "last":
            // first(xs) and first(xs, test) give an item; first(xs, n) a list.
            let extra = list == types.first ? Array(types.dropFirst()) : types
            return extra.isEmpty || lambda != nil ? item : list
        default:
            return Checker.sameItemFunctions.contains(function) ? list : nil
        }
    }

    /// `read_csv("data/posts.csv", types: {...})` with a literal path to a file
    /// that exists at check time: a list of records with the file's columns.
    func dataFileShape(_ args: [Arg]) -> UType? {
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
        guard url.resolvingSymlinksInPath().path.hasPrefix(rootPath.hasSuffix("/") ? rootPath : rootPath + "/"),
              let header = CSVReader.header(of: url), Set(header).count == header.count else { return nil }
        // Declared column types: a unit, or "number".
        var declared: [String: UType] = [:]
        if let t = args.first(where: { $0.label == "types" }), case .record(let fields) = t.value.kind {
            for f in fields {
                switch f.value.kind {
                case .name(let n): if let u = unitNames[n] { declared[f.name] = .unit(u) }
                case .literal(.text("number")): declared[f.name] = .plain
                default: break
                }
            }
        }
        return UType.shaped(.record(fields: header, types: header.map { declared[$0] ?? .unknown }, origin: path)).listOf
    }

    /// `r.name` on a record whose fields are known: an error when it has no
    /// such field (unless `??` gives a default), else that field's type.
    func checkedField(_ recvType: UType, _ e: Expr, _ name: String, _ nr: SourceRange) -> UType? {
        guard let (fields, types, origin) = recvType.recordFields else { return nil }
        if let i = fields.firstIndex(of: name) { return types[i] }
        if softFields.contains(ObjectIdentifier(e)) { return .unknown }
        let listed = fields.joined(separator: ", ")
        let message = origin.map { "\($0) has no column '\(name)'" } ?? "this record has no field '\(name)'"
        let note = origin.map { "the columns of \($0) are \(listed)" } ?? "its fields are \(listed)"
        diagnostics.append(Diagnostic(.error, message, at: nr, in: file, notes: [note],
                                      help: Suggest.help(for: name, in: fields).map { [$0] } ?? []))
        return .unknown
    }
}
