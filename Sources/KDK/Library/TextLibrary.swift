import Foundation

/// Text functions. Texts are Unicode; lengths count characters.
enum TextLibrary {
    static let functions: [Builtin] = [
        Builtin("lower", Parameter("s").accepting(.text), doc: "lower case") { a in .text(TextBytes.caseMapped(try a.text(), upper: false)) },
        Builtin("upper", Parameter("s").accepting(.text), doc: "upper case") { a in .text(TextBytes.caseMapped(try a.text(), upper: true)) },
        Builtin("trim", Parameter("s").accepting(.text), doc: "without leading and trailing white space") { a in
            .text(TextBytes.trimmed(try a.text()))
        },
        Builtin("split", [Parameter("s").accepting(.text), Parameter("separator")], doc: "pieces between separators") { a, _ in
            let s = try a.text("s"), sep = try a.text("separator")
            guard !sep.isEmpty else { return .list(s.map { .text(String($0)) }) }
            if let pieces = TextBytes.split(s, sep) { return .list(ValueList(texts: pieces)) }
            return .list(s.components(separatedBy: sep).map { .text($0) })
        },
        Builtin("join", [Parameter("xs").accepting(.sequence), Parameter("separator", default: .text(""))], doc: "one text from the items, with a separator") { a, m in
            let sep = try a.text("separator")
            if case .list(let l) = a["xs"], let texts = l.textsOf {
                let s = TextBytes.join(texts, separator: sep)
                try m.checkSize(s.utf8.count)
                return .text(s)
            }
            let s = TextBytes.join(try a.list("xs"), separator: sep)
            try m.checkSize(s.utf8.count)
            return .text(s)
        },
        Builtin("replace", [Parameter("s").accepting(.text), Parameter("old"), Parameter("new")], doc: "every occurrence of old replaced by new") { a, m in
            let old = try a.text("old")
            guard !old.isEmpty else { throw EvalError("replace: the text to replace is empty") }
            let text = try a.text("s"), new = try a.text("new")
            if let s = try TextBytes.replace(text, old, new, checkSize: m.checkSize) { return .text(s) }
            let s = text.replacingOccurrences(of: old, with: new)
            try m.checkSize(s.utf8.count)
            return .text(s)
        },
        Builtin("starts_with", [Parameter("s").accepting(.text), Parameter("prefix")], doc: "whether s starts with prefix") { a, _ in
            let s = try a.text("s"), prefix = try a.text("prefix")
            return .bool(TextBytes.hasPrefix(s, prefix) ?? s.hasPrefix(prefix))
        },
        Builtin("ends_with", [Parameter("s").accepting(.text), Parameter("suffix")], doc: "whether s ends with suffix") { a, _ in
            let s = try a.text("s"), suffix = try a.text("suffix")
            return .bool(TextBytes.hasSuffix(s, suffix) ?? s.hasSuffix(suffix))
        },
        Builtin("hashtags", Parameter("s").accepting(.text), doc: "the #tags in a text, in order",
                textBytes: { .list(TextBytes.hashtags(bytes: $0).map { .text($0) }) }) { a in
            .list(TextBytes.hashtags(try a.text()).map { .text($0) })
        },
        Builtin("text", [Parameter("x")], doc: "the value as text (texts unchanged)") { a, _ in .text(a["x"].plain) },
        Builtin("number", [Parameter("s").accepting(.text)], doc: "parse a text as an exact number; none if it is not one, an error if it is out of range") { a, _ in
            if case .number = a["s"] { return a["s"] }
            let s = try a.text("s").trimmingCharacters(in: .whitespaces)
            switch ExactDecimal.parse(Substring(s)) {
            case .value(let d): return .number(d)
            case .notANumber: return .none
            case .outOfRange: throw EvalError("number(\(Value.quote(s))): \(ExactDecimal.outOfRangeMessage)")
            }
        },
    ]
}

/// What `hashtags` counts as a tag, declared once: the text functions and
/// `kdk sql` (which writes it as each engine's regular expression) read it.
public enum HashtagRule {
    /// Whether a scalar continues a tag: a letter (Unicode's Alphabetic), a
    /// decimal digit, `_` or a nonspacing mark. ASCII first: Unicode
    /// property look-ups cost ~7% of a 1M-post award (scripts/bench/scale),
    /// and in ASCII they mean letters, digits and _.
    @inline(__always)
    public static func isTagCharacter(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII {
            let v = c.value | 0x20
            return (v >= 0x61 && v <= 0x7A) || (c.value >= 0x30 && c.value <= 0x39) || c == "_"
        }
        // CJK ideographs (U+3400-U+4DBF, U+4E00-U+9FFF) are letters (a test checks each).
        if (0x4E00...0x9FFF).contains(c.value) || (0x3400...0x4DBF).contains(c.value) { return true }
        return c.properties.isAlphabetic || c.properties.numericType == .decimal || c == "_" || c.properties.generalCategory == .nonspacingMark
    }

    /// Whether a `#` right after `c` starts a tag: after anything that is not
    /// a tag character, and after a wide one (CJK: `中#话题` is a tag), but
    /// not after a narrow letter or digit (`50#x`, `a#b`).
    public static func startsTag(after c: Unicode.Scalar) -> Bool {
        !isTagCharacter(c) || DisplayWidth.of(c) == 2
    }
}
