import Foundation

/// Turns source bytes into tokens.
///
/// Newlines separate statements, except inside `(` and `[`, after a token that
/// cannot end an expression (a binary operator, `,`, `=>`), and before a line
/// that starts with `|>` or `.name` (so pipelines can be written one step a line).
struct Lexer {
    let file: SourceFile
    let b: [UInt8]
    var i: Int
    let end: Int
    var tokens: [Token] = []
    var diagnostics: [Diagnostic] = []
    /// Open brackets; newlines count only when the innermost is `{` or none.
    var brackets: [UInt8] = []
    /// Where each open bracket is, for "never closed".
    var bracketStarts: [Int] = []
    /// When set (seconds since 1970), lexing stops with an error past it.
    var deadline: Double?
    var linesLexed = 0
    /// Whether the deadline passed (the tokens end early).
    var timedOut = false

    init(file: SourceFile, range: SourceRange? = nil) {
        self.file = file
        b = file.bytes
        i = range?.start ?? 0
        end = range?.end ?? file.bytes.count
    }

    /// Keywords after which an expression goes on to the next line.
    static let continuingKeywords: Set<Keyword> = [.and, .or, .not, .in, .then, .else, .with, .extends, .if]

    /// Symbols after which an expression goes on to the next line.
    static let continuingOps: Set<Symbol> = [
        .plus, .minus, .star, .slash, .caret, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual,
        .closedRange, .halfOpenRange, .pipe, .coalesce, .arrow, .assign, .comma, .colon, .dot,
    ]

    static func tokenize(_ file: SourceFile, range: SourceRange? = nil) -> ([Token], [Diagnostic]) {
        var lx = Lexer(file: file, range: range)
        lx.run()
        return (lx.tokens, lx.diagnostics)
    }

    /// Whether the deadline has passed; checked every 4,096 lines.
    mutating func pastDeadline() -> Bool {
        linesLexed &+= 1
        guard let deadline, linesLexed & 4095 == 0, Date().timeIntervalSince1970 > deadline else { return false }
        timedOut = true
        diagnostics.append(Diagnostic(.error, "time limit exceeded while reading the source", at: SourceRange(i, i), in: file,
                                      help: ["raise the time limit"], code: .limit))
        return true
    }

    func peek(_ k: Int = 0) -> UInt8 { i + k < end ? b[i + k] : 0 }

    mutating func error(_ msg: String, _ s: Int, _ e: Int, help: String? = nil) {
        diagnostics.append(Diagnostic(.error, msg, at: SourceRange(s, e), in: file, help: help.map { [$0] } ?? []))
    }

    mutating func add(_ k: Token.Kind, _ s: Int, space: Bool) {
        tokens.append(Token(kind: k, range: SourceRange(s, i), spaceBefore: space))
    }

    var newlineSignificant: Bool { brackets.last.map { $0 == UInt8(ascii: "{") } ?? true }

    /// Whether the last token lets the expression go on to the next line.
    var lastContinues: Bool {
        guard let last = tokens.last else { return true }
        switch last.kind {
        case .newline: return true
        case .op(let o): return Lexer.continuingOps.contains(o) || o.opens
        case .keyword(let k): return Lexer.continuingKeywords.contains(k)
        default: return false
        }
    }

    /// Whether the next line begins with `|>` or `.name`.
    func nextLineContinues(from j: Int) -> Bool {
        var k = j
        while k < end {
            let c = b[k]
            if c == 32 || c == 9 || c == 10 || c == 13 { k += 1; continue }
            if c == UInt8(ascii: "#") { while k < end && b[k] != 10 { k += 1 }; continue }
            if c == UInt8(ascii: "|") && k + 1 < end && b[k + 1] == UInt8(ascii: ">") { return true }
            if c == UInt8(ascii: "."), k + 1 < end, b[k + 1] != UInt8(ascii: ".") { return true }
            return false
        }
        return false
    }

