#!/usr/bin/env python3
"""Writes launchpad commitments (user, committed in USDT) and hourly balance
snapshots (user, time, balance) from a fixed seed: a few whales above the
cap, many small users, some below the minimum.

    scripts/gen_commitments.py USERS OUT_DIR [--seed 11] [--hours 24]
"""
import argparse, csv, os, random
from datetime import datetime, timedelta, timezone

ap = argparse.ArgumentParser()
ap.add_argument("users", type=int)
ap.add_argument("out")
ap.add_argument("--seed", type=int, default=11)
ap.add_argument("--hours", type=int, default=24)
a = ap.parse_args()
rng = random.Random(a.seed)
os.makedirs(a.out, exist_ok=True)
amounts = []
for i in range(a.users):
    r = rng.random()
    if r < 0.002: v = rng.randrange(2_000_000, 9_000_000)          # whales, far above the cap
    elif r < 0.05: v = rng.randrange(20_000, 400_000)
    elif r < 0.1: v = rng.randrange(1, 10)                          # below the minimum
    else: v = rng.randrange(10, 20_000)
    amounts.append(f"{v}.{rng.randrange(100):02d}")
with open(os.path.join(a.out, "commitments.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["user", "committed"])
    for i, v in enumerate(amounts):
        w.writerow([f"u{i:06d}", v])
start = datetime(2025, 12, 15, 0, 0, tzinfo=timezone(timedelta(hours=8)))
with open(os.path.join(a.out, "snapshots.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["user", "time", "balance"])
    for h in range(a.hours):
        t = (start + timedelta(hours=h)).isoformat(timespec="minutes")
        for i in range(min(a.users, 200)):
            if rng.random() < 0.9:
                w.writerow([f"u{i:06d}", t, f"{rng.randrange(0, 5000)}.{rng.randrange(100):02d}"])
