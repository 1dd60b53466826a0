/// A lexical token and where it stands in the source.
struct Token {
    enum Kind: Equatable {
        case number(ExactDecimal)
        /// A date or time literal, already parsed.
        case temporal(Value)
        case string([StringPart])
        case ident(String)
        case keyword(Keyword)
        case op(Symbol)
        case newline
        case eof
    }
    var kind: Kind
    var range: SourceRange
    /// True when whitespace or a comment came right before this token.
    var spaceBefore: Bool = false
}

/// Punctuation and operators, as the lexer finds them.
enum Symbol: String, CaseIterable {
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]", leftBrace = "{", rightBrace = "}"
    case comma = ",", semicolon = ";", colon = ":", dot = ".", assign = "=", percent = "%"
    case plus = "+", minus = "-", star = "*", slash = "/", caret = "^"
    case less = "<", greater = ">", equal = "==", notEqual = "!=", lessEqual = "<=", greaterEqual = ">="
    case closedRange = "...", halfOpenRange = "..<", arrow = "=>", pipe = "|>", coalesce = "??"

    var opens: Bool { self == .leftParen || self == .leftBracket || self == .leftBrace }
    var closes: Bool { self == .rightParen || self == .rightBracket || self == .rightBrace }
}

enum StringPart: Equatable {
    case literal(String)
    /// An interpolated `\( ... )`: the byte range of the expression inside.
    case interpolation(SourceRange)
}

enum Keyword: String, CaseIterable {
    case `let`, fn, `if`, then, `else`, and, or, not, `in`, with, extends, `import`, `as`, unit
    case `true`, `false`, none
}

extension Engine {
    /// The language's keywords, as written (for completion in editors and the REPL).
    public static let keywords: [String] = Keyword.allCases.map { $0.rawValue }
}

extension Value: Equatable {
    /// Equality with kdk's rules (see `Value.equal`).
    public static func == (a: Value, b: Value) -> Bool { Value.equal(a, b) }
}
