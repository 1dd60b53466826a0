import Foundation

/// JSON in and out. Numbers are read straight into exact decimals (never
/// through a Double); objects become records with their keys in order.
struct JSONReader {
    struct Failure: Error { var message: String; var line: Int; var column: Int }

    let b: [UInt8]
    var i = 0
    var depth = 0
    static let maxDepth = 512

    init(_ bytes: [UInt8]) { b = bytes }

    func position(_ at: Int) -> (Int, Int) {
        var line = 1, col = 1
        for k in 0..<min(at, b.count) { if b[k] == 10 { line += 1; col = 1 } else if b[k] & 0xC0 != 0x80 { col += 1 } }
        return (line, col)
    }

    func fail(_ m: String, at: Int? = nil) -> Failure {
        let (l, c) = position(at ?? i)
        return Failure(message: m, line: l, column: c)
    }

    mutating func skipSpace() {
        while i < b.count, b[i] == 32 || b[i] == 9 || b[i] == 10 || b[i] == 13 { i += 1 }
    }

    /// One whole document.
    mutating func document() throws -> Value {
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        skipSpace()
        let v = try value()
        skipSpace()
        if i < b.count { throw fail("unexpected text after the JSON value") }
        return v
    }

    mutating func value() throws -> Value {
        skipSpace()
        guard i < b.count else { throw fail("unexpected end of input") }
        switch b[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .text(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .none
        case UInt8(ascii: "-"), 48...57: return .number(try number())
        default: throw fail("unexpected character '\(String(decoding: [b[i]], as: UTF8.self))'")
        }
    }

    mutating func literal(_ word: String) throws {
        let u = Array(word.utf8)
        guard i + u.count <= b.count, Array(b[i..<(i + u.count)]) == u else { throw fail("expected '\(word)'") }
        i += u.count
    }

    mutating func nest() throws {
        depth += 1
        if depth > JSONReader.maxDepth { throw fail("nested more than \(JSONReader.maxDepth) levels deep") }
    }

    mutating func object() throws -> Value {
        try nest(); defer { depth -= 1 }
        i += 1
        var names: [String] = [], values: [Value] = []
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .record(Record.make(shape: .of([]), values: [])) }
        while true {
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a key in quotes") }
            let start = i
            let k = try string()
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':' after the key") }
            i += 1
            let v = try value()
            if names.contains(k) {
                throw fail("duplicate key \"\(k)\"", at: start)
            }
            names.append(k); values.append(v)
            skipSpace()
            guard i < b.count else { throw fail("unterminated object") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") { i += 1; break }
            throw fail("expected ',' or '}' in the object")
        }
        return .record(Record.make(shape: .of(names), values: values))
    }

    mutating func array() throws -> Value {
        try nest(); defer { depth -= 1 }
        i += 1
        var items: [Value] = []
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .list([]) }
        while true {
            items.append(try value())
            skipSpace()
            guard i < b.count else { throw fail("unterminated array") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "]") { i += 1; break }
            throw fail("expected ',' or ']' in the array")
        }
        return .list(items)
    }

    mutating func number() throws -> ExactDecimal {
        let start = i
        if b[i] == UInt8(ascii: "-") { i += 1 }
        func digits() -> Int { let s = i; while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }; return i - s }
        let intDigits = digits()
        guard intDigits > 0 else { throw fail("a number needs digits", at: start) }
        if intDigits > 1 && b[i - intDigits] == 48 { throw fail("a number may not start with 0", at: start) }
        if i < b.count, b[i] == UInt8(ascii: ".") { i += 1; guard digits() > 0 else { throw fail("digits expected after '.'") } }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw fail("digits expected in the exponent") }
        }
        guard let d = ExactDecimal(parsing: Substring(String(decoding: b[start..<i], as: UTF8.self))) else {
            throw fail(ExactDecimal.outOfRangeMessage, at: start)
        }
        return d
    }

    mutating func string() throws -> String {
        let start = i
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < b.count else { throw fail("unterminated string", at: start) }
            let c = b[i]
            if c == UInt8(ascii: "\"") { i += 1; break }
            if c < 0x20 { throw fail("a control character must be escaped in a string") }
            if c == UInt8(ascii: "\\") {
                guard i + 1 < b.count else { throw fail("unterminated escape") }
                let e = b[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "\""): out.append(34)
                case UInt8(ascii: "\\"): out.append(92)
                case UInt8(ascii: "/"): out.append(47)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else { throw fail("unpaired surrogate") }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw fail("unpaired surrogate")
                    }
                    guard let sc = Unicode.Scalar(code) else { throw fail("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(sc)).utf8))
                default: throw fail("unknown escape '\\\(String(decoding: [e], as: UTF8.self))'", at: i - 2)
                }
                continue
            }
            out.append(c)
            i += 1
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8 in a string", at: start) }
        return s
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= b.count, let v = UInt32(String(decoding: b[i..<(i + 4)], as: UTF8.self), radix: 16) else {
            throw fail("\\u needs four hex digits")
        }
        i += 4
        return v
    }
}

