import KDK

/// A campaign's functions of an entry (rules, score, keys, `qualifies`) as
/// SQL expressions over the entries' table, from their row expressions
/// (`Function.rowExpression`): what kdk's column planner evaluates, each
/// node written as the dialect computes the same value. A node with no
/// exact SQL form is an error (E0501) naming it.
struct SQLExpression {
    /// The kinds of value a SQL expression has, as far as the query cares.
    enum Kind: Equatable {
        case bool, integer, decimal, text, time, texts, null
        var name: String {
            switch self {
            case .bool: return "a bool"
            case .integer: return "a whole number"
            case .decimal: return "a number"
            case .text: return "text"
            case .time: return "a time"
            case .texts: return "a list of texts"
            case .null: return "none"
            }
        }
        var isNumber: Bool { self == .integer || self == .decimal }
    }

    let sql: String
    let kind: Kind

    /// The kinds of a shape's fields (a `shape` declaration's value:
    /// `{id: "number", amount: 1 USDT, ...}`); dates and other types are
    /// left out, an error where a rule reads them.
    static func kinds(of shape: Record) -> [String: Kind] {
        var fields: [String: Kind] = [:]
        for (field, type) in zip(shape.shape.names, shape.values) {
            switch type {
            case .text("number"): fields[field] = .integer
            case .text("text"): fields[field] = .text
            case .text("bool"): fields[field] = .bool
            case .text("time"): fields[field] = .time
            case .quantity: fields[field] = .decimal
            default: continue
            }
        }
        return fields
    }

    /// Translates row expressions for one dialect, over entries of a shape.
    struct Translator {
        let dialect: SQLDialect
        /// The entries' fields and their kinds.
        let fields: [String: Kind]
        /// The shape's name, for errors.
        let shapeName: String
        /// Folds met so far: each gets its own variable name.
        var folds = 0

        init(dialect: SQLDialect, fields: [String: Kind], shapeName: String) {
            self.dialect = dialect
            self.fields = fields
            self.shapeName = shapeName
        }

        /// `f` as SQL; `what` names it in errors ("rule 'original'").
        mutating func translate(_ f: Function, _ what: String, _ m: Machine) throws -> SQLExpression {
            guard let e = f.rowExpression(m) else {
                throw EvalError("\(what) cannot be compiled to SQL: it is not made only of the entry's fields, constants, operators and the text functions kdk sql knows",
                                help: "write it with p.field, constants, + - *, comparisons, in, and/or/not, ??, lower/upper/trim/len/hashtags and .any(...)/.all(...); see docs/sql.md")
                    .coded(.sqlExpression)
            }
            do {
                return try translate(e, element: nil)
            } catch var error as EvalError {
                error.message = "\(what): \(error.message)"
                throw error
            }
        }

        private func problem(_ message: String, help: String? = nil) -> EvalError {
            EvalError(message, help: help).coded(.sqlExpression)
        }

