/// A byte range in one source file.
public struct SourceRange: Hashable, Sendable {
    /// First byte.
    public var start: Int
    /// Byte after the last.
    public var end: Int
    /// A byte range.
    public init(_ start: Int, _ end: Int) { self.start = start; self.end = end }
    /// The range covering both.
    public func to(_ other: SourceRange) -> SourceRange { SourceRange(min(start, other.start), max(end, other.end)) }
    /// No location.
    public static let none = SourceRange(0, 0)
}

/// The text of one `.kdk` file (or REPL input), with what is needed to turn
/// byte offsets into 1-based lines and columns.
public final class SourceFile: Sendable {
    /// Shown in diagnostics (a path, `<eval>`).
    public let name: String
    /// The source.
    public let text: String
    let bytes: [UInt8]
    let lineStarts: [Int]

    /// A source to compile.
    public init(name: String, text: String) {
        self.name = name
        self.text = text
        bytes = Array(text.utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 10 { starts.append(i + 1) }
        lineStarts = starts
    }

    /// 1-based line and column (in Unicode scalars) of a byte offset.
    public func location(_ offset: Int) -> (line: Int, column: Int) {
        let off = max(0, min(offset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= off { lo = mid } else { hi = mid - 1 }
        }
        let start = lineStarts[lo]
        var col = 1
        var i = start
        while i < off { if bytes[i] & 0xC0 != 0x80 { col += 1 }; i += 1 }
        if off < bytes.count, bytes[off] & 0xC0 == 0x80 { col -= 1 }
        return (lo + 1, col)
    }

    /// The text of a 1-based line, without its newline.
    public func line(_ n: Int) -> String {
        guard n >= 1, n <= lineStarts.count else { return "" }
        let s = lineStarts[n - 1]
        var e = n < lineStarts.count ? lineStarts[n] - 1 : bytes.count
        if e > s, bytes[e - 1] == 13 { e -= 1 }
        return String(decoding: bytes[s..<max(s, e)], as: UTF8.self)
    }

    func slice(_ r: SourceRange) -> String {
        String(decoding: bytes[max(0, r.start)..<min(bytes.count, max(r.start, r.end))], as: UTF8.self)
    }
}
