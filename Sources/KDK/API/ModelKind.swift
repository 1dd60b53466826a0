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

    public init(name: String, doc: String = "", fields: [Field] = [], openFields: Bool = false, methods: [Builtin] = []) {
        self.name = name
        self.doc = doc
        self.fields = fields
        self.openFields = openFields
        self.methods = methods
    }

    func method(_ name: String) -> Builtin? { methods.first { $0.name == name } }
}
