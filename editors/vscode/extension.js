// Starts `kdk lsp` for .kdk files: diagnostics as you type, hover,
// completion, go to definition, symbols, formatting and quick fixes.
// `kdk.path` (settings) names the kdk binary when it is not on PATH.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("kdk").get("path") || "kdk";
  client = new LanguageClient(
    "kdk",
    "kdk language server",
    { command, args: ["lsp"] },
    { documentSelector: [{ scheme: "file", language: "kdk" }] }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
