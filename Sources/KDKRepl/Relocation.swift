import KDK

/// The REPL compiles each input together with the definitions kept so far,
/// as one source. This maps a diagnostic in that source back to the part it
/// is in, so an error names the file and line where that part was entered
/// (`rules.kdk:12:5`, or `<repl>` for typed input).
struct Relocation {
    /// The parts joined by newlines: what is compiled.
    let source: String
    private let parts: [(text: String, origin: String, line: Int)]
    /// Where each part starts in `source`, in UTF-8 bytes.
    private let starts: [Int]

    init(_ parts: [(text: String, origin: String, line: Int)]) {
        self.parts = parts
        var starts: [Int] = []
        var offset = 0
        for p in parts {
            starts.append(offset)
            offset += p.text.utf8.count + 1
        }
        self.starts = starts
        source = parts.map { $0.text }.joined(separator: "\n")
    }

    /// The diagnostic re-homed to its part; nil for a warning outside the
    /// first part (the input): it was shown when that part was entered.
    /// Diagnostics in other files (imports) are left as they are.
    func map(_ d: Diagnostic) -> Diagnostic? {
        guard let file = d.file, file.text.utf8.count == source.utf8.count, file.text == source else { return d }
        let i = (starts.lastIndex { $0 <= d.range.start }) ?? 0
        if i > 0 && d.severity == .warning { return nil }
        let part = parts[i]
        // Blank lines in front put the part at its own line numbers.
        let pad = String(repeating: "\n", count: max(0, part.line - 1))
        let shift = pad.utf8.count - starts[i]
        var out = d
        out.file = SourceFile(name: part.origin, text: pad + part.text)
        out.range = SourceRange(d.range.start + shift, d.range.end + shift)
        return out
    }
}
