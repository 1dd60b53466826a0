#!/usr/bin/env python3
"""Drives the real kdk binary in a pseudo-terminal (pexpect) and checks what
a person at the keyboard would see: evaluation, multi-line input, history
recall across sessions, tab completion, Ctrl-C at the prompt and during a
long evaluation, UTF-8 editing, Ctrl-D. Prints 'N passed, N failed'.

    python3 Tests/KDKReplTests/pty/repl_pty.py .build/debug/kdk
"""
import os, stat, sys, tempfile, time
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

def seen(p, want, timeout=-1):
    """Whether `want` appears, followed by a fresh prompt."""
    try:
        p.expect_exact(want, timeout=timeout)
        p.expect("kdk> ")
        return True
    except pexpect.TIMEOUT:
        return False

def recall(p, *keys):
    """Types `keys` (a pause after each, as a person would), then Enter to run
    what the line editor recalled, and waits for the next prompt."""
    for k in keys:
        p.send(k)
        time.sleep(0.3)
    p.send("\r")
    p.expect("kdk> ")

def result(p, line, want):
    p.sendline(line)
    return seen(p, want)

def session():
    global p
    p = start()
    check("evaluate", result(p, "0.1 + 0.2 == 0.3", "true"))
    p.sendline("unit KDK decimals 8")
    check("a definition prints nothing", seen(p, "unit KDK decimals 8\r\n"))
    p.sendline("scenario S {")
    p.expect_exact("...> ")
    p.sendline("  capex = 5T USD")
    p.expect_exact("...> ")
    p.sendline("  need = capex * 10%")
    p.expect_exact("...> ")
    p.sendline("}")
    p.expect("kdk> ")
    check("multi-line model", result(p, "S.need", "500,000,000,000.00 USD"))
    # Tab completion of a field after '.' and of a library function.
    p.send("S.ca\t")
    check("complete field", result(p, "", "5,000,000,000,000.00 USD"))
    p.send("summ\x7f([1, 2]")
    check("edit with backspace", result(p, ")", "3"))
    p.send("su\t([4, 5])\r")
    check("complete function", seen(p, "9"))
    # UTF-8: type Chinese, delete one character, finish the line.
    p.send('len("发帖赢赢\x7f")\r')
    check("utf-8 editing", seen(p, "3"))
    # Ctrl-C at the prompt clears the line; the session goes on. (Once the
    # text is on the screen, as a person would: a Ctrl-C sent in the same
    # instant as the keys, before the line editor has read them, makes the
    # terminal discard them, and in about one try in ten no new prompt came.)
    p.send("1 + ")
    p.expect_exact("1 + ")
    p.sendintr()
    p.expect("kdk> ")
    check("ctrl-c at prompt", result(p, "40 + 2", "42"))
    # Ctrl-C during a long evaluation cancels it.
    p.sendline("fn s(n) = if n == 0 then 0 else s(n - 1) + s(n - 1)")
    p.expect("kdk> ")
    p.sendline("s(40)")
    time.sleep(1.0)
    p.sendintr()
    check("ctrl-c cancels evaluation", seen(p, "cancelled", timeout=10))
    check("error keeps session", result(p, "nope", "is not defined"))
    check("_ is the last result", result(p, "_", "42"))
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
    check("ctrl-r search", seen(p, "true"))
    # A multi-line entry is one history entry: recalled with Up in this
    # (second) session, it runs again as it was typed.
    p.sendline("scenario M {")
    p.expect_exact("...> ")
    p.sendline("  a = 20")
    p.expect_exact("...> ")
    p.sendline("  b = a + 1")
    p.expect_exact("...> ")
    p.sendline("}")
    p.expect("kdk> ")
    check("multi-line definition", result(p, "M.b * 2", "42"))
    p.sendline(":reset")
    p.expect("kdk> ")
    recall(p, "\x1b[A\x1b[A\x1b[A")
    check("multi-line entry recalled with Up", result(p, "M.b", "21"))
    p.sendline(":quit")
    p.expect(pexpect.EOF)
    # ... and from the history file in the next session.
    with open(hist, encoding="utf-8", errors="replace") as f:
        saved = f.read()
    check("history file keeps the entry's newlines", "scenario\\040M\\040{\\012" in saved)
    p = start()
    p.sendline(":reset")
    p.expect("kdk> ")
    recall(p, "\x12", "scenario M", "\r")
    check("multi-line entry found with Ctrl-R in a new session", result(p, "M.b", "21"))
    p.sendline(":quit")
    p.expect(pexpect.EOF)

    # Colour: the prompt's escape sequences reach the terminal whole (libedit is
    # told they take no columns), so the screen shows a coloured `kdk>`; with
    # TERM=dumb or NO_COLOR there is no escape sequence at all.
    def raw_prompt(extra_env, drop=()):
        e = dict(env, **extra_env)
        for k in drop: e.pop(k, None)
        q = pexpect.spawn(kdk, env=e, cwd=home, timeout=40, dimensions=(40, 200))
        q.expect(b"Ctrl-D to leave.\r\n")
        q.expect(b"kdk>")
        shown = q.before + b"kdk>"
        q.sendline(b"6 * 7")
        q.expect(b"42")
        q.sendline(b":quit")
        q.expect(pexpect.EOF)
        return shown
    shown = raw_prompt({"TERM": "xterm-256color"}, drop=("NO_COLOR",))
    check("colour prompt is one whole escape sequence", shown.endswith(b"\x1b[1;36mkdk>") and b"\x01" not in shown and b"\x02" not in shown)
    check("no colour under TERM=dumb", b"\x1b[" not in raw_prompt({"TERM": "dumb"}, drop=("NO_COLOR",)))
    check("no colour under NO_COLOR", b"\x1b[" not in raw_prompt({"TERM": "xterm-256color"}))

    # Two sessions at once: each entry is appended when it is entered, so
    # whichever quits last erases nothing; a closed terminal (SIGHUP) keeps
    # the lines entered before it.
    a, b = start(), start()
    check("two sessions: first", result(a, "1001 + 1", "1002"))
    check("two sessions: second", result(b, "2001 + 1", "2002"))
    check("two sessions: first again", result(a, "1003 + 1", "1004"))
    b.sendline(":quit"); b.expect(pexpect.EOF)
    a.sendline(":quit"); a.expect(pexpect.EOF)
    c = start()
    check("hangup: entry", result(c, "3001 + 1", "3002"))
    c.kill(1)  # SIGHUP, as when the terminal window is closed
    c.expect(pexpect.EOF)
    with open(hist, encoding="utf-8", errors="replace") as f:
        saved = f.read()
    order = [saved.find(x) for x in ("1001\\040+\\0401", "2001\\040+\\0401", "1003\\040+\\0401", "3001\\040+\\0401")]
    check("no session's lines lost, in the order entered", all(i >= 0 for i in order) and order == sorted(order))
    check("history file starts with libedit's header", saved.startswith("_HiStOrY_V2_\n"))


