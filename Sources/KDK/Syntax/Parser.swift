import Foundation

/// Recursive-descent parser, one function per precedence level (lowest first):
/// lambda, `|>`, `??`, `or`, `and`, `not`, comparisons, ranges, `+ -`, `* /`,
/// unary `-`, `^`, postfix. It recovers at statement boundaries, so one run
/// reports several errors, and it bounds nesting so hostile input ends in a
/// diagnostic instead of a stack overflow.
struct Parser {
    struct Failure: Error {}

    let file: SourceFile
    var tokens: [Token]
    var p = 0
    var diagnostics: [Diagnostic] = []
    /// When parsing must stop (seconds since 1970), polled every 1,024 statements.
    var deadline: Double?
    var statementsParsed = 0
    /// Names of definitions that failed to parse (see `Script.unparsed`).
    var unparsed: [String] = []
    var depth = 0
    /// For completion: the offset where a field name is being typed; a `.`
    /// ending there with no name after it is read as a field with an empty
    /// name (`posts[0].`), so the checker can say what fields the receiver has.
    var completingField: Int?

    /// Most brackets (and prefix operators) that may nest.
    static let maxNesting = 500
    /// Tallest expression tree, counting left-leaning chains like `a + b + c`.
    static let maxHeight = 2_000

    init(file: SourceFile, tokens: [Token]) {
        self.file = file
        self.tokens = tokens
    }

    /// Parses a whole file.
    public static func parse(_ file: SourceFile, deadline: Double? = nil, completingField: Int? = nil) -> (Script, [Diagnostic]) {
        var lexer = Lexer(file: file)
        lexer.deadline = deadline
        lexer.run()
        if lexer.timedOut { return (Script(file: file, statements: [], unparsed: []), lexer.diagnostics) }
        let (tokens, lexErrors) = (lexer.tokens, lexer.diagnostics)
        var ps = Parser(file: file, tokens: tokens)
        ps.deadline = deadline
        ps.completingField = completingField
        ps.diagnostics = lexErrors
        let stmts = ps.parseStatements()
        var diags = ps.diagnostics
        for i in diags.indices where diags[i].code == nil { diags[i].code = DiagnosticCode.syntax.rawValue }
        return (Script(file: file, statements: stmts, unparsed: ps.unparsed), diags)
    }

    // MARK: token helpers

    var tok: Token { tokens[p] }
    var kind: Token.Kind { tokens[p].kind }
    func peekKind(_ k: Int) -> Token.Kind { tokens[min(p + k, tokens.count - 1)].kind }

    mutating func advance() -> Token {
        let t = tokens[p]
        if p < tokens.count - 1 { p += 1 }
        return t
    }

    func isOp(_ o: Symbol) -> Bool { if case .op(let x) = kind { return x == o }; return false }
    func isKeyword(_ k: Keyword) -> Bool { if case .keyword(let x) = kind { return x == k }; return false }
    var isNewline: Bool { if case .newline = kind { return true }; return false }

    mutating func skipNewlines() { while isNewline { p += 1 } }

    func describe(_ k: Token.Kind) -> String {
        switch k {
        case .number: return "a number"
        case .temporal: return "a date or time"
        case .string: return "a string"
        case .ident(let n): return "'\(n)'"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .op(let o): return "'\(o.rawValue)'"
        case .newline: return "the end of the line"
        case .eof: return "the end of the input"
        }
    }

    mutating func fail(_ msg: String, at r: SourceRange? = nil, help: String? = nil) -> Failure {
        diagnostics.append(Diagnostic(.error, msg, at: r ?? tok.range, in: file, help: help.map { [$0] } ?? []))
        return Failure()
    }

    mutating func expectOp(_ o: Symbol, _ context: String, help: String? = nil) throws -> Token {
        guard isOp(o) else { throw fail("expected '\(o.rawValue)' \(context), found \(describe(kind))", help: help) }
        return advance()
    }

