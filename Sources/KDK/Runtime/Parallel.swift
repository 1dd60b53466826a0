import Foundation

/// Loops over many rows on several threads, where that cannot be told apart
/// from running them in order: the same results in the same order, the same
/// output, the same warnings, the same errors (issue 12: a 1M-post award
/// spent 40% of its time applying the rules to each post, one at a time).
///
/// Each share of the rows runs on a worker machine of the same program, on
/// a thread of its own, with the parent's evaluated lets. A worker may not do
/// anything whose effect must happen once or in order: evaluate a let or a
/// model field, read or write a file, call into another program. `print`
/// output is kept per share and written in order afterwards. Any error in
/// any share (one of those, a limit, or the code's own error) makes the
/// caller run the rows in order instead, which reports the error exactly
/// as it always has. So a loop costs at most its parallel attempt more.
extension Machine {
    /// Threads `inParallel` uses: `Limits.threads`, else one per core.
    var threadCount: Int { limits.threads ?? ProcessInfo.processInfo.activeProcessorCount }

    /// `body(worker, range)` over `0..<count`, split into ranges run at once
    /// on worker machines; the ranges' results in order. Nil when the loop
    /// should run in order instead (one thread, few rows, a worker already,
    /// or something in a share failed); `body` must then be run in order by
    /// the caller, on this machine. A host function that must wait (async)
    /// cannot on a worker: it fails there, and the loop runs in order.
    public func inParallel<T>(count: Int, minimumPerThread: Int = 4096,
                              _ body: (Machine, Range<Int>) throws -> [T]) -> [T]? {
        let perThread = max(minimumPerThread, 4)  // a host's 0 would divide by zero below
        let threads = min(threadCount, count / perThread)
        guard threads > 1, !isWorker else { return nil }
        // More shares than threads, so that a slow share does not leave a
        // thread idle at the end.
        let shares = min(threads * 4, count / (perThread / 4))
        let bounds = (0...shares).map { count * $0 / shares }
        let results = Shares<[T]>(shares)
        let outputs = Shares<[String]>(shares)
        let workers = Shares<Machine>(shares)
        let parent = Unchecked(self)
        withoutActuallyEscaping(body) { body in
            let work = Unchecked(body)
            DispatchQueue.concurrentPerform(iterations: shares) { k in
                // The share's `print` output, written by its thread only.
                let printed = Guarded<[String]>([])
                // No files: a worker that reads or writes one fails, and the loop runs in order.
                let access = HostAccess(output: { line in printed.withLock { $0.append(line) } })
                let w = Machine(image: parent.value.image, limits: parent.value.limits, access: access, isCancelled: parent.value.isCancelled)
                w.beginWorker(of: parent.value)
                if let part = try? work.value(w, bounds[k]..<bounds[k + 1]) {
                    results[k] = part
                    outputs[k] = printed.withLock { $0 }
                    workers[k] = w
                }
            }
        }
        var all: [T] = []
        all.reserveCapacity(count)
        var steps = stepsTaken
        for k in 0..<shares {
            guard let part = results[k], let w = workers[k] else { return nil }
            all += part
            steps += w.stepsTaken - stepsTaken
        }
        if let max = limits.maxSteps, steps > max { return nil }
        // Now the effects, in order: output, warnings, steps.
        for k in 0..<shares {
            for line in outputs[k] ?? [] { access.output(line) }
            warnings += workers[k]?.warnings ?? []
        }
        stepBudget -= steps - stepsTaken
        counts.parallelLoops += 1
        return all
    }

    /// `body(i)` for each `i` in `0..<count`, on up to `threadCount`
    /// threads, each taking the next index when it finishes one; the results
    /// in index order. For work that runs no kdk code and touches nothing
    /// shared (building a table's columns).
    package func onCores<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        let threads = min(isWorker ? 1 : threadCount, count)
        guard threads > 1 else { return (0..<count).map(body) }
        let results = Shares<T>(count)
        let next = Guarded(0)
        withoutActuallyEscaping(body) { body in
            let work = Unchecked(body)
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while true {
                    let i = next.withLock { n -> Int in defer { n += 1 }; return n }
                    guard i < count else { return }
                    results[i] = work.value(i)
                }
            }
        }
        return (0..<count).map { results[$0]! }
    }
}

/// One slot per share, each written by one thread only, read after all
/// have finished (`concurrentPerform` returns then). The slots are a raw
/// buffer: writing through an array, even to different elements, is a
/// mutation of the array itself, which ThreadSanitizer rightly reports.
final class Shares<T>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<T?>
    private let count: Int
    init(_ n: Int) {
        count = n
        slots = .allocate(capacity: n)
        slots.initialize(repeating: nil, count: n)
    }
    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }
    subscript(k: Int) -> T? {
        get { slots[k] }
        set { slots[k] = newValue }
    }
}

/// Values handed one to each thread: `take(k)` moves value `k` out, so
/// it is freed as soon as its thread is done with it. Each slot is taken
/// by one thread only.
struct Shelf<T>: Sendable {
    private let slots: Shares<T>
    init(_ values: [T]) {
        slots = Shares(values.count)
        for (k, v) in values.enumerated() { slots[k] = v }
    }
    func take(_ k: Int) -> T {
        defer { slots[k] = nil }
        return slots[k]!
    }
}

/// A value handed to worker threads, which only read it while its owner
/// waits, untouched, until they finish (the parent machine, the loop's
/// body, a block of bytes being read).
struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
