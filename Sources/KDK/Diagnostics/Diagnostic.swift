/// One problem found in a program, at any stage (syntax, check, run).
/// Every diagnostic points at a range of the source.
public struct Diagnostic: Error, Sendable, CustomStringConvertible {
    /// Errors stop a program; warnings do not.
    public enum Severity: String, Sendable { case error, warning }

    /// Error or warning.
    public var severity: Severity
    /// One line saying what is wrong.
    public var message: String
    /// The span of source it is about.
    public var range: SourceRange
    /// The source it is in, when known.
    public var file: SourceFile?
    /// Further facts.
    public var notes: [String]
    /// Suggestions ("did you mean ...?").
    public var help: [String]
    /// A stable code naming the kind of problem (`E0101`: a name that is not
    /// defined), for hosts, tests and tools; `DiagnosticCode` lists them.
    public var code: String?
    /// The text that should stand at `range` instead, when the problem is a
    /// misspelt name with a close match (its help says "did you mean ...?"):
    /// editors offer it as a quick fix.
    public var suggestion: String?
    /// Other places that explain this one ("first defined here"), in `file`.
    public var labels: [Label] = []
    /// The Swift error a host function threw (E0403), unchanged, so a host
    /// can tell its own failures apart: `if let e = d.underlyingError as? DatabaseDown`.
    public var underlyingError: (any Error)?

    /// A secondary place in the same file, with what it shows.
    public struct Label: Sendable {
        /// The span.
        public var range: SourceRange
        /// What it is ("first defined here").
        public var message: String
        /// A label.
        public init(_ range: SourceRange, _ message: String) { self.range = range; self.message = message }
    }

    /// A diagnostic at `range` of `file`.
    public init(_ severity: Severity = .error, _ message: String, at range: SourceRange,
                in file: SourceFile? = nil, notes: [String] = [], help: [String] = [], code: DiagnosticCode? = nil,
                suggestion: String? = nil) {
        self.severity = severity
        self.suggestion = suggestion
        self.message = message
        self.range = range
        self.file = file
        self.notes = notes
        self.help = help
        // Every warning has its code; an error without one is given it by its stage.
        self.code = (code ?? (severity == .warning ? .warning : nil))?.rawValue
    }

    /// An error with at most one help line.
    public static func error(_ message: String, at range: SourceRange, help: String? = nil, code: DiagnosticCode = .check) -> Diagnostic {
        Diagnostic(.error, message, at: range, help: help.map { [$0] } ?? [], code: code)
    }

    /// 1-based line and column of the start, when the file is known.
    public var location: (line: Int, column: Int)? { file?.location(range.start) }

    /// The diagnostic rendered without colour.
    public var description: String { render(color: false) }
}

/// Several diagnostics from one stage, thrown together.
public struct DiagnosticList: Error, Sendable, CustomStringConvertible {
    /// The diagnostics, errors first.
    public var diagnostics: [Diagnostic]
    /// A list of diagnostics to throw.
    public init(_ d: [Diagnostic]) { diagnostics = d }
    /// All of them rendered, one after another.
    public var description: String { diagnostics.map { $0.description }.joined(separator: "\n") }
}
