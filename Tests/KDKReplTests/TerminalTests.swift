import Foundation
import XCTest

/// Runs `pty/repl_pty.py`, which drives the real kdk binary in a
/// pseudo-terminal with pexpect (history, completion, multi-line input,
/// Ctrl-C, UTF-8 editing). Skipped when python3 or pexpect is missing.
final class TerminalTests: XCTestCase {
    func testReplInAPseudoTerminal() throws {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let root = here.deletingLastPathComponent().deletingLastPathComponent()
        let kdk = root.appendingPathComponent(".build/debug/kdk").path
        guard FileManager.default.isExecutableFile(atPath: kdk) else { throw XCTSkip("build kdk first") }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import pexpect"]
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else { throw XCTSkip("python3 with pexpect is needed (pip install pexpect)") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", here.appendingPathComponent("pty/repl_pty.py").path, kdk]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.contains(" passed, 0 failed"), text)
    }
}
