/// The syntax tree. Every node carries its source range.
final class Expr {
    indirect enum Kind {
        case literal(Value)
        /// `2_000 KDK`: a number literal times a unit name.
        case unitLiteral(ExactDecimal, String, SourceRange)
        case name(String)
        case text([TextPart])
        case list([Expr])
        case record([RecordField])
        /// Unary minus.
        case negate(Expr)
        case binary(BinOp, Expr, Expr)
        case and(Expr, Expr)
        case or(Expr, Expr)
        case not(Expr)
        case coalesce(Expr, Expr)
        case range(Expr, Expr, closed: Bool)
        case ifElse(Expr, Expr, Expr)
        case lambda([Param], Expr)
        case block([LetBinding], Expr)
        case call(Expr, [Arg])
        /// `a.name(args)`: a field holding a function, or `name(a, args)`.
        case methodCall(Expr, String, SourceRange, [Arg])
        case field(Expr, String, SourceRange)
        case index(Expr, Expr)
        /// `base with { name: value, ... }`
        case with(Expr, [RecordField])
    }
    let kind: Kind
    let range: SourceRange
    /// Height of the tree below (1 for a leaf); bounded by the parser.
    var height = 1
    init(_ kind: Kind, _ range: SourceRange) { self.kind = kind; self.range = range }
}

extension Expr {
    /// The direct sub-expressions, in source order.
    var children: [Expr] {
        switch kind {
        case .literal, .unitLiteral, .name: return []
        case .text(let parts): return parts.compactMap { if case .expr(let e) = $0 { return e }; return nil }
        case .list(let xs): return xs
        case .record(let fs): return fs.map { $0.value }
        case .negate(let a), .not(let a): return [a]
        case .binary(_, let a, let b), .and(let a, let b), .or(let a, let b), .coalesce(let a, let b), .range(let a, let b, _), .index(let a, let b):
            return [a, b]
        case .ifElse(let c, let a, let b): return [c, a, b]
        case .lambda(let ps, let body): return ps.compactMap { $0.defaultValue } + [body]
        case .block(let lets, let r): return lets.map { $0.value } + [r]
        case .call(let f, let args): return [f] + args.map { $0.value }
        case .methodCall(let r, _, _, let args): return [r] + args.map { $0.value }
        case .field(let r, _, _): return [r]
        case .with(let b, let fs): return [b] + fs.map { $0.value }
        }
    }
}

enum TextPart {
    case literal(String)
    case expr(Expr)
}

struct RecordField {
    var name: String
    var nameRange: SourceRange
    var value: Expr
}

struct Param {
    var name: String
    var range: SourceRange
    var defaultValue: Expr?
    /// `p: Post`: the shape the argument is declared to have (checked
    /// against the reads of its fields in the body).
    var shape: (name: String, range: SourceRange)? = nil
}

struct Arg {
    var label: String?
    var labelRange: SourceRange?
    var value: Expr
}

struct LetBinding {
    var name: String
    var nameRange: SourceRange
    var value: Expr
    /// Declared with `shape Name { field: type, ... }`: the value is the
    /// record of column types (what `read_csv(..., types:)` takes), and the
    /// checker knows records of this shape.
    var isShape = false
}

/// A field of a model block: `name = expr` or a method `name(params) = expr`.
struct ModelField {
    var name: String
    var nameRange: SourceRange
    var params: [Param]?
    var body: Expr
}

struct ModelDecl {
    var kind: String
    var kindRange: SourceRange
    var name: String
    var nameRange: SourceRange
    var base: String?
    var baseRange: SourceRange?
    var fields: [ModelField]
    var range: SourceRange
}

struct FunctionDecl {
    var name: String
    var nameRange: SourceRange
    var params: [Param]
    var body: Expr
    var range: SourceRange
}

enum Stmt {
    case letDecl(LetBinding, SourceRange)
    case fnDecl(FunctionDecl)
    case unitDecl(name: String, decimals: Int?, display: Int?, range: SourceRange)
    case importDecl(path: String, alias: String?, range: SourceRange)
    case model(ModelDecl)
    case expr(Expr)

    var range: SourceRange {
        switch self {
        case .letDecl(_, let r), .unitDecl(_, _, _, let r), .importDecl(_, _, let r): return r
        case .fnDecl(let f): return f.range
        case .model(let m): return m.range
        case .expr(let e): return e.range
        }
    }
}

struct Script {
    var file: SourceFile
    var statements: [Stmt]
    /// Names of definitions that did not parse (`let x = <error>`): the
    /// checker treats them as defined, so their uses are not errors too.
    var unparsed: [String] = []
}

/// A binary operator, an enum from the parser on: the checker and compiler
/// switch on it, never on operator text.
enum BinOp: String, CaseIterable {
    case add = "+", sub = "-", mul = "*", div = "/", pow = "^"
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
    case `in` = "in", notIn = "not in"

    /// The operator as written.
    var symbol: String { rawValue }

    /// The operator a symbol stands for between two operands.
    init?(_ s: Symbol) {
        switch s {
        case .plus: self = .add
        case .minus: self = .sub
        case .star: self = .mul
        case .slash: self = .div
        case .caret: self = .pow
        case .equal: self = .eq
        case .notEqual: self = .ne
        case .less: self = .lt
        case .lessEqual: self = .le
        case .greater: self = .gt
        case .greaterEqual: self = .ge
        default: return nil
        }
    }

    /// `== != < <= > >=`.
    var isComparison: Bool {
        switch self {
        case .eq, .ne, .lt, .le, .gt, .ge: return true
        default: return false
        }
    }

    /// Whether a comparison holds for an ordering (-1, 0, 1) of its operands
    /// (false for an operator that is not a comparison): the one place that
    /// maps orderings to results.
    @inline(__always)
    func holds(ordering o: Int) -> Bool {
        switch self {
        case .eq: return o == 0
        case .ne: return o != 0
        case .lt: return o < 0
        case .le: return o <= 0
        case .gt: return o > 0
        case .ge: return o >= 0
        default: return false
        }
    }
}
