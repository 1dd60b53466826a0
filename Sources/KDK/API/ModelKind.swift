/// A kind of model block (`scenario`, `campaign`, `launchpad`, or one a host
/// defines): its schema and its methods. The core models are registered
/// through this same type.
public struct ModelKind: @unchecked Sendable {
    public struct Field: Sendable {
        public var name: String
        public var required: Bool
        public var doc: String
        /// Used when a declaration leaves the field out.
        public var defaultValue: Value?
        public init(_ name: String, required: Bool = false, default d: Value? = nil, doc: String = "") {
            self.name = name; self.required = required; self.defaultValue = d; self.doc = doc
        }
    }

    public var name: String
    public var doc: String
    public var fields: [Field]
    /// Whether declarations may add fields beyond `fields` (true for scenarios).
    public var openFields: Bool
    /// Methods, called as `Obj.method(args)`; each receives the object as its
    /// first argument.
    public var methods: [Builtin]
    /// Checks run when a declaration of this kind is first evaluated, before
    /// any method uses it (e.g. a campaign's tiers against its pool). Throw
    /// `EvalError` for an error; call `machine.warn` for a warning.
    public var validate: (@Sendable (ModelObject, Machine) throws -> Void)?
    /// Library functions that declarations of this kind use (`tier`, `rule`).
    public var functions: [Builtin]

    public init(name: String, doc: String = "", fields: [Field] = [], openFields: Bool = false, methods: [Builtin] = [],
                functions: [Builtin] = [], validate: (@Sendable (ModelObject, Machine) throws -> Void)? = nil) {
        self.name = name
        self.doc = doc
        self.fields = fields
        self.openFields = openFields
        self.methods = methods
        self.functions = functions
        self.validate = validate
    }

    func method(_ name: String) -> Builtin? { methods.first { $0.name == name } }
}
