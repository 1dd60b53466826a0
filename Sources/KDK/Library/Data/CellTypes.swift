/// The types a CSV column can have, inferred from every cell of the column
/// or declared with `read_csv(path, types: {...})`.
enum CellType: Equatable {
    case number, bool, time, date, text
    case quantity(UnitID)

    var name: String {
        switch self {
        case .number: return "number"
        case .bool: return "bool"
        case .time: return "time"
        case .date: return "date"
        case .text: return "text"
        case .quantity(let u): return "amount in \(UnitRegistry.shared.name(u))"
        }
    }

    /// "a" or "an", for messages.
    var article: String { if case .quantity = self { return "an" }; return "a" }

    /// From a `types:` entry: "number", "text", ... or a unit value (`KDK`).
    init?(_ v: Value) {
        switch v {
        case .text(let s):
            switch s {
            case "number": self = .number
            case "bool": self = .bool
            case "time": self = .time
            case "date": self = .date
            case "text": self = .text
            default: return nil
            }
        case .quantity(_, let u): self = .quantity(u)
        default: return nil
        }
    }

    /// Inference tries these in order; a column is the first type every
    /// non-empty cell fits, else text.
    static let inferred: [CellType] = [.number, .bool, .date, .time]

    /// A whole number of up to 18 digits (`-12`), the common case, read
    /// from the bytes without the general parser; nil for anything else.
    static func wholeNumber(_ u: UnsafeBufferPointer<UInt8>) -> ExactDecimal? {
        wholeInteger(u).map { ExactDecimal(coefficient: Int128($0), exponent: 0) }
    }

    /// `wholeNumber`'s number as a 64-bit integer. Eighteen digits cannot
    /// overflow, so the digits are added without overflow checks.
    @inline(__always)
    static func wholeInteger(_ u: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let p = u.baseAddress else { return nil }
        let neg = u.count > 0 && p[0] == UInt8(ascii: "-")
        var k = neg ? 1 : 0
        guard u.count > k, u.count - k <= 18 else { return nil }
        var v: Int64 = 0
        while k < u.count {
            let d = p[k] &- 48
            guard d < 10 else { return nil }
            v = v &* 10 &+ Int64(d)
            k += 1
        }
        return neg ? -v : v
    }

    /// `true` or `false` in any case (`TRUE`, `False`); nil for anything else.
    /// Bytes compared as ASCII: no other character lower-cases into these.
    static func boolean(_ u: UnsafeBufferPointer<UInt8>) -> Bool? {
        func isWord(_ w: StaticString) -> Bool {
            guard u.count == w.utf8CodeUnitCount else { return false }
            for k in 0..<u.count where u[k] | 0x20 != w.utf8Start[k] { return false }
            return true
        }
        if isWord("true") { return true }
        if isWord("false") { return false }
        return nil
    }

    /// `parseQuickly` of a cell's bytes, appended to `column`; false,
    /// appending nothing, when only `parse` can tell. Whole numbers and bools
    /// and usual times go straight into the column's array, with no `Value`
    /// made of each.
    @inline(__always)
    func appendQuickly(_ u: UnsafeBufferPointer<UInt8>, to column: inout ColumnBuilder) -> Bool {
        switch self {
        case .number:
            guard let i = CellType.wholeInteger(u) else { return false }
            column.append(whole: i)
        case .bool:
            guard let x = CellType.boolean(u) else { return false }
            column.append(bool: x)
        case .time:
            guard let t = Calendar.quickInstant(u) else { return parseQuickly(u).map { column.append($0) } != nil }
            column.append(time: t)
        default:
            guard let v = parseQuickly(u) else { return false }
            column.append(v)
        }
        return true
    }

