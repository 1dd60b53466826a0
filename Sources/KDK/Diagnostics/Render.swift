extension Diagnostic {
    /// Renders in the house style:
    ///
    ///     rules.kdk:3:9: error: cannot add USD to KDK
    ///       3 | let x = 2_000 KDK + 5 USD
    ///         |         ^^^^^^^^^^^^^^^^^
    ///       help: convert one side first, e.g. to(q, USD, rate)
    public func render(color: Bool) -> String {
        let bold = color ? "\u{1B}[1m" : "", red = color ? "\u{1B}[31;1m" : "", yellow = color ? "\u{1B}[33;1m" : ""
        let blue = color ? "\u{1B}[34;1m" : "", cyan = color ? "\u{1B}[36;1m" : "", reset = color ? "\u{1B}[0m" : ""
        let sev = severity == .error ? red + "error" + reset : yellow + "warning" + reset
        guard let file, let loc = location else {
            var s = "\(sev): \(bold)\(message)\(reset)"
            for n in notes { s += "\n  note: \(n)" }
            for h in help { s += "\n  \(cyan)help\(reset): \(h)" }
            return s
        }
        var s = "\(bold)\(file.name):\(loc.line):\(loc.column):\(reset) \(sev): \(bold)\(message)\(reset)\n"
        var chars = Array(file.line(loc.line).unicodeScalars)
        var startCol = loc.column - 1
        let endLoc = file.location(max(range.start, range.end))
        var endCol = endLoc.line == loc.line ? endLoc.column - 1 : chars.count
        // Show a window of a very long line around the error.
        let window = 100
        if chars.count > window + 20 {
            let from = max(0, min(startCol - 20, chars.count - window))
            let to = min(chars.count, from + window)
            chars = (from > 0 ? ["…"] : []) + Array(chars[from..<to]) + (to < chars.count ? ["…"] : [])
            let shift = from - (from > 0 ? 1 : 0)
            startCol -= shift
            endCol = min(endCol - shift, chars.count)
        }
        var lineText = ""
        lineText.unicodeScalars.append(contentsOf: chars)
        let gutter = String(loc.line)
        let pad = String(repeating: " ", count: gutter.count)
        s += "\(blue)\(gutter) |\(reset) \(lineText)\n"
        // Caret under the span, counting wide (CJK) characters as two columns.
        var lead = ""
        for c in chars.prefix(startCol) { lead += c == "\t" ? "\t" : String(repeating: " ", count: DisplayWidth.of(c)) }
        var width = 0
        for c in chars.dropFirst(startCol).prefix(max(0, endCol - startCol)) { width += DisplayWidth.of(c) }
        s += "\(blue)\(pad) |\(reset) \(lead)\(severity == .error ? red : yellow)\(String(repeating: "^", count: max(1, width)))\(reset)"
        for label in labels { s += "\n" + renderLabel(label, file, gutterWidth: pad.count, blue: blue, reset: reset) }
        for n in notes { s += "\n\(pad) = note: \(n)" }
        for h in help { s += "\n\(pad) = \(cyan)help\(reset): \(h)" }
        return s
    }
}

extension Diagnostic {
    /// A secondary place: its line, and `-` under the span with the label's text.
    func renderLabel(_ label: Label, _ file: SourceFile, gutterWidth: Int, blue: String, reset: String) -> String {
        let loc = file.location(label.range.start), end = file.location(max(label.range.start, label.range.end))
        let chars = Array(file.line(loc.line).unicodeScalars)
        let startCol = min(loc.column - 1, chars.count)
        let endCol = end.line == loc.line ? min(end.column - 1, chars.count) : chars.count
        var lead = ""
        for c in chars.prefix(startCol) { lead += c == "\t" ? "\t" : String(repeating: " ", count: DisplayWidth.of(c)) }
        var width = 0
        for c in chars.dropFirst(startCol).prefix(max(0, endCol - startCol)) { width += DisplayWidth.of(c) }
        let gutter = String(loc.line)
        let w = max(gutterWidth, gutter.count)
        let g = String(repeating: " ", count: w - gutter.count) + gutter, pad = String(repeating: " ", count: w)
        var text = ""
        text.unicodeScalars.append(contentsOf: chars)
        return "\(blue)\(g) |\(reset) \(text)\n\(blue)\(pad) |\(reset) \(lead)\(blue)\(String(repeating: "-", count: max(1, width))) \(label.message)\(reset)"
    }

    /// The diagnostic as one JSON object, for tools (`kdk check --json`):
    /// file, 1-based line and column of the start and end, severity, code,
    /// message, notes, help, and labels with their own positions.
    public var json: String {
        func position(_ r: SourceRange) -> String {
            guard let file else { return "" }
            let a = file.location(r.start), b = file.location(max(r.start, r.end))
            return "\"line\": \(a.line), \"column\": \(a.column), \"end_line\": \(b.line), \"end_column\": \(b.column), "
        }
        func list(_ xs: [String]) -> String { "[" + xs.map(JSONWriter.string).joined(separator: ", ") + "]" }
        let labels = self.labels.map { "{" + position($0.range) + "\"message\": " + JSONWriter.string($0.message) + "}" }
        return "{\"file\": " + (file.map { JSONWriter.string($0.name) } ?? "null") + ", " + position(range)
            + "\"severity\": \"\(severity.rawValue)\", \"code\": " + (code.map(JSONWriter.string) ?? "null")
            + ", \"message\": " + JSONWriter.string(message) + ", \"notes\": " + list(notes) + ", \"help\": " + list(help)
            + ", \"labels\": [" + labels.joined(separator: ", ") + "]}"
    }
}

/// Terminal column widths: East Asian wide and full-width characters take two
/// columns, combining marks none.
public enum DisplayWidth {
    /// Columns one scalar takes: 2 for wide (CJK), 0 for combining marks, else 1.
    public static func of(_ c: Unicode.Scalar) -> Int {
        let v = c.value
        if v == 0 { return 0 }
        if c.properties.generalCategory == .nonspacingMark || c.properties.generalCategory == .enclosingMark || v == 0x200B { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    /// Columns a text takes on a terminal.
    public static func of(_ s: String) -> Int { s.unicodeScalars.reduce(0) { $0 + of($1) } }

    /// `s` in at most `width` columns: cut at a character, with "…" when cut.
    public static func cut(_ s: String, to width: Int) -> String {
        guard of(s) > width else { return s }
        var out = "", used = 0
        for c in s {
            let w = c.unicodeScalars.reduce(0) { $0 + of($1) }
            if used + w > width - 1 { break }
            out.append(c)
            used += w
        }
        return out + "…"
    }
}
