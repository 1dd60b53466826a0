/// Finished machines of one program, kept for its next runs. Setting up a
/// machine (its frame stack, its copy of the globals) costs more than a small
/// rule's whole evaluation, and a host may evaluate a rule millions of times.
/// A run takes a machine (or makes one) and gives it back cleared, so a kept
/// machine holds no values of the run that used it.
final class MachinePool: Sendable {
    /// At most this many are kept: as many as runs overlap in practice.
    static let kept = 16
    private let idle = Guarded<[Machine]>([])

    /// A machine set up for a run on the calling thread.
    func take(image: ProgramImage, limits: Limits, access: HostAccess, isCancelled: @escaping @Sendable () -> Bool) -> Machine {
        if let m = idle.withLock({ $0.popLast() }) {
            m.begin(limits: limits, access: access, isCancelled: isCancelled)
            return m
        }
        return Machine(image: image, limits: limits, access: access, isCancelled: isCancelled)
    }

    /// Clears `m` and keeps it, unless enough are kept or it grew too large.
    func giveBack(_ m: Machine, failed: Bool) {
        guard m.reset(failed: failed) else { return }
        idle.withLock { if $0.count < MachinePool.kept { $0.append(m) } }
    }
}
