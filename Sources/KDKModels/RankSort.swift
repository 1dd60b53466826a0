import KDK

/// A leaderboard's rank order by radix sort, when every key is an integer
/// and their ranges fit one 64-bit word together: each entrant's score
/// (from the top) and tie-break columns (from the bottom), less their least
/// values, packed into one key; a least-significant-digit radix sort, which
/// is stable, then leaves equal keys in input order. Comparing entrants
/// through their key columns took 58 ms for half a million; the sort reads
/// each key a byte at a time in a few sequential passes.
enum RankSort {
    /// `members` (indexes into the columns) highest score first, then each
    /// tie column ascending, then in the order given; nil when the keys need
    /// more than 64 bits. The order is kept in 32 bits, and members that
    /// are every index (a run from 0) are not looked up.
    /// `columns`: the scores, then the tie columns, each made when called:
    /// one is held at a time, read once for its range and again to pack it
    /// into the keys (all at once, at ten million entries, were 120 MB at
    /// the peak).
    static func order(_ members: RowNumbers, columns: [@Sendable () -> [Int64]]) -> RowNumbers? {
        guard members.count > 1 else { return members }
        guard members.count <= Int(UInt32.max) else { return nil }
        // Each column's least and greatest value over the members, the bits
        // its range needs, and where it sits in the key (the score highest).
        var fields: [(least: Int64, greatest: Int64, bits: Int)] = []
        var total = 0
        for make in columns {
            let column = make()
            var least = column[members[0]], greatest = least
            for i in members {
                least = min(least, column[i])
                greatest = max(greatest, column[i])
            }
            let (range, over) = greatest.subtractingReportingOverflow(least)
            guard !over else { return nil }
            let bits = 64 - UInt64(range).leadingZeroBitCount
            total += bits
            guard total <= 64 else { return nil }
            fields.append((least, greatest, bits))
        }
        var keys = [UInt64](repeating: 0, count: members.count)
        var shift = total
        for (k, f) in fields.enumerated() {
            shift -= f.bits
            guard f.bits > 0 else { continue }
            let column = columns[k]()
            for (slot, i) in members.enumerated() {
                // The score from the top: the greatest first.
                let offset = k == 0 ? UInt64(f.greatest &- column[i]) : UInt64(column[i] &- f.least)
                keys[slot] |= offset << UInt64(shift)
            }
        }
        // Each key carries its member's place (32 bits: at ten million
        // entrants the carried indexes were 80 MB at the peak as `Int`s).
        var slots = (0..<UInt32(members.count)).map { $0 }
        sort(&keys, carrying: &slots, bits: total)
        keys = []
        if members.run?.lowerBound == 0 { return RowNumbers(narrow: slots) }
        return RowNumbers(slots.lazy.map { members[Int($0)] })
    }

    /// Sorts `keys` ascending, stably, by their low `bits` bits, moving
    /// `payload` with them: a pass per digit of at most 11 bits (55 bits in
    /// five passes, not seven of a byte), each digit's counts taken in one
    /// read of the keys before the first pass; a pass whose digit is the same
    /// in every key moves nothing. Through buffer pointers: the arrays'
    /// checked subscripts were half of each pass.
    static func sort(_ keys: inout [UInt64], carrying payload: inout [UInt32], bits: Int) {
        let n = keys.count
        guard payload.count == n, bits > 0 else { return }
        let passes = (min(bits, 64) + 10) / 11, width = (min(bits, 64) + passes - 1) / passes
        let radix = 1 << width, mask = UInt64(radix - 1)
        var counts = [Int](repeating: 0, count: passes * radix)
        counts.withUnsafeMutableBufferPointer { c in
            keys.withUnsafeBufferPointer { k in
                for j in 0..<n {
                    var x = k[j]
                    for p in 0..<passes {
                        c[p &* radix &+ Int(x & mask)] &+= 1
                        x >>= UInt64(width)
                    }
                }
            }
        }
        var keysOut = [UInt64](repeating: 0, count: n), payloadOut = [UInt32](repeating: 0, count: n)
        for p in 0..<passes {
            let shift = UInt64(p * width)
            let moved = counts.withUnsafeMutableBufferPointer { all -> Bool in
                let c = UnsafeMutableBufferPointer(rebasing: all[(p * radix)..<((p + 1) * radix)])
                // Every key the same in this digit: nothing moves.
                if c.contains(n) { return false }
                // Where each digit's keys start.
                var at = 0
                for d in 0..<radix { (c[d], at) = (at, at + c[d]) }
                keys.withUnsafeBufferPointer { k in
                    payload.withUnsafeBufferPointer { q in
                        keysOut.withUnsafeMutableBufferPointer { ko in
                            payloadOut.withUnsafeMutableBufferPointer { qo in
                                for j in 0..<n {
                                    let digit = Int((k[j] >> shift) & mask), to = c[digit]
                                    c[digit] = to &+ 1
                                    ko[to] = k[j]
                                    qo[to] = q[j]
                                }
                            }
                        }
                    }
                }
                return true
            }
            if moved {
                swap(&keys, &keysOut)
                swap(&payload, &payloadOut)
            }
        }
    }
}
