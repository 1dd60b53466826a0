// The scan of a plain CSV row (CSVReader.plainRows): where each cell starts
// and ends, in 16-byte blocks. Written in C for the same reason as
// text_scan.c: one compare per special byte over a whole block, and the
// block's high bits in one instruction, where Swift's loop over eight-byte
// words was a third of reading a file.
//
// A row is well-formed UTF-8 exactly when each of its cells is: what
// separates and quotes them is ASCII, which no sequence can end inside or
// start with. So a row is checked whole, once, and only when a byte of it
// is over 0x7F.
#include "csv_row.h"
#include <string.h>
#if defined(__x86_64__) || defined(_M_X64)
#include <emmintrin.h>
#endif

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
    // The bytes that matter (comma, quote, CR, LF) a block at a time, in
    // order, as a bit each. A mark read past, not through the bits (a
    // doubled quote's second, a closing quote's comma, an opening quote),
    // is always the next bit: cleared, or when it is in the next block,
    // passed over there (`from`).
    int quoted = p[i] == '"', doubled = 0;  // the cell being read is inside quotes
    int64_t start = i, from = i + quoted, count = 0;
    uint32_t high = 0;
    for (int64_t base = i; base < n; base += 16) {
        uint32_t marks = 0, highs = 0;
#if defined(__x86_64__) || defined(_M_X64)
        if (base + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(p + base));
            __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')), _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
            marks = (uint32_t)_mm_movemask_epi8(m);
            highs = (uint32_t)_mm_movemask_epi8(v);
        } else
#endif
        for (int64_t k = 0; k < 16 && base + k < n; k++) {
            uint8_t x = p[base + k];
            if (x == ',' || x == '"' || x == '\n' || x == '\r') marks |= 1u << k;
            if (x & 0x80) highs |= 1u << k;
        }
        if (from > base) marks &= ~0u << (from - base);
        // Passes the mark at `at` (the next one).
#define PASS(at) do { if ((at) - base < 16) marks &= marks - 1; else from = (at) + 1; } while (0)
        while (marks) {
            int64_t at = base + __builtin_ctz(marks), end;
            marks &= marks - 1;
            if (quoted) {
                if (p[at] == ',') continue;
                if (p[at] != '"') return -1;  // a line break in quotes
                if (at + 1 < n && p[at + 1] == '"') { doubled = 1; PASS(at + 1); continue; }
                // The closing quote: a comma or the line's end must follow.
                end = at + 1;
                if (end >= n || (p[end] != ',' && p[end] != '\n' && p[end] != '\r')) return -1;
                PASS(end);
            } else {
                if (p[at] == '"') return -1;  // a quote inside an unquoted cell
                end = at;
            }
            if (count >= fields) return -1;
            kdk_csv_cell *cell = cells + count++;
            cell->start = start + quoted;
            cell->end = at;
            cell->quoted = (uint8_t)quoted;
            cell->doubled = (uint8_t)doubled;
            if (at - cell->start > max_field) return -1;
            if (p[end] == ',') {
                start = end + 1;
                if (start >= n) return -1;
                quoted = p[start] == '"';
                doubled = 0;
                if (quoted) PASS(start);
                continue;
            }
            // The line's end.
            if (count != fields) return -1;
            int64_t next;
            if (p[end] == '\n') next = end + 1;
            else if (p[end] == '\r' && end + 1 < n && p[end + 1] == '\n') next = end + 2;
            else return -1;
            high |= end - base >= 32 ? highs : highs & ((1u << (end - base)) - 1u);
            return high && !kdk_utf8_valid(p + i, end - i) ? -1 : next;
        }
#undef PASS
        high |= highs;
    }
    return -1;  // the bytes end first
}
