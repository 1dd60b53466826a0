import Foundation
import KDK

/// What the language server knows and answers, in the protocol's JSON
/// shapes: open documents, their diagnostics (from `Engine.check`), and
/// hover, completion, definitions, symbols (from `Engine.outline`),
/// formatting (`Formatter`) and quick fixes for misspelt names (`Diagnostic.suggestion`).
final class LanguageFeatures {
    let engine: Engine
    private var documents: [String: SourceFile] = [:]

    init(engine: Engine) { self.engine = engine }

    // MARK: documents

    /// The file path a `file://` URI names.
    static func path(_ uri: String) -> String {
        guard let url = URL(string: uri), url.isFileURL else { return uri }
        return url.path
    }

    func open(uri: String, text: String) { documents[uri] = SourceFile(name: LanguageFeatures.path(uri), text: text) }
    func close(uri: String) { documents[uri] = nil }

    func offset(uri: String, line: Int, character: Int) -> Int? {
        documents[uri]?.offset(line: line, utf16Column: character)
    }

    static func range(_ r: SourceRange, in file: SourceFile) -> [String: Any] {
        let s = file.lineAndUTF16Column(r.start), e = file.lineAndUTF16Column(max(r.start, r.end))
        return ["start": ["line": s.line, "character": s.column], "end": ["line": e.line, "character": e.column]]
    }

    // MARK: diagnostics

    func diagnostics(uri: String) -> [[String: Any]] {
        guard let file = documents[uri] else { return [] }
        let root = URL(fileURLWithPath: file.name).deletingLastPathComponent()
        let found = engine.check(file.text, name: file.name, importRoot: root, timeout: 10)
        return found.filter { $0.file == nil || $0.file?.name == file.name }.map { d in
            var message = d.message
            for note in d.notes { message += "\nnote: " + note }
            for help in d.help { message += "\nhelp: " + help }
            var out: [String: Any] = ["range": LanguageFeatures.range(d.range, in: file), "severity": d.severity == .error ? 1 : 2,
                                      "source": "kdk", "message": message]
            if let code = d.code { out["code"] = code }
            // Kept by the editor and sent back with a code action request.
            if let suggestion = d.suggestion { out["data"] = ["suggestion": suggestion] }
            if !d.labels.isEmpty {
                out["relatedInformation"] = d.labels.map { label in
                    ["location": ["uri": uri, "range": LanguageFeatures.range(label.range, in: file)], "message": label.message]
                }
            }
            return out
        }
    }

    // MARK: hover

    func hover(uri: String, offset: Int) -> Any? {
        guard let file = documents[uri], let (name, range) = file.word(at: offset) else { return nil }
        let symbols = engine.outline(file.text, name: file.name).symbols
        var text: String? = nil
        if let s = symbols.first(where: { $0.name == name && $0.kind != .import }) {
            let firstLine = file.line(file.location(s.range.start).line)
            let type = s.kind == .letBinding || s.kind == .model ? try? engine.staticType(of: file.text + "\n" + name, name: file.name) : nil
            text = "```kdk\n\(firstLine.trimmingCharacters(in: .whitespaces))\n```" + (type.map { "\n\n" + $0 } ?? "")
        } else if let (model, field) = LanguageFeatures.field(named: name, at: offset, in: symbols) {
            text = "field of `\(model.name)` (\(model.detail))" + (field.literal.map { ": `\(field.name) = \($0)`" } ?? "")
        } else if let b = engine.library.functions[name] {
            text = LanguageFeatures.libraryEntries[name]
                ?? "```kdk\n\(b.name)(\(b.params.map { $0.name }.joined(separator: ", ")))\n```\n\n\(b.doc)"
        }
        guard let text else { return nil }
        return ["contents": ["kind": "markdown", "value": text], "range": LanguageFeatures.range(range, in: file)]
    }

