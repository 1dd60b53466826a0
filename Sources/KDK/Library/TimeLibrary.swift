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

    static let functions: [Builtin] = [
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
        Builtin("days_between", [Parameter("a").accepting(.amount), Parameter("b")], result: .plain, doc: "whole calendar days from a to b") { a, _ in
            func day(_ v: Value) throws -> Int64 {
                if case .date(let d) = v { return d.days }
                return localDays(try instant(v, "days_between"))
            }
            return .number(ExactDecimal(Int(try day(a["b"]) - day(a["a"]))))
        },
    ]
}
