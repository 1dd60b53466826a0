/// Why an import could not be read.
public struct ImportError: Error {
    /// What went wrong.
    public var message: String
    /// What to do about it.
    public var help: String?
    /// An import failure.
    public init(_ message: String, help: String? = nil) { self.message = message; self.help = help }
}

extension Checker {
    /// `import "path"` joins the file's top-level names to this program's;
    /// `import "path" as fin` keeps them qualified (`fin.npv`). A file is read
    /// once however often it is imported; an import cycle is an error.
    func importFile(_ path: String, alias: String?, prefix: String, _ r: SourceRange) {
        guard let loader else {
            error("imports are not allowed here", r, help: "the host did not grant file access (the kdk command allows files in the script's folder)")
            return
        }
        switch loader(path, file) {
        case .failure(let e):
            error(e.message, r, help: e.help)
        case .success(let (name, text)):
            let qualified = alias.map { prefix + $0 + "." } ?? prefix
            if let alias {
                aliases[ObjectIdentifier(file), default: []].insert(alias)
                if globalIndex[alias] != nil { error("'\(alias)' is already defined", r) }
            }
            let key = name + "|" + qualified
            if let done = imported[key] {
                if !done { error("import cycle: '\(path)' imports this file again", r) }
                return
            }
            imported[key] = false
            let source = SourceFile(name: name, text: text)
            let (script, syntax) = Parser.parse(source)
            diagnostics += syntax
            declare(script, prefix: qualified)
            imported[key] = true
        }
    }

    /// For `fin.x`: the global `x` of the file imported as `fin`, if `recv`
    /// names an import alias that no local shadows.
    func qualifiedGlobal(_ recv: Expr, _ name: String) -> Int? {
        guard case .name(let a) = recv.kind, aliases[ObjectIdentifier(file)]?.contains(a) == true else { return nil }
        var c = ctx
        while let x = c {
            if x.scopes.contains(where: { $0[a] != nil }) || x.fields.contains(a) { return nil }
            c = x.parent
        }
        let p = filePrefix[ObjectIdentifier(file)] ?? ""
        return globalIndex[p + a + "." + name] ?? globalIndex[a + "." + name]
    }
}
