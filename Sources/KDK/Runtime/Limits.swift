import Foundation

/// Bounds on what one run may do. Exceeding any is a clean error.
/// 0 means "no limit" for `maxSteps` and `timeout`, as it does for the
/// command line's `--max-steps 0` and `--timeout 0` (nil too).
public struct Limits: Sendable {
    /// Function calls and library loop iterations; nil or 0 for no limit.
    public var maxSteps: Int? {
        get { steps }
        set { steps = newValue.flatMap { $0 > 0 ? $0 : nil } }
    }
    private var steps: Int?
    /// Nested calls (recursion depth); at least 1.
    public var maxDepth: Int { didSet { maxDepth = max(1, maxDepth) } }
    /// Elements in one list, characters in one text, rows read from a file; at least 1.
    public var maxSize: Int { didSet { maxSize = max(1, maxSize) } }
    /// Wall-clock seconds; nil or 0 for no deadline.
    public var timeout: Double? {
        get { seconds }
        set { seconds = newValue.flatMap { $0 > 0 ? $0 : nil } }
    }
    private var seconds: Double?
    /// Threads for work over many rows (a campaign's rules over its entries,
    /// `Machine.inParallel`); nil: one per core; 1: none. Not a bound on
    /// the result: every thread count gives the same answer.
    public var threads: Int? {
        didSet { threads = threads.map { max(1, min($0, 256)) } }
    }
    /// The smallest file `read_csv` reads, and the fewest rows it types, on
    /// several threads: below these, starting threads costs more than they
    /// save (and slowed the data fuzzer ninefold). Tests lower them to check
    /// the threaded path on small files.
    public var parallelFrom = (bytes: 1 << 20, rows: 16_384)
    /// The bytes `read_csv` reads in each block when it reads on threads
    /// (`ParallelReading.blockSize`); tests lower it so that a small file
    /// has many blocks. A block and its pieces' cells are held at once:
    /// 2 MiB rather than 4 took reading a 101 MiB file from 1.51 to 1.43
    /// times its size, at the same speed.
    var csvBlockSize = 2 << 20

    /// Limits with the command line's defaults.
    public init(maxSteps: Int? = 200_000_000, maxDepth: Int = 10_000, maxSize: Int = 50_000_000, timeout: Double? = nil) {
        self.maxDepth = max(1, maxDepth)
        self.maxSize = max(1, maxSize)
        self.maxSteps = maxSteps
        self.timeout = timeout
    }

    /// The command-line flag for each limit, as a host-facing help line names
    /// its property (`raise Limits.maxDepth`).
    static let flags = [("Limits.maxSteps", "--max-steps"), ("Limits.maxDepth", "--max-depth"),
                        ("Limits.maxSize", "--max-size"), ("Limits.timeout", "--timeout")]

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
    /// Receives `print` output (by default it goes nowhere: a host's
    /// standard output is not a script's to write).
    public var output: @Sendable (String) -> Void
    /// Receives what `display(x)` and `chart(...)` show, for a host that can
    /// show more than text (a notebook); nil: they write text to `output`.
    public var show: (@Sendable (Shown) -> Void)?

    /// Hermetic unless a folder is given.
    public init(fileRoot: URL? = nil, allowWrite: Bool = false, output: @escaping @Sendable (String) -> Void = { _ in },
                show: (@Sendable (Shown) -> Void)? = nil) {
        self.fileRoot = fileRoot
        self.allowWrite = allowWrite
        self.output = output
        self.show = show
    }
}

/// Something a program shows in the middle of a run: a value (`display(x)`),
/// or a chart as SVG with its text form for a terminal.
public enum Shown: Sendable {
    case value(Value, DisplayStyle)
    case svg(String, text: String)

    /// What a terminal shows.
    public var text: String {
        switch self {
        case .value(let v, let style): return v.display(style: style)
        case .svg(_, let text): return text
        }
    }
}

extension Diagnostic {
    /// This diagnostic as the `kdk` command and REPL show it: help that names
    /// a limit names its flag (`raise --max-depth`) instead of `Limits.maxDepth`.
    public func namingCommandLineFlags() -> Diagnostic {
        var d = self
        d.help = help.map { line in Limits.flags.reduce(line) { $0.replacingOccurrences(of: $1.0, with: $1.1) } }
        return d
    }
}

/// What one run did, for tests that check a path was taken (kept on the
/// run's machine: nothing process-wide).
struct RunCounts {
    /// Steps taken.
    var steps = 0
    /// Loops run on several threads (`Machine.inParallel`).
    var parallelLoops = 0
    /// Functions evaluated over a table's columns (`TableRows.evaluate`).
    var columnEvaluations = 0
}
