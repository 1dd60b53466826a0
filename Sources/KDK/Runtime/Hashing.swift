/// Fixed, seedless hashing for what must give the same answer on every run
/// and machine (Swift's `Hasher` is seeded per process): random streams
/// (`Sampler`) and MinHash (`mark_copies`).
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

    /// 64-bit FNV-1a of a text's UTF-8 bytes.
    public static func fnv(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}
