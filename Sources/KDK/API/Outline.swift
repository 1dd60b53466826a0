/// What a file declares, for editors: the top-level definitions, and each
/// model's fields, with where they are. Read from the syntax alone, so it
/// works on a file with errors (the statements that parsed).
public struct OutlineSymbol: Sendable {
    public enum Kind: String, Sendable { case letBinding = "let", function = "fn", model, field, unit, `import` }
    public var name: String
    public var kind: Kind
    /// `campaign`, `fn(p, q)`, `extends Base`, a field's parameters...
    public var detail: String
    /// The whole definition.
    public var range: SourceRange
    /// The name in it.
    public var nameRange: SourceRange
    /// A model's fields.
    public var children: [OutlineSymbol] = []
    /// For a model: the model it extends.
    public var base: String?
    /// The text of the value, when it is a single literal (a model field `pool = 2_000 KDK`).
    public var literal: String?
}

extension Engine {
    /// The definitions in `source`, in order (see `OutlineSymbol`).
    public func outline(_ source: String, name: String = "<input>") -> (file: SourceFile, symbols: [OutlineSymbol]) {
        let file = SourceFile(name: name, text: source)
        let (script, _) = Parser.parse(file)
        var out: [OutlineSymbol] = []
        for statement in script.statements {
            switch statement {
            case .letDecl(let b, let r):
                out.append(OutlineSymbol(name: b.name, kind: .letBinding, detail: "let", range: r, nameRange: b.nameRange,
                                         literal: Engine.literalText(b.value, file)))
            case .fnDecl(let f):
                out.append(OutlineSymbol(name: f.name, kind: .function, detail: "fn(" + f.params.map { $0.name }.joined(separator: ", ") + ")",
                                         range: f.range, nameRange: f.nameRange))
            case .unitDecl(let n, _, _, let r):
                out.append(OutlineSymbol(name: n, kind: .unit, detail: "unit", range: r, nameRange: r))
            case .importDecl(let path, let alias, let r):
                out.append(OutlineSymbol(name: alias ?? path, kind: .import, detail: "import \"\(path)\"", range: r, nameRange: r))
            case .model(let m):
                let fields = m.fields.map { f in
                    OutlineSymbol(name: f.name, kind: .field, detail: f.params.map { "(" + $0.map { $0.name }.joined(separator: ", ") + ")" } ?? "",
                                  range: f.nameRange.to(f.body.range), nameRange: f.nameRange, literal: Engine.literalText(f.body, file))
                }
                out.append(OutlineSymbol(name: m.name, kind: .model, detail: m.kind + (m.base.map { " extends \($0)" } ?? ""),
                                         range: m.range, nameRange: m.nameRange, children: fields, base: m.base))
            case .expr: continue
            }
        }
        return (file, out)
    }

    /// The source of `e` when it is a constant written out (a number, an
    /// amount, a text, a time), for showing a field's value.
    static func literalText(_ e: Expr, _ file: SourceFile) -> String? {
        switch e.kind {
        case .literal, .unitLiteral: return file.slice(e.range)
        case .text(let parts) where parts.allSatisfy({ if case .literal = $0 { return true }; return false }): return file.slice(e.range)
        case .negate(let x): return literalText(x, file).map { "-" + $0 }
        default: return nil
        }
    }
}

extension SourceFile {
    /// The byte offset of a 0-based line and a UTF-16 column (as editors
    /// count), clamped to the line.
    public func offset(line: Int, utf16Column: Int) -> Int {
        guard line >= 0 else { return 0 }
        guard line < lineStarts.count else { return bytes.count }
        let start = lineStarts[line]
        let end = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : bytes.count
        var units = 0, i = start
        while i < end && units < utf16Column {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
            units += length == 4 ? 2 : 1
            i += length
        }
        return min(i, end)
    }

    /// The 0-based line and UTF-16 column of a byte offset.
    public func lineAndUTF16Column(_ offset: Int) -> (line: Int, column: Int) {
        let (line, _) = location(offset)
        let start = lineStarts[line - 1]
        let off = max(start, min(offset, bytes.count))
        let prefix = String(decoding: bytes[start..<off], as: UTF8.self)
        return (line - 1, prefix.utf16.count)
    }

    /// The identifier around a byte offset, and its range.
    public func word(at offset: Int) -> (String, SourceRange)? {
        func isWord(_ b: UInt8) -> Bool { (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b >= 0x80 }
        var s = min(max(0, offset), bytes.count), e = s
        while s > 0, isWord(bytes[s - 1]) { s -= 1 }
        while e < bytes.count, isWord(bytes[e]) { e += 1 }
        guard s < e, !(bytes[s] >= 48 && bytes[s] <= 57) else { return nil }
        return (String(decoding: bytes[s..<e], as: UTF8.self), SourceRange(s, e))
    }

    /// The byte just before `offset` that is not a space, if any.
    public func byte(before offset: Int) -> UInt8? {
        var i = min(offset, bytes.count) - 1
        while i >= 0, bytes[i] == 32 { i -= 1 }
        return i >= 0 ? bytes[i] : nil
    }

    /// The identifier that ends just before `offset` (the receiver in `x.`).
    public func word(endingAt offset: Int) -> String? {
        var e = min(offset, bytes.count)
        while e > 0, bytes[e - 1] == 32 { e -= 1 }
        return word(at: e).map { $0.0 }
    }
}
