/// Times and dates.
enum TimeLibrary {
    static func instant(_ v: Value, _ fn: String) throws -> Instant {
        guard case .time(let t) = v else { throw EvalError("\(fn) needs a time, not \(Operators.describe(v))") }
        return t
    }

    static func localDays(_ t: Instant) -> Int64 {
        let local = t.seconds + Int64(t.offsetMinutes) * 60
        return local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    }

    /// A date or time moved by whole calendar months, as Excel's EDATE: the
    /// same day of the month, or the month's last day when it has fewer days
    /// (2025-01-31 plus one month is 2025-02-28). A time keeps its time of day
    /// and offset.
    static func addingMonths(_ v: Value, _ n: Int, _ fn: String) throws -> Value {
        func move(_ days: Int64) throws -> Int64 {
            let (y, m, d) = Calendar.civil(days)
            let (total, o) = (y * 12 + (m - 1)).addingReportingOverflow(Int64(n))
            let year = total >= 0 ? total / 12 : (total - 11) / 12
            guard !o, (1...9999).contains(year) else { throw EvalError("\(fn): the result is out of range (years 1 to 9999)") }
            let month = total - year * 12 + 1
            return Calendar.days(year: year, month: month, day: min(d, Calendar.daysInMonth(year, month)))
        }
        switch v {
        case .date(let d): return .date(CivilDate(days: try move(d.days)))
        case .time(let t):
            let day = localDays(t)
            let shift = (try move(day) - day) * 86_400
            return try Operators.checkedTime(t.seconds + shift, false, t.offsetMinutes, nanos: t.nanos)
        default: throw EvalError("\(fn) needs a date or time, not \(Operators.describe(v))")
        }
    }

    /// The calendar date of a date or time (a time's in its own offset).
    static func civilDay(_ v: Value, _ fn: String) throws -> Int64 {
        if case .date(let d) = v { return d.days }
        return localDays(try instant(v, fn))
    }

    static let functions: [Builtin] = [
        Builtin("add_months", [Parameter("t").accepting([.time, .date]), Parameter("n")],
                doc: "t moved by n calendar months (Excel's EDATE): the same day, or the month's last day when it is shorter") { a, _ in
            try addingMonths(a["t"], try a.int("n"), "add_months")
        },
        Builtin("add_years", [Parameter("t").accepting([.time, .date]), Parameter("n")],
                doc: "t moved by n calendar years (29 February becomes 28 February in other years)") { a, _ in
            let n = try a.int("n")
            guard n.magnitude <= 10_000 else { throw EvalError("add_years: the result is out of range (years 1 to 9999)") }
            return try addingMonths(a["t"], n * 12, "add_years")
        },
        Builtin("end_of_month", [Parameter("t").accepting([.time, .date]), Parameter("n", default: .number(.zero))],
                doc: "the last day of t's month, or of the month n months later (Excel's EOMONTH)") { a, _ in
            guard case .date(let first) = try addingMonths(.date(CivilDate(days: try civilDay(a["t"], "end_of_month"))), try a.int("n"), "end_of_month") else {
                return .none
            }
            let (y, m, _) = Calendar.civil(first.days)
            return .date(CivilDate(days: Calendar.days(year: y, month: m, day: Calendar.daysInMonth(y, m))))
        },
        Builtin("months_between", [Parameter("a").accepting([.time, .date]), Parameter("b")], result: .plain,
                doc: "whole calendar months from a to b (Excel's DATEDIF with \"M\"; negative when b is earlier)") { a, _ in
            let from = try civilDay(a["a"], "months_between"), to = try civilDay(a["b"], "months_between")
            func months(_ x: Int64, _ y: Int64) -> Int64 {
                let (y1, m1, d1) = Calendar.civil(x), (y2, m2, d2) = Calendar.civil(y)
                return (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0)
            }
            return .number(ExactDecimal(Int(from <= to ? months(from, to) : -months(to, from))))
        },
        Builtin("date", [Parameter("t").accepting([.time, .date])], doc: "the calendar date of a time (in its own offset), or a date parsed from text") { a, _ in
            if case .date = a["t"] { return a["t"] }
            if case .text(let s) = a["t"] {
                guard s.utf8.count == 10, case .date(let d)? = try? Calendar.parse(Substring(s)) else {
                    throw EvalError("'\(s)' is not a date", help: "write dates as 2025-12-19")
                }
                return .date(d)
            }
            return .date(CivilDate(days: localDays(try instant(a["t"], "date"))))
        },
        Builtin("in_offset", [Parameter("t").accepting([.time, .date]), Parameter("offset")], doc: "the same instant shown in another offset, e.g. \"+08:00\"") { a, _ in
            let t = try instant(a["t"], "in_offset")
            let s = try a.text("offset")
            guard case .time(let probe)? = try? Calendar.parse(Substring("2000-01-01T00:00" + (s == "Z" ? "Z" : s))) else {
                throw EvalError("in_offset: '\(s)' is not a UTC offset (offset out of range or malformed)", help: "write it as +08:00, -05:00 or Z")
            }
            return .time(Instant(seconds: t.seconds, offsetMinutes: probe.offsetMinutes, nanos: t.nanos))
        },
        Builtin("start_of_day", [Parameter("t").accepting([.time, .date])], doc: "midnight at the start of the time's day, in its offset") { a, _ in
            let t = try instant(a["t"], "start_of_day")
            return .time(Instant(seconds: localDays(t) * 86_400 - Int64(t.offsetMinutes) * 60, offsetMinutes: t.offsetMinutes))
        },
        Builtin("days_between", [Parameter("a").accepting([.date, .time]), Parameter("b")], result: .plain, doc: "whole calendar days from a to b") { a, _ in
            func day(_ v: Value) throws -> Int64 {
                if case .date(let d) = v { return d.days }
                return localDays(try instant(v, "days_between"))
            }
            return .number(ExactDecimal(Int(try day(a["b"]) - day(a["a"]))))
        },
    ]
}
