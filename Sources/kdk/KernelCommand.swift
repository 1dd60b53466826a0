import ArgumentParser
import Foundation
import KDK
import KDKRepl

/// `kdk kernel --stdio`: the notebook kernel's protocol (`Kernel`) on
/// standard input and output, one JSON request per line.
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Serve the notebook kernel protocol (JSON lines) on standard input and output.",
        discussion: """
        Each line of standard input is a request such as
          {"id": 1, "op": "execute", "code": "1 + 1"}
        and each line of output an event or a reply carrying the same id; definitions are
        kept from request to request, as in the REPL. SIGINT cancels the request running.
        The Jupyter kernel (kdk jupyter install) runs this; docs/notebooks.md has the rest.
        """)

    @Flag(help: "Speak the protocol on standard input and output (the only transport).") var stdio = false
    @Option(help: "The folder files are read from (default: the current folder).") var root: String?
    @OptionGroup var options: LimitOptions

    func run() throws {
        guard stdio else { throw ValidationError("kdk kernel needs --stdio") }
        Interrupt.install()
        let folder = root.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let kernel = Kernel(root: folder, limits: options.limits, write: { line in
            // The notebook went away: nobody is left to answer.
            do { try FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8)) } catch { Foundation.exit(0) }
        })
        kernel.session.isCancelled = { Interrupt.isSet }
        var reader = LineReader(fd: 0)
        while let line = reader.next() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            kernel.handle(line)
        }
    }
}

/// Lines from a file descriptor, read through EINTR: a SIGINT that arrives
/// while the kernel waits for a request must not look like the end of input.
struct LineReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var done = false

    init(fd: Int32) { self.fd = fd }

    mutating func next() -> String? {
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<nl], as: UTF8.self)
                buffer.removeSubrange(...nl)
                return line
            }
            if done {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = [] }
                return String(decoding: buffer, as: UTF8.self)
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { buffer += chunk[..<n] } else if n == 0 || errno != EINTR { done = true }
        }
    }
}
