import Foundation

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
        return URL(fileURLWithPath: real)
    }
}
