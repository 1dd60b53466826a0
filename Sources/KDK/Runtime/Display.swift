/// How values are shown. Two forms:
/// - the literal (`literal()`, what `kdk eval` and `text(x)` give): kdk's own
///   syntax, so it can be pasted back into a program (`649350649350.6493506 USD`,
///   `10%`);
/// - for people (`display(style:)`, `shown(_:)`: `kdk run`, the REPL, tables,
///   `print` and interpolation): quantities grouped at their unit's display
///   decimals (`649,350,649,350.65 USD`), percentages as percentages, lists
///   of records as tables.
extension Value: CustomStringConvertible {
    /// The value as a kdk literal.
    public var description: String { literal() }

    /// The value written as a kdk literal (`[1, 2.5, "a"]`, `2000 KDK`).
    public func literal(depth: Int = 0) -> String {
        if depth > 64 { return "…" }
        switch self {
        case .none: return "none"
        case .bool(let b): return b ? "true" : "false"
        case .number(let d):
            // `10%` parses back to the same value, percentage mark included.
            if d.isPercent, !d.isZero {
                let scaled = ExactDecimal(coefficient: d.coefficient, exponent: d.exponent + 2).description
                if !scaled.contains("e") { return scaled + "%" }
            }
            return d.description
        case .quantity(let d, let u): return "\(d) \(UnitRegistry.shared.name(u))"
        case .text(let s): return Value.quote(s)
        case .time(let t): return Calendar.format(t)
        case .date(let d): return Calendar.format(date: d)
        case .list(let items):
            var s = "["
            for (i, v) in items.enumerated() {
                if i > 0 { s += ", " }
                if s.utf8.count > 100_000 { s += "… \(items.count - i) more"; break }
                s += v.literal(depth: depth + 1)
            }
            return s + "]"
        case .record(let r):
            if r.count == 0 { return "{}" }
            return "{" + r.fields.map { "\(Value.fieldName($0.0)): \($0.1.literal(depth: depth + 1))" }.joined(separator: ", ") + "}"
        case .range(let r):
            return "\(r.lower.literal(depth: depth + 1))\(r.closed ? "..." : "..<")\(r.upper.literal(depth: depth + 1))"
        case .function(let f):
            return "<fn \(f.name)(\(f.paramNames.joined(separator: ", ")))>"
        case .model(let m):
            return "<\(m.kind.name) \(m.name)>"
        }
    }

    /// The value as text for interpolation and `print`: texts without quotes.
    public var plain: String {
        if case .text(let s) = self { return s }
        return literal()
    }

    /// A kdk text literal: `\u{7}` for other control characters.
    static func quote(_ s: String) -> String {
        escaped(s) { c in c.value < 0x20 || c.value == 0x7F ? "\\u{\(String(c.value, radix: 16))}" : nil }
    }

    /// `s` in double quotes with `" \\ \n \t \r` escaped (the same in kdk and
    /// JSON); `control` spells any other scalar that must be escaped.
    static func escaped(_ s: String, control: (Unicode.Scalar) -> String?) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if let e = control(c) { out += e } else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }

    static func fieldName(_ n: String) -> String {
        let ok = !n.isEmpty && n.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0) }
            && !("0"..."9").contains(n.unicodeScalars.first!)
        return ok ? n : quote(n)
    }

    /// For the top level of `kdk run` and the REPL: a non-empty list of
    /// records becomes an aligned table; other values are `shown`.
    public func display(maxRows: Int = 40, style: DisplayStyle = .standard) -> String {
        if case .list(let items) = self, !items.isEmpty,
           items.allSatisfy({ if case .record = $0 { return true }; return false }) {
            return Table.render(items.compactMap { if case .record(let r) = $0 { return r }; return nil }, maxRows: maxRows, style: style)
        }
        return style.text(self)
    }

    /// One value for people, as interpolation and `print` write it: a text
    /// as it is, a quantity grouped at its display decimals, a percentage as
    /// one, anything else as its literal.
    public func shown(_ style: DisplayStyle = .standard) -> String {
        if case .text(let s) = self { return s }
        return style.text(self)
    }
}

/// Aligned text tables, counting wide characters as two columns.
public enum Table {
    /// Rows as an aligned table, the middle elided past `maxRows`.
    public static func render(_ rows: [Record], maxRows: Int = 40, style: DisplayStyle = .standard) -> String {
        var columns: [String] = []
        var seen = Set<String>()
        for r in rows.prefix(1000) { for n in r.shape.names where !seen.contains(n) { seen.insert(n); columns.append(n) } }
        var shown: [Record?] = []
        if rows.count > maxRows {
            let head = maxRows / 2, tail = maxRows - head
            shown = rows.prefix(head).map { $0 } + [nil] + rows.suffix(tail).map { $0 }
        } else {
            shown = rows
        }
        let cells: [[String]?] = shown.map { r in r.map { rec in columns.map { c in rec[c].map { cell($0, style) } ?? "" } } }
        var width = columns.map { DisplayWidth.of($0) }
        var numeric = Array(repeating: true, count: columns.count)
        for row in cells { guard let row else { continue }
            for (i, c) in row.enumerated() { width[i] = max(width[i], DisplayWidth.of(c)) }
        }
        for r in shown { guard let r else { continue }
            for (i, c) in columns.enumerated() {
                switch r[c] {
                case .number?, .quantity?, .none?, nil: break
                default: numeric[i] = false
                }
            }
        }
        func pad(_ s: String, _ i: Int) -> String {
            let fill = String(repeating: " ", count: max(0, width[i] - DisplayWidth.of(s)))
            return numeric[i] ? fill + s : s + fill
        }
        var lines: [String] = []
        lines.append(columns.enumerated().map { pad($0.1, $0.0) }.joined(separator: "  "))
        lines.append(width.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        for row in cells {
            if let row {
                lines.append(row.enumerated().map { pad($0.1, $0.0) }.joined(separator: "  "))
            } else {
                lines.append("… \(rows.count - maxRows) more rows")
            }
        }
        return lines.map { $0.replacingTrailingSpaces() }.joined(separator: "\n")
    }

    static func cell(_ v: Value, _ style: DisplayStyle) -> String {
        switch v {
        case .none: return ""
        case .text(let s): return s.replacingOccurrences(of: "\n", with: "⏎")
        default: return style.text(v)
        }
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}

import Foundation
