xs = [(i * 7919) % 300_007 for i in range(300_000)]
print(sorted(xs)[150_000])
