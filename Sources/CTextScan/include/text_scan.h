#ifndef KDK_TEXT_SCAN_H
#define KDK_TEXT_SCAN_H
#include <stddef.h>
#include <stdint.h>
/// Walks `bytes` (n of them) 16 at a time while every byte of a block is
/// "plain" in the sense of TextBytes.plainBytes (class 0 or 1) and at most
/// `limit` characters have been passed. Returns the bytes passed and adds
/// to *count the characters they start (the bytes of class 1). The bytes
/// passed are a multiple of 16, or end at a byte of class 1 once `limit`
/// characters are passed. Returns 0 where SSE2 is not available: the
/// caller's loop does the work.
size_t kdk_plain_run(const uint8_t *bytes, size_t n, size_t limit, size_t *count);
/// kdk_plain_run as on a machine without SSSE3 (range tests in SSE2), which
/// tests compare too.
size_t kdk_plain_run_sse2(const uint8_t *bytes, size_t n, size_t limit, size_t *count);
/// 1 when each of the n bytes is a character of its own: ASCII, and no CR
/// (which joins a following LF); else 0. 64 bytes a step in SSE2.
int kdk_bytes_are_characters(const uint8_t *bytes, size_t n);
/// The directory of a text whose bytes are all plain (class 0 or 1 of
/// TextBytes.plainBytes) and whose first byte starts a character: then
/// each byte of class 1 starts a character, and `before[c]` (for c from 0
/// to chunks = (n + 63) / 64) is set to how many start before byte 64c,
/// the last of them the text's count; `before[chunks + 1]` and
/// `[chunks + 2]` hold what kdk_plain_find guesses by. Returns 1, or 0 when
/// the text is not plain (or larger than 4 GiB), with `before` partly
/// written.
int kdk_plain_directory(const uint8_t *bytes, size_t n, uint32_t *before);
/// The byte where character i starts, in a text with a directory made by
/// kdk_plain_directory; i must be less than its count. A guess from the
/// average density, a few compares over the directory, then the bits of
/// one 64-byte chunk.
size_t kdk_plain_find(const uint8_t *bytes, size_t n, const uint32_t *before, size_t i);
/// kdk_plain_find without BMI2's pdep (bits counted in a word instead), as
/// on a machine where pdep is slow or missing; tests compare both.
size_t kdk_plain_find_broadword(const uint8_t *bytes, size_t n, const uint32_t *before, size_t i);
#endif
