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
        case .distribution(let d):
            // Not a literal that parses back: a summary, to 4 significant digits.
            return "<distribution " + d.described(digits: 4) { $0.literal() } + ">"
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
        backslashed(s, quote: "\"", control: control)
    }

    /// `s` between `quote`s, with the quote, `\\`, `\n`, `\t` and `\r` escaped
    /// by a backslash: kdk and JSON strings (`"`), and the SQL of engines
    /// that read backslash escapes (Spark, BigQuery: `'` and `` ` ``).
    /// `control` spells any other scalar that must be escaped.
    public static func backslashed(_ s: String, quote: Unicode.Scalar, control: (Unicode.Scalar) -> String?) -> String {
        var out = String(quote)
        for c in s.unicodeScalars {
            switch c {
            case quote: out += "\\" + String(quote)
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if let e = control(c) { out += e } else { out.unicodeScalars.append(c) }
            }
        }
        return out + String(quote)
    }

    static func fieldName(_ n: String) -> String {
        let ok = !n.isEmpty && n.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0) }
            && !("0"..."9").contains(n.unicodeScalars.first!)
        return ok ? n : quote(n)
    }

    /// For the top level of `kdk run` and the REPL: a non-empty list of
    /// records becomes an aligned table (at most `width` columns wide, when
    /// given); other values are `shown`.
    public func display(maxRows: Int = 40, style: DisplayStyle = .standard, width: Int? = nil) -> String {
        if let rows = tableRows { return Table.render(rows, maxRows: maxRows, style: style, width: width) }
        return style.text(self)
    }

    /// The records of a non-empty list of records, which people see as a table.
    public var tableRows: [Record]? {
        guard case .list(let items) = self, !items.isEmpty else { return nil }
        var rows: [Record] = []
        rows.reserveCapacity(items.count)
        for v in items {
            guard case .record(let r) = v else { return nil }
            rows.append(r)
        }
        return rows
    }

    /// One value for people, as interpolation and `print` write it: a text
    /// as it is, a quantity grouped at its display decimals, a percentage as
    /// one, anything else as its literal.
    public func shown(_ style: DisplayStyle = .standard) -> String {
        if case .text(let s) = self { return s }
        return style.text(self)
    }
}

/// Tables for people: aligned text (wide characters counting as two
/// columns) and HTML (a notebook's), with the same columns and cells.
public enum Table {
    /// The widest a text cell is shown in a table cut to a width.
    static let widestCell = 40

    /// Rows as an aligned table, the middle elided past `maxRows`. Given a
    /// `width` (a terminal's), no line is wider: long text cells are cut with
    /// "…", and the columns that still do not fit are left out with a note
    /// naming them.
    public static func render(_ rows: [Record], maxRows: Int = 40, style: DisplayStyle = .standard, width limit: Int? = nil) -> String {
        var columns = names(rows)
        let shown = elided(rows, maxRows)
        var cells: [[String]?] = shown.map { r in r.map { rec in columns.map { c in rec[c].map { cell($0, style) } ?? "" } } }
        var numeric = columns.map { c in isNumeric(c, shown.compactMap { $0 }) }
        var width = columns.indices.map { i in cells.reduce(DisplayWidth.of(columns[i])) { w, row in max(w, row.map { DisplayWidth.of($0[i]) } ?? 0) } }
        var left: [String] = []
        if let limit {
            // Long texts first: cut to `widestCell` (numbers are never cut).
            if width.reduce(0, +) + 2 * (columns.count - 1) > limit {
                for i in columns.indices where !numeric[i] && width[i] > widestCell {
                    width[i] = max(widestCell, DisplayWidth.of(columns[i]))
                    for r in cells.indices {
                        guard var row = cells[r] else { continue }
                        row[i] = DisplayWidth.cut(row[i], to: width[i])
                        cells[r] = row
                    }
                }
            }
            // Then the last columns, while the line is too wide (one column always stays).
            while columns.count > 1, width.reduce(0, +) + 2 * (columns.count - 1) > limit {
                left.insert(columns.removeLast(), at: 0)
                width.removeLast()
                numeric.removeLast()
                for r in cells.indices { cells[r]?.removeLast() }
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
        if !left.isEmpty {
            let note = "… \(left.count) more column\(left.count == 1 ? "" : "s"): " + left.joined(separator: ", ")
            lines.append(limit.map { DisplayWidth.cut(note, to: $0) } ?? note)
        }
        return lines.map { $0.replacingTrailingSpaces() }.joined(separator: "\n")
    }

    /// Rows as an HTML table (a notebook shows it), at most `maxRows` of
    /// them with a note saying how many there are; cells as the text table
    /// has them, escaped, numbers aligned right.
    public static func html(_ rows: [Record], maxRows: Int = 50, style: DisplayStyle = .standard) -> String {
        let columns = names(rows)
        func escaped(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let shown = rows.prefix(maxRows)
        // A column of numbers (and blanks) is aligned right, header and all, as in the text table.
        let align = columns.map { isNumeric($0, Array(shown)) ? "right" : "left" }
        var out = "<table class=\"kdk\">\n<thead><tr>"
            + zip(columns, align).map { "<th style=\"text-align:\($1)\">\(escaped($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for r in shown {
            out += "<tr>" + zip(columns, align).map { c, a in "<td style=\"text-align:\(a)\">" + escaped(cell(r[c] ?? .none, style)) + "</td>" }.joined() + "</tr>\n"
        }
        out += "</tbody>\n</table>"
        if rows.count > maxRows { out += "\n<p>showing \(maxRows) of \(rows.count) rows</p>" }
        return out
    }

    /// Whether a column holds only numbers and amounts (or nothing): it is
    /// aligned right, heading and all.
    static func isNumeric(_ column: String, _ rows: [Record]) -> Bool {
        rows.allSatisfy { r in
            switch r[column] {
            case .number?, .quantity?, .none?, nil: return true
            default: return false
            }
        }
    }

    /// The column names: every field of the first thousand rows, in order of appearance.
    public static func names(_ rows: [Record]) -> [String] {
        var columns: [String] = []
        var seen = Set<String>()
        for r in rows.prefix(1000) { for n in r.shape.names where !seen.contains(n) { seen.insert(n); columns.append(n) } }
        return columns
    }

    /// The rows shown: all, or the first and last halves of `maxRows` with nil between.
    static func elided(_ rows: [Record], _ maxRows: Int) -> [Record?] {
        guard rows.count > maxRows else { return rows }
        let head = maxRows / 2, tail = maxRows - head
        return rows.prefix(head).map { $0 } + [nil] + rows.suffix(tail).map { $0 }
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
