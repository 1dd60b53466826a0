#if os(Linux)
import Glibc
#endif

/// A one-shot command (`kdk run`, `kdk eval`) keeps the memory it frees for
/// its own later allocations instead of handing it back to the system.
///
/// By default glibc maps each block of 128 KiB to 32 MiB or more on its own
/// and unmaps it when freed, and trims the heap's top, so the next large
/// text, column or list of row numbers lands on fresh pages: the first
/// write to each is a page fault. On this machine, a KVM guest whose
/// balloon reports free memory to the host (virtio feature 5, free page
/// reporting), a fresh page sometimes costs ten times the usual, when the
/// host must back it again. Measured with this setting against glibc's
/// defaults:
/// - `s[a..<b]` of 9 MB after the text was built: 2.1 ms in most runs and
///   15-19 ms in some, now 0.5-0.8 ms in every run (the pages of the list
///   the text was joined from are reused; scripts/bench/text, `slice`);
/// - the award over ten million posts: 330-360 thousand page faults, now
///   193 thousand (its peak, 780 MB, is the same), and 0.85 s of system time
///   now 0.57 (scripts/bench/scale);
/// - two lists of 40 million numbers and a text of 25 MB: 6.6 s, now 3.7.
///
/// So every block comes from one heap (one arena: the work spread over
/// cores allocates little, and measured no slower), none is mapped alone,
/// and the heap is never trimmed. The REPL, the kernel and the language
/// server are long-lived and keep glibc's defaults, so they give memory
/// back; hosts embedding the library choose for themselves.
enum FreedMemory {
    static func keepForReuse() {
        #if os(Linux)
        _ = glibcMallopt(-8, 1)  // M_ARENA_MAX
        _ = glibcMallopt(-4, 0)  // M_MMAP_MAX
        _ = glibcMallopt(-1, Int32.max)  // M_TRIM_THRESHOLD
        #endif
    }
}

#if os(Linux)
/// glibc's `mallopt` (malloc.h, which the Glibc module does not import).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
