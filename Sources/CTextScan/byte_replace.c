// `replace` of one ASCII byte (TextBytes.replaceByte) over 16-byte blocks.
// Written in C for the reason text_scan.c gives: a block's matches are one
// compare and one mask in SSE2, and a piece between matches is one 16-byte
// store, where Swift's loop went a byte at a time and called memchr and
// memmove per match. Stores may run up to 15 bytes past a piece while as
// many bytes of the output remain: later pieces overwrite them.
#include "byte_replace.h"
#include <string.h>
#if defined(__x86_64__) || defined(_M_X64)
#include <emmintrin.h>
#endif

size_t kdk_count_byte(const uint8_t *p, size_t n, uint8_t x, int *before_high) {
    size_t count = 0, i = 0;
    int high = 0;
#if defined(__x86_64__) || defined(_M_X64)
    const __m128i xs = _mm_set1_epi8((char)x);
    uint32_t carry = 0;  // the last byte of the block before was x
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        uint32_t m = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, xs));
        uint32_t h = (uint32_t)_mm_movemask_epi8(v);
        count += (size_t)__builtin_popcount(m);
        if (((m << 1) | carry) & h) high = 1;
        carry = m >> 15;
    }
    if (carry && i < n && p[i] >= 0x80) high = 1;
#endif
    for (; i < n; i++) {
        if (p[i] != x) continue;
        count++;
        if (i + 1 < n && p[i + 1] >= 0x80) high = 1;
    }
    *before_high = high;
    return count;
}

size_t kdk_replace_byte(const uint8_t *p, size_t n, uint8_t x, const uint8_t *r, size_t rn, uint8_t *out, size_t size) {
    size_t i = 0, at = 0;
#if defined(__x86_64__) || defined(_M_X64)
    const __m128i xs = _mm_set1_epi8((char)x);
    // The replacement in a register, when it fits one.
    uint8_t padded[16] = {0};
    if (rn > 0 && rn <= 16) memcpy(padded, r, rn);
    const __m128i rv = _mm_loadu_si128((const __m128i *)padded);
    // A block at a time while the input has a block past this one (a
    // piece is loaded whole from where it starts) and the output has room
    // for every store of the block (a piece and a replacement per match).
    while (i + 32 <= n && at + 32 + rn * 16 <= size) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        uint32_t m = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, xs));
        if (!m) {
            _mm_storeu_si128((__m128i *)(out + at), v);
            at += 16;
            i += 16;
            continue;
        }
        size_t k = 0;
        while (m) {
            size_t b = (size_t)__builtin_ctz(m);
            m &= m - 1;
            // The piece before the match (its block's bytes from k on), then the replacement.
            _mm_storeu_si128((__m128i *)(out + at), _mm_loadu_si128((const __m128i *)(p + i + k)));
            at += b - k;
            if (rn <= 16) _mm_storeu_si128((__m128i *)(out + at), rv);
            else memcpy(out + at, r, rn);
            at += rn;
            k = b + 1;
        }
        if (k < 16) {
            // The rest of the block.
            _mm_storeu_si128((__m128i *)(out + at), _mm_loadu_si128((const __m128i *)(p + i + k)));
            at += 16 - k;
        }
        i += 16;
    }
#endif
    // The last bytes, exactly.
    for (; i < n; i++) {
        if (p[i] == x) { if (rn > 0) memcpy(out + at, r, rn); at += rn; }
        else out[at++] = p[i];
    }
    return at;
}
