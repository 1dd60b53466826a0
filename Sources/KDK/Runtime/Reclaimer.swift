import Foundation

/// Frees nested lists and records without recursion.
///
/// Swift frees a value by releasing what it holds, so a list in a list in a
/// list ten million deep is freed ten million frames deep, far past a host
/// thread's stack (a 512 KB thread holds a few thousand levels). Instead, the
/// first list or record that is freed on a thread with nested values inside
/// becomes the thread's reclaimer: it keeps a work list of arrays still to
/// free and frees them one by one; a list or record freed while that is under
/// way only appends its items to the work list and returns. The stack then
/// holds at most a reclaimer, one array being freed, and one `deinit`,
/// however deep the value (`DeepValueTests`).
enum Reclaimer {
    /// The work list of the reclaimer running on this thread, if one is.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    private final class WorkList {
        var arrays: [[Value]] = []
    }

    /// Whether freeing one of these values could free another list or record
    /// (a function, model or range may hold one).
    @inline(__always)
    static func mayNest(_ v: Value) -> Bool {
        switch v {
        case .list, .record, .function, .model, .range: return true
        default: return false
        }
    }

    /// Whether any of these values may nest (stops at the first that may).
    static func mayNest(_ items: [Value]) -> Bool {
        items.withUnsafeBufferPointer { p in
            for v in p where mayNest(v) { return true }
            return false
        }
    }

    /// Frees `items`: appended to this thread's work list when a reclaimer is
    /// running, else freed here as the reclaimer.
    static func free(_ items: consuming [Value]) {
        if let running = pthread_getspecific(key) {
            Unmanaged<WorkList>.fromOpaque(running).takeUnretainedValue().arrays.append(consume items)
            return
        }
        let work = WorkList()
        work.arrays.append(consume items)
        pthread_setspecific(key, Unmanaged.passUnretained(work).toOpaque())
        while let next = work.arrays.popLast() {
            _ = next  // freed at the end of this pass; the nested lists and records land on `work`
        }
        pthread_setspecific(key, nil)
    }
}
