#!/usr/bin/env python3
"""Writes posts with planted copies, from a fixed seed, for mark_copies:
id, author, time, text, likes, comments, shares, kyc_verified, and the truth
(copy_of: the id of the post a planted copy was made from, or empty).

Every post has 20 to 200 characters. A third of the posts copy an earlier one: exactly, with a word inserted,
deleted or two swapped, with emoji or punctuation changed, in full-width
letters, or with the other campaign tag; a copy is usually posted by another
author, sometimes by the same one (a re-post, which is no copy).

    scripts/gen_copies.py ROWS OUT.csv [--seed 34]
"""
import argparse, csv, random
from datetime import datetime, timedelta, timezone

ap = argparse.ArgumentParser()
ap.add_argument("rows", type=int)
ap.add_argument("out")
ap.add_argument("--seed", type=int, default=34)
a = ap.parse_args()
rng = random.Random(a.seed)
# Words as varied as real posts: 2,000 Latin words of 3 to 9 letters and
# 2,000 Chinese ones of one to three characters (from the 2,000 characters
# after U+4E00), built from fixed seeds.
letters = "abcdefghijklmnopqrstuvwxyz"
def word(k):
    r = random.Random(k)
    return "".join(r.choice(letters) for _ in range(3 + k % 7))
latin = ["launchpad", "kdk", "token", "campaign", "gate", "moon"] + [word(k) for k in range(2000)]
cjk = ["".join(chr(0x4E00 + random.Random(10_000 + k * 3 + c).randrange(2000)) for c in range(1 + k % 3)) for k in range(2000)]
tags = ["#发帖赢Launchpad新币KDK", "#PostToWinLaunchpadKDK"]
start = datetime(2025, 12, 19, 12, 0, tzinfo=timezone(timedelta(hours=8)))
fullwidth = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "abcdefghijklmnopqrstuvwxyz"})
posts = []
with open(a.out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["id", "author", "time", "text", "likes", "comments", "shares", "kyc_verified", "planted_copy_of"])
    for i in range(a.rows):
        author = f"user{rng.randrange(max(1, a.rows // 4))}"
        copy_of = ""
        if posts and rng.random() < 1 / 3:
            src = rng.randrange(len(posts))
            words = list(posts[src][1])
            kind = rng.randrange(7)
            if kind == 1: words.insert(rng.randrange(len(words) + 1), rng.choice(latin))
            elif kind == 2 and len(words) > 3: words.pop(rng.randrange(len(words)))
            elif kind == 3 and len(words) > 3:
                k = rng.randrange(len(words) - 1); words[k], words[k + 1] = words[k + 1], words[k]
            elif kind == 4: words.append(rng.choice(["🚀", "!!", "🔥", "。", "👍"]))
            elif kind == 5: words = [x.translate(fullwidth) for x in words]
            if rng.random() < 0.15: author = posts[src][0]  # a re-post by its own author
            copy_of = str(src + 1)
        else:
            pool = latin if rng.random() < 0.5 else cjk
            words = [rng.choice(pool) for _ in range(rng.randrange(6, 30))]
        # At most 177 characters before the tag (22 at most), so that every
        # post has 20 to 200 characters.
        while len(" ".join(words)) > 177: words.pop()
        posts.append((author, words))
        text = " ".join(words) + " " + rng.choice(tags)
        t = start + timedelta(seconds=i * 7 + rng.randrange(7))
        w.writerow([i + 1, author, t.isoformat(timespec="seconds"), text, rng.randrange(200), rng.randrange(40),
                    rng.randrange(20), "true" if rng.random() < 0.9 else "false", copy_of])
