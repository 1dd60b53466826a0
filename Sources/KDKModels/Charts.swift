import Foundation
import KDK

/// Charts of series and tables: horizontal bars in the terminal (Unicode
/// blocks, with the unit and a legend), or a standalone SVG line chart with a
/// title, axes and a legend.
public enum Charts {
    struct Series { var name: String; var values: [Double?] }

    static func prepare(_ data: Value, x: Value, y: Value) throws -> (labels: [String], series: [Series], unit: String, xName: String) {
        let rows = try ModelSupport.list(data, "chart's data").map { try ModelSupport.record($0, "chart's data") }
        guard let first = rows.first else { throw EvalError("chart: there is nothing to draw") }
        let xName: String
        if case .text(let s) = x { xName = s } else { xName = first.shape.names[0] }
        var yNames: [String]
        switch y {
        case .text(let s): yNames = [s]
        case .list(let l): yNames = try l.map { guard case .text(let s) = $0 else { throw EvalError("chart's y must name fields") }; return s }
        default:
            yNames = first.shape.names.filter { n in
                guard n != xName else { return false }
                switch first[n] { case .number?, .quantity?: return true; default: return false }
            }
        }
        guard !yNames.isEmpty else { throw EvalError("chart: no number fields to draw", help: "name them with y: [\"field\"]") }
        var unit = ""
        let series = try yNames.map { n -> Series in
            Series(name: n, values: try rows.map { r -> Double? in
                switch r[n] {
                case .number(let d)?: return d.doubleValue
                case .quantity(let d, let u)?:
                    let name = UnitRegistry.shared.name(u)
                    if unit.isEmpty { unit = name } else if unit != name {
                        throw EvalError("chart: the series are in different units (\(unit), \(name))")
                    }
                    return d.doubleValue
                case .none?, nil: return nil
                default: throw EvalError("chart: '\(n)' is not a number in every row")
                }
            })
        }
        let labels = rows.map { ($0[xName] ?? .none).plain }
        return (labels, series, unit, xName)
    }

