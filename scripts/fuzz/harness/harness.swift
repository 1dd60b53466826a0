// libFuzzer harnesses, one binary (one build): KDK_FUZZ=source (the
// default) feeds the bytes as a program through check, compile and run with
// small limits; KDK_FUZZ=data feeds them as a CSV file, a JSON document and
// JSON lines to the readers. A crash, trap or sanitizer report is a bug;
// errors are fine.
import Foundation

let target = ProcessInfo.processInfo.environment["KDK_FUZZ"] ?? "source"

let fuzzDir: URL = {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("kdk-fuzz-data-\(getpid())")
    try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d
}()

/// Fixed programs over the fuzzed files (compiled once).
let readers: [Program] = ["read_csv(\"in.csv\")", "read_csv(\"in.csv\", on_error: \"collect\")", "read_json(\"in.json\")",
                          "read_jsonl(\"in.json\")", "let r = read_csv(\"in.csv\"); write_csv(\"out.csv\", r); read_csv(\"out.csv\") == r"]
    .compactMap { try? Engine().compile($0) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    if target == "data" {
        try? Data(bytes).write(to: fuzzDir.appendingPathComponent("in.csv"))
        try? Data(bytes).write(to: fuzzDir.appendingPathComponent("in.json"))
        let access = HostAccess(fileRoot: fuzzDir, allowWrite: true, output: { _ in })
        let limits = Limits(maxSteps: 200_000, maxDepth: 64, maxSize: 100_000, timeout: 1)
        for p in readers { _ = try? p.run(limits: limits, access: access) }
        return 0
    }
    let text = String(decoding: bytes, as: UTF8.self)
    let engine = Engine()
    _ = engine.check(text)
    if let program = try? engine.compile(text) {
        _ = try? program.run(limits: Limits(maxSteps: 20_000, maxDepth: 64, maxSize: 10_000, timeout: 1), access: HostAccess(output: { _ in }))
    }
    return 0
}
