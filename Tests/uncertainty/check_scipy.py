#!/usr/bin/env python3
"""kdk's distributions, simulate, solve and correlate against independent
references: scipy.stats (each distribution's p5, p50 and p95 from 100,000
samples inside the 99% confidence band of the analytic quantile, and a
Kolmogorov-Smirnov test with p > 0.01), squigglepy (lognormal(low, high)
gives its mu and sigma), scipy.optimize.brentq and a closed form for solve,
scipy.stats.spearmanr for correlate, and byte-identical samples on 1 and 2
threads. Prints 'N passed, N failed'.

    python3 Tests/uncertainty/check_scipy.py .build/debug/kdk
"""
import json, math, subprocess, sys
import numpy as np
from scipy import optimize, stats
import squigglepy as sq

kdk = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/kdk"
passed = failed = 0
RUNS = 100_000


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {name} {detail}", file=sys.stderr)


def run(program, threads=None):
    cmd = [kdk, "eval", "--json", program] + (["--threads", str(threads)] if threads else [])
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"kdk failed on {program!r}:\n{r.stderr}")
    return json.loads(r.stdout)


def drawn(expr, runs=RUNS, seed="scipy"):
    return np.array(run(f'scenario S {{\n  x = {expr}\n}}\nsamples(simulate(S, runs: {runs}, seed: "{seed}").x)'), dtype=float)


lognormal = sq.lognorm(4, 9)  # squigglepy's 90% interval reading of `4 to 9`
cases = [
    ("uniform(2, 5)", stats.uniform(loc=2, scale=3)),
    ("normal(10, 2)", stats.norm(loc=10, scale=2)),
    ("lognormal(4, 9)", stats.lognorm(s=lognormal.norm_sd, scale=math.exp(lognormal.norm_mean))),
    ("triangular(1, 2, 6)", stats.triang(c=(2 - 1) / (6 - 1), loc=1, scale=5)),
]
for expr, dist in cases:
    xs = drawn(expr)
    for p in (0.05, 0.5, 0.95):
        q = dist.ppf(p)
        se = math.sqrt(p * (1 - p) / len(xs)) / dist.pdf(q)
        got = np.quantile(xs, p)
        check(f"{expr} p{int(p * 100)}", abs(got - q) <= 2.576 * se, f"{got} vs {q} (band {2.576 * se:.4g})")
    ks = stats.kstest(xs, dist.cdf)
    check(f"{expr} Kolmogorov-Smirnov", ks.pvalue > 0.01, f"p = {ks.pvalue:.4g}")

# lognormal(low, high): low and high are the 5th and 95th percentiles, as squigglepy reads them.
check("lognormal is squigglepy's", abs(np.median(drawn("lognormal(4, 9)")) - math.exp(lognormal.norm_mean)) < 0.02)

# choice: the weights' frequencies (chi-square, p > 0.001: one test of many).
xs = drawn("choice([1, 2, 3], weights: [1, 2, 7])")
counts = [int((xs == v).sum()) for v in (1, 2, 3)]
chi = stats.chisquare(counts, [RUNS * w / 10 for w in (1, 2, 7)])
check("choice frequencies", chi.pvalue > 0.001 and sum(counts) == RUNS, f"{counts}, p = {chi.pvalue:.4g}")

# solve against brentq and the closed form (1.5 ** (1/5) - 1).
scenario = "scenario G {\n  r = 5%\n  value = 100 * (1 + r) * (1 + r) * (1 + r) * (1 + r) * (1 + r)\n}\n"
r = run(scenario + 'solve(G, vary: "r", show: "value", equals: 150)')
root = optimize.brentq(lambda x: 100 * (1 + x) ** 5 - 150, 0, 1, xtol=1e-15)
check("solve = brentq", abs(float(r) - root) < 1e-12, f"{r} vs {root}")
check("solve = closed form", abs(float(r) - (1.5 ** 0.2 - 1)) < 1e-12)

# correlate: the rank correlation asked for.
pair = run('let p = correlate([normal(0, 1), lognormal(1, 10)], [[1, 0.7], [0.7, 1]])\n'
           'scenario C {\n  a = p[0]\n  b = p[1]\n}\nlet s = simulate(C, runs: 20000, seed: "c")\n[samples(s.a), samples(s.b)]')
rho = stats.spearmanr(pair[0], pair[1]).statistic
check("correlate's rank correlation", abs(rho - 0.7) < 0.02, f"rho = {rho:.4f}")
check("correlate keeps each input's samples", abs(np.median(pair[1]) - math.sqrt(10)) < 0.1)

# The same seed gives the same samples on any thread count (a million runs use every core).
program = 'scenario T {\n  x = normal(0, 1)\n}\nlet s = simulate(T, runs: 200000, seed: "t")\nsamples(s.x) |> first(5)'
check("same samples on 1 and 2 threads", run(program, threads=1) == run(program, threads=2))

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
