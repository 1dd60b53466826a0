// pthread_getattr_np is a GNU extension that Swift's Glibc module does not
// export, so the stack bounds are read here.
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "stack_bounds.h"

uintptr_t kdk_stack_low(void) {
#if defined(__APPLE__)
    pthread_t self = pthread_self();
    return (uintptr_t)pthread_get_stackaddr_np(self) - pthread_get_stacksize_np(self);
#else
    pthread_attr_t attr;
    void *addr = 0;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
    pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
    return (uintptr_t)addr;
#endif
}

// A thread with a stack mapped here rather than by pthread_create, so deep but
// legitimate recursion is bounded by the run's limits rather than by the
// thread: MAP_NORESERVE reserves address space only; unused pages cost nothing.
struct kdk_thread {
    pthread_t id;
    void *stack;
    size_t mapped;
    void (*body)(void *);
    void *context;
};

static void *kdk_thread_main(void *arg) {
    kdk_thread *t = arg;
    t->body(t->context);
    return 0;
}

enum { guard_size = 1 << 16 };

kdk_thread *kdk_thread_start(size_t size, void (*body)(void *), void *context) {
    kdk_thread *t = malloc(sizeof *t);
    if (!t) return 0;
    t->body = body;
    t->context = context;
    t->mapped = size + guard_size;
    t->stack = mmap(0, t->mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE
#ifdef MAP_STACK
                    | MAP_STACK
#endif
                    , -1, 0);
    if (t->stack == MAP_FAILED) { free(t); return 0; }
    mprotect(t->stack, guard_size, PROT_NONE);  // an overflow faults instead of writing below
    // The thread starts with every signal blocked, so Ctrl-C (SIGINT) and
    // friends reach the thread that waits at the prompt, whose read they
    // must interrupt; the run sees Ctrl-C through the flag the handler sets.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_t attr;
    int ok = pthread_attr_init(&attr) == 0
        && pthread_attr_setstack(&attr, (char *)t->stack + guard_size, size) == 0
        && pthread_create(&t->id, &attr, kdk_thread_main, t) == 0;
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, 0);
    if (!ok) { munmap(t->stack, t->mapped); free(t); return 0; }
    return t;
}

void kdk_block_signals(void) {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, 0);
}

void kdk_thread_join(kdk_thread *t) {
    pthread_join(t->id, 0);
    munmap(t->stack, t->mapped);
    free(t);
}

void kdk_release_unused_stack(void) {
    uintptr_t low = kdk_stack_low();
    if (!low) return;
    char here;
    long page = sysconf(_SC_PAGESIZE);
    // Keep 64 KiB below the caller's frame: the caller goes on to use it.
    uintptr_t end = ((uintptr_t)&here - (1 << 16)) & ~(uintptr_t)(page - 1);
    uintptr_t start = (low + page - 1) & ~(uintptr_t)(page - 1);
    if (end > start) madvise((void *)start, end - start, MADV_DONTNEED);
}
