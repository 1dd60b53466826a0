#ifndef KDK_STACK_BOUNDS_H
#define KDK_STACK_BOUNDS_H
#include <stdint.h>
/// Lowest address of the calling thread's stack, or 0 if unknown.
uintptr_t kdk_stack_low(void);

#include <stddef.h>
/// A thread started by kdk_thread_start.
typedef struct kdk_thread kdk_thread;
/// Starts body(context) on a new thread whose stack is `size` bytes of
/// address space reserved without being committed (pages are committed as
/// they are touched, so a huge stack costs only what is used). NULL when
/// the stack or the thread cannot be made (the caller falls back).
kdk_thread *kdk_thread_start(size_t size, void (*body)(void *), void *context);
/// Waits for the thread to end, then releases its stack.
void kdk_thread_join(kdk_thread *thread);
/// Blocks every signal in the calling thread (a worker: signals such as
/// Ctrl-C must reach the thread reading the terminal).
void kdk_block_signals(void);
/// Gives the pages of the calling thread's stack below its current frame
/// back to the system (a pooled thread after a deep run).
void kdk_release_unused_stack(void);
#endif
