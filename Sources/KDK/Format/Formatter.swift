/// `kdk fmt`: one layout for every kdk file. It works on the tokens, not on
/// the syntax tree, so comments stay where they are, and it changes only
/// the spaces between tokens, and adds line breaks only inside `(` and `[`
/// of a long line (where kdk ignores them); it never removes one (kdk's line
/// breaks end statements). So a formatted file means what it meant; `format`
/// checks that by comparing the two files' tokens before it returns.
///
/// The layout:
/// - indentation is two spaces per open bracket; a line that starts with
///   closing brackets is indented as the line that opened them; a line that
///   continues a statement (it starts with `|>`, `.name`, an operator,
///   `and`, `or`, `then`, `else`..., or the line before ended with one) is
///   indented one more level;
/// - one space around binary operators, `=`, `=>` and keywords, after `,`,
///   `;` and `:`, none inside brackets or around `.`; a range operator and a
///   `(` or `[` keep the space (or none) they had, since `f (x)` and `f(x)`
///   differ; a unary minus sticks to its operand;
/// - in a model, consecutive field lines align their `=`, and consecutive
///   lines with a trailing comment align the comments;
/// - at most one blank line in a row, none at the start, one newline at the end.
/// - a line of code longer than `width` is broken inside its first `(` or `[`
///   that closes on it and holds a comma (`breakLongLines`).
public enum Formatter {
    /// `source` in the canonical layout. Throws a `DiagnosticList` when it
    /// does not parse (nothing is formatted then).
    public static func format(_ source: String, name: String = "<input>") throws -> String {
        let file = SourceFile(name: name, text: source)
        let (_, syntax) = Parser.parse(file)
        let errors = syntax.filter { $0.severity == .error }
        guard errors.isEmpty else { throw DiagnosticList(errors) }
        var formatted = Layout(file: file, tokens: Lexer.tokenize(file).0).render()
        // Lines too long are broken inside their brackets, then laid out
        // again, until none can be broken further.
        for _ in 0..<64 {
            guard let broken = breakLongLines(formatted) else { break }
            let next = SourceFile(name: name, text: broken)
            formatted = Layout(file: next, tokens: Lexer.tokenize(next).0).render()
        }
        guard sameTokens(file, SourceFile(name: name, text: formatted)) else {
            throw DiagnosticList([Diagnostic(.error, "internal error: formatting would change the meaning of this file; it was left as it is",
                                             at: .none, in: file, help: ["please report it with the file"], code: .syntax)])
        }
        return formatted
    }

    /// Lines of code longer than this are broken, where they can be.
    public static let width = 100

