/// An instant, kept as seconds since 1970-01-01T00:00Z and nanoseconds
/// within that second, with the UTC offset it was written in (used only for
/// display: one moment written in two offsets is one instant).
public struct Instant: Hashable, Sendable, Comparable {
    /// Whole seconds since 1970-01-01T00:00Z.
    public var seconds: Int64
    /// The UTC offset it is shown in.
    public var offsetMinutes: Int32
    /// Nanoseconds after `seconds` (0 to 999,999,999).
    public var nanos: Int32 = 0

    /// An instant `seconds` after 1970-01-01T00:00Z, shown in `offsetMinutes`.
    public init(seconds: Int64, offsetMinutes: Int32, nanos: Int32 = 0) {
        self.seconds = seconds
        self.offsetMinutes = offsetMinutes
        self.nanos = nanos
    }

    /// The same instant, whatever the offsets.
    public static func == (a: Instant, b: Instant) -> Bool { a.seconds == b.seconds && a.nanos == b.nanos }
    /// Earlier.
    public static func < (a: Instant, b: Instant) -> Bool { a.seconds < b.seconds || (a.seconds == b.seconds && a.nanos < b.nanos) }
    /// Hashes the instant, not the offset.
    public func hash(into h: inout Hasher) { h.combine(seconds); h.combine(nanos) }
    /// -1, 0 or 1: the order of two instants (offsets do not matter).
    static func compare(_ a: Instant, _ b: Instant) -> Int { a < b ? -1 : (a == b ? 0 : 1) }

    /// The instant in UTC as SQL and most engines write a timestamp:
    /// `2025-12-19 04:00:00`, with the fraction of a second when there is one.
    public var utcTimestamp: String {
        var s = Calendar.format(Instant(seconds: seconds, offsetMinutes: 0, nanos: nanos))
        s.removeLast()  // the "Z"
        if s.count == 16 { s += ":00" }  // seconds always
        return s.replacingOccurrences(of: "T", with: " ")
    }
}

/// A calendar date, kept as days since 1970-01-01.
public struct CivilDate: Hashable, Sendable, Comparable {
    /// Days since 1970-01-01.
    public var days: Int64
    /// Earlier.
    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.days < b.days }
}

