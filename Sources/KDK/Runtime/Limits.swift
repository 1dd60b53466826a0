import Foundation

/// Bounds on what one run may do. Exceeding any is a clean error.
public struct Limits: Sendable {
    /// Function calls and library loop iterations; nil for no limit.
    public var maxSteps: Int?
    /// Nested calls (recursion depth).
    public var maxDepth: Int
    /// Elements in one list, characters in one text, rows read from a file.
    public var maxSize: Int
    /// Wall-clock seconds; nil for no deadline.
    public var timeout: Double?

    /// Limits with the command line's defaults.
    public init(maxSteps: Int? = 200_000_000, maxDepth: Int = 10_000, maxSize: Int = 50_000_000, timeout: Double? = nil) {
        self.maxSteps = maxSteps
        self.maxDepth = maxDepth
        self.maxSize = maxSize
        self.timeout = timeout
    }

    /// The default limits.
    public static let `default` = Limits()
}

/// Where an embedded program's effects go. The default is hermetic: no files,
/// output collected by the host.
public struct HostAccess: Sendable {
    /// Folder a script may read from and write to (and below); nil: none.
    public var fileRoot: URL?
    /// Whether `write_csv` and friends may write under `fileRoot`.
    public var allowWrite: Bool
    /// Receives `print` output.
    public var output: @Sendable (String) -> Void

    /// Hermetic unless a folder is given.
    public init(fileRoot: URL? = nil, allowWrite: Bool = false, output: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.fileRoot = fileRoot
        self.allowWrite = allowWrite
        self.output = output
    }
}
