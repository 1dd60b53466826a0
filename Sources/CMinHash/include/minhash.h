#ifndef KDK_MINHASH_H
#define KDK_MINHASH_H
#include <stddef.h>
#include <stdint.h>

/// The number of MinHash values kdk_minhash computes (mark_copies uses up to this many).
#define KDK_MINHASH_COUNT 128

/// For each of the 128 hashes i, sig[i] = min(sig[i], min over x of a[i] * x + c[i] (mod 2^32)).
void kdk_minhash(const uint32_t *x, size_t count, const uint32_t *a, const uint32_t *c, uint32_t *sig);

#endif
