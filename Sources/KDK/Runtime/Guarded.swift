import Foundation

/// State shared across threads, reached only through `withLock`.
///
/// Unchecked `Sendable`: every access to `state` holds `lock`, and `withLock`
/// unlocks on a throw too. It is a pthread mutex (`NSLock`) rather than
/// `Synchronization.Mutex` because ThreadSanitizer cannot see `Mutex`'s futex
/// on Linux and reports races that are not there; with a pthread mutex
/// `scripts/tsan` checks what this type promises (ConcurrencyTests,
/// UnitRegistryTests).
final class Guarded<State>: @unchecked Sendable {
    private let lock = NSLock()
    /// Unchecked exclusivity: the lock already serialises every access, and
    /// Swift's run-time check cost as much as the lock itself.
    @exclusivity(unchecked) private var state: State

    init(_ state: State) { self.state = state }

    /// Runs `body` with the state, under the lock.
    func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}