    /// docs/library.md's entry for each function it documents (heading,
    /// text and examples), read from `$KDK_DOCS/library.md` or, for a kdk
    /// run from a checkout (`.build/debug/kdk`), the checkout's docs; empty
    /// when there is none (hover then shows the one-line description).
    static let libraryEntries: [String: String] = {
        // The folders above the binary, up to the checkout (`.build/debug` is
        // a link to `.build/<triple>/debug`).
        var candidates = [ProcessInfo.processInfo.environment["KDK_DOCS"].map { URL(fileURLWithPath: $0).appendingPathComponent("library.md") }]
            .compactMap { $0 }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            folder = folder.deletingLastPathComponent()
            candidates.append(folder.appendingPathComponent("docs/library.md"))
        }
        guard let text = candidates.lazy.compactMap({ try? String(contentsOf: $0, encoding: .utf8) }).first else { return [:] }
        var entries: [String: String] = [:]
        var names: [String] = [], body: [String] = []
        func flush() {
            let entry = body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            for n in names where entries[n] == nil { entries[n] = entry }
            names = []; body = []
        }
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("#") { flush() }
            guard line.hasPrefix("### ") else { if !names.isEmpty { body.append(line) }; continue }
            names = line.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }
                .compactMap { $0.element.split(separator: "(").first.map(String.init) }
            body = ["**" + line.dropFirst(4) + "**", ""]
        }
        flush()
        return entries
    }()

    /// A model field called `name`: in the model around `offset` or the
    /// models it extends first, else in any model.
    static func field(named name: String, at offset: Int, in symbols: [OutlineSymbol]) -> (OutlineSymbol, OutlineSymbol)? {
        let models = symbols.filter { $0.kind == .model }
        var next = models.first { $0.range.start <= offset && offset <= $0.range.end }
        var seen = Set<String>()
        while let m = next, seen.insert(m.name).inserted {
            if let f = m.children.first(where: { $0.name == name }) { return (m, f) }
            next = m.base.flatMap { b in models.first { $0.name == b } }
        }
        for m in models { if let f = m.children.first(where: { $0.name == name }) { return (m, f) } }
        return nil
    }

    // MARK: completion

    func completion(uri: String, offset: Int) -> Any? {
        guard let file = documents[uri] else { return nil }
        let symbols = engine.outline(file.text, name: file.name).symbols
        let start = file.word(at: offset)?.1.start ?? offset
        var items: [[String: Any]] = []
        func add(_ label: String, _ kind: Int, _ detail: String = "") {
            items.append(["label": label, "kind": kind, "detail": detail])
        }
        if file.byte(before: start) == UInt8(ascii: ".") {
            // After `x.`: a model's fields (its bases' too), then the library
            // functions that can be called as methods.
            if let receiver = file.word(endingAt: max(0, start - 1)), var model = symbols.first(where: { $0.kind == .model && $0.name == receiver }) {
                var seen = Set<String>()
                while seen.insert(model.name).inserted {
                    for f in model.children where !items.contains(where: { $0["label"] as? String == f.name }) {
                        add(f.name, 5, "field of \(model.name)" + (f.literal.map { " = \($0)" } ?? ""))
                    }
                    guard let base = model.base, let next = symbols.first(where: { $0.kind == .model && $0.name == base }) else { break }
                    model = next
                }
            }
            // Any other receiver: the fields the checker knows for it (a
            // record literal's, a CSV file's columns, a typed input's).
            let root = URL(fileURLWithPath: file.name).deletingLastPathComponent()
            for f in engine.fields(at: start, in: file.text, name: file.name, importRoot: root)
            where !items.contains(where: { $0["label"] as? String == f }) { add(f, 5, "field") }
            for b in engine.library.functions.values.sorted(by: { $0.name < $1.name }) where !b.params.isEmpty { add(b.name, 2, b.doc) }
            return items
        }
        // Inside a call's brackets: its named arguments first.
        if let callee = LanguageFeatures.openCall(in: file, before: start), let b = engine.library.functions[callee] {
            for p in b.params { add(p.name + ":", 10, "argument of \(b.name)") }
        }
        for s in symbols where s.kind != .import {
            add(s.name, [.letBinding: 6, .function: 3, .model: 7, .unit: 11, .field: 5][s.kind] ?? 6, s.detail)
        }
        for b in engine.library.functions.values.sorted(by: { $0.name < $1.name }) { add(b.name, 3, b.doc) }
        for k in Engine.keywords + engine.kinds.keys.sorted() { add(k, 14) }
        for u in UnitRegistry.builtinNames { add(u, 11, "unit") }
        return items
    }

    /// The name before the innermost `(` still open before `offset` on its line.
    static func openCall(in file: SourceFile, before offset: Int) -> String? {
        let (line, _) = file.location(offset)
        let text = Array(file.line(line).utf8)
        let column = offset - file.offset(line: line - 1, utf16Column: 0)
        return Engine.openCall(endingAt: String(decoding: text.prefix(max(0, column)), as: UTF8.self))
    }

    // MARK: definition and symbols

    func definition(uri: String, offset: Int) -> Any? {
        guard let file = documents[uri] else { return nil }
        let symbols = engine.outline(file.text, name: file.name).symbols
        // On an import (or its alias): the imported file.
        let word = file.word(at: offset)?.0
        if let imp = symbols.first(where: { $0.kind == .import && (($0.range.start <= offset && offset <= $0.range.end) || $0.name == word) }),
           let path = imp.detail.split(separator: "\"").dropFirst().first {
            let target = URL(fileURLWithPath: file.name).deletingLastPathComponent().appendingPathComponent(String(path)).standardizedFileURL
            return ["uri": target.absoluteString, "range": ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 0]]]
        }
        guard let name = word else { return nil }
        let target = symbols.first(where: { $0.name == name && $0.kind != .import })?.nameRange
            ?? LanguageFeatures.field(named: name, at: offset, in: symbols)?.1.nameRange
        guard let target else { return nil }
        return ["uri": uri, "range": LanguageFeatures.range(target, in: file)]
    }

    func symbols(uri: String) -> Any? {
        guard let file = documents[uri] else { return nil }
        func json(_ s: OutlineSymbol) -> [String: Any] {
            let kind = [OutlineSymbol.Kind.letBinding: 13, .function: 12, .model: 5, .field: 8, .unit: 14, .import: 2][s.kind] ?? 13
            var out: [String: Any] = ["name": s.name, "detail": s.detail, "kind": kind,
                                      "range": LanguageFeatures.range(s.range, in: file),
                                      "selectionRange": LanguageFeatures.range(s.nameRange, in: file)]
            if !s.children.isEmpty { out["children"] = s.children.map(json) }
            return out
        }
        return engine.outline(file.text, name: file.name).symbols.map(json)
    }

    // MARK: formatting and quick fixes

    func formatting(uri: String) -> Any? {
        guard let file = documents[uri], let formatted = try? Formatter.format(file.text, name: file.name) else { return nil }
        if formatted == file.text { return [] as [Any] }
        let end = file.lineAndUTF16Column(file.text.utf8.count)
        return [["range": ["start": ["line": 0, "character": 0], "end": ["line": end.line, "character": end.column]], "newText": formatted]]
    }

    /// A quick fix for each diagnostic with a suggested replacement (sent
    /// with it as `data.suggestion`: `Diagnostic.suggestion`).
    func codeActions(uri: String, diagnostics: [[String: Any]]) -> Any {
        var actions: [[String: Any]] = []
        for d in diagnostics {
            guard let range = d["range"], let data = d["data"] as? [String: Any], let suggestion = data["suggestion"] as? String else { continue }
            actions.append(["title": "Change to '\(suggestion)'", "kind": "quickfix", "diagnostics": [d], "isPreferred": true,
                            "edit": ["changes": [uri: [["range": range, "newText": suggestion]]]]])
        }
        return actions
    }
}