        mutating func translate(_ e: RowExpression, element: (name: String, kind: Kind)?) throws -> SQLExpression {
            let d = dialect
            switch e {
            case .field(let name):
                guard let kind = fields[name] else {
                    throw EvalError("the entries (shape \(shapeName)) have no field '\(name)'").coded(.sqlShape)
                }
                return SQLExpression(sql: d.identifier(name), kind: kind)
            case .element:
                guard let element else { throw problem("an item of a list is read outside .any(...)") }
                return SQLExpression(sql: element.name, kind: element.kind)
            case .constant(let v):
                return try constant(v)
            case .not(let a):
                let x = try translate(a, element: element)
                try expect(x, .bool, "not")
                return SQLExpression(sql: "(NOT \(x.sql))", kind: .bool)
            case .negate(let a):
                let x = try translate(a, element: element)
                guard x.kind.isNumber else { throw problem("- needs a number, not \(x.kind.name)") }
                return SQLExpression(sql: "(- \(x.sql))", kind: x.kind)
            case .and(let a, let b), .or(let a, let b):
                let x = try translate(a, element: element), y = try translate(b, element: element)
                try expect(x, .bool, "and/or"); try expect(y, .bool, "and/or")
                let op: String = { if case .and = e { return "AND" }; return "OR" }()
                return SQLExpression(sql: "(\(x.sql) \(op) \(y.sql))", kind: .bool)
            case .coalesce(let a, let b):
                let x = try translate(a, element: element), y = try translate(b, element: element)
                let kind = x.kind == .null ? y.kind : x.kind
                guard y.kind == kind || y.kind == .null || (x.kind.isNumber && y.kind.isNumber) else {
                    throw problem("?? joins \(x.kind.name) and \(y.kind.name)")
                }
                return SQLExpression(sql: "COALESCE(\(x.sql), \(y.sql))", kind: x.kind.isNumber && y.kind.isNumber && x.kind != y.kind ? .decimal : kind)
            case .binary(let op, let a, let b):
                return try binary(op, a, b, element: element)
            case .call(let name, let a):
                let x = try translate(a, element: element)
                switch (name, x.kind) {
                case ("lower", .text), ("upper", .text): return SQLExpression(sql: "\(name)(\(x.sql))", kind: .text)
                case ("trim", .text): return SQLExpression(sql: SQLText.trim(x.sql, d), kind: .text)
                case ("hashtags", .text): return SQLExpression(sql: SQLText.hashtags(x.sql, d), kind: .texts)
                case ("len", .texts): return SQLExpression(sql: d.count(x.sql), kind: .integer)
                case ("abs", .integer), ("abs", .decimal): return SQLExpression(sql: "abs(\(x.sql))", kind: x.kind)
                case ("len", .text):
                    // kdk counts characters as people see them (grapheme clusters).
                    guard d == .duckdb else {
                        throw problem("len of a text counts characters as kdk does (grapheme clusters) only in DuckDB's length_grapheme; \(d.rawValue) counts code points",
                                      help: "compare the text itself, or run this campaign on DuckDB")
                    }
                    return SQLExpression(sql: "length_grapheme(\(x.sql))", kind: .integer)
                default:
                    throw problem("\(name)(\(x.kind.name)) has no SQL form in kdk sql",
                                  help: "kdk sql knows lower, upper, trim, hashtags, len and abs; see docs/sql.md")
                }
            case .fold(let name, let list, let test):
                guard name == "any" || name == "all" else { throw problem("\(name)(...) over a list has no SQL form in kdk sql", help: "use .any(...) or .all(...)") }
                let l = try translate(list, element: element)
                guard l.kind == .texts else { throw problem("\(name) reads a list of texts here, not \(l.kind.name)") }
                folds += 1
                let v = "kdk_v\(folds)"
                let t = try translate(test, element: (v, .text))
                try expect(t, .bool, "the test of \(name)")
                return SQLExpression(sql: d.fold(any: name == "any", l.sql, v, t.sql), kind: .bool)
            }
        }

        private func expect(_ x: SQLExpression, _ kind: Kind, _ what: String) throws {
            guard x.kind == kind else { throw problem("\(what) needs \(kind.name), not \(x.kind.name)") }
        }

        func constant(_ v: Value) throws -> SQLExpression {
            switch v {
            case .none: return SQLExpression(sql: "NULL", kind: .null)
            case .bool(let b): return SQLExpression(sql: b ? "TRUE" : "FALSE", kind: .bool)
            case .number(let n), .quantity(let n, _): return number(n)
            case .text(let t): return SQLExpression(sql: dialect.text(t), kind: .text)
            case .time(let t): return SQLExpression(sql: dialect.time(t), kind: .time)
            default: throw problem("the constant \(v.literal()) has no SQL form here", help: "lists and ranges of times or numbers go on the right of in")
            }
        }

        func number(_ n: ExactDecimal) -> SQLExpression {
            let text = n.description
            if n.isInteger, let i = n.intValue, Int64(exactly: i) != nil { return SQLExpression(sql: i < 0 ? "(\(i))" : "\(i)", kind: .integer) }
            let literal = dialect == .bigquery ? "BIGNUMERIC '\(text)'" : text
            return SQLExpression(sql: text.hasPrefix("-") ? "(\(literal))" : literal, kind: .decimal)
        }