    mutating func expectIdent(_ what: String) throws -> (String, SourceRange) {
        if case .ident(let n) = kind { let t = advance(); return (n, t.range) }
        if case .keyword(let k) = kind {
            throw fail("'\(k.rawValue)' is a keyword and cannot be used as \(what)")
        }
        throw fail("expected \(what), found \(describe(kind))")
    }

    mutating func nest<T>(_ body: (inout Parser) throws -> T) throws -> T {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxNesting || !StackGuard.hasRoom() {
            throw fail("expression nested too deeply (more than \(Parser.maxNesting) levels)",
                       help: "split it into named parts with let")
        }
        return try body(&self)
    }

    mutating func make(_ k: Expr.Kind, _ r: SourceRange, _ children: Expr...) throws -> Expr {
        try make(k, r, children)
    }

    // MARK: statements

    mutating func parseStatements(until close: Symbol? = nil) -> [Stmt] {
        var out: [Stmt] = []
        while true {
            while isNewline || isOp(.semicolon) { p += 1 }
            if case .eof = kind { break }
            if let close, isOp(close) { break }
            let before = p
            statementsParsed += 1
            if let deadline, statementsParsed & 1023 == 0, Date().timeIntervalSince1970 > deadline {
                diagnostics.append(Diagnostic(.error, "time limit exceeded while parsing", at: tok.range, in: file,
                                              help: ["raise the time limit"], code: .limit))
                break
            }
            do {
                let st = try parseStatement()
                if !(isNewline || isOp(.semicolon)) {
                    if case .eof = kind { out.append(st); break }
                    if let close, isOp(close) { out.append(st); break }
                    // `x = 5`, as in Python or a spreadsheet: a definition needs `let`.
                    if isOp(.assign), case .expr(let e) = st, case .name(let n) = e.kind {
                        throw fail("'=' does not define '\(n)' here", help: "write let \(n) = ... to define it (== compares)")
                    }
                    throw fail("expected a new line or ';' after the statement, found \(describe(kind))")
                }
                out.append(st)
            } catch {
                if let name = definedName(at: before) { unparsed.append(name) }
                // Recover: skip to the next statement boundary at this level.
                var level = 0
                while true {
                    if case .eof = kind { break }
                    if level == 0 && (isNewline || isOp(.semicolon)) { break }
                    if isOp(.leftBrace) || isOp(.leftParen) || isOp(.leftBracket) { level += 1 }
                    if isOp(.rightBrace) || isOp(.rightParen) || isOp(.rightBracket) { if level == 0 { if close == nil { p += 1; continue }; break }; level -= 1 }
                    p += 1
                }
                if p == before { p += 1 }
            }
        }
        return out
    }

    /// The name a statement starting at token `k` defines, if it reads as a
    /// definition: `let x`, `fn f`, `campaign C {`, `shape S {`, or `x =`.
    func definedName(at k: Int) -> String? {
        guard k + 1 < tokens.count else { return nil }
        switch (tokens[k].kind, tokens[k + 1].kind) {
        case (.keyword(.let), .ident(let n)), (.keyword(.fn), .ident(let n)), (.ident, .ident(let n)): return n
        case (.ident(let n), .op(.assign)): return n
        default: return nil
        }
    }

