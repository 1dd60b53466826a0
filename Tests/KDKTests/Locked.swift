@testable import KDK

/// A value that closures running on any thread may update, for tests that
/// collect output (on KDK's `Guarded`, so ThreadSanitizer sees the lock).
final class Locked<T: Sendable>: Sendable {
    private let storage: Guarded<T>
    init(_ value: T) { storage = Guarded(value) }
    /// The current value.
    var value: T { storage.withLock { $0 } }
    /// Changes the value under the lock.
    func update(_ change: (inout T) -> Void) { storage.withLock { change(&$0) } }
}