    /// A `(` or `[` left open before a line that starts (at column 1) with
    /// `let`, `fn`, `unit`, `import` or `shape`: that line cannot continue
    /// the bracket, so the bracket is reported and closed there, and the
    /// lines after it are still read as statements (one error, not one
    /// that swallows the rest of the file). The missing closer is supplied.
    mutating func closeBracketsBeforeDeclaration() {
        guard let last = brackets.last, last != UInt8(ascii: "{") else { return }
        var k = i
        while k < end, b[k] >= 97, b[k] <= 122 { k += 1 }
        guard k < end, b[k] == 32, ["let", "fn", "unit", "import", "shape"].contains(String(decoding: b[i..<k], as: UTF8.self)) else { return }
        while let top = brackets.last, top != UInt8(ascii: "{") {
            let at = bracketStarts.removeLast()
            brackets.removeLast()
            let close = top == UInt8(ascii: "(") ? ")" : "]"
            error("'\(Character(Unicode.Scalar(top)))' is never closed", at, at + 1,
                  help: "close it with '\(close)' before the next definition")
            // The closer it lacks, so the statement parses and the rest is checked.
            add(.op(top == UInt8(ascii: "(") ? .rightParen : .rightBracket), i - 1, space: false)
        }
    }

    mutating func run() {
        var space = true
        loop: while i < end {
            let c = b[i]
            let s = i
            switch c {
            case 32, 9, 13:
                i += 1; space = true; continue
            case 10:
                i += 1; space = true
                if pastDeadline() { break loop }
                closeBracketsBeforeDeclaration()
                if newlineSignificant && !lastContinues && !nextLineContinues(from: i) {
                    add(.newline, s, space: true)
                }
                continue
            case UInt8(ascii: "#"):
                while i < end && b[i] != 10 { i += 1 }
                space = true; continue
            case 48...57:
                lexNumberOrDate(space: space)
            case UInt8(ascii: "\""):
                lexString(space: space)
            default:
                if isIdentStart(at: i) {
                    lexIdent(space: space)
                } else {
                    lexOperator(space: space)
                }
            }
            space = false
        }
        tokens.append(Token(kind: .eof, range: SourceRange(end, end), spaceBefore: true))
    }

    // MARK: identifiers

    func scalar(at j: Int) -> (Unicode.Scalar, Int)? {
        var it = b[j..<end].makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        switch parser.parseScalar(from: &it) {
        case .valid(let enc): return (Unicode.UTF8.decode(enc), enc.count)
        default: return nil
        }
    }

    func isIdentStart(at j: Int) -> Bool {
        let c = b[j]
        if c < 0x80 { return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
        guard let (s, _) = scalar(at: j) else { return false }
        return s.properties.isAlphabetic
    }

    func identLength(at j: Int) -> Int {
        let c = b[j]
        if c < 0x80 { return ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || (c >= 48 && c <= 57)) ? 1 : 0 }
        guard let (s, n) = scalar(at: j) else { return 0 }
        return s.properties.isAlphabetic || s.properties.numericType != nil || s.properties.generalCategory == .nonspacingMark ? n : 0
    }

    mutating func lexIdent(space: Bool) {
        let s = i
        while i < end { let n = identLength(at: i); if n == 0 { break }; i += n }
        let name = String(decoding: b[s..<i], as: UTF8.self)
        if let k = Lexer.keywords[name] { add(.keyword(k), s, space: space) } else { add(.ident(name), s, space: space) }
    }

    // MARK: numbers, dates and times

