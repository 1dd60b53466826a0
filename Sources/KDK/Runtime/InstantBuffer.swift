/// The instants of a time column: seconds since the epoch per row, in 32
/// bits while they fit (until 2038, as any whole-number column:
/// `IntegerBuffer`), and each row's offset and nanoseconds as few values
/// (`FewValues`: kept once while every row has the same, as a file's times
/// mostly do, else a byte per row naming one of a few zones). At ten million
/// rows in several zones: 50 MB rather than 160 (and an `Instant` per row,
/// 16 bytes, would be 160 too).
struct InstantBuffer: Sendable {
    private(set) var seconds = IntegerBuffer()
    private var zones = FewValues<Zone>()
    /// Rows never read that came before the first zone: they take it.
    private var unzoned = 0

    private struct Zone: Equatable, Sendable {
        var offsetMinutes: Int32
        var nanos: Int32
    }

    init() {}

    var count: Int { seconds.count }

    /// Whether every instant is on a whole second (no nanoseconds).
    var onWholeSeconds: Bool { zones.values.allSatisfy { $0.nanos == 0 } }

    subscript(r: Int) -> Instant {
        let zone = r < zones.count ? zones[r] : Zone(offsetMinutes: 0, nanos: 0)
        return Instant(seconds: seconds[r], offsetMinutes: zone.offsetMinutes, nanos: zone.nanos)
    }

    mutating func append(_ t: Instant) {
        zones.append(Zone(offsetMinutes: t.offsetMinutes, nanos: t.nanos), count: 1 + unzoned)
        unzoned = 0
        seconds.append(t.seconds)
    }

    /// `n` rows that are never read (none, in a column whose validity says
    /// so): they take the first zone, whatever it turns out to be.
    mutating func appendPlaceholders(_ n: Int) {
        if zones.count == 0 { unzoned += n } else { zones.append(zones[0], count: n) }
        seconds.appendPlaceholders(n)
    }

    mutating func append(contentsOf other: InstantBuffer) {
        if other.zones.count == 0 {
            appendPlaceholders(other.count)
            return
        }
        if unzoned > 0 {
            zones.append(other.zones[0], count: unzoned)
            unzoned = 0
        }
        zones.append(contentsOf: other.zones)
        seconds.append(contentsOf: other.seconds)
    }

    mutating func reserveCapacity(_ n: Int) { seconds.reserveCapacity(n) }
}
