/// A lexical token and where it stands in the source.
struct Token {
    enum Kind: Equatable {
        case number(ExactDecimal)
        /// A date or time literal, already parsed.
        case temporal(Value)
        case string([StringPart])
        case ident(String)
        case keyword(Keyword)
        case op(String)
        case newline
        case eof
    }
    var kind: Kind
    var range: SourceRange
    /// True when whitespace or a comment came right before this token.
    var spaceBefore: Bool = false
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

extension Value: Equatable {
    /// Equality with kdk's rules (see `Value.equal`).
    public static func == (a: Value, b: Value) -> Bool { Value.equal(a, b) }
}
