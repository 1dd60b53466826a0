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
    # Cases the campaign rules must get right, first: the window's edges in
    # several offsets, one author posting several times, equal scores (the
    # earlier post wins), and high scorers that are not original or not verified.
    edge = [
        ("edge_open",    "2025-12-19T12:00+08:00", "开盘即发 #发帖赢Launchpad新币KDK", 990, 99, 49, "true", "true"),
        ("edge_early",   "2025-12-19T11:59+08:00", "too early #PostToWinLaunchpadKDK", 999, 99, 49, "true", "true"),
        ("edge_utc",     "2025-12-19T04:00Z",      "same instant as the opening #PostToWinLaunchpadKDK", 991, 99, 49, "true", "true"),
        ("edge_close",   "2025-12-30T23:59+08:00", "last minute #PostToWinLaunchpadKDK", 992, 99, 49, "true", "true"),
        ("edge_late",    "2025-12-31T00:00+08:00", "12/30 24:00 is too late #发帖赢Launchpad新币KDK", 999, 99, 49, "true", "true"),
        ("edge_ny",      "2025-12-30T10:59-05:00", "from New York, inside #PostToWinLaunchpadKDK", 993, 99, 49, "true", "true"),
        ("prolific",     "2025-12-20T10:00+08:00", "first of many #PostToWinLaunchpadKDK", 994, 99, 49, "true", "true"),
        ("prolific",     "2025-12-21T10:00+08:00", "second #PostToWinLaunchpadKDK", 995, 99, 49, "true", "true"),
        ("tie_first",    "2025-12-22T10:00+08:00", "tie, earlier #PostToWinLaunchpadKDK", 996, 98, 49, "true", "true"),
        ("tie_second",   "2025-12-22T11:00+08:00", "tie, later #PostToWinLaunchpadKDK", 996, 98, 49, "true", "true"),
        ("copier",       "2025-12-23T10:00+08:00", "copied #PostToWinLaunchpadKDK", 999, 99, 49, "false", "true"),
        ("unverified",   "2025-12-24T10:00+08:00", "not verified #发帖赢Launchpad新币KDK", 999, 99, 48, "true", "false"),
        ("no_tag",       "2025-12-25T10:00+08:00", "forgot the hashtag", 999, 99, 49, "true", "true"),
        ("fullwidth",    "2025-12-26T10:00+08:00", "标签后是全角逗号#发帖赢Launchpad新币KDK，好", 950, 90, 40, "true", "true"),
    ]
    for k, row in enumerate(edge):
        w.writerow([k + 1] + list(row))
    for i in range(len(edge), a.rows):
        t = (start + timedelta(minutes=rng.randrange(-600, 12 * 24 * 60))).astimezone(rng.choice(offsets))
        w.writerow([i + 1, f"user{rng.randrange(a.rows // 3 + 1)}", t.isoformat(timespec="minutes"),
                    f"{rng.choice(texts)} {rng.choice(tags)}", rng.randrange(1000), rng.randrange(100), rng.randrange(50),
                    "true" if rng.random() > 0.1 else "false", "true" if rng.random() > 0.2 else "false"])
