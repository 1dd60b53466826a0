/// The stable codes of kdk's diagnostics: a host can match on them, tests
/// and docs can name them, and `kdk check --json` prints them. A code never
/// changes meaning; new kinds of problem get new codes. docs/language.md
/// lists them.
public enum DiagnosticCode: String, Sendable, CaseIterable {
    /// The text does not parse (a bracket left open, a stray character).
    case syntax = "E0001"
    /// A source file that cannot be read (missing, or not UTF-8).
    case file = "E0002"
    /// Another problem found before running (a condition that is not a bool...).
    case check = "E0100"
    /// A name that is not defined.
    case undefinedName = "E0101"
    /// A field a record, data file, shape or model does not have.
    case noSuchField = "E0102"
    /// Wrong number of arguments, or a named argument the function lacks.
    case arguments = "E0103"
    /// A name defined twice.
    case duplicate = "E0104"
    /// Definitions (lets, model fields, imports) that depend on themselves.
    case cycle = "E0105"
    /// Quantities whose units do not match.
    case unitMismatch = "E0201"
    /// A unit that is not declared.
    case unknownUnit = "E0202"
    /// A model block that breaks its kind's schema, or fails its kind's checks.
    case model = "E0301"
    /// An error while running (division by zero, none where a value is needed).
    case runtime = "E0401"
    /// A limit reached (steps, depth, size, time) or a run cancelled.
    case limit = "E0402"
    /// A host function failed: it threw, or broke its own declaration
    /// (an argument or result of another unit or type).
    case hostFunction = "E0403"
    /// A run's input that is not of the type the host declared for it.
    case input = "E0404"
    /// The program's result cannot be of the type the host expects
    /// (`compile(..., expecting:)`).
    case resultType = "E0106"
    /// `kdk sql`: a rule, score or key with no SQL form (a user function,
    /// a division, a text function the dialect cannot match exactly).
    case sqlExpression = "E0501"
    /// `kdk sql`: a part of a campaign the SQL compiler does not take for
    /// that dialect (a section option, a result).
    case sqlFeature = "E0502"
    /// `kdk sql`: amounts that could overflow the dialect's integers.
    case sqlOverflow = "E0503"
    /// `kdk sql`: entries whose shape is unknown, or lack a field the query needs.
    case sqlShape = "E0504"
    /// A warning.
    case warning = "W0001"

    /// One line on what the code means (for the docs).
    public var summary: String {
        switch self {
        case .syntax: return "the text does not parse"
        case .file: return "a source file that cannot be read (missing, or not UTF-8)"
        case .check: return "another problem found before running"
        case .undefinedName: return "a name that is not defined"
        case .noSuchField: return "a field that a record, data file, shape or model does not have"
        case .arguments: return "wrong number of arguments, or an unknown named argument"
        case .duplicate: return "a name defined twice"
        case .cycle: return "definitions that depend on themselves"
        case .unitMismatch: return "quantities whose units do not match"
        case .unknownUnit: return "a unit that is not declared"
        case .model: return "a model that breaks its kind's rules"
        case .runtime: return "an error while running"
        case .limit: return "a limit reached, or a run cancelled"
        case .hostFunction: return "a host function threw, or broke its declared units or types"
        case .input: return "a run's input is not of the type declared for it"
        case .resultType: return "the program's result cannot be of the type the host expects"
        case .sqlExpression: return "kdk sql: an expression with no SQL form in the dialect"
        case .sqlFeature: return "kdk sql: a campaign feature the dialect's SQL does not take"
        case .sqlOverflow: return "kdk sql: amounts that could overflow the dialect's integers"
        case .sqlShape: return "kdk sql: the entries' shape is unknown or lacks a field the query needs"
        case .warning: return "a warning: the program still runs"
        }
    }
}