    mutating func parseStatement() throws -> Stmt {
        let start = tok.range
        switch kind {
        case .keyword(.let):
            _ = advance()
            let (name, nr) = try expectIdent("a name after 'let'")
            _ = try expectOp(.assign, "after 'let \(name)'", help: "write let \(name) = value")
            let v = try parseExpr()
            return .letDecl(LetBinding(name: name, nameRange: nr, value: v), start.to(v.range))
        case .keyword(.fn):
            _ = advance()
            let (name, nr) = try expectIdent("a function name after 'fn'")
            _ = try expectOp(.leftParen, "after 'fn \(name)'", help: "write fn \(name)(x) = ...")
            let params = try parseParams(close: .rightParen)
            let body: Expr
            if isOp(.assign) { _ = advance(); body = try parseExpr() }
            else if isOp(.leftBrace) { body = try parseBraced() }
            else { throw fail("expected '=' or '{' after the parameters of '\(name)'", help: "write fn \(name)(x) = x * 2") }
            return .fnDecl(FunctionDecl(name: name, nameRange: nr, params: params, body: body, range: start.to(body.range)))
        case .keyword(.unit):
            _ = advance()
            let (name, nr) = try expectIdent("a unit name after 'unit'")
            var decimals: Int? = nil
            var end = nr
            if case .ident("decimals") = kind {
                _ = advance()
                guard case .number(let d) = kind, let n = d.intValue, (0...18).contains(n) else {
                    throw fail("expected a whole number of decimal places (0 to 18) after 'decimals'")
                }
                end = advance().range
                decimals = n
            }
            // `display 2`: the places tables and `kdk run` show (payouts keep `decimals`).
            var display: Int? = nil
            if case .ident("display") = kind {
                _ = advance()
                guard case .number(let d) = kind, let n = d.intValue, (0...18).contains(n) else {
                    throw fail("expected a whole number of decimal places (0 to 18) after 'display'",
                               help: "unit USDT decimals 6 display 2")
                }
                end = advance().range
                display = n
            }
            return .unitDecl(name: name, decimals: decimals, display: display, range: start.to(end))
        case .keyword(.import):
            _ = advance()
            guard case .string(let parts) = kind, parts.count <= 1 else {
                throw fail("expected a file name in quotes after 'import'", help: "import \"common/rules.kdk\"")
            }
            var path = ""
            if case .literal(let s)? = parts.first { path = s }
            var end = advance().range
            var alias: String? = nil
            if isKeyword(.as) {
                _ = advance()
                let (a, ar) = try expectIdent("a name after 'as'")
                alias = a; end = ar
            }
            return .importDecl(path: path, alias: alias, range: start.to(end))
        case .ident(let kindName):
            if case .ident = peekKind(1), let kw = Suggest.closest(to: kindName, in: ["let", "fn", "unit", "import"]) {
                throw fail("'\(kindName)' is not a keyword", help: "did you mean '\(kw)'?")
            }
            if case .ident(let name) = peekKind(1) {
                if kindName == "shape", case .op(.leftBrace) = peekKind(2) { return try parseShape(name) }
                if case .op(.leftBrace) = peekKind(2) { return .model(try parseModel(kindName, name)) }
                if case .keyword(.extends) = peekKind(2) { return .model(try parseModel(kindName, name)) }
            }
            return .expr(try parseExpr())
        default:
            return .expr(try parseExpr())
        }
    }

    mutating func parseModel(_ kindName: String, _ name: String) throws -> ModelDecl {
        let kr = advance().range
        let nr = advance().range
        var base: String? = nil
        var baseRange: SourceRange? = nil
        if isKeyword(.extends) {
            _ = advance()
            let (b, br) = try expectIdent("the name of the model to extend")
            base = b; baseRange = br
        }
        _ = try expectOp(.leftBrace, "to open the body of \(kindName) \(name)")
        var fields: [ModelField] = []
        while true {
            while isNewline || isOp(.semicolon) || isOp(.comma) { p += 1 }
            if isOp(.rightBrace) { break }
            if case .eof = kind { throw fail("expected '}' to close \(kindName) \(name)", at: kr.to(nr)) }
            let (fname, fr) = try expectIdent("a field name")
            var params: [Param]? = nil
            if isOp(.leftParen) { _ = advance(); params = try parseParams(close: .rightParen) }
            _ = try expectOp(.assign, "after the field '\(fname)'", help: "write \(fname) = value")
            let body = try parseExpr()
            fields.append(ModelField(name: fname, nameRange: fr, params: params, body: body))
            if !(isNewline || isOp(.semicolon) || isOp(.comma) || isOp(.rightBrace)) {
                throw fail("expected a new line after the field '\(fname)', found \(describe(kind))")
            }
        }
        let end = advance().range
        return ModelDecl(kind: kindName, kindRange: kr, name: name, nameRange: nr, base: base, baseRange: baseRange,
                         fields: fields, range: kr.to(end))
    }

