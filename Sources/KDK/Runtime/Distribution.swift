import Foundation

/// An uncertain value: an input drawn from a distribution (`normal(5, 1)`),
/// samples already drawn, or arithmetic on others. Arithmetic builds the
/// expression (`capex * hurdle`) rather than samples, so every value that
/// depends on an input is drawn from that input's samples, sample by sample:
/// fields of a scenario stay correlated through the inputs they share.
///
/// Samples are binary floating point (`Double`); exact decimals stay exact
/// wherever no distribution is involved, and a result (`summary`, `prob`)
/// comes back as a decimal of 15 significant digits.
public final class Distribution: Sendable {
    enum Node: Sendable {
        case input(Kind)
        case samples([Double])
        case binary(BinOp, Operand, Operand)
        /// Inputs drawn together, their ranks correlated (`correlate`): the
        /// `index`-th of `group`.
        case correlated(CorrelatedGroup, index: Int)
    }

    enum Operand: Sendable {
        case distribution(Distribution)
        case constant(Double)
    }

    /// The distributions an input can have; parameters in the value's unit.
    public enum Kind: Sendable {
        case uniform(low: Double, high: Double)
        case normal(mean: Double, sd: Double)
        /// `exp(normal(mu, sigma))`.
        case lognormal(mu: Double, sigma: Double)
        case triangular(low: Double, mode: Double, high: Double)
        /// One of `values`, with the cumulative weights (the last is 1).
        case choice(values: [Double], cumulative: [Double])
    }

    let node: Node
    /// What one sample is: `.number(1)` (with a percentage mark when the
    /// inputs have one), `.quantity(1, unit)` or `.bool(true)`; arithmetic
    /// on templates checks units as it does for values.
    public let template: Value

    /// How many operations deep it is (an input is 1): bounded, since
    /// drawing and freeing it follow its operands by recursion.
    let depth: Int
    /// The deepest a distribution may be built.
    static let maxDepth = 10_000

    init(_ node: Node, template: Value) {
        self.node = node
        self.template = template
        switch node {
        case .binary(_, let a, let b):
            func d(_ o: Operand) -> Int { if case .distribution(let x) = o { return x.depth }; return 0 }
            depth = max(d(a), d(b)) + 1
        default: depth = 1
        }
    }

    /// An input drawn from `kind`, each sample like `template` (its unit).
    public convenience init(_ kind: Kind, template: Value) { self.init(.input(kind), template: template) }

    /// Samples drawn already.
    public convenience init(samples: [Double], template: Value) { self.init(.samples(samples), template: template) }

    /// The `index`-th input of a correlated group.
    public convenience init(correlated group: CorrelatedGroup, index: Int) {
        self.init(.correlated(group, index: index), template: group.inputs[index].template)
    }

    /// How many samples the distribution was built from, when it was built
    /// from drawn samples (a `simulate` result); nil when it is drawn anew.
    public var sampleCount: Int? {
        switch node {
        case .samples(let s): return s.count
        case .binary(_, let a, let b):
            for o in [a, b] { if case .distribution(let d) = o, let n = d.sampleCount { return n } }
            return nil
        default: return nil
        }
    }

    /// What an input is drawn from; nil for arithmetic and samples.
    public var kind: Kind? {
        switch node {
        case .input(let k): return k
        case .correlated(let g, let i): return g.inputs[i].kind
        default: return nil
        }
    }

    /// One sample like `v`: 1 in its unit, with its percentage mark (a
    /// bool stays a bool); arithmetic on templates checks units.
    public static func template(of v: Value) -> Value {
        switch v {
        case .quantity(_, let u): return .quantity(ExactDecimal(1), u)
        case .number(let d): return .number(ExactDecimal(1).percent(d.isPercent))
        case .bool: return .bool(true)
        default: return .number(ExactDecimal(1))
        }
    }

    /// The unit of one sample, if any.
    public var unit: UnitID? { if case .quantity(_, let u) = template { return u }; return nil }
    public var isBool: Bool { if case .bool = template { return true }; return false }

