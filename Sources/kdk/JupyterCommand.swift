import ArgumentParser
import Foundation
import KDK

/// `kdk jupyter install`: writes the `kdk` kernelspec, so Jupyter (Lab,
/// Notebook, VS Code) offers kdk as a kernel.
struct JupyterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jupyter",
        abstract: "Jupyter support: install the kdk kernel.",
        subcommands: [Install.self])

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Install the kdk kernelspec (display name \"kdk\").",
            discussion: """
            Writes kernel.json and the kernel's wrapper (kdk_kernel.py, which needs ipykernel:
            pip install ipykernel) to a kernels folder Jupyter searches:
              --user          ~/.local/share/jupyter/kernels/kdk (or $JUPYTER_DATA_DIR/kernels/kdk)
              --prefix DIR    DIR/share/jupyter/kernels/kdk (a virtual environment's)
              (neither)       /usr/local/share/jupyter/kernels/kdk
            The kernel runs this kdk binary (kdk kernel --stdio). Then `jupyter kernelspec list`
            shows kdk. See docs/notebooks.md.
            """)

        @Flag(help: "Install for the current user.") var user = false
        @Option(help: "Install under this prefix (e.g. a virtual environment).") var prefix: String?
        @Option(help: "The Python that runs the wrapper (default: the first python3 on PATH with ipykernel).") var python: String?

        func validate() throws {
            if user && prefix != nil { throw ValidationError("choose --user or --prefix, not both") }
        }

        func run() throws {
            let env = ProcessInfo.processInfo.environment
            let folder: URL
            if user {
                let data = env["JUPYTER_DATA_DIR"].map { URL(fileURLWithPath: $0) }
                    ?? URL(fileURLWithPath: env["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".local/share/jupyter")
                folder = data.appendingPathComponent("kernels/kdk")
            } else if let prefix {
                folder = URL(fileURLWithPath: prefix).appendingPathComponent("share/jupyter/kernels/kdk")
            } else {
                folder = URL(fileURLWithPath: "/usr/local/share/jupyter/kernels/kdk")
            }
            let kdk = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
            let pythonPath = python ?? Self.pythonWithIPykernel() ?? "python3"
            let spec: [String: Any] = [
                "argv": [pythonPath, "{resource_dir}/kdk_kernel.py", "-f", "{connection_file}"],
                "display_name": "kdk",
                "language": "kdk",
                "interrupt_mode": "signal",
                "env": ["KDK_BINARY": kdk],
                "metadata": ["kdk_version": KDKInfo.version],
            ]
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let json = try JSONSerialization.data(withJSONObject: spec, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                try json.write(to: folder.appendingPathComponent("kernel.json"))
                try JupyterKernelSource.python.write(to: folder.appendingPathComponent("kdk_kernel.py"), atomically: true, encoding: .utf8)
            } catch {
                try? FileHandle.standardError.write(contentsOf: Data("error: cannot write the kernelspec to \(folder.path): \(error.localizedDescription)\nhelp: use --user, or --prefix DIR\n".utf8))
                throw ExitCode(1)
            }
            print("installed the kdk kernel in \(folder.path) (kdk: \(kdk), python: \(pythonPath))")
            if python == nil, Self.pythonWithIPykernel() == nil {
                try? FileHandle.standardError.write(contentsOf: Data("warning: no python3 on PATH has ipykernel; the kernel needs it: pip install ipykernel\n".utf8))
            }
        }

        /// The first `python3` on PATH that can import ipykernel.
        static func pythonWithIPykernel() -> String? {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
            for dir in path.split(separator: ":") {
                let candidate = "\(dir)/python3"
                guard FileManager.default.isExecutableFile(atPath: candidate) else { continue }
                let p = Process()
                p.executableURL = URL(fileURLWithPath: candidate)
                p.arguments = ["-c", "import ipykernel"]
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                guard (try? p.run()) != nil else { continue }
                p.waitUntilExit()
                if p.terminationStatus == 0 { return candidate }
            }
            return nil
        }
    }
}
