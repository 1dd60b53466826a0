# The seed campaign's award in pandas over the posts CSV (scale benchmark
# peer; pip install pandas), the fastest correct way: typed columns and one
# vectorized, case-insensitive regex with kdk's hashtag rule (a tag starts at
# a '#' after no ASCII letter, digit or '_' and must be a topic whole: no
# letter, digit, '_' or combining mark after it).
# Prints what award.kdk prints. With --simple: re.findall of '#\w+' and a set
# lookup per post, as a user might write it first.
import re, sys
import pandas as pd

simple = "--simple" in sys.argv[2:]
p = pd.read_csv(sys.argv[1], dtype={"id": "int64", "author": str, "text": str, "time": str, "likes": "int64", "comments": "int64",
                                    "shares": "int64", "original": bool, "kyc_verified": bool}, keep_default_na=False)
t = pd.to_datetime(p["time"], utc=True, format="ISO8601")
start, end = pd.Timestamp("2025-12-19 12:00+08:00"), pd.Timestamp("2025-12-31 00:00+08:00")
if simple:
    topics = {"#发帖赢launchpad新币kdk", "#posttowinlaunchpadkdk"}
    tag = re.compile(r"#\w+")
    has_topic = p["text"].map(lambda s: any(x.lower() in topics for x in tag.findall(s)))
else:
    has_topic = p["text"].str.contains(r"(?<![A-Za-z0-9_])#(?:发帖赢launchpad新币kdk|posttowinlaunchpadkdk)(?![\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])",
                                       case=False, regex=True)
e = p[(t >= start) & (t < end) & has_topic & p["original"]].copy()
e["t"] = t[e.index]
e["score"] = e["likes"] + 2 * e["comments"] + 3 * e["shares"]
e = e.sort_values(["score", "t", "id"], ascending=[False, True, True])
best = e.drop_duplicates("author", keep="first")
print(f'"{len(e)} {best[best["kyc_verified"]].head(21)["id"].sum()}"')
