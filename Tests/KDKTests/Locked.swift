import Synchronization

/// A value that closures running on any thread may update, for tests that
/// collect output (checked `Sendable`: every access takes the lock).
final class Locked<T: Sendable>: Sendable {
    private let storage: Mutex<T>
    init(_ value: T) { storage = Mutex(value) }
    /// The current value.
    var value: T { storage.withLock { $0 } }
    /// Changes the value under the lock.
    func update(_ change: (inout T) -> Void) { storage.withLock { change(&$0) } }
}
