#ifndef KDK_BYTE_REPLACE_H
#define KDK_BYTE_REPLACE_H
#include <stddef.h>
#include <stdint.h>
/// How many bytes of p[0..<n] are x; *before_high is set to 1 when one of
/// them is followed by a byte over 0x7F (a match that may end inside a
/// character), else 0.
size_t kdk_count_byte(const uint8_t *p, size_t n, uint8_t x, int *before_high);

/// p[0..<n] with each byte x replaced by r[0..<rn], written to out, which
/// holds exactly size = n + count * (rn - 1) bytes (count from
/// kdk_count_byte). Returns the bytes written (size).
size_t kdk_replace_byte(const uint8_t *p, size_t n, uint8_t x, const uint8_t *r, size_t rn, uint8_t *out, size_t size);
#endif
