// The scan of a plain CSV row (CSVReader.plainRow): where each cell starts
// and ends, in 16-byte blocks. Written in C for the same reason as
// text_scan.c: one compare per special byte over a whole block, and the
// block's high bits in one instruction, where Swift's loop over eight-byte
// words was a third of reading a file.
#include "csv_row.h"
#include <string.h>
#if defined(__x86_64__) || defined(_M_X64)
#include <emmintrin.h>
#endif

/// The first byte at or after j that is a, b, c or d (n when none); the
/// high bits of the bytes passed are ORed into *high.
static inline int64_t find4(const uint8_t *p, int64_t n, int64_t j, uint8_t a, uint8_t b, uint8_t c, uint8_t d, unsigned *high) {
#if defined(__x86_64__) || defined(_M_X64)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
    const __m128i vc = _mm_set1_epi8((char)c), vd = _mm_set1_epi8((char)d);
    while (j + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + j));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd)));
        unsigned found = (unsigned)_mm_movemask_epi8(hit), highs = (unsigned)_mm_movemask_epi8(v);
        if (found) {
            unsigned at = (unsigned)__builtin_ctz(found);
            *high |= highs & ((1u << at) - 1u);
            return j + at;
        }
        *high |= highs;
        j += 16;
    }
#endif
    for (; j < n; j++) {
        uint8_t x = p[j];
        if (x == a || x == b || x == c || x == d) return j;
        *high |= x & 0x80;
    }
    return n;
}

int kdk_utf8_valid(const uint8_t *p, int64_t n) {
    int64_t i = 0;
    while (i < n) {
        // Eight ASCII bytes at a time.
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ull) break;
            i += 8;
        }
        if (i >= n) break;
        uint8_t c = p[i];
        if (c < 0x80) { i++; continue; }
        // The lead byte gives the length and the range of the second byte
        // (no overlong forms, no surrogates, nothing past U+10FFFF); the
        // bytes after the second are 80-BF (Unicode 15, table 3-7).
        int need;
        uint8_t lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) need = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0) lo = 0xA0;
            else if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0) lo = 0x90;
            else if (c == 0xF4) hi = 0x8F;
        } else return 0;
        if (i + need >= n || p[i + 1] < lo || p[i + 1] > hi) return 0;
        if (need >= 2 && (p[i + 2] & 0xC0) != 0x80) return 0;
        if (need == 3 && (p[i + 3] & 0xC0) != 0x80) return 0;
        i += need + 1;
    }
    return 1;
}

int64_t kdk_csv_row(const uint8_t *p, int64_t n, int64_t i, int64_t fields, int64_t max_field, kdk_csv_cell *cells) {
    if (i >= n || p[i] == '\n' || p[i] == '\r' || fields <= 0) return -1;
    int64_t j = i, count = 0;
    for (;;) {
        unsigned high = 0;
        kdk_csv_cell cell = { j, j, 0, 0, 1, {0} };
        if (p[j] == '"') {
            cell.quoted = 1;
            cell.start = ++j;
            for (;;) {
                j = find4(p, n, j, '"', '\n', '\r', '"', &high);
                if (j >= n || p[j] != '"') return -1;  // the bytes end, or a line break in quotes
                if (j + 1 < n && p[j + 1] == '"') { cell.doubled = 1; j += 2; continue; }
                cell.end = j++;
                break;
            }
            if (j >= n) return -1;
        } else {
            j = find4(p, n, j, ',', '"', '\n', '\r', &high);
            if (j >= n || p[j] == '"') return -1;
            cell.end = j;
        }
        if (cell.end - cell.start > max_field) return -1;
        if (high) {
            cell.ascii = 0;
            if (!kdk_utf8_valid(p + cell.start, cell.end - cell.start)) return -1;
        }
        cells[count++] = cell;
        if (p[j] == ',') {
            if (count >= fields || ++j >= n) return -1;
            continue;
        }
        if (count != fields) return -1;
        if (p[j] == '\n') return j + 1;
        if (p[j] == '\r' && j + 1 < n && p[j + 1] == '\n') return j + 2;
        return -1;
    }
}