    /// 650000000000 as 650B, for axes and bar labels.
    static func short(_ v: Double) -> String {
        let a = abs(v)
        for (s, p) in [("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)] where a >= p {
            return trim(v / p) + s
        }
        return trim(v)
    }

    static func trim(_ v: Double) -> String {
        var s = String(format: "%.2f", v)
        while s.contains(".") && (s.hasSuffix("0") || s.hasSuffix(".")) { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    static let glyphs = ["█", "▓", "▒", "░"]

    static func terminal(_ p: (labels: [String], series: [Series], unit: String, xName: String), title: String?) -> String {
        let width = 50
        let maxV = p.series.flatMap { $0.values.compactMap { $0 } }.map { abs($0) }.max() ?? 1
        let labelW = p.labels.map { DisplayWidth.of($0) }.max() ?? 1
        var lines: [String] = []
        if let title { lines.append(title) }
        let unitText = p.unit.isEmpty ? "" : " (\(p.unit))"
        lines.append(String(repeating: " ", count: labelW) + "   " + p.series.map { $0.name }.joined(separator: ", ") + unitText)
        for (i, label) in p.labels.enumerated() {
            for (k, s) in p.series.enumerated() {
                let head = k == 0 ? label + String(repeating: " ", count: labelW - DisplayWidth.of(label)) : String(repeating: " ", count: labelW)
                guard let v = s.values[i] else { lines.append("\(head) │ (none)"); continue }
                let n = maxV > 0 ? Int((abs(v) / maxV * Double(width)).rounded()) : 0
                let bar = String(repeating: glyphs[k % glyphs.count], count: max(n, v == 0 ? 0 : 1))
                lines.append("\(head) │\(bar) \(v < 0 ? "-" : "")\(short(abs(v)))")
            }
        }
        lines.append(String(repeating: " ", count: labelW) + " └" + String(repeating: "─", count: width))
        lines.append(String(repeating: " ", count: labelW) + "  0" + String(repeating: " ", count: max(1, width - 1 - short(maxV).count)) + short(maxV))
        if p.series.count > 1 {
            lines.append("legend: " + p.series.enumerated().map { "\(glyphs[$0.offset % glyphs.count]) \($0.element.name)" }.joined(separator: "   "))
        }
        return lines.joined(separator: "\n")
    }

    static func xml(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]

    /// A standalone SVG line chart.
    static func svg(_ p: (labels: [String], series: [Series], unit: String, xName: String), title: String) -> String {
        let w = 760.0, h = 440.0, left = 90.0, right = 30.0, top = 60.0, bottom = 70.0
        let all = p.series.flatMap { $0.values.compactMap { $0 } }
        var lo = min(0, all.min() ?? 0), hi = max(all.max() ?? 1, lo + 1)
        // Round the axis to a "nice" step.
        let rawStep = (hi - lo) / 5
        let mag = pow(10, floor(log10(rawStep)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= rawStep } ?? rawStep
        lo = floor(lo / step) * step
        hi = ceil(hi / step) * step
        let n = max(p.labels.count, 1)
        func x(_ i: Int) -> Double { left + (n == 1 ? (w - left - right) / 2 : Double(i) * (w - left - right) / Double(n - 1)) }
        func y(_ v: Double) -> Double { top + (hi - v) / (hi - lo) * (h - top - bottom) }
        var s = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(w))" height="\(Int(h))" viewBox="0 0 \(Int(w)) \(Int(h))" font-family="Helvetica, Arial, sans-serif">
        <rect x="0" y="0" width="\(Int(w))" height="\(Int(h))" fill="white"/>
        <text x="\(Int(w / 2))" y="30" text-anchor="middle" font-size="18" font-weight="bold">\(xml(title))</text>

        """
        var v = lo
        while v <= hi + step / 2 {
            let yy = y(v)
            s += "<line x1=\"\(left)\" y1=\"\(yy)\" x2=\"\(w - right)\" y2=\"\(yy)\" stroke=\"#ddd\"/>\n"
            s += "<text x=\"\(left - 8)\" y=\"\(yy + 4)\" text-anchor=\"end\" font-size=\"12\">\(xml(short(v)))</text>\n"
            v += step
        }
        s += "<line x1=\"\(left)\" y1=\"\(y(lo))\" x2=\"\(w - right)\" y2=\"\(y(lo))\" stroke=\"black\"/>\n"
        s += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(h - bottom)\" stroke=\"black\"/>\n"
        for (i, label) in p.labels.enumerated() {
            s += "<text x=\"\(x(i))\" y=\"\(h - bottom + 20)\" text-anchor=\"middle\" font-size=\"12\">\(xml(label))</text>\n"
        }
        s += "<text x=\"\((left + w - right) / 2)\" y=\"\(h - 20)\" text-anchor=\"middle\" font-size=\"13\">\(xml(p.xName))</text>\n"
        if !p.unit.isEmpty {
            s += "<text x=\"20\" y=\"\((top + h - bottom) / 2)\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 20 \((top + h - bottom) / 2))\">\(xml(p.unit))</text>\n"
        }
        for (k, series) in p.series.enumerated() {
            let color = colors[k % colors.count]
            let points = series.values.enumerated().compactMap { i, v in v.map { "\(x(i)),\(y($0))" } }
            s += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2.5\" points=\"\(points.joined(separator: " "))\"/>\n"
            for (i, v) in series.values.enumerated() { if let v { s += "<circle cx=\"\(x(i))\" cy=\"\(y(v))\" r=\"3.5\" fill=\"\(color)\"/>\n" } }
            let ly = top + 8 + Double(k) * 20
            s += "<rect x=\"\(w - right - 190)\" y=\"\(ly - 10)\" width=\"14\" height=\"4\" fill=\"\(color)\"/>\n"
            s += "<text x=\"\(w - right - 170)\" y=\"\(ly - 4)\" font-size=\"13\">\(xml(series.name))</text>\n"
        }
        return s + "</svg>\n"
    }

    static let functions: [Builtin] = [
        Builtin("chart", [Parameter("data").accepting(.list), Parameter.optional("x"), Parameter.optional("y"), Parameter.optional("title"), Parameter.optional("svg")],
                doc: "draw a series or table: bars in the terminal, or a line chart in an SVG file (svg: \"out.svg\")") { a, m in
            let p = try prepare(a["data"], x: a["x"], y: a["y"])
            let title: String? = { if case .text(let t) = a["title"] { return t }; return nil }()
            if case .text(let path) = a["svg"] {
                try m.writeText(path, svg(p, title: title ?? p.series.map { $0.name }.joined(separator: " and ")))
                return .none
            }
            let text = terminal(p, title: title)
            if let show = m.access.show {
                show(.svg(svg(p, title: title ?? p.series.map { $0.name }.joined(separator: " and ")), text: text))
            } else {
                m.access.output(text)
            }
            return .none
        },
    ]
}
