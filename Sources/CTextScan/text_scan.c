// The walk over mixed text (Latin, CJK, marks) in 16-byte blocks: two
// table look-ups (SSSE3) or six range tests (SSE2) per block in registers
// instead of a table look-up per byte, which took most of a slice's time on
// mixed text. Written in C
// because Swift's SIMD types compiled to slower code here (measured in
// TextCharacters.swift's history); the classes must match
// TextBytes.plainBytes, which a test checks byte by byte. Also the check
// that each byte of a text is a character (ASCII without CR), which counts
// a large ASCII text as it is made without the walk; and the directory of a
// text of plain scalars only, where character i is found without a walk.
#include "text_scan.h"
#include <string.h>
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

// The starts (class 1) of the 64 bytes at `bytes`, a bit each; 0 when a
// byte is of neither class. For a text's directory (below).
static inline __attribute__((always_inline))
int chunk_starts_with(const uint8_t *bytes, uint64_t *starts, classify_block classify) {
    uint64_t mask = 0;
    for (int k = 0; k < 4; k++) {
        __m128i s;
        if (!classify(_mm_loadu_si128((const __m128i *)(bytes + 16 * k)), &s)) return 0;
        mask |= (uint64_t)(unsigned)_mm_movemask_epi8(s) << (16 * k);
    }
    *starts = mask;
    return 1;
}

__attribute__((target("ssse3")))
static int chunk_starts_ssse3(const uint8_t *bytes, uint64_t *starts) {
    return chunk_starts_with(bytes, starts, classify_ssse3);
}

static int chunk_starts(const uint8_t *bytes, uint64_t *starts) {
    if (__builtin_cpu_supports("ssse3")) return chunk_starts_ssse3(bytes, starts);
    return chunk_starts_with(bytes, starts, classify_sse2);
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

#if defined(__x86_64__) || defined(_M_X64)
// The starts of chunk `c` (its bytes from 64c, up to n), a bit each; 0 when
// a byte is of neither class. The last bytes are classified after spaces
// (class 1) put for those past the end, whose bits are then dropped.
static int starts_of_chunk(const uint8_t *bytes, size_t n, size_t c, uint64_t *starts) {
    size_t at = 64 * c, left = n - at;
    if (left >= 64) return chunk_starts(bytes + at, starts);
    uint8_t tail[64];
    memset(tail, ' ', sizeof tail);
    memcpy(tail, bytes + at, left);
    if (!chunk_starts(tail, starts)) return 0;
    *starts &= ((uint64_t)1 << left) - 1;
    return 1;
}

int kdk_plain_directory(const uint8_t *bytes, size_t n, uint32_t *before) {
    if (n == 0 || n > UINT32_MAX) return 0;
    size_t chunks = (n + 63) / 64;
    uint64_t total = 0;
    for (size_t c = 0; c < chunks; c++) {
        uint64_t starts;
        if (!starts_of_chunk(bytes, n, c, &starts)) return 0;
        // The first byte must start a character (not a mark's lead).
        if (c == 0 && !(starts & 1)) return 0;
        before[c] = (uint32_t)total;
        total += (uint64_t)__builtin_popcountll(starts);
    }
    before[chunks] = (uint32_t)total;
    // Chunks a character, in 32-bit fixed point, for kdk_plain_find's
    // guess: a multiplication there instead of a division (tens of cycles).
    uint64_t scale = total == 0 ? 0 : ((uint64_t)chunks << 32) / total;
    before[chunks + 1] = (uint32_t)scale;
    before[chunks + 2] = (uint32_t)(scale >> 32);
    return 1;
}

// How many bytes of `sums` are at most k, when the bytes run from low to
// high without falling and are at most 64 (k < 64): all compared at once,
// a bias of 0x80 per byte keeping the subtractions apart, and the high bits
// left counted by one multiplication.
static inline unsigned sums_at_most(uint64_t sums, unsigned k) {
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t at_most = ((k * ones) | highs) - sums;
    return (unsigned)((((at_most & highs) >> 7) * ones) >> 56);
}

// Where the (k+1)th set bit of x is (k < popcount(x)), without a branch a
// misprediction would cost (a read in a loop took twice as long with byte
// and bit loops). First the byte: each byte's count by the usual bit sums,
// their running sums by one multiplication, and how many are at most k.
// Then the bit: the byte's bits spread a byte each, and the same again.
static inline size_t select_bit(uint64_t x, unsigned k) {
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t c = x - ((x >> 1) & 0x5555555555555555ULL);
    c = (c & 0x3333333333333333ULL) + ((c >> 2) & 0x3333333333333333ULL);
    c = (c + (c >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    uint64_t sums = c * ones;
    unsigned byte = sums_at_most(sums, k);
    unsigned before = (unsigned)(((sums << 8) >> (8 * byte)) & 0xFF);
    uint64_t bits = ((((x >> (8 * byte)) & 0xFF) * ones) & 0x8040201008040201ULL) + 0x7F7F7F7F7F7F7F7FULL;
    uint64_t bit_sums = ((bits & highs) >> 7) * ones;
    return 8 * byte + sums_at_most(bit_sums, k - before);
}

// The starts of chunk c of a text known to be plain: in such a text every
// byte but a continuation (80-BF) and a mark's lead (CC) starts a
// character, two compares a block (SSE2) instead of the classes' tests.
static inline uint64_t starts_in_plain_chunk(const uint8_t *bytes, size_t n, size_t c) {
    size_t at = 64 * c;
    if (at + 64 <= n) {
        uint64_t inside = 0;
        for (int k = 0; k < 4; k++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(bytes + at + 16 * k));
            __m128i in = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8((char)0xC0)), _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xCC)));
            inside |= (uint64_t)(unsigned)_mm_movemask_epi8(in) << (16 * k);
        }
        return ~inside;
    }
    uint64_t starts = 0;
    starts_of_chunk(bytes, n, c, &starts);
    return starts;
}