    /// `shape Post { id: number, author: text, amount: USDT }`: a top-level
    /// record of column types, named; types are `number`, `text`, `bool`,
    /// `time`, `date` or a unit.
    mutating func parseShape(_ name: String) throws -> Stmt {
        let start = advance().range
        let nr = advance().range
        _ = try expectOp(.leftBrace, "to open shape \(name)")
        var fields: [RecordField] = []
        while true {
            while isNewline || isOp(.semicolon) || isOp(.comma) { p += 1 }
            if isOp(.rightBrace) { break }
            if case .eof = kind { throw fail("expected '}' to close shape \(name)", at: start.to(nr)) }
            let (fname, fr) = try expectIdent("a field name")
            if fields.contains(where: { $0.name == fname }) { throw fail("shape \(name) has two fields named '\(fname)'", at: fr) }
            _ = try expectOp(.colon, "after the field '\(fname)'", help: "write \(fname): number (or text, bool, time, date, or a unit such as USDT)")
            let (tname, tr) = try expectIdent("a type (number, text, bool, time, date, or a unit)")
            let value = ["number", "text", "bool", "time", "date"].contains(tname) ? Expr(.text([.literal(tname)]), tr) : Expr(.name(tname), tr)
            fields.append(RecordField(name: fname, nameRange: fr, value: value))
            if !(isNewline || isOp(.semicolon) || isOp(.comma) || isOp(.rightBrace)) {
                throw fail("expected a new line or ',' after the field '\(fname)', found \(describe(kind))")
            }
        }
        let end = advance().range
        let record = Expr(.record(fields), start.to(end))
        return .letDecl(LetBinding(name: name, nameRange: nr, value: record, isShape: true), start.to(end))
    }

    /// Parameters up to `close` (already past the opening bracket).
    mutating func parseParams(close: Symbol) throws -> [Param] {
        var params: [Param] = []
        while !isOp(close) {
            let (n, r) = try expectIdent("a parameter name")
            if params.contains(where: { $0.name == n }) { throw fail("duplicate parameter '\(n)'", at: r) }
            if params.count == 64 { throw fail("too many parameters (at most 64)", at: r, help: "pass a record instead") }
            var shape: (String, SourceRange)? = nil
            if isOp(.colon) {
                _ = advance()
                shape = try expectIdent("the name of a shape after ':'")
            }
            var def: Expr? = nil
            if isOp(.assign) { _ = advance(); def = try parseExpr() }
            else if params.last?.defaultValue != nil {
                throw fail("parameter '\(n)' needs a default, since the one before it has one", at: r)
            }
            params.append(Param(name: n, range: r, defaultValue: def, shape: shape))
            if isOp(.comma) { _ = advance() } else if !isOp(close) {
                throw fail("expected ',' or '\(close.rawValue)' in the parameter list, found \(describe(kind))")
            }
        }
        _ = advance()
        return params
    }

    // MARK: expressions

    mutating func parseExpr() throws -> Expr {
        try nest { ps in try ps.parseLambdaOrPipe() }
    }

    /// Whether a lambda starts here: `x =>`, `(a, b) =>`, `() =>`.
    func lambdaAhead() -> Bool {
        if case .ident = kind, case .op(.arrow) = peekKind(1) { return true }
        guard isOp(.leftParen) else { return false }
        // Parameters are names separated by commas, so look no further than
        // that (a full bracket scan at every '(' would be quadratic); only a
        // default value (`(a, b = 1) =>`) needs the scan to the closing bracket.
        var k = p + 1
        while k < tokens.count {
            switch tokens[k].kind {
            case .ident, .op(.comma), .op(.colon): k += 1  // names, and `p: Post` shapes
            case .op(.rightParen):
                if case .op(.arrow) = tokens[min(k + 1, tokens.count - 1)].kind { return true }
                return false
            case .op(.assign): return closingBracketIsFollowedByArrow(from: k)
            default: return false
            }
        }
        return false
    }

