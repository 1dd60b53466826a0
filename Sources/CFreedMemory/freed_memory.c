// A one-shot command (`kdk run`, `kdk eval`) keeps the memory it frees for
// its own later allocations instead of handing it back to the system.
//
// By default glibc maps a large block on its own (from 128 KiB, a
// threshold that rises to 32 MiB as such blocks are freed) and unmaps it
// when freed, and trims the heap's top, so the next large text, column or
// list of row numbers lands on fresh pages: the first write to each is a
// page fault. On this machine, a KVM guest whose balloon reports free
// memory to the host (virtio feature 5, free page reporting), such a fault
// sometimes costs ten times the usual, when the host must back the page
// again. Measured with this setting against glibc's defaults:
// - `s[a..<b]` of 9 MB after the text was built: 2.1 ms in most runs and
//   15-19 ms in some, now 0.5-0.8 ms in every run (the pages of the list
//   the text was joined from are reused; scripts/bench/text, `slice`);
// - the award over ten million posts (scripts/bench/scale): 324-353
//   thousand page faults, now 193 thousand, for a peak of 770-815 MB, now
//   789-794; system time 0.79-0.96 s, now 0.49-0.74 (four alternating
//   runs of each).
//
// So every block comes from one heap (one arena: the work spread over
// cores allocates little, and measured no slower), none is mapped alone,
// and the heap is never trimmed. The REPL, the kernel and the language
// server are long-lived and keep glibc's defaults, so they give memory
// back; hosts embedding the library choose for themselves.
//
// In C because glibc's mallopt is declared in malloc.h, which Swift's
// Glibc module does not import.
#include "freed_memory.h"
#include <limits.h>  // and with it features.h, which defines __GLIBC__
#if defined(__GLIBC__)
#include <malloc.h>

void kdk_keep_freed_memory(void) {
    mallopt(M_ARENA_MAX, 1);
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
}
#else
void kdk_keep_freed_memory(void) {}
#endif