    /// What `parse` gives for a cell's bytes, for the cells read without
    /// making a String (whole numbers, bools, dates and times that read);
    /// nil when only `parse` can tell.
    func parseQuickly(_ u: UnsafeBufferPointer<UInt8>) -> Value? {
        switch self {
        case .number: return CellType.wholeNumber(u).map { .number($0) }
        case .quantity(let unit): return CellType.wholeNumber(u).map { .quantity($0, unit) }
        case .bool: return CellType.boolean(u).map { .bool($0) }
        case .date:
            guard u.count == 10, case .date(let d)? = try? Calendar.parse(bytes: u, "") else { return nil }
            return .date(d)
        case .time:
            guard u.count > 10, case .time(let t)? = try? Calendar.parse(bytes: u, "") else { return nil }
            return .time(t)
        case .text: return nil
        }
    }

    /// A plain decimal: `-12`, `3.50`, `1e6` (no `_`, no `+`, no suffixes).
    static func number(_ s: String) -> ExactDecimal? {
        if let d = TextBytes.withBytes(s, wholeNumber) { return d }
        var sawDigit = false
        var prev: UInt8 = 0
        for (k, c) in s.utf8.enumerated() {
            switch c {
            case 48...57: sawDigit = true
            case UInt8(ascii: "-"), UInt8(ascii: "+"):
                // A sign may start the number (minus only) or follow the exponent's e.
                let afterE = prev == UInt8(ascii: "e") || prev == UInt8(ascii: "E")
                if !(afterE || (k == 0 && c == UInt8(ascii: "-"))) { return nil }
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): break
            default: return nil
            }
            prev = c
        }
        guard sawDigit, s.utf8.count <= 60 else { return nil }
        return ExactDecimal(parsing: Substring(s))
    }

    /// A number written with thousands separators, `1,234,567.50`: the
    /// commas must group the whole part in threes. For columns typed number
    /// or a unit (inference never reads "1,000" as a number).
    static func groupedNumber(_ s: String) -> ExactDecimal? {
        let t = s.trimmingCharacters(in: .whitespaces)
        guard t.contains(",") else { return nil }
        let signless = t.hasPrefix("-") ? t.dropFirst() : Substring(t)
        let whole = signless.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        guard let first = groups.first, (1...3).contains(first.count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        return number(t.replacingOccurrences(of: ",", with: ""))
    }

    /// How a file's cells are read beyond the strict defaults.
    struct Reading {
        /// The UTC offset (`+08:00`) for times written without one.
        var offset: String? = nil
        /// Numbers may have thousands separators (declared columns only).
        var grouped = false
    }

    func parse(_ s: String, _ how: Reading) -> Value? {
        if let v = parse(s) { return v }
        switch self {
        case .number where how.grouped: return CellType.groupedNumber(s).map { .number($0) }
        case .quantity(let u) where how.grouped:
            let name = UnitRegistry.shared.name(u)
            let t = s.trimmingCharacters(in: .whitespaces)
            return CellType.groupedNumber(t.hasSuffix(" " + name) ? String(t.dropLast(name.utf8.count + 1)) : t).map { .quantity($0, u) }
        case .time:
            guard let offset = how.offset, s.utf8.count > 10, case .time(let t)? = try? Calendar.parse(Substring(s + offset)) else { return nil }
            return .time(t)
        default: return nil
        }
    }

    func parse(_ s: String) -> Value? {
        switch self {
        case .text: return .text(s)
        case .number: return CellType.number(s).map { .number($0) }
        case .bool: return TextBytes.withBytes(s, CellType.boolean).map { .bool($0) }
        case .date:
            guard s.utf8.count == 10, case .date(let d)? = try? Calendar.parse(Substring(s)) else { return nil }
            return .date(d)
        case .time:
            guard s.utf8.count > 10, case .time(let t)? = try? Calendar.parse(Substring(s)) else { return nil }
            return .time(t)
        case .quantity(let u):
            if let d = CellType.number(s) { return .quantity(d, u) }  // the usual bare amount
            let t = s.trimmingCharacters(in: .whitespaces)
            let name = UnitRegistry.shared.name(u)
            let digits = t.hasSuffix(" " + name) ? String(t.dropLast(name.utf8.count + 1)) : t
            return CellType.number(digits).map { .quantity($0, u) }
        }
    }
}

import Foundation
