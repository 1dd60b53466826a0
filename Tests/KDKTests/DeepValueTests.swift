import Foundation
import XCTest
@testable import KDK

/// A value nested ten million deep is freed without recursion (`Reclaimer`),
/// so freeing it is safe on a host's small thread: inside the run, and in the
/// host after the run returned it.
final class DeepValueTests: XCTestCase {
    static let limits = Limits(maxSteps: 100_000_000, maxSize: 50_000_000)

    /// `body` on a thread with a 512 KB stack (Swift's recursive free of a
    /// list nested ten million deep needs about 1.6 GB of stack).
    static func onSmallThread(_ body: @escaping @Sendable () throws -> String) -> String {
        onThread(stack: 512 * 1024, body)
    }

    /// Ten million levels: built by the script, returned through
    /// `Program.run`, and let go of by the host on its 512 KB thread.
    func testAListNestedTenMillionDeepIsFreedOnASmallThread() throws {
        let program = try Engine().compile("(1...10000000).reduce([], (acc, i) => [i, acc])")
        let text = Self.onSmallThread {
            var v = try program.run(limits: Self.limits)
            guard case .list(let top) = v, top.count == 2 else { return "not a list of two" }
            let first = top[0].literal()
            v = .none  // the host lets go of it here
            return "\(first) \(v.literal())"
        }
        XCTAssertEqual(text, "10000000 none")
    }

    /// A million levels (a 512 KB thread holds a few thousand), freed inside
    /// the run: lists, records, the two mixed, and closures that capture
    /// the closure before them.
    func testDeepValuesAreFreedInsideTheRun() throws {
        for source in ["let deep = (1...1000000).reduce([], (acc, i) => [acc])\nlen(deep)",
                       "let deep = (1...1000000).reduce({v: 0}, (acc, i) => {v: acc})\nlen(deep)",
                       "let deep = (1...1000000).reduce([], (acc, i) => [{next: acc, i: i}])\nlen(deep)",
                       "let deep = (1...1000000).reduce(x => x, (g, i) => (y => g(y)))\nlen([deep])"] {
            let program = try Engine().compile(source)
            XCTAssertEqual(Self.onSmallThread { try program.run(limits: Self.limits).literal() }, "1", source)
        }
    }

    /// What the reclaimer takes over is freed, not kept or leaked.
    func testEveryNestedValueIsReleased() throws {
        weak var last: ListStorage?
        do {
            var v: Value = .list([])
            for _ in 0..<10_000 { v = .list([v, .record(Record.make([("a", v)]))]) }
            if case .list(let l) = v { last = l.storage }
            XCTAssertNotNil(last)
        }
        XCTAssertNil(last)
    }
}
