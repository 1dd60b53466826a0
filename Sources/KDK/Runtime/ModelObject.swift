/// One field definition of a model object: compiled code run with the object
/// as `self`, a fixed value (from `with`), or a method (a field with parameters).
final class FieldDef: Sendable {
    enum Body: Sendable {
        /// A thunk run with the object as `self`.
        case code(CompiledFunction)
        case value(Value)
        case method(CompiledFunction)
    }
    let name: String
    let body: Body
    let range: SourceRange
    let file: SourceFile?
    init(name: String, body: Body, range: SourceRange, file: SourceFile?) {
        self.name = name; self.body = body; self.range = range; self.file = file
    }
}

/// An instance of a model kind (`scenario Skeptic { ... }`, or a variant made
/// with `extends` or `with`).
///
/// Fields are evaluated lazily, at most once per object, with the object as
/// `self`: a field that names another field reads it from the object it is
/// being evaluated for. So in a variant that overrides `capex`, every field
/// that uses `capex` is recomputed (late binding), while the base keeps its own
/// cached values.
///
/// One object may be shared by several runs at once (a host passes a model
/// from one run as another's input), so the cache sits behind a lock. The
/// lock is never held while a field is evaluated (a field reads other fields):
/// two runs may both compute a field, and the first value stored wins; field
/// code is deterministic, so both computed the same value. Which fields a run
/// is evaluating (for cycle messages) belongs to the run, not the object.
public final class ModelObject: Sendable {
    /// The kind it was declared as.
    public let kind: ModelKind
    /// Its declared name.
    public let name: String
    let defs: [FieldDef]
    let index: [String: Int]
    private let cache: Guarded<[Value?]>
    /// The model it varies, if any.
    public let base: ModelObject?
    /// The program whose code defines its fields (see `Function.home`).
    let home: ProgramImage?

    init(kind: ModelKind, name: String, defs: [FieldDef], base: ModelObject?, home: ProgramImage?) {
        self.home = home
        self.kind = kind
        self.name = name
        self.defs = defs
        var idx: [String: Int] = [:]
        for (i, d) in defs.enumerated() { idx[d.name] = i }
        index = idx
        cache = Guarded(Array(repeating: nil, count: defs.count))
        self.base = base
    }

    /// A variant: the same definitions with some replaced or added.
    func variant(name: String, overrides: [FieldDef]) -> ModelObject {
        var defs = self.defs
        for o in overrides {
            if let i = index[o.name] { defs[i] = o } else { defs.append(o) }
        }
        return ModelObject(kind: kind, name: name, defs: defs, base: self, home: home)
    }

    /// Every field, inherited ones included.
    public var fieldNames: [String] { defs.map { $0.name } }

    /// A variant with some fields given fixed values (what `with` makes).
    public func variant(_ changes: [(String, Value)]) -> ModelObject {
        variant(name: "\(name) with {\(changes.map { "\($0.0): \($0.1.literal())" }.joined(separator: ", "))}",
                overrides: changes.map { FieldDef(name: $0.0, body: .value($0.1), range: .none, file: nil) })
    }
    /// Whether it has the field.
    public func has(_ field: String) -> Bool { index[field] != nil }

    /// The name of the model that declares `field` as this one has it: the
    /// farthest base with the same definition (`Factory extends Skeptic`
    /// inherits `capex` from `Skeptic`), else this model.
    public func declarer(of field: String) -> String {
        guard let i = index[field] else { return name }
        var owner = self
        while let b = owner.base, let j = b.index[field], b.defs[j] === defs[i] { owner = b }
        return owner.name
    }

    /// Field `i`'s value, if some run has computed it.
    func cached(_ i: Int) -> Value? { cache.withLock { $0[i] } }

    /// Stores field `i`'s value unless another run stored one first; returns the stored value.
    func store(_ i: Int, _ v: Value) -> Value {
        cache.withLock { c in
            if let first = c[i] { return first }
            c[i] = v
            return v
        }
    }
}
