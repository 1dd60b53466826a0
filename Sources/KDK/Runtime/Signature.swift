/// How a call's arguments meet a function's parameters: the one binder the
/// checker, the compiler and the running machine all use, for `fn`s,
/// library functions, model kinds' methods and host functions, so the same
/// mistake gets the same words before and during a run (MessagePairTests).
struct Signature {
    /// The function's name, as calls spell it.
    let name: String
    /// Its parameters, in order.
    let params: [String]
    /// Which parameters must be given (they have no default).
    let isRequired: [Bool]
    /// Takes any number of further positional arguments.
    var variadic = false
    /// Named arguments that match no parameter are gathered into a record
    /// (`sensitivity(S, hurdle: [...])`).
    var namedRest = false

    /// A library, model or host function's signature.
    init(_ b: Builtin) {
        name = b.name
        params = b.params.map { $0.name }
        isRequired = b.params.map { !$0.optional }
        variadic = b.variadic
        namedRest = b.namedRest != nil
    }

    /// A `fn`'s signature: `required[i]` when parameter `i` has no default.
    init(name: String, params: [String], required: [Bool]) {
        self.name = name
        self.params = params
        self.isRequired = required
    }

    /// Whether some parameter may be left out.
    var hasOptional: Bool { isRequired.contains(false) }

    /// Where each argument goes: `positional` arguments first, then the
    /// named ones by `labels` (nil: into the named-rest record). `missing`
    /// says whether parameters without a default that are not given are an
    /// error here (the machine fills a `fn`'s defaults itself).
    func bind(positional: Int, labels: [String], checkMissing: Bool = true) -> Result<[Int?], BindingError> {
        if positional > params.count && !variadic { return .failure(.tooMany(given: positional)) }
        if positional > params.count && !labels.isEmpty { return .failure(.extraWithNamed) }
        var given = Set(params.prefix(positional))
        var slots: [Int?] = []
        for (k, label) in labels.enumerated() {
            guard let i = params.firstIndex(of: label) else {
                if namedRest { slots.append(nil); continue }
                return .failure(.noSuchParameter(label, argument: k))
            }
            if !given.insert(label).inserted { return .failure(.givenTwice(label, argument: k)) }
            slots.append(i)
        }
        let missing = zip(params, isRequired).filter { $1 && !given.contains($0) }.map { $0.0 }
        if checkMissing && !missing.isEmpty { return .failure(.missing(missing)) }
        return .success(slots)
    }

    /// `f(a, b)`, for help lines.
    var usage: String { "\(name)(\(params.joined(separator: ", ")))" }
}

/// A call whose arguments do not fit its function's parameters.
enum BindingError: Error, Equatable {
    case tooMany(given: Int)
    /// `argument`: which named argument (0 for the first named one).
    case noSuchParameter(String, argument: Int)
    case givenTwice(String, argument: Int)
    case missing([String])
    case extraWithNamed

    /// The named argument it is about, if any.
    var argument: Int? {
        switch self {
        case .noSuchParameter(_, let k), .givenTwice(_, let k): return k
        default: return nil
        }
    }

    func message(_ s: Signature) -> String {
        switch self {
        case .tooMany(let n):
            let most = s.hasOptional ? "at most " : ""
            return "'\(s.name)' takes \(most)\(s.params.count) argument\(s.params.count == 1 ? "" : "s") but \(n) \(n == 1 ? "was" : "were") given"
        case .noSuchParameter(let l, _): return "'\(s.name)' has no parameter named '\(l)'"
        case .givenTwice(let l, _): return "argument '\(l)' is given twice"
        case .missing(let names):
            return "missing argument\(names.count == 1 ? "" : "s") \(names.map { "'\($0)'" }.joined(separator: ", ")) in the call to '\(s.name)'"
        case .extraWithNamed: return "'\(s.name)' cannot mix extra arguments with named ones"
        }
    }

    func help(_ s: Signature) -> String? {
        switch self {
        case .tooMany, .missing: return s.usage
        case .noSuchParameter(let l, _):
            return Suggest.help(for: l, in: s.params) ?? (s.params.isEmpty ? "it takes no arguments" : "its parameters are \(s.params.joined(separator: ", "))")
        case .givenTwice, .extraWithNamed: return nil
        }
    }

    /// The parameter a misspelt name was meant to be, if one is close.
    func suggestion(_ s: Signature) -> String? {
        if case .noSuchParameter(let l, _) = self { return Suggest.closest(to: l, in: s.params) }
        return nil
    }

    /// As an error of the run.
    func evalError(_ s: Signature) -> EvalError { EvalError(message(s), help: help(s)) }
}
