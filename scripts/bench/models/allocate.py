# The same sale, written plainly in Python with exact decimals (the reference).
import csv, sys
from decimal import Decimal, ROUND_DOWN, getcontext
getcontext().prec = 60
price, supply, cap, minc, q = Decimal("0.04"), Decimal(10_000_000), Decimal(200_000), Decimal(10), Decimal("0.00000001")
commits = {}
with open(sys.argv[1], newline="") as f:
    for r in csv.DictReader(f):
        commits[r["user"]] = commits.get(r["user"], Decimal(0)) + Decimal(r["committed"])
excluded = [u for u, c in commits.items() if c < minc]
active = [u for u, c in commits.items() if c >= minc]
limit = {u: min(cap, (commits[u] / price).quantize(q, ROUND_DOWN)) for u in active}
alloc, remaining, dust = {}, supply, Decimal(0)
while active:
    total = sum(commits[u] for u in active)
    share = {u: (remaining * commits[u] / total).quantize(q, ROUND_DOWN) for u in active}
    full = [u for u in active if share[u] >= limit[u]]
    if not full:
        alloc.update(share); dust = remaining - sum(share.values()); break
    for u in full:
        alloc[u] = limit[u]; remaining -= limit[u]
    active = [u for u in active if u not in set(full)]
sold = sum(alloc.values())
print(f'"{sold.normalize():f} KDK {dust.normalize():f} KDK {len(excluded)}"')
