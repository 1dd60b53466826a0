import Foundation
import KDK

/// Scenarios with uncertainty: distributions as values (`lognormal(4T USD,
/// 7T USD)`), `simulate` over a scenario's fields, `summary`, `percentile`,
/// `prob`, `histogram`, `tornado`, goal seek (`solve`) and rank correlation
/// (`correlate`). The sampling itself (a counter-based generator, Iman–Conover)
/// is `Sampler`, in the runtime, where arithmetic on distributions lives.
enum Uncertainty {
    /// z such that 90% of a normal lies within ±z standard deviations:
    /// Φ⁻¹(0.95), as Squiggle's `low to high` reads a 90% interval.
    static let z90 = 1.6448536269514722


    static func amount(_ a: Arguments, _ name: String) throws -> Double {
        switch a[name] {
        case .number(let d), .quantity(let d, _): return d.doubleValue
        case let v: throw EvalError("\(name) must be a number or an amount, not \(Arithmetic.describe(v))")
        }
    }

    static func distribution(_ kind: Distribution.Kind, like v: Value) -> Value {
        .distribution(Distribution(kind, template: Distribution.template(of: v)))
    }

    /// A distribution, or a plain value as one that never varies.
    static func uncertain(_ v: Value, _ what: String) throws -> Distribution {
        switch v {
        case .distribution(let d): return d
        case .number(let x), .quantity(let x, _): return Distribution(samples: [x.doubleValue], template: Distribution.template(of: v))
        case .bool(let b): return Distribution(samples: [b ? 1 : 0], template: .bool(true))
        default: throw EvalError("\(what) takes a distribution (or a number), not \(Arithmetic.describe(v))")
        }
    }

    /// The samples of `d`: as many as the samples it was built from (a
    /// `simulate` result), else `Sampler.defaultRuns` with the default seed.
    static func samples(_ d: Distribution, _ m: Machine) throws -> [Double] {
        var sampler = Sampler(runs: d.sampleCount ?? Sampler.defaultRuns)
        return try sampler.finiteSamples(d, m)
    }

    static func summary(_ v: Value, _ what: String, _ m: Machine) throws -> (Distribution, SampleSummary) {
        let d = try uncertain(v, what)
        return (d, SampleSummary(try samples(d, m)))
    }

    // MARK: simulate

    /// The scenario's fields over `runs` samples: each field that is an
    /// input is named by its path (`Skeptic.capex`, the scenario that
    /// declares it) before anything is drawn,
    /// so its samples depend on the seed, that path and the sample's index only.
    static func simulate(_ obj: ModelObject, runs: Int, seed: String, _ m: Machine) throws -> Value {
        var sampler = Sampler(runs: runs, seed: seed)
        var values: [(String, Value)] = []
        for name in obj.fieldNames {
            let v = try ScenarioTools.get(obj, name, m)
            // Named by the scenario that declares the field: a variant draws
            // the inputs it inherits as its base does (common random numbers).
            if case .distribution(let d) = v, d.kind != nil { sampler.name(d, "\(obj.declarer(of: name)).\(name)") }
            values.append((name, v))
        }
        var out: [(String, Value)] = []
        for (name, v) in values {
            if case .distribution(let d) = v {
                out.append((name, .distribution(Distribution(samples: try sampler.samples(d, m), template: d.template))))
            } else {
                out.append((name, v))
            }
        }
        return .record(Record.make(out))
    }

    // MARK: tornado

