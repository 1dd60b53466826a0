import CStackBounds
import Foundation

/// Runs `body` on a thread with a large stack, so deep but legitimate
/// recursion is limited by `Limits.maxDepth` rather than by the caller's
/// thread. The default is 64 GiB of address space, reserved but committed only as
/// used (1 GiB where the system refuses to reserve that much). With a
/// `timeout` (seconds), stops waiting then and throws a time-limit
/// diagnostic; the thread is left to finish (for a process about to exit:
/// the CLI's `--timeout` covers reading, parsing and checking this way).
public func withLargeStack<T: Sendable>(size: Int = 1 << 36, timeout: Double? = nil,
                                        _ body: @escaping @Sendable () throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = LargeStackThread.start(size: size) {
        let result = Result { try body() }  // computed outside the lock, which guards only the hand-over
        box.result.withLock { $0 = result }
        done.signal()
    }
    if let timeout {
        if done.wait(timeout: .now() + timeout) == .timedOut {
            throw DiagnosticList([Diagnostic(.error, "time limit exceeded (\(timeout) s)", at: .none, help: ["raise Limits.timeout"], code: .limit)])
        }
    } else {
        done.wait()
    }
    thread.join()
    guard let result = box.result.withLock({ $0 }) else { throw DiagnosticList([Diagnostic(.error, "internal error: no result", at: .none, code: .runtime)]) }
    return try result.get()
}

/// A thread on a stack reserved (not committed) by `kdk_thread_start`, or a
/// Foundation thread of at most 1 GiB where that cannot be had.
struct LargeStackThread {
    /// Used once, by `join`, on the thread that started it.
    private let handle: OpaquePointer?

    private final class Work {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    static func start(size: Int, _ run: @escaping @Sendable () -> Void) -> LargeStackThread {
        let context = Unmanaged.passRetained(Work(run)).toOpaque()
        if let t = kdk_thread_start(size, { p in Unmanaged<Work>.fromOpaque(p!).takeRetainedValue().run() }, context) {
            return LargeStackThread(handle: t)
        }
        Unmanaged<Work>.fromOpaque(context).release()
        let thread = Thread { kdk_block_signals(); run() }
        thread.stackSize = min(size, 1 << 30)
        thread.start()
        return LargeStackThread(handle: nil)
    }

    /// Waits for the thread to end and releases its stack.
    func join() { if let handle { kdk_thread_join(handle) } }
}

private final class ResultBox<T: Sendable>: Sendable {
    let result = Guarded<Result<T, Error>?>(nil)
}

/// The threads `Program.value` runs on: large stacks (as `withLargeStack`),
/// kept between runs, since starting a thread cost far more than a small
/// rule's evaluation (about 200 µs against 1). A run takes an idle thread,
/// or starts one when none is idle, so runs never wait for each other (an
/// async host function that itself awaits a run cannot deadlock the pool).
/// The pool keeps as many threads as ever ran at once; a run that used a
/// lot of stack gives the pages back when it ends.
final class RunThreads: Sendable {
    static let shared = RunThreads()

    private struct Job {
        let work: @Sendable () -> Void
        let deliver: @Sendable () -> Void
    }
    private struct State {
        var jobs: [Job] = []
        /// Threads waiting on `wake` for a job.
        var idle = 0
        /// Threads handing a result over, which look for a job next: the
        /// caller that gets the result often asks for its next run before
        /// that thread is idle, and should not start another thread.
        var delivering = 0
        /// Threads started.
        var threads = 0
    }
    private let state = Guarded(State())
    private let wake = DispatchSemaphore(value: 0)

    /// How many threads the pool has started.
    var threadCount: Int { state.withLock { $0.threads } }

    /// Runs `work` on one of the pool's threads, then `deliver` (which hands
    /// the result to the caller) once `work`'s own values are freed.
    func submit(_ work: @escaping @Sendable () -> Void, then deliver: @escaping @Sendable () -> Void) {
        enum Taker { case idleThread, deliveringThread, newThread }
        let taker = state.withLock { s -> Taker in
            s.jobs.append(Job(work: work, deliver: deliver))
            if s.idle > 0 { s.idle -= 1; return .idleThread }
            if s.delivering > 0 { s.delivering -= 1; return .deliveringThread }
            s.threads += 1
            return .newThread
        }
        switch taker {
        case .idleThread: wake.signal()
        case .deliveringThread: break
        case .newThread: _ = LargeStackThread.start(size: 1 << 36) { self.work() }
        }
    }

    private func work() {
        while true {
            let next: Job? = state.withLock { s in
                if s.jobs.isEmpty { s.idle += 1; return nil }
                return s.jobs.removeFirst()
            }
            guard let job = next else { wake.wait(); continue }
            let started = DispatchTime.now().uptimeNanoseconds
            job.work()
            // Only a long run can have gone deep enough to leave many stack
            // pages committed; giving them back costs a system call.
            if DispatchTime.now().uptimeNanoseconds - started > 1_000_000 { kdk_release_unused_stack() }
            state.withLock { $0.delivering += 1 }
            job.deliver()
            state.withLock { s in if s.delivering > 0 { s.delivering -= 1 } }
        }
    }
}