    func closingBracketIsFollowedByArrow(from start: Int) -> Bool {
        var k = start
        var level = 0
        while k < tokens.count {
            switch tokens[k].kind {
            case .op(.leftParen), .op(.leftBracket), .op(.leftBrace): level += 1
            case .op(.rightParen), .op(.rightBracket), .op(.rightBrace):
                if level == 0 {
                    if case .op(.arrow) = tokens[min(k + 1, tokens.count - 1)].kind { return true }
                    return false
                }
                level -= 1
            case .eof: return false
            default: break
            }
            k += 1
        }
        return false
    }

    mutating func parseLambdaOrPipe() throws -> Expr {
        if lambdaAhead() {
            let start = tok.range
            var params: [Param]
            if case .ident(let n) = kind {
                let r = advance().range
                params = [Param(name: n, range: r, defaultValue: nil)]
            } else {
                _ = advance()
                params = try parseParams(close: .rightParen)
            }
            _ = try expectOp(.arrow, "after the lambda's parameters")
            let body = try parseExpr()
            return try make(.lambda(params, body), start.to(body.range), body)
        }
        return try parsePipe()
    }

    mutating func parsePipe() throws -> Expr {
        var lhs = try parseCoalesce()
        while isOp(.pipe) {
            _ = advance()
            let rhs: Expr = lambdaAhead() ? try parseLambdaOrPipe() : try parseCoalesce()
            let r = lhs.range.to(rhs.range)
            switch rhs.kind {
            case .call(let f, let args):
                lhs = try make(.call(f, [Arg(label: nil, labelRange: nil, value: lhs)] + args), r, lhs, rhs)
            case .methodCall(let o, let n, let nr, let args):
                lhs = try make(.methodCall(o, n, nr, [Arg(label: nil, labelRange: nil, value: lhs)] + args), r, lhs, rhs)
            default:
                lhs = try make(.call(rhs, [Arg(label: nil, labelRange: nil, value: lhs)]), r, lhs, rhs)
            }
        }
        return lhs
    }

    mutating func parseCoalesce() throws -> Expr {
        var lhs = try parseOr()
        while isOp(.coalesce) {
            _ = advance()
            let rhs = try parseOr()
            lhs = try make(.coalesce(lhs, rhs), lhs.range.to(rhs.range), lhs, rhs)
        }
        return lhs
    }

    mutating func parseOr() throws -> Expr {
        var lhs = try parseAnd()
        while isKeyword(.or) {
            _ = advance()
            let rhs = try parseAnd()
            lhs = try make(.or(lhs, rhs), lhs.range.to(rhs.range), lhs, rhs)
        }
        return lhs
    }

    mutating func parseAnd() throws -> Expr {
        var lhs = try parseNot()
        while isKeyword(.and) {
            _ = advance()
            let rhs = try parseNot()
            lhs = try make(.and(lhs, rhs), lhs.range.to(rhs.range), lhs, rhs)
        }
        return lhs
    }

    mutating func parseNot() throws -> Expr {
        if isKeyword(.not) {
            let r = advance().range
            let e = try nest { ps in try ps.parseNot() }
            return try make(.not(e), r.to(e.range), e)
        }
        return try parseComparison()
    }

    var comparisonOp: BinOp? {
        if case .op(let o) = kind, let op = BinOp(o), op.isComparison { return op }
        if isKeyword(.in) { return .in }
        if isKeyword(.not), case .keyword(.in) = peekKind(1) { return .notIn }
        return nil
    }

    mutating func parseComparison() throws -> Expr {
        let lhs = try parseRange()
        guard let op = comparisonOp else { return lhs }
        _ = advance()
        if op == .notIn { _ = advance() }
        let rhs = try parseRange()
        if let again = comparisonOp {
            throw fail("comparisons do not chain: '\(op.symbol)' followed by '\(again.symbol)'",
                       help: "combine them with 'and', e.g. a < b and b < c")
        }
        return try make(.binary(op, lhs, rhs), lhs.range.to(rhs.range), lhs, rhs)
    }