// The chunk holding character i (the last with before[c] <= i): guessed as
// if the characters were spread evenly, then looked for by halves in the
// eight chunks on the side it lies, or beyond them.
static inline size_t chunk_of(size_t chunks, const uint32_t *before, size_t i) {
    uint64_t scale = (uint64_t)before[chunks + 1] | (uint64_t)before[chunks + 2] << 32;
    size_t c = (size_t)(((unsigned __int128)i * scale) >> 32);
    if (c >= chunks) c = chunks - 1;
    if (before[c] > i) {
        size_t hi = c, lo = c > 8 ? c - 8 : 0;
        if (before[lo] > i) { hi = lo; lo = 0; }
        while (hi - lo > 1) { size_t mid = lo + (hi - lo) / 2; if (before[mid] <= i) lo = mid; else hi = mid; }
        c = lo;
    } else if (c + 1 < chunks && before[c + 1] <= i) {
        size_t lo = c + 1, hi = c + 9 < chunks ? c + 9 : chunks;
        if (before[hi] <= i) { lo = hi; hi = chunks; }
        while (hi - lo > 1) { size_t mid = lo + (hi - lo) / 2; if (before[mid] <= i) lo = mid; else hi = mid; }
        c = lo;
    }
    return c;
}

size_t kdk_plain_find_broadword(const uint8_t *bytes, size_t n, const uint32_t *before, size_t i) {
    size_t chunks = (n + 63) / 64, c = chunk_of(chunks, before, i);
    return 64 * c + select_bit(starts_in_plain_chunk(bytes, n, c), (unsigned)(i - before[c]));
}

#include <immintrin.h>

// The bit by BMI2's pdep, which deposits a single bit k at the place of x's
// (k+1)th set bit: a look-up half the time of the broadword one (5.5
// against 11 ns a read 150 characters on, measured here on a Zen 4).
__attribute__((target("bmi2")))
static size_t plain_find_pdep(const uint8_t *bytes, size_t n, const uint32_t *before, size_t i) {
    size_t chunks = (n + 63) / 64, c = chunk_of(chunks, before, i);
    uint64_t starts = starts_in_plain_chunk(bytes, n, c);
    return 64 * c + (size_t)__builtin_ctzll(_pdep_u64(1ULL << (i - before[c]), starts));
}

// pdep is one instruction on Intel since Haswell and on AMD since Zen 3;
// AMD's earlier cores (families 15h and 17h, Zen 2 included) run it in
// microcode, slower than the broadword select the more bits are set.
static int pdep_is_fast(void) {
    return __builtin_cpu_supports("bmi2") && !__builtin_cpu_is("amdfam15h") && !__builtin_cpu_is("amdfam17h");
}

size_t kdk_plain_find(const uint8_t *bytes, size_t n, const uint32_t *before, size_t i) {
    if (pdep_is_fast()) return plain_find_pdep(bytes, n, before, i);
    return kdk_plain_find_broadword(bytes, n, before, i);
}
#else
// Without SSE2 no text gets a directory (as kdk_plain_run passes nothing):
// such texts keep the crumbs.
int kdk_plain_directory(const uint8_t *bytes, size_t n, uint32_t *before) {
    (void)bytes; (void)n; (void)before;
    return 0;
}

size_t kdk_plain_find(const uint8_t *bytes, size_t n, const uint32_t *before, size_t i) {
    (void)bytes; (void)n; (void)before; (void)i;
    return 0;
}

size_t kdk_plain_find_broadword(const uint8_t *bytes, size_t n, const uint32_t *before, size_t i) {
    return kdk_plain_find(bytes, n, before, i);
}
#endif
