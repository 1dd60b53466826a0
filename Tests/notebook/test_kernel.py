"""The kdk Jupyter kernel as Jupyter's own test suite sees it
(jupyter_kernel_test), plus interrupt and restart."""
import time
import unittest

import jupyter_client
import jupyter_kernel_test


class KdkKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "kdk"
    language_name = "kdk"
    file_extension = ".kdk"
    code_hello_world = 'print("hello, world")'
    completion_samples = [
        {"text": "mark_co", "matches": {"mark_copies"}},
        {"text": "read_csv(\"x\", ty", "matches": {"types:", "type"}},
    ]
    complete_code_samples = ["1 + 1", "let x = 5 USD", ":env"]
    incomplete_code_samples = ["scenario S {", "[1, 2,", "1 +"]
    code_generate_error = "5 USD + 1"
    code_execute_result = [
        {"code": "0.1 + 0.2", "result": "0.3"},
        {"code": "let price = 0.04 USD\nprice * 2_000", "result": "80.00 USD"},
    ]
    code_display_data = [
        {"code": "display([{a: 1, b: \"x\"}])", "mime": "text/html"},
        {"code": "chart([{year: 2026, v: 1}, {year: 2027, v: 2}])", "mime": "image/svg+xml"},
    ]
    code_inspect_sample = "pmt"

    def test_kdk_definitions_persist_and_errors_leave_the_session_usable(self):
        self.flush_channels()
        reply, output = self.execute_helper(code="let fee = 2 USD")
        self.assertEqual(reply["content"]["status"], "ok")
        reply, output = self.execute_helper(code="fee + 1")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertIn("error: cannot add these", reply["content"]["evalue"])
        reply, output = self.execute_helper(code="fee * 3")
        self.assertEqual(reply["content"]["status"], "ok")
        result = [o for o in output if o["msg_type"] == "execute_result"][0]
        self.assertEqual(result["content"]["data"]["text/plain"], "6.00 USD")
        self.assertEqual(result["content"]["data"]["application/json"], {"amount": 6, "unit": "USD"})

    def test_kdk_table_html_notes_how_many_rows(self):
        self.flush_channels()
        reply, output = self.execute_helper(code="range(1, 121).map(i => {i: i, square: i * i})")
        html = [o for o in output if o["msg_type"] == "execute_result"][0]["content"]["data"]["text/html"]
        self.assertTrue(html.startswith('<table class="kdk">\n<thead><tr><th style="text-align:right">i</th><th style="text-align:right">square</th></tr></thead>'), html[:80])
        self.assertEqual(html.count("<tr>"), 51)  # the header and 50 rows
        self.assertTrue(html.endswith("<p>showing 50 of 120 rows</p>"), html[-60:])

    def test_kdk_error_shows_the_caret_diagnostic(self):
        self.flush_channels()
        reply, output = self.execute_helper(code="let a = 1\na + \"x\"")
        error = [o for o in output if o["msg_type"] == "error"][0]["content"]
        plain = [jupyter_kernel_test_strip(line) for line in error["traceback"]]
        self.assertEqual(plain[0], "<repl>:2:1: error: cannot add a number and a text")
        self.assertEqual(plain[1], '2 | a + "x"')
        self.assertEqual(plain[2], "  | ^^^^^^^")

    def test_kdk_completes_fields_of_live_values(self):
        self.flush_channels()
        self.execute_helper(code='let rows = [{id: 1, author: "li", likes: 3}]')
        self.kc.complete("rows[0].au", 10)
        reply = self.get_non_kernel_info_reply()
        self.assertEqual(reply["content"]["matches"][:1], ["author"])
        self.assertEqual(reply["content"]["cursor_start"], 8)


def jupyter_kernel_test_strip(line):
    import re
    return re.sub(r"\x1b\[[0-9;]*m", "", line)


class InterruptAndRestart(unittest.TestCase):
    def test_interrupt_cancels_within_a_second_and_the_kernel_stays_usable(self):
        km, kc = jupyter_client.manager.start_new_kernel(kernel_name="kdk")
        try:
            kc.execute_interactive("let kept = 41", timeout=30)
            start = time.time()
            # stop_on_error=False: the next request is not one Jupyter aborts after an error.
            kc.execute("fn f(n) = if n < 2 then n else f(n - 1) + f(n - 2)\nf(60)", stop_on_error=False)
            time.sleep(1)
            sent = time.time()
            km.interrupt_kernel()
            reply = kc.get_shell_msg(timeout=10)
            self.assertEqual(reply["content"]["status"], "error")
            self.assertIn("evaluation cancelled", reply["content"]["evalue"])
            self.assertLess(time.time() - sent, 1.0, "cancelled within a second")
            outputs = []
            reply = kc.execute_interactive("kept + 1", timeout=30, output_hook=outputs.append)
            self.assertEqual(reply["content"]["status"], "ok")
            self.assertEqual([o["content"]["data"]["text/plain"] for o in outputs if o["msg_type"] == "execute_result"], ["42"])
            # Restart: a fresh session.
            km.restart_kernel(now=True)
            kc.wait_for_ready(timeout=30)
            reply = kc.execute_interactive("kept", timeout=30)
            self.assertEqual(reply["content"]["status"], "error")
            self.assertGreater(time.time() - start, 0)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


if __name__ == "__main__":
    unittest.main()
