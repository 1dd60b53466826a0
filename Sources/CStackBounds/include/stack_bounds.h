#ifndef KDK_STACK_BOUNDS_H
#define KDK_STACK_BOUNDS_H
#include <stdint.h>
/// Lowest address of the calling thread's stack, or 0 if unknown.
uintptr_t kdk_stack_low(void);
#endif
