import ArgumentParser
import Foundation
import KDK
import KDKModels

/// `kdk lsp`: a language server over standard input and output.
struct Lsp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Run the language server (for editors) over standard input and output.",
        discussion: """
        Speaks the Language Server Protocol (JSON-RPC with Content-Length headers):
        diagnostics as you type (the checker's, with codes), hover, completion, go to
        definition, document symbols, formatting (kdk fmt) and a quick fix for each
        misspelt name with a close match. An editor starts it; see docs/editors.md.
        """)

    func run() throws {
        let server = LanguageServer(engine: CoreModels.engine())
        server.serve(input: FileHandle.standardInput, output: FileHandle.standardOutput)
    }
}

/// The protocol's plumbing: reading and writing framed JSON-RPC messages,
/// and dispatching each to `LanguageFeatures`. Written by hand (no package
/// on the allowed list does JSON-RPC over stdio), on Foundation's JSON.
final class LanguageServer {
    let features: LanguageFeatures
    private var output: FileHandle?
    private var buffer = Data()

    init(engine: Engine) { features = LanguageFeatures(engine: engine) }

    func serve(input: FileHandle, output: FileHandle) {
        self.output = output
        while let message = read(input) {
            guard let object = try? JSONSerialization.jsonObject(with: message) as? [String: Any] else {
                send(["jsonrpc": "2.0", "id": NSNull(), "error": ["code": -32700, "message": "parse error"]])
                continue
            }
            handle(object)
        }
    }

    /// One message body, or nil at the end of the input.
    private func read(_ input: FileHandle) -> Data? {
        let separator = Data("\r\n\r\n".utf8)
        while true {
            if let end = buffer.range(of: separator) {
                let header = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
                let length = header.split(separator: "\r\n").compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first.map { max(0, $0) } ?? 0  // a negative length is read as none, not trusted
                let bodyStart = end.upperBound
                if buffer.distance(from: bodyStart, to: buffer.endIndex) >= length {
                    let bodyEnd = buffer.index(bodyStart, offsetBy: length)
                    let body = buffer[bodyStart..<bodyEnd]
                    buffer = Data(buffer[bodyEnd...])
                    return Data(body)
                }
            }
            let chunk = input.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    func send(_ message: [String: Any]) {
        guard let body = try? JSONSerialization.data(withJSONObject: message) else { return }
        output?.write(Data("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
    }

    private func handle(_ m: [String: Any]) {
        let method = m["method"] as? String ?? ""
        let params = m["params"] as? [String: Any] ?? [:]
        let id = m["id"]
        func reply(_ result: Any?) {
            guard let id else { return }
            send(["jsonrpc": "2.0", "id": id, "result": result ?? NSNull()])
        }
        switch method {
        case "initialize":
            reply(["capabilities": [
                "textDocumentSync": 1,  // the whole text on each change
                "hoverProvider": true,
                "completionProvider": ["triggerCharacters": ["."]],
                "definitionProvider": true,
                "documentSymbolProvider": true,
                "documentFormattingProvider": true,
                "codeActionProvider": true,
            ], "serverInfo": ["name": "kdk", "version": KDKInfo.version]])
        case "initialized", "$/cancelRequest", "$/setTrace", "workspace/didChangeConfiguration": break
        case "shutdown": reply(nil)
        case "exit": Foundation.exit(0)
        case "textDocument/didOpen", "textDocument/didChange":
            let doc = params["textDocument"] as? [String: Any] ?? [:]
            guard let uri = doc["uri"] as? String else { return }
            let text = doc["text"] as? String
                ?? ((params["contentChanges"] as? [[String: Any]])?.last?["text"] as? String) ?? ""
            features.open(uri: uri, text: text)
            publish(uri)
        case "textDocument/didClose":
            guard let uri = (params["textDocument"] as? [String: Any])?["uri"] as? String else { return }
            features.close(uri: uri)
            send(["jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": ["uri": uri, "diagnostics": []]])
        case "textDocument/hover": reply(at(params) { features.hover(uri: $0, offset: $1) })
        case "textDocument/completion": reply(at(params) { features.completion(uri: $0, offset: $1) })
        case "textDocument/definition": reply(at(params) { features.definition(uri: $0, offset: $1) })
        case "textDocument/documentSymbol": reply(uri(params).flatMap { features.symbols(uri: $0) })
        case "textDocument/formatting": reply(uri(params).flatMap { features.formatting(uri: $0) })
        case "textDocument/codeAction":
            let diagnostics = (params["context"] as? [String: Any])?["diagnostics"] as? [[String: Any]] ?? []
            reply(uri(params).map { features.codeActions(uri: $0, diagnostics: diagnostics) })
        default:
            if let id { send(["jsonrpc": "2.0", "id": id, "error": ["code": -32601, "message": "method not found: \(method)"]]) }
        }
    }

    private func publish(_ uri: String) {
        send(["jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
              "params": ["uri": uri, "diagnostics": features.diagnostics(uri: uri)]])
    }

    private func uri(_ params: [String: Any]) -> String? { (params["textDocument"] as? [String: Any])?["uri"] as? String }

    /// Runs `body` with the document and the byte offset of the request's position.
    private func at(_ params: [String: Any], _ body: (String, Int) -> Any?) -> Any? {
        guard let uri = uri(params), let p = params["position"] as? [String: Any],
              let line = p["line"] as? Int, let character = p["character"] as? Int,
              let offset = features.offset(uri: uri, line: line, character: character) else { return nil }
        return body(uri, offset)
    }
}
