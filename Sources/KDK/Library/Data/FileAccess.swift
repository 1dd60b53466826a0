import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension HostAccess {
    /// Resolves a script's path against the folder the host granted; a path
    /// that leaves it (after following links) is refused.
    func resolve(_ path: String, writing: Bool) throws -> URL {
        guard let root = fileRoot else {
            throw EvalError("this program may not \(writing ? "write" : "read") files",
                            help: "the host did not grant file access")
        }
        if writing && !allowWrite {
            throw EvalError("this program may not write files", help: "the host granted read access only")
        }
        let url = (path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)).standardizedFileURL
        let rootPath = root.standardizedFileURL.resolvingSymlinksInPath().path
        let real = writing ? url.deletingLastPathComponent().resolvingSymlinksInPath().appendingPathComponent(url.lastPathComponent).path
                           : url.resolvingSymlinksInPath().path
        guard real == rootPath || real.hasPrefix(rootPath.hasSuffix("/") ? rootPath : rootPath + "/") else {
            throw EvalError("'\(path)' is outside the folder this program may use (\(rootPath))",
                            help: "use a path inside that folder, or run kdk with --data-root")
        }
        let resolved = URL(fileURLWithPath: real)
        try FileKind.check(resolved, path, writing: writing)
        return resolved
    }
}

/// What is at a path, asked without opening it: opening a FIFO would wait
/// for a writer, and a folder or device is never a data file.
enum FileKind {
    /// Reading: only a regular file (or nothing yet: the caller reports it
    /// missing). Writing: not a folder or device, and not a read-only file.
    static func check(_ url: URL, _ path: String, writing: Bool) throws {
        var st = stat()
        guard stat(url.path, &st) == 0 else { return }
        let kind = st.st_mode & S_IFMT
        if kind == S_IFDIR {
            throw EvalError("'\(path)' is a folder, not a file", help: "give the path of a file inside it")
        }
        if kind != S_IFREG {
            throw EvalError("'\(path)' is not a regular file (a pipe, socket or device)", help: "kdk reads and writes only regular files")
        }
        if writing && access(url.path, W_OK) != 0 {
            throw EvalError("'\(path)' is read-only: kdk does not replace it", help: "make it writable, or write to another path")
        }
    }

    /// A whole file's bytes, read with `open`/`read`: Foundation's
    /// `Data(contentsOf:)` leaks a 4 KB buffer on an empty file
    /// (LeakSanitizer, scripts/fuzz/run), as `FileManager.contents(atPath:)` did.
    static func bytes(_ url: URL) -> [UInt8]? {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        var out: [UInt8] = []
        if fstat(fd, &st) == 0, st.st_size > 0 { out.reserveCapacity(Int(st.st_size)) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
        }
    }

    /// The permission bits of an existing file, to keep them when it is replaced.
    static func mode(_ url: URL) -> mode_t? {
        var st = stat()
        return stat(url.path, &st) == 0 ? st.st_mode & 0o7777 : nil
    }
}
