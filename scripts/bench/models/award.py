# The same campaign rules, written plainly in Python (the reference).
import csv, re, sys
from datetime import datetime, timezone, timedelta
tz8 = timezone(timedelta(hours=8))
start, end = datetime(2025, 12, 19, 12, 0, tzinfo=tz8), datetime(2025, 12, 31, 0, 0, tzinfo=tz8)
topics = {"#发帖赢launchpad新币kdk", "#posttowinlaunchpadkdk"}
tag = re.compile(r"(?<![A-Za-z0-9_])#\w+")
tiers = [400] + [200] * 5 + [40] * 15
eligible = []
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for p in csv.DictReader(f):
        t = datetime.fromisoformat(p["time"].replace("Z", "+00:00"))
        if not (start <= t < end): continue
        if not any(x.lower() in topics for x in tag.findall(p["text"])): continue
        if p["original"] != "true": continue
        score = int(p["likes"]) + 2 * int(p["comments"]) + 3 * int(p["shares"])
        eligible.append((-score, t, int(p["id"]), p["author"], p["kyc_verified"] == "true"))
eligible.sort()
seen, winners = set(), []
for s, t, i, author, kyc in eligible:
    if author in seen: continue
    seen.add(author)
    if len(winners) == len(tiers): break
    if not kyc: continue
    winners.append(i)
print(f'"{len(eligible)} {sum(winners)}"')
