import Foundation

/// The import sandbox: what `import "x.kdk"` may read, and reading source
/// files as UTF-8 with the place of the first invalid byte.
extension Engine {
    /// Reads an imported file: `path` is relative to the importing file and
    /// must stay inside `root` (symbolic links are followed before checking).
    /// An importing file named by a relative path (`name: "rules.kdk"`) is
    /// where that path leads from the current folder when that is inside
    /// `root` (the command line: `kdk run examples/x.kdk`), else inside `root`
    /// (a host that names its rules by their place in `importRoot`).
    static func load(_ path: String, from importer: SourceFile, root: URL) -> Result<(String, String), ImportError> {
        let rootPath = root.standardizedFileURL.resolvingSymlinksInPath().path
        func inside(_ u: URL) -> Bool {
            let real = u.standardizedFileURL.resolvingSymlinksInPath().path
            return real == rootPath || real.hasPrefix(rootPath.hasSuffix("/") ? rootPath : rootPath + "/")
        }
        var base = URL(fileURLWithPath: importer.name).deletingLastPathComponent()
        if !importer.name.hasPrefix("/") && !inside(base) {
            base = root.appendingPathComponent(importer.name).deletingLastPathComponent()
        }
        let url = (path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)).standardizedFileURL
        let real = url.resolvingSymlinksInPath().path
        guard inside(url) else {
            return .failure(ImportError("'\(path)' is outside the folder this script may read (\(rootPath))"))
        }
        guard FileManager.default.fileExists(atPath: real) else {
            return .failure(ImportError("cannot find '\(path)' (looked for \(url.path))"))
        }
        do {
            let text = try readSource(real)
            let shown = importer.name.contains("/") ? (importer.name as NSString).deletingLastPathComponent + "/" + path : path
            return .success(((shown as NSString).standardizingPath, text))
        } catch let d as DiagnosticList {
            return .failure(ImportError(d.diagnostics.first?.message ?? "cannot read '\(path)'"))
        } catch {
            return .failure(ImportError("cannot read '\(path)'"))
        }
    }

    /// Reads a file as UTF-8, reporting the line and column of the first invalid byte.
    public static func readSource(_ path: String) throws -> String {
        do { try FileKind.check(URL(fileURLWithPath: path), path, writing: false) } catch let e as EvalError {
            throw DiagnosticList([Diagnostic(.error, e.message, at: .none, help: e.help.map { [$0] } ?? [], code: .file)])
        }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)) else {
            throw DiagnosticList([Diagnostic(.error, "cannot read '\(path)'", at: .none, code: .file)])
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }  // a UTF-8 byte order mark
        var it = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &it) {
            case .valid(let enc): offset += enc.count; continue
            case .emptyInput: return String(decoding: bytes, as: UTF8.self)
            case .error(let len):
                let prefix = SourceFile(name: path, text: String(decoding: bytes[..<offset], as: UTF8.self) + " ")
                throw DiagnosticList([Diagnostic(.error, "invalid UTF-8 (byte 0x\(String(bytes[offset], radix: 16, uppercase: true)))",
                                                 at: SourceRange(offset, offset + len), in: prefix,
                                                 help: ["save the file as UTF-8"], code: .file)])
            }
        }
    }
}