    mutating func parseRange() throws -> Expr {
        let lhs = try parseAdditive()
        if isOp(.closedRange) || isOp(.halfOpenRange) {
            let closed = isOp(.closedRange)
            let opRange = advance().range
            // `xs[a...]`: a slice open at the end.
            if isOp(.rightBracket) {
                let open = Expr(.literal(.none), opRange)
                return try make(.range(lhs, open, closed: closed), lhs.range.to(opRange), lhs, open)
            }
            let rhs = try parseAdditive()
            return try make(.range(lhs, rhs, closed: closed), lhs.range.to(rhs.range), lhs, rhs)
        }
        return lhs
    }

    mutating func parseAdditive() throws -> Expr {
        var lhs = try parseMultiplicative()
        while isOp(.plus) || isOp(.minus) {
            guard case .op(let s) = advance().kind, let o = BinOp(s) else { break }
            let rhs = try parseMultiplicative()
            lhs = try make(.binary(o, lhs, rhs), lhs.range.to(rhs.range), lhs, rhs)
        }
        return lhs
    }

    mutating func parseMultiplicative() throws -> Expr {
        var lhs = try parseUnary()
        while isOp(.star) || isOp(.slash) {
            guard case .op(let s) = advance().kind, let o = BinOp(s) else { break }
            let rhs = try parseUnary()
            lhs = try make(.binary(o, lhs, rhs), lhs.range.to(rhs.range), lhs, rhs)
        }
        return lhs
    }

    mutating func parseUnary() throws -> Expr {
        if isOp(.minus) {
            let r = advance().range
            let e = try nest { ps in try ps.parseUnary() }
            return try make(.negate(e), r.to(e.range), e)
        }
        if isOp(.plus) {
            let r = advance().range
            throw fail("unary '+' is not supported", at: r, help: "remove the '+'")
        }
        return try parsePower()
    }

    mutating func parsePower() throws -> Expr {
        let base = try parsePostfix()
        if isOp(.caret) {
            _ = advance()
            // Right-associative, and binds tighter than unary minus on its left only.
            let exp = try nest { ps in try ps.parseUnary() }
            return try make(.binary(.pow, base, exp), base.range.to(exp.range), base, exp)
        }
        return base
    }

    mutating func parseArgs() throws -> ([Arg], SourceRange) {
        var args: [Arg] = []
        while !isOp(.rightParen) {
            var label: String? = nil
            var lr: SourceRange? = nil
            if case .ident(let n) = kind, case .op(.colon) = peekKind(1) {
                label = n; lr = advance().range; _ = advance()
                if args.contains(where: { $0.label == n }) { throw fail("argument '\(n)' given twice", at: lr) }
            } else if args.last?.label != nil {
                throw fail("a positional argument cannot follow a named one", help: "name this argument too, or move it before the named ones")
            }
            let v = try parseExpr()
            args.append(Arg(label: label, labelRange: lr, value: v))
            if isOp(.comma) { _ = advance() } else if !isOp(.rightParen) {
                throw fail("expected ',' or ')' in the argument list, found \(describe(kind))")
            }
        }
        let end = advance().range
        return (args, end)
    }

    mutating func parsePostfix() throws -> Expr {
        var e = try parsePrimary()
        while true {
            if isOp(.leftParen) && !tok.spaceBefore {
                _ = advance()
                let (args, end) = try parseArgs()
                e = try make(.call(e, args), e.range.to(end), [e] + args.map { $0.value })
            } else if isOp(.leftBracket) && !tok.spaceBefore {
                _ = advance()
                let i = try parseExpr()
                let end = try expectOp(.rightBracket, "to close the index").range
                e = try make(.index(e, i), e.range.to(end), e, i)
            } else if isOp(.dot) {
                _ = advance()
                // Field names may be keywords (`row.in`), since data files can have any.
                let (name, nr): (String, SourceRange)
                if case .keyword(let k) = kind { name = k.rawValue; nr = advance().range }
                else if let at = completingField, p > 0, at == tokens[p - 1].range.end, !{ if case .ident = kind { return true }; return false }() {
                    (name, nr) = ("", SourceRange(at, at))
                } else { (name, nr) = try expectIdent("a field name after '.'") }
                if isOp(.leftParen) && !tok.spaceBefore {
                    _ = advance()
                    let (args, end) = try parseArgs()
                    e = try make(.methodCall(e, name, nr, args), e.range.to(end), [e] + args.map { $0.value })
                } else {
                    e = try make(.field(e, name, nr), e.range.to(nr), e)
                }
            } else if isKeyword(.with) {
                _ = advance()
                guard isOp(.leftBrace) else { throw fail("expected '{' after 'with'", help: "write base with { name: value }") }
                let (fields, end) = try nest { ps in try ps.parseRecordBody() }
                e = try make(.with(e, fields), e.range.to(end), [e] + fields.map { $0.value })
            } else {
                return e
            }
        }
    }

