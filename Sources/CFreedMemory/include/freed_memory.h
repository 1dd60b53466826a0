#ifndef KDK_FREED_MEMORY_H
#define KDK_FREED_MEMORY_H
/// Keeps the memory the process frees for its own later allocations
/// instead of handing it back to the system (glibc's mallopt: one arena,
/// no block mapped on its own, the heap never trimmed); a no-op elsewhere.
/// For one-shot commands: called before any thread is started. Why and
/// what it measured: freed_memory.c.
void kdk_keep_freed_memory(void);
#endif
