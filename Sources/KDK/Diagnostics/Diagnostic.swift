/// One problem found in a program, at any stage (syntax, check, run).
/// Every diagnostic points at a range of the source.
public struct Diagnostic: Error, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var severity: Severity
    public var message: String
    public var range: SourceRange
    public var file: SourceFile?
    public var notes: [String]
    public var help: [String]

    public init(_ severity: Severity = .error, _ message: String, at range: SourceRange,
                in file: SourceFile? = nil, notes: [String] = [], help: [String] = []) {
        self.severity = severity
        self.message = message
        self.range = range
        self.file = file
        self.notes = notes
        self.help = help
    }

    public static func error(_ message: String, at range: SourceRange, help: String? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: range, help: help.map { [$0] } ?? [])
    }

    /// 1-based line and column of the start, when the file is known.
    public var location: (line: Int, column: Int)? { file?.location(range.start) }

    public var description: String { render(color: false) }
}

/// Several diagnostics from one stage, thrown together.
public struct DiagnosticList: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ d: [Diagnostic]) { diagnostics = d }
    public var description: String { diagnostics.map { $0.description }.joined(separator: "\n") }
}