    mutating func make(_ k: Expr.Kind, _ r: SourceRange, _ children: [Expr]) throws -> Expr {
        let e = Expr(k, r)
        e.height = (children.map { $0.height }.max() ?? 0) + 1
        if e.height > Parser.maxHeight {
            throw fail("expression too long or nested too deeply (height over \(Parser.maxHeight))", at: r,
                       help: "split it into named parts with let")
        }
        return e
    }

    /// `{ name: value, ... }` or `{ name = value ... }`; at the `{`.
    mutating func parseRecordBody() throws -> ([RecordField], SourceRange) {
        let open = advance().range
        var fields: [RecordField] = []
        while true {
            while isNewline || isOp(.comma) || isOp(.semicolon) { p += 1 }
            if isOp(.rightBrace) { break }
            var name: String
            var nr: SourceRange
            if case .string(let parts) = kind, parts.count <= 1 {
                if case .literal(let s)? = parts.first { name = s } else { name = "" }
                nr = advance().range
            } else if case .keyword(let k) = kind, case .op(.colon) = peekKind(1) {
                name = k.rawValue
                nr = advance().range
            } else {
                (name, nr) = try expectIdent("a field name")
            }
            guard isOp(.colon) || isOp(.assign) else {
                throw fail("expected ':' after the field name '\(name)'", help: "write { \(name): value }")
            }
            _ = advance()
            if fields.contains(where: { $0.name == name }) { throw fail("field '\(name)' given twice", at: nr) }
            let v = try parseExpr()
            fields.append(RecordField(name: name, nameRange: nr, value: v))
            if !(isNewline || isOp(.comma) || isOp(.semicolon) || isOp(.rightBrace)) {
                throw fail("expected ',' or '}' after the field '\(name)', found \(describe(kind))")
            }
        }
        let close = advance().range
        return (fields, open.to(close))
    }

    /// Whether the `{` here opens a record rather than a block.
    func recordAhead() -> Bool {
        var k = p + 1
        while case .newline = tokens[k].kind { k += 1 }
        switch tokens[k].kind {
        case .op(.rightBrace): return true
        case .ident, .string:
            if case .op(let o) = tokens[min(k + 1, tokens.count - 1)].kind { return o == .colon || o == .assign }
            return false
        case .keyword:
            if case .op(.colon) = tokens[min(k + 1, tokens.count - 1)].kind { return true }
            return false
        default: return false
        }
    }

    /// A block `{ let a = 1; a + 1 }` or a record `{a: 1}`.
    mutating func parseBraced() throws -> Expr {
        if recordAhead() {
            let (fields, r) = try nest { ps in try ps.parseRecordBody() }
            return try make(.record(fields), r, fields.map { $0.value })
        }
        return try nest { ps in
            let open = ps.advance().range
            var lets: [LetBinding] = []
            while true {
                while ps.isNewline || ps.isOp(.semicolon) { ps.p += 1 }
                guard ps.isKeyword(.let) else { break }
                _ = ps.advance()
                let (name, nr) = try ps.expectIdent("a name after 'let'")
                _ = try ps.expectOp(.assign, "after 'let \(name)'")
                let v = try ps.parseExpr()
                lets.append(LetBinding(name: name, nameRange: nr, value: v))
            }
            if ps.isOp(.rightBrace) {
                throw ps.fail("a block must end with an expression", help: "add the value the block gives, after its lets")
            }
            let result = try ps.parseExpr()
            while ps.isNewline || ps.isOp(.semicolon) { ps.p += 1 }
            let close = try ps.expectOp(.rightBrace, "to close the block").range
            return try ps.make(.block(lets, result), open.to(close), lets.map { $0.value } + [result])
        }
    }

