/// An error raised while a program runs. Library code throws it without a
/// range; the call site that invoked the library fills in its own range, so
/// every runtime error points at the text.
public struct EvalError: Error, Sendable {
    /// What went wrong.
    public var message: String
    /// What to do about it.
    public var help: String?
    var range: SourceRange?
    var file: SourceFile?
    /// Limits and cancellation are not caught by `try`-like library functions.
    var isLimit = false
    /// Where in the data it happened: the item a function was called with.
    var notes: [String] = []
    /// For a model kind's checks: the part of a model's field at fault.
    var focus: Focus?
    /// The error a host function threw, as it threw it.
    public var underlyingError: (any Error)?
    /// The code the diagnostic gets (runtime or limit unless set).
    var code: DiagnosticCode?

    /// A part of a model's field: `tiers`, its 2nd item, that item's 2nd argument.
    struct Focus: Sendable {
        var field: String
        var item: Int?
        var argument: Int?
    }

    /// This error, about a part of the model's field `field` (a model kind's
    /// check): item `item` of a list written there, and argument `argument`
    /// of the call that item is (0-based). `kdk check` points at that
    /// expression instead of the model's name.
    public func about(field: String, item: Int? = nil, argument: Int? = nil) -> EvalError {
        var e = self
        e.focus = Focus(field: field, item: item, argument: argument)
        return e
    }

    /// A runtime error; the call site adds its location.
    public init(_ message: String, help: String? = nil) {
        self.message = message
        self.help = help
    }

    static func limit(_ message: String, help: String? = nil) -> EvalError {
        var e = EvalError(message, help: help)
        e.isLimit = true
        return e
    }

    func located(_ range: SourceRange, _ file: SourceFile) -> EvalError {
        if self.range != nil { return self }
        var e = self
        e.range = range
        e.file = file
        return e
    }

    var diagnostic: Diagnostic {
        var d = Diagnostic(.error, message, at: range ?? .none, in: file, notes: notes, help: help.map { [$0] } ?? [],
                           code: code ?? (isLimit ? .limit : .runtime))
        d.underlyingError = underlyingError
        return d
    }

    /// A list, text or table of `n` elements past the size limit.
    static func sizeLimit(_ n: Int, _ maxSize: Int) -> EvalError {
        EvalError.limit("size limit exceeded: \(n) elements (the limit is \(maxSize))", help: "raise Limits.maxSize")
    }

    static var tooManyUnits: EvalError {
        EvalError("too many distinct units: this process keeps at most \(UnitRegistry.shared.capacity)",
                  help: "units are shared by every program a process runs; a script that makes units in a loop needs another design")
    }

    static func from(_ a: ExactDecimal.ArithmeticError) -> EvalError {
        switch a {
        case .overflow: return EvalError("number too large (the exponent is limited to ±999999)")
        case .divisionByZero: return EvalError("division by zero", help: "guard the divisor, e.g. if n == 0 then none else x / n")
        case .divisionImpossible:
            return EvalError("the integer quotient has more than 28 digits (division impossible)",
                             help: "div and mod are exact; use / for a rounded quotient")
        case .outOfRange: return EvalError(ExactDecimal.outOfRangeMessage)
        case .undefined(let m): return EvalError(m)
        }
    }
}
