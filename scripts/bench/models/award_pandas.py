# The seed campaign's award in pandas over the posts CSV (scale benchmark
# peer; pip install pandas). Prints what award.kdk and award.py print.
import re, sys
import pandas as pd

topics = {"#发帖赢launchpad新币kdk", "#posttowinlaunchpadkdk"}
tag = re.compile(r"(?<![A-Za-z0-9_])#\w+")
p = pd.read_csv(sys.argv[1], dtype={"author": str, "text": str, "time": str}, keep_default_na=False)
t = pd.to_datetime(p["time"], utc=True, format="ISO8601")
start, end = pd.Timestamp("2025-12-19 12:00+08:00"), pd.Timestamp("2025-12-31 00:00+08:00")
has_topic = p["text"].map(lambda s: any(x.lower() in topics for x in tag.findall(s)))
original = p["original"].astype(str).str.lower() == "true"
e = p[(t >= start) & (t < end) & has_topic & original].copy()
e["t"] = t[e.index]
e["score"] = e["likes"] + 2 * e["comments"] + 3 * e["shares"]
e = e.sort_values(["score", "t", "id"], ascending=[False, True, True])
best = e.drop_duplicates("author", keep="first")
kyc = best["kyc_verified"].astype(str).str.lower() == "true"
print(f'"{len(e)} {best[kyc].head(21)["id"].sum()}"')