    mutating func parsePrimary() throws -> Expr {
        let t = tok
        switch t.kind {
        case .number(let d):
            _ = advance()
            if case .ident(let u) = kind, !lambdaAhead() {
                let ur = advance().range
                return try make(.unitLiteral(d, u, ur), t.range.to(ur), [])
            }
            return try make(.literal(.number(d)), t.range, [])
        case .temporal(let v):
            _ = advance()
            return try make(.literal(v), t.range, [])
        case .string(let parts):
            _ = advance()
            var out: [TextPart] = []
            var kids: [Expr] = []
            for part in parts {
                switch part {
                case .literal(let s): out.append(.literal(s))
                case .interpolation(let r):
                    let (toks, errs) = Lexer.tokenize(file, range: r)
                    diagnostics += errs
                    var sub = Parser(file: file, tokens: toks)
                    sub.depth = depth
                    guard let e = try? sub.parseExpr() else {
                        diagnostics += sub.diagnostics
                        throw Failure()
                    }
                    diagnostics += sub.diagnostics
                    if case .eof = sub.kind {} else {
                        throw fail("unexpected \(sub.describe(sub.kind)) in the interpolation", at: sub.tok.range)
                    }
                    out.append(.expr(e)); kids.append(e)
                }
            }
            return try make(.text(out), t.range, kids)
        case .ident(let n):
            _ = advance()
            return try make(.name(n), t.range, [])
        case .keyword(.true): _ = advance(); return try make(.literal(.bool(true)), t.range, [])
        case .keyword(.false): _ = advance(); return try make(.literal(.bool(false)), t.range, [])
        case .keyword(.none): _ = advance(); return try make(.literal(.none), t.range, [])
        case .keyword(.if):
            _ = advance()
            let c = try parseExpr()
            skipNewlinesBefore(.then)
            guard isKeyword(.then) else { throw fail("expected 'then' after the condition, found \(describe(kind))", help: "write if cond then a else b") }
            _ = advance()
            let a = try parseExpr()
            skipNewlinesBefore(.else)
            guard isKeyword(.else) else {
                throw fail("expected 'else': an 'if' must give a value either way, found \(describe(kind))",
                           help: "add 'else none' if nothing is the right answer")
            }
            _ = advance()
            let b = try parseExpr()
            return try make(.ifElse(c, a, b), t.range.to(b.range), c, a, b)
        case .op(.leftParen):
            _ = advance()
            let e = try parseExpr()
            _ = try expectOp(.rightParen, "to close '('")
            return e
        case .op(.leftBracket):
            _ = advance()
            var items: [Expr] = []
            while !isOp(.rightBracket) {
                items.append(try parseExpr())
                if isOp(.comma) { _ = advance() } else if !isOp(.rightBracket) {
                    throw fail("expected ',' or ']' in the list, found \(describe(kind))")
                }
            }
            let end = advance().range
            return try make(.list(items), t.range.to(end), items)
        case .op(.leftBrace):
            return try parseBraced()
        case .keyword(let k):
            throw fail("unexpected keyword '\(k.rawValue)'")
        case .op(let o):
            throw fail("unexpected '\(o.rawValue)'", help: o.closes ? "it closes nothing that is open" : nil)
        case .newline, .eof:
            throw fail("expected an expression, found \(describe(t.kind))")
        }
    }

    mutating func skipNewlinesBefore(_ k: Keyword) {
        var q = p
        while case .newline = tokens[q].kind { q += 1 }
        if case .keyword(let x) = tokens[q].kind, x == k { p = q }
    }
}
