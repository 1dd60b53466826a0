import CStackBounds
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Knows how much of the current thread's stack is left, so that deep
/// recursion (in the parser, checker or evaluator) ends in a diagnostic
/// instead of a segfault, whatever thread the host runs us on.
enum StackGuard {
    /// Keep this much in reserve for the error path and library code.
    static let reserve = 256 * 1024

    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, { ptr in free(ptr) })
        return k
    }()

    static func limit() -> UInt {
        if let p = pthread_getspecific(key) { return p.load(as: UInt.self) }
        let base = UInt(kdk_stack_low())
        // Unknown bounds: assume the smallest common stack (512 KiB) below here.
        var marker: UInt8 = 0
        let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        let low = base != 0 ? base + UInt(reserve) : here - 512 * 1024 + UInt(reserve) / 2
        let mem = malloc(MemoryLayout<UInt>.size)!
        mem.storeBytes(of: low, as: UInt.self)
        pthread_setspecific(key, mem)
        return low
    }

    /// The error for a thread that has too little stack to start on (a
    /// host's small thread), rather than "nested too deeply" at `1 + 2`.
    static func tooSmall() -> Diagnostic? {
        if hasRoom() { return nil }
        return Diagnostic(.error, "this thread's stack is too small for kdk (it keeps \(reserve / 1024) KB in reserve and needs room above that)",
                          at: .none, help: ["compile and run on a larger thread: inside withLargeStack { ... }, or a Thread with a stackSize of 1 MB or more"],
                          code: .limit)
    }

    /// True while the stack has room for more nesting.
    @inline(__always)
    static func hasRoom(limit: UInt = limit()) -> Bool {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) } > limit
    }
}
