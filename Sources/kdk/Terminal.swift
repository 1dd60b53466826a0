import ArgumentParser
import Foundation
import KDK
import KDKModels

/// Shared plumbing of the commands: reading sources, running programs on a
/// large stack, printing results and diagnostics.
enum Terminal {
    static var stderrIsTTY: Bool { isatty(2) == 1 }
    static var useColor: Bool { stderrIsTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

    static func report(_ diags: [Diagnostic]) {
        guard !diags.isEmpty else { return }
        let text = diags.map { $0.render(color: useColor) }.joined(separator: "\n\n")
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func loadSource(_ path: String) throws -> String {
        do { return try Engine.readSource(path) } catch let d as DiagnosticList {
            report(d.diagnostics)
            throw ExitCode(1)
        }
    }

    static func execute(source: String, name: String, json: Bool, limits: Limits, root: URL) throws {
        let engine = CoreModels.engine()
        let access = HostAccess(fileRoot: root, allowWrite: true, output: { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        })
        let outcome: Result<(Value, [Diagnostic]), DiagnosticList> = try withLargeStack {
            do {
                let program = try engine.compile(source, name: name, importRoot: root)
                report(program.warnings)
                let (v, w) = try program.runReporting(limits: limits, access: access)
                return .success((v, w))
            } catch let d as DiagnosticList {
                return .failure(d)
            }
        }
        switch outcome {
        case .success(let (value, warnings)):
            report(warnings)
            if json {
                print(JSONOutput.encode(value))
            } else if !value.isNone {
                print(value.display())
            }
        case .failure(let d):
            report(d.diagnostics)
            throw ExitCode(1)
        }
    }
}

/// Values as JSON: numbers keep every digit; quantities become
/// `{"amount": 2000, "unit": "KDK"}`; times and dates ISO 8601 strings.
enum JSONOutput {
    static func encode(_ v: Value, depth: Int = 0) -> String {
        if depth > 200 { return "null" }
        switch v {
        case .none: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let d): return jsonNumber(d)
        case .quantity(let d, let u): return "{\"amount\": \(jsonNumber(d)), \"unit\": \(string(UnitRegistry.shared.name(u)))}"
        case .text(let s): return string(s)
        case .time, .date: return string(v.literal())
        case .list(let items): return "[" + items.map { encode($0, depth: depth + 1) }.joined(separator: ", ") + "]"
        case .record(let r): return "{" + r.fields.map { "\(string($0.0)): \(encode($0.1, depth: depth + 1))" }.joined(separator: ", ") + "}"
        case .range(let r):
            return "{\"lower\": \(encode(r.lower, depth: depth + 1)), \"upper\": \(encode(r.upper, depth: depth + 1)), \"closed\": \(r.closed)}"
        case .function, .model: return string(v.literal())
        }
    }

    static func jsonNumber(_ d: ExactDecimal) -> String {
        let s = d.description
        return s.replacingOccurrences(of: "e+", with: "e")
    }

    static func string(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 { out += String(format: "\\u%04x", c.value) } else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }
}
