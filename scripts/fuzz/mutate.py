#!/usr/bin/env python3
"""A quick robustness fuzzer: mutates the conformance snippets (deleting,
duplicating, swapping and inserting tokens) and runs each through
`kdk eval` with tight limits. Any exit status other than 0 or 1 (a signal,
a Swift trap) is a bug; the offending programs are written to
scripts/fuzz/crashes/.

    scripts/fuzz/mutate.py [--cases 2000] [--seed 1] [--kdk .build/debug/kdk]
"""
import argparse, glob, os, random, re, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))

def snippets():
    out = []
    for f in sorted(glob.glob(os.path.join(root, "Tests", "Conformance", "*.kdk"))):
        buf = []
        for line in open(f, encoding="utf-8"):
            if line.startswith(("#=>", "#~>", "#!check>", "#!run>", "#=.")):
                if buf: out.append("".join(buf))
                buf = []
            elif not line.startswith(("## ", "#>>", "#|")):
                buf.append(line)
    return out

TOKENS = ["(", ")", "[", "]", "{", "}", ",", ".", "..", "...", "..<", "=>", "|>", "??", "+", "-", "*", "/", "^",
          "==", "<", "in", "not", "and", "or", "if", "then", "else", "let", "fn", "with", "none", "true", "0", "1",
          "-1", "1e999999", "9223372036854775807", "0.5", "\"", "\"\\(", "#", "\n", ";", "KDK", "USD", "days",
          "2025-12-19T12:00+08:00", "x", "f", "len", "map", "sort", "range", "scenario", "extends", ":", "=", "%", "5T"]

def mutate(src, rng):
    toks = re.findall(r'"(?:[^"\\\n]|\\.)*"|\d[\d_.eE+-]*[KMBT%]?|\w+|\.\.\.|\.\.<|=>|\|>|\?\?|==|!=|<=|>=|\S|\n', src)
    for _ in range(rng.randint(1, 4)):
        op = rng.random()
        i = rng.randrange(len(toks) + 1)
        if op < 0.3 and toks:
            del toks[min(i, len(toks) - 1)]
        elif op < 0.6:
            toks.insert(i, rng.choice(TOKENS))
        elif op < 0.8 and toks:
            j = rng.randrange(len(toks))
            toks.insert(i, toks[j])
        elif toks:
            j, k = rng.randrange(len(toks)), rng.randrange(len(toks))
            toks[j], toks[k] = toks[k], toks[j]
    return " ".join(toks)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kdk", default=os.path.join(root, ".build", "debug", "kdk"))
    a = ap.parse_args()
    rng = random.Random(a.seed)
    base = snippets()
    crashes = 0
    os.makedirs(os.path.join(here, "crashes"), exist_ok=True)
    for n in range(a.cases):
        prog = mutate(rng.choice(base), rng)
        try:
            r = subprocess.run([a.kdk, "eval", "--max-steps", "200000", "--max-size", "100000", "--timeout", "5", prog],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=30)
            code = r.returncode
        except subprocess.TimeoutExpired:
            code = "hang"
        if code not in (0, 1):
            crashes += 1
            path = os.path.join(here, "crashes", f"case-{a.seed}-{n}.kdk")
            open(path, "w", encoding="utf-8").write(prog)
            print(f"exit {code}: {path}", file=sys.stderr)
    print(f"{a.cases} programs, {crashes} crashes")
    sys.exit(1 if crashes else 0)

main()
