#!/usr/bin/env python3
"""Large hostile inputs a 4 KB fuzz input cannot reach, run through `kdk run`
and `kdk check` with a time and memory cap. Each must end in exit 0 or 1
(with a located message for 1) within the time limit: a signal, a trap or a
hang is a bug. `--scale small` keeps each input small enough for CI.

    scripts/fuzz/hostile.py [--kdk .build/debug/kdk] [--scale small|full] [--only NAME]
"""
import argparse, os, resource, subprocess, sys, tempfile, time

def chained_lets(n):      return "".join(f"let a{i} = a{i + 1} + 1\n" for i in range(n)) + f"let a{n} = 0\na0\n"
def chained_fns(n):       return "".join(f"fn f{i}(x) = f{i + 1}(x) + 1\n" for i in range(n)) + f"fn f{n}(x) = x\nf0(1)\n"
def deep_value(n):        return f"len(reduce(range(0, {n}), 1, (a, x) => [a]))\n"
def doubling(op):         return "let x = reduce(range(0, 60), [1], (a, i) => [a, a])\n" + op + "\n"
def extends_chain(n):     return "scenario M0 { x = 1 }\n" + "".join(f"scenario M{i} extends M{i - 1} {{ y{i} = x + 1 }}\n" for i in range(1, n)) + f"M{n - 1}.x\n"
def many_fields(n):       return "scenario M {\n" + "".join(f"  f{i} = {i}\n" for i in range(n)) + "}\nM.f0\n"
def nested_blocks(n):     return "(" * n + "1" + ")" * n + "\n"
def deep_json(n):         return f"to_json(reduce(range(0, {n}), 1, (a, x) => [a]))\n"  # deeper than the reader's 512
def long_csv_line(path):  return f'read_csv("{path}")\n'

def cases(scale, tmp):
    full = scale == "full"
    big = os.path.join(tmp, "noline.csv")
    with open(big, "w") as f:
        f.write("a,b\n" + "x" * (200_000_000 if full else 2_000_000))
    dup = os.path.join(tmp, "dup.csv")
    with open(dup, "w") as f:
        f.write("id,amount,amount\n1,2,3\n")
    fifo = os.path.join(tmp, "fifo.csv")
    os.mkfifo(fifo)
    # (name, source, exits allowed for `kdk run`, exits allowed for `kdk check`)
    ok, err, either = {0}, {1}, {0, 1}
    return [
        ("chained lets", chained_lets(1_000_000 if full else 3_000), either if full else ok, ok),
        ("chained fns", chained_fns(60_000 if full else 3_000), either, ok),
        ("deep value", deep_value(1_000_000 if full else 100_000), ok, ok),
        # Ten million levels need about 1.6 GB of stack to free: more than the old 1 GiB run thread.
        ("deeper value", deep_value(10_000_000 if full else 200_000), either if full else ok, ok),
        ("deep value shown", f"reduce(range(0, {1_000_000 if full else 100_000}), 1, (a, x) => [a])\n", ok, ok),
        ("doubling ==", doubling("x == x"), ok, ok),
        ("doubling == copy", doubling("x == reduce(range(0, 60), [1], (a, i) => [a, a])"), err, ok),
        ("doubling unique", doubling("unique([x, x])"), ok, ok),
        ("doubling to_json", doubling("to_json(x)"), err, ok),
        ("doubling text", doubling('"\\(x)"'), ok, ok),
        ("doubling display", doubling("x"), ok, ok),
        ("extends chain", extends_chain(2_000 if full else 500), ok, ok),
        ("many fields", many_fields(10_000 if full else 2_000), ok, ok),
        ("nested blocks", nested_blocks(200_000 if full else 20_000), err, err),
        ("deep json", deep_json(600), err, ok),
        ("csv with no newline", long_csv_line(big), err, ok),
        ("duplicate csv header", f'read_csv("{dup}")\n', err, ok),
        ("fifo", f'read_csv("{fifo}")\n', err, ok),
        ("folder", f'read_csv("{tmp}")\n', err, ok),
        ("bom", "\ufeff1 + 1\n", ok, ok),
    ]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kdk", default=".build/debug/kdk")
    ap.add_argument("--scale", default="small", choices=["small", "full"])
    ap.add_argument("--only")
    ap.add_argument("--limit", type=float, default=10.0, help="seconds each run may take")
    a = ap.parse_args()
    kdk = os.path.abspath(a.kdk)
    bad = 0
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
    with tempfile.TemporaryDirectory() as tmp:
        for name, src, run_exits, check_exits in cases(a.scale, tmp):
            if a.only and a.only not in name: continue
            path = os.path.join(tmp, "case.kdk")
            with open(path, "w", encoding="utf-8") as f: f.write(src)
            for cmd, allowed in ((["run", "--timeout", "5"], run_exits), (["check"], check_exits)):
                t0 = time.time()
                try:
                    p = subprocess.run([kdk, *cmd, path], capture_output=True, text=True, timeout=a.limit, preexec_fn=cap)
                    rc, err = p.returncode, p.stderr
                except subprocess.TimeoutExpired:
                    rc, err = "hang", ""
                dt = time.time() - t0
                first = (err.strip().splitlines() or [""])[0][:110]
                # Exit 1 must come with a located message (file:line:column, or the file named).
                ok = rc in allowed and (rc == 0 or "case.kdk:" in err or "error:" in err)
                if not ok: bad += 1
                print(f"{'ok ' if ok else 'BAD'} {name:22} {cmd[0]:5} exit {rc!s:5} {dt:6.2f}s  {first}")
    print(f"{bad} bad")
    sys.exit(1 if bad else 0)

if __name__ == "__main__":
    main()