/// Calendar arithmetic on the proleptic Gregorian calendar (the algorithm is
/// Howard Hinnant's `days_from_civil`, public domain).
enum Calendar {
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysInMonth(_ year: Int64, _ month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func pad(_ v: Int64, _ w: Int) -> String {
        let s = String(v)
        return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
    }

    static func format(date: CivilDate) -> String {
        let (y, m, d) = civil(date.days)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    static func format(offset: Int32) -> String {
        if offset == 0 { return "Z" }
        let a = Int64(abs(offset))
        return (offset < 0 ? "-" : "+") + pad(a / 60, 2) + ":" + pad(a % 60, 2)
    }

    /// `2025-12-19T12:00+08:00`, in the instant's own offset; seconds only
    /// when non-zero, and their fraction only when there is one (`:05.25`).
    static func format(_ t: Instant) -> String {
        let local = t.seconds + Int64(t.offsetMinutes) * 60
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let sec = local - days * 86_400
        var s = format(date: CivilDate(days: days)) + "T" + pad(sec / 3600, 2) + ":" + pad(sec / 60 % 60, 2)
        if sec % 60 != 0 || t.nanos != 0 { s += ":" + pad(sec % 60, 2) }
        if t.nanos != 0 {
            var frac = pad(Int64(t.nanos), 9)
            while frac.hasSuffix("0") { frac.removeLast() }
            s += "." + frac
        }
        return s + format(offset: t.offsetMinutes)
    }

    enum ParseError: Error { case message(String, help: String?) }

    /// Parses an ISO 8601 date (`2025-12-19`) or instant with offset
    /// (`2025-12-19T12:00+08:00`, `...T24:00Z`, `...T12:00:30.25Z` to the nanosecond).
    static func parse(_ text: Substring) throws -> Value {
        var bytes = text
        return try bytes.withUTF8 { try parse(bytes: $0, text) }
    }

    /// The number the `n` ASCII digits at `i` spell; nil when the bytes end
    /// first or one is not a digit.
    @inline(__always)
    static func digits(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ n: Int) -> Int64? {
        guard i >= 0, n <= b.count - i else { return nil }
        var v: Int64 = 0
        for k in i..<(i + n) {
            let c = b[k] &- 48
            guard c <= 9 else { return nil }
            v = v * 10 + Int64(c)
        }
        return v
    }

    /// The rules a date, a time of day and a UTC offset are checked by, and
    /// the instant they make: one place for both parsers.
    @inline(__always)
    static func isDate(_ y: Int64, _ mo: Int64, _ d: Int64) -> Bool { mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) }

    /// Hours 00-23 (or 24:00 for the end of the day), minutes and seconds 00-59.
    @inline(__always)
    static func isTimeOfDay(_ h: Int64, _ mi: Int64, _ s: Int64, nanos: Int64) -> Bool {
        (h < 24 && mi < 60 && s < 60) || (h == 24 && mi == 0 && s == 0 && nanos == 0)
    }

    @inline(__always)
    static func isOffset(hours oh: Int64, minutes om: Int64) -> Bool { oh <= 18 && om < 60 }

    @inline(__always)
    static func instant(days: Int64, _ h: Int64, _ mi: Int64, _ s: Int64, nanos: Int64, offset: Int64) -> Instant {
        let local = days &* 86_400 &+ h &* 3600 &+ mi &* 60 &+ s
        return Instant(seconds: local &- offset &* 60, offsetMinutes: Int32(offset), nanos: Int32(nanos))
    }

    /// What `parse(bytes:)` gives for an instant written the usual way,
    /// `2025-12-19T12:00`, then `:30` or not, then `Z` or `+08:00`, read with
    /// no error path; nil for any other bytes (the general parser then reads
    /// them, and words their errors). A time cell of a CSV is read through
    /// this: the general parser's checks and error paths were most of it.
    @inline(never)
    static func quickInstant(_ b: UnsafeBufferPointer<UInt8>) -> Instant? {
        let n = b.count
        guard n >= 17, n <= 25, let p = b.baseAddress else { return nil }
        @inline(__always) func two(_ i: Int) -> Int64? { digits(b, i, 2) }
        // `YYYY-MM-` and `DDTHH:MM` as two words, their digits checked and
        // paired in place: a digit's byte XOR 0x30 is under 10, so adding
        // 0x76 leaves its high bit clear; then each byte times ten plus the
        // next is a pair's value (the bytes are small: nothing carries).
        let w0 = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        let w1 = UInt64(littleEndian: UnsafeRawPointer(p + 8).loadUnaligned(as: UInt64.self))
        let digits0: UInt64 = 0x00FF_FF00_FFFF_FFFF, digits1: UInt64 = 0xFFFF_00FF_FF00_FFFF
        let t0 = (w0 ^ 0x3030_3030_3030_3030) & digits0, t1 = (w1 ^ 0x3030_3030_3030_3030) & digits1
        guard w0 & ~digits0 == 0x2D00_002D_0000_0000, w1 & ~digits1 == 0x0000_3A00_0054_0000,  // - - T :
              (t0 &+ 0x7676_7676_7676_7676 | t0) & 0x8080_8080_8080_8080 & digits0 == 0,
              (t1 &+ 0x7676_7676_7676_7676 | t1) & 0x8080_8080_8080_8080 & digits1 == 0 else { return nil }
        let pairs0 = t0 &* 10 &+ t0 >> 8, pairs1 = t1 &* 10 &+ t1 >> 8
        @inline(__always) func pair(_ w: UInt64, _ lane: UInt64) -> Int64 { Int64(w >> (8 * lane) & 0xFF) }
        let century = pair(pairs0, 0), year = pair(pairs0, 2), mo = pair(pairs0, 5)
        let d = pair(pairs1, 0), h = pair(pairs1, 3), mi = pair(pairs1, 6)
        var i = 16, s: Int64 = 0
        if p[i] == UInt8(ascii: ":") {
            guard n >= 20, let seconds = two(17) else { return nil }
            s = seconds
            i = 19
        }
        let offset: Int64
        if n == i + 1 && (p[i] == UInt8(ascii: "Z") || p[i] == UInt8(ascii: "z")) {
            offset = 0
        } else if n == i + 6 && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) && p[i + 3] == UInt8(ascii: ":"),
                  let oh = two(i + 1), let om = two(i + 4), isOffset(hours: oh, minutes: om) {
            offset = (oh &* 60 &+ om) &* (p[i] == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        let y = century &* 100 &+ year
        guard isDate(y, mo, d), isTimeOfDay(h, mi, s, nanos: 0) else { return nil }
        return instant(days: days(year: y, month: mo, day: d), h, mi, s, nanos: 0, offset: offset)
    }

    /// `parse` of the bytes of `text` (read straight from a CSV's cell);
    /// `text` is made only for an error's message.
    static func parse(bytes b: UnsafeBufferPointer<UInt8>, _ text: @autoclosure () -> Substring) throws -> Value {
        var i = 0
        // Inlined, with the digits read by a function that cannot throw: as
        // a call that could, each was 70 instructions, most of a time cell's.
        @inline(__always) func num(_ n: Int) throws -> Int64 {
            guard let v = Calendar.digits(b, i, n) else {
                throw ParseError.message(i + n > b.count ? "incomplete date or time '\(text())'" : "malformed date or time '\(text())'",
                                         help: "write dates as 2025-12-19 and times as 2025-12-19T12:00+08:00")
            }
            i += n
            return v
        }
        // An ASCII byte, not a Character: a Character's asciiValue was a
        // tenth of reading a CSV's time column.
        @inline(__always) func expect(_ c: Unicode.Scalar) throws {
            guard i < b.count, b[i] == UInt8(truncatingIfNeeded: c.value) else {
                throw ParseError.message("malformed date or time '\(text())': expected '\(c)'", help: "write dates as 2025-12-19 and times as 2025-12-19T12:00+08:00")
            }
            i += 1
        }
        let y = try num(4); try expect("-")
        let mo = try num(2); try expect("-")
        let d = try num(2)
        guard isDate(y, mo, d) else {
            throw ParseError.message("'\(text().prefix(10))' is not a calendar date", help: nil)
        }
        let days = Calendar.days(year: y, month: mo, day: d)
        if i == b.count { return .date(CivilDate(days: days)) }
        guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ") else {
            throw ParseError.message("malformed time '\(text())'", help: "write times as 2025-12-19T12:00+08:00")
        }
        i += 1
        let h = try num(2); try expect(":")
        let mi = try num(2)
        var s: Int64 = 0
        if i < b.count && b[i] == UInt8(ascii: ":") { i += 1; s = try num(2) }
        var nanos: Int64 = 0
        if i < b.count && (b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",")) {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                digits += 1
                guard digits <= 9 else {
                    throw ParseError.message("more than 9 digits of a second in '\(text())'", help: "times are kept to the nanosecond")
                }
                nanos = nanos * 10 + Int64(b[i] - 48)
                i += 1
            }
            guard digits > 0 else { throw ParseError.message("malformed time '\(text())': expected digits after the point", help: nil) }
            for _ in digits..<9 { nanos *= 10 }
        }
        guard isTimeOfDay(h, mi, s, nanos: nanos) else {
            throw ParseError.message("'\(text())' has no such time of day", help: "hours run 00-23 (or 24:00 for the end of the day), minutes and seconds 00-59")
        }
        var offset: Int64
        if i < b.count && (b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z")) {
            offset = 0; i += 1
        } else if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) {
            let neg = b[i] == UInt8(ascii: "-")
            i += 1
            let oh = try num(2)
            if i < b.count && b[i] == UInt8(ascii: ":") { i += 1 }
            let om = try num(2)
            guard isOffset(hours: oh, minutes: om) else { throw ParseError.message("offset out of range in '\(text())'", help: nil) }
            offset = (oh * 60 + om) * (neg ? -1 : 1)
        } else {
            throw ParseError.message("the time '\(text())' has no UTC offset",
                                     help: "add the offset it was written in, e.g. \(text())+08:00 or \(text())Z")
        }
        guard i == b.count else { throw ParseError.message("unexpected text after time '\(text())'", help: nil) }
        return .time(instant(days: days, h, mi, s, nanos: nanos, offset: offset))
    }
}