    /// `text` with each too-long line broken inside a bracket, or nil when
    /// no line can be. A line breaks inside its first `(` or `[` that
    /// closes on the same line and holds a comma: after the bracket, after
    /// each of its commas and before its closer. Inside `(` and `[` a line
    /// break means nothing to kdk, so this changes layout only; braces are
    /// left alone (a line break inside `{}` ends a field).
    static func breakLongLines(_ text: String) -> String? {
        let file = SourceFile(name: "", text: text)
        let tokens = Lexer.tokenize(file).0.filter { if case .newline = $0.kind { return false }; if case .eof = $0.kind { return false }; return true }
        var allCuts: [Int] = []
        var i = 0
        while i < tokens.count {
            let line = file.location(tokens[i].range.start).line
            var j = i
            while j < tokens.count, file.location(tokens[j].range.start).line == line { j += 1 }
            // tokens[i..<j] are this line's; its code ends with tokens[j - 1].
            let start = file.lineStarts[line - 1]
            let width = String(decoding: file.bytes[start..<tokens[j - 1].range.end], as: UTF8.self).count
            if width > Formatter.width, let cuts = cuts(in: tokens[i..<j]) { allCuts += cuts }
            i = j
        }
        guard !allCuts.isEmpty else { return nil }
        var bytes = file.bytes
        for cut in allCuts.sorted().reversed() { bytes.insert(10, at: cut) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Where to break one line's tokens: after an opener, its commas, before its closer.
    private static func cuts(in line: ArraySlice<Token>) -> [Int]? {
        for (k, t) in zip(line.indices, line) {
            guard case .op(let open) = t.kind, open == .leftParen || open == .leftBracket else { continue }
            var depth = 0
            var commas: [Int] = []
            for m in (k + 1)..<line.endIndex {
                guard case .op(let o) = line[m].kind else { continue }
                if o.opens { depth += 1 }
                if o.closes {
                    if depth == 0 {
                        guard !commas.isEmpty else { break }
                        return [t.range.end] + commas + [line[m].range.start]
                    }
                    depth -= 1
                }
                if o == .comma, depth == 0 { commas.append(line[m].range.end) }
            }
        }
        return nil
    }

    /// Whether both files read as the same tokens, with the same space (or
    /// none) before each `(` and `[` that follows an operand (a call or an
    /// index without the space): what the parser sees.
    static func sameTokens(_ a: SourceFile, _ b: SourceFile) -> Bool {
        // A newline at the very end (the formatted file always has one) means nothing.
        func meaningful(_ f: SourceFile) -> ArraySlice<Token> {
            var ts = Lexer.tokenize(f).0[...]
            while let last = ts.last, case .eof = last.kind { ts.removeLast() }
            while let last = ts.last, case .newline = last.kind { ts.removeLast() }
            return ts
        }
        let x = meaningful(a), y = meaningful(b)
        guard x.count == y.count else { return false }
        /// Whether a token can end an operand, so a `(` or `[` right after
        /// it (no space) is a call or an index.
        func endsOperand(_ t: Token?) -> Bool {
            switch t?.kind {
            case .ident?, .number?, .string?, .temporal?: return true
            case .op(let o)?: return o.closes
            case .keyword(let k)?: return [.true, .false, .none].contains(k)
            default: return false
            }
        }
        var before: Token? = nil
        for (s, t) in zip(x, y) {
            defer { before = s }
            // A text's parts hold byte offsets, which move: compare its text.
            if case .string = s.kind {
                guard case .string = t.kind, a.slice(s.range) == b.slice(t.range) else { return false }
                continue
            }
            guard s.kind == t.kind else { return false }
            if case .op(let o) = s.kind, o == .leftParen || o == .leftBracket, endsOperand(before), s.spaceBefore != t.spaceBefore { return false }
        }
        return true
    }
}

/// The lines of one file, laid out.
private struct Layout {
    let file: SourceFile
    let tokens: [Token]
    /// Each token's index, by where it starts.
    let index: [Int: Int]

    init(file: SourceFile, tokens: [Token]) {
        self.file = file
        self.tokens = tokens
        var index: [Int: Int] = [:]
        for (i, t) in tokens.enumerated() { index[t.range.start] = i }
        self.index = index
    }

    /// One source line: its tokens' texts with the space before each, its
    /// indent, and its comment.
    struct Line {
        var indent = 0
        var pieces: [(text: String, spaced: Bool)] = []
        var comment: String?
        var blank: Bool { pieces.isEmpty && comment == nil }
        /// The column of the `=` to align (a model field), if any.
        var fieldEquals: Int?
        /// Whether the line's statement goes on after it (a multi-line value).
        var continues = false

        var code: String {
            var s = ""
            for (i, p) in pieces.enumerated() { s += (i > 0 && p.spaced ? " " : "") + p.text }
            return s
        }
    }

    func render() -> String {
        var lines = build()
        alignFieldEquals(&lines)
        var out: [String] = []
        let commentColumn = alignComments(lines)
        for (n, line) in lines.enumerated() {
            if line.blank {
                if let last = out.last, !last.isEmpty { out.append("") }
                continue
            }
            var s = String(repeating: " ", count: line.indent) + line.code
            if let c = line.comment {
                if line.pieces.isEmpty { s = String(repeating: " ", count: line.indent) + c } else {
                    let width = s.count
                    s += String(repeating: " ", count: max(2, (commentColumn[n] ?? width + 2) - width)) + c
                }
            }
            out.append(s)
        }
        while out.last == "" { out.removeLast() }
        return out.isEmpty ? "" : out.joined(separator: "\n") + "\n"
    }

    /// The lines, with each token's spacing and each line's indent. (No
    /// token spans lines: a text ends on its line.)
    func build() -> [Line] {
        let lineCount = file.lineStarts.count
        var lines = Array(repeating: Line(), count: lineCount)
        var byLine = Array(repeating: [Token](), count: lineCount)
        for t in tokens {
            switch t.kind {
            case .eof, .newline: continue
            default: byLine[file.location(t.range.start).line - 1].append(t)
            }
        }
        // Each open bracket, with the indent level of the lines inside it:
        // one more than the line that opened it, however many it opened.
        var open: [(symbol: Symbol, inner: Int)] = []
        var previous: Token? = nil  // the last token before this line
        for n in 0..<lineCount {
            let ts = byLine[n]
            guard let first = ts.first else { continue }
            var closers = 0
            for t in ts { if case .op(let o) = t.kind, o.closes { closers += 1 } else { break } }
            // A line that starts by closing brackets sits at the level of the
            // line that opened them (`]))` under `|> map(x => foo([`).
            var level = (open.last?.inner ?? 0) - (closers > 0 && !open.isEmpty ? 1 : 0)
            if closers == 0 && (startsContinuation(first) || previous.map(endsContinuation) == true) { level += 1 }
            lines[n].indent = 2 * level
            var previousOnLine: Token? = nil
            for t in ts {
                lines[n].pieces.append((file.slice(t.range), previousOnLine.map { space(between: $0, and: t) } ?? false))
                if case .op(let o) = t.kind {
                    if o.opens { open.append((o, level + 1)) }
                    if o.closes, !open.isEmpty { open.removeLast() }
                    if o == .assign, open.last?.symbol == .leftBrace, lines[n].fieldEquals == nil, isFieldStart(lines[n]) {
                        lines[n].fieldEquals = lines[n].pieces.count - 1
                    }
                }
                previousOnLine = t
            }
            lines[n].continues = ts.last.map(endsContinuation) == true
            previous = ts.last
            // A statement ended here (the lexer saw a newline that counts).
            if let last = ts.last, let k = index[last.range.start], k + 1 < tokens.count,
               case .newline = tokens[k + 1].kind {
                previous = nil
            }
        }
        // Comments: the text after a line's last token, when it is a comment.
        for n in 0..<lineCount {
            let text = Array(file.line(n + 1).utf8)
            let from = byLine[n].last.map { $0.range.end - file.lineStarts[n] } ?? 0
            let rest = String(decoding: text[min(from, text.count)...], as: UTF8.self)
            let trimmed = rest.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("#") { lines[n].comment = String(trimmed).trimmingTrailingSpaces() }
        }
        // An own-line comment is indented as the code after it.
        for n in 0..<lineCount where lines[n].pieces.isEmpty && lines[n].comment != nil {
            lines[n].indent = lines[n...].first { !$0.pieces.isEmpty }?.indent ?? 0
        }
        return lines
    }

    /// A field line of a model: `name = ...` or `name(params) = ...`.
    func isFieldStart(_ line: Line) -> Bool {
        guard let first = line.pieces.first?.text, first.first.map({ $0.isLetter || $0 == "_" }) == true else { return false }
        return !["let", "fn", "unit", "import", "if", "else", "then"].contains(first)
    }

    func startsContinuation(_ t: Token) -> Bool {
        switch t.kind {
        case .op(let o): return o == .pipe || o == .dot || (Lexer.continuingOps.contains(o) && o != .comma && o != .colon)
        case .keyword(let k): return [.and, .or, .then, .else, .with, .extends, .in].contains(k)
        default: return false
        }
    }

    func endsContinuation(_ t: Token) -> Bool {
        switch t.kind {
        case .op(let o): return Lexer.continuingOps.contains(o) && o != .comma && o != .colon && o != .dot
        case .keyword(let k): return Lexer.continuingKeywords.contains(k)
        default: return false
        }
    }

    /// Whether one space goes between `a` and `b` on one line.
    func space(between a: Token?, and b: Token) -> Bool {
        guard let a else { return false }
        if case .op(let o) = b.kind {
            switch o {
            case .leftParen, .leftBracket, .closedRange, .halfOpenRange: return b.spaceBefore
            case .rightParen, .rightBracket, .comma, .semicolon, .colon, .dot, .percent: return false
            case .rightBrace: return b.spaceBefore
            default: break
            }
        }
        if case .op(let o) = a.kind {
            switch o {
            case .leftParen, .leftBracket, .dot: return false
            case .leftBrace: return b.spaceBefore
            case .closedRange, .halfOpenRange: return b.spaceBefore
            case .minus where isUnary(minusAt: a): return false
            default: return true
            }
        }
        return true
    }

    /// Whether the `-` token `t` is a sign rather than a subtraction: it
    /// follows nothing, an operator, an opening bracket, a separator or a keyword.
    func isUnary(minusAt t: Token) -> Bool {
        guard let i = index[t.range.start], i > 0 else { return true }
        switch tokens[i - 1].kind {
        case .op(let o): return !o.closes && o != .percent
        case .keyword(let k): return ![.true, .false, .none].contains(k)
        case .newline: return true
        default: return false
        }
    }

    /// Aligns the `=` of consecutive field lines in a model (a run ends at a
    /// blank line, a comment line, another depth, or after a line whose value
    /// goes on to the next lines).
    func alignFieldEquals(_ lines: inout [Line]) {
        var run: [Int] = []
        func flush() {
            defer { run = [] }
            guard run.count > 1 else { return }
            let width = run.map { keyWidth(lines[$0]) }.max() ?? 0
            for n in run {
                guard let eq = lines[n].fieldEquals else { continue }
                let pad = width - keyWidth(lines[n])
                lines[n].pieces[eq].text = String(repeating: " ", count: pad) + lines[n].pieces[eq].text
            }
        }
        var open = false  // the last line of the run continues (a multi-line value)
        for n in lines.indices {
            let line = lines[n]
            if line.pieces.isEmpty { if line.blank || line.comment != nil { flush() }; continue }
            if open { if line.indent <= (run.last.map { lines[$0].indent } ?? 0) { open = false } else { continue } }
            // A key far longer than the others gets no alignment of its own
            // (as gofmt does): padding every short key out to it reads badly.
            let longest = run.map { keyWidth(lines[$0]) }.max() ?? 0
            let outlier = !run.isEmpty && keyWidth(line) > longest + 8
            if line.fieldEquals != nil, !outlier, run.last.map({ lines[$0].indent == line.indent }) ?? true {
                run.append(n)
                if line.continues || opensMore(line) { open = true }
            } else {
                flush()
                if line.fieldEquals != nil, !outlier { run = [n]; if line.continues || opensMore(line) { open = true } }
            }
        }
        flush()
    }

    /// Whether a line leaves more brackets open than it closes.
    func opensMore(_ line: Line) -> Bool {
        var d = 0
        for p in line.pieces {
            if ["(", "[", "{"].contains(p.text) { d += 1 }
            if [")", "]", "}"].contains(p.text) { d -= 1 }
        }
        return d > 0
    }

    /// The width of a field line's text before its `=`.
    func keyWidth(_ line: Line) -> Int {
        guard let eq = line.fieldEquals else { return 0 }
        var partial = line
        partial.pieces = Array(line.pieces[..<eq])
        return partial.code.count
    }

    /// The column each trailing comment is aligned to, by line: consecutive
    /// lines of code that end in a comment line their comments up.
    func alignComments(_ lines: [Line]) -> [Int: Int] {
        var out: [Int: Int] = [:]
        var run: [Int] = []
        func flush() {
            let column = run.map { lines[$0].indent + lines[$0].code.count + 2 }.max() ?? 0
            for n in run { out[n] = column }
            run = []
        }
        for n in lines.indices {
            if !lines[n].pieces.isEmpty && lines[n].comment != nil { run.append(n) } else { flush() }
        }
        flush()
        return out
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
