/// The instants of a time column: seconds since the epoch per row, and the
/// offset and nanoseconds kept once while every row has the same ones (a
/// file's times are mostly in one zone, on whole seconds); from the first
/// that differs, a byte per row naming one of at most 256 (a file's times
/// in a few zones), and past that the offset and nanoseconds of every row.
/// The seconds take 4 bytes a row while they fit 32 bits (until 2038), as
/// any whole-number column does (`IntegerBuffer`). At ten million rows in
/// several zones: 50 MB rather than 160 (and an `Instant` per row, 16
/// bytes, would be 160 too).
struct InstantBuffer: Sendable {
    private(set) var seconds = IntegerBuffer()
    /// The zones rows are in: the first is every row's until `codes` holds
    /// each row's (empty before the first instant).
    private var distinct: [Zone] = []
    /// Each row's zone, an index into `distinct`, once two differ.
    private var codes: [UInt8] = []
    /// Each row's zone, once more than 256 differ (then the others are not read).
    private var each: [Zone] = []
    /// The zone coded last and its code: the next row's, most often.
    private var last: (zone: Zone, code: UInt8)?

    private struct Zone: Equatable, Sendable {
        var offsetMinutes: Int32
        var nanos: Int32
    }

    init() {}

    var count: Int { seconds.count }

    /// Whether every instant is on a whole second (no nanoseconds).
    var onWholeSeconds: Bool { each.isEmpty ? distinct.allSatisfy { $0.nanos == 0 } : each.allSatisfy { $0.nanos == 0 } }

    subscript(r: Int) -> Instant {
        let zone = rowZone(r)
        return Instant(seconds: seconds[r], offsetMinutes: zone.offsetMinutes, nanos: zone.nanos)
    }

    private func rowZone(_ r: Int) -> Zone {
        if !each.isEmpty { return each[r] }
        if !codes.isEmpty { return distinct[Int(codes[r])] }
        return distinct.first ?? Zone(offsetMinutes: 0, nanos: 0)
    }

    mutating func append(_ t: Instant) {
        append(Zone(offsetMinutes: t.offsetMinutes, nanos: t.nanos), count: 1)
        seconds.append(t.seconds)
    }

    /// `n` rows that are never read (none, in a column whose validity says
    /// so): they take the first zone, whatever it turns out to be.
    mutating func appendPlaceholders(_ n: Int) {
        appendFirstZone(n)
        seconds.appendPlaceholders(n)
    }

    mutating func append(contentsOf other: InstantBuffer) {
        if !each.isEmpty || !other.each.isEmpty {
            for r in 0..<other.count { append(other.rowZone(r), count: 1) }
        } else if other.codes.isEmpty {
            if let z = other.distinct.first { append(z, count: other.count) } else { appendFirstZone(other.count) }
        } else if seconds.count == 0 && distinct.isEmpty {
            distinct = other.distinct
            codes = other.codes
        } else {
            // The other's zones as this one's codes, each looked up once.
            var mine: [UInt8] = []
            for z in other.distinct {
                guard let c = code(of: z) else { break }
                mine.append(c)
            }
            if mine.count == other.distinct.count {
                codes += other.codes.lazy.map { mine[Int($0)] }
            } else {
                for c in other.codes { append(other.distinct[Int(c)], count: 1) }
            }
        }
        seconds.append(contentsOf: other.seconds)
    }

    mutating func reserveCapacity(_ n: Int) { seconds.reserveCapacity(n) }

    /// `n` more rows in the first zone (rows never read).
    private mutating func appendFirstZone(_ n: Int) {
        if !each.isEmpty { each.append(contentsOf: repeatElement(each[0], count: n)) }
        else if !codes.isEmpty { codes.append(contentsOf: repeatElement(0, count: n)) }
    }

    /// `n` more rows in `zone` (their seconds appended by the caller).
    private mutating func append(_ zone: Zone, count n: Int) {
        if !each.isEmpty {
            each.append(contentsOf: repeatElement(zone, count: n))
            return
        }
        if codes.isEmpty {
            // Rows so far (if any, never read) take the first zone.
            if distinct.isEmpty { distinct = [zone]; return }
            if distinct[0] == zone { return }
        }
        guard let c = code(of: zone) else {
            // Past 256 zones: each row's own.
            each = (0..<seconds.count).map(rowZone)
            each.append(contentsOf: repeatElement(zone, count: n))
            return
        }
        if n == 1 { codes.append(c) } else { codes.append(contentsOf: repeatElement(c, count: n)) }
    }

    /// `zone`'s code, added if new, the rows so far coded if they were not;
    /// nil once there would be more than 256.
    private mutating func code(of zone: Zone) -> UInt8? {
        if let last, last.zone == zone { return last.code }
        if codes.isEmpty {
            if distinct.isEmpty { distinct = [zone] }
            codes = Array(repeating: 0, count: seconds.count)
        }
        let c: UInt8
        if let i = distinct.firstIndex(of: zone) {
            c = UInt8(i)
        } else {
            guard distinct.count < 256 else { return nil }
            distinct.append(zone)
            c = UInt8(distinct.count - 1)
        }
        last = (zone, c)
        return c
    }
}
