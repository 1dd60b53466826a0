extension String {
    /// `String(decoding: b[range], as: UTF8.self)` for bytes cut from a
    /// valid text at scalar boundaries, so known to be valid UTF-8 (`b` is
    /// that text's bytes). A piece of up to 15 bytes (a character, a
    /// hashtag) is made in place as the standard library lays out a small
    /// string, with no check: `String(decoding:)` checked and copied one
    /// character in 113 instructions, a quarter of `s[i]`'s in a loop.
    ///
    /// The layout, from the standard library's StringObject.swift: on
    /// 64-bit platforms a small string is its bytes, from the first word's
    /// low byte on and zero after the last, with its discriminator in the
    /// second word's top byte, `1 ASCII 1 0` then the count in four bits.
    /// `SmallStringsTests` checks every scalar, and pieces of 1 to 15 bytes,
    /// against `String(decoding:)`.
    @inline(__always)
    init(validUTF8 b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        #if _endian(little) && _pointerBitWidth(_64)
        let n = range.count
        if n <= 15, let base = b.baseAddress {
            var w0: UInt64 = 0, w1: UInt64 = 0
            if range.lowerBound + 16 <= b.count {
                // Two words read at once, the bytes past the piece masked off.
                let p = UnsafeRawPointer(base + range.lowerBound)
                w0 = p.loadUnaligned(as: UInt64.self)
                w1 = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                if n < 8 { w0 &= (1 &<< UInt64(8 * n)) &- 1; w1 = 0 } else { w1 &= (1 &<< UInt64(8 * (n - 8))) &- 1 }
            } else {
                for k in 0..<n {
                    let byte = UInt64(base[range.lowerBound + k])
                    if k < 8 { w0 |= byte << UInt64(8 * k) } else { w1 |= byte << UInt64(8 * (k - 8)) }
                }
            }
            let ascii = (w0 | w1) & 0x8080_8080_8080_8080 == 0
            w1 |= ((ascii ? 0xE0 : 0xA0) | UInt64(n)) << 56
            self = unsafeBitCast((w0, w1), to: String.self)
            return
        }
        #endif
        self = String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self)
    }
}
