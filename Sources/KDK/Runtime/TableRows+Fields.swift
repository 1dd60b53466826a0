import Foundation

/// A model's own work over a table's columns (a launchpad's allocation):
/// reading a field as numbers or as groups without making a record per
/// row, and giving rows back with fields added as a new table whose other
/// columns are views of this one's.
extension TableRows {
    /// The entries' field `name` as numbers (0 where it is none) and their
    /// unit (nil for plain numbers); nil unless the table keeps the field
    /// as a column of numbers.
    public func numbers(_ name: String) -> (values: [ExactDecimal], unit: UnitID?)? {
        guard let c = table.shape.slot(name) else { return nil }
        switch table.columns[c] {
        case .integers(let xs, let ok):
            return (rows.map { ok[$0] ? ExactDecimal(Int(xs[$0])) : .zero }, nil)
        case .decimals(let xs, let unit, let ok):
            return (rows.map { ok[$0] ? xs[$0] : .zero }, unit)
        default:
            return nil
        }
    }

    /// The entries' field `name` as 64-bit integers that order as its
    /// values do: whole numbers; times as seconds, then nanoseconds (left out
    /// when every time is on a whole second: they would never decide); dates
    /// as days. Nil unless the table keeps the field as such a column with
    /// no none (a leaderboard's tie-break columns, read without a value per row).
    public func integers(_ name: String) -> [[Int64]]? { integerColumns(name)?.map { $0() } }

    /// The same columns, each made when called: a leaderboard's sort reads
    /// them one at a time (two at once were 80 MB more at ten million entries).
    public func integerColumns(_ name: String) -> [@Sendable () -> [Int64]]? {
        guard let c = table.shape.slot(name) else { return nil }
        let rows = self.rows
        switch table.columns[c] {
        case .integers(let xs, let ok) where !ok.anyNone: return [{ rows.map { xs[$0] } }]
        case .times(let xs, let ok) where !ok.anyNone:
            let seconds: @Sendable () -> [Int64] = { rows.map { xs.seconds[$0] } }
            return xs.onWholeSeconds ? [seconds] : [seconds, { rows.map { Int64(xs[$0].nanos) } }]
        case .dates(let xs, let ok) where !ok.anyNone: return [{ rows.map { xs[$0].days } }]
        default: return nil
        }
    }

    /// The entries grouped by field `name`, a text in every row: each
    /// entry's group (numbered in order of first appearance) and each
    /// group's first entry. Texts are one group when kdk's `==` has them
    /// equal: ASCII texts by their bytes, others as Swift strings (so
    /// canonically equivalent spellings are one). Nil unless the table
    /// keeps the field as a text column with no none. The groups are 32-bit
    /// (five million of them as `Int`s were 40 MB more at an award's peak).
    /// `firsts`: whether to list each group's first entry (else `first` is
    /// empty, and `count` says how many groups).
    public func groups(by name: String, firsts: Bool = true) -> (group: [Int32], first: [Int], count: Int)? {
        guard let c = table.shape.slot(name), rows.count < Int(Int32.max) else { return nil }
        var group = [Int32](), first = [Int](), count = 0
        group.reserveCapacity(rows.count)
        func newGroup(_ k: Int) -> Int32 {
            if firsts { first.append(k) }
            count += 1
            return Int32(count - 1)
        }
        switch table.columns[c] {
        case .text(let buffer, let ok) where !ok.anyNone:
            let ascii = buffer.bytes.withUnsafeBufferPointer { TextBytes.isASCII($0) }
            if ascii {
                // Codes come in order of first appearance, as groups do: a
                // row's code is its group.
                var interner = ByteInterner(buffer, limit: .max, expected: rows.count / 2)
                let coded = interner.codes(rows) { code in
                    if code == count { _ = newGroup(group.count) }
                    group.append(Int32(code))
                }
                guard coded else { return nil }
            } else {
                var index: [String: Int32] = [:]
                for (k, r) in rows.enumerated() {
                    let text = buffer.text(r)
                    if let g = index[text] { group.append(g); continue }
                    let g = newGroup(k)
                    index[text] = g
                    group.append(g)
                }
            }
        case .codes(let codes, let texts, let ok) where !ok.anyNone:
            var index: [String: Int32] = [:]
            var groupOfCode = [Int32](repeating: -1, count: texts.count)
            for (k, r) in rows.enumerated() {
                let code = Int(codes[r])
                if groupOfCode[code] < 0 {
                    if let g = index[texts[code]] {
                        groupOfCode[code] = g
                    } else {
                        let g = newGroup(k)
                        index[texts[code]] = g
                        groupOfCode[code] = g
                    }
                }
                group.append(groupOfCode[code])
            }
        default:
            return nil
        }
        return (group, first, count)
    }

    /// The entries at `picks` (indexes into the entries), each with
    /// `fields` replacing its field of the same name or added after the
    /// others, as the rows of a new table: the entries' own columns are
    /// views (`Column.picked`), so no row is copied.
    public func rows(at picks: [Int], with fields: [(String, NewColumn)]) -> [Value] {
        let base = table, baseRows = RowNumbers(picks.lazy.map { rows[$0] })
        var names = base.shape.names
        var columns = (0..<base.columns.count).map { Column.picked(base, $0, baseRows) }
        for (name, new) in fields {
            let column = new.column
            if let i = names.firstIndex(of: name) { columns[i] = column } else { names.append(name); columns.append(column) }
        }
        return ColumnTable(shape: .of(names), columns: columns, count: picks.count).rows
    }
}

/// A field's values for `TableRows.rows(at:with:)`, one per row.
public enum NewColumn: Sendable {
    /// Amounts of one unit, or plain numbers (nil unit).
    case amounts([ExactDecimal], UnitID?)
    case values([Value])

    /// Row `k`'s value.
    public func value(_ k: Int) -> Value {
        switch self {
        case .amounts(let xs, let unit): return unit.map { .quantity(xs[k], $0) } ?? .number(xs[k])
        case .values(let xs): return xs[k]
        }
    }

    var column: Column {
        switch self {
        case .amounts(let xs, let unit): return .decimals(xs, unit: unit, Validity(allPresent: xs.count))
        case .values(let xs): return .values(xs)
        }
    }
}