    /// For each input field of the scenario, the shown field with that input
    /// at its 10th and 90th percentile and every other input at its median,
    /// largest swing first.
    static func tornado(_ obj: ModelObject, show: String, _ m: Machine) throws -> [(input: String, low: Double, high: Double, base: Double, template: Value)] {
        var inputs: [(String, Distribution.Kind, Distribution)] = []
        for name in obj.fieldNames {
            if case .distribution(let d) = try ScenarioTools.get(obj, name, m), let k = d.kind { inputs.append((name, k, d)) }
        }
        guard !inputs.isEmpty else { throw EvalError("\(obj.name) has no uncertain input", help: "make a field a distribution, e.g. capex = lognormal(4T USD, 7T USD)") }
        func at(_ q: [String: Double]) throws -> (Double, Value) {
            let changes = inputs.map { ($0.0, $0.2.value(Sampler.quantile($0.1, q[$0.0] ?? 0.5))) }
            let v = try ScenarioTools.get(ScenarioTools.variant(obj, changes, m), show, m)
            if case .distribution(let d) = v { return (SampleSummary(try samples(d, m)).percentile(0.5), d.template) }
            guard let x = Distribution.sample(v) else { throw EvalError("tornado shows a number or an amount; \(show) is \(Arithmetic.describe(v))") }
            return (x, Distribution.template(of: v))
        }
        let (base, t) = try at([:])
        return try inputs.map { name, _, _ in
            let (low, _) = try at([name: 0.1]), (high, _) = try at([name: 0.9])
            return (name, low, high, base, t)
        }.sorted { abs($0.high - $0.low) > abs($1.high - $1.low) }
    }

    // MARK: solve

    /// The value of `vary` for which `show` equals `target`: a bracket found
    /// on a grid around the current value (from 1/1000 to 1000 times it, and
    /// its negatives), then regula falsi in exact decimals, so a scenario
    /// that is linear in `vary` gets the exact answer.
    static func solve(_ obj: ModelObject, vary: String, show: String, target: Value, _ m: Machine) throws -> Value {
        let start = try ScenarioTools.get(obj, vary, m)
        let unitOf: (ExactDecimal) -> Value
        let x0: ExactDecimal
        switch start {
        case .number(let d): x0 = d; unitOf = { .number($0.percent(d.isPercent)) }
        case .quantity(let d, let u): x0 = d; unitOf = { .quantity($0, u) }
        default: throw EvalError("solve varies a number or an amount; \(vary) is \(Arithmetic.describe(start))")
        }
        func f(_ x: ExactDecimal) throws -> ExactDecimal {
            try m.step()
            let v = try ScenarioTools.get(ScenarioTools.variant(obj, [(vary, unitOf(x))], m), show, m)
            switch try Arithmetic.subtract(v, target) {
            case .number(let d), .quantity(let d, _): return d
            case let other: throw EvalError("solve needs \(show) to be a number or an amount, not \(Arithmetic.describe(other))")
            }
        }
        let scale = x0.isZero ? ExactDecimal(1) : x0
        var grid: [ExactDecimal] = [.zero]
        for i in -24...24 {
            let factor = ExactDecimal(pow(10, Double(i) / 8), significantDigits: 12) ?? ExactDecimal(1)
            if let p = try? ExactDecimal.multiply(scale, factor) { grid.append(p); grid.append(p.negated()) }
        }
        grid.sort { ExactDecimal.compare($0, $1) < 0 }
        var points: [(ExactDecimal, ExactDecimal)] = []
        for x in grid { if let y = try? f(x) { points.append((x, y)) } }
        if let exact = points.first(where: { $0.1.isZero }) { return unitOf(exact.0) }
        var brackets: [((ExactDecimal, ExactDecimal), (ExactDecimal, ExactDecimal))] = []
        for (p, q) in zip(points, points.dropFirst()) where p.1.isNegative != q.1.isNegative && !p.1.isZero && !q.1.isZero { brackets.append((p, q)) }
        guard let first = brackets.first else {
            throw EvalError("solve: no value of \(vary) from \(points.first.map { unitOf($0.0).literal() } ?? "?") to \(points.last.map { unitOf($0.0).literal() } ?? "?") makes \(show) equal \(target.literal())",
                            help: "check the target, or the direction in which \(show) moves with \(vary)")
        }
        guard brackets.count == 1 else {
            let near = brackets.map { unitOf($0.0.0).literal() + " to " + unitOf($0.1.0).literal() }
            throw EvalError("solve: several values of \(vary) make \(show) equal \(target.literal()): one between " + near.joined(separator: ", one between "),
                            help: "vary \(vary) over a narrower range with sensitivity to see where")
        }
        var (a, fa) = first.0, (b, fb) = first.1
        var side = 0
        for _ in 0..<200 {
            // Regula falsi (Illinois): the secant through the bracket's ends.
            let x = try ExactDecimal.subtract(b, try ExactDecimal.divide(try ExactDecimal.multiply(fb, try ExactDecimal.subtract(b, a)), try ExactDecimal.subtract(fb, fa)))
            let fx = try f(x)
            if fx.isZero { return unitOf(x) }
            if fx.isNegative == fb.isNegative {
                b = x; fb = fx
                if side == -1 { fa = try ExactDecimal.divide(fa, ExactDecimal(2)) }
                side = -1
            } else {
                a = x; fa = fx
                if side == 1 { fb = try ExactDecimal.divide(fb, ExactDecimal(2)) }
                side = 1
            }
            let width = try ExactDecimal.subtract(b, a)
            if (width.isNegative ? width.negated() : width).doubleValue <= abs(x.doubleValue) * 1e-24 { return unitOf(x) }
        }
        return unitOf(abs(fa.doubleValue) < abs(fb.doubleValue) ? a : b)
    }

