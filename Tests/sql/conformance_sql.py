#!/usr/bin/env python3
"""Every conformance case about campaigns that compiles, run on an engine.

For each case of Tests/Conformance/*.kdk that ends in a value and awards a
campaign (`C.award(entries)`), the entries become a table (columns typed from
their values: whole numbers BIGINT, text, bools, times) and a shape the case
gets appended; `kdk sql` compiles the campaign with `--shape`, and the
engine's winners, payouts and totals must equal kdk's award. A campaign that
does not compile (E05xx: a division, periods, no id...) is counted, not run.

    python3 Tests/sql/conformance_sql.py --kdk .build/debug/kdk [--engines duckdb]
"""
import argparse
import csv
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from check_sql import compare, reference  # noqa: E402
from engines import as_csv, start  # noqa: E402

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")


def cases(path):
    """(first line, source) of each case that expects a value."""
    out, buf, start_line = [], [], 1
    for i, line in enumerate(open(path, encoding="utf-8").read().split("\n"), 1):
        if line.startswith(("#>>", "#|")):
            continue
        if line.startswith(("#=>", "#:>", "#~>", "#!")):
            if line.startswith(("#=>", "#:>", "#~>")):
                out.append((start_line, "\n".join(buf)))
            buf, start_line = [], i + 1
            continue
        buf.append(line)
    return out


def award_calls(source):
    """(campaign, argument text) of each `Name.award(...)`, strings and brackets respected."""
    calls = []
    for m in re.finditer(r"\b([A-Za-z_]\w*)\.award\(", source):
        i, depth, quote = m.end(), 1, None
        while i < len(source) and depth:
            c = source[i]
            if quote:
                if c == "\\":
                    i += 1
                elif c == quote:
                    quote = None
            elif c == '"':
                quote = c
            elif c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
            i += 1
        if depth == 0 and (m.group(1), source[m.end():i - 1]) not in calls:
            calls.append((m.group(1), source[m.end():i - 1]))
    return calls


def column_type(values):
    kinds = set()
    for v in values:
        if v is None:
            continue
        if isinstance(v, bool):
            kinds.add("bool")
        elif isinstance(v, int):
            kinds.add("number")
        elif isinstance(v, str):
            kinds.add("time" if TIME.match(v) else "text")
        else:
            return None  # decimals, amounts, lists: not a column kdk sql reads
    return kinds.pop() if len(kinds) == 1 else ("text" if not kinds else None)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kdk", default=os.path.join(ROOT, ".build/debug/kdk"))
    ap.add_argument("--engines", default="duckdb")
    args = ap.parse_args()
    args.kdk = os.path.abspath(args.kdk)  # the checks run it from other folders
    engines = [start(n) for n in args.engines.split(",")]
    ran = refused = skipped = failures = 0
    try:
        for path in sorted(glob.glob(os.path.join(ROOT, "Tests/Conformance/*.kdk"))):
            for line, source in cases(path):
                if "campaign" not in source:
                    continue
                for k, (campaign, arg) in enumerate(award_calls(source)):
                    label = f"{os.path.basename(path)}:{line} {campaign}"
                    with tempfile.TemporaryDirectory() as work:
                        driver = os.path.join(work, "case.kdk")
                        keys = f"__r.winners.map(w => {campaign}.one_prize_per(w))" if "one_prize_per" in source else "none"
                        with open(driver, "w", encoding="utf-8") as f:
                            f.write(source + f"\nlet __e = {arg}\nlet __r = {campaign}.award(__e)\n"
                                    f"{{rows: __e, keys: {keys}, winners: __r.winners, payouts: __r.payouts, paid: __r.paid,"
                                    f" unallocated: __r.unallocated, entries: __r.entries, eligible: __r.eligible, excluded: len(__r.excluded)}}\n")
                        r = subprocess.run([args.kdk, "run", "--json", driver], capture_output=True, text=True, cwd=work)
                        if r.returncode != 0:
                            skipped += 1  # the award errs, or its entries are not top-level values
                            continue
                        # After what the case prints: the JSON record.
                        award = json.loads(r.stdout[r.stdout.index('{"rows"'):], parse_float=Decimal)
                        rows = [x for x in award["rows"] if isinstance(x, dict)]
                        fields = []
                        for x in rows:
                            fields += [f for f in x if f not in fields]
                        types = {f: column_type([x.get(f) for x in rows]) for f in fields}
                        if not rows or any(t is None for t in types.values()):
                            skipped += 1
                            continue
                        shape = "shape KdkSqlEntries {\n" + "\n".join(f"  {f}: {t}" for f, t in types.items()) + "\n}\n"
                        # The campaigns read that shape (entry = ...), unless they declare one.
                        typed = source if re.search(r"^\s*entry\s*=", source, re.M) else re.sub(
                            r"^(campaign \w+ \{)", r"\1\n  entry = KdkSqlEntries", source, flags=re.M)
                        with open(driver, "w", encoding="utf-8") as f:
                            f.write(typed + "\n" + shape)
                        data = os.path.join(work, "entries.csv")
                        with open(data, "w", newline="", encoding="utf-8") as f:
                            w = csv.writer(f)
                            w.writerow(fields)
                            for x in rows:
                                w.writerow(["" if x.get(c) is None else ("true" if x[c] is True else "false" if x[c] is False else x[c]) for c in fields])
                        if award["keys"] is not None:
                            for w_, key in zip(award["winners"], award["keys"]):
                                w_["__key"] = key
                        ref = reference(award, "__key" if award["keys"] is not None else "author")
                        # What cannot compile is refused with E05xx codes, before anything runs.
                        c = subprocess.run([args.kdk, "check", "--json", "--sql", engines[0].name, driver], capture_output=True, text=True)
                        codes = [d["code"] for d in json.loads(c.stdout or "[]") if d.get("severity") == "error"]
                        if codes and all(str(x).startswith("E05") for x in codes):
                            refused += 1
                            print(f"refused {label}: {', '.join(sorted(set(codes)))}")
                            continue
                        for e in engines:
                            loaded = False
                            for result, (header, expected) in ref.items():
                                q = subprocess.run([args.kdk, "sql", driver, "--campaign", campaign,
                                                    "--dialect", e.name, "--table", "entries", "--result", result],
                                                   capture_output=True, text=True)
                                if q.returncode != 0:
                                    print(f"FAILED to compile {label}: {q.stderr[:800]}")
                                    failures += 1
                                    break
                                if not loaded:
                                    e.load("entries", data, list(types.items()))
                                    loaded = True
                                ok = compare(f"{e.name} {label} {result}", as_csv(header, expected), as_csv(header, e.query(q.stdout)))
                                ran += 1
                                failures += not ok
    finally:
        for e in engines:
            e.close()
    print(f"conformance on {args.engines}: {ran - failures} of {ran} results equal kdk's award; "
          f"{refused} campaigns refused with an E05xx diagnostic, {skipped} awards not over plain rows")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
