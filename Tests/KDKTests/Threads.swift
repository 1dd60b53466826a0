import Foundation

/// `body` on a thread with a stack of `size` bytes: its result, or the error's text.
func onThread(stack size: Int, _ body: @escaping @Sendable () throws -> String) -> String {
    let box = Locked("")
    let done = DispatchSemaphore(value: 0)
    let t = Thread {
        let text: String
        do { text = try body() } catch { text = "\(error)" }
        box.update { $0 = text }
        done.signal()
    }
    t.stackSize = size
    t.start()
    done.wait()
    return box.value
}