    // MARK: charts

    /// Bars in the terminal's Unicode blocks, one per label, as long as
    /// its length (relative to the longest, at least `least` blocks), then its note.
    static func bars(_ labels: [String], _ lengths: [Double], notes: [String], title: String, least: Int = 0) -> String {
        let width = 40, top = lengths.map(abs).max() ?? 0
        let labelWidth = labels.map { DisplayWidth.of($0) }.max() ?? 0
        var lines = [title]
        for (k, l) in labels.enumerated() {
            let n = top > 0 ? Int((abs(lengths[k]) / top * Double(width)).rounded()) : 0
            lines.append(l.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + " │" + String(repeating: "█", count: max(n, least)) + " " + notes[k])
        }
        return lines.joined(separator: "\n")
    }

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A histogram as a standalone SVG: one bar per bin, counts up the side.
    static func histogramSVG(_ edges: [Double], _ counts: [Int], title: String, xLabel: String, format: (Double) -> String) -> String {
        let w = 640.0, h = 360.0, left = 60.0, right = 20.0, top = 40.0, bottom = 50.0
        let plotW = w - left - right, plotH = h - top - bottom
        let most = Double(counts.max() ?? 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<text x=\"\(w / 2)\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">\(escaped(title))</text>\n"
        let barW = plotW / Double(max(1, counts.count))
        for (i, c) in counts.enumerated() {
            let bh = most > 0 ? Double(c) / most * plotH : 0
            svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1f77b4\" stroke=\"white\"/>\n", left + Double(i) * barW, top + plotH - bh, barW, bh)
        }
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(left + plotW)\" y2=\"\(top + plotH)\" stroke=\"black\"/>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotH)\" stroke=\"black\"/>\n"
        for i in stride(from: 0, through: counts.count, by: max(1, counts.count / 5)) where i < edges.count {
            let x = left + Double(i) * barW
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x, top + plotH + 16) + escaped(format(edges[i])) + "</text>\n"
        }
        svg += "<text x=\"\(left - 8)\" y=\"\(top + 4)\" text-anchor=\"end\">\(Int(most))</text>\n"
        svg += "<text x=\"\(left - 8)\" y=\"\(top + plotH)\" text-anchor=\"end\">0</text>\n"
        svg += "<text x=\"\(left + plotW / 2)\" y=\"\(h - 10)\" text-anchor=\"middle\">\(escaped(xLabel))</text>\n"
        return svg + "</svg>\n"
    }

    /// A tornado chart as a standalone SVG: per input, a bar from the shown
    /// value at its 10th percentile to its 90th, around the base value.
    static func tornadoSVG(_ rows: [(input: String, low: Double, high: Double, base: Double, template: Value)], title: String, format: (Double) -> String) -> String {
        // Input names in a column of their own, then the low value, the bar and the high value.
        let w = 760.0, rowH = 34.0, left = 270.0, right = 110.0, top = 50.0
        let h = top + rowH * Double(rows.count) + 40
        let lo = rows.map { min($0.low, $0.high) }.min() ?? 0, hi = rows.map { max($0.low, $0.high) }.max() ?? 1
        let span = max(hi - lo, 1e-300)
        func x(_ v: Double) -> Double { left + (v - lo) / span * (w - left - right) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<text x=\"\(w / 2)\" y=\"26\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">\(escaped(title))</text>\n"
        for (i, r) in rows.enumerated() {
            let y = top + Double(i) * rowH
            let a = x(min(r.low, r.high)), b = x(max(r.low, r.high))
            svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#ff7f0e\"/>\n", a, y + 6, max(1, b - a), rowH - 12)
            svg += String(format: "<text x=\"12\" y=\"%.1f\">", y + rowH / 2 + 4) + escaped(r.input) + "</text>\n"
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", a - 4, y + rowH / 2 + 4) + escaped(format(r.low < r.high ? r.low : r.high)) + "</text>\n"
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\">", b + 4, y + rowH / 2 + 4) + escaped(format(r.low < r.high ? r.high : r.low)) + "</text>\n"
        }
        if let base = rows.first?.base {
            svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", x(base), top - 6, x(base), top + rowH * Double(rows.count))
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x(base), h - 14) + "base " + escaped(format(base)) + "</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// Shows a chart: inline where the host can (a notebook), else written
    /// to `svg` when given, else as text.
    static func show(text: String, svg: @autoclosure () -> String, path: Value, _ m: Machine) throws {
        if case .text(let p) = path {
            try m.writeText(p, svg())
        } else if let show = m.access.show {
            show(.svg(svg(), text: text))
        } else {
            m.access.output(text)
        }
    }

    /// A sample in the distribution's unit, compactly (`649.35B USD`).
    static func formatter(_ d: Distribution, _ m: Machine) -> (Double) -> String {
        { x in DisplayStyle.standard.text(.distribution(Distribution(samples: [x], template: d.template))).components(separatedBy: " (").first ?? "" }
    }

    static let functions: [Builtin] = [
        Builtin("uniform", [Parameter("low").accepting(.amount), Parameter("high").sameUnit(as: "low").above("low")], result: .sameAs("low"),
                doc: "an uncertain value, every value from low to high equally likely") { a, _ in
            let lo = try amount(a, "low"), hi = try amount(a, "high")
            guard hi > lo else { throw EvalError("uniform needs high above low") }
            return distribution(.uniform(low: lo, high: hi), like: a["low"])
        },
        Builtin("normal", [Parameter("mean").accepting(.amount), Parameter("sd").sameUnit(as: "mean").positiveOnly()], result: .sameAs("mean"),
                doc: "an uncertain value, normally distributed with this mean and standard deviation") { a, _ in
            let sd = try amount(a, "sd")
            guard sd > 0 else { throw EvalError("normal needs sd above zero") }
            return distribution(.normal(mean: try amount(a, "mean"), sd: sd), like: a["mean"])
        },
        Builtin("lognormal", [Parameter("low").accepting(.amount).positiveOnly(), Parameter("high").sameUnit(as: "low").above("low")],
                result: .sameAs("low"),
                doc: "an uncertain positive value with 90% of its weight between low and high (its 5th and 95th percentiles), as Squiggle's `low to high`") { a, _ in
            let lo = try amount(a, "low"), hi = try amount(a, "high")
            guard lo > 0, hi > lo else { throw EvalError("lognormal needs 0 < low < high (its 5th and 95th percentiles)") }
            return distribution(.lognormal(mu: (log(lo) + log(hi)) / 2, sigma: (log(hi) - log(lo)) / (2 * z90)), like: a["low"])
        },
        Builtin("triangular", [Parameter("low").accepting(.amount), Parameter("mode").sameUnit(as: "low"), Parameter("high").sameUnit(as: "low").above("low")],
                result: .sameAs("low"), doc: "an uncertain value from low to high, most likely near mode") { a, _ in
            let lo = try amount(a, "low"), c = try amount(a, "mode"), hi = try amount(a, "high")
            guard lo < hi, lo <= c, c <= hi else { throw EvalError("triangular needs low <= mode <= high and low < high") }
            return distribution(.triangular(low: lo, mode: c, high: hi), like: a["low"])
        },
        Builtin("choice", [Parameter("values").accepting(.list), Parameter.optional("weights")],
                doc: "an uncertain value, one of the values, with the weights' chances (equal when left out)") { a, _ in
            let values = try a.list("values")
            guard let first = values.first else { throw EvalError("choice needs at least one value") }
            let xs = try values.map { v -> Double in
                guard let x = Distribution.sample(v) else { throw EvalError("choice's values must be numbers or amounts, not \(Arithmetic.describe(v))") }
                _ = try Arithmetic.add(v, first)  // one unit for all
                return x
            }
            var weights = Array(repeating: 1.0, count: xs.count)
            if case .list(let w) = a["weights"] {
                guard w.count == xs.count else { throw EvalError("choice needs one weight per value (\(xs.count)), not \(w.count)") }
                weights = try w.map { v in
                    guard case .number(let d) = v, !d.isNegative else { throw EvalError("choice's weights must be numbers of zero or more") }
                    return d.doubleValue
                }
            }
            let total = weights.reduce(0, +)
            guard total > 0 else { throw EvalError("choice's weights must not all be zero") }
            var running = 0.0
            let cumulative = weights.map { running += $0 / total; return running }
            return distribution(.choice(values: xs, cumulative: cumulative), like: first)
        },
        Builtin("simulate", [Parameter("scenario").accepting(.model), Parameter("runs", default: .number(ExactDecimal(Sampler.defaultRuns))),
                             Parameter("seed", default: .text(Sampler.defaultSeed))],
                doc: "a scenario's fields over runs samples: each uncertain field as its samples, drawn reproducibly from the seed") { a, m in
            let obj = try ScenarioTools.model(a["scenario"], "simulate's scenario")
            guard case .number(let r) = a["runs"], let runs = r.intValue, runs >= 1, runs <= 10_000_000 else {
                throw EvalError("simulate's runs must be a whole number from 1 to 10,000,000")
            }
            try m.checkSize(runs)
            guard case .text(let seed) = a["seed"] else { throw EvalError("simulate's seed must be a text, e.g. \"kdk-2025\"") }
            return try simulate(obj, runs: runs, seed: seed, m)
        },
        Builtin("summary", [Parameter("x")], doc: "a distribution's mean, sd, and 5th, 25th, 50th, 75th and 95th percentiles, in its unit") { a, m in
            let (d, s) = try summary(a["x"], "summary", m)
            return .record(Record.make([("mean", d.value(s.mean)), ("sd", d.value(s.sd)), ("p5", d.value(s.percentile(0.05))),
                                        ("p25", d.value(s.percentile(0.25))), ("p50", d.value(s.percentile(0.5))),
                                        ("p75", d.value(s.percentile(0.75))), ("p95", d.value(s.percentile(0.95)))]))
        },
        Builtin("percentile", [Parameter("x"), Parameter("p")], doc: "the value below which a fraction p (0 to 1, or a percentage) of a distribution lies") { a, m in
            guard case .number(let p) = a["p"], p >= .zero, p <= ExactDecimal(1) else { throw EvalError("percentile's p must be from 0 to 1 (or 0% to 100%)") }
            let (d, s) = try summary(a["x"], "percentile", m)
            return d.value(s.percentile(p.doubleValue))
        },
        Builtin("samples", [Parameter("x")], doc: "a distribution's samples as a list (to write them out or check them elsewhere)") { a, m in
            let d = try uncertain(a["x"], "samples")
            let s = try samples(d, m)
            try m.checkSize(s.count)
            return .list(s.map { d.value($0) })
        },
        Builtin("prob", [Parameter("condition")], result: .plain, doc: "the chance that a condition on distributions holds: prob(sim.required_revenue > 650B USD)") { a, m in
            let d = try uncertain(a["condition"], "prob")
            guard d.isBool else { throw EvalError("prob takes a condition, such as x > 5, not \(Arithmetic.describe(a["condition"]))") }
            let s = try samples(d, m)
            return .number(ExactDecimal(s.reduce(0, +) / Double(max(1, s.count)), significantDigits: 15) ?? .zero)
        },
        Builtin("histogram", [Parameter("x"), Parameter("bins", default: .number(ExactDecimal(20))), Parameter.optional("title"), Parameter.optional("svg")],
                doc: "draw a distribution's samples in bins: bars in the terminal, SVG inline in a notebook or in a file (svg: \"out.svg\")") { a, m in
            let (d, s) = try summary(a["x"], "histogram", m)
            guard case .number(let b) = a["bins"], let bins = b.intValue, (1...200).contains(bins) else { throw EvalError("histogram's bins must be from 1 to 200") }
            let lo = s.sorted.first ?? 0, hi = s.sorted.last ?? 0
            let width = hi > lo ? (hi - lo) / Double(bins) : 1
            var counts = Array(repeating: 0, count: bins)
            for x in s.sorted { counts[min(bins - 1, max(0, Int((x - lo) / width)))] += 1 }
            let edges = (0...bins).map { lo + Double($0) * width }
            let format = formatter(d, m)
            let title: String = { if case .text(let t) = a["title"] { return t }; return "\(s.sorted.count) samples" }()
            let labels = (0..<bins).map { format(edges[$0]) }
            let text = bars(labels, counts.map(Double.init), notes: counts.map(String.init), title: title)
            try show(text: text, svg: histogramSVG(edges, counts, title: title, xLabel: d.unit.map { UnitRegistry.shared.name($0) } ?? "value", format: format), path: a["svg"], m)
            return .none
        },
        Builtin("tornado", [Parameter("scenario").accepting(.model), Parameter("show"), Parameter.optional("svg")],
                doc: "how much each uncertain input moves a field: swung from its 10th to its 90th percentile with the others at their medians, largest first") { a, m in
            let obj = try ScenarioTools.model(a["scenario"], "tornado's scenario")
            let show = try ScenarioTools.fieldName(a["show"])
            let rows = try tornado(obj, show: show, m)
            let sample = Distribution(samples: [0], template: rows[0].template)
            let format = formatter(sample, m)
            let text = bars(rows.map(\.input), rows.map { $0.high - $0.low }, notes: rows.map { "\(format($0.low)) to \(format($0.high))" },
                            title: "\(show) as each input swings from its 10th to its 90th percentile (base \(format(rows[0].base)))", least: 1)
            try Uncertainty.show(text: text, svg: tornadoSVG(rows, title: "\(show): each input from p10 to p90", format: format), path: a["svg"], m)
            return .list(rows.map { r in
                .record(Record.make([("input", .text(r.input)), ("at_p10", sample.value(r.low)), ("at_p90", sample.value(r.high)),
                                     ("swing", sample.value(abs(r.high - r.low)))]))
            })
        },
        Builtin("solve", [Parameter("scenario").accepting(.model), Parameter("vary"), Parameter("show"), Parameter("equals")],
                doc: "goal seek: the value of the field `vary` for which the field `show` equals the target") { a, m in
            let obj = try ScenarioTools.model(a["scenario"], "solve's scenario")
            return try solve(obj, vary: try ScenarioTools.fieldName(a["vary"]), show: try ScenarioTools.fieldName(a["show"]), target: a["equals"], m)
        },
        Builtin("correlate", [Parameter("inputs").accepting(.list), Parameter("matrix").accepting(.list)],
                doc: "the inputs (distributions) drawn with these rank correlations (Iman–Conover), in the same order") { a, _ in
            let inputs = try a.list("inputs").map { v -> Distribution in
                guard case .distribution(let d) = v, d.kind != nil else { throw EvalError("correlate takes inputs such as normal(10%, 1%), not \(Arithmetic.describe(v))") }
                return d
            }
            let rows = try a.list("matrix").map { row -> [Double] in
                try ModelSupport.list(row, "each row of the matrix").map { v in
                    guard case .number(let d) = v else { throw EvalError("correlations are numbers from -1 to 1") }
                    return d.doubleValue
                }
            }
            guard rows.count == inputs.count, rows.allSatisfy({ $0.count == inputs.count }) else {
                throw EvalError("correlate needs a \(inputs.count) × \(inputs.count) matrix, one row and column per input")
            }
            guard (0..<rows.count).allSatisfy({ rows[$0][$0] == 1 }), rows.joined().allSatisfy({ abs($0) <= 1 }), Sampler.cholesky(rows) != nil else {
                throw EvalError("correlate's matrix must be symmetric, with 1 on the diagonal, correlations from -1 to 1, and positive definite")
            }
            let group = CorrelatedGroup(inputs: inputs, matrix: rows)
            return .list(inputs.indices.map { .distribution(Distribution(correlated: group, index: $0)) })
        },
    ]
}
