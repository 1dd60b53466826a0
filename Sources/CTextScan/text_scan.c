// The walk over mixed text (Latin, CJK, marks) in 16-byte blocks: two
// table look-ups (SSSE3) or six range tests (SSE2) per block in registers
// instead of a table look-up per byte, which took most of a slice's time on
// mixed text. Written in C
// because Swift's SIMD types compiled to slower code here (measured in
// TextCharacters.swift's history); the classes must match
// TextBytes.plainBytes, which a test checks byte by byte. Also the check
// that each byte of a text is a character (ASCII without CR), which counts
// a large ASCII text as it is made without the walk.
#include "text_scan.h"
#if defined(__x86_64__) || defined(_M_X64)
#include <emmintrin.h>

// The walk, given how a block is classified: batches of at most 255
// blocks, each passing at most 16 characters, counted per byte lane (-1 for
// each start, as 0xFF) and summed after; then, fewer than 16 characters
// from the limit, one block counted by its starts' bits. `classify` gives
// the lanes of a block's starts (class 1), or returns 0 when a byte is of
// neither class.
// Inlined into each caller with its classifier, so each loop keeps its
// constants in registers.
typedef int (*classify_block)(__m128i v, __m128i *starts);

static inline __attribute__((always_inline))
size_t plain_run(const uint8_t *bytes, size_t n, size_t limit, size_t *count, classify_block classify) {
    size_t i = 0, passed = 0;
    for (;;) {
        size_t want = limit - passed, blocks = want / 16, left = (n - i) / 16;
        if (blocks > left) blocks = left;
        if (blocks > 255) blocks = 255;
        if (blocks == 0) {
            // Fewer than 16 characters to go: a block with more starts than
            // that ends at the first start past them, so a walk to a
            // character ends here instead of in the caller's slower loops.
            __m128i starts;
            if (want == 0 || left == 0 || !classify(_mm_loadu_si128((const __m128i *)(bytes + i)), &starts)) break;
            unsigned mask = (unsigned)_mm_movemask_epi8(starts);
            size_t c = (size_t)__builtin_popcount(mask);
            if (c <= want) { passed += c; i += 16; continue; }
            for (size_t k = 0; k < want; k++) mask &= mask - 1;
            i += (size_t)__builtin_ctz(mask);
            passed += want;
            break;
        }
        __m128i lanes = _mm_setzero_si128(), starts;
        size_t k = 0;
        for (; k < blocks; k++) {
            if (!classify(_mm_loadu_si128((const __m128i *)(bytes + i)), &starts)) break;
            lanes = _mm_sub_epi8(lanes, starts);
            i += 16;
        }
        __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
        passed += (size_t)_mm_cvtsi128_si64(sums) + (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums));
        if (k < blocks) break;
    }
    *count += passed;
    return i;
}

// Bytes in [lo, hi] (unsigned), as a mask of 0xFF bytes: the signed
// compares see the bytes shifted by 0x80.
static inline __m128i in_range(__m128i shifted, uint8_t lo, uint8_t hi) {
    __m128i below = _mm_cmplt_epi8(shifted, _mm_set1_epi8((char)(lo ^ 0x80)));
    __m128i above = _mm_cmpgt_epi8(shifted, _mm_set1_epi8((char)(hi ^ 0x80)));
    return _mm_andnot_si128(_mm_or_si128(below, above), _mm_set1_epi8((char)0xFF));
}

// The classes by six range tests (SSE2).
static inline __attribute__((always_inline)) int classify_sse2(__m128i v, __m128i *starts) {
    v = _mm_xor_si128(v, _mm_set1_epi8((char)0x80));
    // Class 1: characters' first bytes.
    *starts = _mm_or_si128(_mm_or_si128(in_range(v, 0x20, 0x7E), in_range(v, 0xC3, 0xCB)),
                           _mm_or_si128(in_range(v, 0xCE, 0xD1), in_range(v, 0xE4, 0xE9)));
    // Class 0: continuation bytes and the lead CC of a mark.
    __m128i inside = _mm_or_si128(in_range(v, 0x80, 0xBF), _mm_cmpeq_epi8(v, _mm_set1_epi8((char)(0xCC ^ 0x80))));
    return _mm_movemask_epi8(_mm_or_si128(*starts, inside)) == 0xFFFF;
}

