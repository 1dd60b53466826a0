/// Fixed, seedless hashing for what must give the same answer on every run
/// and machine (Swift's `Hasher` is seeded per process): random streams
/// (`Sampler`) and MinHash (`mark_copies`); and a fast byte hash seeded per
/// process, for hash tables of a column's texts.
public enum Hashing {
    /// SplitMix64's finalizer: a fixed permutation of 64-bit values that
    /// mixes every bit into every other (Steele, Lea and Flood, 2014).
    @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Drawn once per process, so that no file can be written whose texts
    /// collide in `bytes` (Swift's `Hasher` is seeded for the same reason).
    static let seed = UInt64.random(in: .min ... .max)

    /// A hash of `n` bytes at `p`, seeded per process: each 8-byte word (the
    /// last one overlapping, short tails read as wyhash reads them) folded in
    /// by a 64×64→128-bit multiply whose halves are xored, the "mum" step of
    /// Wang Yi's wyhash; then `mix`. Interning a column's texts with Swift's
    /// `Hasher` (SipHash-1-3, made and finalized per text) was 8% of reading
    /// a CSV. Not for anything that must be the same on every run.
    @inline(__always)
    static func bytes(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        @inline(__always) func mum(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let r = a.multipliedFullWidth(by: b)
            return r.high ^ r.low
        }
        var h = seed ^ (UInt64(n) &* 0x9E37_79B9_7F4A_7C15)
        var tail: UInt64
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                h = mum(h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self), 0xA076_1D64_78BD_642F)
                i += 8
            }
            tail = p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 {
            tail = UInt64(p.loadUnaligned(fromByteOffset: 0, as: UInt32.self)) << 32 | UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
        } else if n > 0 {
            let b = p.assumingMemoryBound(to: UInt8.self)
            tail = UInt64(b[0]) << 16 | UInt64(b[n >> 1]) << 8 | UInt64(b[n - 1])
        } else {
            tail = 0
        }
        return mix(mum(h ^ tail, 0xE703_7ED1_A0B4_28DB))
    }

    /// 64-bit FNV-1a of a text's UTF-8 bytes.
    public static func fnv(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}
