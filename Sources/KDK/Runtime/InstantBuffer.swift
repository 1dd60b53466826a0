/// The instants of a time column: seconds since the epoch per row, and the
/// offset and nanoseconds kept once while every row has the same ones (a
/// file's times are mostly in one zone, on whole seconds); from the first
/// that differs, a byte per row naming one of at most 256 (a file's times
/// in a few zones), and past that the offset and nanoseconds of every row.
/// At ten million rows in several zones: 90 MB rather than 160 (and an
/// `Instant` per row, 16 bytes, would be 160 too).
struct InstantBuffer: Sendable {
    private(set) var seconds: [Int64] = []
    private var zones = Zones.one(nil)

    private struct Zone: Equatable, Sendable {
        var offsetMinutes: Int32
        var nanos: Int32
    }

    private enum Zones: Sendable {
        /// The zone of every row (nil: no row yet).
        case one(Zone?)
        /// The distinct zones (the first is the first row's), and each row's.
        case coded([Zone], [UInt8])
        /// Each row's zone.
        case each([Zone])
    }

    init() {}

    var count: Int { seconds.count }

    /// Whether every instant is on a whole second (no nanoseconds).
    var onWholeSeconds: Bool {
        switch zones {
        case .one(let z): return (z?.nanos ?? 0) == 0
        case .coded(let distinct, _): return distinct.allSatisfy { $0.nanos == 0 }
        case .each(let zs): return zs.allSatisfy { $0.nanos == 0 }
        }
    }

    subscript(r: Int) -> Instant {
        let zone: Zone
        switch zones {
        case .one(let z): zone = z ?? Zone(offsetMinutes: 0, nanos: 0)
        case .coded(let distinct, let codes): zone = distinct[Int(codes[r])]
        case .each(let zs): zone = zs[r]
        }
        return Instant(seconds: seconds[r], offsetMinutes: zone.offsetMinutes, nanos: zone.nanos)
    }

    mutating func append(_ t: Instant) {
        append(Zone(offsetMinutes: t.offsetMinutes, nanos: t.nanos), count: 1)
        seconds.append(t.seconds)
    }

    /// `n` rows that are never read (none, in a column whose validity says
    /// so): they take the first row's zone, whatever it turns out to be.
    mutating func appendPlaceholders(_ n: Int) {
        if case .one = zones {} else { append(first, count: n) }
        seconds.append(contentsOf: repeatElement(0, count: n))
    }

    mutating func append(contentsOf other: InstantBuffer) {
        switch other.zones {
        case .one(nil):
            // Rows never read, if any.
            if case .one = zones {} else { append(first, count: other.count) }
        case .one(let z?): append(z, count: other.count)
        case .coded(let distinct, let codes):
            if case .one(nil) = zones, seconds.isEmpty {
                zones = other.zones
            } else {
                // The other's zones as this one's codes, each looked up once.
                var mine: [UInt8] = []
                for z in distinct {
                    guard let c = code(of: z) else { break }
                    mine.append(c)
                }
                if mine.count == distinct.count, case .coded(let d, var cs) = zones {
                    zones = .one(nil)  // held once, so the append does not copy it
                    cs += codes.lazy.map { mine[Int($0)] }
                    zones = .coded(d, cs)
                } else {
                    for c in codes { append(distinct[Int(c)], count: 1) }
                }
            }
        case .each(let zs):
            for z in zs { append(z, count: 1) }
        }
        seconds += other.seconds
    }

    mutating func reserveCapacity(_ n: Int) { seconds.reserveCapacity(n) }

    /// The first row's zone (the zone of rows never read).
    private var first: Zone {
        switch zones {
        case .one(let z): return z ?? Zone(offsetMinutes: 0, nanos: 0)
        case .coded(let distinct, _): return distinct[0]
        case .each(let zs): return zs.first ?? Zone(offsetMinutes: 0, nanos: 0)
        }
    }

    /// `zone`'s code, added if new (the zones coded from here on, when they
    /// were all one); nil once there would be more than 256.
    private mutating func code(of zone: Zone) -> UInt8? {
        switch zones {
        case .one(let z):
            guard let z else { zones = .coded([zone], Array(repeating: 0, count: seconds.count)); return 0 }
            zones = .coded([z], Array(repeating: 0, count: seconds.count))
            return code(of: zone)
        case .coded(var distinct, let codes):
            if let i = distinct.firstIndex(of: zone) { return UInt8(i) }
            guard distinct.count < 256 else { return nil }
            zones = .one(nil)
            distinct.append(zone)
            zones = .coded(distinct, codes)
            return UInt8(distinct.count - 1)
        case .each: return nil
        }
    }

    /// `n` more rows in `zone` (their seconds appended by the caller).
    private mutating func append(_ zone: Zone, count n: Int) {
        switch zones {
        case .one(nil): zones = .one(zone); return
        case .one(let z?) where z == zone: return
        case .each(var zs):
            zones = .one(nil)
            zs.append(contentsOf: repeatElement(zone, count: n))
            zones = .each(zs)
            return
        default: break
        }
        if let c = code(of: zone), case .coded(let distinct, var codes) = zones {
            zones = .one(nil)
            codes.append(contentsOf: repeatElement(c, count: n))
            zones = .coded(distinct, codes)
            return
        }
        // Past 256 zones: each row's own.
        var zs = (0..<seconds.count).map { self[$0] }.map { Zone(offsetMinutes: $0.offsetMinutes, nanos: $0.nanos) }
        zs.append(contentsOf: repeatElement(zone, count: n))
        zones = .each(zs)
    }
}
