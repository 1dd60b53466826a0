/// The kdk version, shown by `kdk --version` and the REPL banner.
public enum KDKInfo {
    /// The version string.
    public static let version = "0.2.0"
}