    func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    mutating func lexNumberOrDate(space: Bool) {
        let s = i
        // A date starts with four digits and a dash: 2025-12-19[T12:00+08:00].
        if i + 9 < end + 1, (0..<4).allSatisfy({ isDigit(peek($0)) }), peek(4) == UInt8(ascii: "-"),
           isDigit(peek(5)), isDigit(peek(6)), peek(7) == UInt8(ascii: "-") {
            i += 8
            while i < end {
                let c = b[i]
                if isDigit(c) || c == UInt8(ascii: ":") || c == UInt8(ascii: "T") || c == UInt8(ascii: "Z")
                    || c == UInt8(ascii: "z") || c == UInt8(ascii: ".") && i + 1 < end && isDigit(b[i + 1]) {
                    i += 1
                } else if (c == UInt8(ascii: "+") || c == UInt8(ascii: "-")) && i + 1 < end && isDigit(b[i + 1])
                            && b[s..<i].contains(UInt8(ascii: "T")) {
                    i += 1
                } else { break }
            }
            let text = file.text.utf8[file.text.utf8.index(file.text.utf8.startIndex, offsetBy: s)..<file.text.utf8.index(file.text.utf8.startIndex, offsetBy: i)]
            do {
                let v = try Calendar.parse(Substring(text))
                add(.temporal(v), s, space: space)
            } catch Calendar.ParseError.message(let m, let h) {
                error(m, s, i, help: h)
                add(.temporal(.none), s, space: space)
            } catch {}
            return
        }
        while i < end && (isDigit(b[i]) || b[i] == UInt8(ascii: "_")) { i += 1 }
        if peek() == UInt8(ascii: "."), isDigit(peek(1)) {
            i += 1
            while i < end && (isDigit(b[i]) || b[i] == UInt8(ascii: "_")) { i += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            if isDigit(peek(1)) { i += 1 }
            else if (peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-")) && isDigit(peek(2)) { i += 2 }
            while i < end && isDigit(b[i]) { i += 1 }
        }
        let text = String(decoding: b[s..<i], as: UTF8.self)
        guard var value = ExactDecimal(parsing: Substring(text)) else {
            error("\(text): \(ExactDecimal.outOfRangeMessage)", s, i)
            add(.number(.zero), s, space: space)
            return
        }
        // Scale suffixes K M B T bind to the digits: 5T, 650B, 2.5M, 10K.
        let scales: [UInt8: Int32] = [75: 3, 77: 6, 66: 9, 84: 12]
        if let e = scales[peek()], i + 1 >= end || identLength(at: i + 1) == 0 {
            value.exponent += e
            i += 1
        }
        if peek() == UInt8(ascii: "%") {
            value.exponent -= 2
            value.isPercent = true
            i += 1
        }
        if !value.isInRange {
            error("\(String(decoding: b[s..<i], as: UTF8.self)): \(ExactDecimal.outOfRangeMessage)", s, i)
            value = .zero
        }
        if i < end {
            // Letters glued to a number (`5x`) are an error; `5 x` is a unit.
            if isIdentStart(at: i) {
                let st = i
                while i < end, identLength(at: i) > 0 { i += identLength(at: i) }
                let word = String(decoding: b[st..<i], as: UTF8.self)
                error("unexpected '\(word)' right after a number", s, i,
                      help: "put a space between a number and its unit (2_000 KDK); scale suffixes are K, M, B and T")
            }
        }
        add(.number(value), s, space: space)
    }

    // MARK: strings

    mutating func lexString(space: Bool) {
        let s = i
        i += 1
        var parts: [StringPart] = []
        var buf: [UInt8] = []
        func flush() { if !buf.isEmpty { parts.append(.literal(String(decoding: buf, as: UTF8.self))); buf = [] } }
        while true {
            guard i < end, b[i] != 10 else {
                error("unterminated string", s, i, help: "close it with \" on the same line (use \\n for a line break)")
                break
            }
            let c = b[i]
            if c == UInt8(ascii: "\"") { i += 1; break }
            if c == UInt8(ascii: "\\") {
                let e = peek(1)
                switch e {
                case UInt8(ascii: "n"): buf.append(10); i += 2
                case UInt8(ascii: "t"): buf.append(9); i += 2
                case UInt8(ascii: "r"): buf.append(13); i += 2
                case UInt8(ascii: "\""): buf.append(34); i += 2
                case UInt8(ascii: "\\"): buf.append(92); i += 2
                case UInt8(ascii: "u"):
                    let st = i
                    i += 2
                    guard peek() == UInt8(ascii: "{") else { error("expected '{' after \\u", st, i, help: "write \\u{1F680}"); continue }
                    i += 1
                    let hs = i
                    while i < end && b[i] != UInt8(ascii: "}") && b[i] != 10 && b[i] != UInt8(ascii: "\"") { i += 1 }
                    let hex = String(decoding: b[hs..<i], as: UTF8.self)
                    if peek() == UInt8(ascii: "}") { i += 1 }
                    if hex.count <= 8, let v = UInt32(hex, radix: 16), let sc = Unicode.Scalar(v) {
                        buf.append(contentsOf: Array(String(Character(sc)).utf8))
                    } else {
                        error("'\\u{\(hex)}' is not a Unicode scalar", st, i)
                    }
                case UInt8(ascii: "("):
                    flush()
                    i += 2
                    let es = i
                    var depth = 1
                    while i < end && b[i] != 10 {
                        if b[i] == UInt8(ascii: "(") { depth += 1 }
                        if b[i] == UInt8(ascii: ")") { depth -= 1; if depth == 0 { break } }
                        if b[i] == UInt8(ascii: "\"") {  // skip a nested string
                            i += 1
                            while i < end && b[i] != UInt8(ascii: "\"") && b[i] != 10 { if b[i] == 92 { i += 1 }; i += 1 }
                        }
                        i += 1
                    }
                    if peek() != UInt8(ascii: ")") {
                        error("unterminated interpolation", es - 2, i, help: "close it with ')'")
                        continue
                    }
                    parts.append(.interpolation(SourceRange(es, i)))
                    i += 1
                default:
                    error("unknown escape '\\\(String(UnicodeScalar(e)))'", i, i + 2,
                          help: "escapes are \\n \\t \\r \\\" \\\\ \\u{...} and \\( expr )")
                    i += 2
                }
                continue
            }
            buf.append(c)
            i += 1
        }
        flush()
        add(.string(parts), s, space: space)
    }

    // MARK: operators

    /// Longest first, so `..<` is not read as `.` `.` `<`.
    /// Keywords by spelling (a hash look-up, not `rawValue:`'s comparison with each).
    static let keywords: [String: Keyword] = Dictionary(uniqueKeysWithValues: Keyword.allCases.map { ($0.rawValue, $0) })
    /// Operators of two or more bytes, longest first, as byte arrays.
    static let multiByteOps: [(bytes: [UInt8], symbol: Symbol)] = Symbol.allCases.filter { $0.rawValue.utf8.count > 1 }
        .sorted { $0.rawValue.utf8.count > $1.rawValue.utf8.count }.map { (Array($0.rawValue.utf8), $0) }
    /// The bytes a multi-byte operator can start with.
    static let multiByteStarts = Set(multiByteOps.map { $0.bytes[0] })
    static let singleByteOps: [UInt8: Symbol] = Dictionary(uniqueKeysWithValues: Symbol.allCases
        .filter { $0.rawValue.utf8.count == 1 }.map { ($0.rawValue.utf8.first!, $0) })

    mutating func lexOperator(space: Bool) {
        let s = i
        if Lexer.multiByteStarts.contains(b[i]) {
            for (bytes, o) in Lexer.multiByteOps where bytes.indices.allSatisfy({ peek($0) == bytes[$0] }) {
                i += bytes.count
                add(.op(o), s, space: space)
                return
            }
        }
        let c = b[i]
        if c == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "*") {
            i += 2
            error("'**' is not an operator", s, i, help: "kdk writes powers with ^, e.g. 1.1 ^ 5")
            add(.op(.caret), s, space: space)
            return
        }
        if let o = Lexer.singleByteOps[c] {
            i += 1
            if o.opens { brackets.append(c); bracketStarts.append(s) } else if o.closes, !brackets.isEmpty { brackets.removeLast(); bracketStarts.removeLast() }
            add(.op(o), s, space: space)
            return
        }
        // Anything else: one whole scalar (or one bad byte), reported once.
        if let (sc, n) = scalar(at: i) {
            i += n
            var help: String? = nil
            if sc == "，" || sc == "；" || sc == "（" || sc == "）" || sc == "：" {
                help = "this is a full-width character; kdk uses ASCII punctuation outside strings"
            } else if sc == "&" || sc == "|" || sc == "!" {
                help = "kdk spells logic as 'and', 'or' and 'not'"
            } else if sc == "'" || sc == "‘" || sc == "’" {
                help = "texts are written in double quotes: \"like this\""
            }
            error("unexpected character '\(sc)'", s, i, help: help)
        } else {
            i += 1
            error("invalid UTF-8 byte 0x\(String(c, radix: 16, uppercase: true))", s, i)
        }
    }
}
