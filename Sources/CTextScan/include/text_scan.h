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
#endif
