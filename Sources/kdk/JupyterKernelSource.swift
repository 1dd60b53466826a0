/// The Jupyter kernel `kdk jupyter install` writes (kdk_kernel.py): ipykernel
/// speaks Jupyter's wire protocol (ZeroMQ sockets, signed messages,
/// heartbeat, control channel) and this relays each request to `kdk kernel
/// --stdio`, the session that does the work. Kept in the binary, so an
/// installed kdk needs no other file. docs/design.md says why a wrapper.
enum JupyterKernelSource {
    static let python = #"""
"""The kdk Jupyter kernel: relays Jupyter's requests to `kdk kernel --stdio`.

Written by `kdk jupyter install`; the kdk binary is $KDK_BINARY. Interrupt
(SIGINT) is passed on to kdk, which cancels the running cell and stays usable.
"""
import json
import os
import signal
import subprocess
import sys

from ipykernel.kernelapp import IPKernelApp
from ipykernel.kernelbase import Kernel

KDK = os.environ.get("KDK_BINARY", "kdk")


def version():
    try:
        out = subprocess.run([KDK, "--version"], capture_output=True, text=True, timeout=10).stdout.strip()
        return out or "unknown"
    except OSError:
        return "unknown"


class KdkKernel(Kernel):
    implementation = "kdk"
    implementation_version = version()
    language = "kdk"
    language_version = implementation_version
    language_info = {"name": "kdk", "mimetype": "text/x-kdk", "file_extension": ".kdk", "pygments_lexer": "text"}
    banner = "kdk " + implementation_version + ": exact-money rules and scenarios"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.next_id = 0
        self.child = subprocess.Popen([KDK, "kernel", "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      text=True, encoding="utf-8", bufsize=1)

    def request(self, op, on_event=None, **fields):
        """Sends one request; passes its events to on_event; returns its reply."""
        self.next_id += 1
        ident = self.next_id
        self.child.stdin.write(json.dumps(dict(fields, id=ident, op=op)) + "\n")
        self.child.stdin.flush()
        while True:
            try:
                line = self.child.stdout.readline()
            except KeyboardInterrupt:
                # Interrupt: kdk cancels the cell and replies with an error.
                self.child.send_signal(signal.SIGINT)
                continue
            if not line:
                raise RuntimeError("the kdk process ended (exit status %s)" % self.child.poll())
            message = json.loads(line)
            if message.get("id") != ident:
                continue
            if message.get("event") == "reply":
                return message
            if on_event:
                on_event(message)

    def relay(self, event):
        if event["event"] == "stream":
            self.send_response(self.iopub_socket, "stream", {"name": event["name"], "text": event["text"]})
        elif event["event"] == "display":
            self.send_response(self.iopub_socket, "display_data", {"data": event["data"], "metadata": {}})

    async def do_execute(self, code, silent, store_history=True, user_expressions=None, allow_stdin=False, **kwargs):
        reply = self.request("execute", None if silent else self.relay, code=code)
        if reply["status"] == "error":
            content = {"ename": reply["ename"], "evalue": reply["evalue"], "traceback": reply["traceback"]}
            if not silent:
                self.send_response(self.iopub_socket, "error", content)
            return dict(content, status="error", execution_count=self.execution_count)
        if reply.get("data") and not silent:
            self.send_response(self.iopub_socket, "execute_result",
                               {"execution_count": self.execution_count, "data": reply["data"], "metadata": {}})
        return {"status": "ok", "execution_count": self.execution_count, "payload": [], "user_expressions": {}}

    async def do_complete(self, code, cursor_pos):
        reply = self.request("complete", code=code, cursor=cursor_pos)
        return {"status": "ok", "matches": reply["matches"], "cursor_start": reply["cursor_start"],
                "cursor_end": reply["cursor_end"], "metadata": {}}

    async def do_inspect(self, code, cursor_pos, detail_level=0, omit_sections=()):
        reply = self.request("inspect", code=code, cursor=cursor_pos)
        return {"status": "ok", "found": reply["found"], "data": reply["data"], "metadata": {}}

    async def do_is_complete(self, code):
        reply = self.request("is_complete", code=code)
        return {"status": reply["status"], "indent": reply["indent"]}

    async def do_shutdown(self, restart):
        self.child.stdin.close()
        try:
            self.child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.child.kill()
        return {"status": "ok", "restart": restart}


if __name__ == "__main__":
    IPKernelApp.launch_instance(kernel_class=KdkKernel)
"""#
}