    /// A sample as a kdk value (a quantity in the unit, a number, a bool).
    public func value(_ x: Double, digits: Int = 15) -> Value {
        let d = ExactDecimal(x, significantDigits: digits) ?? .zero
        switch template {
        case .bool: return .bool(x != 0)
        case .quantity(_, let u): return .quantity(d, u)
        case .number(let t): return .number(d.percent(t.isPercent))
        default: return .number(d)
        }
    }

    /// A value as a sample of a distribution with `template`'s unit: a
    /// number or quantity (the caller has checked the units), else nil.
    public static func sample(_ v: Value) -> Double? {
        switch v {
        case .number(let d), .quantity(let d, _): return d.doubleValue
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// `x op y` where one side is a distribution: the units are those of
    /// the operator applied to one sample of each side.
    static func combine(_ op: BinOp, _ x: Value, _ y: Value) throws -> Value {
        func operand(_ v: Value) throws -> (Operand, Value) {
            if case .distribution(let d) = v { return (.distribution(d), d.template) }
            guard let s = sample(v) else {
                throw EvalError("'\(op.symbol)' takes numbers or quantities with a distribution, not \(Operators.describe(v))")
            }
            return (.constant(s), v)
        }
        let (a, ta) = try operand(x), (b, tb) = try operand(y)
        for o in [a, b] {
            if case .distribution(let d) = o, d.depth >= maxDepth {
                throw EvalError("a distribution built from more than \(maxDepth) operations", help: "simulate, then work with its samples")
            }
        }
        // One sample of each side, as values: the units follow the rules of
        // exact values (a mismatch is the same error), and 1 divides safely.
        let one = Distribution.template(of:)
        let template: Value
        switch op {
        case .in, .notIn:
            throw EvalError("'\(op.symbol)' does not take a distribution", help: "compare it: prob(x > 5) is the chance that it is above 5")
        case .eq, .ne, .lt, .le, .gt, .ge:
            _ = try op.evaluate(one(ta), one(tb), nil)
            template = .bool(true)
        default:
            template = one(try op.evaluate(one(ta), one(tb), nil))
        }
        return .distribution(Distribution(.binary(op, a, b), template: template))
    }

    /// How people see a distribution without `simulate`: its median and
    /// 90% interval from `Sampler.defaultRuns` samples and the default seed
    /// (a probability, for a condition), each sample written by `write`.
    public func described(digits: Int = 15, _ write: (Value) -> String) -> String {
        var sampler = Sampler(runs: sampleCount ?? Sampler.defaultRuns)
        guard let samples = try? sampler.finiteSamples(self) else { return "undefined in some runs" }
        let s = SampleSummary(samples)
        if isBool { return "probability " + write(.number(ExactDecimal(s.mean, significantDigits: 4) ?? .zero)) }
        let (median, low, high) = (value(s.percentile(0.5), digits: digits), value(s.percentile(0.05), digits: digits), value(s.percentile(0.95), digits: digits))
        return "\(write(median)) (90%: \(write(low)) to \(write(high)))"
    }

    /// `-x`.
    static func negated(_ d: Distribution) -> Value {
        .distribution(Distribution(.binary(.sub, .constant(0), .distribution(d)), template: d.template))
    }
}

/// Inputs drawn together: each drawn on its own, then their samples
/// reordered so that their ranks have the correlation `matrix` asks for
/// (Iman and Conover, "A distribution-free approach to inducing rank
/// correlation among input variables", 1982; as @RISK and squigglepy do).
public final class CorrelatedGroup: Sendable {
    public let inputs: [Distribution]
    public let matrix: [[Double]]
    public init(inputs: [Distribution], matrix: [[Double]]) {
        self.inputs = inputs
        self.matrix = matrix
    }
}

/// Draws samples: `runs` of each distribution, the k-th sample of an input
/// a function of the seed, the input's path and k only (a counter-based
/// generator: SplitMix64 of the three), so the same seed gives the same
/// samples on any thread count, and a new input changes no other's.
/// Distributions reached twice (the same input under two fields) are drawn
/// once.
public struct Sampler {
    public let runs: Int
    public let seed: String
    /// Each input's path (`Skeptic.capex`), by identity; inputs without one
    /// are named by the order they are first reached (`#1`, `#2`, ...).
    public var paths: [ObjectIdentifier: String] = [:]
    private var drawn: [ObjectIdentifier: [Double]] = [:]
    /// Each correlated group's inputs, reordered once.
    private var groups: [ObjectIdentifier: [[Double]]] = [:]
    private var unnamed = 0
    /// Keeps every distribution drawn alive while its identity is a key.
    private var held: [Distribution] = []

    /// The run count used when a distribution is shown or summarized without `simulate`.
    public static let defaultRuns = 10_000
    /// The seed used then.
    public static let defaultSeed = "kdk"

    public init(runs: Int = Sampler.defaultRuns, seed: String = Sampler.defaultSeed) {
        self.runs = runs
        self.seed = seed
    }

    /// Names an input (and, for a field whose value is arithmetic, nothing:
    /// its inputs are named where they are fields themselves).
    public mutating func name(_ d: Distribution, _ path: String) {
        let id = ObjectIdentifier(d)
        if paths[id] == nil { paths[id] = path; held.append(d) }
    }

    /// The samples of `d`, each a finite number: what results are read
    /// from. An infinite or undefined sample (a division by zero, a root of
    /// a negative number) is an error, never a silent 0.
    public mutating func finiteSamples(_ d: Distribution, _ m: Machine? = nil) throws -> [Double] {
        let s = try samples(d, m)
        if let bad = s.firstIndex(where: { !$0.isFinite }) {
            throw EvalError("sample \(bad + 1) of \(s.count) is \(s[bad].isNaN ? "undefined" : "infinite")",
                            help: "a division by zero or a power of a negative number in some runs; bound the inputs, e.g. uniform(0.1, 1)")
        }
        return s
    }

    public mutating func samples(_ d: Distribution, _ m: Machine? = nil) throws -> [Double] {
        let id = ObjectIdentifier(d)
        if let s = drawn[id] { return s }
        try m?.charge(runs)
        let out: [Double]
        switch d.node {
        case .samples(let s):
            out = s
        case .input(let kind):
            out = Sampler.draw(kind, runs: runs, stream: stream(for: d))
        case .binary(let op, let a, let b):
            let x = try operand(a, m), y = try operand(b, m)
            out = try Sampler.apply(op, x, y, runs)
        case .correlated(let group, let index):
            let all = try correlated(group, m)
            out = all[index]
        }
        held.append(d)
        drawn[id] = out
        return out
    }

    private mutating func operand(_ o: Distribution.Operand, _ m: Machine?) throws -> Operand {
        switch o {
        case .constant(let c): return .constant(c)
        case .distribution(let d): return .samples(try samples(d, m))
        }
    }

    enum Operand { case constant(Double), samples([Double]) }

    /// The stream of an input: its path's hash mixed with the seed's.
    private mutating func stream(for d: Distribution) -> UInt64 {
        let id = ObjectIdentifier(d)
        let path: String
        if let p = paths[id] {
            path = p
        } else {
            unnamed += 1
            path = "#\(unnamed)"
            paths[id] = path
            held.append(d)
        }
        return Hashing.mix(Hashing.fnv(seed) ^ Hashing.mix(Hashing.fnv(path)))
    }

    private mutating func correlated(_ g: CorrelatedGroup, _ m: Machine?) throws -> [[Double]] {
        if let done = groups[ObjectIdentifier(g)] { return done }
        var independent: [[Double]] = []
        for d in g.inputs { independent.append(try samples(d, m)) }
        let out = Sampler.imanConover(independent, g.matrix, stream: Hashing.mix(Hashing.fnv(seed) ^ 0xC0_44E1))
        groups[ObjectIdentifier(g)] = out
        return out
    }

    // MARK: drawing

    /// The k-th uniform number in (0, 1) of a stream.
    @inline(__always)
    static func uniform(_ stream: UInt64, _ k: Int) -> Double {
        (Double(Hashing.mix(stream &+ UInt64(k) &* 0x9E37_79B9_7F4A_7C15) >> 11) + 0.5) * 0x1p-53
    }

    /// `runs` samples of an input: on every core for many runs, which gives
    /// the same numbers, since each depends on its index only.
    static func draw(_ kind: Distribution.Kind, runs: Int, stream: UInt64) -> [Double] {
        let chunk = 65_536
        guard runs > chunk else { return (0..<runs).map { k in quantile(kind, uniform(stream, k)) } }
        return [Double](unsafeUninitializedCapacity: runs) { buffer, count in
            let out = UncheckedBuffer(buffer)
            DispatchQueue.concurrentPerform(iterations: (runs + chunk - 1) / chunk) { c in
                for k in (c * chunk)..<min(runs, (c + 1) * chunk) { out.buffer[k] = quantile(kind, uniform(stream, k)) }
            }
            count = runs
        }
    }

    /// A buffer the threads of `draw` fill, each its own range.
    struct UncheckedBuffer: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Double>
        init(_ b: UnsafeMutableBufferPointer<Double>) { buffer = b }
    }

    /// The value below which a fraction `u` of the distribution lies.
    public static func quantile(_ kind: Distribution.Kind, _ u: Double) -> Double {
        switch kind {
        case .uniform(let a, let b): return a + u * (b - a)
        case .normal(let mean, let sd): return mean + sd * normalQuantile(u)
        case .lognormal(let mu, let sigma): return exp(mu + sigma * normalQuantile(u))
        case .triangular(let a, let c, let b):
            let f = (c - a) / (b - a)
            return u < f ? a + ((b - a) * (c - a) * u).squareRoot() : b - ((b - a) * (b - c) * (1 - u)).squareRoot()
        case .choice(let values, let cumulative):
            let i = cumulative.firstIndex { u < $0 } ?? (values.count - 1)
            return values[i]
        }
    }

    /// The standard normal quantile: Acklam's rational approximation
    /// (P. J. Acklam, "An algorithm for computing the inverse normal
    /// cumulative distribution function", 2003; relative error 1.15e-9),
    /// refined by one step of Halley's method with `erfc` to full precision.
    public static func normalQuantile(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }

    static func apply(_ op: BinOp, _ x: Operand, _ y: Operand, _ runs: Int) throws -> [Double] {
        var n = runs
        switch (x, y) {
        case (.samples(let a), .samples(let b)):
            guard a.count == b.count else {
                throw EvalError("these distributions have different numbers of samples (\(a.count) and \(b.count))",
                                help: "use values of one simulate run together")
            }
            n = a.count
        case (.samples(let a), .constant), (.constant, .samples(let a)): n = a.count
        default: break
        }
        func at(_ o: Operand, _ k: Int) -> Double {
            switch o { case .constant(let c): return c; case .samples(let s): return s[k] }
        }
        let f: (Double, Double) -> Double
        switch op {
        case .add: f = (+)
        case .sub: f = (-)
        case .mul: f = (*)
        case .div: f = (/)
        case .pow: f = { pow($0, $1) }
        // A comparison with an undefined sample is undefined, not false.
        case .eq: f = { $0.isNaN || $1.isNaN ? .nan : $0 == $1 ? 1 : 0 }
        case .ne: f = { $0.isNaN || $1.isNaN ? .nan : $0 != $1 ? 1 : 0 }
        case .lt: f = { $0.isNaN || $1.isNaN ? .nan : $0 < $1 ? 1 : 0 }
        case .le: f = { $0.isNaN || $1.isNaN ? .nan : $0 <= $1 ? 1 : 0 }
        case .gt: f = { $0.isNaN || $1.isNaN ? .nan : $0 > $1 ? 1 : 0 }
        case .ge: f = { $0.isNaN || $1.isNaN ? .nan : $0 >= $1 ? 1 : 0 }
        case .in, .notIn: throw EvalError("'\(op.symbol)' does not take a distribution")
        }
        var out = [Double](repeating: 0, count: n)
        switch (x, y) {
        case (.samples(let a), .samples(let b)): for k in 0..<n { out[k] = f(a[k], b[k]) }
        case (.samples(let a), .constant(let c)): for k in 0..<n { out[k] = f(a[k], c) }
        case (.constant(let c), .samples(let b)): for k in 0..<n { out[k] = f(c, b[k]) }
        case (.constant(let a), .constant(let b)): out = Array(repeating: f(a, b), count: n)
        }
        return out
    }

    /// Iman–Conover: van der Waerden scores, shuffled per column from the
    /// stream; their own sample correlation taken out (its Cholesky factor
    /// inverted) and the target's put in, as a Pearson correlation of
    /// 2·sin(π·ρ/6), the one normal scores need for a rank correlation ρ;
    /// then each input's sorted samples placed in its column's score order.
    static func imanConover(_ columns: [[Double]], _ matrix: [[Double]], stream: UInt64) -> [[Double]] {
        let k = columns.count, n = columns.first?.count ?? 0
        let pearson = matrix.map { $0.map { 2 * sin(Double.pi * $0 / 6) } }
        guard k > 1, n > 2, let l = cholesky(pearson) else { return columns }
        let base = (0..<n).map { normalQuantile(Double($0 + 1) / Double(n + 1)) }
        var scores = [[Double]](repeating: [], count: k)
        for j in 0..<k {
            // A fixed shuffle per column (Fisher–Yates from the stream).
            var s = base
            for i in stride(from: n - 1, to: 0, by: -1) {
                let r = Int(uniform(stream &+ UInt64(j) &* 0x2545_F491_4F6C_DD1D, i) * Double(i + 1))
                s.swapAt(i, min(r, i))
            }
            scores[j] = s
        }
        // The scores' own correlation (their mean is 0 and their variance the same).
        var own = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        let variance = base.reduce(0) { $0 + $1 * $1 }
        for a in 0..<k { for b in 0..<k { own[a][b] = zip(scores[a], scores[b]).reduce(0) { $0 + $1.0 * $1.1 } / variance } }
        let q = cholesky(own)
        var mixed = [[Double]](repeating: [Double](repeating: 0, count: n), count: k)
        var z = [Double](repeating: 0, count: k)
        for r in 0..<n {
            // z = Q⁻¹·s (forward substitution), then L·z.
            for j in 0..<k {
                var v = scores[j][r]
                if let q {
                    for t in 0..<j { v -= q[j][t] * z[t] }
                    v /= q[j][j]
                }
                z[j] = v
            }
            for j in 0..<k { var v = 0.0; for t in 0...j { v += l[j][t] * z[t] }; mixed[j][r] = v }
        }
        return (0..<k).map { j in
            let sorted = columns[j].sorted()
            let order = (0..<n).sorted { mixed[j][$0] < mixed[j][$1] }
            var out = [Double](repeating: 0, count: n)
            for (rank, r) in order.enumerated() { out[r] = sorted[rank] }
            return out
        }
    }

    /// The lower triangular L with L·Lᵀ = m; nil unless m is symmetric positive definite.
    public static func cholesky(_ m: [[Double]]) -> [[Double]]? {
        let n = m.count
        guard m.allSatisfy({ $0.count == n }) else { return nil }
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0...i {
                guard abs(m[i][j] - m[j][i]) < 1e-12 else { return nil }
                var s = m[i][j]
                for t in 0..<j { s -= l[i][t] * l[j][t] }
                if i == j {
                    guard s > 1e-12 else { return nil }
                    l[i][i] = s.squareRoot()
                } else {
                    l[i][j] = s / l[j][j]
                }
            }
        }
        return l
    }

}

/// What a distribution's samples say: the numbers `summary` gives.
public struct SampleSummary: Sendable {
    public let mean: Double, sd: Double
    public let sorted: [Double]

    public init(_ samples: [Double]) {
        sorted = samples.sorted()
        let n = Double(max(1, samples.count))
        let m = samples.reduce(0, +) / n
        let squares = samples.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        mean = m
        sd = samples.count > 1 ? (squares / (n - 1)).squareRoot() : 0
    }

    /// The p-th percentile (p from 0 to 1), interpolated between the two
    /// nearest samples (numpy's default, "linear").
    public func percentile(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = p * Double(sorted.count - 1)
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}
