#if os(Linux)
import Glibc
#endif

/// A one-shot command (`kdk run`, `kdk eval`) keeps the memory it frees for
/// its own later allocations instead of handing it back to the system.
///
/// By default glibc gives a large block back as soon as it is freed (an
/// `munmap`, or trimming the heap's top), so the next large text or column
/// lands on fresh pages, and the first write to each is a page fault. On
/// this machine, a KVM guest whose balloon reports free 2 MiB blocks to the
/// host (virtio feature 5, free page reporting), a fresh 2 MiB page
/// sometimes cost 2-3 ms instead of about 0.3, when the host had to back it
/// again: `s[a..<b]` of 9 MB
/// after the text was built took 2.1 ms in most runs and 15-19 ms in some,
/// and 0.8 ms in every run once the memory of the list the text was joined
/// from was reused (scripts/bench/text, `slice`). Peak memory does not grow:
/// what is kept is what the program already held at its peak.
///
/// Blocks up to 32 MiB (glibc's largest threshold) come from the heap, and
/// the heap is not trimmed. The REPL, the kernel and the language server are
/// long-lived and leave glibc's defaults, so they give memory back; hosts
/// embedding the library choose for themselves.
enum FreedMemory {
    static func keepForReuse() {
        #if os(Linux)
        _ = glibcMallopt(-3, 32 << 20)  // M_MMAP_THRESHOLD
        _ = glibcMallopt(-1, Int32.max)  // M_TRIM_THRESHOLD
        #endif
    }
}

#if os(Linux)
/// glibc's `mallopt` (malloc.h, which the Glibc module does not import).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