/// Writes values as JSON: numbers with every digit, quantities as
/// `{"amount": 2000, "unit": "KDK"}`, times and dates as ISO 8601 text.
public enum JSONWriter {
    /// The value as JSON text, within the default size limit. A value nested
    /// deeper than kdk's JSON reader accepts is an error, never written as
    /// something else.
    public static func encode(_ v: Value) throws -> String {
        var out = ""
        try write(v, into: &out, depth: 0, maxSize: Limits().maxSize) { _ in }
        return out
    }

    /// The value as JSON text, counting each element as a step of `m`'s run
    /// and stopping at its size limit as the text grows (a list doubled 60
    /// times is 2^60 elements: it ends at a limit, not in a hang).
    public static func encode(_ v: Value, _ m: Machine) throws -> String {
        var out = ""
        try write(v, into: &out, depth: 0, maxSize: m.limits.maxSize) { n in try m.charge(n) }
        return out
    }

    static func write(_ v: Value, into out: inout String, depth: Int, maxSize: Int, tick: (Int) throws -> Void) throws {
        if depth > JSONReader.maxDepth {
            throw EvalError("too deeply nested for JSON (more than \(JSONReader.maxDepth) levels, which the JSON reader refuses too)",
                            help: "flatten the value, e.g. a list of records")
        }
        if out.utf8.count > maxSize {
            throw EvalError.limit("size limit exceeded: JSON text of more than \(maxSize) characters", help: "raise Limits.maxSize")
        }
        func each(_ items: [Value]) throws {
            try tick(items.count)
            for (i, x) in items.enumerated() {
                if i > 0 { out += ", " }
                try write(x, into: &out, depth: depth + 1, maxSize: maxSize, tick: tick)
            }
        }
        switch v {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let d): out += number(d)
        case .quantity(let d, let u): out += "{\"amount\": \(number(d)), \"unit\": \(string(UnitRegistry.shared.name(u)))}"
        case .text(let s): out += string(s)
        case .time, .date: out += string(v.literal())
        case .list(let items):
            out += "["
            try each(items.array)
            out += "]"
        case .record(let r):
            out += "{"
            try tick(r.count)
            for (i, (k, x)) in r.fields.enumerated() {
                out += (i > 0 ? ", " : "") + string(k) + ": "
                try write(x, into: &out, depth: depth + 1, maxSize: maxSize, tick: tick)
            }
            out += "}"
        case .range(let r):
            out += "{\"lower\": "
            try write(r.lower, into: &out, depth: depth + 1, maxSize: maxSize, tick: tick)
            out += ", \"upper\": "
            try write(r.upper, into: &out, depth: depth + 1, maxSize: maxSize, tick: tick)
            out += ", \"closed\": \(r.closed)}"
        case .function, .model, .distribution: out += string(v.literal())
        }
    }

    static func number(_ d: ExactDecimal) -> String {
        d.description.replacingOccurrences(of: "e+", with: "e")
    }

    /// A JSON string literal: `\u0007` for other control characters.
    public static func string(_ s: String) -> String {
        Value.escaped(s) { c in
            guard c.value < 0x20 else { return nil }
            let hex = String(c.value, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }
}