// The same classes by two table look-ups per block (SSSE3's pshufb): a
// byte's class is the AND of a bit set for its high nibble and one for its
// low nibble, a bit per rectangle of (high, low) nibbles the classes are
// made of. Bits 0-5 are starts (class 1): 2x-6x; 70-7E; C3-CB; CE-CF; D0-D1;
// E4-E9. Bits 6-7 are inside (class 0): 8x-Bx; CC. Half the work of the
// range tests, on a machine that has SSSE3 (checked when called).
#include <tmmintrin.h>

__attribute__((target("ssse3"), always_inline))
static inline int classify_ssse3(__m128i v, __m128i *starts) {
    const __m128i high_bits = _mm_setr_epi8(0, 0, 0x01, 0x01, 0x01, 0x01, 0x01, 0x02,
                                            0x40, 0x40, 0x40, 0x40, (char)0x8C, 0x10, 0x20, 0);
    const __m128i low_bits = _mm_setr_epi8(0x53, 0x53, 0x43, 0x47, 0x67, 0x67, 0x67, 0x67,
                                           0x67, 0x67, 0x47, 0x47, (char)0xC3, 0x43, 0x4B, 0x49);
    const __m128i nibble = _mm_set1_epi8(0x0F), zero = _mm_setzero_si128();
    __m128i cls = _mm_and_si128(_mm_shuffle_epi8(high_bits, _mm_and_si128(_mm_srli_epi16(v, 4), nibble)),
                                _mm_shuffle_epi8(low_bits, _mm_and_si128(v, nibble)));
    *starts = _mm_andnot_si128(_mm_cmpeq_epi8(_mm_and_si128(cls, _mm_set1_epi8(0x3F)), zero), _mm_set1_epi8((char)0xFF));
    return _mm_movemask_epi8(_mm_cmpeq_epi8(cls, zero)) == 0;
}

__attribute__((target("ssse3")))
static size_t plain_run_ssse3(const uint8_t *bytes, size_t n, size_t limit, size_t *count) {
    return plain_run(bytes, n, limit, count, classify_ssse3);
}

size_t kdk_plain_run(const uint8_t *bytes, size_t n, size_t limit, size_t *count) {
    if (__builtin_cpu_supports("ssse3")) return plain_run_ssse3(bytes, n, limit, count);
    return kdk_plain_run_sse2(bytes, n, limit, count);
}

size_t kdk_plain_run_sse2(const uint8_t *bytes, size_t n, size_t limit, size_t *count) {
    return plain_run(bytes, n, limit, count, classify_sse2);
}
int kdk_bytes_are_characters(const uint8_t *bytes, size_t n) {
    const __m128i cr = _mm_set1_epi8(0x0D);
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m128i a = _mm_loadu_si128((const __m128i *)(bytes + i)), b = _mm_loadu_si128((const __m128i *)(bytes + i + 16));
        __m128i c = _mm_loadu_si128((const __m128i *)(bytes + i + 32)), d = _mm_loadu_si128((const __m128i *)(bytes + i + 48));
        __m128i high = _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d));
        __m128i crs = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, cr), _mm_cmpeq_epi8(b, cr)),
                                   _mm_or_si128(_mm_cmpeq_epi8(c, cr), _mm_cmpeq_epi8(d, cr)));
        if (_mm_movemask_epi8(_mm_or_si128(high, crs)) != 0) return 0;
    }
    for (; i < n; i++) if (bytes[i] >= 0x80 || bytes[i] == 0x0D) return 0;
    return 1;
}
#else
int kdk_bytes_are_characters(const uint8_t *bytes, size_t n) {
    for (size_t i = 0; i < n; i++) if (bytes[i] >= 0x80 || bytes[i] == 0x0D) return 0;
    return 1;
}

size_t kdk_plain_run(const uint8_t *bytes, size_t n, size_t limit, size_t *count) {
    (void)bytes; (void)n; (void)limit; (void)count;
    return 0;
}

size_t kdk_plain_run_sse2(const uint8_t *bytes, size_t n, size_t limit, size_t *count) {
    return kdk_plain_run(bytes, n, limit, count);
}
#endif
