/// A kind of model block (`scenario`, `campaign`, `launchpad`, or one a host
/// defines): its schema and its methods. The core models are registered
/// through this same type.
public struct ModelKind: Sendable {
    /// One field of a kind's schema.
    public struct Field: Sendable {
        /// The field's name in declarations.
        public var name: String
        /// Whether a declaration (or its base) must give it.
        public var required: Bool
        /// Fields that, when given, make this one optional (a campaign needs
        /// `tiers` unless it gives `rewards`).
        public var unless: [String] = []
        /// One line for :help and error messages.
        public var doc: String
        /// Used when a declaration leaves the field out.
        public var defaultValue: Value?
        /// A schema field.
        public init(_ name: String, required: Bool = false, unless: [String] = [], default d: Value? = nil, doc: String = "") {
            self.name = name; self.required = required; self.unless = unless; self.defaultValue = d; self.doc = doc
        }
    }

    /// The keyword that declares it (`campaign`).
    public var name: String
    /// One line for :help.
    public var doc: String
    /// The schema.
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
    /// What the checker needs to check a model against the entries it is given.
    public struct Entries: Sendable {
        /// Methods given entries, with the index of the argument holding the
        /// list (0 is the first after the object): a campaign's `award: 0`.
        public var arguments: [String: Int]
        /// Fields whose functions take one entry per parameter (a campaign's
        /// `score`, `rules`): their reads of entry fields are checked against
        /// the entries' shape when it is known.
        public var functionFields: [String]
        /// Fields every entry must have (a launchpad's `user`, `committed`).
        public var required: [String]
        /// A declaration of what a kind's methods take as entries.
        public init(arguments: [String: Int], functionFields: [String] = [], required: [String] = []) {
            self.arguments = arguments
            self.functionFields = functionFields
            self.required = required
        }
    }
    /// The entries this kind's methods take, for checking before data (nil:
    /// not declared, nothing is checked).
    public var entries: Entries?

    /// A model kind; register it with `Engine.register(kind:)`.
    public init(name: String, doc: String = "", fields: [Field] = [], openFields: Bool = false, methods: [Builtin] = [],
                functions: [Builtin] = [], entries: Entries? = nil, validate: (@Sendable (ModelObject, Machine) throws -> Void)? = nil) {
        self.name = name
        self.doc = doc
        self.fields = fields
        self.openFields = openFields
        self.methods = methods
        self.functions = functions
        self.entries = entries
        self.validate = validate
    }

    func method(_ name: String) -> Builtin? { methods.first { $0.name == name } }
}
