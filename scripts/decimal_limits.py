#!/usr/bin/env python3
"""Writes Tests/Decimal/limits.cases: arithmetic at kdk's own limits (28 digits,
exponents near +-999,999, subnormals down to 1e-1000026, quotients of about 28
digits), with Python's `decimal` as the oracle.

kdk's context is Python's default with Emax=999999 and Emin=-999999 (prec=28,
ROUND_HALF_EVEN; Overflow, DivisionByZero and InvalidOperation trap). Each line is

    OP <tab> A <tab> B <tab> EXPECTED

where EXPECTED is Python's result as text, `true`/`false`, or `error` where
Python raises. `parse` lines are the exception: Python's constructor is exact at
any exponent, so their expectation is kdk's documented rule (a non-zero number
must be representable: adjusted exponent <= 999999, exponent >= -1000026 once
trailing zeros are dropped, at most 38 digits kept).

Run it after changing the generator; the output is committed and read by
Tests/KDKTests/DecimalLimitsTests.swift.
"""
import decimal
import os
import random
from decimal import Decimal

CTX = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN, Emax=999999, Emin=-999999,
                      traps=[decimal.Overflow, decimal.DivisionByZero, decimal.InvalidOperation])
decimal.setcontext(CTX)
ETINY = -999999 - 28 + 1
rng = random.Random(20251219)


def coefficient():
    n = rng.choice([1, 2, 5, 18, 19, 20, 27, 28, 29, 30, 37, 38])
    kind = rng.random()
    if kind < 0.15:
        return "9" * n
    if kind < 0.25:
        return "5" + "0" * (n - 1)
    if kind < 0.35:
        return "1" + "0" * (n - 2) + "5" if n > 1 else "5"
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def representable(d):
    if d == 0:
        return True
    t = d.normalize(decimal.Context(prec=60, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN))
    return t.adjusted() <= 999999 and t.as_tuple().exponent >= ETINY and len(t.as_tuple().digits) <= 38


def operand():
    c = coefficient()
    regime = rng.random()
    if regime < 0.35:
        exp = rng.randint(-40, 10)
    elif regime < 0.55:  # near the top of the range
        exp = 999999 - len(c) + 1 - rng.randint(0, 3)
    elif regime < 0.8:  # near the bottom: normal, subnormal, smallest
        exp = rng.choice([-999999, ETINY, ETINY + 1]) + rng.randint(0, 40)
    else:
        exp = rng.randint(-999999, 999999 - len(c) + 1)
    sign = "-" if rng.random() < 0.3 else ""
    d = Decimal(f"{sign}{c}E{exp}")
    return d if representable(d) else operand()


def text(d):
    return str(d)


def outcome(f):
    try:
        r = f()
    except (decimal.Overflow, decimal.DivisionByZero, decimal.InvalidOperation):
        return "error"
    if isinstance(r, bool):
        return "true" if r else "false"
    return text(r)


def main():
    lines = []
    binary = {
        "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b,
        "div": lambda a, b: a // b, "mod": lambda a, b: a % b, "<": lambda a, b: a < b, "==": lambda a, b: a == b,
    }
    for op, f in binary.items():
        for _ in range(300):
            a, b = operand(), operand()
            if op in ("div", "mod") and rng.random() < 0.6:
                # Quotients of about 28 digits: b near a / 10^k.
                k = rng.randint(24, 30)
                b = Decimal(f"{coefficient()[:rng.randint(1, 10)]}E{a.adjusted() - k}")
                if rng.random() < 0.3:
                    b = -b
                if not representable(b):
                    continue
            lines.append((op, text(a), text(b), outcome(lambda: f(a, b))))
        # Equal exponents on the fast path, at the very top of the range.
        for _ in range(20):
            c1, c2 = rng.randint(1, 10**18), rng.randint(1, 10**18)
            a, b = Decimal(f"{c1}E{999999 - 18}"), Decimal(f"{c2}E{999999 - 18}")
            lines.append((op, text(a), text(b), outcome(lambda: f(a, b))))
    for op, f in {"neg": lambda a: -a, "abs": lambda a: abs(a), "plus0": lambda a: a + 0}.items():
        for _ in range(150):
            a = operand()
            lines.append((op, text(a), "", outcome(lambda: f(a))))
    for _ in range(300):
        if rng.random() < 0.5:
            a = Decimal(f"{rng.choice(['1.0001', '0.999', '1.05', '2', '10', '0.5', '-3', '7'])}")
            n = rng.choice([-100000, -1000, -100, -29, -3, -1, 1, 2, 3, 28, 29, 100, 1000, 100000, 1000000])
        else:
            a = operand()
            n = rng.randint(-4, 4)
        lines.append(("^", text(a), str(n), outcome(lambda: a ** n)))
    for _ in range(300):
        a = operand() if rng.random() < 0.5 else Decimal(f"{coefficient()}E{rng.randint(-40, 5)}")
        n = rng.randint(-3, 30)
        lines.append(("round", text(a), str(n), outcome(lambda: round(a, n))))
    # Text and literals: kdk's range rule (see the docstring).
    for s in ["1e-1000038", "1e-9999999", "1e-9223372036854775808", "1e+9223372036854775807", "1e-1000026",
              "1e-1000027", "15e-1000027", "150e-1000027", "9.999999999999999999999999999e+999999", "1e+1000000",
              "10e+999999", "0e-99999999999", "0e+99999999999", "-0", "1" + "0" * 45 + "e+999960",
              "12345678901234567890123456789012345678901", "1.5e-1000026"]:
        wide = decimal.Context(prec=38, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
        try:
            d = wide.plus(Decimal(s))  # kdk keeps 38 digits of a literal
        except decimal.InvalidOperation:  # an exponent beyond even Python's range
            lines.append(("parse", s, "", "error"))
            continue
        lines.append(("parse", s, "", text(d.normalize(wide)) if representable(d) else "error"))
    out = os.path.join(os.path.dirname(__file__), "..", "Tests", "Decimal", "limits.cases")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as fh:
        fh.write("# Written by scripts/decimal_limits.py from Python's decimal; do not edit by hand.\n")
        for line in lines:
            fh.write("\t".join(line) + "\n")
    print(f"wrote {len(lines)} cases to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