        private mutating func binary(_ op: String, _ a: RowExpression, _ b: RowExpression, element: (name: String, kind: Kind)?) throws -> SQLExpression {
            let x = try translate(a, element: element)
            if op == "in" || op == "not in" {
                let test = try membership(x, b, element: element)
                return op == "in" ? test : SQLExpression(sql: "(NOT \(test.sql))", kind: .bool)
            }
            let y = try translate(b, element: element)
            switch op {
            case "+", "-", "*":
                if op == "+", x.kind == .text, y.kind == .text { return SQLExpression(sql: "(\(x.sql) || \(y.sql))", kind: .text) }
                guard x.kind.isNumber, y.kind.isNumber else {
                    throw problem("\(x.kind.name) \(op) \(y.kind.name) has no SQL form in kdk sql", help: "arithmetic in SQL is on numbers; work out times and units before the rule")
                }
                return SQLExpression(sql: "(\(x.sql) \(op) \(y.sql))", kind: x.kind == .integer && y.kind == .integer ? .integer : .decimal)
            case "/", "^":
                throw problem("\(op) has no exact SQL form: kdk divides exactly, engines round (DuckDB divides decimals in binary floating point)",
                              help: "compare products instead: p.likes > 2 * p.shares rather than p.likes / p.shares > 2")
            case "==", "!=":
                if y.kind == .null || x.kind == .null {
                    let other = y.kind == .null ? x : y
                    return SQLExpression(sql: "(\(other.sql) IS \(op == "==" ? "" : "NOT ")NULL)", kind: .bool)
                }
                try comparable(x, y, op, ordered: false)
                return SQLExpression(sql: "(\(x.sql) \(op == "==" ? "=" : "<>") \(y.sql))", kind: .bool)
            case "<", "<=", ">", ">=":
                try comparable(x, y, op, ordered: true)
                return SQLExpression(sql: "(\(x.sql) \(op) \(y.sql))", kind: .bool)
            default:
                throw problem("the operator \(op) has no SQL form in kdk sql")
            }
        }

        private func comparable(_ x: SQLExpression, _ y: SQLExpression, _ op: String, ordered: Bool) throws {
            let same = x.kind == y.kind || (x.kind.isNumber && y.kind.isNumber)
            guard same, x.kind != .texts else { throw problem("\(x.kind.name) \(op) \(y.kind.name) has no SQL form in kdk sql") }
            if ordered && (x.kind == .text || x.kind == .bool) {
                throw problem("ordering texts (\(op)) depends on the engine's collation",
                              help: "compare texts with == or in")
            }
        }

        /// `x in b`: a constant list, a constant range, or a list of texts of the row.
        private mutating func membership(_ x: SQLExpression, _ b: RowExpression, element: (name: String, kind: Kind)?) throws -> SQLExpression {
            switch b {
            case .constant(.list(let items)):
                if items.isEmpty { return SQLExpression(sql: "FALSE", kind: .bool) }
                let ys = try items.map(constant)
                for y in ys { try comparable(x, y, "in", ordered: false) }
                return SQLExpression(sql: "(\(x.sql) IN (\(ys.map { $0.sql }.joined(separator: ", "))))", kind: .bool)
            case .constant(.range(let r)):
                let lo = try constant(r.lower), hi = try constant(r.upper)
                try comparable(x, lo, "in", ordered: true); try comparable(x, hi, "in", ordered: true)
                return SQLExpression(sql: "(\(x.sql) >= \(lo.sql) AND \(x.sql) \(r.closed ? "<=" : "<") \(hi.sql))", kind: .bool)
            default:
                let l = try translate(b, element: element)
                guard l.kind == .texts, x.kind == .text else { throw problem("in \(l.kind.name) has no SQL form in kdk sql") }
                folds += 1
                let v = "kdk_v\(folds)"
                return SQLExpression(sql: dialect.fold(any: true, l.sql, v, "\(v) = \(x.sql)"), kind: .bool)
            }
        }
    }
}
