// The inner loop of MinHash (mark_copies): 128 multiply-adds and minimums
// per shingle, more than half of the work at a million posts. Swift compiles
// for the x86-64 baseline (SSE2), which has neither a 32-bit multiply nor an
// unsigned minimum for vectors; here the same loop is also compiled for
// AVX2 (8 lanes, one instruction each) and chosen at run time when the
// processor has it. Both give the same values.
#include "minhash.h"

#define KDK_MINHASH_BODY                                                   \
    for (size_t k = 0; k < count; k++) {                                   \
        const uint32_t v = x[k];                                           \
        for (size_t i = 0; i < KDK_MINHASH_COUNT; i++) {                   \
            const uint32_t h = a[i] * v + c[i];                            \
            sig[i] = h < sig[i] ? h : sig[i];                              \
        }                                                                  \
    }

static void minhash_portable(const uint32_t *x, size_t count, const uint32_t *a, const uint32_t *c, uint32_t *sig) {
    KDK_MINHASH_BODY
}

#if defined(__x86_64__) && defined(__clang__)
__attribute__((target("avx2")))
static void minhash_avx2(const uint32_t *x, size_t count, const uint32_t *a, const uint32_t *c, uint32_t *sig) {
    KDK_MINHASH_BODY
}
#endif

void kdk_minhash(const uint32_t *x, size_t count, const uint32_t *a, const uint32_t *c, uint32_t *sig) {
#if defined(__x86_64__) && defined(__clang__)
    if (__builtin_cpu_supports("avx2")) { minhash_avx2(x, count, a, c, sig); return; }
#endif
    minhash_portable(x, count, a, c, sig);
}
