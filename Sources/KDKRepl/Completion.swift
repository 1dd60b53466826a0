import Foundation
import KDK

extension Session {
    /// Candidates for the word that ends at `cursor` (a character offset in
    /// `line`), and where that word starts.
    public func completions(line: String, cursor: Int) -> (start: Int, candidates: [String]) {
        completions(line: line, cursor: cursor, namedArguments: true)
    }

    func completions(line: String, cursor: Int, namedArguments: Bool) -> (start: Int, candidates: [String]) {
        let chars = Array(line.prefix(cursor))
        var start = chars.count
        func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        // Inside a quoted path: read_csv("data/po
        if let quote = chars.lastIndex(of: "\""), chars[..<quote].filter({ $0 == "\"" }).count % 2 == 0 {
            let before = String(chars[..<quote]).trimmingCharacters(in: .whitespaces)
            if ["read_csv(", "read_json(", "read_jsonl(", "import", "write_csv(", "write_json("].contains(where: { before.hasSuffix($0) }) {
                let partial = String(chars[(quote + 1)...])
                return (quote + 1, files(matching: partial))
            }
        }
        if chars.first == ":" {
            let typed = String(chars)
            if typed.hasPrefix(":load ") || typed.hasPrefix(":l ") {
                let partial = String(typed.drop(while: { $0 != " " }).dropFirst())
                return (chars.count - partial.count, files(matching: partial))
            }
            if !typed.contains(" ") { return (0, Session.metaCommands.map { $0.0 }.filter { $0.hasPrefix(typed) }) }
        }
        while start > 0, isWord(chars[start - 1]) { start -= 1 }
        let prefix = String(chars[start...])
        var names: [String]
        if start > 0, chars[start - 1] == "." {
            // Fields of what comes before the dot, plus functions usable as methods.
            // Back over names, dots and indexes: `posts[0]`, `S.rows[1].`.
            var r = start - 1, depth = 0
            while r > 0 {
                let c = chars[r - 1]
                if c == "]" { depth += 1 } else if c == "[" { guard depth > 0 else { break }; depth -= 1 } else if depth == 0, !(isWord(c) || c == ".") { break }
                r -= 1
            }
            let receiver = String(chars[r..<(start - 1)])
            // The receiver's fields first, then the functions that take it as
            // their first argument (all of them when it cannot be evaluated).
            let value = self.value(of: receiver)
            let fields = value.map(Session.fields) ?? []
            let kind = value.map(ValueKinds.of) ?? .any
            // A model's own methods are among its fields; other kinds' are left out.
            let methods = engine.library.functions.values.filter { b in
                guard let first = b.params.first, !first.accepts.isDisjoint(with: kind) else { return false }
                return first.accepts != .model
            }
                .map { $0.name }.filter { !fields.contains($0) }
            return (start, fields.filter { $0.hasPrefix(prefix) }.sorted() + methods.filter { $0.hasPrefix(prefix) }.sorted())
        } else {
            // Inside a call's brackets: its named arguments first.
            if namedArguments, let callee = Engine.openCall(endingAt: String(chars[..<start])), let b = engine.library.functions[callee] {
                let named = b.params.map { $0.name + ":" }.filter { $0.hasPrefix(prefix) }
                if !named.isEmpty {
                    let rest = completions(line: String(chars[..<start]) + prefix, cursor: start + prefix.count, namedArguments: false)
                    return (start, named + rest.candidates.filter { !named.contains($0) })
                }
            }
            names = Engine.keywords + definitions.map { $0.name }.filter { !$0.contains(" ") } + Array(engine.library.functions.keys)
                + engine.kinds.keys + UnitRegistry.builtinNames
                + definitions.compactMap { $0.name.hasPrefix("unit ") ? String($0.name.dropFirst(5)) : nil }
            if lastResult != nil { names.append("_") }
        }
        return (start, Array(Set(names.filter { $0.hasPrefix(prefix) })).sorted())
    }

    /// The value of a receiver such as `Skeptic` or `posts[0]`: evaluated
    /// with the values the session has (`values`, so `posts` is the rows
    /// read before), no file access and a small step budget, so completing
    /// never reads data or runs long; nil when it cannot be had that way.
    func value(of receiver: String) -> Value? {
        guard !receiver.isEmpty, !receiver.contains("(") else { return nil }
        let limits = Limits(maxSteps: 100_000, maxDepth: 100, maxSize: 100_000)
        var live = engineWithLast
        for (name, v) in values { live.define(name, v) }
        let rest = definitions.filter { values[$0.name] == nil }
        if let p = try? live.compile(combined(receiver, with: rest).source, name: "<complete>", evaluate: []),
           let v = try? p.run(limits: limits, access: HostAccess(output: { _ in })) {
            return v
        }
        guard let p = try? engineWithLast.compile(combined(receiver, with: definitions).source, name: "<complete>", evaluate: []) else { return nil }
        return try? p.run(limits: limits, access: HostAccess(output: { _ in }))
    }

    /// A value's kind, as `:type` says it when only the value can tell.
    static func describe(_ v: Value) -> String {
        switch v {
        case .quantity(_, let u): return "quantity in \(UnitRegistry.shared.name(u))"
        case .record(let r): return "record {" + r.shape.names.joined(separator: ", ") + "}"
        case .list(let items):
            if let rows = v.tableRows { return "list of \(rows.count) records {" + Table.names(rows).joined(separator: ", ") + "}" }
            return "list of \(items.count)"
        default: return v.typeName
        }
    }

    /// Field names of a record or model (of a list's first record).
    static func fields(_ v: Value) -> [String] {
        switch v {
        case .record(let r): return r.shape.names
        case .model(let m): return m.fieldNames + m.kind.methods.map { $0.name } + ["name"]
        case .list(let l):
            if case .record(let r)? = l.first { return r.shape.names }
            return []
        default: return []
        }
    }

    func files(matching partial: String) -> [String] {
        let dirPart = partial.contains("/") ? String(partial[..<partial.lastIndex(of: "/")!]) + "/" : ""
        let dir = root.appendingPathComponent(dirPart)
        guard let items = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return items.filter { !$0.hasPrefix(".") }.map { name -> String in
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path, isDirectory: &isDir)
            return dirPart + name + (isDir.boolValue ? "/" : "")
        }.filter { $0.hasPrefix(partial) }.sorted()
    }
}
