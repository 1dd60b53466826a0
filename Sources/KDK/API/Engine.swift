import CStackBounds
import Foundation

/// The entry point for running kdk: holds the library functions and model
/// kinds programs may use, and compiles source into `Program`s.
///
///     var engine = Engine()
///     engine.register(kind: ModelKind(name: "scenario", openFields: true))
///     let program = try engine.compile("let x = 0.1 + 0.2\nx == 0.3", name: "demo.kdk")
///     let value = try program.run()          // .bool(true)
public struct Engine: Sendable {
    /// The functions programs may call by name.
    public var library: Library
    /// Model kinds by name (`campaign`, `scenario`, ...).
    public private(set) var kinds: [String: ModelKind] = [:]
    /// The limits its programs run under unless a run gives its own.
    public var limits: Limits = .default
    /// Named values every program compiled by this engine can use, like
    /// top-level lets (`engine.define("fee_rate", .number(...))`).
    public private(set) var hostValues: [(String, Value)] = []
    /// The declared types of inputs defined with `define(_:as:)`.
    public private(set) var inputTypes: [String: ValueType] = [:]
    /// Whether `map`/`filter` chains run fused; off only in tests that compare the two.
    var fusesPipelines = true
    /// Whether top-level `fn` bodies run as bytecode; off only in tests that compare the two evaluators.
    var usesBytecode = true

    /// Makes `value` available to programs under `name`; a later call with
    /// the same name replaces it.
    public mutating func define(_ name: String, _ value: Value) {
        hostValues.removeAll { $0.0 == name }
        hostValues.append((name, value))
        inputTypes[name] = nil
    }

    /// Declares an input by its type: programs are checked against it when
    /// they compile (`p.likez` on a record type without `likez` is an
    /// error, E0102), and each run checks the value it is given (E0404).
    /// `value` is used when a run gives none (none by default: the run
    /// must then give it, unless the type is optional).
    public mutating func define(_ name: String, as type: ValueType, default value: Value = .none) {
        define(name, value)
        inputTypes[name] = type
    }

    /// Declares an input of the Swift type `T`, as `ValueEncoder` encodes
    /// it: `engine.define("p", as: Post.self)`. Throws when `T`'s type
    /// cannot be read without data (see `ValueType.of`).
    public mutating func define<T: Decodable>(_ name: String, as type: T.Type) throws {
        define(name, as: try ValueType.of(type))
    }

    /// An engine with the standard library and no model kinds or host values.
    public init(library: Library = .standard) {
        self.library = library
    }

    /// Adds a model kind (and the functions its declarations use).
    public mutating func register(kind: ModelKind) {
        kinds[kind.name] = kind
        library.add(kind.functions)
    }

    /// Adds host functions; the checker sees their parameters, and every
    /// call checks the arguments against the declared units and types, and
    /// the result against the declared result, around the body.
    public mutating func register(functions: [Builtin]) {
        library.add(functions.map { $0.checkedAtBothEnds() })
    }
}
