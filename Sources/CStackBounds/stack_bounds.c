// pthread_getattr_np is a GNU extension that Swift's Glibc module does not
// export, so the stack bounds are read here.
#define _GNU_SOURCE
#include <pthread.h>
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
