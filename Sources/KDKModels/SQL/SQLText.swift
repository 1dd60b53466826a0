import Foundation
import KDK

/// kdk's text functions as regular expressions every engine runs alike:
/// character classes listed scalar range by scalar range from kdk's own
/// definitions (`HashtagRule`, Foundation's white space), never `\w` or
/// `\p{...}`, whose meaning differs between RE2, Java and PostgreSQL
/// (RE2's `\w` is ASCII only: `#\w+` drops `#发帖赢Launchpad新币KDK`).
enum SQLText {
    /// The scalars (as ranges) for which `test` holds.
    static func ranges(_ test: (Unicode.Scalar) -> Bool) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        var start: UInt32? = nil
        var v: UInt32 = 0
        while v <= 0x110000 {
            let inside = v < 0x110000 && Unicode.Scalar(v).map(test) == true
            if inside, start == nil { start = v }
            if !inside, let s = start { out.append(s...(v - 1)); start = nil }
            v += 1
        }
        return out
    }

    /// Scalars that continue a tag.
    static let tagCharacters = ranges(HashtagRule.isTagCharacter)
    /// Tag characters after which a `#` starts no tag (narrow letters and digits).
    static let joiningCharacters = ranges { HashtagRule.isTagCharacter($0) && !HashtagRule.startsTag(after: $0) }
    /// What `trim` removes.
    static let whiteSpace = ranges { CharacterSet.whitespacesAndNewlines.contains($0) }

    /// `hashtags(s)`: the tags, as an array of text, in order. First every
    /// `#` that follows a narrow letter or digit is blanked (`50#x`, and
    /// `#a#b`'s second), so a plain match of `#` and tag characters finds
    /// exactly kdk's tags; no engine needs look-behind (RE2 has none).
    static func hashtags(_ s: String, _ d: SQLDialect) -> String {
        let (tag, joining) = classes(d)
        let blanked = d.replaceAll(s, "(" + joining + ")#", "\\1 ")
        return d.matches(blanked, "#" + tag + "+")
    }

    /// Scalars that display wide (CJK): a `#` after them starts a tag.
    static let wide = ranges { DisplayWidth.of($0) == 2 }

    /// The tag class and the joining class in the dialect's regex. Java
    /// (Spark) tests a class of hundreds of ranges one range at a time,
    /// which made the award 50 times slower; its property classes say the
    /// same thing (Alphabetic, decimal digits, nonspacing marks) in one
    /// look-up, with class intersection for the wide exception. RE2 and
    /// PostgreSQL compile any class to one table look-up.
    static func classes(_ d: SQLDialect) -> (tag: String, joining: String) {
        guard d == .spark else { return (d.characterClass(tagCharacters), d.characterClass(joiningCharacters)) }
        let tag = "[\\p{IsAlphabetic}\\p{Nd}\\p{Mn}_]"
        let notWide = "[^" + d.characterClass(wide).dropFirst()
        return (tag, "[" + tag + "&&" + notWide + "]")
    }

    /// `trim(s)`: without leading and trailing white space (Unicode's, as
    /// Foundation defines it: an engine's `trim` removes spaces only).
    static func trim(_ s: String, _ d: SQLDialect) -> String {
        let space = d.characterClass(whiteSpace)
        return d.replaceAll(s, "^" + space + "+|" + space + "+$", "")
    }
}