def screen_session():
    """What the screen shows, line by line (pyte emulates the terminal): a
    table wider than the terminal is cut to fit, and the session's live
    values answer :type and Tab."""
    import pyte
    with open(os.path.join(home, "wide.csv"), "w", encoding="utf-8") as f:
        f.write("id,author,likes,text,comments,shares,original,kyc_verified\n")
        f.write('1,li,30,"' + "KDK to the moon " * 6 + '#PostToWinLaunchpadKDK",3,1,true,true\n')
        f.write("2,wu,50,short,4,2,true,false\n")
    screen = pyte.Screen(60, 24)
    stream = pyte.ByteStream(screen)
    q = pexpect.spawn(kdk, env=env, cwd=home, timeout=40, dimensions=(24, 60))
    def pump(until):
        end = time.time() + 10
        while time.time() < end:
            try:
                stream.feed(q.read_nonblocking(65536, timeout=0.2))
            except pexpect.TIMEOUT:
                if until(): return
    def lines(): return [l.rstrip() for l in screen.display]
    pump(lambda: lines()[-1] == "" and "kdk>" in "\n".join(lines()))
    q.send('let posts = read_csv("wide.csv")\r')
    q.send("posts |> top(2, by: p => p.likes)\r")
    pump(lambda: any(l.startswith("… ") for l in lines()))
    shown = lines()
    at = shown.index("kdk> posts |> top(2, by: p => p.likes)")
    want = [
        "id  author  likes  text",
        "──  ──────  ─────  ────────────────────────────────────────",
        " 2  wu         50  short",
        " 1  li         30  KDK to the moon KDK to the moon KDK to …",
        "… 4 more columns: comments, shares, original, kyc_verified",
    ]
    check("wide table cut to the terminal", shown[at + 1:at + 6] == want)
    if shown[at + 1:at + 6] != want: print("\n".join(shown), file=sys.stderr)
    check("no line wider than the terminal", all(len(l) <= 60 for l in shown))
    q.send(":type posts[0].likes\r")
    pump(lambda: "number" in lines())
    check(":type knows a live value's field", "number" in lines())
    q.send("posts[0].ky\t")
    pump(lambda: "kdk> posts[0].kyc_verified" in lines())
    check("Tab completes a live value's field", "kdk> posts[0].kyc_verified" in lines())
    q.send("\x15")  # Ctrl-U: an empty line, so Ctrl-D leaves
    q.sendeof()
    q.expect(pexpect.EOF)


# An exception (a timeout waiting for the screen) fails the run with what
# the terminal showed last, on one line, rather than a bare traceback.
try:
    session()
    screen_session()
except Exception as e:
    import traceback
    where = traceback.extract_tb(e.__traceback__)[-1]
    shown = getattr(globals().get("p"), "before", "") or ""
    check(f"line {where.lineno}: {type(e).__name__}; last output {shown[-300:]!r}", False)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
