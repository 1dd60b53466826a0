#!/usr/bin/env python3
"""Writes a posts CSV like an exchange's export, from a fixed seed:
id, author, time (mixed UTC offsets), text (Chinese and English, both campaign
hashtags in several spellings, commas and quotes), likes, comments, shares,
original, kyc_verified.

    scripts/gen_posts.py ROWS OUT.csv [--seed 7]
"""
import argparse, csv, random
from datetime import datetime, timedelta, timezone

ap = argparse.ArgumentParser()
ap.add_argument("rows", type=int)
ap.add_argument("out")
ap.add_argument("--seed", type=int, default=7)
a = ap.parse_args()
rng = random.Random(a.seed)
start = datetime(2025, 12, 19, 12, 0, tzinfo=timezone(timedelta(hours=8)))
tags = ["#发帖赢Launchpad新币KDK", "#PostToWinLaunchpadKDK", "#posttowinlaunchpadkdk", "#KDK", ""]
texts = ["KDK 上线价格预测：看涨！", "Launchpad mechanics, explained", "我对 KDK 项目的看法", "Gate 广场 \"KDK\" analysis", "to the moon 🚀"]
offsets = [timezone(timedelta(hours=8)), timezone.utc, timezone(timedelta(hours=-5))]
with open(a.out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["id", "author", "time", "text", "likes", "comments", "shares", "original", "kyc_verified"])
    for i in range(a.rows):
        t = (start + timedelta(minutes=rng.randrange(-600, 12 * 24 * 60))).astimezone(rng.choice(offsets))
        w.writerow([i + 1, f"user{rng.randrange(a.rows // 3 + 1)}", t.isoformat(timespec="minutes"),
                    f"{rng.choice(texts)} {rng.choice(tags)}", rng.randrange(1000), rng.randrange(100), rng.randrange(50),
                    "true" if rng.random() > 0.1 else "false", "true" if rng.random() > 0.2 else "false"])
