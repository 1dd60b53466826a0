import Foundation

/// Text functions. Texts are Unicode; lengths count characters.
enum TextLibrary {
    /// `#` then Unicode letters, digits, `_` (so `#发帖赢Launchpad新币KDK` is
    /// one tag). A `#` right after a letter or digit of a space-separated
    /// script (`50#x`, `abc#x`) starts no tag; after a CJK character it does,
    /// since Chinese and Japanese text has no spaces between words.
    static func hashtags(_ s: String) -> [String] {
        var out: [String] = []
        guard s.utf8.contains(UInt8(ascii: "#")) else { return out }
        var s = s
        s.makeContiguousUTF8()
        let scalars = Array(s.unicodeScalars)
        // Where each scalar starts in the UTF-8, so a tag is made from its
        // bytes in one copy (appending scalars one by one cost 4% of a
        // 1M-post award).
        var starts: [Int] = []
        starts.reserveCapacity(scalars.count + 1)
        var offset = 0
        for c in scalars { starts.append(offset); offset += UTF8.width(c) }
        starts.append(offset)
        let isTagChar = HashtagRule.isTagCharacter
        s.utf8.withContiguousStorageIfAvailable { bytes in
            var i = 0
            while i < scalars.count {
                if scalars[i] == "#", i == 0 || HashtagRule.startsTag(after: scalars[i - 1]) {
                    var j = i + 1
                    while j < scalars.count && isTagChar(scalars[j]) { j += 1 }
                    if j > i + 1 { out.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[starts[i]..<starts[j]]), as: UTF8.self)) }
                    i = j
                } else {
                    i += 1
                }
            }
        }
        return out
    }

    static let functions: [Builtin] = [
        Builtin("lower", Parameter("s").accepting(.text), doc: "lower case") { a in .text(try a.text().lowercased()) },
        Builtin("upper", Parameter("s").accepting(.text), doc: "upper case") { a in .text(try a.text().uppercased()) },
        Builtin("trim", Parameter("s").accepting(.text), doc: "without leading and trailing white space") { a in
            .text(try a.text().trimmingCharacters(in: .whitespacesAndNewlines))
        },
        Builtin("split", [Parameter("s").accepting(.text), Parameter("separator")], doc: "pieces between separators") { a, _ in
            let s = try a.text("s"), sep = try a.text("separator")
            guard !sep.isEmpty else { return .list(s.map { .text(String($0)) }) }
            return .list(s.components(separatedBy: sep).map { .text($0) })
        },
        Builtin("join", [Parameter("xs").accepting(.sequence), Parameter("separator", default: .text(""))], doc: "one text from the items, with a separator") { a, m in
            let items = try a.list("xs"), sep = try a.text("separator")
            let s = items.map { $0.plain }.joined(separator: sep)
            try m.checkSize(s.utf8.count)
            return .text(s)
        },
        Builtin("replace", [Parameter("s").accepting(.text), Parameter("old"), Parameter("new")], doc: "every occurrence of old replaced by new") { a, m in
            let old = try a.text("old")
            guard !old.isEmpty else { throw EvalError("replace: the text to replace is empty") }
            let s = try a.text("s").replacingOccurrences(of: old, with: try a.text("new"))
            try m.checkSize(s.utf8.count)
            return .text(s)
        },
        Builtin("starts_with", [Parameter("s").accepting(.text), Parameter("prefix")], doc: "whether s starts with prefix") { a, _ in
            .bool(try a.text("s").hasPrefix(try a.text("prefix")))
        },
        Builtin("ends_with", [Parameter("s").accepting(.text), Parameter("suffix")], doc: "whether s ends with suffix") { a, _ in
            .bool(try a.text("s").hasSuffix(try a.text("suffix")))
        },
        Builtin("hashtags", Parameter("s").accepting(.text), doc: "the #tags in a text, in order") { a in
            .list(hashtags(try a.text()).map { .text($0) })
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
        return c.properties.isAlphabetic || c.properties.numericType == .decimal || c == "_" || c.properties.generalCategory == .nonspacingMark
    }

    /// Whether a `#` right after `c` starts a tag: after anything that is not
    /// a tag character, and after a wide one (CJK: `中#话题` is a tag), but
    /// not after a narrow letter or digit (`50#x`, `a#b`).
    public static func startsTag(after c: Unicode.Scalar) -> Bool {
        !isTagCharacter(c) || DisplayWidth.of(c) == 2
    }
}
